//! The ranked suggestions: two rows each, the code with its confidence and
//! its own words, then the text of the HS subheading it lies under; the
//! query's matched words are marked.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::Paragraph;

use crate::engine::SearchResult;
use crate::rank::Suggestion;
use crate::tree::Level;

use super::super::wrap::{clip, clip_spans, highlight, pad};
use super::{Component, Cx, Nav, Outcome, pane, scroll_to, title_with};

/// Rows a suggestion takes.
const ROWS: usize = 2;

/// The list of suggestions and the selected one.
#[derive(Debug, Default)]
pub struct Suggestions {
    result: Option<SearchResult>,
    pub selected: usize,
    offset: usize,
    /// Items shown at the last draw.
    page: usize,
    /// A search for the newest query is running.
    pub pending: bool,
}

impl Suggestions {
    /// Shows the result of a new query, selecting the best suggestion.
    pub fn set(&mut self, result: SearchResult) {
        self.selected = 0;
        self.offset = 0;
        self.result = Some(result);
        self.pending = false;
    }

    pub fn items(&self) -> &[Suggestion] {
        self.result
            .as_ref()
            .map_or(&[], |r| r.suggestions.as_slice())
    }

    pub fn current(&self) -> Option<&Suggestion> {
        self.items().get(self.selected)
    }

    pub fn result(&self) -> Option<&SearchResult> {
        self.result.as_ref()
    }

    /// Moves the selection; true when it moved.
    pub fn nav(&mut self, nav: Nav) -> bool {
        let before = self.selected;
        self.selected = nav.apply(self.selected, self.items().len(), self.page.max(1));
        before != self.selected
    }

    fn row(&self, s: &Suggestion, width: usize, cx: &Cx, selected: bool) -> [Line<'static>; 2] {
        let t = cx.theme;
        let words: Vec<String> = s.matched.iter().map(|m| m.word.clone()).collect();
        let tree = &cx.engine.data.tree;
        let node = tree.node(s.node);
        let code = pad(&s.code.to_string(), 14);
        // A code typed lists its subtree: 100% for what its digits fix, the
        // share of its subheadings otherwise (as `hs search` shows).
        let conf = format!("{:>3.0}% ", s.confidence * 100.0);
        let mut first = vec![
            Span::styled(if selected { "▶ " } else { "  " }, t.code),
            Span::styled(code, t.code),
            Span::styled(conf, t.dim),
        ];
        // The node's own words when it lies below the subheading.
        let sub = tree.ancestor_at(s.node, Level::Subheading);
        let own = if node.level > Level::Subheading {
            node.text.clone()
        } else if node.level < Level::Subheading {
            s.description.clone()
        } else {
            String::new()
        };
        first.extend(highlight(&own, &words, t.text, t.matched));
        let context = match (node.level, sub) {
            (l, Some(sub)) if l >= Level::Subheading => sub.full_text.clone(),
            _ => String::new(),
        };
        let mut second = vec![Span::raw("    ")];
        second.extend(highlight(&context, &words, t.dim, t.matched));
        let mut lines = [
            Line::from(clip_spans(first, width)),
            Line::from(clip_spans(second, width)),
        ];
        if selected {
            for l in &mut lines {
                let w = l.width();
                if w < width {
                    l.spans.push(Span::raw(" ".repeat(width - w)));
                }
            }
        }
        lines
    }
}

impl Component for Suggestions {
    fn on_key(&mut self, key: KeyEvent, _cx: &Cx) -> Outcome {
        if let Some(nav) = Nav::of(&key) {
            return if self.nav(nav) {
                Outcome::Moved
            } else {
                Outcome::Consumed
            };
        }
        match key.code {
            KeyCode::Enter => match self.current() {
                Some(s) => Outcome::Chosen(s.node),
                None => Outcome::Consumed,
            },
            _ => Outcome::Ignored,
        }
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, cx: &Cx, focused: bool) {
        let t = cx.theme;
        let n = self.items().len();
        let extra = if self.pending {
            " …".to_string()
        } else if n > 0 {
            format!(" {}/{}", self.selected + 1, n)
        } else {
            String::new()
        };
        let block = pane(title_with("Suggestions", extra, t), t, focused);
        let inner = block.inner(area);
        let width = inner.width as usize;
        let page = (inner.height as usize / ROWS).max(1);
        self.page = page;
        self.offset = scroll_to(self.offset, self.selected, page);
        let mut lines: Vec<Line> = Vec::with_capacity(page * ROWS);
        if n == 0 {
            let q = self.result.as_ref().map_or("", |r| r.query.as_str());
            let hint = if self.pending {
                "searching…".to_string()
            } else if q.is_empty() {
                "Suggestions appear as you type.".to_string()
            } else {
                format!(
                    "No suggestions for \"{}\". Try other words: what the goods are, what they are made of.",
                    clip(q, 40)
                )
            };
            lines.push(Line::from(Span::styled(hint, t.dim)));
            f.render_widget(
                Paragraph::new(Text::from(lines))
                    .wrap(ratatui::widgets::Wrap { trim: true })
                    .block(block),
                area,
            );
            return;
        }
        for (i, s) in self.items().iter().enumerate().skip(self.offset).take(page) {
            let sel = i == self.selected;
            let mut rows = self.row(s, width, cx, sel);
            if sel {
                let st = if focused {
                    t.selected
                } else {
                    t.selected_unfocused
                };
                for l in &mut rows {
                    for sp in &mut l.spans {
                        sp.style = sp.style.patch(st);
                    }
                }
            }
            lines.extend(rows);
        }
        f.render_widget(Paragraph::new(Text::from(lines)).block(block), area);
    }
}
