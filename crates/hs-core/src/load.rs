//! Loaders: find the reference data folder and read its files (HS 2022,
//! the US schedule (the newest revision in `us-hts/`, CSV or JSON export),
//! section titles, notes, UK search references) into one [`Dataset`] whose
//! [`Tree`] is the model every other module works from. Every file is
//! checked for the shape it must have, by rules that hold for any edition
//! (it parses to its end, every goods chapter has lines, every line has a
//! parent, every chapter has notes): a damaged file is an error naming the
//! file and what is missing, never a smaller model.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use thiserror::Error;

use crate::code::Code;
use crate::hts_json::{self, JsonLine};
use crate::notes::Notes;
use crate::tree::{DutyText, Footnote, Level, NodeId, Tree, goods_chapters, is_special_chapter};

/// Files read, relative to the data folder.
pub const HS2022_CSV: &str = "hs2022/harmonized-system.csv";
pub const HS2017_CSV: &str = "hs2017/harmonized-system.csv";
/// The Revision 4 CSV export (the schedule only when no newer revision is
/// in the folder: see [`find_schedule`]).
pub const HTS_CSV: &str = "us-hts/hts_2026_revision_4.csv";
/// The folder holding the US schedule's exports.
pub const HTS_DIR: &str = "us-hts";
pub const NOTES_MD: &str = "us-hts/section-chapter-notes.md";
pub const GRI_MD: &str = "us-hts/general-rules-of-interpretation.md";
pub const SECTIONS_JSON: &str = "us-hts/sections-and-chapters.json";
pub const UK_REFS_JSON: &str = "uk/search_references.json";

/// The model files whose names are fixed. The US schedule is found by
/// [`find_schedule`]; [`model_files`] lists them all.
pub const MODEL_FILES: &[&str] = &[HS2022_CSV, NOTES_MD, GRI_MD, SECTIONS_JSON, UK_REFS_JSON];

/// Every reference file the loader reads to make a [`Dataset`] (and so
/// what the index depends on), relative to `dir`: the fixed files and the
/// US schedule [`find_schedule`] picks.
pub fn model_files(dir: &Path) -> Result<Vec<String>, LoadError> {
    let schedule = find_schedule(dir)?;
    let mut out: Vec<String> = MODEL_FILES.iter().map(|s| s.to_string()).collect();
    out.insert(1, schedule.rel);
    Ok(out)
}

/// The format of a US schedule export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum ScheduleFormat {
    /// The USITC CSV export (no footnotes).
    #[default]
    Csv,
    /// The USITC JSON export (with footnotes); preferred over the CSV of
    /// the same revision.
    Json,
}

/// A US schedule file in the data folder, named as USITC names its
/// exports: `hts_2026_revision_12.json`, `hts_2027_basic_edition.csv`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScheduleFile {
    /// Path relative to the data folder (`us-hts/hts_2026_revision_12.json`).
    pub rel: String,
    pub year: u16,
    /// The revision; 0 for the basic edition.
    pub revision: u16,
    pub format: ScheduleFormat,
}

impl ScheduleFile {
    /// Reads an export's file name; None for any other file.
    pub fn from_file_name(name: &str) -> Option<ScheduleFile> {
        let lower = name.to_ascii_lowercase();
        let (stem, format) = if let Some(s) = lower.strip_suffix(".json") {
            (s, ScheduleFormat::Json)
        } else if let Some(s) = lower.strip_suffix(".csv") {
            (s, ScheduleFormat::Csv)
        } else {
            return None;
        };
        let parts: Vec<&str> = stem.split(['_', '-', ' ']).collect();
        let (year, revision) = match parts.as_slice() {
            ["hts", y, "revision" | "rev", r] => (y.parse().ok()?, r.parse().ok()?),
            ["hts", y, "basic", "edition"] | ["hts", y, "basic"] => (y.parse().ok()?, 0),
            _ => return None,
        };
        (year >= 1989).then(|| ScheduleFile {
            rel: format!("{HTS_DIR}/{name}"),
            year,
            revision,
            format,
        })
    }

    /// The schedule's name as output shows it: "US HTS 2026 Revision 12".
    pub fn name(&self) -> String {
        if self.revision == 0 {
            format!("US HTS {} Basic Edition", self.year)
        } else {
            format!("US HTS {} Revision {}", self.year, self.revision)
        }
    }
}

/// Every US schedule export in `dir/us-hts/`, oldest first (a JSON export
/// after the CSV of the same revision).
pub fn schedule_files(dir: &Path) -> Result<Vec<ScheduleFile>, LoadError> {
    let folder = dir.join(HTS_DIR);
    let entries = fs::read_dir(&folder).map_err(|source| LoadError::Io {
        path: folder.clone(),
        source,
    })?;
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| LoadError::Io {
            path: folder.clone(),
            source,
        })?;
        if let Some(name) = entry.file_name().to_str()
            && let Some(f) = ScheduleFile::from_file_name(name)
        {
            out.push(f);
        }
    }
    out.sort_by(|a, b| {
        (a.year, a.revision, a.format, &a.rel).cmp(&(b.year, b.revision, b.format, &b.rel))
    });
    Ok(out)
}

/// The schedule the loader reads: the newest revision in `dir/us-hts/`
/// (its JSON export when both are there).
pub fn find_schedule(dir: &Path) -> Result<ScheduleFile, LoadError> {
    schedule_files(dir)?
        .pop()
        .ok_or_else(|| LoadError::Format {
            path: dir.join(HTS_DIR),
            msg: "no US schedule export here (a file named like hts_2026_revision_12.json or hts_2026_revision_4.csv)".to_string(),
        })
}

/// The folder the build recorded (`../shared/hs-data` beside the sources).
pub const BUILTIN_DATA_DIR: &str = env!("HS_BUILTIN_DATA_DIR");

