//! `hs lookup`: codes in bulk. Each row's code is parsed and looked up in
//! the current edition: its normalised form, a `status` (`found`, `unknown`,
//! `malformed`; a list meant to grow, e.g. with a code deleted in an
//! edition), its level, self-contained description and HS six digits;
//! unknown codes get the nearest existing ones, malformed codes the
//! parser's message. Same inputs, formats and exit codes as `classify`.

use crate::code::Code;
use crate::editions::Editions;
use crate::engine::{Lookup, load_dataset, lookup};
use crate::load::Dataset;
use crate::tree::{Level, NodeId};

use super::args::{Format, Global, LookupArgs};
use super::bulk::{EMPTY_DESCRIPTION, Input, Rendered, Row, run_bulk};
use super::cells;
use super::output::{excerpt, options};
use super::progress::Progress;

/// The longest cell read as a code; longer ones are malformed without
/// parsing (the message quotes an excerpt).
const LONGEST_CODE: usize = 40;

/// How many nearest codes an unknown code gets.
const NEAREST: usize = 5;

pub use crate::view::lookup::{LookupRow as Resolved, Near, Status};

/// Resolves one row against the dataset; an unknown code is checked
/// against HS 2017 (`editions`) for a deletion.
pub fn resolve(ds: &Dataset, editions: &Editions, row: &Row) -> Resolved {
    let mut r = Resolved {
        row: row.number,
        input: row.text.clone(),
        code: None,
        status: Status::Malformed,
        exists: false,
        level: None,
        description: None,
        hs6: None,
        nearest: Vec::new(),
        hs2017_description: None,
        error: None,
        warning: row.warning.clone(),
    };
    // A row with no cell for the column, or an unreadable one; an empty
    // cell gets the parser's message.
    if let Some(p) = &row.problem
        && p != EMPTY_DESCRIPTION
    {
        r.error = Some(p.clone());
        return r;
    }
    // No code is this long (10 digits with dots and spaces): say so with
    // an excerpt rather than echo the whole cell.
    if row.text.trim().chars().count() > LONGEST_CODE {
        r.error = Some(format!(
            "'{}' is not a code: {} characters (codes are 2, 4, 6, 8 or 10 digits, e.g. 6109.10.00.12)",
            excerpt(row.text.trim(), 40),
            row.text.trim().chars().count()
        ));
        return r;
    }
    let code = match Code::parse(&row.text) {
        Ok(c) => c,
        Err(e) => {
            r.error = Some(e.to_string());
            return r;
        }
    };
    r.code = Some(code.to_string());
    match lookup(ds, &code) {
        Lookup::Found(id) => {
            let n = ds.tree.node(id);
            r.status = Status::Found;
            r.exists = true;
            r.level = Some(n.level.name());
            r.description = Some(n.full_text.clone());
            r.hs6 = hs6(ds, id, &code);
        }
        Lookup::Unknown { nearest, .. } => {
            // HS 2017 was checked before the first row (`run`).
            let see = if nearest.is_empty() {
                ""
            } else {
                "; see nearest"
            };
            if let Ok(Some(deleted)) = editions.deleted(code.digits()) {
                r.status = Status::Deleted2022;
                r.error = Some(format!(
                    "{code} was deleted in HS 2022 (HS 2017: {}){see}; `hs show {code}` gives the closest HS 2022 codes",
                    deleted.description
                ));
                r.hs2017_description = Some(deleted.description);
            } else {
                r.status = Status::Unknown;
                r.error = Some(format!("{code} is not in HS 2022 or the US schedule{see}"));
            }
            r.nearest = nearest
                .iter()
                .take(NEAREST)
                .filter_map(|&id| {
                    let n = ds.tree.node(id);
                    Some(Near {
                        code: n.code.as_ref()?.to_string(),
                        description: n.full_text.clone(),
                    })
                })
                .collect();
        }
    }
    r
}

/// The HS subheading a found code lies in: its subheading ancestor, or the
/// code's own first six digits; none for chapters 98 and 99.
fn hs6(ds: &Dataset, id: NodeId, code: &Code) -> Option<String> {
    // Chapters 98 and 99 are the US schedule's own: no HS subheading.
    if code.len() < 6 || crate::tree::is_special_chapter(code.chapter()) {
        return None;
    }
    ds.tree
        .ancestor_at(id, Level::Subheading)
        .and_then(|n| n.code.as_ref())
        .or(Some(code))
        .and_then(|c| c.prefix(6))
        .map(|c| c.to_string())
}

/// Column names appended in CSV/TSV output.
pub const CSV_COLUMNS: [&str; 8] = [
    "hs_code",
    "hs_status",
    "hs_exists",
    "hs_level",
    "hs_description",
    "hs_hs6",
    "hs_nearest",
    "hs_error",
];

pub fn run(g: &Global, a: &LookupArgs) -> anyhow::Result<i32> {
    let input = Input::open(&a.input, a.lines, &a.column, "code")?;
    let ds = {
        let _spin = Progress::spinner(g.quiet, "loading reference data");
        load_dataset(&options(g))?
    };
    let ds = &ds;
    let editions = &Editions::for_dataset(ds);
    // A damaged HS 2017 file is a data error (exit 2), never codes that
    // HS 2022 deleted reported as unknown.
    editions.hs2017()?;
    let width = input.headers.len();
    let header = if !a.codes_only && a.format != Format::Jsonl {
        let mut h = input.headers.clone();
        h.extend(CSV_COLUMNS.iter().map(|c| c.to_string()));
        Some(cells::record(a.format, a.raw_cells, &h)?)
    } else {
        None
    };
    run_bulk(
        g,
        input,
        header,
        "lookup",
        "no existing code",
        || (),
        |_, row| {
            let r = resolve(ds, editions, row);
            let failed = r.status != Status::Found;
            let line = if a.codes_only {
                let mut l = if r.exists {
                    r.code.clone().unwrap_or_default()
                } else {
                    String::new()
                };
                l.push('\n');
                l.into_bytes()
            } else {
                match a.format {
                    Format::Jsonl => {
                        let mut l = serde_json::to_vec(&r)?;
                        l.push(b'\n');
                        l
                    }
                    Format::Csv | Format::Tsv => {
                        let mut rec: Vec<String> = row.fields.clone();
                        // A ragged row's extra fields go after hs's columns.
                        let extra = rec.split_off(width.min(rec.len()));
                        rec.resize(width, String::new());
                        let nearest: Vec<&str> =
                            r.nearest.iter().map(|n| n.code.as_str()).collect();
                        rec.extend([
                            r.code.clone().unwrap_or_default(),
                            r.status.as_str().to_string(),
                            r.exists.to_string(),
                            r.level.unwrap_or_default().to_string(),
                            r.description.clone().unwrap_or_default(),
                            r.hs6.clone().unwrap_or_default(),
                            nearest.join(" "),
                            r.error.clone().unwrap_or_default(),
                        ]);
                        rec.extend(extra);
                        cells::record(a.format, a.raw_cells, &rec)?
                    }
                }
            };
            Ok(Rendered { line, failed })
        },
    )
}
