//! The model: one code tree of sections > chapters > headings > HS
//! subheadings > national lines (US 8- and 10-digit lines with their un-coded
//! grouping lines), held in an arena and navigated by [`NodeId`]. The US
//! chapters 98 and 99 (special provisions, temporary modifications) hang
//! under Section XXII with their lines directly under the chapter: they are
//! shown, never suggested (see [`is_special_chapter`]).

use rustc_hash::FxHashMap;

use serde::Serialize;

use crate::code::{Code, roman};

/// Index of a node in the [`Tree`] arena.
pub type NodeId = u32;

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// The root holding the 21 sections.
    Root,
    Section,
    Chapter,
    Heading,
    /// HS six-digit subheading.
    Subheading,
    /// An un-coded grouping line of a national schedule ("Of cotton:").
    Group,
    /// US 8-digit tariff line.
    TariffLine,
    /// US 10-digit statistical line.
    StatisticalLine,
}

impl Level {
    /// The stable name used in JSON and CSV output.
    pub fn name(self) -> &'static str {
        match self {
            Level::Root => "root",
            Level::Section => "section",
            Level::Chapter => "chapter",
            Level::Heading => "heading",
            Level::Subheading => "subheading",
            Level::Group => "group",
            Level::TariffLine => "tariff-line",
            Level::StatisticalLine => "statistical-line",
        }
    }

    /// The level a code of this many digits has.
    pub fn of_digits(n: usize) -> Option<Level> {
        match n {
            2 => Some(Level::Chapter),
            4 => Some(Level::Heading),
            6 => Some(Level::Subheading),
            8 => Some(Level::TariffLine),
            10 => Some(Level::StatisticalLine),
            _ => None,
        }
    }
}

/// US chapters that are not goods nomenclature: 98 (special classification
/// provisions) and 99 (temporary legislation and modifications). Their
/// lines are in the tree for `show` and `duty`, never among suggestions.
pub fn is_special_chapter(chapter: u8) -> bool {
    matches!(chapter, 98 | 99)
}

/// The goods chapters every edition of the HS has: 1 to 97 but 77 (kept
/// for future use). Loaders check that each has its lines and notes.
pub fn goods_chapters() -> impl Iterator<Item = u8> {
    (1..=97).filter(|&c| c != 77)
}

/// A footnote of a US line as the schedule's JSON export gives it
/// ("See 9903.88.15."), with the columns it applies to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Footnote {
    /// The footnote's text.
    pub text: String,
    /// The columns it belongs to, as the export writes them
    /// (`general`, `stat, units`, ...); may be empty.
    #[serde(default)]
    pub columns: String,
    /// The footnote's marker (`1`, `4`), empty for end notes.
    #[serde(default)]
    pub marker: String,
    /// `footnote` or `endnote`, as the export writes it.
    #[serde(rename = "type", default)]
    pub kind: String,
}

/// The three duty columns of a US line, as the schedule writes them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DutyText {
    pub general: String,
    pub special: String,
    pub column2: String,
}

impl DutyText {
    pub fn is_empty(&self) -> bool {
        self.general.is_empty() && self.special.is_empty() && self.column2.is_empty()
    }
}

/// One node of the tree.
#[derive(Debug, Clone)]
pub struct Node {
    pub id: NodeId,
    pub level: Level,
    /// The code; None for the root, sections and un-coded groups.
    pub code: Option<Code>,
    /// Section number (1..=21) this node lies in.
    pub section: u8,
    /// The node's own text as its source writes it (may be indent-relative).
    pub text: String,
    /// The text read together with its ancestors, understandable alone.
    pub full_text: String,
    pub parent: Option<NodeId>,
    pub children: Vec<NodeId>,
    /// Units of quantity (US lines), e.g. `["doz.", "kg"]`.
    pub units: Vec<String>,
    /// Duty columns (US lines that carry them).
    pub duty: DutyText,
    /// Footnotes of a US line (JSON export only; the CSV export has none).
    pub footnotes: Vec<Footnote>,
}