#[derive(Debug, Error)]
pub enum LoadError {
    #[error(
        "reference data folder not found; looked in: {}. Pass --data DIR or set HS_DATA_DIR to the folder holding hs2022/ and us-hts/",
        .looked.join(", ")
    )]
    NoDataDir { looked: Vec<String> },
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {msg}")]
    Format { path: PathBuf, msg: String },
}

/// Where the data folder comes from, in the documented order.
pub fn resolve_data_dir(cli: Option<&Path>) -> Result<PathBuf, LoadError> {
    let mut looked = Vec::new();
    let mut candidates: Vec<(PathBuf, &str)> = Vec::new();
    if let Some(p) = cli {
        candidates.push((p.to_path_buf(), "--data"));
    } else if let Some(p) = std::env::var_os("HS_DATA_DIR").filter(|p| !p.is_empty()) {
        candidates.push((PathBuf::from(p), "HS_DATA_DIR"));
    } else {
        candidates.push((PathBuf::from(BUILTIN_DATA_DIR), "built-in default"));
    }
    for (path, why) in candidates {
        if path.join(HS2022_CSV).is_file() {
            return Ok(path);
        }
        looked.push(format!("{} ({why})", path.display()));
    }
    Err(LoadError::NoDataDir { looked })
}

/// Reads a data file as text (lossy UTF-8, byte-order mark dropped).
pub fn read(dir: &Path, rel: &str) -> Result<String, LoadError> {
    let path = dir.join(rel);
    let bytes = fs::read(&path).map_err(|source| LoadError::Io {
        path: path.clone(),
        source,
    })?;
    let mut text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// Every reference file the loader reads to build the dataset the index
/// is made from, as paths in `dir` (the index fingerprint hashes their
/// content, so a file added here is covered by it). The US schedule is the
/// newest export [`find_schedule`] finds; when none is found that is the
/// error (never a list that silently leaves the schedule out).
pub fn input_files(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    Ok(model_files(dir)?.iter().map(|rel| dir.join(rel)).collect())
}

/// An everyday phrase that points at a code (UK search references, the
/// project's alias table).
#[derive(Debug, Clone)]
pub struct Alias {
    pub phrase: String,
    /// Digits of the code it points to (6 digits or more).
    pub code: String,
    pub source: &'static str,
}

impl Alias {
    /// The subheading (or, for a four-digit alias, the heading) it points to.
    pub fn target<'t>(&self, tree: &'t Tree) -> Option<&'t crate::tree::Node> {
        let key = self.code.get(..6).unwrap_or(&self.code);
        tree.get_digits(key)
            .filter(|n| matches!(n.level, Level::Subheading | Level::Heading))
    }
}

/// Everything loaded: the tree, the notes and the aliases.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub dir: PathBuf,
    pub tree: Tree,
    pub notes: Notes,
    pub aliases: Vec<Alias>,
    /// The US schedule the tree's national lines come from.
    pub schedule: ScheduleFile,
}

/// How much of the US schedule a load attaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everything: what searching, bulk runs and the UI need.
    All,
    /// HS 2022 and the notes in full, the US lines of one chapter only and
    /// no aliases: enough to show a code of that chapter, in a third of the
    /// time. Nothing outside the chapter may be looked up below HS six
    /// digits.
    Chapter(u8),
}

impl Dataset {
    /// Loads every model file from `dir`.
    pub fn load(dir: &Path) -> Result<Dataset, LoadError> {
        Self::load_scoped(dir, Scope::All)
    }

    /// Loads the model files from `dir`, the US schedule as `scope` says.
    pub fn load_scoped(dir: &Path, scope: Scope) -> Result<Dataset, LoadError> {
        Self::load_cached(dir, scope, None)
    }

