//! `hs diff-editions`: the codes added and deleted between HS 2017 and
//! HS 2022, with their texts (headings with `--level 4`).

use std::io::Write;

use serde_json::{Value, json};

use crate::code::Code;
use crate::editions::Editions;
use crate::load::resolve_data_dir;

use super::EXIT_OK;
use super::args::{DiffEditionsArgs, Global};
use super::output::stdout;

/// A digits-only code in its printed form (`851713` -> `8517.13`).
pub fn dotted(digits: &str) -> String {
    Code::parse(digits).map_or_else(|_| digits.to_string(), |c| c.to_string())
}

pub fn run(g: &Global, a: &DiffEditionsArgs) -> anyhow::Result<i32> {
    let dir = resolve_data_dir(g.data.as_deref())?;
    let editions = Editions::new(dir);
    let d = editions.diff(a.level)?;
    let what = if a.level == 4 {
        "headings"
    } else {
        "subheadings"
    };
    let mut out = stdout();
    if a.json {
        let list = |v: &[(String, String)]| -> Vec<Value> {
            v.iter()
                .map(|(c, t)| json!({"code": dotted(c), "description": t}))
                .collect()
        };
        let v = json!({
            "old": d.old_year,
            "new": d.new_year,
            "level": d.level,
            "added": list(&d.added),
            "deleted": list(&d.deleted),
        });
        serde_json::to_writer_pretty(&mut out, &v)?;
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
