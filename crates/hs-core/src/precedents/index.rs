//! A tantivy index over one set of precedents: one document per precedent,
//! its description analysed exactly as queries are ([`crate::index::analyzer`]
//! after [`crate::text::normalize`]), with the row number to find the
//! precedent again. Built in memory (a file given for one run, a
//! cross-validation fold) or into a folder (a set of the store).

use std::path::{Path, PathBuf};

use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument};

use std::sync::OnceLock;

use tantivy::tokenizer::TextAnalyzer;

use crate::index::{ANALYZER, analyze, analyzer};
use crate::text::normalize;

use super::{Precedent, PrecedentError};

/// Bumped whenever the fields or what goes into them change.
pub const SCHEMA_VERSION: u32 = 1;

/// An opened set: its name, where it came from, its rows and their index.
pub struct PrecedentIndex {
    /// The set's name (the store's name, or the file name for `--precedents`).
    pub name: String,
    /// The file the rows came from, as shown in explanations.
    pub file: String,
    pub rows: Vec<Precedent>,
    pub(crate) reader: IndexReader,
    pub(crate) text: Field,
    /// (segment, doc) -> index into `rows`.
    pub(crate) doc_row: Vec<Vec<u32>>,
    /// Each row's analysed terms ([`row_terms`]), read from the store or
    /// worked out on first use.
    pub(crate) terms: Vec<OnceLock<Box<str>>>,
}

/// A description's analysed terms as the vote compares them: sorted,
/// unique, joined by single spaces (one allocation a row).
pub fn row_terms(an: &mut TextAnalyzer, description: &str) -> Box<str> {
    let mut t = analyze(an, &normalize(description));
    t.sort();
    t.dedup();
    t.join(" ").into_boxed_str()
}

fn schema() -> (Schema, Field, Field) {
    let mut b = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(ANALYZER)
        .set_index_option(IndexRecordOption::WithFreqs);
    let text = b.add_text_field(
        "text",
        TextOptions::default().set_indexing_options(indexing),
    );
    let row = b.add_u64_field("row", FAST | STORED);
    (b.build(), text, row)
}

fn terr(path: &Path) -> impl Fn(tantivy::TantivyError) -> PrecedentError + '_ {
    move |source| PrecedentError::Tantivy {
        path: path.to_path_buf(),
        source,
    }
}

impl PrecedentIndex {
    /// Indexes rows in memory.
    pub fn in_memory(name: &str, file: &str, rows: Vec<Precedent>) -> Result<Self, PrecedentError> {
        let (schema, ..) = schema();
        let index = Index::create_in_ram(schema);
        Self::fill_and_open(index, Path::new("(memory)"), name, file, rows)
    }

    /// Indexes rows into `dir` (created; must not hold an index yet).
    pub fn build_into(
        dir: &Path,
        name: &str,
        file: &str,
        rows: Vec<Precedent>,
    ) -> Result<Self, PrecedentError> {
        std::fs::create_dir_all(dir).map_err(|source| PrecedentError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let (schema, ..) = schema();
        let index = Index::create_in_dir(dir, schema).map_err(terr(dir))?;
        Self::fill_and_open(index, dir, name, file, rows)
    }

    /// Opens an index folder built by [`PrecedentIndex::build_into`] for these rows.
    pub fn open(
        dir: &Path,
        name: &str,
        file: &str,
        rows: Vec<Precedent>,
    ) -> Result<Self, PrecedentError> {
        let index = Index::open_in_dir(dir).map_err(terr(dir))?;
        if index.schema() != schema().0 {
            return Err(PrecedentError::Store(format!(
                "{}: the index schema differs from this version of hs",
                dir.display()
            )));
        }
        Self::opened(index, dir, name, file, rows)
    }

    fn fill_and_open(
        index: Index,
        path: &Path,
        name: &str,
        file: &str,
        rows: Vec<Precedent>,
    ) -> Result<Self, PrecedentError> {
        index.tokenizers().register(ANALYZER, analyzer());
        let (_, text, row) = schema();
        let mut writer = index
            .writer_with_num_threads::<TantivyDocument>(1, 100_000_000)
            .map_err(terr(path))?;
        for (i, p) in rows.iter().enumerate() {
            let mut doc = TantivyDocument::default();
            doc.add_text(text, normalize(&p.description));
            doc.add_u64(row, i as u64);
            writer.add_document(doc).map_err(terr(path))?;
        }
        writer.commit().map_err(terr(path))?;
        writer.wait_merging_threads().map_err(terr(path))?;
        Self::opened(index, path, name, file, rows)
    }

    fn opened(
        index: Index,
        path: &Path,
        name: &str,
        file: &str,
        rows: Vec<Precedent>,
    ) -> Result<Self, PrecedentError> {
        index.tokenizers().register(ANALYZER, analyzer());
        let (_, text, _) = schema();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(terr(path))?;
        let searcher = reader.searcher();
        let mut doc_row = Vec::new();
        for seg in searcher.segment_readers() {
            let col = seg.fast_fields().u64("row").map_err(terr(path))?;
            let mut v = Vec::with_capacity(seg.max_doc() as usize);
            for d in 0..seg.max_doc() {
                let r = col.first(d).unwrap_or(u64::MAX);
                if r as usize >= rows.len() {
                    return Err(PrecedentError::Store(format!(
                        "{}: the index names row {r} of {} rows; re-add the set",
                        PathBuf::from(path).display(),
                        rows.len()
                    )));
                }
                v.push(r as u32);
            }
            doc_row.push(v);
        }
        Ok(PrecedentIndex {
            name: name.to_string(),
            file: file.to_string(),
            terms: (0..rows.len()).map(|_| OnceLock::new()).collect(),
            rows,
            reader,
            text,
            doc_row,
        })
    }

    /// Every row's terms ([`row_terms`]), worked out where not yet: what
    /// the store keeps beside the rows so a run need not analyse them.
    pub fn all_terms(&self) -> Vec<&str> {
        let mut an = analyzer();
        self.rows
            .iter()
            .zip(&self.terms)
            .map(|(p, cell)| &**cell.get_or_init(|| row_terms(&mut an, &p.description)))
            .collect()
    }

    /// Takes rows' terms kept by the store (in row order). Nothing is taken
    /// unless there is one line of terms per row and the first and last
    /// rows' agree with their descriptions (false: left to work out).
    pub fn preload_terms(&self, terms: Vec<Box<str>>) -> bool {
        if terms.len() != self.rows.len() {
            return false;
        }
        let mut an = analyzer();
        for i in [0, self.rows.len().saturating_sub(1)] {
            if let (Some(p), Some(t)) = (self.rows.get(i), terms.get(i))
                && row_terms(&mut an, &p.description) != *t
            {
                return false;
            }
        }
        for (cell, t) in self.terms.iter().zip(terms) {
            let _already = cell.set(t);
        }
        true
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}
