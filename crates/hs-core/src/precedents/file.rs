//! Checking precedent files: CSV with a header naming `description` and
//! `code` (optional `source`, `date`, `reference`, `note`), or JSON lines
//! with the same fields, as records a front end's bounded reader gives
//! ([`FileReader`]). Every row that is not taken as read is reported
//! with its line: a missing description, a malformed code, a code that is
//! not an HS 2022 subheading, a duplicate, invalid UTF-8 (kept, with the
//! bad bytes replaced), a quoting error, an over-long description (cut).
//! Nothing is dropped silently.

use std::collections::HashSet;

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

/// True when a file is read as JSON lines: its name ends in
/// `.jsonl`/`.ndjson`/`.json`, or its first non-blank byte (after a UTF-8
/// byte-order mark) is `{`.
pub fn is_jsonl(name: &str, start: &[u8]) -> bool {
    let start = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(start);
    let lower = name.to_ascii_lowercase();
    [".jsonl", ".ndjson", ".json"]
        .iter()
        .any(|e| lower.ends_with(e))
        || start
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b'{')
}

/// Checks the records of one precedent file as a front end reads them
/// (the framing, CSV or lines, is the front end's bounded reader): the
/// header, then each record or JSON line with the line it starts on.
pub struct FileReader<'c, 'e> {
    builder: RowBuilder<'c, 'e>,
    out: Loaded,
    /// Positions of description, code and the optional columns (CSV).
    columns: Option<Columns>,
}

struct Columns {
    width: usize,
    description: usize,
    code: usize,
    optional: [Option<usize>; 4],
}

impl<'c, 'e> FileReader<'c, 'e> {
    /// A reader for the file shown as `name`.
    pub fn new(name: &str, check: &'c CodeCheck<'e>) -> FileReader<'c, 'e> {
        FileReader {
            builder: RowBuilder {
                check,
                seen: HashSet::new(),
            },
            out: Loaded {
                file: name.to_string(),
                ..Loaded::default()
            },
            columns: None,
        }
    }

