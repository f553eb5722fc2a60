//! `hs tui`, `hs pick` and `hs quiz` (and `hs` alone on a terminal): open
//! the terminal UI over the engine. `pick` prints the code chosen with Enter
//! on stdout (the UI is drawn on the terminal, not on stdout) and exits 1
//! when nothing was chosen; `quiz` prints the score per level at the end.

use std::io::{self, IsTerminal, Write};
use std::sync::Arc;

use crate::tree::Tree;
use crate::tui::quiz::{LEVELS, Quiz, QuizItem, Rng, builtin_quiz, level_name};
use crate::tui::{self, AppOptions, Start};

use super::args::{Global, PickArgs, QuizArgs, TuiArgs};
use super::bulk::{Input, gold_column, is_blank_line};
use super::output::{engine, terminal_safe};
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
    open(g, a, "tui")
}

fn open(g: &Global, a: &TuiArgs, cmd: &str) -> anyhow::Result<i32> {
    need_terminal(cmd)?;
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
    open(
        g,
        &TuiArgs {
            query: a.query.clone(),
            print: true,
        },
        "pick",
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

/// Most skipped rows of a quiz file named one by one on stderr.
const SKIPPED_NAMED: usize = 5;

/// Reads a quiz file's rows as every bulk input is read (quoting errors
/// and invalid UTF-16 refused naming the line, invalid UTF-8 read lossily
/// with a warning, cells cut at 10,000 bytes); returns the questions and
/// the rows skipped (no description, a code not in HS 2022, a row without
/// the columns), each with its line.
fn read_quiz(
    g: &Global,
    tree: &Tree,
    path: &std::path::Path,
    column: &str,
    gold: &str,
) -> anyhow::Result<(Vec<QuizItem>, Vec<usize>)> {
    let Input {
        name,
        mut reader,
        headers,
        ..
    } = Input::open(path, false, column, "description")?;
    let gold_pos = gold_column(&name, &headers, gold)?;
    let (mut items, mut skipped) = (Vec::new(), Vec::new());
    loop {
        let rows = reader.next_chunk(1024)?;
        if rows.is_empty() {
            break;
        }
        for row in rows.iter().filter(|r| !is_blank_line(r)) {
            if let Some(w) = &row.warning
                && !g.quiet
            {
                eprintln!("hs: warning: {} {}", terminal_safe(&name), terminal_safe(w));
            }
            let code = row.fields.get(gold_pos).map_or("", String::as_str);
            match QuizItem::new(tree, &row.text, code).filter(|_| row.problem.is_none()) {
                Some(it) => items.push(it),
                None => skipped.push(row.line),
            }
        }
    }
    if items.is_empty() {
        return Err(Failure::usage(format!(
            "{} has no usable rows: each needs a description and a code in HS 2022 ({} skipped)",
            terminal_safe(&name),
            skipped.len()
        )));
    }
    Ok((items, skipped))
}

pub fn quiz(g: &Global, a: &QuizArgs) -> anyhow::Result<i32> {
    if a.count == Some(0) {
        return Err(Failure::usage("--count must be at least 1"));
    }
    let engine = Arc::new(engine(g)?);
    let mut rng = a.seed.map_or_else(Rng::from_time, Rng::new);
    // The file is read before the terminal is asked for, so its errors
    // show without one.
    let quiz = match &a.input {
        Some(path) => {
            let (mut items, skipped) = read_quiz(g, &engine.data.tree, path, &a.column, &a.gold)?;
            if !skipped.is_empty() && !g.quiet {
                let lines: Vec<String> = skipped
                    .iter()
                    .take(SKIPPED_NAMED)
                    .map(ToString::to_string)
                    .collect();
                let more = skipped.len().saturating_sub(SKIPPED_NAMED);
                eprintln!(
                    "hs: {} rows of {} skipped (no description, or a code not in HS 2022): line {}{}",
                    skipped.len(),
                    terminal_safe(&path.display().to_string()),
                    lines.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
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
    need_terminal("quiz")?;
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
    // The score, for the record (also when nothing was answered).
    if let Some(q) = &app.quiz.quiz {
        let mut out = io::stdout().lock();
        writeln!(
            out,
            "quiz: {} ({} questions)",
            terminal_safe(&q.source),
            q.items.len()
        )?;
        if q.scores.iter().all(|s| s.asked == 0) {
            writeln!(out, "  no question answered")?;
        }
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
