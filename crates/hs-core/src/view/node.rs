//! The view of a node of the code tree (what `hs show --json` prints and
//! `GET /v1/codes/{code}` returns): its path, children, units, rates, notes
//! and flags; and of a code that does not exist (the nearest codes).

use serde::Serialize;

use crate::code::{Code, roman};
use crate::flags::DISCLAIMER;
use crate::load::Dataset;
use crate::tariff::{Date, ParsedRates, node_rates};
use crate::tree::{Level, NodeId};

use super::flag::FlagView;

/// A node in brief: code, label, level, text.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Brief {
    /// The code (`6109.10`), null for a section.
    pub code: Option<String>,
    /// The code as shown (`6109.10`, `XI` for a section).
    pub label: String,
    pub level: &'static str,
    /// The node's own text (without its ancestors').
    pub text: String,
}

impl Brief {
    pub fn new(ds: &Dataset, id: NodeId) -> Brief {
        let n = ds.tree.node(id);
        Brief {
            code: n.code.as_ref().map(Code::to_string),
            label: n.label(),
            level: n.level.name(),
            text: n.text.clone(),
        }
    }
}

/// A child in the node view: in brief, with its General rate when it has
/// one of its own.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Child {
    #[serde(flatten)]
    pub brief: Brief,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub general: Option<String>,
}

/// The rate cells that apply to a node (its own or an ancestor's).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NodeDuty {
    pub general: String,
    pub special: String,
    pub column2: String,
    /// The label of the line that carries the cells.
    pub from: String,
    /// The cells parsed, each Special program spelled out (judged today).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub parsed: Option<ParsedRates>,
    /// True when the cells are the node's own.
    #[serde(skip)]
    pub own: bool,
}

impl NodeDuty {
    /// The rate cells that apply to node `id`, parsed as of `date`; None
    /// for a node without rates (see [`node_rates`]).
    pub fn of(ds: &Dataset, id: NodeId, date: Date) -> Option<NodeDuty> {
        node_rates(&ds.tree, id, date).map(|r| NodeDuty {
            general: r.duty.general.clone(),
            special: r.duty.special.clone(),
            column2: r.duty.column2.clone(),
            from: r.from.label(),
            parsed: r.parsed,
            own: r.from.id == id,
        })
    }
}

/// Which notes exist for the node's section and chapter, and their texts
/// when asked for.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotesRef {
    pub section: u8,
    pub chapter: Option<u8>,
    pub section_has_notes: bool,
    pub chapter_has_notes: bool,
    /// Present (possibly null) when the notes were asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub section_text: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub chapter_text: Option<Option<String>>,
}

impl NotesRef {
    /// Which notes exist for `section` and `chapter`; their texts too when
    /// `with_notes`.
    pub fn new(ds: &Dataset, section: u8, chapter: Option<u8>, with_notes: bool) -> NotesRef {
        let section_text = ds.notes.section(section).map(str::to_string);
        let chapter_text = chapter
            .and_then(|c| ds.notes.chapter(c))
            .map(str::to_string);
        NotesRef {
            section,
            chapter,
            section_has_notes: section_text.is_some(),
            chapter_has_notes: chapter_text.is_some(),
            section_text: with_notes.then_some(section_text),
            chapter_text: with_notes.then_some(chapter_text),
        }
    }
}

/// A node of the tree with everything shown about it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NodeView {
    pub code: Option<String>,
    pub label: String,
    pub level: &'static str,
    /// The section in Roman numerals.
    pub section: String,
    /// The node's own text.
    pub text: String,
    /// Self-contained description (ancestors' text folded in).
    pub description: String,
    /// From the section down to the node.
    pub path: Vec<Brief>,
    pub children: Vec<Child>,
    pub units: Vec<String>,
    /// Footnotes of a US line (the JSON export's; empty from the CSV).
    pub footnotes: Vec<crate::tree::Footnote>,
    /// The US schedule the lines and rates come from
    /// ("US HTS 2026 Revision 12").
    pub schedule_name: String,
    pub duty: Option<NodeDuty>,
    pub notes: NotesRef,
    /// The node's own controlled-goods flags.
    pub flags: Vec<FlagView>,
    /// Flags of codes under the node.
    pub flags_within: Vec<FlagView>,
    pub flags_disclaimer: &'static str,
}

