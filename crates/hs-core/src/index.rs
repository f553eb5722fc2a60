//! The full-text index: a tantivy index with one document per HS subheading
//! (its own text, its heading's and chapter's, the national lines under it,
//! aliases and the notes that send goods to it), built on first use into a
//! temporary folder and renamed into place, fingerprinted and rebuilt when
//! the schema, the analyzer or the data change.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument};
use thiserror::Error;

use crate::index_folder::{
    self as folder, FINGERPRINT_FILE, FileStamp, Folder, ReadOnlyDir, VOCAB_FILE,
};
use crate::load::{Dataset, input_files};
use crate::notes::clauses;
use crate::text::{normalize, strip_exclusions, without_structure_words};
use crate::tree::{Level, NodeId, Tree};

/// Bumped whenever the fields or what goes into them change.
pub const SCHEMA_VERSION: u32 = 5;
/// Bumped whenever the analyzer or text normalisation changes.
pub const ANALYZER_VERSION: u32 = 4;
/// The name the analyzer is registered under (it is not saved in the index).
pub const ANALYZER: &str = "hs_en";

#[derive(Debug, Error)]
pub enum IndexError {
    #[error("index at {path}: {source}")]
    Tantivy {
        path: PathBuf,
        source: tantivy::TantivyError,
    },
    #[error("index folder {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "index path {path} is not a folder; hs leaves it untouched (pass --index or HS_INDEX_DIR a folder that does not exist yet, an empty folder or an index hs made)"
    )]
    NotFolder { path: PathBuf },
    #[error(
        "index folder {path} is not an index hs made: {why}; hs leaves it untouched (pass --index or HS_INDEX_DIR a folder that does not exist yet, an empty folder or an index hs made)"
    )]
    NotIndex { path: PathBuf, why: String },
    #[error(
        "the index in {path} must be rebuilt ({reason}) but hs cannot write beside it ({source}); make {parent} writable or pass --index a writable folder"
    )]
    ReadOnly {
        path: PathBuf,
        parent: PathBuf,
        reason: String,
        source: std::io::Error,
    },
    #[error("reference data file {path}: {source}")]
    Data {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("index at {path}: {msg}")]
    Invalid { path: PathBuf, msg: String },
    /// The reference files to fingerprint could not be listed.
    #[error(transparent)]
    Load(#[from] crate::load::LoadError),
}

