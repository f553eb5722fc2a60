//! `hs audit FILE`: reads a classified history (a description and a
//! declared code per row) and reports, as JSON lines or CSV, the rows whose
//! declared code the evidence does not support (the ranking with the other
//! rows as precedents), each with a risk in [0, 1], the suggested codes and
//! the reason; then the groups of near-identical descriptions declared
//! under different codes. Rows are reported in input order.

use std::io::Write;
use std::sync::Arc;

use rayon::prelude::*;

use crate::precedents::audit::{AuditWeights, assess, conflicting_groups};
use crate::precedents::codes::CodeCheck;
use crate::precedents::store::default_name;
use crate::precedents::{Precedent, PrecedentIndex, Precedents};
use crate::view::{AuditGroupView, AuditRowView};

use super::args::{AuditArgs, Format, Global};
use super::bulk::{Input, Row, column_list, unique_column};
use super::cells::record;
use super::output::{engine, excerpt, stdout, terminal_safe};
use super::pool::RankerPool;
use super::{EXIT_NONE, EXIT_OK, Failure};

/// What a row's declared code is, once checked.
enum Declared {
    /// Six digits, and the index of the row's precedent.
    Code(String, usize),
    /// Why it is no code.
    Bad(String),
}

pub fn run(g: &Global, a: &AuditArgs) -> anyhow::Result<i32> {
    if !(0.0..=1.0).contains(&a.min_risk) {
        return Err(Failure::usage("--min-risk must be between 0 and 1"));
    }
    let Input {
        name,
        mut reader,
        headers,
        ..
    } = Input::open(&a.file, false, &a.column, "description")?;
    let Some(code_pos) = unique_column(&name, &headers, &a.code_column, "--code-column")? else {
        return Err(Failure::usage(format!(
            "{} has no code column '{}'; columns found: {}. Choose one with --code-column NAME",
            terminal_safe(&name),
            excerpt(&a.code_column, 60),
            column_list(&headers)
        )));
    };
    let mut rows: Vec<Row> = Vec::new();
    loop {
        let chunk = reader.next_chunk(4096)?;
        if chunk.is_empty() {
            break;
        }
        // Text read lossily or cut is said, as classify says it, with the
        // line audit's output names the row by.
        for r in &chunk {
            if let Some(w) = &r.warning
                && !g.quiet
            {
                eprintln!(
                    "hs: warning: {} line {}: {}",
                    terminal_safe(&name),
                    r.line,
                    terminal_safe(w)
                );
            }
        }
        rows.extend(chunk);
    }
    let mut engine = engine(g)?;
    let file = a
        .file
        .file_name()
        .map_or_else(|| name.clone(), |n| n.to_string_lossy().into_owned());
    let mut precedents: Vec<Precedent> = Vec::new();
    let declared: Vec<Declared> = {
        let check = CodeCheck::new(&engine);
        rows.iter()
            .map(|row| {
                let cell = row.fields.get(code_pos).map_or("", String::as_str);
                if let Some(p) = &row.problem {
                    return Declared::Bad(p.clone());
                }
                match check.check(cell) {
                    Ok(code) => {
                        precedents.push(Precedent::labelled(
                            &row.text,
                            code.clone(),
                            cell,
                            row.line as u64,
                        ));
                        Declared::Code(code[..6].to_string(), precedents.len() - 1)
                    }
                    Err(e) => Declared::Bad(e.to_string()),
                }
            })
            .collect()
    };
    let groups = conflicting_groups(&precedents);
    let mut sets = vec![PrecedentIndex::in_memory(
        &default_name(&a.file),
        &file,
        precedents,
    )?];
    sets.extend(super::precedents::audit_sets(g, &engine, a.use_store)?);
    engine.precedents = Some(Arc::new(Precedents::new(sets)));
    let weights = AuditWeights::default();
    let pool = RankerPool::new(&engine);
    let assessed: Vec<Option<_>> = rows
        .par_iter()
        .zip(&declared)
        .map_init(
            || pool.take(),
            |ranker, (row, d)| match d {
                Declared::Code(code, i) => assess(
                    &engine,
                    ranker.ranker(),
                    &row.text,
                    code,
                    Some((0, *i)),
                    &weights,
                )
                .map(Some),
                Declared::Bad(_) if row.problem.is_some() => Ok(None),
                Declared::Bad(_) => {
                    assess(&engine, ranker.ranker(), &row.text, "-", None, &weights).map(Some)
                }
            },
        )
        .collect::<Result<_, _>>()?;
    let mut out = stdout();
    if a.format != Format::Jsonl {
        let h: Vec<String> = COLUMNS.iter().map(|s| s.to_string()).collect();
        out.write_all(&record(a.format, false, &h)?)?;
    }
    let mut reported = 0usize;
    for ((row, d), got) in rows.iter().zip(&declared).zip(&assessed) {
        let line = row.line as u64;
        let cell = row.fields.get(code_pos).map_or("", String::as_str);
        let view = match (d, got) {
            (_, None) => AuditRowView::unread(
                line,
                &row.text,
                cell,
                row.problem.as_deref().unwrap_or_default(),
            ),
            (Declared::Code(..), Some(x)) => AuditRowView::assessed(line, &row.text, cell, x),
            (Declared::Bad(why), Some(x)) => {
                AuditRowView::not_a_code(line, &row.text, cell, why, x)
            }
        };
        if !a.all && view.risk.is_some_and(|r| r < f64::from(a.min_risk)) {
            continue;
        }
        reported += 1;
        if a.format == Format::Jsonl {
            serde_json::to_writer(&mut out, &view)?;
            writeln!(out)?;
        } else {
            out.write_all(&record(a.format, false, &row_cells(&view))?)?;
        }
    }
    for grp in &groups {
        reported += 1;
        let view = AuditGroupView::from(grp);
        if a.format == Format::Jsonl {
            serde_json::to_writer(&mut out, &view)?;
            writeln!(out)?;
        } else {
            out.write_all(&record(a.format, false, &group_cells(&view))?)?;
        }
    }
    out.flush()?;
    Ok(if reported == 0 { EXIT_NONE } else { EXIT_OK })
}

/// The columns of the CSV and TSV outputs.
const COLUMNS: [&str; 7] = [
    "kind",
    "row",
    "description",
    "declared",
    "risk",
    "suggested",
    "reason",
];

/// A row's CSV or TSV cells, in the order of [`COLUMNS`].
fn row_cells(v: &AuditRowView) -> Vec<String> {
    vec![
        v.kind.to_string(),
        v.row.to_string(),
        v.description.clone(),
        v.declared.clone(),
        v.risk.map_or(String::new(), |r| format!("{r:.5}")),
        v.suggested
            .iter()
            .map(|s| s.code.as_str())
            .collect::<Vec<_>>()
            .join(";"),
        v.reason.clone(),
    ]
}

/// A group's CSV or TSV cells: the first row's line, each code with its
/// rows, and the reason.
fn group_cells(v: &AuditGroupView) -> Vec<String> {
    let codes: Vec<String> = v
        .codes
        .iter()
        .map(|c| {
            let r: Vec<String> = c.rows.iter().map(u64::to_string).collect();
            format!("{} ({} rows: {})", c.code, c.count, r.join(" "))
        })
        .collect();
    vec![
        v.kind.to_string(),
        v.codes
            .first()
            .and_then(|c| c.rows.first())
            .map_or(String::new(), u64::to_string),
        v.description.clone(),
        codes.join("; "),
        String::new(),
        String::new(),
        "near-identical descriptions declared under different codes".to_string(),
    ]
}
