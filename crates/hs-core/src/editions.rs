//! HS editions: loads an edition's nomenclature (HS 2017, HS 2022) from the
//! reference CSV, diffs two editions, tells whether a code is current or was
//! deleted, and suggests the new-edition codes closest to an old one.
//!
//! Front ends use [`Editions`], which reads each edition from the data folder
//! only when first asked. To mark a code `deleted-2022` (as `hs lookup`
//! does), call [`Editions::status`] and print [`CodeStatus::as_str`].

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::load::{Dataset, HS2017_CSV, HS2022_CSV};

use serde::Serialize;

/// Codes that stand for "commodities not specified according to kind", not goods.
const NOT_SPECIFIED: [&str; 3] = ["99", "9999", "999999"];

/// One HS edition: every chapter, heading and subheading with its description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    /// Edition year, e.g. 2022.
    pub year: u16,
    /// Code (2, 4 or 6 digits) to (description, level), sorted by code.
    pub codes: BTreeMap<String, (String, u8)>,
}

/// Errors from loading an edition; row numbers are file lines (header = 1).
#[derive(Debug, thiserror::Error)]
pub enum EditionError {
    /// The file could not be opened.
    #[error("cannot open HS edition file {}: {source}", path.display())]
    Open {
        /// Path tried.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
    /// No `hsYYYY` folder or file name in the path.
    #[error("cannot tell the HS edition year from {}: put it in a folder named like `hs2022` or give the year", path.display())]
    UnknownYear {
        /// Path given.
        path: PathBuf,
    },
    /// The CSV could not be read.
    #[error("HS {year} edition, row {row}: {source}")]
    Csv {
        /// Edition year.
        year: u16,
        /// File line of the row.
        row: u64,
        /// Underlying CSV error.
        #[source]
        source: csv::Error,
    },
    /// A row is malformed.
    #[error("HS {year} edition, row {row}: {message}")]
    BadRow {
        /// Edition year.
        year: u16,
        /// File line of the row.
        row: u64,
        /// What is wrong.
        message: String,
    },
    /// The file holds no codes.
    #[error("HS {year} edition: no codes found")]
    Empty {
        /// Edition year.
        year: u16,
    },
    /// The file lacks what every edition has (truncated, damaged).
    #[error("HS {year} edition: {message}; the file is incomplete (truncated?) or damaged")]
    Incomplete {
        /// Edition year.
        year: u16,
        /// What is missing.
        message: String,
    },
    /// An error in a file, with the file's path.
    #[error("{}: {source}", path.display())]
    InFile {
        /// The file.
        path: PathBuf,
        /// What is wrong in it.
        source: Box<EditionError>,
    },
}

/// Finds `hsYYYY` in a path component, e.g. `.../hs2017/harmonized-system.csv`.
fn year_from_path(path: &Path) -> Option<u16> {
    path.components().rev().find_map(|c| {
        let name = c.as_os_str().to_str()?.to_ascii_lowercase();
        let rest = name.strip_prefix("hs")?;
        let digits = rest.get(..4)?;
        if rest
            .get(4..5)
            .is_some_and(|c| c.chars().all(|c| c.is_ascii_digit()))
        {
            return None;
        }
        digits.parse::<u16>().ok().filter(|y| *y >= 1988)
    })
}

impl Edition {
    /// Loads `harmonized-system.csv`, taking the year from an `hsYYYY` folder or file name.
    pub fn load(path: impl AsRef<Path>) -> Result<Edition, EditionError> {
        let path = path.as_ref();
        let year = year_from_path(path).ok_or_else(|| EditionError::UnknownYear {
            path: path.to_path_buf(),
        })?;
        Edition::load_year(path, year)
    }

    /// Loads `harmonized-system.csv` (`section,hscode,description,parent,level`) as edition `year`.
    pub fn load_year(path: impl AsRef<Path>, year: u16) -> Result<Edition, EditionError> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|source| EditionError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        let in_file = |e: EditionError| EditionError::InFile {
            path: path.to_path_buf(),
            source: Box::new(e),
        };
        let edition = Edition::from_reader(file, year).map_err(in_file)?;
        edition.check_complete().map_err(in_file)?;
        Ok(edition)
    }

