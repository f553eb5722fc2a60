//! Every key of the UI, as one table: the help overlay (`?`) shows it and
//! the documentation is written from it.

use ratatui::text::Span;

use super::theme::Theme;
use super::wrap::Para;

/// (where, keys, what they do)
pub const KEYS: &[(&str, &str, &str)] = &[
    ("Everywhere", "Ctrl-C", "quit (always)"),
    ("Everywhere", "q", "quit (in the query line, q types a q)"),
    ("Everywhere", "? or F1", "this help"),
    (
        "Everywhere",
        "g or Ctrl-G",
        "the General Rules of Interpretation",
    ),
    (
        "Everywhere",
        "c b z or F2 F3 F4",
        "Classify, Browse, Quiz screen",
    ),
    ("Everywhere", "/", "type a query (Classify screen)"),
    ("Everywhere", "Tab Shift-Tab", "next / previous pane"),
    ("Everywhere", "↑ ↓ or j k", "move (scroll in text panes)"),
    (
        "Everywhere",
        "PgUp PgDn Home End",
        "move by a page, to the top, to the end",
    ),
    ("Everywhere", "Enter", "select or open"),
    (
        "Everywhere",
        "Esc",
        "back (close the overlay, leave the query, go to Classify)",
    ),
    (
        "Everywhere",
        "y",
        "copy the selected code to the clipboard (OSC 52)",
    ),
    (
        "Everywhere",
        "n",
        "detail pane: jump to the next notes (chapter, then section)",
    ),
    (
        "Everywhere",
        "o  O",
        "detail pane: next origin country (CN, MX, CA, DE...): its chapter 99 measures, fees and total rate on the line; O: origin off",
    ),
    (
        "Classify",
        "typing",
        "edit the query; suggestions follow every key",
    ),
    ("Classify", "↑ ↓", "move in the suggestions while typing"),
    (
        "Classify",
        "Ctrl-U Ctrl-W",
        "clear the query, delete a word",
    ),
    (
        "Classify",
        "Enter",
        "on a suggestion: open it in Browse; in the query: go to the list (pick: print the selected code and quit)",
    ),
    (
        "Classify",
        "Esc",
        "leave the query line (then keys are commands); from the list, back to it",
    ),
    (
        "Browse",
        "→ l  ← h",
        "expand or step in, collapse or step out",
    ),
    ("Browse", "Space", "expand or collapse"),
    (
        "Browse",
        "0-9 .",
        "jump to a code as it is typed (8471, 6109.10)",
    ),
    ("Browse", "Backspace Esc", "edit, clear the code typed"),
    (
        "Browse",
        "Enter",
        "expand or collapse (pick: print the code and quit)",
    ),
    (
        "Quiz",
        "↑ ↓ Enter",
        "choose the section, chapter, heading, subheading",
    ),
    ("Quiz", "Enter", "after the feedback: go on"),
    ("Quiz", "s", "skip the description"),
    ("Quiz", "r", "at the end: the same quiz again"),
    ("Quiz", "n", "new questions (everyday phrases)"),
];

/// The table as paragraphs for the help overlay.
pub fn help_paras(theme: &Theme, pick: bool) -> Vec<Para> {
    let mut out = Vec::new();
    if pick {
        out.push(Para::raw(
            "Pick mode: Enter on a code prints it on stdout and quits.",
            theme.heading,
        ));
        out.push(Para::blank());
    }
    let mut last = "";
    for (group, keys, what) in KEYS {
        if *group != last {
            if !last.is_empty() {
                out.push(Para::blank());
            }
            out.push(Para::raw(*group, theme.title));
            last = group;
        }
        out.push(
            Para::new(vec![
                Span::styled(format!("  {keys:<20}"), theme.key),
                Span::styled(what.to_string(), theme.text),
            ])
            .hang(22),
        );
    }
    out
}

/// The table in Markdown (for the documentation).
pub fn markdown_table() -> String {
    let mut s = String::from("| where | keys | what they do |\n|---|---|---|\n");
    for (group, keys, what) in KEYS {
        s.push_str(&format!("| {group} | `{keys}` | {what} |\n"));
    }
    s
}