    /// As [`Dataset::load_scoped`], reading a JSON schedule through the
    /// parsed copy in `cache_dir` (see [`crate::hts_cache`]) when given.
    pub fn load_cached(
        dir: &Path,
        scope: Scope,
        cache_dir: Option<&Path>,
    ) -> Result<Dataset, LoadError> {
        // The tree (HS, then the HTS under it) on this thread; the notes and
        // aliases, which do not depend on it, on another.
        let (tree, rest) = std::thread::scope(|s| {
            let rest = s.spawn(|| -> Result<(Notes, Vec<Alias>), LoadError> {
                let mut notes = Notes::parse(&read(dir, NOTES_MD)?);
                check_notes(&notes, &dir.join(NOTES_MD))?;
                notes.gri = read(dir, GRI_MD)?;
                if notes.gri.trim().is_empty() {
                    return Err(LoadError::Format {
                        path: dir.join(GRI_MD),
                        msg: "is empty (the General Rules of Interpretation are missing)".into(),
                    });
                }
                if scope != Scope::All {
                    return Ok((notes, Vec::new()));
                }
                let mut aliases =
                    parse_uk_references(&read(dir, UK_REFS_JSON)?, &dir.join(UK_REFS_JSON))?;
                aliases.extend(crate::alias::builtin());
                Ok((notes, aliases))
            });
            let tree = load_tree(dir, scope, cache_dir);
            (tree, rest.join())
        });
        let (tree, schedule) = tree?;
        let (notes, aliases) = match rest {
            Ok(r) => r?,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        Ok(Dataset {
            dir: dir.to_path_buf(),
            tree,
            notes,
            aliases,
            schedule,
        })
    }
}

/// Notes must exist for every goods chapter: a file without them is not
/// the notes file (garbage, truncated).
fn check_notes(notes: &Notes, path: &Path) -> Result<(), LoadError> {
    check_chapters(path, "notes (`## CHAPTER N` blocks)", |c| {
        notes.chapter(c).is_some()
    })
}

/// Chapters as runs: `1-5, 7, 70-97`.
pub(crate) fn chapter_list(chapters: &[u8]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chapters.len() {
        let start = chapters[i];
        let mut end = start;
        while i + 1 < chapters.len() && chapters[i + 1] == end + 1 {
            i += 1;
            end = chapters[i];
        }
        out.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    out.join(", ")
}

/// HS 2022 with the US schedule (or the part `scope` asks for) under it.
fn load_tree(
    dir: &Path,
    scope: Scope,
    cache_dir: Option<&Path>,
) -> Result<(Tree, ScheduleFile), LoadError> {
    let schedule = find_schedule(dir)?;
    let sections = parse_sections(&read(dir, SECTIONS_JSON)?, &dir.join(SECTIONS_JSON))?;
    check_chapters(&dir.join(SECTIONS_JSON), "title", |c| {
        sections.chapters.contains_key(&c)
    })?;
    let mut tree = Tree::new();
    tree.reserve(if scope == Scope::All { 40_000 } else { 10_000 });
    build_hs(
        &mut tree,
        &sections,
        &read(dir, HS2022_CSV)?,
        &dir.join(HS2022_CSV),
    )?;
    let mut with_subheadings: Chapters = [false; 100];
    for n in tree.nodes().filter(|n| n.level == Level::Subheading) {
        if let Some(c) = &n.code {
            with_subheadings[usize::from(c.chapter()) % 100] = true;
        }
    }
    check_chapters(&dir.join(HS2022_CSV), "subheadings", |c| {
        with_subheadings[usize::from(c)]
    })?;
    let only = match scope {
        Scope::All => None,
        Scope::Chapter(c) => Some(c),
    };
    let path = dir.join(&schedule.rel);
    match schedule.format {
        ScheduleFormat::Csv => {
            let has = attach_csv(
                &mut tree,
                &sections,
                &read(dir, &schedule.rel)?,
                &path,
                only,
            )?;
            check_chapters(&path, "lines", |c| has[usize::from(c)])?;
        }
        ScheduleFormat::Json => {
            let cached = cache_dir.and_then(|c| crate::hts_cache::read(c, &path));
            match cached {
                Some(cached) => {
                    let has = attach_csv(&mut tree, &sections, cached.csv(), &cached.path, only)?;
                    check_chapters(&cached.path, "lines", |c| has[usize::from(c)])?;
                }
                None => {
                    let text = read(dir, &schedule.rel)?;
                    let lines = hts_json::parse(&text, &path)?;
                    // Without a cache the whole file is attached: it is all
                    // parsed anyway, and the cache is written only from a
                    // file checked in full.
                    let has = attach_json(&mut tree, &sections, &lines, &path, None)?;
                    check_chapters(&path, "lines", |c| has[usize::from(c)])?;
                    if let Some(c) = cache_dir {
                        // A cache that cannot be written (a read-only
                        // folder) costs speed only: the next run parses
                        // the export again.
                        let _ = crate::hts_cache::write(c, &path, &lines);
                    }
                }
            }
        }
    }
    Ok((tree, schedule))
}

#[derive(Debug, Deserialize)]
struct SectionsFile {
    sections: Vec<SectionEntry>,
}

#[derive(Debug, Deserialize)]
struct SectionEntry {
    number: u8,
    description: String,
    #[serde(default)]
    chapters: Vec<ChapterEntry>,
}

#[derive(Debug, Deserialize)]
struct ChapterEntry {
    number: u8,
    description: String,
}

/// Official section titles and the chapters each holds.
#[derive(Debug, Clone, Default)]
pub struct SectionTitles {
    /// (number, title)
    pub sections: Vec<(u8, String)>,
    /// chapter -> (section, title)
    pub chapters: HashMap<u8, (u8, String)>,
}

pub fn parse_sections(text: &str, path: &Path) -> Result<SectionTitles, LoadError> {
    let file: SectionsFile = serde_json::from_str(text).map_err(|e| LoadError::Format {
        path: path.to_path_buf(),
        msg: format!("not the expected sections JSON: {e}"),
    })?;
    let mut out = SectionTitles::default();
    for s in file.sections {
        for c in &s.chapters {
            out.chapters
                .insert(c.number, (s.number, c.description.clone()));
        }
        out.sections.push((s.number, s.description));
    }
    Ok(out)
}

fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// True for rows that are not goods: `TOTAL` and the "not specified" codes.
pub fn is_not_goods(code: &str) -> bool {
    code.eq_ignore_ascii_case("total") || (!code.is_empty() && code.chars().all(|c| c == '9'))
}

/// Builds sections, chapters, headings and subheadings from the HS CSV.
pub fn build_hs(
    tree: &mut Tree,
    titles: &SectionTitles,
    text: &str,
    path: &Path,
) -> Result<(), LoadError> {
    let roman_to_num: HashMap<String, u8> =
        (1..=22u8).map(|n| (crate::code::roman(n), n)).collect();
    let mut section_ids: HashMap<u8, NodeId> = HashMap::new();
    for (n, title) in &titles.sections {
        if *n > 21 {
            continue; // Section XXII: US chapters 98-99, not goods nomenclature.
        }
        let id = tree.add(Tree::ROOT, Level::Section, None, *n, title.clone());
        section_ids.insert(*n, id);
    }
    let mut rdr = csv_reader(text);
    let headers = rdr.headers().map_err(|e| fmt_err(path, e))?.clone();
    let col = |name: &str| column(&headers, name, path);
    let (c_section, c_code, c_desc, c_level) = (
        col("section")?,
        col("hscode")?,
        col("description")?,
        col("level")?,
    );
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| fmt_err(path, format!("row {}: {e}", i + 2)))?;
        let get = |c: usize| rec.get(c).unwrap_or("").trim();
        let raw = get(c_code);
        if is_not_goods(raw) {
            continue;
        }
        let code = Code::parse(raw).map_err(|e| LoadError::Format {
            path: path.to_path_buf(),
            msg: format!("row {}: {e}", i + 2),
        })?;
        let Some(level) =
            Level::of_digits(code.len()).filter(|_| get(c_level) == code.len().to_string())
        else {
            return Err(LoadError::Format {
                path: path.to_path_buf(),
                msg: format!(
                    "row {}: level {} does not match code {raw}",
                    i + 2,
                    get(c_level)
                ),
            });
        };
        let section = roman_to_num.get(get(c_section)).copied().unwrap_or(0);
        let parent = match code.parent() {
            None => match section_ids.get(&section) {
                Some(&id) => id,
                None => {
                    return Err(LoadError::Format {
                        path: path.to_path_buf(),
                        msg: format!("row {}: unknown section '{}'", i + 2, get(c_section)),
                    });
                }
            },
            Some(p) => match tree.get(&p) {
                Some(n) => n.id,
                None => {
                    return Err(LoadError::Format {
                        path: path.to_path_buf(),
                        msg: format!(
                            "row {}: parent {p} of {code} comes later or is missing",
                            i + 2
                        ),
                    });
                }
            },
        };
        let mut desc = get(c_desc).to_string();
        if level == Level::Chapter
            && let Some((_, title)) = titles.chapters.get(&code.chapter())
        {
            desc = title.clone();
        }
        tree.add(parent, level, Some(code), section, desc);
    }
    Ok(())
}