    /// What every edition's file has, by rules that do not depend on the
    /// edition: every goods chapter has subheadings, and every heading and
    /// subheading has its parent.
    pub fn check_complete(&self) -> Result<(), EditionError> {
        let incomplete = |message: String| EditionError::Incomplete {
            year: self.year,
            message,
        };
        for (code, (_, level)) in &self.codes {
            let parent = match level {
                4 => code.get(..2),
                6 => code.get(..4),
                _ => None,
            };
            if let Some(p) = parent
                && !self.codes.contains_key(p)
            {
                return Err(incomplete(format!("code {code} has no parent {p}")));
            }
        }
        let missing: Vec<u8> = crate::tree::goods_chapters()
            .filter(|c| {
                let ch = format!("{c:02}");
                !self
                    .codes
                    .range(ch.clone()..)
                    .take_while(|(k, _)| k.starts_with(&ch))
                    .any(|(_, (_, level))| *level == 6)
            })
            .collect();
        if !missing.is_empty() {
            return Err(incomplete(format!(
                "no subheadings for chapters {}",
                crate::load::chapter_list(&missing)
            )));
        }
        Ok(())
    }

    /// Parses the CSV; skips the `TOTAL` row, the not-specified codes 99/9999/999999 and blank rows.
    pub fn from_reader(reader: impl Read, year: u16) -> Result<Edition, EditionError> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(reader);
        let bad = |row: u64, message: String| EditionError::BadRow { year, row, message };
        let header = csv.headers().map_err(|source| EditionError::Csv {
            year,
            row: 1,
            source,
        })?;
        let names: Vec<&str> = header
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim())
            .collect();
        if names.get(1) != Some(&"hscode")
            || names.get(2) != Some(&"description")
            || names.get(4) != Some(&"level")
        {
            return Err(bad(
                1,
                format!(
                    "header must be `section,hscode,description,parent,level`, found `{}`",
                    names.join(",")
                ),
            ));
        }
        let mut codes = BTreeMap::new();
        let mut record = csv::StringRecord::new();
        loop {
            let guess = csv.position().line();
            match csv.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(source) => {
                    let row = source.position().map_or(guess, |p| p.line());
                    return Err(EditionError::Csv { year, row, source });
                }
            }
            let row = record.position().map_or(guess, |p| p.line());
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let field = |i: usize| record.get(i).unwrap_or_default().trim();
            let code = field(1);
            if code == "TOTAL" || NOT_SPECIFIED.contains(&code) {
                continue;
            }
            let level: u8 = field(4)
                .parse()
                .map_err(|_| bad(row, format!("level `{}` is not a number", field(4))))?;
            let digits_ok = code.chars().all(|c| c.is_ascii_digit());
            if !matches!(level, 2 | 4 | 6) || code.len() != usize::from(level) || !digits_ok {
                return Err(bad(
                    row,
                    format!("code `{code}` does not fit level {level}"),
                ));
            }
            let description = field(2);
            if description.is_empty() {
                return Err(bad(row, format!("code `{code}` has no description")));
            }
            if codes
                .insert(code.to_string(), (description.to_string(), level))
                .is_some()
            {
                return Err(bad(row, format!("code `{code}` appears twice")));
            }
        }
        if codes.is_empty() {
            return Err(EditionError::Empty { year });
        }
        Ok(Edition { year, codes })
    }

    /// Description of `code` (digits only, 2/4/6 long), if present.
    pub fn description(&self, code: &str) -> Option<&str> {
        self.codes.get(code).map(|(d, _)| d.as_str())
    }

    /// Codes of one level (2, 4 or 6) with their descriptions, sorted by code.
    pub fn codes_at(&self, level: u8) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.codes
            .iter()
            .filter(move |(_, (_, l))| *l == level)
            .map(|(c, (d, _))| (c.as_str(), d.as_str()))
    }
}

/// Codes added and deleted between two editions at one level, each sorted by code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditionDiff {
    /// Level compared (4 or 6 digits).
    pub level: u8,
    /// Year of the old edition.
    pub old_year: u16,
    /// Year of the new edition.
    pub new_year: u16,
    /// Codes only in the new edition, with new descriptions.
    pub added: Vec<(String, String)>,
    /// Codes only in the old edition, with old descriptions.
    pub deleted: Vec<(String, String)>,
}