impl Node {
    /// The printed code, or the section's label (`Section XI`), or empty.
    pub fn label(&self) -> String {
        match (&self.code, self.level) {
            (Some(c), _) => c.to_string(),
            (None, Level::Section) => format!("Section {}", roman(self.section)),
            _ => String::new(),
        }
    }
}

/// A code's digits packed into one number (value and length, so that `06`
/// and `0006` differ); `None` for anything but 1 to 18 ASCII digits.
fn code_key(digits: &str) -> Option<u64> {
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut v: u64 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u64::from(b - b'0');
    }
    Some(v * 32 + digits.len() as u64)
}

/// The arena of nodes, with a code index.
#[derive(Debug, Clone)]
pub struct Tree {
    nodes: Vec<Node>,
    /// Each node's level and parent ([`NO_PARENT`] for the root), kept
    /// beside the nodes so that walking up ([`Tree::ancestor_at`], asked
    /// for every candidate of every search) reads a few compact bytes a
    /// step instead of a whole node.
    up: Vec<(Level, NodeId)>,
    /// Code digits packed by [`code_key`] -> node.
    by_code: FxHashMap<u64, NodeId>,
    sections: Vec<NodeId>,
}

/// The parent recorded for the root in [`Tree`]'s walking-up table.
const NO_PARENT: NodeId = NodeId::MAX;

impl Default for Tree {
    fn default() -> Self {
        Self::new()
    }
}

impl Tree {
    /// An empty tree holding only the root.
    pub fn new() -> Tree {
        let root = Node {
            id: 0,
            level: Level::Root,
            code: None,
            section: 0,
            text: "Harmonized System".to_string(),
            full_text: "Harmonized System".to_string(),
            parent: None,
            children: Vec::new(),
            units: Vec::new(),
            duty: DutyText::default(),
            footnotes: Vec::new(),
        };
        Tree {
            nodes: vec![root],
            up: vec![(Level::Root, NO_PARENT)],
            by_code: FxHashMap::default(),
            sections: Vec::new(),
        }
    }

    pub const ROOT: NodeId = 0;

    /// Makes room for `more` nodes (loaders know roughly how many come).
    pub fn reserve(&mut self, more: usize) {
        self.nodes.reserve(more);
        self.up.reserve(more);
        self.by_code.reserve(more);
    }

    /// Adds a node under `parent` and returns its id. A code already present
    /// is not indexed twice (the first node keeps it).
    pub fn add(
        &mut self,
        parent: NodeId,
        level: Level,
        code: Option<Code>,
        section: u8,
        text: String,
    ) -> NodeId {
        let full_text = text.clone();
        self.add_full(parent, level, code, section, text, full_text)
    }

    /// As [`Tree::add`], with the self-contained text already made.
    pub fn add_full(
        &mut self,
        parent: NodeId,
        level: Level,
        code: Option<Code>,
        section: u8,
        text: String,
        full_text: String,
    ) -> NodeId {
        let id = self.nodes.len() as NodeId;
        if let Some(key) = code.as_ref().and_then(|c| code_key(c.digits())) {
            self.by_code.entry(key).or_insert(id);
        }
        if level == Level::Section {
            self.sections.push(id);
        }
        self.nodes.push(Node {
            id,
            level,
            code,
            section,
            full_text,
            text,
            parent: Some(parent),
            children: Vec::new(),
            units: Vec::new(),
            duty: DutyText::default(),
            footnotes: Vec::new(),
        });
        self.up.push((level, parent));
        self.nodes[parent as usize].children.push(id);
        id
    }

