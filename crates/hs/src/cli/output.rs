//! Output helpers shared by subcommands: the engine with its notices, JSON
//! shapes of suggestions and flags, and stdout that turns a closed pipe into
//! a quiet end.

use std::io::{self, BufWriter, Write};

use serde_json::{Value, json};

use crate::engine::{Engine, Options, load_dataset};
use crate::flags::{Flag, FlagTable, builtin_table};
use crate::index::{IndexEvent, fingerprint, read_meta, resolve_index_dir};
use crate::load::Dataset;
use crate::rank::Suggestion;

use super::args::Global;
use super::progress::Progress;

pub fn options(g: &Global) -> Options {
    Options {
        data_dir: g.data.clone(),
        index_dir: g.index.clone(),
        rebuild: false,
    }
}

/// Opens the engine, with a spinner on a terminal while the data loads and
/// the index is built, and a notice on stderr when an index was built.
pub fn engine(g: &Global) -> anyhow::Result<Engine> {
    engine_with(g, &options(g))
}

/// As [`engine`], with explicit options (`hs index build` forces a rebuild).
pub fn engine_with(g: &Global, opts: &Options) -> anyhow::Result<Engine> {
    let spin = Progress::spinner(g.quiet, "loading reference data");
    let ds = load_dataset(opts)?;
    if index_will_build(&ds, opts) {
        let dir = resolve_index_dir(opts.index_dir.as_deref());
        spin.message(format!(
            "building the index in {} (first use or data changed; a few seconds)",
            dir.display()
        ));
    } else {
        spin.message("opening the index");
    }
    let (engine, events) = Engine::with_dataset(ds, opts)?;
    spin.finish();
    notices(g.quiet, &events);
    Ok(engine)
}

/// True when opening the engine will build the index (missing, stale or a
/// forced rebuild), as far as can be told without opening it.
fn index_will_build(ds: &Dataset, opts: &Options) -> bool {
    if opts.rebuild {
        return true;
    }
    let dir = resolve_index_dir(opts.index_dir.as_deref());
    read_meta(&dir).is_none_or(|m| m.fingerprint != fingerprint(&ds.dir))
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
    let mut v = json!({
        "code": s.code.to_string(),
        "level": s.level,
        "description": s.description,
        "hs6": s.hs6.to_string(),
        "path": s.path,
        "score": round(s.score, 4),
        "confidence": round(s.confidence, 4),
        "matched": s.matched,
        "flags": code_flags(&s.code).into_iter().map(flag_json).collect::<Vec<_>>(),
    });
    // Only with precedents, so output without them is unchanged.
    if !s.precedents.is_empty() {
        v["precedents"] = json!(s.precedents.iter().map(|p| json!({
            "description": p.description,
            "code": p.code,
            "set": p.set,
            "row": p.row,
            "reference": p.reference,
            "similarity": p.similarity,
        })).collect::<Vec<_>>());
    }
    v
}

/// The built-in flags table, or a data error (exit 2). Commands that show
/// flags call this first, so a broken table fails before any output.
pub fn flag_table() -> anyhow::Result<&'static FlagTable> {
    builtin_table().map_err(|e| anyhow::anyhow!("built-in table hs-data/controlled.csv: {e}"))
}

/// The flags of a code and those only under it: the core's functions
/// (commands check [`flag_table`] before printing).
pub use crate::flags::{code_flags, flags_under};

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
