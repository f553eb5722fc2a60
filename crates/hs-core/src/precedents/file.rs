//! Reading precedent files: CSV with a header naming `description` and
//! `code` (optional `source`, `date`, `reference`, `note`), or JSON lines
//! with the same fields. Every row that is not taken as read is reported
//! with its line: a missing description, a malformed code, a code that is
//! not an HS 2022 subheading, a duplicate, invalid UTF-8 (kept, with the
//! bad bytes replaced), a quoting error, an over-long description (cut).
//! Nothing is dropped silently.

use std::collections::HashSet;
use std::path::Path;

use serde_json::Value;

use super::codes::CodeCheck;
use super::{Precedent, PrecedentError};

/// Longest description kept; longer ones are cut and reported.
pub const MAX_DESCRIPTION: usize = 10_000;
/// The optional columns.
pub const OPTIONAL: [&str; 4] = ["source", "date", "reference", "note"];

/// A reported row.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The line the row starts on (the header is line 1).
    pub line: u64,
    pub message: String,
    /// False when the row was kept anyway (repaired text, cut text).
    pub skipped: bool,
}

/// What a file gave.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The file's name as shown in messages and explanations.
    pub file: String,
    pub rows: Vec<Precedent>,
    pub problems: Vec<Problem>,
    /// Data rows read (taken, skipped and repaired).
    pub records: usize,
}

impl Loaded {
    /// `--strict`: any reported row is an error.
    pub fn strict(self) -> Result<Loaded, PrecedentError> {
        match self.problems.first() {
            None => Ok(self),
            Some(p) => Err(PrecedentError::Strict {
                file: self.file.clone(),
                count: self.problems.len(),
                line: p.line,
                message: p.message.clone(),
            }),
        }
    }

    /// Rows skipped (reported and not taken).
    pub fn skipped(&self) -> usize {
        self.problems.iter().filter(|p| p.skipped).count()
    }
}

/// Reads a precedent file (CSV, or JSON lines when the name ends in
/// `.jsonl`/`.ndjson` or the first character is `{`).
pub fn read_file(path: &Path, check: &CodeCheck) -> Result<Loaded, PrecedentError> {
    let bytes = std::fs::read(path).map_err(|source| PrecedentError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    read_bytes(&name, &bytes, check)
}

/// As [`read_file`], from bytes already read; `name` is used in messages.
pub fn read_bytes(name: &str, bytes: &[u8], check: &CodeCheck) -> Result<Loaded, PrecedentError> {
    let jsonl = [".jsonl", ".ndjson", ".json"]
        .iter()
        .any(|e| name.to_ascii_lowercase().ends_with(e))
        || bytes
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b'{');
    let mut out = Loaded {
        file: name.to_string(),
        ..Loaded::default()
    };
    let mut builder = RowBuilder {
        check,
        seen: HashSet::new(),
    };
    if jsonl {
        read_jsonl(bytes, &mut builder, &mut out);
        Ok(out)
    } else {
        read_csv(name, bytes, &mut builder, &mut out)?;
        Ok(out)
    }
}

/// The fields of one row before checking.
#[derive(Default)]
struct RawRow {
    description: String,
    code: String,
    optional: [String; 4],
}

struct RowBuilder<'c, 'e> {
    check: &'c CodeCheck<'e>,
    /// (normalised description, checked code) already taken.
    seen: HashSet<(String, String)>,
}

impl RowBuilder<'_, '_> {
    fn take(&mut self, line: u64, raw: RawRow, out: &mut Loaded) {
        out.records += 1;
        let mut problem = |message: String, skipped: bool| {
            out.problems.push(Problem {
                line,
                message,
                skipped,
            })
        };
        let mut description = clean(&raw.description);
        if description.is_empty() {
            problem("empty description".into(), true);
            return;
        }
        if description.chars().count() > MAX_DESCRIPTION {
            description = description.chars().take(MAX_DESCRIPTION).collect();
            problem(
                format!("description cut to its first {MAX_DESCRIPTION} characters"),
                false,
            );
        }
        let code = match self.check.check(&raw.code) {
            Ok(c) => c,
            Err(e) => {
                problem(e.to_string(), true);
                return;
            }
        };
        let key = (description.to_lowercase(), code.clone());
        if !self.seen.insert(key) {
            problem(
                format!("duplicate of an earlier row (same description, code {code})"),
                true,
            );
            return;
        }
        let [source, date, reference, note] = raw.optional.map(|s| clean(&s));
        out.rows.push(Precedent {
            description,
            code,
            declared: raw.code.trim().to_string(),
            source,
            date,
            reference,
            note,
            row: line,
        });
    }
}

