//! `hs search TEXT...`: ranked suggestions for one description, with the
//! national lines of the chosen schedule (`--schedule us|eu`).

use std::io::Write;

use serde_json::json;

use crate::cn::{CN_LINE_LEVEL, CnSchedule, spaced};

use super::args::{Global, ScheduleArg, SearchArgs};
use super::output::{engine, stdout, suggestion_json};
use super::{EXIT_NONE, EXIT_OK};

pub fn run(g: &Global, a: &SearchArgs) -> anyhow::Result<i32> {
    let query = a.text.join(" ");
    let engine = engine(g)?;
    let cn = match a.schedule {
        ScheduleArg::Us => None,
        ScheduleArg::Eu => Some(CnSchedule::load(&engine.data.dir, &engine.data.tree)?),
    };
    let result = engine.search_in(&mut engine.ranker(), &query, a.top, cn.as_ref());
    let mut out = stdout();
    if a.json {
        let mut v = json!({
            "query": query,
            "kind": result.kind,
            "suggestions": result.suggestions.iter().map(suggestion_json).collect::<Vec<_>>(),
        });
        if a.schedule == ScheduleArg::Eu {
            v["schedule"] = json!("eu");
        }
        serde_json::to_writer(&mut out, &v)?;
        writeln!(out)?;
    } else if result.suggestions.is_empty() {
        if !g.quiet {
            eprintln!(
                "hs: no suggestions for \"{query}\"; try other words for the goods (what it is, what it is made of)"
            );
        }
    } else {
        for (i, s) in result.suggestions.iter().enumerate() {
            let code = if s.level == CN_LINE_LEVEL {
                spaced(&s.code)
            } else {
                s.code.to_string()
            };
            writeln!(
                out,
                "{:>2}. {:<14} {:>3.0}%  {}",
                i + 1,
                code,
                s.confidence * 100.0,
                s.description
            )?;
            if !s.matched.is_empty() {
                let why: Vec<String> = s
                    .matched
                    .iter()
                    .map(|m| format!("{} ({})", m.word, m.sources.join(", ")))
                    .collect();
                writeln!(out, "    {:<14} matched: {}", "", why.join("; "))?;
            }
        }
    }
    out.flush()?;
    Ok(if result.suggestions.is_empty() {
        EXIT_NONE
    } else {
        EXIT_OK
    })
}