/// The position of a named column, or an error listing the columns found.
fn column(headers: &csv::StringRecord, name: &str, path: &Path) -> Result<usize, LoadError> {
    headers
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| LoadError::Format {
            path: path.to_path_buf(),
            msg: format!(
                "missing column '{name}' (found: {})",
                headers.iter().collect::<Vec<_>>().join(", ")
            ),
        })
}

fn fmt_err(path: &Path, e: impl std::fmt::Display) -> LoadError {
    LoadError::Format {
        path: path.to_path_buf(),
        msg: e.to_string(),
    }
}

/// The column of the parsed-schedule cache holding a line's footnotes (a
/// JSON array); the USITC CSV export has no such column.
pub const FOOTNOTES_COLUMN: &str = "Footnotes";

/// Attaches the US HTS lines (a CSV export) under their HS subheadings,
/// rebuilding the hierarchy from `Indent` and keeping un-coded grouping
/// lines as nodes. Chapters 98 and 99 (US special provisions and temporary
/// modifications) go under Section XXII, their lines directly under the
/// chapter; their titles come from `titles`.
pub fn attach_hts(tree: &mut Tree, text: &str, path: &Path) -> Result<(), LoadError> {
    attach_hts_with(tree, &SectionTitles::default(), text, path, None)
}

/// [`attach_hts`], keeping only the lines of chapter `only` when given.
pub fn attach_hts_scoped(
    tree: &mut Tree,
    text: &str,
    path: &Path,
    only: Option<u8>,
) -> Result<(), LoadError> {
    attach_hts_with(tree, &SectionTitles::default(), text, path, only)
}

/// [`attach_hts_scoped`] with the section titles chapters 98 and 99 take.
pub fn attach_hts_with(
    tree: &mut Tree,
    titles: &SectionTitles,
    text: &str,
    path: &Path,
    only: Option<u8>,
) -> Result<(), LoadError> {
    attach_csv(tree, titles, text, path, only).map(|_| ())
}

/// [`attach_hts_with`], returning the chapters that have coded lines.
fn attach_csv(
    tree: &mut Tree,
    titles: &SectionTitles,
    text: &str,
    path: &Path,
    only: Option<u8>,
) -> Result<Chapters, LoadError> {
    // Strict: every record has the header's number of fields, so a file cut
    // inside a row is an error rather than a short line.
    let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = rdr.headers().map_err(|e| fmt_err(path, e))?.clone();
    let col = |name: &str| column(&headers, name, path);
    let c_code = col("HTS Number")?;
    let c_indent = col("Indent")?;
    let c_desc = col("Description")?;
    let c_units = col("Unit of Quantity")?;
    let c_gen = col("General Rate of Duty")?;
    let c_spec = col("Special Rate of Duty")?;
    let c_col2 = col("Column 2 Rate of Duty")?;
    let c_foot = headers.iter().position(|h| h == FOOTNOTES_COLUMN);

    let mut at = Attach::new(path, titles, only, "row");
    let mut rec = csv::StringRecord::new();
    for row in 2.. {
        if !rdr
            .read_record(&mut rec)
            .map_err(|e| at.err(row, e.to_string()))?
        {
            break;
        }
        let get = |c: usize| rec.get(c).unwrap_or("").trim();
        let indent = get(c_indent);
        at.row(
            tree,
            row,
            get(c_code),
            indent.parse().map_err(|_| indent.to_string()),
            get(c_desc),
            || {
                let footnotes = match c_foot.map(get).filter(|c| !c.is_empty()) {
                    Some(cell) => crate::hts_cache::parse_footnotes_cell(cell)?,
                    None => Vec::new(),
                };
                Ok(LineData {
                    units: parse_units(get(c_units)),
                    duty: DutyText {
                        general: get(c_gen).to_string(),
                        special: get(c_spec).to_string(),
                        column2: get(c_col2).to_string(),
                    },
                    footnotes,
                })
            },
        )?;
    }
    Ok(at.chapters)
}

