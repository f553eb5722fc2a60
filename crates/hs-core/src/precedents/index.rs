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

use rustc_hash::FxHashMap;

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
    /// Every row's analysed terms ([`row_terms`]), in row order: read from
    /// the store, or worked out on first use.
    pub(crate) terms: OnceLock<Vec<Box<str>>>,
    /// The same terms as numbers, made on the first vote.
    pub(crate) ids: OnceLock<RowIds>,
}

/// A set's index opened and checked against the number of its rows,
/// waiting for the rows ([`OpenedIndex::with_rows`]).
pub struct OpenedIndex {
    reader: IndexReader,
    text: Field,
}

impl OpenedIndex {
    /// The opened set.
    pub fn with_rows(self, name: &str, file: &str, rows: Vec<Precedent>) -> PrecedentIndex {
        PrecedentIndex {
            name: name.to_string(),
            file: file.to_string(),
            terms: OnceLock::new(),
            ids: OnceLock::new(),
            rows,
            reader: self.reader,
            text: self.text,
        }
    }
}

/// Every row's analysed terms as term numbers, so the vote works out a
/// precedent's exact similarity without comparing strings, and each term's
/// rows (the set's postings, held in memory: about 8 bytes a term of a
/// row, 50 MB for a million rows of six terms).
#[derive(Debug, Default)]
pub struct RowIds {
    /// Term -> its number.
    pub dict: FxHashMap<Box<str>, u32>,
    /// By term number: whether the term holds a digit (a quantity, a size).
    pub digit: Vec<bool>,
    /// Row i's terms are `ids[start[i]..start[i + 1]]`, unique.
    start: Vec<u32>,
    ids: Vec<u32>,
    /// By row: how many of its terms hold a digit.
    digit_terms: Vec<u16>,
    /// The rows holding term i are `rows[at[i]..at[i + 1]]`, ascending:
    /// the set's postings, read from memory by the vote.
    at: Vec<u32>,
    rows: Vec<u32>,
}

impl RowIds {
    /// Numbers the terms of every row (one [`row_terms`] line a row).
    pub fn new<'a>(rows: impl IntoIterator<Item = &'a str>) -> RowIds {
        let mut r = RowIds {
            start: vec![0],
            ..RowIds::default()
        };
        for line in rows {
            let mut digits = 0u16;
            for t in line.split(' ').filter(|t| !t.is_empty()) {
                let id = match r.dict.get(t) {
                    Some(&id) => id,
                    None => {
                        let id = r.digit.len() as u32;
                        r.dict.insert(t.into(), id);
                        r.digit.push(crate::text::has_digit(t));
                        id
                    }
                };
                if r.digit.get(id as usize).copied().unwrap_or(false) {
                    digits = digits.saturating_add(1);
                }
                r.ids.push(id);
            }
            r.start.push(u32::try_from(r.ids.len()).unwrap_or(u32::MAX));
            r.digit_terms.push(digits);
        }
        // Postings: count each term's rows, then place them in row order.
        let mut at = vec![0u32; r.digit.len() + 1];
        for &id in &r.ids {
            if let Some(n) = at.get_mut(id as usize + 1) {
                *n += 1;
            }
        }
        for i in 1..at.len() {
            at[i] += at[i - 1];
        }
        let mut next = at.clone();
        let mut rows = vec![0; r.ids.len()];
        for row in 0..r.digit_terms.len() {
            for &id in r.row(row) {
                if let Some(n) = next.get_mut(id as usize)
                    && let Some(slot) = rows.get_mut(*n as usize)
                {
                    *slot = row as u32;
                    *n += 1;
                }
            }
        }
        r.at = at;
        r.rows = rows;
        r
    }

    /// The rows holding term number `id`, ascending (none for a number
    /// it does not hold).
    pub fn rows_of(&self, id: u32) -> &[u32] {
        match (self.at.get(id as usize), self.at.get(id as usize + 1)) {
            (Some(&a), Some(&b)) => self.rows.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The weight of row `row`'s terms: one a term, `number_term` for a
    /// term with a digit.
    pub fn weight(&self, row: usize, number_term: f32) -> f32 {
        let all = self.row(row).len() as f32;
        let digits = self.digit_terms.get(row).copied().unwrap_or(0) as f32;
        all - digits + digits * number_term
    }

    /// Row `row`'s term numbers (empty for a row it does not hold).
    pub fn row(&self, row: usize) -> &[u32] {
        match (self.start.get(row), self.start.get(row + 1)) {
            (Some(&a), Some(&b)) => self.ids.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
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
        Ok(Self::open_index(dir, rows.len())?.with_rows(name, file, rows))
    }

    /// Opens an index folder for `rows` rows, without the rows yet (so a
    /// caller keeps them when the index turns out damaged).
    /// The folder is opened read-only (a store in a read-only folder is
    /// searched), and each file's checksum is checked first: tantivy reads
    /// damaged files without noticing, or panics on them.
    pub fn open_index(dir: &Path, rows: usize) -> Result<OpenedIndex, PrecedentError> {
        let index = Index::open(crate::index_folder::ReadOnlyDir::open(dir).map_err(terr(dir))?)
            .map_err(terr(dir))?;
        let damaged = index.validate_checksum().map_err(terr(dir))?;
        if let Some(file) = damaged.iter().min() {
            return Err(PrecedentError::Store(format!(
                "{}: {} fails its checksum (damaged)",
                dir.display(),
                file.display()
            )));
        }
        if index.schema() != schema().0 {
            return Err(PrecedentError::Store(format!(
                "{}: the index schema differs from this version of hs",
                dir.display()
            )));
        }
        Self::opened(index, dir, rows)
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
        Ok(Self::opened(index, path, rows.len())?.with_rows(name, file, rows))
    }

    fn opened(index: Index, path: &Path, rows: usize) -> Result<OpenedIndex, PrecedentError> {
        index.tokenizers().register(ANALYZER, analyzer());
        let (_, text, _) = schema();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(terr(path))?;
        // Every document names a row of the set: an index that names
        // others is not this set's.
        let searcher = reader.searcher();
        for seg in searcher.segment_readers() {
            let col = seg.fast_fields().u64("row").map_err(terr(path))?;
            for d in 0..seg.max_doc() {
                let r = col.first(d).unwrap_or(u64::MAX);
                if r as usize >= rows {
                    return Err(PrecedentError::Store(format!(
                        "{}: the index names row {r} of {rows} rows; re-add the set",
                        PathBuf::from(path).display(),
                    )));
                }
            }
        }
        Ok(OpenedIndex { reader, text })
    }

    /// Every row's terms ([`row_terms`]), worked out if not yet: what
    /// the store keeps beside the rows so a run need not analyse them.
    pub fn all_terms(&self) -> &[Box<str>] {
        self.terms.get_or_init(|| {
            let mut an = analyzer();
            self.rows
                .iter()
                .map(|p| row_terms(&mut an, &p.description))
                .collect()
        })
    }

    /// Every row's terms as numbers ([`RowIds`]), made on first use.
    pub fn row_ids(&self) -> &RowIds {
        self.ids
            .get_or_init(|| RowIds::new(self.all_terms().iter().map(|t| &**t)))
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
        // Terms already worked out stay: they are the same.
        let _already = self.terms.set(terms);
        true
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}
