//! `hs flags`: lists the controlled-goods table (built in; no data folder
//! needed), grouped by category, with the disclaimer.

use std::io::Write;

use crate::flags::DISCLAIMER;
use crate::view::FlagsTableView;

use super::EXIT_OK;
use super::args::FlagsArgs;
use super::output::{flag_table, text_stdout, wrap};

pub fn run(a: &FlagsArgs) -> anyhow::Result<i32> {
    let view = FlagsTableView::new(flag_table()?);
    let mut out = text_stdout(a.json);
    if a.json {
        serde_json::to_writer_pretty(&mut out, &view)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", wrap(DISCLAIMER, 88, ""))?;
        for c in &view.categories {
            writeln!(out)?;
            writeln!(out, "{}: {} ({} ranges)", c.category, c.description, c.rows)?;
            for r in view.in_category(c.category) {
                writeln!(out, "  {:<17} {}", r.range, r.reason)?;
                writeln!(out, "  {:<17} source: {}", "", r.source)?;
            }
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}
