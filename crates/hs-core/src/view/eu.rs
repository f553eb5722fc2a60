//! The views of the EU Combined Nomenclature (what `hs show --schedule eu
//! --json` prints): an HS node with the CN 8-digit lines in place of the US
//! lines, one CN line, and a CN code that does not exist.

use serde::Serialize;

use crate::cn::{CN_EDITION, CN_LINE_LEVEL, CN_NO_RATES, CnLine, CnSchedule};
use crate::code::{Code, roman};
use crate::load::Dataset;
use crate::tree::{Level, Node, NodeId};

use super::flag::FlagView;
use super::node::{Brief, NotesRef};
use crate::flags::DISCLAIMER;

/// A CN line in brief.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CnLineBrief {
    /// The code dotted as hs writes codes (`6109.10.00`).
    pub code: String,
    /// The code as the CN writes it (`6109 10 00`).
    pub cn_code: String,
    /// Same as `cn_code`.
    pub label: String,
    /// Always `cn-line`.
    pub level: &'static str,
    pub text: String,
    /// The unit as the CN file codes it (`PST`); null when only the net
    /// mass is declared.
    pub supplementary_unit: Option<String>,
    /// The unit as the CN prints it (`p/st`).
    pub supplementary_unit_label: Option<String>,
}

impl CnLineBrief {
    pub fn new(line: &CnLine) -> CnLineBrief {
        CnLineBrief {
            code: line.code.to_string(),
            cn_code: line.cn_code.clone(),
            label: line.cn_code.clone(),
            level: CN_LINE_LEVEL,
            text: line.text.clone(),
            supplementary_unit: line.supplementary_unit.clone(),
            supplementary_unit_label: line.unit_label(),
        }
    }
}

/// A child or path step: an HS node or a CN line.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EuItem {
    Line(CnLineBrief),
    Node {
        #[serde(flatten)]
        brief: Brief,
        /// For a subheading: how many CN lines it has.
        #[serde(skip_serializing_if = "Option::is_none")]
        cn_lines: Option<usize>,
        /// For a subheading: its CN lines, for the text view (not in JSON).
        #[serde(skip)]
        lines: Vec<CnLineBrief>,
    },
}

/// An HS node with its CN lines.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EuNodeView {
    pub code: Option<String>,
    pub label: String,
    pub level: &'static str,
    /// Always `eu`.
    pub schedule: &'static str,
    pub edition: &'static str,
    pub section: String,
    pub text: String,
    pub description: String,
    /// From the section down, HS levels only.
    pub path: Vec<Brief>,
    /// A subheading's CN lines; else the HS children (a subheading with its
    /// count of CN lines).
    pub children: Vec<EuItem>,
    /// Always empty at HS levels.
    pub units: Vec<String>,
    /// Always null: the CN files carry no rates.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub duty: Option<()>,
    pub duty_note: &'static str,
    pub notes: NotesRef,
    /// The code's own controlled-goods flags, as `hs show` gives them.
    pub flags: Vec<FlagView>,
    /// Flags of codes under it.
    pub flags_within: Vec<FlagView>,
    pub flags_disclaimer: &'static str,
}

impl EuNodeView {
    pub fn new(ds: &Dataset, cn: &CnSchedule, id: NodeId, with_notes: bool) -> EuNodeView {
        let n = ds.tree.node(id);
        let chapter = n.code.as_ref().map(Code::chapter);
        let children = if n.level == Level::Subheading {
            n.code
                .as_ref()
                .map(|c| {
                    cn.under_subheading(c)
                        .into_iter()
                        .map(|l| EuItem::Line(CnLineBrief::new(l)))
                        .collect()
                })
                .unwrap_or_default()
        } else {
            hs_children(ds, id)
                .into_iter()
                .map(|c| {
                    let lines: Vec<CnLineBrief> = match (&c.code, c.level) {
                        (Some(code), Level::Subheading) => cn
                            .under_subheading(code)
                            .into_iter()
                            .map(CnLineBrief::new)
                            .collect(),
                        _ => Vec::new(),
                    };
                    EuItem::Node {
                        brief: Brief::new(ds, c.id),
                        cn_lines: (c.level == Level::Subheading && c.code.is_some())
                            .then_some(lines.len()),
                        lines,
                    }
                })
                .collect()
        };
        EuNodeView {
            code: n.code.as_ref().map(Code::to_string),
            label: n.label(),
            level: n.level.name(),
            schedule: "eu",
            edition: CN_EDITION,
            section: roman(n.section),
            text: n.text.clone(),
            description: n.full_text.clone(),
            path: hs_path(ds, id)
                .iter()
                .map(|p| Brief::new(ds, p.id))
                .collect(),
            children,
            units: Vec::new(),
            duty: None,
            duty_note: CN_NO_RATES,
            notes: NotesRef::new(ds, n.section, chapter, with_notes),
            flags: n.code.as_ref().map(FlagView::of).unwrap_or_default(),
            flags_within: n.code.as_ref().map(FlagView::under).unwrap_or_default(),
            flags_disclaimer: DISCLAIMER,
        }
    }
}

