//! The code tree for browsing (sections, chapters, headings, subheadings,
//! US lines), expanded and collapsed in place, with a jump to a code as its
//! digits are typed. The visible rows are kept in a list rebuilt only when
//! something is expanded or collapsed; a frame draws only the rows in view.

use std::collections::HashSet;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::Paragraph;

use crate::tree::{NodeId, Tree};

use super::super::detail::short_label;
use super::super::wrap::{clip_spans, pad};
use super::{Component, Cx, Nav, Outcome, pane, scroll_to, title_with};

/// One visible row: a node and its depth (sections are 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub id: NodeId,
    pub depth: u8,
}

/// The tree pane.
#[derive(Debug, Default)]
pub struct TreeView {
    expanded: HashSet<NodeId>,
    rows: Vec<Row>,
    pub selected: usize,
    offset: usize,
    height: usize,
    /// Digits typed to jump to a code.
    pub jump: String,
    /// The jump found no code this long (the digits typed so far).
    pub jump_missed: bool,
}

impl TreeView {
    /// A tree showing the 21 sections, collapsed.
    pub fn new(tree: &Tree) -> TreeView {
        let mut v = TreeView::default();
        v.rebuild(tree);
        v
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// The selected node.
    pub fn current(&self) -> Option<NodeId> {
        self.rows.get(self.selected).map(|r| r.id)
    }

    pub fn is_expanded(&self, id: NodeId) -> bool {
        self.expanded.contains(&id)
    }

    /// Recomputes the visible rows (after expanding or collapsing).
    fn rebuild(&mut self, tree: &Tree) {
        let keep = self.current();
        self.rows.clear();
        let mut stack: Vec<Row> = tree
            .node(Tree::ROOT)
            .children
            .iter()
            .rev()
            .map(|&id| Row { id, depth: 0 })
            .collect();
        while let Some(r) = stack.pop() {
            self.rows.push(r);
            if self.expanded.contains(&r.id) {
                stack.extend(tree.node(r.id).children.iter().rev().map(|&id| Row {
                    id,
                    depth: r.depth.saturating_add(1),
                }));
            }
        }
        if let Some(k) = keep {
            self.selected = self.rows.iter().position(|r| r.id == k).unwrap_or(0);
        }
    }

    /// Expands the ancestors of `id` and selects it.
    pub fn select_node(&mut self, tree: &Tree, id: NodeId) {
        for a in tree.ancestors(id) {
            self.expanded.insert(a.id);
        }
        self.rebuild(tree);
        if let Some(i) = self.rows.iter().position(|r| r.id == id) {
            self.selected = i;
            // Put it a third of the way down the pane.
            let h = self.height.max(3);
            self.offset = i.saturating_sub(h / 3);
        }
    }

    pub fn expand(&mut self, tree: &Tree, id: NodeId) {
        if !tree.node(id).children.is_empty() && self.expanded.insert(id) {
            self.rebuild(tree);
        }
    }

    pub fn collapse(&mut self, tree: &Tree, id: NodeId) {
        if self.expanded.remove(&id) {
            self.rebuild(tree);
        }
    }

    /// Jumps to the longest code the typed digits make.
    fn jump_to(&mut self, tree: &Tree) -> bool {
        let digits: String = self.jump.chars().filter(char::is_ascii_digit).collect();
        self.jump_missed = false;
        let mut n = digits.len() - digits.len() % 2;
        while n >= 2 {
            if let Some(node) = tree.get_digits(&digits[..n]) {
                let id = node.id;
                self.jump_missed = n < digits.len() - digits.len() % 2;
                self.select_node(tree, id);
                return true;
            }
            n -= 2;
        }
        self.jump_missed = digits.len() >= 2;
        false
    }

    fn row_line(&self, tree: &Tree, r: Row, width: usize, cx: &Cx) -> Line<'static> {
        let t = cx.theme;
        let n = tree.node(r.id);
        let marker = if n.children.is_empty() {
            "  "
        } else if self.expanded.contains(&r.id) {
            "▾ "
        } else {
            "▸ "
        };
        let indent = "  ".repeat(r.depth as usize);
        let label = short_label(n);
        let lw = match n.level {
            crate::tree::Level::Section => 5,
            _ => label.chars().count().max(2),
        };
        let mut spans = vec![
            Span::raw(indent),
            Span::styled(marker, t.dim),
            Span::styled(pad(&label, lw), t.code),
            Span::raw(" "),
            Span::styled(n.text.clone(), t.text),
        ];
        if !n.duty.general.is_empty() {
            spans.push(Span::styled(format!("  [{}]", n.duty.general), t.dim));
        }
        Line::from(clip_spans(spans, width))
    }
}

