//! The command line: parses arguments (clap), runs a subcommand over the
//! engine, writes data to stdout and messages to stderr, and maps outcomes
//! to exit codes: 0 found (every row got a result), 1 nothing found (or some
//! rows got none), 2 usage, input or data error, 130 a bulk run stopped by
//! Ctrl-C. A closed pipe ends quietly.

mod args;
mod audit;
mod bulk;
mod cells;
mod duty;
mod editions_cmd;
mod eval_cmd;
mod flags_cmd;
mod index_cmd;
mod interrupt;
mod lookup;
mod measures;
mod output;
mod pool;
mod precedents;
mod progress;
mod records;
mod schedules_view;
mod search;
mod serve;
mod shell;
mod show;
mod show_eu;
mod tui_cmd;

use std::io::{self, Write};

pub use args::{Cli, Command};
use clap::Parser;

/// Exit codes (a public contract).
pub const EXIT_OK: i32 = 0;
pub const EXIT_NONE: i32 = 1;
pub const EXIT_ERROR: i32 = 2;
/// Ctrl-C stopped a bulk run after whole output lines.
pub const EXIT_INTERRUPTED: i32 = interrupt::EXIT_INTERRUPTED;

/// An error with the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    pub code: i32,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> anyhow::Error {
        anyhow::Error::new(Failure {
            code: EXIT_ERROR,
            message: message.into(),
        })
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// Runs the command line with the process's arguments; returns the exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            // Help and version go to stdout: a failed write there (a full
            // disk, `>/dev/full`) is an error; a closed pipe ends quietly.
            return match e.print().and_then(|()| io::stdout().flush()) {
                Err(w) if w.kind() != io::ErrorKind::BrokenPipe => {
                    let _ = writeln!(io::stderr(), "hs: error: cannot write the help: {w}");
                    EXIT_ERROR
                }
                _ => code,
            };
        }
    };
    run_with(cli)
}

/// Runs a parsed command line.
pub fn run_with(cli: Cli) -> i32 {
    match dispatch(&cli) {
        Ok(code) => code,
        Err(e) => report(&e),
    }
}

/// Prints an error to stderr and returns its exit code; a broken pipe is quiet.
fn report(e: &anyhow::Error) -> i32 {
    if is_broken_pipe(e) {
        return EXIT_OK;
    }
    if let Some(f) = e.downcast_ref::<Failure>() {
        let _ = writeln!(io::stderr(), "hs: {}", output::terminal_safe(&f.message));
        return f.code;
    }
    let _ = writeln!(
        io::stderr(),
        "hs: error: {}",
        output::terminal_safe(&message(e))
    );
    EXIT_ERROR
}

/// An error and its causes, joined by ": ", leaving out a cause whose text
/// the message already holds (an error that prints its source, such as
/// "index folder X: Permission denied (os error 13)", is not followed by the
/// same "Permission denied (os error 13)" again).
fn message(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn dispatch(cli: &Cli) -> anyhow::Result<i32> {
    let global = &cli.global;
    match &cli.command {
        None if tui_cmd::on_terminal() => tui_cmd::run(global, &args::TuiArgs::default()),
        None => Err(Failure::usage(
            "no command given; try `hs search \"men's cotton t-shirt\"` or `hs --help`",
        )),
        Some(Command::Show(a)) => show::run(global, a),
        Some(Command::Search(a)) => search::run(global, a),
        Some(Command::Classify(a)) => bulk::classify(global, a),
        Some(Command::Eval(a)) => eval_cmd::run(global, a),
        Some(Command::Index(a)) => index_cmd::run(global, a),
        Some(Command::Flags(a)) => flags_cmd::run(a),
        Some(Command::DiffEditions(a)) => editions_cmd::run(global, a),
        Some(Command::Duty(a)) => duty::run(global, a),
        Some(Command::Measures(a)) => measures::run(global, a),
        Some(Command::Tui(a)) => tui_cmd::run(global, a),
        Some(Command::Pick(a)) => tui_cmd::pick(global, a),
        Some(Command::Quiz(a)) => tui_cmd::quiz(global, a),
        Some(Command::Lookup(a)) => lookup::run(global, a),
        Some(Command::Completions(a)) => shell::completions(a),
        Some(Command::Man) => shell::man(),
        Some(Command::Precedents(a)) => precedents::run(global, a),
        Some(Command::Audit(a)) => audit::run(global, a),
        Some(Command::Serve(a)) => serve::run(global, a),
        Some(Command::Mcp(a)) => serve::mcp(global, a),
    }
}
