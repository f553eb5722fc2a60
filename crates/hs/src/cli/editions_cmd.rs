//! `hs diff-editions`: the codes added and deleted between HS 2017 and
//! HS 2022, with their texts (headings with `--level 4`).

use std::io::Write;

use crate::editions::Editions;
use crate::load::resolve_data_dir;
use crate::view::EditionsDiffView;

pub use crate::view::editions::dotted;

use super::EXIT_OK;
use super::args::{DiffEditionsArgs, Global};
use super::output::text_stdout;

pub fn run(g: &Global, a: &DiffEditionsArgs) -> anyhow::Result<i32> {
    let dir = resolve_data_dir(g.data.as_deref())?;
    let editions = Editions::new(dir);
    let d = editions.diff(a.level)?;
    let what = if a.level == 4 {
        "headings"
    } else {
        "subheadings"
    };
    let mut out = text_stdout(a.json);
    if a.json {
        serde_json::to_writer_pretty(&mut out, &EditionsDiffView::new(&d))?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "HS {} -> HS {}, {what}: {} added, {} deleted",
            d.old_year,
            d.new_year,
            d.added.len(),
            d.deleted.len()
        )?;
        for (title, texts, list) in [
            ("Added in", d.new_year, &d.added),
            ("Deleted in", d.old_year, &d.deleted),
        ] {
            writeln!(out)?;
            writeln!(
                out,
                "{title} HS {} ({}; texts of HS {texts})",
                d.new_year,
                list.len()
            )?;
            for (c, t) in list.iter() {
                writeln!(out, "  {:<8} {t}", dotted(c))?;
            }
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}