impl NodeView {
    /// The view of node `id`; `with_notes` adds the notes' texts. Rates are
    /// judged on `date`.
    pub fn new(ds: &Dataset, id: NodeId, with_notes: bool, date: Date) -> NodeView {
        let tree = &ds.tree;
        let n = tree.node(id);
        let path = tree.path(id).iter().map(|p| Brief::new(ds, p.id)).collect();
        let children = tree
            .children(id)
            .map(|c| Child {
                brief: Brief::new(ds, c.id),
                general: (!c.duty.general.is_empty()).then(|| c.duty.general.clone()),
            })
            .collect();
        let duty = NodeDuty::of(ds, id, date);
        let chapter = tree
            .ancestor_at(id, Level::Chapter)
            .and_then(|c| c.code.as_ref())
            .map(Code::chapter);
        let notes = NotesRef::new(ds, n.section, chapter, with_notes);
        let (flags, flags_within) = match &n.code {
            Some(c) => (FlagView::of(c), FlagView::under(c)),
            None => (Vec::new(), Vec::new()),
        };
        NodeView {
            code: n.code.as_ref().map(Code::to_string),
            label: n.label(),
            level: n.level.name(),
            section: roman(n.section),
            text: n.text.clone(),
            description: n.full_text.clone(),
            path,
            children,
            units: n.units.clone(),
            footnotes: n.footnotes.clone(),
            schedule_name: ds.schedule.name(),
            duty,
            notes,
            flags,
            flags_within,
            flags_disclaimer: DISCLAIMER,
        }
    }
}

/// A well-formed code that is not in the current edition, with the
/// nearest existing codes.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnknownCode {
    pub code: String,
    /// `unknown code`.
    pub error: &'static str,
    pub did_you_mean: Vec<Brief>,
}

impl UnknownCode {
    pub fn new(ds: &Dataset, code: &Code, nearest: &[NodeId]) -> UnknownCode {
        UnknownCode {
            code: code.to_string(),
            error: "unknown code",
            did_you_mean: nearest.iter().map(|&n| Brief::new(ds, n)).collect(),
        }
    }
}

/// A code's digits written as a code (`610910` -> `6109.10`); the digits
/// as given when they do not parse.
pub fn dotted(digits: &str) -> String {
    Code::parse(digits).map_or_else(|_| digits.to_string(), |c| c.to_string())
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// An HS 2022 code suggested for a deleted one: in brief where the tree
/// has it, with its description and scores.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuccessorView {
    pub code: Option<String>,
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub description: String,
    pub score: f64,
    pub text_score: f64,
    pub search_score: f64,
}

/// What HS 2017 had under a code.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hs2017 {
    pub code: String,
    pub description: String,
}

/// A code HS 2022 deleted: its HS 2017 text and the closest HS 2022 codes.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeletedView {
    pub code: String,
    /// `deleted in HS 2022`.
    pub error: &'static str,
    /// `deleted-2022`.
    pub status: &'static str,
    pub hs2017: Hs2017,
    pub did_you_mean: Vec<SuccessorView>,
}

impl DeletedView {
    pub fn new(
        ds: &Dataset,
        code: &Code,
        deleted: &crate::editions::DeletedCode,
        found: &[crate::successors::Successor],
    ) -> DeletedView {
        let did_you_mean = found
            .iter()
            .map(|s| {
                let node = Code::parse(&s.code)
                    .ok()
                    .and_then(|c| ds.tree.get(&c).map(|n| n.id));
                let (code, label, level, text) = match node {
                    Some(id) => {
                        let b = Brief::new(ds, id);
                        (b.code, b.label, Some(b.level), Some(b.text))
                    }
                    None => (Some(dotted(&s.code)), dotted(&s.code), None, None),
                };
                SuccessorView {
                    code,
                    label,
                    level,
                    text,
                    description: s.description.clone(),
                    score: round3(s.score),
                    text_score: round3(s.text_score),
                    search_score: round3(s.search_score),
                }
            })
            .collect();
        DeletedView {
            code: code.to_string(),
            error: "deleted in HS 2022",
            status: crate::editions::DELETED_2022,
            hs2017: Hs2017 {
                code: dotted(&deleted.code),
                description: deleted.description.clone(),
            },
            did_you_mean,
        }
    }
}
