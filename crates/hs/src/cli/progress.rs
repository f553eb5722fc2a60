//! Progress on stderr (indicatif): a bar for bulk runs and a spinner around
//! slow steps (loading data, building the index), drawn only when stderr is
//! a terminal and `--quiet` is not given; nothing at all otherwise. Messages
//! printed while a bar is drawn go through [`Progress::note`] so they do not
//! tear it. Colour only when `NO_COLOR` is unset.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// True when stderr may carry progress: a terminal, and not `--quiet`.
pub fn wanted(quiet: bool) -> bool {
    !quiet && io::stderr().is_terminal()
}

/// True when coloured output is allowed (<https://no-color.org>: a set,
/// non-empty `NO_COLOR` turns colour off).
pub fn color_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A progress display, or nothing.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// No display at all.
    pub fn none() -> Progress {
        Progress { bar: None }
    }

    /// A bar over `total` input bytes when the size is known (a file), else
    /// a spinner counting rows (stdin).
    pub fn bulk(quiet: bool, total_bytes: Option<u64>, what: &'static str) -> Progress {
        if !wanted(quiet) {
            return Progress::none();
        }
        let (bar, template) = match total_bytes {
            Some(n) if n > 0 => (
                ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr()),
                if color_allowed() {
                    "{spinner} {prefix} {msg} [{wide_bar:.cyan/blue}] {percent:>3}% eta {eta}"
                } else {
                    "{spinner} {prefix} {msg} [{wide_bar}] {percent:>3}% eta {eta}"
                },
            ),
            _ => (
                ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
                "{spinner} {prefix} {msg} ({elapsed})",
            ),
        };
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(what);
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress { bar: Some(bar) }
    }

    /// A spinner with a message, for a step of unknown length.
    pub fn spinner(quiet: bool, msg: impl Into<Cow<'static, str>>) -> Progress {
        if !wanted(quiet) {
            return Progress::none();
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        bar.set_message(msg);
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress { bar: Some(bar) }
    }

    /// Changes the message.
    pub fn message(&self, msg: impl Into<Cow<'static, str>>) {
        if let Some(b) = &self.bar {
            b.set_message(msg);
        }
    }

    /// Records progress: rows done so far and the input bytes they took.
    pub fn update(&self, rows: usize, bytes: u64) {
        if let Some(b) = &self.bar {
            if b.length().is_some() {
                b.set_position(bytes);
            }
            let secs = b.elapsed().as_secs_f64();
            let rate = if secs > 0.0 { rows as f64 / secs } else { 0.0 };
            b.set_message(format!("{rows} rows ({rate:.0}/s)"));
        }
    }

    /// Prints a line on stderr without tearing the bar.
    pub fn note(&self, line: &str) {
        match &self.bar {
            Some(b) => b.suspend(|| {
                let _ = writeln!(io::stderr(), "{line}");
            }),
            None => {
                let _ = writeln!(io::stderr(), "{line}");
            }
        }
    }

    /// Removes the display.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
