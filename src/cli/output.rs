//! Output helpers shared by subcommands: the engine with its notices, JSON
//! shapes of suggestions and flags, and stdout that turns a closed pipe into
//! a quiet end.

use std::io::{self, BufWriter, IsTerminal, Write};

use serde_json::{Value, json};

use crate::code::Code;
use crate::engine::{Engine, Options};
use crate::flags::{Flag, FlagTable, builtin_table};
use crate::index::IndexEvent;
use crate::rank::Suggestion;

use super::args::Global;

pub fn options(g: &Global) -> Options {
    Options {
        data_dir: g.data.clone(),
        index_dir: g.index.clone(),
        rebuild: false,
    }
}

/// Opens the engine, telling the user on stderr when an index was built.
pub fn engine(g: &Global) -> anyhow::Result<Engine> {
    let quiet = g.quiet;
    if !quiet && io::stderr().is_terminal() {
        let _ = writeln!(io::stderr(), "hs: loading reference data...");
    }
    let (engine, events) = Engine::open(&options(g))?;
    notices(quiet, &events);
    Ok(engine)
}

pub fn notices(quiet: bool, events: &[IndexEvent]) {
    if quiet {
        return;
    }
    for e in events {
        match e {
            IndexEvent::Built { dir, ms, reason } => {
                let _ = writeln!(
                    io::stderr(),
                    "hs: built the index in {} ({reason}) in {:.1} s",
                    dir.display(),
                    *ms as f64 / 1000.0
                );
            }
        }
    }
}

/// Buffered stdout.
pub fn stdout() -> BufWriter<io::StdoutLock<'static>> {
    BufWriter::with_capacity(64 * 1024, io::stdout().lock())
}

/// The JSON shape of a suggestion (fields are a public contract). `flags`
/// holds the controlled-goods flags of its code (see [`flag_json`]).
pub fn suggestion_json(s: &Suggestion) -> Value {
    json!({
        "code": s.code.to_string(),
        "level": s.level,
        "description": s.description,
        "hs6": s.hs6.to_string(),
        "path": s.path,
        "score": round(s.score, 4),
        "confidence": round(s.confidence, 4),
        "matched": s.matched,
        "flags": code_flags(&s.code).into_iter().map(flag_json).collect::<Vec<_>>(),
    })
}

/// The built-in flags table, or a data error (exit 2). Commands that show
/// flags call this first, so a broken table fails before any output.
pub fn flag_table() -> anyhow::Result<&'static FlagTable> {
    builtin_table().map_err(|e| anyhow::anyhow!("built-in table hs-data/controlled.csv: {e}"))
}

/// The flags reported for a code (one per category); none when the table
/// cannot be read (commands check [`flag_table`] before printing).
pub fn code_flags(code: &Code) -> Vec<&'static Flag> {
    builtin_table()
        .map(|t| t.report(code.digits()))
        .unwrap_or_default()
}

/// The flags that cover only some codes under a chapter or heading.
pub fn flags_under(code: &Code) -> Vec<&'static Flag> {
    builtin_table()
        .map(|t| t.flags_within(code.digits()))
        .unwrap_or_default()
}

/// The JSON shape of a flag (fields are a public contract): category,
/// reason, source, range (`9301`, `2939.41-2939.42`).
pub fn flag_json(f: &Flag) -> Value {
    json!({
        "category": f.category,
        "reason": f.reason,
        "source": f.source,
        "range": f.range.to_string(),
    })
}

/// Flag categories as one cell (`arms;dual-use`), for CSV and text.
pub fn flag_cell(flags: &[&Flag]) -> String {
    flags
        .iter()
        .map(|f| f.category.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

/// Wraps text at `width` columns, each line prefixed by `indent`.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

pub fn round(x: f32, places: i32) -> f64 {
    let p = 10f64.powi(places);
    (f64::from(x) * p).round() / p
}

/// Rows whose top two are close in confidence go to a person.
pub fn needs_review(s: &[Suggestion]) -> bool {
    match s {
        [] => false,
        [only] => only.confidence < 0.5,
        [a, b, ..] => a.confidence < 0.35 || a.confidence - b.confidence < 0.15,
    }
}