/// Whitespace runs (newlines, tabs) become one space; control characters go.
fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split(|c: char| c.is_whitespace() || c.is_control()) {
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn utf8(raw: &[u8], line: u64, out: &mut Loaded) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => {
            out.problems.push(Problem {
                line,
                message: "invalid UTF-8 (bad bytes replaced by \u{FFFD})".into(),
                skipped: false,
            });
            String::from_utf8_lossy(raw).into_owned()
        }
    }
}

fn read_csv(
    name: &str,
    bytes: &[u8],
    builder: &mut RowBuilder,
    out: &mut Loaded,
) -> Result<(), PrecedentError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    let headers: Vec<String> = rdr
        .byte_headers()
        .map_err(|e| PrecedentError::Header {
            file: name.to_string(),
            message: e.to_string(),
        })?
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_lowercase())
        .collect();
    let find = |col: &str| headers.iter().position(|h| h == col);
    let missing = |column: &str| PrecedentError::MissingColumn {
        file: name.to_string(),
        column: column.to_string(),
        found: headers.join(", "),
    };
    let desc = find("description").ok_or_else(|| missing("description"))?;
    let code = find("code").ok_or_else(|| missing("code"))?;
    let optional = OPTIONAL.map(find);
    let mut record = csv::ByteRecord::new();
    loop {
        let line = rdr.position().line() + 1;
        match rdr.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                out.records += 1;
                out.problems.push(Problem {
                    line,
                    message: format!("unreadable CSV row: {e}"),
                    skipped: true,
                });
                continue;
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        if record.len() != headers.len() {
            // An unclosed quote runs on over the next lines: say how far.
            let end = rdr.position().line().saturating_sub(1);
            let span = if end > line {
                format!("; the row runs to line {end}")
            } else {
                String::new()
            };
            out.records += 1;
            out.problems.push(Problem {
                line,
                message: format!(
                    "{} fields where the header has {} (a quoting error?){span}",
                    record.len(),
                    headers.len()
                ),
                skipped: true,
            });
            continue;
        }
        let cell = |i: usize, out: &mut Loaded| utf8(record.get(i).unwrap_or(b""), line, out);
        let mut raw = RawRow {
            description: cell(desc, out),
            code: cell(code, out),
            ..RawRow::default()
        };
        for (slot, col) in raw.optional.iter_mut().zip(optional) {
            if let Some(i) = col {
                *slot = cell(i, out);
            }
        }
        // One report per row for bad bytes.
        dedup_last(out, line);
        builder.take(line, raw, out);
    }
    Ok(())
}

/// Keeps one invalid-UTF-8 report per line.
fn dedup_last(out: &mut Loaded, line: u64) {
    let mut seen = false;
    out.problems.retain(|p| {
        if p.line == line && p.message.starts_with("invalid UTF-8") {
            if seen {
                return false;
            }
            seen = true;
        }
        true
    });
}

fn read_jsonl(bytes: &[u8], builder: &mut RowBuilder, out: &mut Loaded) {
    for (i, raw_line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = i as u64 + 1;
        let text = utf8(raw_line, line, out);
        if text.trim().is_empty() {
            continue;
        }
        let value: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                out.records += 1;
                out.problems.push(Problem {
                    line,
                    message: format!("not a JSON object: {e}"),
                    skipped: true,
                });
                continue;
            }
        };
        let Some(obj) = value.as_object() else {
            out.records += 1;
            out.problems.push(Problem {
                line,
                message: "not a JSON object".into(),
                skipped: true,
            });
            continue;
        };
        let field = |k: &str| match obj.get(k) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::Null) | None => None,
            Some(other) => Some(other.to_string()),
        };
        let (Some(description), Some(code)) = (field("description"), field("code")) else {
            out.records += 1;
            out.problems.push(Problem {
                line,
                message: "missing \"description\" or \"code\"".into(),
                skipped: true,
            });
            continue;
        };
        let raw = RawRow {
            description,
            code,
            optional: OPTIONAL.map(|k| field(k).unwrap_or_default()),
        };
        builder.take(line, raw, out);
    }
}
