//! The parsed copy of the US schedule's JSON export: parsing the 13 MB
//! export costs more than a cold `hs show`, so its lines are kept, once
//! parsed and checked, as a CSV (the CSV export's columns plus
//! `Footnotes`) in the cache folder, one file per export name. A copy is
//! used only when it was made from the same file (path, size and
//! modification time) and its checksum matches; anything else is parsed
//! again and the copy replaced. A file there that `hs` did not write is
//! never overwritten.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::hts_json::{JsonFootnote, JsonLine};
use crate::load::FOOTNOTES_COLUMN;
use crate::tree::Footnote;

/// The first bytes of every cache file `hs` writes (any version).
const OURS: &str = "#hs-schedule-cache ";
/// The first line's start in this version's files.
const MAGIC: &str = "#hs-schedule-cache 2";

/// The cache folder: `$HS_CACHE_DIR`, else `hs` in the user's cache folder
/// (where the index lives when `hs` runs outside its repository).
pub fn default_dir() -> PathBuf {
    if let Some(p) = std::env::var_os("HS_CACHE_DIR").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    dirs::cache_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("hs")
}

/// The cache file for the export at `source`.
pub fn file_for(cache_dir: &Path, source: &Path) -> PathBuf {
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "schedule".to_string());
    cache_dir.join(format!("{name}.parsed.csv"))
}

/// Who the cache was made from: the export's path, size and modification
/// time (nanoseconds).
fn identity(source: &Path) -> Option<String> {
    let (len, mtime) = crate::index_folder::size_and_mtime(source).ok()?;
    let path = source
        .canonicalize()
        .unwrap_or_else(|_| source.to_path_buf());
    Some(format!("{len}:{mtime}:{}", path.display()))
}

/// A cache file's text: its first line (the header) and the CSV after it.
pub struct Cached {
    /// The cache file, for errors.
    pub path: PathBuf,
    text: String,
    body_start: usize,
}

impl Cached {
    /// The CSV.
    pub fn csv(&self) -> &str {
        self.text.get(self.body_start..).unwrap_or("")
    }
}

/// The cached CSV for `source`, when there is one made from this very
/// file and undamaged.
pub fn read(cache_dir: &Path, source: &Path) -> Option<Cached> {
    let path = file_for(cache_dir, source);
    let text = fs::read_to_string(&path).ok()?;
    let (header, body) = text.split_once('\n')?;
    let rest = header.strip_prefix(MAGIC)?.strip_prefix(' ')?;
    let (crc, who) = rest.split_once(' ')?;
    if who != identity(source)? || crc != format!("{:08x}", crc32fast::hash(body.as_bytes())) {
        return None;
    }
    let body_start = header.len() + 1;
    Some(Cached {
        path,
        text,
        body_start,
    })
}

/// Writes the cache for `source` from its parsed lines (to a temporary
/// file renamed into place). Leaves alone a file there that `hs` did not
/// write (an empty file is taken as hs's, truncated).
pub fn write(cache_dir: &Path, source: &Path, lines: &[JsonLine<'_>]) -> std::io::Result<()> {
    let file = file_for(cache_dir, source);
    if let Ok(mut f) = fs::File::open(&file) {
        let mut head = [0u8; OURS.len()];
        // An empty file (hs's copy truncated) holds nothing to lose.
        let empty = f.metadata().is_ok_and(|m| m.len() == 0);
        let ours = empty
            || (std::io::Read::read_exact(&mut f, &mut head).is_ok() && head == OURS.as_bytes());
        if !ours {
            return Err(std::io::Error::other(format!(
                "{} exists and was not written by hs",
                file.display()
            )));
        }
    }
    let who = identity(source).ok_or_else(|| std::io::Error::other("source vanished"))?;
    let body = to_csv(lines)?;
    fs::create_dir_all(cache_dir)?;
    let tmp = cache_dir.join(format!(
        ".{}.tmp-{}",
        file.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        std::process::id()
    ));
    crate::fsio::write_whole(&file, &tmp, true, |out| {
        let crc = crc32fast::hash(&body);
        writeln!(out, "{MAGIC} {crc:08x} {who}")?;
        out.write_all(&body)
    })
}

/// Separates footnotes in a cell, and the fields of one footnote.
const NOTE_SEP: char = '\u{1e}';
const FIELD_SEP: char = '\u{1f}';

/// Footnotes in one compact cell: text, columns, marker and type joined
/// by a unit separator, footnotes by a record separator (characters a
/// schedule's text does not hold).
pub fn footnotes_cell(notes: &[Footnote]) -> String {
    let mut out = String::new();
    for (i, f) in notes.iter().enumerate() {
        if i > 0 {
            out.push(NOTE_SEP);
        }
        for (j, part) in [&f.text, &f.columns, &f.marker, &f.kind].iter().enumerate() {
            if j > 0 {
                out.push(FIELD_SEP);
            }
            out.extend(part.chars().filter(|c| *c != NOTE_SEP && *c != FIELD_SEP));
        }
    }
    out
}

/// Reads a cell [`footnotes_cell`] wrote.
pub fn parse_footnotes_cell(cell: &str) -> Result<Vec<Footnote>, String> {
    cell.split(NOTE_SEP)
        .map(|one| {
            let mut parts = one.split(FIELD_SEP);
            let mut next = || parts.next().map(str::to_string);
            match (next(), next(), next(), next()) {
                (Some(text), Some(columns), Some(marker), Some(kind)) => Ok(Footnote {
                    text,
                    columns,
                    marker,
                    kind,
                }),
                _ => Err(format!("footnotes cell '{one}' does not have four fields")),
            }
        })
        .collect()
}

/// The lines as the CSV export writes them, plus the footnotes column.
fn to_csv(lines: &[JsonLine<'_>]) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::with_capacity(6_000_000));
    w.write_record([
        "HTS Number",
        "Indent",
        "Description",
        "Unit of Quantity",
        "General Rate of Duty",
        "Special Rate of Duty",
        "Column 2 Rate of Duty",
        FOOTNOTES_COLUMN,
    ])?;
    for l in lines {
        let indent = match l.indent.value() {
            Ok(n) => n.to_string(),
            Err(t) => t,
        };
        let units = if l.units.is_empty() {
            String::new()
        } else {
            serde_json::to_string(&l.units)?
        };
        let notes: Vec<Footnote> = l
            .footnotes
            .iter()
            .filter_map(JsonFootnote::to_footnote)
            .collect();
        let notes = footnotes_cell(&notes);
        w.write_record([
            l.htsno.as_ref(),
            &indent,
            l.description.as_ref(),
            &units,
            l.general.as_ref(),
            l.special.as_ref(),
            l.other.as_ref(),
            &notes,
        ])?;
    }
    w.into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))
}