    /// The CSV header: it must name `description` and `code`.
    pub fn header(&mut self, fields: &[Vec<u8>]) -> Result<(), PrecedentError> {
        let headers: Vec<String> = fields
            .iter()
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .to_lowercase()
            })
            .collect();
        let find = |col: &str| headers.iter().position(|h| h == col);
        for col in ["description", "code"] {
            if headers.iter().filter(|h| *h == col).count() > 1 {
                return Err(PrecedentError::Header {
                    file: self.out.file.clone(),
                    message: format!(
                        "two columns are named '{col}': which one is meant is unclear; rename one"
                    ),
                });
            }
        }
        let missing = |column: &str| PrecedentError::MissingColumn {
            file: self.out.file.clone(),
            column: column.to_string(),
            found: crate::text::column_list(&headers),
        };
        let description = find("description").ok_or_else(|| missing("description"))?;
        let code = find("code").ok_or_else(|| missing("code"))?;
        self.columns = Some(Columns {
            width: headers.len(),
            description,
            code,
            optional: OPTIONAL.map(find),
        });
        Ok(())
    }

    /// One CSV record after the header: its fields (each cut by the reader
    /// at `cut`: field index, full length), starting on `line` and ending
    /// on `last_line`; `blank` for an empty line.
    pub fn csv_record(
        &mut self,
        line: u64,
        last_line: u64,
        fields: &[Vec<u8>],
        cut: &[(usize, usize)],
        blank: bool,
    ) {
        let out = &mut self.out;
        let Some(cols) = &self.columns else {
            out.records += 1;
            out.problems.push(Problem {
                line,
                message: "a row before the header".into(),
                skipped: true,
            });
            return;
        };
        // A line of spaces or tabs is as blank as an empty one.
        let spaces = fields.len() == 1 && fields[0].iter().all(u8::is_ascii_whitespace);
        if blank || spaces {
            out.records += 1;
            out.problems.push(Problem {
                line,
                message: "blank line".into(),
                skipped: true,
            });
            return;
        }
        if fields.len() != cols.width {
            out.records += 1;
            // A quote that does not pair up runs the following lines into
            // this record: name them, so no row is lost unsaid.
            let spans = if last_line > line {
                format!(
                    "; lines {line}-{last_line} were read as this one row (a quoted field ran over their line ends: a quote that does not pair up?)"
                )
            } else {
                " (a quoting error?)".to_string()
            };
            out.problems.push(Problem {
                line,
                message: format!(
                    "{} fields where the header has {}{spans}",
                    fields.len(),
                    cols.width
                ),
                skipped: true,
            });
            return;
        }
        if last_line > line {
            out.problems.push(Problem {
                line,
                message: format!(
                    "read from lines {line}-{last_line} (a quoted field holds line ends; if these were meant as separate rows, a quote does not pair up)"
                ),
                skipped: false,
            });
        }
        let mut bad_bytes = false;
        let mut cell = |i: usize| {
            let raw = fields.get(i).map_or(&[][..], Vec::as_slice);
            match std::str::from_utf8(raw) {
                Ok(s) => s.to_string(),
                Err(_) => {
                    bad_bytes = true;
                    String::from_utf8_lossy(raw).into_owned()
                }
            }
        };
        let mut raw = RawRow {
            description: cell(cols.description),
            code: cell(cols.code),
            ..RawRow::default()
        };
        for (slot, col) in raw.optional.iter_mut().zip(cols.optional) {
            if let Some(i) = col {
                *slot = cell(i);
            }
        }
        if bad_bytes {
            out.problems.push(Problem {
                line,
                message: "invalid UTF-8 (bad bytes replaced by \u{FFFD})".into(),
                skipped: false,
            });
        }
        for &(i, len) in cut {
            let what = if i == cols.description {
                "description".to_string()
            } else {
                format!("field {}", i + 1)
            };
            let kept = fields.get(i).map_or(0, Vec::len);
            out.problems.push(Problem {
                line,
                message: format!("{what} of {len} bytes cut to its first {kept}"),
                skipped: false,
            });
        }
        self.builder.take(line, raw, out);
    }

    /// One line of a JSON lines file; `cut` is its full length when the
    /// reader cut it.
    pub fn json_line(&mut self, line: u64, bytes: &[u8], cut: Option<usize>) {
        let out = &mut self.out;
        if let Some(len) = cut {
            out.records += 1;
            out.problems.push(Problem {
                line,
                message: format!(
                    "a line of {len} bytes, longer than the limit ({MAX_DESCRIPTION} bytes)"
                ),
                skipped: true,
            });
            return;
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => {
                out.problems.push(Problem {
                    line,
                    message: "invalid UTF-8 (bad bytes replaced by \u{FFFD})".into(),
                    skipped: false,
                });
                String::from_utf8_lossy(bytes).into_owned()
            }
        };
        if text.trim().is_empty() {
            return;
        }
        json_row(line, &text, &mut self.builder, out);
    }

    /// What the file gave.
    pub fn finish(self) -> Loaded {
        self.out
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

/// A JSON object whose keys are each given once: a key given twice (two
/// codes on one line) is ambiguous, and `serde_json` would keep the last
/// silently. Reads only the top level; values are skipped.
struct UniqueKeys;

impl<'de> serde::Deserialize<'de> for UniqueKeys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = UniqueKeys;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<UniqueKeys, A::Error> {
                let mut seen = std::collections::HashSet::new();
                while let Some(key) = map.next_key::<String>()? {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    if !seen.insert(key.clone()) {
                        return Err(serde::de::Error::custom(format!(
                            "the key \"{}\" is given twice",
                            crate::text::column_list(std::slice::from_ref(&key))
                        )));
                    }
                }
                Ok(UniqueKeys)
            }
        }
        d.deserialize_map(Keys)
    }
}

fn json_row(line: u64, text: &str, builder: &mut RowBuilder, out: &mut Loaded) {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            out.records += 1;
            out.problems.push(Problem {
                line,
                message: format!("not a JSON object: {e}"),
                skipped: true,
            });
            return;
        }
    };
    let Some(obj) = value.as_object() else {
        out.records += 1;
        out.problems.push(Problem {
            line,
            message: "not a JSON object".into(),
            skipped: true,
        });
        return;
    };
    if let Err(e) = serde_json::from_str::<UniqueKeys>(text) {
        out.records += 1;
        out.problems.push(Problem {
            line,
            message: e.to_string(),
            skipped: true,
        });
        return;
    }
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
        return;
    };
    let raw = RawRow {
        description,
        code,
        optional: OPTIONAL.map(|k| field(k).unwrap_or_default()),
    };
    builder.take(line, raw, out);
}
