//! `hs tui`, `hs pick` and `hs quiz` (and `hs` alone on a terminal): open
//! the terminal UI over the engine. `pick` prints the code chosen with Enter
//! on stdout (the UI is drawn on the terminal, not on stdout) and exits 1
//! when nothing was chosen; `quiz` prints the score per level at the end.

use std::io::{self, IsTerminal, Write};
use std::sync::Arc;

use crate::tui::quiz::{LEVELS, Quiz, Rng, builtin_quiz, level_name, read_csv};
use crate::tui::{self, AppOptions, Start};

use super::args::{Global, PickArgs, QuizArgs, TuiArgs};
use super::output::engine;
use super::{EXIT_NONE, EXIT_OK, Failure};

/// True when `hs` with no arguments should open the UI: stdin and stdout
/// are both terminals.
pub fn on_terminal() -> bool {
    io::stdin().is_terminal() && io::stdout().is_terminal()
}

fn need_terminal(cmd: &str) -> anyhow::Result<()> {
    if tui::terminal_available() {
        Ok(())
    } else {
        Err(Failure::usage(format!(
            "`hs {cmd}` needs a terminal to draw on; for scripts use `hs search TEXT` or `hs classify`"
        )))
    }
}

pub fn run(g: &Global, a: &TuiArgs) -> anyhow::Result<i32> {
    need_terminal("tui")?;
    let engine = Arc::new(super::precedents::engine_with_precedents(
        g,
        super::precedents::Default::Store,
    )?);
    let opts = AppOptions {
        pick: a.print,
        ..AppOptions::default()
    };
    let start = Start {
        query: a.query.clone(),
        quiz: None,
    };
    let app = tui::run(engine, opts, start)?;
    if a.print {
        return Ok(print_pick(app.picked)?);
    }
    Ok(EXIT_OK)
}

pub fn pick(g: &Global, a: &PickArgs) -> anyhow::Result<i32> {
    run(
        g,
        &TuiArgs {
            query: a.query.clone(),
            print: true,
        },
    )
}

fn print_pick(picked: Option<String>) -> io::Result<i32> {
    match picked {
        Some(code) => {
            let mut out = io::stdout().lock();
            writeln!(out, "{code}")?;
            out.flush()?;
            Ok(EXIT_OK)
        }
        None => Ok(EXIT_NONE),
    }
}

pub fn quiz(g: &Global, a: &QuizArgs) -> anyhow::Result<i32> {
    need_terminal("quiz")?;
    if a.count == Some(0) {
        return Err(Failure::usage("--count must be at least 1"));
    }
    let engine = Arc::new(engine(g)?);
    let mut rng = a.seed.map_or_else(Rng::from_time, Rng::new);
    let quiz = match &a.input {
        Some(path) => {
            let (mut items, skipped) = read_csv(&engine.data.tree, path, &a.column, &a.gold)
                .map_err(|e| Failure::usage(e.to_string()))?;
            if skipped > 0 && !g.quiet {
                eprintln!(
                    "hs: {skipped} rows of {} skipped (no description, or a code not in HS 2022)",
                    path.display()
                );
            }
            if a.shuffle {
                rng.shuffle(&mut items);
            }
            if let Some(n) = a.count {
                items.truncate(n);
            }
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            Some(Quiz::new(items, name))
        }
        None => None,
    };
    let opts = AppOptions {
        seed: a.seed,
        quiz_count: a.count.unwrap_or(10),
        ..AppOptions::default()
    };
    let quiz = quiz.unwrap_or_else(|| builtin_quiz(&engine.data, opts.quiz_count, &mut rng));
    let app = tui::run(
        engine,
        opts,
        Start {
            query: None,
            quiz: Some(quiz),
        },
    )?;
    // The score, for the record.
    if let Some(q) = &app.quiz.quiz
        && q.scores.iter().any(|s| s.asked > 0)
    {
        let mut out = io::stdout().lock();
        writeln!(out, "quiz: {} ({} questions)", q.source, q.items.len())?;
        for (l, s) in LEVELS.iter().zip(q.scores.iter()) {
            if s.asked > 0 {
                writeln!(
                    out,
                    "  {:<11} {:>3}/{:<3} {:>4.0}%",
                    level_name(*l),
                    s.right,
                    s.asked,
                    100.0 * s.right as f64 / s.asked as f64
                )?;
            }
        }
        out.flush()?;
    }
    Ok(EXIT_OK)
}
