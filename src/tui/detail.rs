//! What the detail panes show about one node: its path from the section
//! down, children, units, duty columns, the words that matched, and the
//! section and chapter notes that govern it, as paragraphs to wrap.

use ratatui::text::Span;

use crate::code::{Code, roman};
use crate::load::Dataset;
use crate::rank::Matched;
use crate::tree::{DutyText, Level, Node, NodeId};

use super::theme::Theme;
use super::wrap::{Para, highlight, markdown};

/// How many children the detail lists before "… n more".
const MAX_CHILDREN: usize = 40;

/// A node's label for lists: the code, `XI` for a section, `·` for a group.
pub fn short_label(n: &Node) -> String {
    match (&n.code, n.level) {
        (Some(c), _) => c.to_string(),
        (None, Level::Section) => roman(n.section),
        _ => "·".to_string(),
    }
}

/// The chapter number a node lies in, if any.
pub fn chapter_of(ds: &Dataset, id: NodeId) -> Option<u8> {
    ds.tree
        .ancestor_at(id, Level::Chapter)
        .and_then(|c| c.code.as_ref())
        .map(Code::chapter)
}

/// The duty columns that apply to a node: its own, or its nearest coded
/// ancestor's below the subheading (a 10-digit line takes its 8-digit
/// parent's rates).
pub fn effective_duty(ds: &Dataset, id: NodeId) -> Option<(&Node, &DutyText)> {
    ds.tree.effective_duty(id)
}

/// The notes of the node's chapter, then of its section, each under a
/// header one can jump to (`n`).
pub fn notes_paras(ds: &Dataset, id: NodeId, theme: &Theme) -> Vec<Para> {
    let mut out = chapter_notes(ds, id, theme);
    if !out.is_empty() {
        out.push(Para::blank());
    }
    out.extend(section_notes(ds, id, theme));
    out
}

/// The notes of the node's chapter under a header (none above a chapter).
pub fn chapter_notes(ds: &Dataset, id: NodeId, theme: &Theme) -> Vec<Para> {
    let Some(c) = chapter_of(ds, id) else {
        return Vec::new();
    };
    let mut out = vec![Para::raw(format!("Chapter {c} notes"), theme.title).anchor()];
    match ds.notes.chapter(c) {
        Some(t) => out.extend(markdown(t, theme.text, theme.heading)),
        None => out.push(Para::raw("(none)", theme.dim)),
    }
    out
}

/// The notes of the node's section under a header.
pub fn section_notes(ds: &Dataset, id: NodeId, theme: &Theme) -> Vec<Para> {
    let n = ds.tree.node(id);
    if n.section == 0 {
        return Vec::new();
    }
    let mut out =
        vec![Para::raw(format!("Section {} notes", roman(n.section)), theme.title).anchor()];
    match ds.notes.section(n.section) {
        Some(t) => out.extend(markdown(t, theme.text, theme.heading)),
        None => out.push(Para::raw("(none)", theme.dim)),
    }
    out
}

/// Everything about one node, as paragraphs; `matched` words are marked.
pub fn node_paras(ds: &Dataset, id: NodeId, matched: &[Matched], theme: &Theme) -> Vec<Para> {
    let tree = &ds.tree;
    let n = tree.node(id);
    let words: Vec<String> = matched.iter().map(|m| m.word.clone()).collect();
    let mut out = vec![
        Para::new(vec![
            Span::styled(
                if n.label().is_empty() {
                    "(no code)".to_string()
                } else {
                    n.label()
                },
                theme.code,
            ),
            Span::styled(format!("  {}", n.level.name()), theme.dim),
        ]),
        Para::new(highlight(&n.full_text, &words, theme.text, theme.matched)),
    ];
    if !matched.is_empty() {
        let mut spans = vec![Span::styled("Matched ", theme.dim)];
        for (i, m) in matched.iter().enumerate() {
            if i > 0 {
                spans.push(Span::raw("; "));
            }
            spans.push(Span::styled(m.word.clone(), theme.matched));
            spans.push(Span::styled(
                format!(" ({})", m.sources.join(", ")),
                theme.dim,
            ));
        }
        out.push(Para::new(spans).hang(8));
    }

    out.push(Para::blank());
    out.push(Para::raw("Path", theme.title));
    // Labels indented by depth; every text starts in the same column.
    let path = tree.path(id);
    let heads: Vec<String> = path
        .iter()
        .enumerate()
        .map(|(depth, p)| format!("{}{}", " ".repeat(depth.min(6)), short_label(p)))
        .collect();
    let col = heads.iter().map(|h| h.chars().count()).max().unwrap_or(0) + 1;
    for (p, head) in path.iter().zip(heads) {
        let mut spans = vec![Span::styled(format!("{head:<col$}"), theme.code)];
        spans.extend(highlight(&p.text, &words, theme.text, theme.matched));
        out.push(Para::new(spans).hang(col));
    }

    let children: Vec<&Node> = tree.children(id).collect();
    if !children.is_empty() {
        out.push(Para::blank());
        out.push(Para::raw(
            format!("Children ({})", children.len()),
            theme.title,
        ));
        let col = children
            .iter()
            .take(MAX_CHILDREN)
            .map(|c| short_label(c).chars().count())
            .max()
            .unwrap_or(0)
            + 1;
        for c in children.iter().take(MAX_CHILDREN) {
            let mut spans = vec![
                Span::styled(format!("{:<col$}", short_label(c)), theme.code),
                Span::styled(c.text.clone(), theme.text),
            ];
            if !c.duty.general.is_empty() {
                spans.push(Span::styled(format!("  [{}]", c.duty.general), theme.dim));
            }
            out.push(Para::new(spans).hang(col));
        }
        if children.len() > MAX_CHILDREN {
            out.push(Para::raw(
                format!("… {} more", children.len() - MAX_CHILDREN),
                theme.dim,
            ));
        }
    }

    if !n.units.is_empty() {
        out.push(Para::blank());
        out.push(Para::new(vec![
            Span::styled("Units     ", theme.title),
            Span::raw(n.units.join(", ")),
        ]));
    }

    if let Some((from, d)) = effective_duty(ds, id) {
        out.push(Para::blank());
        let whose = if from.id == id {
            String::new()
        } else {
            format!("  (rates of {})", from.label())
        };
        out.push(Para::new(vec![
            Span::styled("Duty", theme.title),
            Span::styled(whose, theme.dim),
        ]));
        for (name, v) in [
            ("General ", &d.general),
            ("Special ", &d.special),
            ("Column 2", &d.column2),
        ] {
            let v = if v.is_empty() { "-" } else { v.as_str() };
            out.push(
                Para::new(vec![
                    Span::styled(format!("  {name}  "), theme.dim),
                    Span::raw(v.to_string()),
                ])
                .hang(12),
            );
        }
    }

    out.push(Para::blank());
    out.extend(notes_paras(ds, id, theme));
    out
}