/// Six-digit subheadings added and deleted from `old` to `new`.
pub fn diff(old: &Edition, new: &Edition) -> EditionDiff {
    diff_at(old, new, 6)
}

/// Codes of `level` (2, 4 or 6) added and deleted from `old` to `new`.
pub fn diff_at(old: &Edition, new: &Edition, level: u8) -> EditionDiff {
    let only = |a: &Edition, b: &Edition| -> Vec<(String, String)> {
        a.codes_at(level)
            .filter(|(c, _)| !b.codes.contains_key(*c))
            .map(|(c, d)| (c.to_string(), d.to_string()))
            .collect()
    };
    EditionDiff {
        level,
        old_year: old.year,
        new_year: new.year,
        added: only(new, old),
        deleted: only(old, new),
    }
}

/// Where a code stands in the newer edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CodeStatus {
    /// Present in HS 2022 (the new edition).
    #[serde(rename = "current")]
    Current,
    /// In HS 2017 (the old edition) but deleted by HS 2022.
    #[serde(rename = "deleted-2022")]
    Deleted2022,
    /// In neither edition, or not a 2/4/6-digit goods code.
    #[serde(rename = "unknown")]
    Unknown,
}

/// The mark printed for a code deleted by HS 2022 (a public contract).
pub const DELETED_2022: &str = "deleted-2022";

impl CodeStatus {
    /// The stable name printed in output: `current`, `deleted-2022`, `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            CodeStatus::Current => "current",
            CodeStatus::Deleted2022 => DELETED_2022,
            CodeStatus::Unknown => "unknown",
        }
    }
}

/// The code to look up: digits only, longer national codes cut to six digits.
fn lookup_code(code: &str) -> Option<String> {
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    let cut = digits.get(..6).unwrap_or(&digits).to_string();
    match cut.len() {
        2 | 4 | 6 if !NOT_SPECIFIED.contains(&cut.as_str()) => Some(cut),
        _ => None,
    }
}

/// Status of `code` (dots ignored; 8/10-digit codes judged by their first six digits).
pub fn status(old: &Edition, new: &Edition, code: &str) -> CodeStatus {
    match lookup_code(code) {
        Some(c) if new.codes.contains_key(&c) => CodeStatus::Current,
        Some(c) if old.codes.contains_key(&c) => CodeStatus::Deleted2022,
        _ => CodeStatus::Unknown,
    }
}

const STOP_WORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "as",
    "at",
    "be",
    "by",
    "c",
    "e",
    "excluding",
    "for",
    "from",
    "heading",
    "in",
    "including",
    "item",
    "its",
    "n",
    "nec",
    "no",
    "not",
    "of",
    "on",
    "or",
    "other",
    "others",
    "than",
    "the",
    "their",
    "thereof",
    "to",
    "whether",
    "with",
];

/// Lower-case word stems of a description, without stop words and bare numbers.
fn words(text: &str) -> BTreeSet<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            !w.is_empty() && !STOP_WORDS.contains(w) && !w.chars().all(|c| c.is_ascii_digit())
        })
        .map(|w| match w.strip_suffix('s') {
            Some(stem) if stem.len() >= 3 && !stem.ends_with('s') => stem.to_string(),
            _ => w.to_string(),
        })
        .collect()
}

/// Text similarity in [0, 1]: Sørensen-Dice on word sets blended with strsim's character-bigram Dice.
fn text_similarity(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = a.intersection(b).count() as f64;
    let word_dice = 2.0 * common / (a.len() + b.len()) as f64;
    let join = |s: &BTreeSet<String>| s.iter().map(String::as_str).collect::<Vec<_>>().join(" ");
    let char_dice = strsim::sorensen_dice(&join(a), &join(b));
    0.6 * word_dice + 0.4 * char_dice
}

/// Weight of the text score; the rest goes to the shared-leading-digits prior.
const TEXT_WEIGHT: f64 = 0.5;

