//! Output helpers shared by subcommands: the engine with its notices, the
//! core's flag view, stdout that turns a closed pipe into a quiet end, and
//! [`terminal_safe`], the one function that keeps control characters
//! (ANSI/OSC escapes, C0/C1 controls, bidi overrides) from reaching a
//! terminal raw.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};

use crate::engine::{Engine, Options, load_dataset};
use crate::flags::{Flag, FlagTable, builtin_table};
use crate::index::{IndexEvent, IndexState, inspect, resolve_index_dir};
use crate::load::Dataset;

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
            terminal_safe(&dir.display().to_string())
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
    !matches!(inspect(&dir, &ds.dir), Ok(IndexState::Current(_)))
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
                    terminal_safe(&dir.display().to_string()),
                    *ms as f64 / 1000.0
                );
            }
            IndexEvent::Cleaned { path } => {
                let _ = writeln!(
                    io::stderr(),
                    "hs: removed {}, left by a build that was stopped",
                    path.display()
                );
            }
        }
    }
}

/// Buffered stdout.
pub fn stdout() -> BufWriter<io::StdoutLock<'static>> {
    BufWriter::with_capacity(64 * 1024, io::stdout().lock())
}

/// The built-in flags table, or a data error (exit 2). Commands that show
/// flags call this first, so a broken table fails before any output.
pub fn flag_table() -> anyhow::Result<&'static FlagTable> {
    builtin_table().map_err(|e| anyhow::anyhow!("built-in table hs-data/controlled.csv: {e}"))
}

/// The flags of a code and those only under it: the core's functions
/// (commands check [`flag_table`] before printing).
pub use crate::flags::{code_flags, flags_under};

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

/// Scores as every view rounds them; whether a row goes to a person.
pub use crate::view::{classify::needs_review, round};

/// True for a character that must not reach a terminal raw: C0 controls
/// except newline and tab, DEL, C1 controls, and the bidirectional
/// overrides and isolates (which reorder what is shown).
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text safe to write for a terminal: each unsafe character (see
/// [`is_unsafe`]) is written as a visible escape, `\x1b` for C0 controls
/// and DEL, `\u{9b}` for the others; newline and tab stay. Applied to every
/// plain-text and CSV/TSV write of text that came from input, data or file
/// names, and to every message on stderr. JSON output does not need it
/// (JSON escapes control characters).
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !is_unsafe(c) {
            out.push(c);
        } else if (c as u32) < 0x80 {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
    Cow::Owned(out)
}

/// At most `max` characters of `s` for a message, terminal-safe, with
/// `...` and the full length in bytes when cut.
pub fn excerpt(s: &str, max: usize) -> String {
    terminal_safe(&crate::text::cut_short(s, max)).into_owned()
}

/// A writer that passes text through [`terminal_safe`] on its way out (when
/// `active`): plain output of `show`, `search` and `duty` is written through
/// it, so no write site can let a control character from the data or the
/// input through. An incomplete UTF-8 sequence at the end of one write is
/// held for the next; invalid bytes pass unchanged.
pub struct TerminalSafe<W: Write> {
    inner: W,
    active: bool,
    pending: Vec<u8>,
}

impl<W: Write> TerminalSafe<W> {
    pub fn new(inner: W, active: bool) -> TerminalSafe<W> {
        TerminalSafe {
            inner,
            active,
            pending: Vec::new(),
        }
    }
}

/// Buffered stdout for plain text (made safe for a terminal), or for JSON
/// (`json`: written as is, since JSON escapes control characters).
pub fn text_stdout(json: bool) -> TerminalSafe<BufWriter<io::StdoutLock<'static>>> {
    TerminalSafe::new(stdout(), !json)
}

/// Stderr for messages, made safe for a terminal.
pub fn safe_stderr() -> TerminalSafe<io::Stderr> {
    TerminalSafe::new(io::stderr(), true)
}

impl<W: Write> Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.active {
            return self.inner.write(buf);
        }
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.extend_from_slice(buf);
        let mut rest = &bytes[..];
        while !rest.is_empty() {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    self.inner.write_all(terminal_safe(s).as_bytes())?;
                    rest = &[];
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    // Checked above: `good` is valid UTF-8.
                    let good = std::str::from_utf8(good).unwrap_or_default();
                    self.inner.write_all(terminal_safe(good).as_bytes())?;
                    match e.error_len() {
                        Some(n) => {
                            self.inner.write_all(&bad[..n])?;
                            rest = &bad[n..];
                        }
                        None => {
                            self.pending = bad.to_vec();
                            rest = &[];
                        }
                    }
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let p = std::mem::take(&mut self.pending);
            self.inner.write_all(&p)?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for TerminalSafe<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn terminal_safe_escapes_controls_and_keeps_text() {
        assert_eq!(terminal_safe("plain é\ttab\nline"), "plain é\ttab\nline");
        assert_eq!(
            terminal_safe("\u{1b}]52;c;x\u{7}\r\u{7f}\u{9b}1m\u{202e}"),
            "\\x1b]52;c;x\\x07\\x0d\\x7f\\u{9b}1m\\u{202e}"
        );
        assert!(matches!(terminal_safe("ok"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_safe_writer_escapes_across_writes() {
        let mut w = TerminalSafe::new(Vec::new(), true);
        let text = "a\u{1b}[31m \u{9b}é\n".as_bytes();
        // Byte by byte: C1 and é are split between writes.
        for b in text {
            w.write_all(std::slice::from_ref(b)).unwrap();
        }
        w.write_all(b"\xff!").unwrap();
        w.flush().unwrap();
        let mut want = "a\\x1b[31m \\u{9b}é\n".as_bytes().to_vec();
        want.extend_from_slice(b"\xff!");
        assert_eq!(w.inner, want, "invalid bytes pass unchanged");
        let mut off = TerminalSafe::new(Vec::new(), false);
        off.write_all(b"\x1b").unwrap();
        assert_eq!(off.inner, b"\x1b");
    }

    #[test]
    fn excerpts_are_short() {
        let e = excerpt(&"x".repeat(5000), 40);
        assert!(e.len() < 80 && e.ends_with("(5000 bytes)"), "{e}");
        assert_eq!(excerpt("short", 40), "short");
    }
}
