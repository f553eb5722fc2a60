//! `hs search TEXT...`: ranked suggestions for one description, each with
//! its controlled-goods flags (`--flag` keeps the flagged ones), with the
//! national lines of the chosen schedule (`--schedule us|eu`).

use std::io::Write;

use crate::cn::CnSchedule;
use crate::code::Code;
use crate::flags::{DISCLAIMER, matches_filter};
use crate::view::search::NOT_ENGLISH_NOTE;
use crate::view::{SearchView, suggestion_flags};

use super::args::{Global, ScheduleArg, SearchArgs};
use super::output::{flag_table, terminal_safe, text_stdout, wrap};
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
        .retain(|s| matches_filter(&suggestion_flags(s), &a.flag));
    let schedule = (a.schedule == ScheduleArg::Eu).then_some("eu");
    let view =
        SearchView::new(&query, &result, schedule).with_precedent_sets(engine.precedent_sets());
    let mut out = text_stdout(a.json);
    if a.json {
        serde_json::to_writer(&mut out, &view)?;
        writeln!(out)?;
    } else if view.suggestions.is_empty() {
        if !g.quiet {
            if a.flag.is_empty() && result.kind == "code" {
                let q = terminal_safe(&query);
                eprintln!(
                    "hs: no suggestions for \"{q}\": a code query lists codes of the goods nomenclature (chapters 1-97) in HS 2022; `hs show {q}` says what the code is (a chapter 98 or 99 line, a code HS 2022 deleted and its successors)"
                );
            } else if a.flag.is_empty() && view.language.is_some() {
                eprintln!(
                    "hs: no suggestions for \"{}\": {NOT_ENGLISH_NOTE}",
                    terminal_safe(&query)
                );
            } else if a.flag.is_empty() {
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
        if let Some(c) = &view.precedent_conflict {
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
        for r in &view.read_as {
            writeln!(
                out,
                "read \"{}\" as \"{}\" (hs-data/brands.csv)",
                r.brand, r.goods
            )?;
        }
        if let Some(l) = &view.language {
            let mut words = l.foreign_words.clone();
            words.extend(l.unknown_words.iter().cloned());
            writeln!(
                out,
                "note: {} (words not understood: {})",
                l.note,
                words.join(", ")
            )?;
        }
        let mut any_flag = false;
        for (i, s) in view.suggestions.iter().enumerate() {
            writeln!(
                out,
                "{:>2}. {:<14} {:>3.0}%  {}",
                i + 1,
                s.shown,
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
                    "", p.file, p.row, p.description, p.code, p.similarity
                )?;
            }
            if !s.flags.is_empty() {
                any_flag = true;
                let cats: Vec<&str> = s.flags.iter().map(|f| f.category.as_str()).collect();
                writeln!(
                    out,
                    "    {:<14} flags: {} (hs show {} for reasons)",
                    "",
                    cats.join(", "),
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
    Ok(if view.suggestions.is_empty() {
        EXIT_NONE
    } else {
        EXIT_OK
    })
}