/// Up to `n` codes of `new`, at the level of `old_code` (six digits unless it has 2 or 4),
/// closest to `old_code`/`old_desc`, best first, as `(code, description, score in [0, 1])`.
///
/// The score blends description similarity with a prior for sharing leading digits
/// with `old_code` (same subheading group > same heading > same chapter), so siblings
/// come first unless a code elsewhere reads much closer.
pub fn nearest_in(
    new: &Edition,
    old_code: &str,
    old_desc: &str,
    n: usize,
) -> Vec<(String, String, f64)> {
    let digits: String = old_code.chars().filter(char::is_ascii_digit).collect();
    let code = digits.get(..6).unwrap_or(&digits);
    let level: u8 = match code.len() {
        2 => 2,
        4 => 4,
        _ => 6,
    };
    let query = words(old_desc);
    let mut scored: Vec<(String, String, f64)> = new
        .codes_at(level)
        .map(|(c, d)| {
            let shared = c
                .chars()
                .zip(code.chars())
                .take_while(|(x, y)| x == y)
                .count();
            let prior = shared as f64 / f64::from(level);
            let text = text_similarity(&query, &words(d));
            let score = TEXT_WEIGHT * text + (1.0 - TEXT_WEIGHT) * prior;
            (c.to_string(), d.to_string(), score)
        })
        .collect();
    scored.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    scored.truncate(n);
    scored
}

/// An HS 2017 code that HS 2022 deleted, with its HS 2017 text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeletedCode {
    /// The HS 2017 code, digits only (4 or 6 digits: a longer national code
    /// is cut to its subheading).
    pub code: String,
    /// Its HS 2017 description.
    pub description: String,
}

/// HS 2017 and HS 2022 from one data folder, each read on first use (and
/// at most once). Cheap to create; nothing is read until asked.
#[derive(Debug)]
pub struct Editions {
    dir: PathBuf,
    hs2017: OnceLock<Edition>,
    hs2022: OnceLock<Edition>,
}

impl Editions {
    /// Editions read from `dir` (the reference data folder holding
    /// `hs2017/` and `hs2022/`).
    pub fn new(dir: impl Into<PathBuf>) -> Editions {
        Editions {
            dir: dir.into(),
            hs2017: OnceLock::new(),
            hs2022: OnceLock::new(),
        }
    }

    /// Editions read from the folder a dataset was loaded from.
    pub fn for_dataset(ds: &Dataset) -> Editions {
        Editions::new(&ds.dir)
    }

    fn get<'a>(
        &self,
        cell: &'a OnceLock<Edition>,
        rel: &str,
        year: u16,
    ) -> Result<&'a Edition, EditionError> {
        if let Some(e) = cell.get() {
            return Ok(e);
        }
        let loaded = Edition::load_year(self.dir.join(rel), year)?;
        Ok(cell.get_or_init(|| loaded))
    }

    /// HS 2017, read on first call.
    pub fn hs2017(&self) -> Result<&Edition, EditionError> {
        self.get(&self.hs2017, HS2017_CSV, 2017)
    }

    /// HS 2022, read on first call.
    pub fn hs2022(&self) -> Result<&Edition, EditionError> {
        self.get(&self.hs2022, HS2022_CSV, 2022)
    }

    /// Where `code` stands: current in HS 2022, `deleted-2022` (in HS 2017
    /// only), or unknown. Dots are ignored and 8/10-digit national codes are
    /// judged by their first six digits. This is the function other front
    /// ends (e.g. `hs lookup`) call to mark a code `deleted-2022`; HS 2017
    /// is read only for codes HS 2022 does not hold.
    pub fn status(&self, code: &str) -> Result<CodeStatus, EditionError> {
        let new = self.hs2022()?;
        if status_in(new, code) == CodeStatus::Current {
            return Ok(CodeStatus::Current);
        }
        Ok(status(self.hs2017()?, new, code))
    }

    /// The HS 2017 code and text when `code` was deleted by HS 2022.
    pub fn deleted(&self, code: &str) -> Result<Option<DeletedCode>, EditionError> {
        if self.status(code)? != CodeStatus::Deleted2022 {
            return Ok(None);
        }
        let old = self.hs2017()?;
        Ok(lookup_code(code).and_then(|c| {
            old.description(&c).map(|d| DeletedCode {
                description: d.to_string(),
                code: c,
            })
        }))
    }

    /// Codes added and deleted from HS 2017 to HS 2022 at `level` (4 or 6).
    pub fn diff(&self, level: u8) -> Result<EditionDiff, EditionError> {
        Ok(diff_at(self.hs2017()?, self.hs2022()?, level))
    }
}

