//! `hs search TEXT...`: ranked suggestions for one description, each with
//! its controlled-goods flags (`--flag` keeps the flagged ones), with the
//! national lines of the chosen schedule (`--schedule us|eu`).

use std::io::Write;

use serde_json::json;

use crate::cn::{CN_LINE_LEVEL, CnSchedule, spaced};
use crate::code::Code;
use crate::flags::{DISCLAIMER, matches_filter};

use super::args::{Global, ScheduleArg, SearchArgs};
use super::output::{
    code_flags, flag_cell, flag_table, suggestion_json, terminal_safe, text_stdout, wrap,
};
use super::precedents::{Default as PrecedentDefault, engine_with_precedents};
use super::{EXIT_NONE, EXIT_OK};

pub fn run(g: &Global, a: &SearchArgs) -> anyhow::Result<i32> {
    let query = a.text.join(" ");
    // Digits and separators alone are read as a code: a malformed one
    // (`6109.1`, `5.5`) is an input error (exit 2), never a text search.
    if Code::looks_like_code(&query) {
        Code::parse(&query)?;
    }
    flag_table()?;
    let engine = engine_with_precedents(g, PrecedentDefault::Store)?;
    let cn = match a.schedule {
        ScheduleArg::Us => None,
        ScheduleArg::Eu => Some(CnSchedule::load(&engine.data.dir, &engine.data.tree)?),
    };
    let mut result = engine.search_in(&mut engine.ranker(), &query, a.top, cn.as_ref())?;
    // `--flag`: keep, among the top suggestions, those carrying the flag.
    result
        .suggestions
        .retain(|s| matches_filter(&code_flags(&s.code), &a.flag));
    let mut out = text_stdout(a.json);
    if a.json {
        let mut v = json!({
            "query": query,
            "kind": result.kind,
            "suggestions": result.suggestions.iter().map(suggestion_json).collect::<Vec<_>>(),
            "flags_disclaimer": DISCLAIMER,
            "read_as": result
                .understood
                .brands
                .iter()
                .map(|(brand, goods)| json!({"brand": brand, "goods": goods}))
                .collect::<Vec<_>>(),
        });
        if a.schedule == ScheduleArg::Eu {
            v["schedule"] = json!("eu");
        }
        let sets = engine.precedent_sets();
        if !sets.is_empty() {
            v["precedent_sets"] = json!(sets);
        }
        if let Some(c) = &result.conflict {
            v["precedent_conflict"] = json!(c);
        }
        serde_json::to_writer(&mut out, &v)?;
        writeln!(out)?;
    } else if result.suggestions.is_empty() {
        if !g.quiet {
            if a.flag.is_empty() {
                eprintln!(
                    "hs: no suggestions for \"{}\"; try other words for the goods (what it is, what it is made of)",
                    terminal_safe(&query)
                );
            } else {
                eprintln!(
                    "hs: none of the top {} suggestions for \"{}\" carries the flag {}",
                    a.top,
                    terminal_safe(&query),
                    a.flag.join(" or ")
                );
            }
        }
    } else {
        if let Some(c) = &result.conflict {
            let codes: Vec<String> = c
                .codes
                .iter()
                .map(|(code, n)| format!("{code} ({n})"))
                .collect();
            writeln!(
                out,
                "conflict: precedents with the same description are classified differently: {}",
                codes.join(", ")
            )?;
        }
        for (brand, goods) in &result.understood.brands {
            writeln!(out, "read \"{brand}\" as \"{goods}\" (hs-data/brands.csv)")?;
        }
        let mut any_flag = false;
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
            for p in &s.precedents {
                writeln!(
                    out,
                    "    {:<14} as in your {} row {}: '{}' -> {} (similarity {:.2})",
                    "",
                    terminal_safe(&p.file),
                    p.row,
                    terminal_safe(&p.description),
                    p.code,
                    p.similarity
                )?;
            }
            let flags = code_flags(&s.code);
            if !flags.is_empty() {
                any_flag = true;
                writeln!(
                    out,
                    "    {:<14} flags: {} (hs show {} for reasons)",
                    "",
                    flag_cell(&flags).replace(';', ", "),
                    s.code
                )?;
            }
        }
        if any_flag {
            writeln!(out)?;
            write!(out, "{}", wrap(DISCLAIMER, 88, ""))?;
        }
    }
    out.flush()?;
    Ok(if result.suggestions.is_empty() {
        EXIT_NONE
    } else {
        EXIT_OK
    })
}