/// One CN line.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EuLineView {
    pub code: String,
    pub cn_code: String,
    pub label: String,
    pub level: &'static str,
    pub schedule: &'static str,
    pub edition: &'static str,
    pub section: String,
    pub text: String,
    pub description: String,
    /// The HS subheading it lies under.
    pub hs6: String,
    /// From the section down to the line (the HS levels, then the line).
    pub path: Vec<EuItem>,
    /// Always empty.
    pub children: Vec<EuItem>,
    pub units: Vec<String>,
    pub supplementary_unit: Option<String>,
    pub supplementary_unit_label: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub duty: Option<()>,
    pub duty_note: &'static str,
    pub notes: NotesRef,
    /// The code's own controlled-goods flags, as `hs show` gives them.
    pub flags: Vec<FlagView>,
    /// Flags of codes under it.
    pub flags_within: Vec<FlagView>,
    pub flags_disclaimer: &'static str,
}

impl EuLineView {
    pub fn new(ds: &Dataset, line: &CnLine, with_notes: bool) -> EuLineView {
        let sub = ds.tree.get(&line.hs6);
        let mut path: Vec<EuItem> = sub
            .map(|s| {
                hs_path(ds, s.id)
                    .iter()
                    .map(|p| EuItem::Node {
                        brief: Brief::new(ds, p.id),
                        cn_lines: None,
                        lines: Vec::new(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        path.push(EuItem::Line(CnLineBrief::new(line)));
        let section = sub.map_or(0, |s| s.section);
        EuLineView {
            code: line.code.to_string(),
            cn_code: line.cn_code.clone(),
            label: line.cn_code.clone(),
            level: CN_LINE_LEVEL,
            schedule: "eu",
            edition: CN_EDITION,
            section: roman(section),
            text: line.text.clone(),
            description: line.full_text.clone(),
            hs6: line.hs6.to_string(),
            path,
            children: Vec::new(),
            units: line.unit_label().into_iter().collect(),
            supplementary_unit: line.supplementary_unit.clone(),
            supplementary_unit_label: line.unit_label(),
            duty: None,
            duty_note: CN_NO_RATES,
            notes: NotesRef::new(ds, section, Some(line.code.chapter()), with_notes),
            flags: FlagView::of(&line.code),
            flags_within: FlagView::under(&line.code),
            flags_disclaimer: DISCLAIMER,
        }
    }
}

/// A CN code that is not a line, with the nearest lines.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EuUnknown {
    pub code: String,
    pub schedule: &'static str,
    /// Always `unknown code`.
    pub error: &'static str,
    pub did_you_mean: Vec<CnLineBrief>,
}

impl EuUnknown {
    /// The nearest `max` lines to `code`.
    pub fn new(cn: &CnSchedule, code: &Code, max: usize) -> EuUnknown {
        EuUnknown {
            code: code.to_string(),
            schedule: "eu",
            error: "unknown code",
            did_you_mean: cn
                .nearest(code, max)
                .into_iter()
                .map(CnLineBrief::new)
                .collect(),
        }
    }
}

/// The HS path of a node, without the US schedule's grouping lines.
fn hs_path(ds: &Dataset, id: NodeId) -> Vec<&Node> {
    ds.tree
        .path(id)
        .into_iter()
        .filter(|n| n.level <= Level::Subheading)
        .collect()
}

/// The HS children of a node: for a heading its subheadings (the US
/// schedule may have put grouping lines between them), else its children
/// at HS levels.
fn hs_children(ds: &Dataset, id: NodeId) -> Vec<&Node> {
    let n = ds.tree.node(id);
    match n.level {
        Level::Heading => ds
            .tree
            .descendants(id)
            .into_iter()
            .filter(|d| d.level == Level::Subheading)
            .collect(),
        Level::Subheading => Vec::new(),
        _ => ds
            .tree
            .children(id)
            .filter(|c| c.level <= Level::Subheading)
            .collect(),
    }
}