/// `Current` when `new` holds `code`, else `Unknown` (no old edition asked).
fn status_in(new: &Edition, code: &str) -> CodeStatus {
    match lookup_code(code) {
        Some(c) if new.codes.contains_key(&c) => CodeStatus::Current,
        _ => CodeStatus::Unknown,
    }
}

/// Paths to the reference data for tests: `HS_DATA_DIR` or `shared/hs-data` beside the workspace.
#[cfg(test)]
pub(crate) mod test_data {
    use std::path::PathBuf;

    /// Folder holding `hs2017/` and `hs2022/`.
    pub fn dir() -> PathBuf {
        std::env::var_os("HS_DATA_DIR")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/../../../shared/hs-data"
                ))
            })
    }

    /// `harmonized-system.csv` of edition `year`; fails the test clearly when missing.
    pub fn edition_file(year: u16) -> PathBuf {
        let path = dir()
            .join(format!("hs{year}"))
            .join("harmonized-system.csv");
        assert!(
            path.is_file(),
            "HS {year} reference file not found at {}; set HS_DATA_DIR to the folder holding hs2017/ and hs2022/",
            path.display()
        );
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(year: u16) -> Edition {
        let path = test_data::edition_file(year);
        match Edition::load(&path) {
            Ok(e) => e,
            Err(e) => panic!("cannot load {}: {e}", path.display()),
        }
    }

    fn parse(text: &str) -> Result<Edition, EditionError> {
        Edition::from_reader(text.as_bytes(), 2022)
    }

    #[test]
    fn loads_both_editions() {
        let (old, new) = (load(2017), load(2022));
        assert_eq!((old.year, new.year), (2017, 2022));
        for e in [&old, &new] {
            let counts: Vec<usize> = [2, 4, 6].iter().map(|l| e.codes_at(*l).count()).collect();
            println!("HS {}: chapters/headings/subheadings = {counts:?}", e.year);
            assert!(
                !e.codes.contains_key("99")
                    && !e.codes.contains_key("999999")
                    && !e.codes.contains_key("TOTAL")
            );
        }
        assert_eq!(old.codes_at(2).count(), 96);
        assert_eq!(new.codes_at(2).count(), 96);
        assert_eq!(old.codes_at(4).count(), 1222);
        assert_eq!(new.codes_at(4).count(), 1228);
        assert_eq!(old.codes_at(6).count(), 5387);
        assert_eq!(new.codes_at(6).count(), 5612);
        assert_eq!(
            new.description("851713"),
            Some("Telephone sets; smartphones for cellular or other wireless networks")
        );
    }

    #[test]
    fn diff_counts_are_measured() {
        let (old, new) = (load(2017), load(2022));
        let d6 = diff(&old, &new);
        let d4 = diff_at(&old, &new, 4);
        println!(
            "HS 2017 -> 2022, six digits: {} added, {} deleted",
            d6.added.len(),
            d6.deleted.len()
        );
        println!(
            "HS 2017 -> 2022, four digits: {} added, {} deleted",
            d4.added.len(),
            d4.deleted.len()
        );
        assert_eq!((d6.added.len(), d6.deleted.len()), (370, 145));
        assert_eq!((d4.added.len(), d4.deleted.len()), (8, 2));
        let heads: Vec<&str> = d4.added.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(
            heads,
            [
                "0309", "2404", "3827", "8485", "8524", "8549", "8806", "8807"
            ]
        );
        let gone: Vec<&str> = d4.deleted.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(gone, ["8107", "8803"]);
        for list in [&d6.added, &d6.deleted] {
            assert!(list.windows(2).all(|w| w[0].0 < w[1].0), "sorted by code");
        }
        assert!(d6.deleted.iter().any(|(c, _)| c == "851712"));
        assert!(d6.added.iter().any(|(c, _)| c == "851713"));
    }

    #[test]
    fn statuses() {
        let (old, new) = (load(2017), load(2022));
        assert_eq!(status(&old, &new, "851713"), CodeStatus::Current);
        assert_eq!(status(&old, &new, "8517.13.00.00"), CodeStatus::Current);
        assert_eq!(status(&old, &new, "8517"), CodeStatus::Current);
        assert_eq!(status(&old, &new, "851712"), CodeStatus::Deleted2022);
        assert_eq!(status(&old, &new, "8517120050"), CodeStatus::Deleted2022);
        assert_eq!(status(&old, &new, "8803"), CodeStatus::Deleted2022);
        assert_eq!(status(&old, &new, "851719"), CodeStatus::Unknown);
        assert_eq!(status(&old, &new, "85171"), CodeStatus::Unknown);
        assert_eq!(status(&old, &new, "999999"), CodeStatus::Unknown);
        assert_eq!(status(&old, &new, "TOTAL"), CodeStatus::Unknown);
        assert_eq!(status(&old, &new, ""), CodeStatus::Unknown);
    }

    fn suggest(old: &Edition, new: &Edition, code: &str, n: usize) -> Vec<(String, String, f64)> {
        let desc = old.description(code).unwrap_or_default();
        assert!(!desc.is_empty(), "{code} should be in HS 2017");
        assert_eq!(status(old, new, code), CodeStatus::Deleted2022, "{code}");
        let hits = nearest_in(new, code, desc, n);
        println!("{code} {desc}");
        for (c, d, s) in &hits {
            println!("  {s:.3} {c} {d}");
        }
        hits
    }

    #[test]
    fn deleted_codes_get_suggestions_under_their_heading() {
        let (old, new) = (load(2017), load(2022));
        let phones = suggest(&old, &new, "851712", 3);
        assert_eq!(phones.len(), 3);
        assert!(
            phones.iter().all(|(c, _, _)| c.starts_with("8517")),
            "{phones:?}"
        );
        assert!(
            phones
                .iter()
                .take(2)
                .any(|(c, _, _)| c == "851713" || c == "851714"),
            "{phones:?}"
        );
        assert!(phones.windows(2).all(|w| w[0].2 >= w[1].2));
        assert!(phones.iter().all(|(_, _, s)| (0.0..=1.0).contains(s)));

        let halo = suggest(&old, &new, "290339", 5);
        assert!(
            halo.iter().all(|(c, _, _)| c.starts_with("2903")),
            "{halo:?}"
        );

        let coke = suggest(&old, &new, "293971", 2);
        assert!(coke.iter().any(|(c, _, _)| c == "293972"), "{coke:?}");
    }

    #[test]
    fn deleted_heading_finds_text_elsewhere() {
        let (old, new) = (load(2017), load(2022));
        // Heading 8803 (aircraft parts) moved to 8807 with the same text.
        let props = suggest(&old, &new, "880310", 1);
        assert_eq!(props.first().map(|h| h.0.as_str()), Some("880710"));
        let heading = nearest_in(&new, "8803", old.description("8803").unwrap_or_default(), 1);
        assert_eq!(heading.first().map(|h| h.0.as_str()), Some("8807"));
    }

    #[test]
    fn editions_load_lazily_and_mark_deleted_codes() {
        let eds = Editions::new(test_data::dir());
        assert!(eds.hs2017.get().is_none() && eds.hs2022.get().is_none());
        // A current code needs HS 2022 only.
        assert!(matches!(eds.status("8517.13"), Ok(CodeStatus::Current)));
        assert!(eds.hs2022.get().is_some() && eds.hs2017.get().is_none());
        match eds.status("8517.12.00.50") {
            Ok(s) => assert_eq!(s.as_str(), DELETED_2022),
            Err(e) => panic!("{e}"),
        }
        assert!(eds.hs2017.get().is_some());
        assert!(matches!(eds.status("8517.19"), Ok(CodeStatus::Unknown)));
        let gone = match eds.deleted("8517.12") {
            Ok(Some(d)) => d,
            other => panic!("8517.12 should be deleted: {other:?}"),
        };
        assert_eq!(gone.code, "851712");
        assert!(
            gone.description.to_lowercase().contains("cellular"),
            "{gone:?}"
        );
        assert!(matches!(eds.deleted("8517.13"), Ok(None)));
        assert!(matches!(eds.deleted("8803"), Ok(Some(d)) if d.code == "8803"));
        match serde_json::to_string(&CodeStatus::Deleted2022) {
            Ok(j) => assert_eq!(j, "\"deleted-2022\""),
            Err(e) => panic!("{e}"),
        }
        match eds.diff(4) {
            Ok(d) => assert_eq!((d.added.len(), d.deleted.len()), (8, 2)),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn missing_data_folder_is_an_error_not_a_panic() {
        let eds = Editions::new("/nonexistent/hs-data");
        assert!(matches!(
            eds.status("8517.12"),
            Err(EditionError::Open { .. })
        ));
        assert!(eds.diff(6).is_err());
    }

    #[test]
    fn nearest_handles_odd_input() {
        let new = load(2022);
        assert!(nearest_in(&new, "851712", "phones", 0).is_empty());
        assert_eq!(nearest_in(&new, "", "", 3).len(), 3);
        assert_eq!(nearest_in(&new, "85", "Electrical machinery", 5).len(), 5);
    }

    #[test]
    fn parsing_skips_totals_and_names_bad_rows() {
        let ok = "\u{feff}section,hscode,description,parent,level\n\
                  I,01,Animals; live,TOTAL,2\n\
                  I,0101,Horses,01,4\n\
                  TOTAL,99,Commodities not specified according to kind,TOTAL,2\n\
                  TOTAL,TOTAL,All Commodities,TOTAL,5\n\
                  ,,,,\n";
        let e = match parse(ok) {
            Ok(e) => e,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(e.codes.len(), 2);
        assert_eq!(e.codes.get("0101"), Some(&("Horses".to_string(), 4)));

        let msg = |text: &str| match parse(text) {
            Ok(_) => panic!("should fail: {text}"),
            Err(e) => e.to_string(),
        };
        let head = "section,hscode,description,parent,level\n";
        let m = msg(&format!("{head}I,01,Animals,TOTAL,2\nI,0101,Horses,01,6\n"));
        assert!(m.contains("row 3") && m.contains("0101"), "{m}");
        let m = msg(&format!("{head}I,01,Animals,TOTAL,x\n"));
        assert!(m.contains("row 2") && m.contains("level"), "{m}");
        let m = msg(&format!("{head}I,01,Animals,TOTAL,2\nI,01,Again,TOTAL,2\n"));
        assert!(m.contains("row 3") && m.contains("twice"), "{m}");
        let m = msg(&format!("{head}I,01,,TOTAL,2\n"));
        assert!(m.contains("row 2") && m.contains("description"), "{m}");
        assert!(msg(head).contains("no codes"));
        let mut bytes = format!("{head}I,01,Animals,TOTAL,2\n").into_bytes();
        bytes.extend_from_slice(b"I,0101,Hor\xffses,01,4\n");
        let m = match Edition::from_reader(bytes.as_slice(), 2022) {
            Ok(_) => panic!("invalid UTF-8 should fail"),
            Err(e) => e.to_string(),
        };
        assert!(m.contains("row 3"), "{m}");
        assert!(msg("a,b,c\n1,2,3\n").contains("header"));
    }

    #[test]
    fn year_comes_from_the_path() {
        assert_eq!(
            year_from_path(Path::new("/x/hs2017/harmonized-system.csv")),
            Some(2017)
        );
        assert_eq!(year_from_path(Path::new("HS2022.csv")), Some(2022));
        assert_eq!(year_from_path(Path::new("/x/hs20221/a.csv")), None);
        assert_eq!(year_from_path(Path::new("/x/data/a.csv")), None);
        let missing = Edition::load("/nonexistent/hs2022/harmonized-system.csv");
        assert!(matches!(missing, Err(EditionError::Open { .. })));
        let no_year = Edition::load("/nonexistent/data.csv");
        assert!(matches!(no_year, Err(EditionError::UnknownYear { .. })));
    }
}
