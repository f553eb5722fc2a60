//! Styles of the terminal UI: a coloured theme, and a monochrome one (bold,
//! reverse, underline only) when `NO_COLOR` is set.

use ratatui::style::{Color, Modifier, Style};

/// Every style the UI draws with.
#[derive(Debug, Clone)]
pub struct Theme {
    pub color: bool,
    pub text: Style,
    pub dim: Style,
    pub title: Style,
    pub border: Style,
    pub border_focused: Style,
    pub selected: Style,
    /// Selection in a pane that does not have the focus.
    pub selected_unfocused: Style,
    pub code: Style,
    /// Words of the query found in a text.
    pub matched: Style,
    pub heading: Style,
    pub key: Style,
    pub good: Style,
    pub bad: Style,
    pub tab_active: Style,
    pub tab: Style,
    pub status: Style,
}

impl Theme {
    /// The theme the environment asks for: monochrome when `NO_COLOR` is set
    /// to anything non-empty (<https://no-color.org>).
    pub fn from_env() -> Theme {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Theme::mono(),
            _ => Theme::colored(),
        }
    }

    pub fn colored() -> Theme {
        let bold = Modifier::BOLD;
        Theme {
            color: true,
            text: Style::new(),
            dim: Style::new().fg(Color::DarkGray),
            title: Style::new().fg(Color::Cyan).add_modifier(bold),
            border: Style::new().fg(Color::DarkGray),
            border_focused: Style::new().fg(Color::Cyan),
            selected: Style::new()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(bold),
            selected_unfocused: Style::new().bg(Color::DarkGray).fg(Color::White),
            code: Style::new().fg(Color::Yellow).add_modifier(bold),
            matched: Style::new().fg(Color::Green).add_modifier(bold),
            heading: Style::new().fg(Color::Magenta).add_modifier(bold),
            key: Style::new().fg(Color::Cyan).add_modifier(bold),
            good: Style::new().fg(Color::Green).add_modifier(bold),
            bad: Style::new().fg(Color::Red).add_modifier(bold),
            tab_active: Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(bold),
            tab: Style::new().fg(Color::Gray),
            status: Style::new().fg(Color::Gray),
        }
    }

    pub fn mono() -> Theme {
        let s = Style::new();
        let bold = s.add_modifier(Modifier::BOLD);
        Theme {
            color: false,
            text: s,
            dim: s,
            title: bold,
            border: s,
            border_focused: bold,
            selected: s.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            selected_unfocused: s.add_modifier(Modifier::REVERSED),
            code: bold,
            matched: s.add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
            heading: bold,
            key: bold,
            good: bold,
            bad: bold,
            tab_active: s.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            tab: s,
            status: s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mono_theme_has_no_colours() {
        let t = Theme::mono();
        for s in [
            t.text,
            t.dim,
            t.title,
            t.selected,
            t.code,
            t.matched,
            t.good,
            t.bad,
            t.tab_active,
        ] {
            assert_eq!(s.fg, None);
            assert_eq!(s.bg, None);
        }
    }
}
