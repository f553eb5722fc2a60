//! What the detail panes show about one node: the words that matched, its
//! controlled-goods flags, its path from the section down, children,
//! units, duty rates (parsed, with the Special programs spelled out), for
//! an origin the user set the core's duty view (chapter 99 measures, fees,
//! the total rate), and the section and chapter notes that govern it, as
//! paragraphs to wrap.
//! Flags and rates come from the core functions and views `hs show` uses
//! ([`crate::flags::code_flags`], [`NodeDuty`]); this module only lays
//! them out.

use ratatui::text::Span;

use crate::code::{Code, roman};
use crate::flags::{DISCLAIMER_SHORT, code_flags, flags_under, ranges_by_category};
use crate::load::Dataset;
use crate::rank::Matched;
use crate::tariff::{self, Date, Decimal, Measures, Transport, is_tariff_line, kind_label, usd};
use crate::tree::{Level, Node, NodeId};
use crate::view::node::NodeDuty;
use crate::view::{DutyQuery, DutyView};

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

/// The customs value the origin section's figures are worked for (a
/// formal entry): fees and totals need a value, and the pane has none.
pub const EXAMPLE_VALUE: u32 = 10_000;

/// The origin the user set (`o`) and what the duty view needs beside it.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// ISO 3166-1 alpha-2.
    pub code: &'a str,
    pub date: Date,
    pub measures: &'a Measures,
}

/// The duty section for an origin: the core's duty view of the line for
/// [`EXAMPLE_VALUE`] by sea on the date, rendered: the rate that applies
/// and why, each chapter 99 measure in force (heading, authority, rate,
/// "may be excluded: see ..."), the fees, the total rate and the total.
/// Above the tariff lines, a line saying where the figures are shown.
pub fn origin_paras(ds: &Dataset, id: NodeId, o: Origin<'_>, theme: &Theme) -> Vec<Para> {
    let n = ds.tree.node(id);
    let head = |extra: String| {
        Para::new(vec![
            Span::styled(format!("Origin {}", o.code), theme.title),
            Span::styled(extra, theme.dim),
        ])
    };
    let Some(code) = n.code.as_ref().filter(|_| is_tariff_line(n.level)) else {
        return vec![
            head(String::new()),
            Para::raw(
                "  Chapter 99 measures and fees are shown on tariff lines (8 or 10 digits).",
                theme.dim,
            )
            .hang(2),
        ];
    };
    let view =
        DutyQuery::parse(&code.to_string(), o.code, Some(&o.date.to_string())).and_then(|mut q| {
            q.value = Some(f64::from(EXAMPLE_VALUE));
            q.transport = Some(Transport::Sea);
            DutyView::new(ds, o.measures, &q)
        });
    let v = match view {
        Ok(v) => v,
        Err(e) => {
            return vec![
                head(String::new()),
                Para::raw(format!("  {e}"), theme.bad).hang(2),
            ];
        }
    };
    let label = |t: &str| Span::styled(format!("  {t:<12}"), theme.dim);
    let mut out = vec![
        head(format!(
            "  {}  on {}  (o next origin, O off)",
            v.origin_name, v.date
        )),
        Para::raw(
            format!(
                "  For a customs value of {} by sea ({} entry)",
                usd(Decimal::from(EXAMPLE_VALUE)),
                v.entry.map_or("formal", |e| match e {
                    tariff::Entry::Formal => "formal",
                    tariff::Entry::Informal => "informal",
                })
            ),
            theme.dim,
        )
        .hang(2),
        Para::new(vec![
            label("Rate"),
            Span::raw(if v.rate.is_empty() { "-" } else { &v.rate }.to_string()),
            Span::styled(
                format!(
                    "  ({}; {})",
                    match (&v.program, v.basis) {
                        (Some(p), _) => format!("special: {p}"),
                        (None, tariff::Basis::Column2) => "column 2".to_string(),
                        (None, _) => "general".to_string(),
                    },
                    kind_label(&v.rate_detail)
                ),
                theme.dim,
            ),
        ])
        .hang(14),
    ];
    out.push(Para::raw("  Chapter 99 measures", theme.heading));
    if v.additional.is_empty() {
        out.push(Para::raw("    none in force for these goods", theme.dim));
    }
    for m in &v.additional {
        out.push(
            Para::new(vec![
                Span::styled(format!("    {}  ", m.code), theme.code),
                Span::styled(format!("{}  ", m.authority), theme.text),
                Span::raw(format!("{}  ", m.rate)),
                Span::styled(m.description.clone(), theme.dim),
            ])
            .hang(16),
        );
    }
    if !v.may_apply.is_empty() {
        out.push(
            Para::raw(
                format!(
                    "    may apply (not charged): see {}",
                    v.may_apply.join(", ")
                ),
                theme.text,
            )
            .hang(6),
        );
    }
    if !v.may_be_excluded.is_empty() {
        out.push(
            Para::raw(
                format!("    may be excluded: see {}", v.may_be_excluded.join(", ")),
                theme.text,
            )
            .hang(6),
        );
    }
    out.push(Para::raw("  Fees", theme.heading));
    if v.fees.is_empty() {
        out.push(Para::raw("    none", theme.dim));
    }
    for f in &v.fees {
        out.push(Para::new(vec![
            Span::styled(format!("    {:<5}", f.name), theme.code),
            Span::raw(format!("{:<9}", f.rate)),
            Span::raw(usd(f.amount)),
        ]));
    }
    let hundred = Decimal::ONE_HUNDRED;
    let value = Decimal::from(EXAMPLE_VALUE);
    match (v.duty, v.additional_duty) {
        (Some(d), Some(x)) => {
            let rate = ((d + x) * hundred / value).round_dp(3).normalize();
            out.push(
                Para::new(vec![
                    label("Total rate"),
                    Span::raw(format!("{rate}%")),
                    Span::styled(
                        format!(
                            "  of the value ({}% the line's, {}% chapter 99; fees apart)",
                            (d * hundred / value).round_dp(3).normalize(),
                            (x * hundred / value).round_dp(3).normalize()
                        ),
                        theme.dim,
                    ),
                ])
                .hang(14),
            );
        }
        _ => out.push(
            Para::new(vec![
                label("Total rate"),
                Span::styled(
                    v.reason_text()
                        .unwrap_or("not computed: a chapter 99 amount is not known")
                        .to_string(),
                    theme.dim,
                ),
            ])
            .hang(14),
        ),
    }
    if let Some(t) = v.total {
        out.push(Para::new(vec![
            label("Total"),
            Span::raw(usd(t)),
            Span::styled("  (duty, chapter 99 and fees)", theme.dim),
        ]));
    }
    for note in v
        .measure_notes
        .iter()
        .filter(|n| !n.starts_with("may be excluded"))
    {
        out.push(Para::raw(format!("  - {note}"), theme.dim).hang(4));
    }
    for w in &v.warnings {
        out.push(Para::raw(format!("  Warning: {w}"), theme.bad).hang(4));
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
pub fn node_paras(
    ds: &Dataset,
    id: NodeId,
    matched: &[Matched],
    origin: Option<Origin<'_>>,
    theme: &Theme,
) -> Vec<Para> {
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
    if let Some(o) = origin {
        out.push(Para::blank());
        out.extend(origin_paras(ds, id, o, theme));
    }

    out.push(Para::blank());
    out.extend(notes_paras(ds, id, theme));
    out
}