    /// As [`Tree::add`], but `parent` does not list the node among its
    /// children (nor the tree among its sections): how Section XXII (US
    /// chapters 98 and 99) hangs under the root, reachable by code and
    /// with a path, while browsing from the root and `sections()` walk the
    /// goods nomenclature only (sections I-XXI).
    pub fn add_unlisted(
        &mut self,
        parent: NodeId,
        level: Level,
        code: Option<Code>,
        section: u8,
        text: String,
    ) -> NodeId {
        let id = self.add(parent, level, code, section, text);
        self.nodes[parent as usize].children.retain(|&c| c != id);
        self.sections.retain(|&s| s != id);
        id
    }

    /// Moves `id` (with its subtree) under `new_parent`, appended last.
    pub fn reparent(&mut self, id: NodeId, new_parent: NodeId) {
        if let Some(old) = self.nodes[id as usize].parent {
            self.nodes[old as usize].children.retain(|&c| c != id);
        }
        self.nodes[id as usize].parent = Some(new_parent);
        if let Some(up) = self.up.get_mut(id as usize) {
            up.1 = new_parent;
        }
        self.nodes[new_parent as usize].children.push(id);
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// The chapter number of a node's code (0 for a node without one).
    pub fn chapter_of(&self, id: NodeId) -> u8 {
        self.node(id).code.as_ref().map_or(0, Code::chapter)
    }

    /// The four digits of the heading a node is in (or is), if any.
    pub fn heading_digits_of(&self, id: NodeId) -> Option<&str> {
        self.ancestor_at(id, Level::Heading)
            .and_then(|h| h.code.as_ref())
            .map(Code::digits)
    }

    /// A node to fill in (units, duty, footnotes). Its `level` and
    /// `parent` are the tree's: move a node with [`Tree::reparent`] (the
    /// tree keeps a copy of both for walking up).
    pub fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id as usize]
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.nodes.iter()
    }

    /// The node with exactly this code.
    pub fn get(&self, code: &Code) -> Option<&Node> {
        self.get_digits(code.digits())
    }

    /// The node with these digits (no separators).
    pub fn get_digits(&self, digits: &str) -> Option<&Node> {
        code_key(digits)
            .and_then(|k| self.by_code.get(&k))
            .map(|&id| self.node(id))
    }

    /// Section nodes in order.
    pub fn sections(&self) -> impl Iterator<Item = &Node> {
        self.sections.iter().map(|&id| self.node(id))
    }

    /// The section node with this number.
    pub fn section(&self, number: u8) -> Option<&Node> {
        self.sections().find(|n| n.section == number)
    }

    /// The section node with this number, the unlisted Section XXII (US
    /// chapters 98 and 99, see [`Tree::add_unlisted`]) included: what a
    /// user naming a section by number means.
    pub fn section_any(&self, number: u8) -> Option<&Node> {
        self.section(number).or_else(|| {
            self.nodes
                .iter()
                .find(|n| n.level == Level::Section && n.section == number)
        })
    }

    /// How many HS subheadings lie at or under a node: 1 for a subheading
    /// or a national line under one (it lies in one subheading).
    pub fn subheadings_under(&self, id: NodeId) -> usize {
        match self.node(id).level {
            Level::Root | Level::Section | Level::Chapter | Level::Heading => self
                .descendants(id)
                .iter()
                .filter(|n| n.level == Level::Subheading)
                .count(),
            _ => 1,
        }
    }

    /// The confidence of each code at or under `typed` when a query names
    /// the code `typed`: the share of `typed`'s subheadings that it covers,
    /// every subheading alike (the code says no more). 1 for the typed code
    /// itself and whenever it has six digits or more. `typed`'s subheadings
    /// are counted once, here, not for each code listed.
    pub fn code_query_confidence(&self, typed: NodeId) -> impl Fn(NodeId) -> f32 + '_ {
        let all = self.subheadings_under(typed);
        move |listed| {
            if typed == listed || all <= 1 {
                return 1.0;
            }
            (self.subheadings_under(listed).min(all) as f32 / all as f32).clamp(0.0, 1.0)
        }
    }

    /// Ancestors from the top (a section) down to the node's parent.
    pub fn ancestors(&self, id: NodeId) -> Vec<&Node> {
        let mut out = Vec::new();
        let mut cur = self.node(id).parent;
        while let Some(p) = cur {
            let n = self.node(p);
            if n.level == Level::Root {
                break;
            }
            out.push(n);
            cur = n.parent;
        }
        out.reverse();
        out
    }

    /// The path from the section down to and including the node.
    pub fn path(&self, id: NodeId) -> Vec<&Node> {
        let mut p = self.ancestors(id);
        p.push(self.node(id));
        p
    }

    /// The nearest ancestor-or-self at `level`.
    pub fn ancestor_at(&self, id: NodeId, level: Level) -> Option<&Node> {
        let mut cur = id;
        while let Some(&(l, parent)) = self.up.get(cur as usize) {
            if l == level {
                return self.nodes.get(cur as usize);
            }
            cur = parent;
        }
        None
    }

    pub fn children(&self, id: NodeId) -> impl Iterator<Item = &Node> {
        self.node(id).children.iter().map(|&c| self.node(c))
    }

    /// Every node under `id` (not itself), depth first, in schedule order.
    pub fn descendants(&self, id: NodeId) -> Vec<&Node> {
        let mut out = Vec::new();
        let mut stack: Vec<NodeId> = self.node(id).children.iter().rev().copied().collect();
        while let Some(c) = stack.pop() {
            let n = self.node(c);
            out.push(n);
            stack.extend(n.children.iter().rev().copied());
        }
        out
    }

    /// The subheadings under `id` (not itself), depth first, in schedule
    /// order: [`Tree::descendants`] of the subheading level, without walking
    /// the national lines under them (subheadings hang from their heading
    /// and never hold one another).
    pub fn subheadings(&self, id: NodeId) -> Vec<&Node> {
        let mut out = Vec::new();
        let mut stack: Vec<NodeId> = self.node(id).children.iter().rev().copied().collect();
        while let Some(c) = stack.pop() {
            let n = self.node(c);
            if n.level == Level::Subheading {
                out.push(n);
            } else {
                stack.extend(n.children.iter().rev().copied());
            }
        }
        out
    }

    /// The nearest coded descendants-or-self: leaves a caller can declare.
    pub fn is_leaf(&self, id: NodeId) -> bool {
        self.node(id).children.is_empty()
    }

    /// The duty columns that apply to a node: its own, or its nearest
    /// ancestor's below the HS subheading (a 10-digit line with empty rate
    /// cells takes its 8-digit parent's rates), with the node that carries
    /// them. None for HS levels and lines without rates.
    pub fn effective_duty(&self, id: NodeId) -> Option<(&Node, &DutyText)> {
        let mut cur = Some(id);
        while let Some(c) = cur {
            let n = self.node(c);
            if !n.duty.is_empty() {
                return Some((n, &n.duty));
            }
            if n.level <= Level::Subheading {
                return None;
            }
            cur = n.parent;
        }
        None
    }

    /// Existing codes nearest to a code that is not in the tree: the longest
    /// existing prefix, its children, and siblings sharing that prefix.
    pub fn nearest_codes(&self, code: &Code, max: usize) -> Vec<&Node> {
        let mut n = code.len();
        while n >= 2 {
            if let Some(prefix) = code.prefix(n)
                && let Some(node) = self.get(&prefix)
            {
                if n == code.len() {
                    return vec![node];
                }
                // Prefer codes of the same length under the found prefix,
                // sorted by closeness of the remaining digits.
                let target: u64 = code.digits().parse().unwrap_or(0);
                let mut under: Vec<&Node> = self
                    .descendants(node.id)
                    .into_iter()
                    .filter(|d| d.code.as_ref().is_some_and(|c| c.len() == code.len()))
                    .collect();
                if under.is_empty() {
                    under = self
                        .children(node.id)
                        .filter(|d| d.code.is_some())
                        .collect();
                }
                // Closeness over the query's length of digits, so codes of
                // other lengths (chapter 99's lines right under it) compare
                // by their leading digits.
                let width = code.len();
                under.sort_by_key(|d| {
                    let v: u64 = d
                        .code
                        .as_ref()
                        .and_then(|c| {
                            let digits = c.digits();
                            let lead = digits.get(..width).unwrap_or(digits);
                            format!("{lead:0<width$}").parse().ok()
                        })
                        .unwrap_or(0);
                    v.abs_diff(target)
                });
                let mut out = vec![node];
                out.extend(under.into_iter().take(max.saturating_sub(1)));
                return out;
            }
            n -= 2;
        }
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Walking up finds the ancestor at a level (the node itself when it
    /// is at that level), follows a move, and stops at the root.
    #[test]
    fn ancestor_at_walks_up_and_follows_a_move() {
        let mut t = Tree::new();
        let s1 = t.add(Tree::ROOT, Level::Section, None, 1, "one".into());
        let c1 = t.add(s1, Level::Chapter, None, 1, "ch 1".into());
        let h1 = t.add(c1, Level::Heading, None, 1, "h 1".into());
        let sub = t.add(h1, Level::Subheading, None, 1, "sub".into());
        let c2 = t.add(s1, Level::Chapter, None, 1, "ch 2".into());
        let h2 = t.add(c2, Level::Heading, None, 1, "h 2".into());
        let id = |n: Option<&Node>| n.map(|n| n.id);
        assert_eq!(id(t.ancestor_at(sub, Level::Heading)), Some(h1));
        assert_eq!(id(t.ancestor_at(sub, Level::Chapter)), Some(c1));
        assert_eq!(id(t.ancestor_at(sub, Level::Subheading)), Some(sub));
        assert_eq!(id(t.ancestor_at(sub, Level::Root)), Some(Tree::ROOT));
        assert_eq!(id(t.ancestor_at(h1, Level::Subheading)), None);
        t.reparent(sub, h2);
        assert_eq!(id(t.ancestor_at(sub, Level::Heading)), Some(h2));
        assert_eq!(id(t.ancestor_at(sub, Level::Chapter)), Some(c2));
        // The same answers as following each node's own parent.
        for n in t.nodes() {
            for level in [Level::Section, Level::Chapter, Level::Heading] {
                let mut cur = Some(n.id);
                let mut want = None;
                while let Some(c) = cur {
                    if t.node(c).level == level {
                        want = Some(c);
                        break;
                    }
                    cur = t.node(c).parent;
                }
                assert_eq!(id(t.ancestor_at(n.id, level)), want);
            }
        }
    }

    /// A heading's subheadings are its descendants of that level, in the
    /// same order, found without the lines under them.
    #[test]
    fn subheadings_are_the_descendants_of_that_level() {
        let mut t = Tree::new();
        let c = t.add(Tree::ROOT, Level::Chapter, None, 1, "ch".into());
        let h = t.add(c, Level::Heading, None, 1, "h".into());
        let a = t.add(h, Level::Subheading, None, 1, "a".into());
        t.add(a, Level::TariffLine, None, 1, "a line".into());
        let b = t.add(h, Level::Subheading, None, 1, "b".into());
        t.add(b, Level::StatisticalLine, None, 1, "b line".into());
        let ids = |v: Vec<&Node>| v.iter().map(|n| n.id).collect::<Vec<_>>();
        assert_eq!(ids(t.subheadings(h)), vec![a, b]);
        assert_eq!(ids(t.subheadings(c)), vec![a, b]);
        let filtered = t
            .descendants(c)
            .into_iter()
            .filter(|n| n.level == Level::Subheading)
            .collect();
        assert_eq!(ids(t.subheadings(c)), ids(filtered));
        assert!(t.subheadings(a).is_empty());
    }
}