/// Attaches the lines of the USITC JSON export, as [`attach_hts_with`]
/// does those of the CSV export (errors name the entry, counted from 1).
pub fn attach_json(
    tree: &mut Tree,
    titles: &SectionTitles,
    lines: &[JsonLine<'_>],
    path: &Path,
    only: Option<u8>,
) -> Result<Chapters, LoadError> {
    let mut at = Attach::new(path, titles, only, "entry");
    for (i, l) in lines.iter().enumerate() {
        at.row(
            tree,
            i + 1,
            l.htsno.trim(),
            l.indent.value(),
            &l.description,
            || {
                Ok(LineData {
                    units: l.units.iter().map(|u| u.trim().to_string()).collect(),
                    duty: DutyText {
                        general: l.general.trim().to_string(),
                        special: l.special.trim().to_string(),
                        column2: l.other.trim().to_string(),
                    },
                    footnotes: l
                        .footnotes
                        .iter()
                        .filter_map(hts_json::JsonFootnote::to_footnote)
                        .collect(),
                })
            },
        )?;
    }
    Ok(at.chapters)
}

/// Which chapters (0-99) a file has coded lines for.
type Chapters = [bool; 100];

/// Every goods chapter must have lines in `file` (what a truncated or
/// damaged file lacks): `has(c)` says whether chapter `c` has them.
pub(crate) fn check_chapters(
    path: &Path,
    what: &str,
    has: impl Fn(u8) -> bool,
) -> Result<(), LoadError> {
    let missing: Vec<u8> = goods_chapters().filter(|c| !has(*c)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(LoadError::Format {
        path: path.to_path_buf(),
        msg: format!(
            "no {what} for chapter{} {}; the file is incomplete (truncated?) or damaged",
            if missing.len() == 1 { "" } else { "s" },
            chapter_list(&missing)
        ),
    })
}

/// What a coded US line carries, made only for lines that are kept.
struct LineData {
    units: Vec<String>,
    duty: DutyText,
    footnotes: Vec<Footnote>,
}

/// The state of attaching a schedule's lines in file order.
struct Attach<'a> {
    path: &'a Path,
    titles: &'a SectionTitles,
    only: Option<u8>,
    /// What a position in the file is called in errors (`row`, `entry`).
    unit: &'static str,
    /// (indent, node) of the open ancestors of the current line; a chapter
    /// 98 or 99 sits at indent -1, below its indent-0 lines.
    stack: Vec<(i64, NodeId)>,
    placed: HashSet<NodeId>,
    in_scope: bool,
    /// Chapters with at least one coded line (in scope or not).
    chapters: Chapters,
    /// Sections made for chapters 98/99 (unlisted: see [`Tree::add_unlisted`]).
    special: Vec<(u8, NodeId)>,
}

impl<'a> Attach<'a> {
    fn new(
        path: &'a Path,
        titles: &'a SectionTitles,
        only: Option<u8>,
        unit: &'static str,
    ) -> Attach<'a> {
        Attach {
            path,
            titles,
            only,
            unit,
            stack: Vec::new(),
            placed: HashSet::new(),
            // With no chapter asked for, every line is in scope (so a
            // grouping line before any coded one is an orphan).
            in_scope: only.is_none(),
            chapters: [false; 100],
            special: Vec::new(),
        }
    }

    fn err(&self, at: usize, msg: impl std::fmt::Display) -> LoadError {
        LoadError::Format {
            path: self.path.to_path_buf(),
            msg: format!("{} {at}: {msg}", self.unit),
        }
    }

    /// Places one line of the file; `data` gives a coded line's units,
    /// duty and footnotes when the line is kept.
    fn row(
        &mut self,
        tree: &mut Tree,
        at: usize,
        raw: &str,
        indent: Result<u32, String>,
        desc: &str,
        data: impl FnOnce() -> Result<LineData, String>,
    ) -> Result<(), LoadError> {
        let chapter = if raw.is_empty() {
            None
        } else {
            raw.get(..2).and_then(|p| p.parse::<u8>().ok())
        };
        if let Some(c) = chapter {
            self.chapters[usize::from(c) % 100] = true;
        }
        // Another chapter's line, when one chapter is asked for: skipped
        // before any work (its un-coded lines follow it, out of scope too).
        if let Some(c) = self.only
            && !raw.is_empty()
            && chapter != Some(c)
        {
            self.in_scope = false;
            self.stack.clear();
            return Ok(());
        }
        let indent = indent.map_err(|t| self.err(at, format!("indent '{t}' is not a number")))?;
        let desc = desc.trim().trim_end_matches(':').trim().to_string();
        let indent = i64::from(indent);
        while self.stack.last().is_some_and(|&(ind, _)| ind >= indent) {
            self.stack.pop();
        }
        if raw.is_empty() {
            // An un-coded grouping line.
            if !self.in_scope {
                return Ok(());
            }
            let Some(&(_, parent)) = self.stack.last() else {
                return Err(self.err(
                    at,
                    format!("grouping line '{desc}' (indent {indent}) has no parent line above it"),
                ));
            };
            let section = tree.node(parent).section;
            let full = full_text_under(tree, parent, &desc);
            let id = tree.add_full(parent, Level::Group, None, section, desc, full);
            self.stack.push((indent, id));
            return Ok(());
        }
        let code = Code::parse(raw).map_err(|e| self.err(at, e))?;
        self.in_scope = true;
        if is_special_chapter(code.chapter()) {
            return self.special_line(tree, at, code, indent, desc, data);
        }
        if is_not_goods(code.digits()) {
            return Ok(());
        }
        let Some(heading) = code.prefix(4).and_then(|h| tree.get(&h)).map(|n| n.id) else {
            return Err(self.err(at, format!("heading of {code} is not in HS 2022")));
        };
        if code.len() == 4 {
            self.stack.clear();
            self.stack.push((indent, heading));
            return Ok(());
        }
        // Rows of a heading without subdivisions may start at indent 0.
        if self
            .stack
            .last()
            .is_none_or(|&(_, top)| !tree_has_ancestor(tree, top, heading))
        {
            self.stack.clear();
            self.stack.push((0, heading));
        }
        let Some(&(_, top)) = self.stack.last() else {
            return Ok(());
        };
        let sub_code = code
            .prefix(6)
            .ok_or_else(|| self.err(at, format!("{code} is too short")))?;
        let Some(sub) = tree.get(&sub_code).map(|n| n.id) else {
            return Err(self.err(
                at,
                format!("subheading {sub_code} of {code} is not in HS 2022"),
            ));
        };
        if code.len() == 6 {
            if !self.placed.contains(&sub) && top != sub {
                tree.reparent(sub, top);
                self.placed.insert(sub);
            }
            self.stack.push((indent, sub));
            return Ok(());
        }
        let parent = if tree_has_ancestor(tree, top, sub) {
            top
        } else {
            if self.placed.insert(sub) && top != sub {
                tree.reparent(sub, top);
            }
            sub
        };
        let level = if code.len() == 8 {
            Level::TariffLine
        } else {
            Level::StatisticalLine
        };
        self.add_line(tree, at, parent, level, code, indent, desc, data)
    }

    /// A line of chapter 98 or 99: under the chapter (made under Section
    /// XXII on first use) or the line above it with a smaller indent.
    fn special_line(
        &mut self,
        tree: &mut Tree,
        at: usize,
        code: Code,
        indent: i64,
        desc: String,
        data: impl FnOnce() -> Result<LineData, String>,
    ) -> Result<(), LoadError> {
        let chapter = self.special_chapter(tree, at, code.chapter())?;
        if self
            .stack
            .last()
            .is_none_or(|&(_, top)| !tree_has_ancestor(tree, top, chapter))
        {
            self.stack.clear();
            self.stack.push((-1, chapter));
        }
        let Some(&(_, parent)) = self.stack.last() else {
            return Ok(());
        };
        // Never a heading or subheading level: those are HS nomenclature
        // (and index documents); a short code here is a line too.
        let level = match code.len() {
            4 | 6 | 8 => Level::TariffLine,
            10 => Level::StatisticalLine,
            _ => {
                return Err(self.err(
                    at,
                    format!("{code} is not a line of chapter {}", code.chapter()),
                ));
            }
        };
        self.add_line(tree, at, parent, level, code, indent, desc, data)
    }

    /// The node of chapter 98 or 99, made with its section on first use.
    fn special_chapter(
        &mut self,
        tree: &mut Tree,
        at: usize,
        chapter: u8,
    ) -> Result<NodeId, LoadError> {
        let digits = format!("{chapter:02}");
        if let Some(n) = tree.get_digits(&digits) {
            return Ok(n.id);
        }
        let Some((section, title)) = self.titles.chapters.get(&chapter).cloned() else {
            return Err(self.err(
                at,
                format!("chapter {chapter} has no title in {SECTIONS_JSON}"),
            ));
        };
        let listed = tree.section(section).map(|s| s.id);
        let unlisted = self
            .special
            .iter()
            .find(|(s, _)| *s == section)
            .map(|(_, id)| *id);
        let section_id = match listed.or(unlisted) {
            Some(id) => id,
            None => {
                let name = self
                    .titles
                    .sections
                    .iter()
                    .find(|(n, _)| *n == section)
                    .map(|(_, t)| t.clone())
                    .unwrap_or_default();
                let id = tree.add_unlisted(Tree::ROOT, Level::Section, None, section, name);
                self.special.push((section, id));
                id
            }
        };
        let code = Code::parse(&digits).map_err(|e| self.err(at, e))?;
        Ok(tree.add(section_id, Level::Chapter, Some(code), section, title))
    }

    #[allow(clippy::too_many_arguments)]
    fn add_line(
        &mut self,
        tree: &mut Tree,
        at: usize,
        parent: NodeId,
        level: Level,
        code: Code,
        indent: i64,
        desc: String,
        data: impl FnOnce() -> Result<LineData, String>,
    ) -> Result<(), LoadError> {
        let data = data().map_err(|e| self.err(at, e))?;
        let section = tree.node(parent).section;
        // A chapter 98/99 line reads alone: the chapter's title adds nothing.
        let full = if tree.node(parent).level == Level::Chapter {
            desc.clone()
        } else {
            full_text_under(tree, parent, &desc)
        };
        // The JSON export repeats a statistical line's 8-digit rates on it;
        // the rates stay the 8-digit line's (as in the CSV export), so a
        // 10-digit line carries only rates of its own.
        let duty = if level == Level::StatisticalLine
            && tariff_line_above(tree, parent, &code).is_some_and(|d| *d == data.duty)
        {
            DutyText::default()
        } else {
            data.duty
        };
        let id = tree.add_full(parent, level, Some(code), section, desc, full);
        let node = tree.node_mut(id);
        node.units = data.units;
        node.duty = duty;
        node.footnotes = data.footnotes;
        self.stack.push((indent, id));
        Ok(())
    }
}

