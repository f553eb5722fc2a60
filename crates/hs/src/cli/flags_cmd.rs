//! `hs flags`: lists the controlled-goods table (built in; no data folder
//! needed), grouped by category, with the disclaimer.

use std::io::Write;

use serde_json::json;

use crate::flags::{CATEGORIES, DISCLAIMER};

use super::EXIT_OK;
use super::args::FlagsArgs;
use super::output::{FlagView, flag_table, stdout, wrap};

pub fn run(a: &FlagsArgs) -> anyhow::Result<i32> {
    let table = flag_table()?;
    let mut out = stdout();
    if a.json {
        let categories: Vec<_> = CATEGORIES
            .iter()
            .map(|(slug, about)| {
                json!({
                    "category": slug,
                    "description": about,
                    "rows": table.rows().iter().filter(|r| r.category == *slug).count(),
                })
            })
            .collect();
        let v = json!({
            "flags_disclaimer": DISCLAIMER,
            "categories": categories,
            "flags": table.rows().iter().map(FlagView::new).collect::<Vec<_>>(),
        });
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", wrap(DISCLAIMER, 88, ""))?;
        for (slug, about) in CATEGORIES {
            let rows: Vec<_> = table
                .rows()
                .iter()
                .filter(|r| r.category == *slug)
                .collect();
            writeln!(out)?;
            writeln!(out, "{slug}: {about} ({} ranges)", rows.len())?;
            for r in rows {
                writeln!(out, "  {:<17} {}", r.range.to_string(), r.reason)?;
                writeln!(out, "  {:<17} source: {}", "", r.source)?;
            }
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}
