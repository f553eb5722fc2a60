//! A scrollable pane of wrapped text (notes, rules, help, a node's detail).
//! Wrapping is done once per width and kept; a frame draws only the rows
//! in view.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Text};
use ratatui::widgets::Paragraph;

use crate::rank::Matched;
use crate::tree::NodeId;

use super::super::detail::{Origin, node_paras};
use super::super::wrap::{Para, wrap_with_anchors};
use super::{Component, Cx, Nav, Outcome, pane, title_with};
use crate::tariff::{Date, Measures};
use std::sync::Arc;

/// Wrapped text with a scroll position.
#[derive(Debug, Default)]
pub struct TextView {
    pub title: String,
    paras: Vec<Para>,
    /// (width, lines wrapped to it, line index of each anchor)
    cache: Option<(usize, Vec<Line<'static>>, Vec<usize>)>,
    pub scroll: usize,
    /// Rows shown at the last draw (a page).
    height: usize,
}

impl TextView {
    pub fn new(title: impl Into<String>, paras: Vec<Para>) -> TextView {
        TextView {
            title: title.into(),
            paras,
            ..TextView::default()
        }
    }

    /// Replaces the text and scrolls to the top.
    pub fn set(&mut self, title: impl Into<String>, paras: Vec<Para>) {
        self.title = title.into();
        self.paras = paras;
        self.cache = None;
        self.scroll = 0;
    }

    /// The text wrapped to `width` columns.
    pub fn lines(&mut self, width: usize) -> &[Line<'static>] {
        if self.cache.as_ref().is_none_or(|(w, _, _)| *w != width) {
            let (lines, anchors) = wrap_with_anchors(&self.paras, width);
            self.cache = Some((width, lines, anchors));
        }
        self.cache.as_ref().map_or(&[], |(_, l, _)| l.as_slice())
    }

    /// Scrolls to the next anchor (the next block of notes), wrapping
    /// around to the first; false when there is none.
    pub fn next_anchor(&mut self) -> bool {
        let Some((_, _, anchors)) = &self.cache else {
            return false;
        };
        let next = anchors
            .iter()
            .find(|&&a| a > self.scroll)
            .or_else(|| anchors.first())
            .copied();
        match next {
            Some(a) => {
                self.scroll = a.min(self.max_scroll());
                true
            }
            None => false,
        }
    }

    /// The whole text as plain lines at `width` (for tests and captures).
    pub fn plain(&mut self, width: usize) -> Vec<String> {
        self.lines(width)
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    /// Scrolls so that the first line containing `needle` is at the top.
    pub fn scroll_to_text(&mut self, needle: &str, width: usize) {
        if let Some(i) = self.plain(width).iter().position(|l| l.contains(needle)) {
            self.scroll = i;
        }
    }

    fn max_scroll(&self) -> usize {
        self.cache
            .as_ref()
            .map_or(0, |(_, l, _)| l.len().saturating_sub(self.height.max(1)))
    }
}

impl Component for TextView {
    fn on_key(&mut self, key: KeyEvent, _cx: &Cx) -> Outcome {
        if key.code == KeyCode::Char('n') {
            return if self.next_anchor() {
                Outcome::Consumed
            } else {
                Outcome::Ignored
            };
        }
        let nav = match key.code {
            KeyCode::Char(' ') => Some(Nav::PageDown),
            _ => Nav::of(&key),
        };
        let Some(nav) = nav else {
            return Outcome::Ignored;
        };
        let page = self.height.saturating_sub(1);
        let max = self.max_scroll();
        self.scroll = match nav {
            Nav::End => max,
            _ => nav.apply(self.scroll.min(max), max + 1, page),
        };
        Outcome::Consumed
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, cx: &Cx, focused: bool) {
        let inner_w = area.width.saturating_sub(2) as usize;
        let height = area.height.saturating_sub(2) as usize;
        self.height = height;
        let total = self.lines(inner_w).len();
        self.scroll = self.scroll.min(total.saturating_sub(height.max(1)));
        let pos = if total > height {
            format!(
                " {}-{}/{}",
                self.scroll + 1,
                (self.scroll + height).min(total),
                total
            )
        } else {
            String::new()
        };
        let title = title_with(&self.title, pos, cx.theme);
        let block = pane(title, cx.theme, focused);
        let scroll = self.scroll;
        let lines: Vec<Line> = self
            .lines(inner_w)
            .iter()
            .skip(scroll)
            .take(height)
            .cloned()
            .collect();
        f.render_widget(Paragraph::new(Text::from(lines)).block(block), area);
    }
}

/// A [`TextView`] of one node's detail, rebuilt only when the node (or the
/// words to mark) change.
#[derive(Debug, Default)]
pub struct NodeView {
    pub view: TextView,
    shown: Option<(NodeId, Vec<Matched>)>,
    /// The origin the duty section is worked for (`o`), with the measures.
    origin: Option<(String, Date, Arc<Measures>)>,
}

impl NodeView {
    /// Shows `id` (with `matched` words marked); keeps the scroll position
    /// when it is already shown.
    pub fn show(&mut self, cx: &Cx, id: NodeId, matched: &[Matched]) {
        self.show_with(cx, id, matched, &[]);
    }

    /// As [`NodeView::show`], listing the precedents behind a suggestion
    /// ("as in your entries.csv row 41: '...' -> 6109.10.00.12").
    pub fn show_with(
        &mut self,
        cx: &Cx,
        id: NodeId,
        matched: &[Matched],
        precedents: &[crate::precedents::Support],
    ) {
        if self
            .shown
            .as_ref()
            .is_some_and(|(n, m)| *n == id && m == matched)
        {
            return;
        }
        let ds = &cx.engine.data;
        let title = ds.tree.node(id).label();
        let title = if title.is_empty() {
            "Detail".to_string()
        } else {
            title
        };
        let origin = self.origin.as_ref().map(|(code, date, m)| Origin {
            code,
            date: *date,
            measures: m,
        });
        let mut paras = node_paras(ds, id, matched, origin, cx.theme);
        if !precedents.is_empty() {
            // After the text and what matched: at the top of the pane.
            let at = paras.len().min(3);
            let lines: Vec<Para> = precedents
                .iter()
                .map(|p| {
                    let text = format!(
                        "as in your {} row {}: '{}' -> {} (similarity {:.2})",
                        p.file, p.row, p.description, p.code, p.similarity
                    );
                    // Control characters never reach the terminal.
                    let text: String = text
                        .chars()
                        .map(|c| if c.is_control() { '?' } else { c })
                        .collect();
                    Para::raw(text, cx.theme.dim).hang(6)
                })
                .collect();
            paras.splice(at..at, lines);
        }
        self.view.set(title, paras);
        self.shown = Some((id, matched.to_vec()));
    }

    /// Works the duty section for `origin` (None: no origin section) and
    /// redraws the node shown.
    pub fn set_origin(&mut self, cx: &Cx, origin: Option<(String, Date, Arc<Measures>)>) {
        self.origin = origin;
        if let Some((id, matched)) = self.shown.take() {
            self.show(cx, id, &matched);
        }
    }

    /// Shows nothing but a hint.
    pub fn clear(&mut self, hint: Vec<Para>) {
        self.shown = None;
        self.view.set("Detail", hint);
    }

    pub fn node(&self) -> Option<NodeId> {
        self.shown.as_ref().map(|(n, _)| *n)
    }
}

impl Component for NodeView {
    fn on_key(&mut self, key: KeyEvent, cx: &Cx) -> Outcome {
        self.view.on_key(key, cx)
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, cx: &Cx, focused: bool) {
        self.view.draw(f, area, cx, focused);
    }
}
