//! Output helpers shared by subcommands: the engine with its notices, JSON
//! shapes of suggestions, and stdout that turns a closed pipe into a quiet
//! end.

use std::io::{self, BufWriter, IsTerminal, Write};

use serde_json::{Value, json};

use crate::engine::{Engine, Options};
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

/// The JSON shape of a suggestion (fields are a public contract).
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
    })
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
