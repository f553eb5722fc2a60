//! The panes, one component each (as gitui does): every component handles
//! the keys sent to it while it has the focus and draws itself in the area
//! it is given. Components know the engine only to read the tree and notes.

mod query;
mod quiz_view;
mod suggestions;
mod text_view;
mod tree_view;

pub use query::QueryInput;
pub use quiz_view::QuizView;
pub use suggestions::Suggestions;
pub use text_view::{NodeView, TextView};
pub use tree_view::TreeView;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders};

use crate::engine::Engine;
use crate::tree::NodeId;

use super::theme::Theme;

/// What a component needs to read while handling a key or drawing.
pub struct Cx<'a> {
    pub engine: &'a Engine,
    pub theme: &'a Theme,
}

/// What a key did, for the app to act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Not a key for this component.
    Ignored,
    /// Handled; nothing more to do.
    Consumed,
    /// The text of an input changed.
    Changed,
    /// The selection moved.
    Moved,
    /// Enter on a node.
    Chosen(NodeId),
}

/// One pane of the UI.
pub trait Component {
    fn on_key(&mut self, key: KeyEvent, cx: &Cx) -> Outcome;
    fn draw(&mut self, f: &mut Frame, area: Rect, cx: &Cx, focused: bool);
}

/// A bordered pane with a title; the border is bright when focused.
pub fn pane<'a>(title: impl Into<Line<'a>>, theme: &Theme, focused: bool) -> Block<'a> {
    let title: Line = title.into();
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(if focused {
            theme.border_focused
        } else {
            theme.border
        })
        .title(title.style(if focused { theme.title } else { theme.text }))
}

/// A title with a dim suffix ("Suggestions", " 12").
pub fn title_with<'a>(title: &str, extra: String, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::raw(format!(" {title}")),
        Span::styled(format!("{extra} "), theme.dim),
    ])
}

/// Movement asked for by a key, in rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
}

impl Nav {
    /// The movement a key stands for: arrows, j/k, page keys, Home/End,
    /// Ctrl-N/Ctrl-P, Ctrl-D/Ctrl-U.
    pub fn of(key: &KeyEvent) -> Option<Nav> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        Some(match key.code {
            KeyCode::Up => Nav::Up,
            KeyCode::Down => Nav::Down,
            KeyCode::Char('k') if !ctrl => Nav::Up,
            KeyCode::Char('j') if !ctrl => Nav::Down,
            KeyCode::Char('p') if ctrl => Nav::Up,
            KeyCode::Char('n') if ctrl => Nav::Down,
            KeyCode::PageUp => Nav::PageUp,
            KeyCode::PageDown => Nav::PageDown,
            KeyCode::Char('u') if ctrl => Nav::PageUp,
            KeyCode::Char('d') if ctrl => Nav::PageDown,
            KeyCode::Home => Nav::Home,
            KeyCode::End => Nav::End,
            _ => return None,
        })
    }

    /// Applies the movement to an index in `0..len`, a page being `page` rows.
    pub fn apply(self, index: usize, len: usize, page: usize) -> usize {
        if len == 0 {
            return 0;
        }
        let page = page.max(1);
        let last = len - 1;
        match self {
            Nav::Up => index.saturating_sub(1),
            Nav::Down => (index + 1).min(last),
            Nav::PageUp => index.saturating_sub(page),
            Nav::PageDown => (index + page).min(last),
            Nav::Home => 0,
            Nav::End => last,
        }
    }
}

/// Keeps `selected` in view: the first visible row for `height` rows.
pub fn scroll_to(offset: usize, selected: usize, height: usize) -> usize {
    let height = height.max(1);
    if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    }
}