/// The duty of the 8-digit line `code` lies under (`parent` or one of its
/// ancestors up to the subheading), if that line is in the tree.
fn tariff_line_above<'t>(tree: &'t Tree, parent: NodeId, code: &Code) -> Option<&'t DutyText> {
    let eight = code.prefix(8)?;
    let mut cur = Some(parent);
    while let Some(id) = cur {
        let n = tree.node(id);
        match n.level {
            Level::TariffLine if n.code.as_ref() == Some(&eight) => return Some(&n.duty),
            Level::TariffLine | Level::Group | Level::StatisticalLine => cur = n.parent,
            _ => return None,
        }
    }
    None
}

/// True when `ancestor` is `id` or one of its ancestors.
fn tree_has_ancestor(tree: &Tree, id: NodeId, ancestor: NodeId) -> bool {
    let mut cur = Some(id);
    while let Some(c) = cur {
        if c == ancestor {
            return true;
        }
        cur = tree.node(c).parent;
    }
    false
}

/// A national line's self-contained text: its parent's, then its own.
fn full_text_under(tree: &Tree, parent: NodeId, own: &str) -> String {
    let p = tree.node(parent);
    if p.level == Level::Root {
        return own.to_string();
    }
    if own.is_empty() {
        return p.full_text.clone();
    }
    let mut full = String::with_capacity(p.full_text.len() + 2 + own.len());
    full.push_str(&p.full_text);
    full.push_str(": ");
    full.push_str(own);
    full
}

