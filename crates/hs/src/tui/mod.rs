//! The interactive terminal UI (ratatui + crossterm): live suggestions as a
//! broker types (Classify), the code tree for trainers (Browse), the General
//! Rules of Interpretation, and a quiz. The [`app::App`] holds all state and
//! is driven by keys without a terminal; this module only runs the event
//! loop on a real terminal and puts the terminal back as it was on quit,
//! on Ctrl-C and on a panic. The UI is drawn on `/dev/tty` (or stderr), so
//! stdout stays free for `hs pick` to print the chosen code.

pub mod app;
pub mod components;
pub mod detail;
pub mod keys;
pub mod quiz;
pub mod search;
pub mod theme;
pub mod wrap;

use std::fs::OpenOptions;
use std::io::{self, IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};

use crate::engine::Engine;

pub use app::{App, AppOptions, Screen};

/// How to start the UI.
#[derive(Debug, Default)]
pub struct Start {
    /// The query typed at the start.
    pub query: Option<String>,
    /// A quiz to open on.
    pub quiz: Option<quiz::Quiz>,
}

/// The terminal is in raw mode on the alternate screen.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Where the UI is drawn: the controlling terminal, else stderr when it is
/// a terminal.
fn open_output() -> io::Result<Box<dyn Write + Send>> {
    match OpenOptions::new().read(true).write(true).open("/dev/tty") {
        Ok(f) => Ok(Box::new(f)),
        Err(_) if io::stderr().is_terminal() => Ok(Box::new(io::stderr())),
        Err(e) => Err(io::Error::new(
            e.kind(),
            "no terminal to draw on: run hs tui in a terminal (not a pipe)",
        )),
    }
}

/// True when keys come from a terminal (stdin) and there is a terminal to
/// draw on (stdout may be a pipe: `code=$(hs pick)`).
pub fn terminal_available() -> bool {
    io::stdin().is_terminal() && open_output().is_ok()
}

/// Puts the terminal back as it was (idempotent; also called on a panic).
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = disable_raw_mode();
    if let Ok(mut out) = open_output() {
        let _ = execute!(
            out,
            DisableBracketedPaste,
            LeaveAlternateScreen,
            cursor::Show
        );
        let _ = out.flush();
    }
}

/// Restores the terminal when dropped (on return or on an error).
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Installs a panic hook that restores the terminal before the panic
/// message is printed (once per process).
fn install_panic_hook() {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Runs the UI until the user quits; returns the code picked with Enter
/// (pick mode), if any.
pub fn run(engine: Arc<Engine>, opts: AppOptions, start: Start) -> anyhow::Result<App> {
    let mut app = App::new(
        engine,
        AppOptions {
            worker: true,
            ..opts
        },
    );
    if let Some(q) = &start.query {
        app.set_query(q);
    }
    if let Some(q) = start.quiz {
        app.start_quiz(q);
    }

    let mut out = open_output()?;
    install_panic_hook();
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let _guard = Guard;
    // No Terminal::clear: it asks the terminal for the cursor position on
    // stdout, which `hs pick` leaves to the shell.
    execute!(
        out,
        EnterAlternateScreen,
        EnableBracketedPaste,
        Clear(ClearType::All)
    )?;
    let mut terminal = Terminal::new(CrosstermBackend::new(out))?;

    let mut dirty = true;
    loop {
        if dirty {
            terminal.draw(|f| app.draw(f))?;
            dirty = false;
        }
        if let Some(code) = app.clipboard.take() {
            let w = terminal.backend_mut();
            write!(w, "{}", osc52(&code))?;
            w.flush()?;
        }
        if app.should_quit {
            break;
        }
        let wait = if app.search_pending() {
            Duration::from_millis(5)
        } else {
            Duration::from_millis(250)
        };
        if event::poll(wait)? {
            // Take every key waiting before drawing again: typing never
            // waits for a frame.
            loop {
                match event::read()? {
                    Event::Key(k) => app.on_key(k),
                    Event::Paste(s) => app.on_paste(&s),
                    Event::Resize(..) => {
                        terminal.autoresize()?;
                    }
                    _ => {}
                }
                dirty = true;
                if app.should_quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        if app.tick() {
            dirty = true;
        }
    }
    drop(terminal);
    restore();
    Ok(app)
}

/// The OSC 52 sequence that asks the terminal to put `text` on the clipboard.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

/// Standard base64 with padding.
fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(T[(n >> 18) as usize & 63] as char);
        out.push(T[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            T[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            T[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_base64_for_osc52() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(osc52("6109.10"), "\x1b]52;c;NjEwOS4xMA==\x07");
    }
}
