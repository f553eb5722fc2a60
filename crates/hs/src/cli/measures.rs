//! `hs measures [HEADING] [--date D] [--origin CC] [--lines]`: the chapter
//! 99 measures of `hs-data/measures.csv` in force on a date, one measure's
//! rows, or the lines a measure's product list covers.
//!
//! Exit codes: 0 found; 1 nothing in force or no row for the heading;
//! 2 bad input (date, country) or a data error.

use std::io::Write;

use crate::tariff::{self, Date};
use crate::view::measures::{MeasureLinesView, MeasuresView, select, select_for_lines};

use super::args::{Global, MeasuresArgs};
use super::duty::load_measures;
use super::output::{excerpt, text_stdout};
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
    if let Some(c) = code
        && (c.is_empty()
            || !c
                .chars()
                .all(|ch| ch.is_ascii_digit() || ch == '.' || ch == ' '))
    {
        return Err(Failure::usage(format!(
            "'{}' is not a chapter 99 heading: give one such as 9903.88.15 (hs measures lists them)",
            excerpt(c, 40)
        )));
    }
    let rows = select(&measures, code, date, origin.as_deref());
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
        let (rows, day) =
            select_for_lines(&measures, code, date, a.date.is_some(), origin.as_deref());
        if rows.is_empty() {
            if !g.quiet
                && let Some(c) = code
            {
                let _ = writeln!(
                    std::io::stderr(),
                    "hs: no period of {} is in force on {date} (hs measures {} lists its periods)",
                    excerpt(c, 40),
                    excerpt(c, 40)
                );
            }
            return Ok(EXIT_NONE);
        }
        let view = MeasureLinesView::new(&measures, code, &rows, day);
        if a.json {
            serde_json::to_writer_pretty(&mut out, &view)?;
            writeln!(out)?;
        } else {
            for l in &view.lines {
                writeln!(out, "{l}")?;
            }
        }
        out.flush()?;
        // A measure on all goods lists no line, and is not "nothing found".
        if view.all_goods && !g.quiet {
            let _ = writeln!(
                std::io::stderr(),
                "hs: {} covers all goods: every line of the schedule (none listed)",
                excerpt(code.unwrap_or("a measure in force"), 40)
            );
        }
        return Ok(if view.lines.is_empty() && !view.all_goods {
            EXIT_NONE
        } else {
            EXIT_OK
        });
    }
    let view = MeasuresView::new(&rows, date, origin.as_deref());
    if a.json {
        serde_json::to_writer_pretty(&mut out, &view)?;
        writeln!(out)?;
    } else {
        for m in &view.measures {
            writeln!(
                out,
                "{:<11} {:<12} {:<8} {:<22} {}",
                m.code,
                m.authority,
                m.status_word(),
                m.when(),
                m.description
            )?;
            writeln!(
                out,
                "            origins: {}; goods: {}; rate: {}",
                m.origins, m.goods, m.rate
            )?;
            writeln!(out, "            source: {}", m.source)?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}
