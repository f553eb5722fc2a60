//! `hs measures [HEADING] [--date D] [--origin CC] [--lines]`: the chapter
//! 99 measures of `hs-data/measures.csv` in force on a date, one measure's
//! rows, or the lines a measure's product list covers.
//!
//! Exit codes: 0 found; 1 nothing in force or no row for the heading;
//! 2 bad input (date, country) or a data error.

use std::io::Write;

use serde_json::{Value, json};

use crate::tariff::{self, Date, Measure, Measures};

use super::args::{Global, MeasuresArgs};
use super::duty::load_measures;
use super::output::text_stdout;
use super::{EXIT_NONE, EXIT_OK, Failure};

pub fn run(g: &Global, a: &MeasuresArgs) -> anyhow::Result<i32> {
    let date = match &a.date {
        Some(d) => Date::parse(d).map_err(|e| Failure::usage(format!("--date: {e}")))?,
        None => Date::today(),
    };
    let origin = match &a.origin {
        Some(o) => Some(
            tariff::country(o)
                .map_err(|e| Failure::usage(format!("--origin: {e}")))?
                .code
                .clone(),
        ),
        None => None,
    };
    let measures = load_measures(g)?;
    let mut out = text_stdout(a.json);
    let code = a.code.as_deref().map(str::trim);
    let rows: Vec<&Measure> = match code {
        Some(c) => measures
            .rows
            .iter()
            .filter(|m| m.code == c)
            .filter(|m| origin.as_deref().is_none_or(|o| m.origins.covers(o)))
            .collect(),
        None => measures.in_force(date, origin.as_deref()),
    };
    if rows.is_empty() {
        if !g.quiet {
            let what = match code {
                Some(c) => format!("no measure {c} in the table (hs measures lists them)"),
                None => format!("no measure in force on {date}"),
            };
            let _ = writeln!(std::io::stderr(), "hs: {what}");
        }
        return Ok(EXIT_NONE);
    }
    if a.lines {
        let lines = lines_of(&measures, &rows);
        if a.json {
            let v = json!({ "code": code, "lines": lines });
            serde_json::to_writer_pretty(&mut out, &v)?;
            writeln!(out)?;
        } else {
            for l in &lines {
                writeln!(out, "{l}")?;
            }
        }
        out.flush()?;
        return Ok(if lines.is_empty() { EXIT_NONE } else { EXIT_OK });
    }
    if a.json {
        let v = json!({
            "date": date,
            "origin": origin,
            "data_through": tariff::measures::DATA_THROUGH,
            "measures": rows.iter().map(|m| row_json(m, date)).collect::<Vec<Value>>(),
        });
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
    } else {
        for m in &rows {
            let when = match (m.from, m.until) {
                (Some(f), Some(u)) => format!("{f}..{u}"),
                (Some(f), None) => format!("from {f}"),
                (None, Some(u)) => format!("until {u}"),
                (None, None) => String::new(),
            };
            writeln!(
                out,
                "{:<11} {:<12} {:<8} {:<22} {}",
                m.code,
                m.authority,
                status(m),
                when,
                m.description
            )?;
            writeln!(
                out,
                "            origins: {}; goods: {}; rate: {}",
                m.origins.label(),
                m.goods.label(),
                m.rate.label()
            )?;
            writeln!(out, "            source: {}", m.source)?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

fn status(m: &Measure) -> &'static str {
    match m.status {
        tariff::Status::Charged => "charged",
        tariff::Status::Suspended => "suspended",
        tariff::Status::MayExclude => "excludes",
        tariff::Status::NotComputed => "not-comp",
        tariff::Status::Ended => "ended",
    }
}

fn row_json(m: &Measure, date: Date) -> Value {
    json!({
        "code": m.code,
        "authority": m.authority,
        "description": m.description,
        "origins": m.origins.label(),
        "goods": m.goods.label(),
        "rate": m.rate.label(),
        "from": m.from,
        "until": m.until,
        "status": m.status,
        "in_force": m.in_force_on(date) && m.status != tariff::Status::Ended,
        "group": m.group,
        "note": m.note,
        "source": m.source,
    })
}

/// The lines the rows' product lists name, printed as HTS codes.
fn lines_of(measures: &Measures, rows: &[&Measure]) -> Vec<String> {
    let mut all: Vec<String> = rows.iter().flat_map(|m| measures.listed(m)).collect();
    all.sort();
    all.dedup();
    all.iter().map(|d| dotted(d)).collect()
}

/// `61091000` -> `6109.10.00`, `7616995160` -> `7616.99.51.60`.
fn dotted(d: &str) -> String {
    let mut out = String::new();
    for (i, c) in d.chars().enumerate() {
        if i >= 4 && i % 2 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}
