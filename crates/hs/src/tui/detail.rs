//! What the detail panes show about one node: the words that matched, its
//! controlled-goods flags, its path from the section down, children,
//! units, duty rates (parsed, with the Special programs spelled out), and
//! the section and chapter notes that govern it, as paragraphs to wrap.
//! Flags and rates come from the core functions and views `hs show` uses
//! ([`crate::flags::code_flags`], [`NodeDuty`]); this module only lays
//! them out.

use ratatui::text::Span;

use crate::code::{Code, roman};
use crate::flags::{DISCLAIMER_SHORT, code_flags, flags_under, ranges_by_category};
use crate::load::Dataset;
use crate::rank::Matched;
use crate::tariff::{self, Date, kind_label};
use crate::tree::{Level, Node, NodeId};
use crate::view::node::NodeDuty;

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

/// The controlled-goods flags of a code, as `hs show` reports them: each
/// category with its reason and the range and source it rests on, then the
/// categories flagged only under the code, then the one-line disclaimer;
/// nothing when the code has neither.
pub fn flag_paras(code: &Code, theme: &Theme) -> Vec<Para> {
    let (flags, under) = (code_flags(code), flags_under(code));
    if flags.is_empty() && under.is_empty() {
        return Vec::new();
    }
    let col = flags
        .iter()
        .chain(&under)
        .map(|f| f.category.chars().count())
        .max()
        .unwrap_or(0)
        + 4;
    let mut out = vec![Para::blank(), Para::raw("Flags", theme.title)];
    for f in &flags {
        out.push(
            Para::new(vec![
                Span::styled(format!("  {:<w$}", f.category, w = col - 2), theme.bad),
                Span::styled(f.reason.clone(), theme.text),
            ])
            .hang(col),
        );
        out.push(
            Para::new(vec![
                Span::raw(" ".repeat(col)),
                Span::styled(
                    format!("range {}; source: {}", f.range, f.source),
                    theme.dim,
                ),
            ])
            .hang(col),
        );
    }
    if !under.is_empty() {
        out.push(Para::raw(
            format!("  Some codes under {code} are flagged:"),
            theme.text,
        ));
        for (c, ranges) in ranges_by_category(&under) {
            out.push(
                Para::new(vec![
                    Span::styled(format!("  {:<w$}", c, w = col - 2), theme.bad),
                    Span::styled(ranges.join(", "), theme.dim),
                ])
                .hang(col),
            );
        }
    }
    out.push(Para::raw(format!("  {DISCLAIMER_SHORT}"), theme.dim).hang(2));
    out
}

/// The duty section: where the rates come from, the three cells as
/// written with the form of each rate, each Special group's programs
/// spelled out (indicator and name; the status when a program is not
/// simply in force), and who Column 2 applies to.
pub fn duty_paras(d: &NodeDuty, theme: &Theme) -> Vec<Para> {
    let whose = if d.own {
        String::new()
    } else {
        format!("  (rates of {})", d.from)
    };
    let mut out = vec![Para::new(vec![
        Span::styled("Duty", theme.title),
        Span::styled(whose, theme.dim),
    ])];
    let cell = |name: &str, v: &str, kind: Option<&'static str>| {
        let mut spans = vec![
            Span::styled(format!("  {name}  "), theme.dim),
            Span::raw(if v.is_empty() { "-" } else { v }.to_string()),
        ];
        if let Some(k) = kind.filter(|_| !v.trim().is_empty()) {
            spans.push(Span::styled(format!("  [{k}]"), theme.dim));
        }
        Para::new(spans).hang(12)
    };
    let Some(p) = &d.parsed else {
        out.push(cell("General ", &d.general, None));
        out.push(cell("Special ", &d.special, None));
        out.push(cell("Column 2", &d.column2, None));
        return out;
    };
    out.push(cell("General ", &d.general, Some(kind_label(&p.general))));
    out.push(cell("Special ", &d.special, None));
    for group in &p.special {
        let rate = group.rate_shown();
        if group.programs.is_empty() {
            out.push(
                Para::new(vec![
                    Span::raw(format!("    {rate}")),
                    Span::styled("  (no program named)", theme.dim),
                ])
                .hang(6),
            );
            continue;
        }
        out.push(Para::raw(format!("    {rate} for:"), theme.text).hang(6));
        let w = group
            .programs
            .iter()
            .map(|g| g.indicator.chars().count())
            .max()
            .unwrap_or(0)
            .max(2);
        for prog in &group.programs {
            let mut spans = vec![
                Span::styled(format!("      {:<w$}  ", prog.indicator), theme.code),
                Span::styled(
                    prog.name
                        .clone()
                        .unwrap_or_else(|| "unknown indicator".to_string()),
                    theme.text,
                ),
            ];
            if prog.status != "in force" && prog.name.is_some() {
                spans.push(Span::styled(format!("  ({})", prog.status), theme.dim));
            }
            out.push(Para::new(spans).hang(8 + w));
        }
    }
    out.push(cell("Column 2", &d.column2, Some(kind_label(&p.column2))));
    let column2: Vec<String> = tariff::column2_countries()
        .map(|v| v.iter().map(|c| c.name.clone()).collect())
        .unwrap_or_default();
    if !column2.is_empty() && !d.column2.trim().is_empty() {
        out.push(
            Para::raw(
                format!("            for goods of {}", column2.join(", ")),
                theme.dim,
            )
            .hang(12),
        );
    }
    out
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
    if let Some(code) = &n.code {
        out.extend(flag_paras(code, theme));
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

    if let Some(d) = NodeDuty::of(ds, id, Date::today()) {
        out.push(Para::blank());
        out.extend(duty_paras(&d, theme));
    }

    out.push(Para::blank());
    out.extend(notes_paras(ds, id, theme));
    out
}
