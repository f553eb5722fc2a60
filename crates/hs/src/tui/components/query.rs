//! The query line: a one-line text input with a cursor.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use unicode_width::UnicodeWidthChar;

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
        let (shown, cursor_x) = view(&self.text, self.cursor, w);
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
            Line::from(Span::styled(shown, cx.theme.text))
        };
        f.render_widget(Paragraph::new(line).block(block), area);
        if focused && inner.width > 0 && inner.height > 0 {
            let x = inner.x + cursor_x as u16;
            f.set_cursor_position(Position::new(x, inner.y));
        }
    }
}

/// The part of `text` a line `w` cells wide shows (one more cell for the
/// cursor) with the cursor (at `cursor` characters) in view, and the
/// cursor's cell: scrolled by display width, an emoji taking two cells and
/// a combining accent none.
fn view(text: &str, cursor: usize, w: usize) -> (String, usize) {
    let widths: Vec<usize> = text.chars().map(|c| c.width().unwrap_or(0)).collect();
    let cursor = cursor.min(widths.len());
    // Drop characters from the left until what is before the cursor fits.
    let mut before: usize = widths[..cursor].iter().sum();
    let mut skip = 0;
    while skip < cursor && before > w {
        before -= widths[skip];
        skip += 1;
    }
    let mut used = 0;
    let shown: String = text
        .chars()
        .zip(&widths)
        .skip(skip)
        .take_while(|(_, cw)| {
            used += **cw;
            used <= w + 1
        })
        .map(|(c, _)| c)
        .collect();
    (shown, before.min(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_follows_wide_and_combining_characters() {
        use unicode_width::UnicodeWidthStr;
        // 30 emoji (two cells each) then END in 20 cells: END shows and
        // the cursor sits right after it.
        let text = format!("{}END", "👕".repeat(30));
        let (shown, x) = view(&text, text.chars().count(), 20);
        assert!(shown.ends_with("END"), "{shown}");
        // Whole emoji only: 8 of them and END, 19 cells.
        assert_eq!(x, 19);
        assert!(shown.width() <= 21, "{shown}");
        // Combining accents take no cell: the cursor is where the text ends.
        let text = format!("{}END", "e\u{301}".repeat(5));
        let (shown, x) = view(&text, text.chars().count(), 40);
        assert_eq!(shown, text);
        assert_eq!(x, 5 + 3);
        // Plain text as before.
        assert_eq!(view("cotton", 3, 40), ("cotton".to_string(), 3));
    }

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