/// Units of quantity as the HTS writes them: a JSON array in a string.
pub fn parse_units(cell: &str) -> Vec<String> {
    if cell.is_empty() {
        return Vec::new();
    }
    serde_json::from_str::<Vec<String>>(cell).unwrap_or_else(|_| vec![cell.to_string()])
}

/// UK search references: `{"phrase": "8525810000", ...}`.
pub fn parse_uk_references(text: &str, path: &Path) -> Result<Vec<Alias>, LoadError> {
    let map: HashMap<String, String> =
        serde_json::from_str(text).map_err(|e| LoadError::Format {
            path: path.to_path_buf(),
            msg: format!("not a JSON object of phrase -> code: {e}"),
        })?;
    let mut out: Vec<Alias> = map
        .into_iter()
        .filter_map(|(phrase, code)| {
            let digits: String = code.chars().filter(|c| c.is_ascii_digit()).collect();
            (digits.len() >= 6).then_some(Alias {
                phrase,
                code: digits,
                source: "uk",
            })
        })
        .collect();
    out.sort_by(|a, b| a.phrase.cmp(&b.phrase));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECTIONS: &str = r#"{"sections":[{"number":1,"description":"Live Animals; Animal Products","chapters":[{"number":1,"description":"Live animals"},{"number":2,"description":"Meat"}]},{"number":11,"description":"Textiles","chapters":[{"number":61,"description":"Apparel, knitted"}]},{"number":22,"description":"Special Classification Provisions","chapters":[{"number":98,"description":"Special classification provisions"}]}]}"#;
    const HS: &str = "section,hscode,description,parent,level\nI,01,Animals; live,TOTAL,2\nI,0101,\"Horses, asses, mules and hinnies; live\",01,4\nI,010121,\"Horses; live, pure-bred breeding animals\",0101,6\nI,010129,\"Horses; live, other than pure-bred breeding animals\",0101,6\nI,010130,Asses; live,0101,6\nI,02,Meat,TOTAL,2\nI,0205,Meat of horses,02,4\nI,020500,Meat of horses,0205,6\nXI,61,Apparel,TOTAL,2\nXI,6109,T-shirts,61,4\nXI,610910,\"T-shirts; of cotton, knitted\",6109,6\nI,99,Not specified,TOTAL,2\n";
    const HTS: &str = "\u{feff}HTS Number,Indent,Description,Unit of Quantity,General Rate of Duty,Special Rate of Duty,Column 2 Rate of Duty,Quota Quantity,Additional Duties\n\"0101\",\"0\",\"Live horses:\",\"\",\"\",\"\",\"\",\"\",\"\"\n\"\",\"1\",\"Horses:\",\"\",\"\",\"\",\"\",\"\",\"\"\n\"0101.21.00\",\"2\",\"Purebred breeding animals\",\"\",\"Free\",\"\",\"Free\",\"\",\"\"\n\"0101.21.00.10\",\"3\",\"Males\",\"[\"\"No.\"\"]\",\"\",\"\",\"\",\"\",\"\"\n\"0101.29.00\",\"2\",\"Other\",\"\",\"Free\",\"\",\"20%\",\"\",\"\"\n\"0101.30.00.00\",\"1\",\"Asses\",\"[\"\"No.\"\"]\",\"6.8%\",\"Free (A+,AU)\",\"15%\",\"\",\"\"\n\"0205.00.00.00\",\"0\",\"Meat of horses\",\"[\"\"kg\"\"]\",\"Free\",\"\",\"2.2¢/kg\",\"\",\"\"\n\"6109\",\"0\",\"T-shirts:\",\"\",\"\",\"\",\"\",\"\",\"\"\n\"6109.10.00\",\"03\",\"Of cotton\",\"\",\"16.5%\",\"Free (AU)\",\"90%\",\"\",\"\"\n\"\",\"4\",\"Men's or boys':\",\"\",\"\",\"\",\"\",\"\",\"\"\n\"6109.10.00.04\",\"5\",\"T-shirts, all white\",\"[\"\"doz.\"\",\"\"kg\"\"]\",\"\",\"\",\"\",\"\",\"\"\n\"9801.00.10\",\"0\",\"Returned goods\",\"\",\"Free\",\"\",\"\",\"\",\"\"\n\"\",\"1\",\"Group in 98\",\"\",\"\",\"\",\"\",\"\",\"\"\n";

    fn sample() -> Tree {
        let p = Path::new("test");
        let titles = parse_sections(SECTIONS, p).unwrap();
        let mut tree = Tree::new();
        build_hs(&mut tree, &titles, HS, p).unwrap();
        attach_hts_with(
            &mut tree,
            &titles,
            HTS.trim_start_matches('\u{feff}'),
            p,
            None,
        )
        .unwrap();
        tree
    }

    fn node<'a>(t: &'a Tree, c: &str) -> &'a crate::tree::Node {
        t.get(&Code::parse(c).unwrap())
            .unwrap_or_else(|| panic!("{c} missing"))
    }

    #[test]
    fn builds_hs_levels_and_skips_not_goods() {
        let t = sample();
        assert_eq!(node(&t, "01").level, Level::Chapter);
        assert_eq!(node(&t, "01").text, "Live animals");
        assert_eq!(node(&t, "0101").level, Level::Heading);
        assert_eq!(node(&t, "010121").section, 1);
        assert!(t.get_digits("99").is_none());
        // Sections I and XI (XXII, holding the US chapter 98 lines, is
        // not listed).
        assert_eq!(t.sections().count(), 2);
        assert!(t.children(Tree::ROOT).all(|s| s.section != 22));
    }

    #[test]
    fn rebuilds_hierarchy_from_indent_with_groups() {
        let t = sample();
        let line = node(&t, "0101.21.00.10");
        let path: Vec<String> = t.path(line.id).iter().map(|n| n.label()).collect();
        // Section > chapter > heading > group "Horses" > subheading > line > stat line
        assert_eq!(
            path,
            vec![
                "Section I",
                "01",
                "0101",
                "",
                "0101.21",
                "0101.21.00",
                "0101.21.00.10"
            ]
        );
        let group = t.ancestors(line.id)[3];
        assert_eq!(group.level, Level::Group);
        assert_eq!(group.text, "Horses");
        assert_eq!(line.units, vec!["No."]);
        // Asses hang under their subheading, not under the group.
        let asses = node(&t, "0101.30.00.00");
        assert_eq!(t.node(asses.parent.unwrap()).label(), "0101.30");
        assert_eq!(asses.duty.general, "6.8%");
    }

    #[test]
    fn headings_without_subdivisions_attach_and_zero_padded_indents_parse() {
        let t = sample();
        let meat = node(&t, "0205.00.00.00");
        assert_eq!(t.node(meat.parent.unwrap()).label(), "0205.00");
        let stat = node(&t, "6109.10.00.04");
        let parents: Vec<String> = t.ancestors(stat.id).iter().map(|n| n.label()).collect();
        assert_eq!(
            parents,
            vec!["Section XI", "61", "6109", "6109.10", "6109.10.00", ""]
        );
        assert_eq!(
            stat.full_text,
            "T-shirts; of cotton, knitted: Of cotton: Men's or boys': T-shirts, all white"
        );
        assert_eq!(stat.units, vec!["doz.", "kg"]);
    }

    #[test]
    fn special_chapters_are_lines_under_section_xxii() {
        let t = sample();
        let line = node(&t, "9801.00.10");
        let path: Vec<String> = t.path(line.id).iter().map(|n| n.label()).collect();
        assert_eq!(path, vec!["Section XXII", "98", "9801.00.10"]);
        assert_eq!(line.section, 22);
        assert_eq!(line.duty.general, "Free");
        assert_eq!(node(&t, "98").text, "Special classification provisions");
        let group = t.children(line.id).next().unwrap();
        assert_eq!(
            (group.level, group.text.as_str()),
            (Level::Group, "Group in 98")
        );
        // Never an index document: chapters 98 and 99 have no subheadings.
        assert!(
            t.nodes()
                .filter(|n| n.level == Level::Subheading)
                .all(|n| !is_special_chapter(n.code.as_ref().unwrap().chapter()))
        );
    }

    #[test]
    fn a_grouping_line_without_a_parent_is_an_error() {
        let p = Path::new("x.csv");
        let titles = parse_sections(SECTIONS, p).unwrap();
        let mut tree = Tree::new();
        build_hs(&mut tree, &titles, HS, p).unwrap();
        let bad = "HTS Number,Indent,Description,Unit of Quantity,General Rate of Duty,Special Rate of Duty,Column 2 Rate of Duty\n,0,Orphan:,,,,\n";
        let err = attach_hts(&mut tree, bad, p).unwrap_err().to_string();
        assert!(err.contains("row 2") && err.contains("no parent"), "{err}");
    }

    #[test]
    fn a_row_cut_short_is_an_error() {
        let p = Path::new("x.csv");
        let titles = parse_sections(SECTIONS, p).unwrap();
        let mut tree = Tree::new();
        build_hs(&mut tree, &titles, HS, p).unwrap();
        let cut = &HTS[..HTS.find("Asses\",").unwrap()];
        let err = attach_hts(&mut tree, cut.trim_start_matches('\u{feff}'), p)
            .unwrap_err()
            .to_string();
        assert!(err.contains("x.csv") && err.contains("row 7"), "{err}");
    }

    #[test]
    fn the_newest_revision_is_the_schedule_and_json_wins_a_tie() {
        let d = tempfile::tempdir().unwrap();
        let us = d.path().join(HTS_DIR);
        std::fs::create_dir_all(&us).unwrap();
        for f in [
            "hts_2026_revision_4.csv",
            "hts_2026_revision_12.csv",
            "hts_2026_revision_12.json",
            "hts_2026_revision_9.json",
            "notes.md",
            "hts_2025_basic_edition.csv",
        ] {
            std::fs::write(us.join(f), "").unwrap();
        }
        let s = find_schedule(d.path()).unwrap();
        assert_eq!(s.rel, "us-hts/hts_2026_revision_12.json");
        assert_eq!(s.name(), "US HTS 2026 Revision 12");
        assert_eq!(s.format, ScheduleFormat::Json);
        let all = schedule_files(d.path()).unwrap();
        assert_eq!(all[0].name(), "US HTS 2025 Basic Edition");
        assert_eq!(all.len(), 5);
        assert!(model_files(d.path()).unwrap().contains(&s.rel));
        std::fs::write(us.join("hts_2027_basic_edition.csv"), "").unwrap();
        assert_eq!(
            find_schedule(d.path()).unwrap().name(),
            "US HTS 2027 Basic Edition"
        );
        let empty = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(empty.path().join(HTS_DIR)).unwrap();
        let err = find_schedule(empty.path()).unwrap_err().to_string();
        assert!(
            err.contains("us-hts") && err.contains("no US schedule"),
            "{err}"
        );
    }

    #[test]
    fn chapter_lists_are_runs() {
        assert_eq!(chapter_list(&[1, 2, 3, 5, 70, 71, 72]), "1-3, 5, 70-72");
        assert_eq!(chapter_list(&[9]), "9");
    }

    #[test]
    fn bad_indent_is_an_error_naming_the_row() {
        let p = Path::new("x.csv");
        let titles = parse_sections(SECTIONS, p).unwrap();
        let mut tree = Tree::new();
        build_hs(&mut tree, &titles, HS, p).unwrap();
        let bad = "HTS Number,Indent,Description,Unit of Quantity,General Rate of Duty,Special Rate of Duty,Column 2 Rate of Duty\n0101,zero,x,,,,\n";
        let err = attach_hts(&mut tree, bad, p).unwrap_err().to_string();
        assert!(err.contains("row 2") && err.contains("zero"), "{err}");
    }
}