impl IndexError {
    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> IndexError + '_ {
        move |source| IndexError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The text fields of a subheading document, in the order of [`FIELD_NAMES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextField {
    Own,
    Heading,
    Chapter,
    Lines,
    /// Words of the EU CN lines under the subheading the other fields lack.
    EuLines,
    Alias,
    Notes,
}

pub const TEXT_FIELDS: [TextField; 7] = [
    TextField::Own,
    TextField::Heading,
    TextField::Chapter,
    TextField::Lines,
    TextField::EuLines,
    TextField::Alias,
    TextField::Notes,
];

impl TextField {
    pub fn name(self) -> &'static str {
        match self {
            TextField::Own => "own",
            TextField::Heading => "heading",
            TextField::Chapter => "chapter",
            TextField::Lines => "lines",
            TextField::EuLines => "eu_lines",
            TextField::Alias => "alias",
            TextField::Notes => "notes",
        }
    }
}

/// The schema's fields.
#[derive(Debug, Clone)]
pub struct Fields {
    pub sub: Field,
    pub text: HashMap<TextField, Field>,
}

pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(ANALYZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let opts = TextOptions::default().set_indexing_options(indexing);
    let sub = b.add_u64_field("sub", FAST | STORED);
    let text = TEXT_FIELDS
        .iter()
        .map(|&f| (f, b.add_text_field(f.name(), opts.clone())))
        .collect();
    (b.build(), Fields { sub, text })
}

/// The analyzer: simple tokens, long ones dropped, lowercased, ASCII-folded,
/// English stop words removed, English (Porter) stemming.
pub fn analyzer() -> TextAnalyzer {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    match StopWordFilter::new(Language::English) {
        Some(stop) => builder
            .filter(stop)
            .filter(Stemmer::new(Language::English))
            .build(),
        None => builder.filter(Stemmer::new(Language::English)).build(),
    }
}

/// Most words a thread remembers the term of (see [`analyze`]); past it the
/// memory is emptied and starts again.
pub const TERM_MEMORY_LIMIT: usize = 100_000;

/// The analyzer drops tokens of this many bytes or more; no longer word's
/// term is remembered either (see [`analyze`]): a long word is not kept for
/// nothing.
pub const LONGEST_TOKEN: usize = 40;

thread_local! {
    /// Each word met (a run of letters and digits, as the tokenizer cuts
    /// text) and its term, or `None` for a word the analyzer drops.
    static TERMS: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, Option<Box<str>>>> =
        std::cell::RefCell::new(rustc_hash::FxHashMap::default());
}

/// Runs the analyzer over text, returning its terms in order.
///
/// The analyzer's tokenizer cuts text into runs of letters and digits and
/// each filter works on one token alone, so a word's term is the same
/// wherever it stands: each thread remembers the terms of the words it has
/// met (at most [`TERM_MEMORY_LIMIT`], none longer than
/// [`LONGEST_TOKEN`] bytes) and runs the analyzer only on a new word.
/// The texts of the nomenclature and of the queries share most words;
/// stemming was about a tenth of the work of a query. The memory assumes
/// the analyzer is [`analyzer`]'s, as every caller's is.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    TERMS.with(|cell| {
        let mut memory = cell.borrow_mut();
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if word.is_empty() {
                continue;
            }
            if let Some(term) = memory.get(word) {
                out.extend(term.as_deref().map(str::to_string));
                continue;
            }
            let mut stream = analyzer.token_stream(word);
            let term = stream.advance().then(|| stream.token().text.clone());
            // A word is one token; more would mean another tokenizer, whose
            // terms are not a word's alone: keep them all, remember none.
            if stream.advance() {
                out.extend(term);
                out.push(stream.token().text.clone());
                while stream.advance() {
                    out.push(stream.token().text.clone());
                }
                continue;
            }
            if word.len() > LONGEST_TOKEN {
                out.extend(term);
                continue;
            }
            if memory.len() >= TERM_MEMORY_LIMIT {
                memory.clear();
            }
            memory.insert(word.into(), term.as_deref().map(Box::from));
            out.extend(term);
        }
    });
    out
}

/// Calls `f` with each live document of a segment that holds `term`, in
/// document order, read straight from the postings (no scoring): for
/// searches that score documents themselves.
pub fn each_posting(
    segment: &tantivy::SegmentReader,
    inverted: &tantivy::InvertedIndexReader,
    term: &tantivy::Term,
    f: impl FnMut(tantivy::DocId),
) -> tantivy::Result<()> {
    match inverted.get_term_info(term)? {
        Some(info) => each_posting_of(segment, inverted, &info, f),
        None => Ok(()),
    }
}

/// As [`each_posting`], for a term already looked up in the segment's
/// dictionary (a caller that also needs its document frequency looks it up
/// once).
pub fn each_posting_of(
    segment: &tantivy::SegmentReader,
    inverted: &tantivy::InvertedIndexReader,
    info: &tantivy::postings::TermInfo,
    mut f: impl FnMut(tantivy::DocId),
) -> tantivy::Result<()> {
    let mut block = inverted.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
    let alive = segment.alive_bitset();
    while !block.docs().is_empty() {
        for &doc in block.docs() {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                f(doc);
            }
        }
        block.advance();
    }
    Ok(())
}

/// What the index folder records about how it was made.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Fingerprint {
    pub schema_version: u32,
    pub analyzer_version: u32,
    pub data: String,
    pub tables: u64,
    pub hs_version: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexMeta {
    pub fingerprint: Fingerprint,
    /// Seconds since the Unix epoch.
    pub built_at: u64,
    pub documents: u64,
    pub build_ms: u64,
    /// Every file of the index with its checksum, to detect damage.
    #[serde(default)]
    pub files: Vec<FileStamp>,
    /// The reference files the index was built from, with their checksums
    /// (the checksums are in the fingerprint; sizes and times let an
    /// unchanged file go unread).
    #[serde(default)]
    pub data_files: Vec<FileStamp>,
}

/// The fingerprint of the index hs would build from `data_dir` now, with
/// the stamps of its reference files. The data part is a content checksum
/// of every file [`input_files`] lists and of the EU CN codes file (or
/// that it is missing); a file whose size and modification
/// time match a stamp in `known` is not read again.
pub fn fingerprint(
    data_dir: &Path,
    known: &[FileStamp],
) -> Result<(Fingerprint, Vec<FileStamp>), IndexError> {
    let mut data = String::new();
    let mut stamps = Vec::new();
    // The EU CN lines add words to the documents ([`cn_texts`]).
    let mut inputs = input_files(data_dir)?;
    inputs.push(data_dir.join(crate::cn::CN_CODES_JSON));
    for path in inputs {
        let name = path
            .strip_prefix(data_dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        let prior = known.iter().find(|k| k.name == name);
        match folder::stamp(&path, &name, prior) {
            Ok(st) => {
                data.push_str(&format!("{name}:{};", st.sha256));
                stamps.push(st);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                data.push_str(&format!("{name}:missing;"));
            }
            Err(source) => return Err(IndexError::Data { path, source }),
        }
    }
    let fp = Fingerprint {
        schema_version: SCHEMA_VERSION,
        analyzer_version: ANALYZER_VERSION,
        data,
        tables: crate::alias::tables_fingerprint(),
        hs_version: env!("CARGO_PKG_VERSION").to_string(),
    };
    Ok((fp, stamps))
}

/// The texts that go into one subheading's document.
pub fn document_texts(
    ds: &Dataset,
    alias_by_sub: &HashMap<NodeId, Vec<String>>,
    notes_by_heading: &HashMap<String, Vec<String>>,
    cn_by_sub: &HashMap<String, Vec<String>>,
    sub: NodeId,
) -> BTreeMap<&'static str, String> {
    let tree = &ds.tree;
    let node = tree.node(sub);
    let mut heading = String::new();
    let mut chapter = String::new();
    for a in tree.ancestors(sub) {
        match a.level {
            Level::Heading | Level::Group => {
                heading.push_str(&strip_exclusions(&a.text));
                heading.push_str(". ");
            }
            Level::Chapter => chapter = strip_exclusions(&a.text),
            _ => {}
        }
    }
    let mut lines = String::new();
    for d in tree.descendants(sub) {
        lines.push_str(&strip_exclusions(&d.text));
        lines.push_str(". ");
    }
    // The EU CN lines under the subheading add the words the HS and US
    // texts do not have ("cowberries" under 0810.40): each word
    // whose stem is new, once, so words both schedules use are not counted
    // twice.
    let eu_lines = node
        .code
        .as_ref()
        .and_then(|c| cn_by_sub.get(c.digits()))
        .map(|cn| {
            new_words(
                &[&node.text, &heading, &lines],
                cn.iter().map(String::as_str),
            )
        })
        .unwrap_or_default();
    let alias = alias_by_sub
        .get(&sub)
        .map(|v| v.join(". "))
        .unwrap_or_default();
    let heading_digits = node
        .code
        .as_ref()
        .and_then(|c| c.prefix(4))
        .map(|c| c.digits().to_string())
        .unwrap_or_default();
    let notes = notes_by_heading
        .get(&heading_digits)
        .map(|v| v.join(" "))
        .unwrap_or_default();
    // Chapters 28, 29 and 31 word a chemical's structure ("an unfused
    // pyrimidine ring in the structure", "radioactive elements", "the two
    // fertilising elements"): those words are left out of their texts, so
    // goods called rings or elements are not read as chemicals (the
    // chemical names still match).
    let chemical = matches!(tree.chapter_of(sub), 28 | 29 | 31);
    let tariff = |t: &str| {
        if chemical {
            normalize(&without_structure_words(t))
        } else {
            normalize(t)
        }
    };
    let mut m = BTreeMap::new();
    m.insert(TextField::Own.name(), tariff(&strip_exclusions(&node.text)));
    m.insert(TextField::Heading.name(), tariff(&heading));
    m.insert(TextField::Chapter.name(), tariff(&chapter));
    m.insert(TextField::Lines.name(), tariff(&lines));
    m.insert(TextField::EuLines.name(), tariff(&eu_lines));
    m.insert(TextField::Alias.name(), normalize(&alias));
    m.insert(TextField::Notes.name(), tariff(&notes));
    m
}

/// Aliases grouped by the subheading they point into. An alias naming a
/// heading counts for each of its subheadings.
pub fn aliases_by_subheading(ds: &Dataset) -> HashMap<NodeId, Vec<String>> {
    let tree = &ds.tree;
    let mut out: HashMap<NodeId, Vec<String>> = HashMap::new();
    for a in &ds.aliases {
        let Some(node) = a.target(tree) else {
            continue;
        };
        if node.level == Level::Subheading {
            out.entry(node.id).or_default().push(a.phrase.clone());
        } else if node.level == Level::Heading {
            for d in tree.descendants(node.id) {
                if d.level == Level::Subheading {
                    out.entry(d.id).or_default().push(a.phrase.clone());
                }
            }
        }
    }
    out
}

/// Note clauses that name a heading are evidence for that heading, whether
/// they include or exclude goods where they stand (an exclusion in one
/// chapter sends the goods to the heading it names). Clause text with the
/// heading numbers and cross-reference boilerplate removed.
pub fn notes_by_heading(ds: &Dataset) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    let all = ds.notes.sections.values().chain(ds.notes.chapters.values());
    for note in all {
        for clause in clauses(note) {
            if clause.headings.is_empty() || clause.headings.len() > 4 {
                continue;
            }
            let text = clean_clause(&clause.text);
            if text.split_whitespace().count() < 2 {
                continue;
            }
            for h in &clause.headings {
                if ds.tree.get_digits(h).is_some() {
                    out.entry(h.clone()).or_default().push(text.clone());
                }
            }
        }
    }
    out
}

fn clean_clause(text: &str) -> String {
    let t = strip_exclusions(text);
    let mut out = String::new();
    for w in t.split_whitespace() {
        let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
        if crate::text::has_digit(bare) {
            continue;
        }
        let lower = bare.to_ascii_lowercase();
        if matches!(
            lower.as_str(),
            "heading"
                | "headings"
                | "subheading"
                | "subheadings"
                | "chapter"
                | "chapters"
                | "section"
                | "note"
                | "notes"
                | "see"
                | "cover"
                | "covers"
                | "does"
                | "classified"
                | "classifiable"
                | "falling"
                | "fall"
        ) {
            continue;
        }
        out.push_str(bare);
        out.push(' ');
    }
    out
}

/// The words of `extra` whose analysed terms `known` (and the words of
/// `extra` before them) do not have, in order, separated by spaces.
fn new_words<'a>(known: &[&str], extra: impl Iterator<Item = &'a str>) -> String {
    let mut an = analyzer();
    let mut seen: std::collections::HashSet<String> = known
        .iter()
        .flat_map(|t| analyze(&mut an, &normalize(t)))
        .collect();
    let mut out = String::new();
    for text in extra {
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            let terms = analyze(&mut an, &normalize(word));
            if terms.iter().any(|t| !seen.contains(t)) {
                out.push_str(word);
                out.push(' ');
                seen.extend(terms);
            }
        }
    }
    out
}

/// The texts of the EU CN lines under each HS subheading (six digits),
/// exclusion clauses removed and "Other" left out; none when the data
/// folder has no CN file (the CN is optional: `--schedule eu` says so).
///
/// # Errors
/// A CN file that is there but cannot be read or is damaged.
fn cn_texts(ds: &Dataset) -> Result<HashMap<String, Vec<String>>, IndexError> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    let path = ds.dir.join(crate::cn::CN_CODES_JSON);
    match fs::metadata(&path) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(source) => return Err(IndexError::Data { path, source }),
    }
    let cn = crate::cn::CnSchedule::load(&ds.dir, &ds.tree)?;
    for line in cn.lines() {
        let text = strip_exclusions(&line.text);
        if text.trim().is_empty() || text.trim().eq_ignore_ascii_case("other") {
            continue;
        }
        out.entry(line.hs6.digits().to_string())
            .or_default()
            .push(text);
    }
    Ok(out)
}

/// Builds the index for `ds` into `dir`, a new folder it creates (or an
/// empty one), marked as made by hs before anything else is written.
pub fn build_into(
    ds: &Dataset,
    dir: &Path,
    fp: &Fingerprint,
    data_files: &[FileStamp],
) -> Result<IndexMeta, IndexError> {
    let started = std::time::Instant::now();
    let terr = |source| IndexError::Tantivy {
        path: dir.to_path_buf(),
        source,
    };
    folder::create_marked(dir).map_err(IndexError::io(dir))?;
    let (schema, fields) = schema();
    let index = Index::create_in_dir(dir, schema).map_err(terr)?;
    index.tokenizers().register(ANALYZER, analyzer());
    let mut writer = index
        .writer_with_num_threads::<TantivyDocument>(1, 64_000_000)
        .map_err(terr)?;
    let alias_by_sub = aliases_by_subheading(ds);
    let notes = notes_by_heading(ds);
    let cn = cn_texts(ds)?;
    let mut vocab: HashMap<String, u32> = HashMap::new();
    let mut count = 0u64;
    for node in ds.tree.nodes().filter(|n| n.level == Level::Subheading) {
        let Some(code) = &node.code else { continue };
        if crate::tree::is_special_chapter(code.chapter()) {
            continue; // US chapters 98/99: shown, never suggested.
        }
        let sub = code
            .digits()
            .parse::<u64>()
            .map_err(|e| IndexError::Invalid {
                path: dir.to_path_buf(),
                msg: format!("subheading {code} is not a number: {e}"),
            })?;
        let texts = document_texts(ds, &alias_by_sub, &notes, &cn, node.id);
        let mut doc = TantivyDocument::default();
        doc.add_u64(fields.sub, sub);
        for f in TEXT_FIELDS {
            let t = texts.get(f.name()).cloned().unwrap_or_default();
            for w in t.split(|c: char| !c.is_alphanumeric()) {
                if w.len() >= 3 && w.chars().all(|c| c.is_alphabetic()) {
                    *vocab.entry(w.to_string()).or_default() += 1;
                }
            }
            doc.add_text(fields.text[&f], t);
        }
        writer.add_document(doc).map_err(terr)?;
        count += 1;
    }
    writer.commit().map_err(terr)?;
    writer.wait_merging_threads().map_err(terr)?;
    let mut vocab: Vec<(String, u32)> = vocab.into_iter().collect();
    vocab.sort();
    let vocab_text: String = vocab.iter().map(|(w, n)| format!("{w}\t{n}\n")).collect();
    write_file(&dir.join(VOCAB_FILE), vocab_text.as_bytes())?;
    let files = folder::stamp_index_files(dir).map_err(IndexError::io(dir))?;
    let meta = IndexMeta {
        fingerprint: fp.clone(),
        built_at: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        documents: count,
        build_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        files,
        data_files: data_files.to_vec(),
    };
    let json = serde_json::to_vec_pretty(&meta).map_err(|e| IndexError::Invalid {
        path: dir.to_path_buf(),
        msg: format!("cannot write the fingerprint: {e}"),
    })?;
    // Written last: an index without it is incomplete.
    write_file(&dir.join(FINGERPRINT_FILE), &json)?;
    Ok(meta)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), IndexError> {
    fs::write(path, bytes).map_err(IndexError::io(path))
}

/// Reads the recorded meta of an index folder, if it is complete.
pub fn read_meta(dir: &Path) -> Option<IndexMeta> {
    let bytes = fs::read(dir.join(FINGERPRINT_FILE)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// An open index, ready to search.
pub struct OpenIndex {
    pub dir: PathBuf,
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub meta: IndexMeta,
    /// doc address (segment ordinal, doc id) -> subheading digits.
    pub doc_sub: Vec<Vec<u64>>,
    /// Normalised words of the indexed text with their document counts.
    pub vocab: HashMap<String, u32>,
    /// Subheading digits -> the terms of its [`TextField::EuLines`] field,
    /// read from the index (for the reasons shown: "eu_line").
    pub eu_terms: HashMap<u64, Vec<String>>,
}

impl OpenIndex {
    /// Opens an existing index folder read-only (nothing in the folder is
    /// created or changed), registering the analyzer again. It does not
    /// check the files' checksums: [`inspect`] does.
    pub fn open(dir: &Path) -> Result<OpenIndex, IndexError> {
        let terr = |source| IndexError::Tantivy {
            path: dir.to_path_buf(),
            source,
        };
        let meta = read_meta(dir).ok_or_else(|| IndexError::Io {
            path: dir.join(FINGERPRINT_FILE),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "missing or unreadable fingerprint",
            ),
        })?;
        let index = Index::open(ReadOnlyDir::open(dir).map_err(terr)?).map_err(terr)?;
        index.tokenizers().register(ANALYZER, analyzer());
        let (expected, fields) = schema();
        if index.schema() != expected {
            return Err(terr(tantivy::TantivyError::SchemaError(
                "schema differs from this version of hs".into(),
            )));
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(terr)?;
        let searcher = reader.searcher();
        let mut doc_sub = Vec::new();
        for seg in searcher.segment_readers() {
            let col = seg.fast_fields().u64("sub").map_err(terr)?;
            let mut v = Vec::with_capacity(seg.max_doc() as usize);
            for d in 0..seg.max_doc() {
                v.push(col.first(d).ok_or_else(|| IndexError::Invalid {
                    path: dir.to_path_buf(),
                    msg: format!("document {d} has no subheading"),
                })?);
            }
            doc_sub.push(v);
        }
        let eu_terms =
            eu_terms(&searcher, fields.text[&TextField::EuLines], &doc_sub).map_err(terr)?;
        let vocab_text = fs::read_to_string(dir.join(VOCAB_FILE))
            .map_err(IndexError::io(&dir.join(VOCAB_FILE)))?;
        let mut vocab = HashMap::new();
        for (i, l) in vocab_text.lines().enumerate() {
            let parsed = l
                .split_once('\t')
                .and_then(|(w, n)| Some((w.to_string(), n.parse().ok()?)));
            let Some((w, n)) = parsed else {
                return Err(IndexError::Invalid {
                    path: dir.join(VOCAB_FILE),
                    msg: format!("line {} is not a word and a count", i + 1),
                });
            };
            vocab.insert(w, n);
        }
        Ok(OpenIndex {
            dir: dir.to_path_buf(),
            index,
            reader,
            fields,
            meta,
            doc_sub,
            vocab,
            eu_terms,
        })
    }
}

/// Each subheading's terms in `field`, read from the term dictionary and
/// postings of every segment (a few thousand terms).
fn eu_terms(
    searcher: &tantivy::Searcher,
    field: tantivy::schema::Field,
    doc_sub: &[Vec<u64>],
) -> tantivy::Result<HashMap<u64, Vec<String>>> {
    let mut out: HashMap<u64, Vec<String>> = HashMap::new();
    for (seg, reader) in searcher.segment_readers().iter().enumerate() {
        let inverted = reader.inverted_index(field)?;
        let mut stream = inverted.terms().stream()?;
        while stream.advance() {
            let term = String::from_utf8_lossy(stream.key()).into_owned();
            each_posting_of(reader, &inverted, stream.value(), |doc| {
                if let Some(&sub) = doc_sub.get(seg).and_then(|v| v.get(doc as usize)) {
                    out.entry(sub).or_default().push(term.clone());
                }
            })?;
        }
    }
    Ok(out)
}

/// Where the index lives: `--index`, then `$HS_INDEX_DIR`, then `index/` at
/// the repository root when run from inside the repository, then the
/// user's cache folder.
pub fn resolve_index_dir(cli: Option<&Path>) -> PathBuf {
    if let Some(p) = cli {
        return p.to_path_buf();
    }
    if let Some(p) = std::env::var_os("HS_INDEX_DIR").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    // The repository root: this crate lives at `crates/hs-core`.
    let repo = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    if let Ok(cwd) = std::env::current_dir()
        && let (Ok(cwd), Ok(repo)) = (cwd.canonicalize(), repo.canonicalize())
        && cwd.starts_with(&repo)
    {
        return repo.join("index");
    }
    dirs::cache_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("hs")
        .join("index")
}

/// What happened while making sure an index is ready.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexEvent {
    Built {
        dir: PathBuf,
        ms: u64,
        reason: String,
    },
    /// A folder a killed build left beside the index was removed.
    Cleaned { path: PathBuf },
}

/// The state of the index at a path, against the data it would be built
/// from now.
#[derive(Debug, Clone)]
pub enum IndexState {
    /// No index (nothing at the path, or an empty folder).
    Missing,
    /// Built from this data by this version of hs, every file intact.
    Current(Box<IndexMeta>),
    /// Intact but built from other data or by another version of hs.
    Stale {
        meta: Box<IndexMeta>,
        reason: String,
    },
    /// An index hs made that is incomplete or whose files changed since it
    /// was built.
    Damaged { reason: String },
}

impl IndexState {
    /// Why a build is needed, or None when the index is current.
    pub fn rebuild_reason(&self) -> Option<String> {
        match self {
            IndexState::Missing => Some("no index yet".into()),
            IndexState::Current(_) => None,
            IndexState::Stale { reason, .. } => Some(reason.clone()),
            IndexState::Damaged { reason } => Some(format!("index damaged: {reason}")),
        }
    }
}

/// Refuses a path that is not a folder or holds what hs did not make.
fn ensure_ours(dir: &Path) -> Result<Folder, IndexError> {
    match folder::classify(dir).map_err(IndexError::io(dir))? {
        Folder::NotFolder => Err(IndexError::NotFolder {
            path: dir.to_path_buf(),
        }),
        Folder::Foreign { why } => Err(IndexError::NotIndex {
            path: dir.to_path_buf(),
            why,
        }),
        f => Ok(f),
    }
}

/// Looks at the index at `dir`: whether it is there, current, stale or
/// damaged (a missing file, or a file whose checksum differs from the one
/// recorded when it was built; checksums are only computed for files whose
/// size or modification time changed). A path that is not a folder, or a
/// folder hs did not make, is an error. The one change it makes: a current
/// index's record of the reference files' modification times is brought up
/// to date (see [`refresh_data_stamps`]).
pub fn inspect(dir: &Path, data_dir: &Path) -> Result<IndexState, IndexError> {
    if matches!(ensure_ours(dir)?, Folder::Absent | Folder::Empty) {
        return Ok(IndexState::Missing);
    }
    let meta = match fs::read(dir.join(FINGERPRINT_FILE)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(IndexState::Damaged {
                reason: "incomplete (no fingerprint; a build was stopped?)".into(),
            });
        }
        Err(e) => {
            return Err(IndexError::Io {
                path: dir.join(FINGERPRINT_FILE),
                source: e,
            });
        }
        Ok(bytes) => match serde_json::from_slice::<IndexMeta>(&bytes) {
            Ok(m) => m,
            Err(e) => {
                return Ok(IndexState::Damaged {
                    reason: format!("{FINGERPRINT_FILE} unreadable ({e})"),
                });
            }
        },
    };
    let (fp, fresh) = fingerprint(data_dir, &meta.data_files)?;
    if meta.fingerprint != fp {
        let reason = if meta.fingerprint.data != fp.data {
            "the reference data changed"
        } else {
            "hs changed (version, schema, analyzer or tables)"
        };
        return Ok(IndexState::Stale {
            meta: Box::new(meta),
            reason: reason.into(),
        });
    }
    if let Err(reason) = folder::verify_index_files(dir, &meta.files) {
        return Ok(IndexState::Damaged { reason });
    }
    let meta = if fresh != meta.data_files {
        refresh_data_stamps(dir, meta, fresh)
    } else {
        meta
    };
    Ok(IndexState::Current(Box::new(meta)))
}

/// Records the new modification times of reference files whose content is
/// unchanged (copied again, checked out again), so that the next run does
/// not read them through to compare checksums. The fingerprint file is
/// replaced by a rename, never left half written. Only a cache: when the
/// folder cannot be written the index is still current and is used as it
/// is (the files are then read at each run).
fn refresh_data_stamps(dir: &Path, mut meta: IndexMeta, fresh: Vec<FileStamp>) -> IndexMeta {
    meta.data_files = fresh;
    if let Ok(json) = serde_json::to_vec_pretty(&meta) {
        // One name per process: two runs refreshing at once never write
        // into the same file.
        let tmp = dir.join(format!(
            "{}-{}",
            folder::FINGERPRINT_NEW_FILE,
            std::process::id()
        ));
        // Not written (a read-only folder): the stamps are checked again
        // by the next run, which is all this costs.
        let _ = crate::fsio::write_whole(&dir.join(FINGERPRINT_FILE), &tmp, false, |f| {
            f.write_all(&json)
        });
    }
    meta
}

/// The path itself when it does not exist, else its real path (so a
/// symbolic link to the index is followed, never replaced).
fn real_path(dir: &Path) -> PathBuf {
    fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())
}

/// True for the errors of a folder hs may not write.
fn is_read_only(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
}

/// Opens the index at `dir`, building it first when it is missing, stale
/// or damaged; `force` rebuilds regardless. An up-to-date index is opened
/// read-only: nothing is written. The build happens in a sibling temporary
/// folder renamed into place, so a killed build never leaves a broken index
/// and concurrent builders do not clash; folders killed builds left are
/// removed first. Only folders hs made are ever replaced or removed.
pub fn ensure(
    ds: &Dataset,
    dir: &Path,
    force: bool,
) -> Result<(OpenIndex, Vec<IndexEvent>), IndexError> {
    let dir = &real_path(dir);
    let mut events = Vec::new();
    let state = inspect(dir, &ds.dir)?;
    let reason = match (&state, force) {
        (_, true) => "rebuild requested".to_string(),
        (IndexState::Current(_), false) => match OpenIndex::open(dir) {
            Ok(idx) => return Ok((idx, events)),
            Err(e) => format!("index damaged: {e}"),
        },
        (s, false) => s.rebuild_reason().unwrap_or_default(),
    };
    let parent = folder::parent_of(dir);
    let read_only = |source: std::io::Error| IndexError::ReadOnly {
        path: dir.to_path_buf(),
        parent: parent.clone(),
        reason: reason.clone(),
        source,
    };
    fs::create_dir_all(&parent).map_err(|e| {
        if is_read_only(&e) {
            read_only(e)
        } else {
            IndexError::io(&parent)(e)
        }
    })?;
    for path in folder::clean_leftovers(dir).map_err(IndexError::io(&parent))? {
        events.push(IndexEvent::Cleaned { path });
    }
    let (fp, data_files) = fingerprint(&ds.dir, &[])?;
    let tmp = folder::tmp_sibling(dir);
    let meta = match build_into(ds, &tmp, &fp, &data_files) {
        Ok(m) => m,
        Err(e) => {
            // Only a folder this build made (it holds the marker).
            if tmp.join(folder::MARKER_FILE).is_file() {
                let _ = fs::remove_dir_all(&tmp);
            }
            return Err(match e {
                IndexError::Io { source, .. } if is_read_only(&source) => read_only(source),
                e => e,
            });
        }
    };
    let discard_tmp = || fs::remove_dir_all(&tmp).map_err(IndexError::io(&tmp));
    // Another process may have finished a good index meanwhile: use it
    // rather than pull it from under its readers (unless a rebuild was
    // asked for: the index in place is then the one to replace).
    if !force
        && matches!(inspect(dir, &ds.dir), Ok(IndexState::Current(_)))
        && let Ok(idx) = OpenIndex::open(dir)
    {
        discard_tmp()?;
        return Ok((idx, events));
    }
    // Move the old index aside (only one hs made), then the new one into
    // place; an empty folder is replaced by the rename itself.
    let mut old = None;
    match ensure_ours(dir) {
        Ok(Folder::Ours) => {
            let aside = folder::old_sibling(dir);
            match fs::rename(dir, &aside) {
                Ok(()) => old = Some(aside),
                // Another process moved it first.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    discard_tmp()?;
                    return Err(IndexError::io(dir)(e));
                }
            }
        }
        Ok(_) => {}
        Err(e) => {
            discard_tmp()?;
            return Err(e);
        }
    }
    let placed = fs::rename(&tmp, dir);
    if let Some(old) = old {
        fs::remove_dir_all(&old).map_err(IndexError::io(&old))?;
    }
    if let Err(e) = placed {
        // Another process put an index in place first: use it if it is good.
        discard_tmp()?;
        if matches!(inspect(dir, &ds.dir)?, IndexState::Current(_)) {
            let idx = OpenIndex::open(dir)?;
            return Ok((idx, events));
        }
        return Err(IndexError::Io {
            path: dir.to_path_buf(),
            source: std::io::Error::new(
                e.kind(),
                format!("could not move the new index into place: {e}"),
            ),
        });
    }
    events.push(IndexEvent::Built {
        dir: dir.to_path_buf(),
        ms: meta.build_ms,
        reason,
    });
    let idx = OpenIndex::open(dir)?;
    Ok((idx, events))
}

/// The subheadings of a tree, for counting.
pub fn subheading_count(tree: &Tree) -> usize {
    tree.nodes()
        .filter(|n| n.level == Level::Subheading)
        .count()
}

#[cfg(test)]
mod analyze_tests {
    use super::*;

    /// The analyzer's terms, read straight from its token stream.
    fn streamed(an: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut stream = an.token_stream(text);
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn remembered_terms_are_the_analyzers() {
        let mut an = analyzer();
        let long = "x".repeat(45);
        for text in [
            "Men's cotton knitted T-shirts, of the kind used for sports",
            "CAFÉ crème: naïve Ångström units (über) 3D printers 12V/2A",
            "the and of for other than",
            &format!("{long} short {long}"),
            "",
            "  ,,; ",
            "niño ÆØÅ ǅungla ﬁnest",
        ] {
            let want = streamed(&mut an, text);
            // Twice: the first time read, the second remembered.
            assert_eq!(analyze(&mut an, text), want, "{text}");
            assert_eq!(analyze(&mut an, text), want, "{text}");
        }
    }

    #[test]
    fn only_words_with_new_stems_are_added_once() {
        let known = ["Other made up articles", "Dress patterns. "];
        let extra = [
            "Knitted or crocheted",
            "Of felt; knitted articles",
            "Patterns",
        ];
        // "or", "of" are stop words; "articles" and "patterns" stem to
        // known terms; "knitted" the second time is no longer new.
        assert_eq!(
            new_words(&known, extra.iter().copied()),
            "Knitted crocheted felt "
        );
        assert_eq!(new_words(&known, std::iter::empty()), "");
    }
}
