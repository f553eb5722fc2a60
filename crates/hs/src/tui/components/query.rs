//! The query line: a one-line text input with a cursor.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Component, Cx, Outcome, pane};

/// A one-line input.
#[derive(Debug, Default, Clone)]
pub struct QueryInput {
    text: String,
    /// Cursor position, in characters.
    cursor: usize,
}

impl QueryInput {
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn set(&mut self, text: &str) {
        self.text = text.replace(['\n', '\r', '\t'], " ");
        self.cursor = self.text.chars().count();
    }

    /// Inserts text at the cursor (typing or pasting).
    pub fn insert(&mut self, s: &str) {
        let at = self.byte(self.cursor);
        let s = s.replace(['\n', '\r', '\t'], " ");
        self.text.insert_str(at, &s);
        self.cursor += s.chars().count();
    }

    fn byte(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }

    fn len(&self) -> usize {
        self.text.chars().count()
    }

    /// Deletes the word before the cursor (Ctrl-W).
    fn delete_word(&mut self) {
        let chars: Vec<char> = self.text.chars().collect();
        let mut start = self.cursor;
        while start > 0 && chars[start - 1] == ' ' {
            start -= 1;
        }
        while start > 0 && chars[start - 1] != ' ' {
            start -= 1;
        }
        let (a, b) = (self.byte(start), self.byte(self.cursor));
        self.text.replace_range(a..b, "");
        self.cursor = start;
    }
}

impl Component for QueryInput {
    fn on_key(&mut self, key: KeyEvent, _cx: &Cx) -> Outcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match key.code {
            KeyCode::Char('u') if ctrl => {
                let b = self.byte(self.cursor);
                self.text.replace_range(..b, "");
                self.cursor = 0;
                Outcome::Changed
            }
            KeyCode::Char('w') if ctrl => {
                self.delete_word();
                Outcome::Changed
            }
            KeyCode::Backspace if ctrl || alt => {
                self.delete_word();
                Outcome::Changed
            }
            KeyCode::Char('a') if ctrl => {
                self.cursor = 0;
                Outcome::Consumed
            }
            KeyCode::Char('e') if ctrl => {
                self.cursor = self.len();
                Outcome::Consumed
            }
            KeyCode::Char('k') if ctrl => {
                let b = self.byte(self.cursor);
                self.text.truncate(b);
                Outcome::Changed
            }
            KeyCode::Char(c) if !ctrl && !alt => {
                let mut buf = [0u8; 4];
                self.insert(c.encode_utf8(&mut buf));
                Outcome::Changed
            }
            KeyCode::Backspace => {
                if self.cursor == 0 {
                    return Outcome::Consumed;
                }
                let (a, b) = (self.byte(self.cursor - 1), self.byte(self.cursor));
                self.text.replace_range(a..b, "");
                self.cursor -= 1;
                Outcome::Changed
            }
            KeyCode::Delete => {
                if self.cursor >= self.len() {
                    return Outcome::Consumed;
                }
                let (a, b) = (self.byte(self.cursor), self.byte(self.cursor + 1));
                self.text.replace_range(a..b, "");
                Outcome::Changed
            }
            KeyCode::Left => {
                self.cursor = self.cursor.saturating_sub(1);
                Outcome::Consumed
            }
            KeyCode::Right => {
                self.cursor = (self.cursor + 1).min(self.len());
                Outcome::Consumed
            }
            KeyCode::Home => {
                self.cursor = 0;
                Outcome::Consumed
            }
            KeyCode::End => {
                self.cursor = self.len();
                Outcome::Consumed
            }
            _ => Outcome::Ignored,
        }
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, cx: &Cx, focused: bool) {
        let block = pane(" Query ", cx.theme, focused);
        let inner = block.inner(area);
        let w = inner.width.saturating_sub(1) as usize;
        // Scroll the text so that the cursor stays in view.
        let skip = self.cursor.saturating_sub(w);
        let line = if self.text.is_empty() && !focused {
            Line::from(Span::styled(
                "press / and type a description or a code",
                cx.theme.dim,
            ))
        } else if self.text.is_empty() {
            Line::from(Span::styled(
                "type a description (men's cotton t-shirt) or a code (6109)",
                cx.theme.dim,
            ))
        } else {
            let shown: String = self.text.chars().skip(skip).take(w + 1).collect();
            Line::from(Span::styled(shown, cx.theme.text))
        };
        f.render_widget(Paragraph::new(line).block(block), area);
        if focused && inner.width > 0 && inner.height > 0 {
            let x = inner.x + (self.cursor - skip).min(w) as u16;
            f.set_cursor_position(Position::new(x, inner.y));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_at_the_cursor() {
        let mut q = QueryInput::default();
        q.set("cotton shirt");
        q.delete_word();
        assert_eq!(q.text(), "cotton ");
        q.insert("t-shirt");
        assert_eq!(q.text(), "cotton t-shirt");
        q.cursor = 0;
        q.insert("men's ");
        assert_eq!(q.text(), "men's cotton t-shirt");
    }
}