impl Component for TreeView {
    fn on_key(&mut self, key: KeyEvent, cx: &Cx) -> Outcome {
        let tree = &cx.engine.data.tree;
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        // Digits (and dots) jump to a code as it is typed.
        if let KeyCode::Char(c) = key.code
            && !ctrl
            && (c.is_ascii_digit() || (c == '.' && !self.jump.is_empty()))
        {
            self.jump.push(c);
            self.jump_to(tree);
            return Outcome::Moved;
        }
        if key.code == KeyCode::Backspace && !self.jump.is_empty() {
            self.jump.pop();
            if self.jump.is_empty() {
                self.jump_missed = false;
            } else {
                self.jump_to(tree);
            }
            return Outcome::Moved;
        }
        if key.code == KeyCode::Esc && !self.jump.is_empty() {
            self.jump.clear();
            self.jump_missed = false;
            return Outcome::Consumed;
        }
        self.jump.clear();
        self.jump_missed = false;
        if let Some(nav) = Nav::of(&key) {
            let before = self.selected;
            self.selected = nav.apply(self.selected, self.rows.len(), self.height);
            return if before == self.selected {
                Outcome::Consumed
            } else {
                Outcome::Moved
            };
        }
        let Some(cur) = self.current() else {
            return Outcome::Ignored;
        };
        let node = tree.node(cur);
        match key.code {
            KeyCode::Right | KeyCode::Char('l') => {
                if node.children.is_empty() {
                    return Outcome::Consumed;
                }
                if self.expanded.contains(&cur) {
                    // Already open: step to the first child.
                    self.selected = (self.selected + 1).min(self.rows.len().saturating_sub(1));
                } else {
                    self.expand(tree, cur);
                }
                Outcome::Moved
            }
            KeyCode::Left | KeyCode::Char('h') => {
                if self.expanded.contains(&cur) {
                    self.collapse(tree, cur);
                } else if let Some(p) = node.parent
                    && let Some(i) = self.rows.iter().position(|r| r.id == p)
                {
                    self.selected = i;
                }
                Outcome::Moved
            }
            KeyCode::Char(' ') => {
                if self.expanded.contains(&cur) {
                    self.collapse(tree, cur);
                } else {
                    self.expand(tree, cur);
                }
                Outcome::Moved
            }
            KeyCode::Enter => Outcome::Chosen(cur),
            _ => Outcome::Ignored,
        }
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, cx: &Cx, focused: bool) {
        let t = cx.theme;
        let extra = format!(" {}/{}", self.selected + 1, self.rows.len());
        let block = pane(title_with("Tree", extra, t), t, focused);
        let inner = block.inner(area);
        let height = inner.height as usize;
        self.height = height;
        self.offset = scroll_to(self.offset, self.selected, height);
        self.offset = self.offset.min(self.rows.len().saturating_sub(height));
        let tree = &cx.engine.data.tree;
        let width = inner.width as usize;
        let lines: Vec<Line> = self
            .rows
            .iter()
            .enumerate()
            .skip(self.offset)
            .take(height)
            .map(|(i, &r)| {
                let mut l = self.row_line(tree, r, width, cx);
                if i == self.selected {
                    let w = l.width();
                    if w < width {
                        l.spans.push(Span::raw(" ".repeat(width - w)));
                    }
                    let st = if focused {
                        t.selected
                    } else {
                        t.selected_unfocused
                    };
                    for sp in &mut l.spans {
                        sp.style = sp.style.patch(st);
                    }
                }
                l
            })
            .collect();
        f.render_widget(Paragraph::new(Text::from(lines)).block(block), area);
    }
}
