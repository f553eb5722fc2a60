//! The app: the state of every screen and the state machine that keys
//! drive. It needs no terminal: tests feed it keys and draw it on ratatui's
//! `TestBackend`. Searching goes through [`Searcher`]; the app does none of
//! its own.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::engine::Engine;
use crate::tariff::{Date, Measures};
use crate::tree::{Level, NodeId};

use super::components::{
    Component, Cx, NodeView, Outcome, QueryInput, QuizView, Suggestions, TextView, TreeView,
};
use super::detail::short_label;
use super::keys::help_paras;
use super::quiz::{Quiz, Rng, builtin_quiz};
use super::search::Searcher;
use super::theme::Theme;
use super::wrap::{Para, clip, markdown};

/// The screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Classify,
    Browse,
    Quiz,
}

/// What may cover a screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Gri,
}

/// The panes of the Classify screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassifyFocus {
    Query,
    List,
    Detail,
}

/// How the app is set up.
#[derive(Debug, Clone)]
pub struct AppOptions {
    pub theme: Theme,
    /// Enter on a code picks it (prints it) and quits.
    pub pick: bool,
    /// Search on a worker thread (false: at once, for tests).
    pub worker: bool,
    /// Seed for the order of built-in quiz questions (None: the clock).
    pub seed: Option<u64>,
    /// Questions in a built-in quiz.
    pub quiz_count: usize,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions {
            theme: Theme::from_env(),
            pick: false,
            worker: false,
            seed: None,
            quiz_count: 10,
        }
    }
}

/// The whole UI state.
pub struct App {
    pub engine: Arc<Engine>,
    pub theme: Theme,
    pub pick: bool,
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub focus: ClassifyFocus,
    pub query: QueryInput,
    pub suggestions: Suggestions,
    pub detail: NodeView,
    pub tree: TreeView,
    pub info: NodeView,
    /// The Browse screen's info pane has the focus.
    pub info_focused: bool,
    pub quiz: QuizView,
    pub help: TextView,
    pub gri: TextView,
    searcher: Searcher,
    rng: Rng,
    quiz_count: usize,
    /// A message for the status line, until the next key.
    pub status: Option<String>,
    pub should_quit: bool,
    /// The code chosen with Enter in pick mode.
    pub picked: Option<String>,
    /// Enter pressed in pick mode while the newest query's search ran:
    /// its first suggestion is picked when it arrives.
    pick_when_ready: bool,
    /// A code to copy to the clipboard (the event loop writes OSC 52).
    pub clipboard: Option<String>,
    /// The origin the detail panes work the duty for (`o` cycles through
    /// [`ORIGINS`], `O` turns it off): an index into [`ORIGINS`].
    pub origin: Option<usize>,
    /// The date of entry the origin's measures are judged on (today).
    pub date: Date,
    /// The chapter 99 measures, read on the first `o`.
    measures: Option<Arc<Measures>>,
}

/// The smallest terminal the UI draws in; below it, a message asks for more.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;

/// The origins `o` cycles through: the largest sources of US imports and
/// the origins the chapter 99 measures name.
pub const ORIGINS: &[&str] = &[
    "CN", "MX", "CA", "DE", "JP", "VN", "KR", "IN", "TW", "GB", "BR", "RU",
];

impl App {
    pub fn new(engine: Arc<Engine>, opts: AppOptions) -> App {
        let searcher = if opts.worker {
            Searcher::worker(Arc::clone(&engine))
        } else {
            Searcher::inline(Arc::clone(&engine))
        };
        let theme = opts.theme;
        let tree = TreeView::new(&engine.data.tree);
        let help = TextView::new("Keys", help_paras(&theme, opts.pick));
        let gri = TextView::new(
            "General Rules of Interpretation",
            markdown(&engine.data.notes.gri, theme.text, theme.heading),
        );
        let rng = opts.seed.map_or_else(Rng::from_time, Rng::new);
        let mut app = App {
            engine,
            theme,
            pick: opts.pick,
            screen: Screen::Classify,
            overlay: None,
            focus: ClassifyFocus::Query,
            query: QueryInput::default(),
            suggestions: Suggestions::default(),
            detail: NodeView::default(),
            tree,
            info: NodeView::default(),
            info_focused: false,
            quiz: QuizView::default(),
            help,
            gri,
            searcher,
            rng,
            quiz_count: opts.quiz_count,
            status: None,
            should_quit: false,
            picked: None,
            pick_when_ready: false,
            clipboard: None,
            origin: None,
            date: Date::today(),
            measures: None,
        };
        app.sync_detail();
        app.sync_info();
        app
    }

    /// Types `text` as the query.
    pub fn set_query(&mut self, text: &str) {
        self.query.set(text);
        self.search();
    }

    /// Opens the quiz screen on a quiz.
    pub fn start_quiz(&mut self, quiz: Quiz) {
        self.quiz.start(quiz);
        self.screen = Screen::Quiz;
    }

    /// A quiz of everyday phrases from the reference data.
    pub fn builtin_quiz(&mut self) -> Quiz {
        builtin_quiz(&self.engine.data, self.quiz_count, &mut self.rng)
    }

    fn search(&mut self) {
        let q = self.query.text().to_string();
        match self.searcher.request(&q) {
            Some(r) => self.apply(r),
            None => self.suggestions.pending = true,
        }
        self.sync_detail();
    }

    /// Shows a search's suggestions, or its error on the status line (with
    /// no suggestions: a failed search never shows a stale or empty list
    /// as if it were the answer).
    fn apply(&mut self, outcome: super::search::Outcome) {
        match outcome {
            Ok(r) => self.suggestions.set(r),
            Err(e) => {
                self.status = Some(format!("search failed: {e}"));
                self.suggestions.set(crate::engine::SearchResult {
                    query: self.query.text().to_string(),
                    kind: "text",
                    suggestions: Vec::new(),
                    understood: Default::default(),
                    conflict: None,
                });
            }
        }
    }

    /// True while a search for the newest query runs.
    pub fn search_pending(&self) -> bool {
        self.searcher.pending()
    }

    /// Takes in finished searches; true when the screen changed.
    pub fn tick(&mut self) -> bool {
        match self.searcher.poll() {
            Some(r) => {
                self.apply(r);
                self.sync_detail();
                if self.pick_when_ready && !self.search_pending() {
                    self.pick_when_ready = false;
                    match self.suggestions.current() {
                        Some(s) => {
                            let id = s.node;
                            self.pick_node(id);
                        }
                        None => self.status = Some("no suggestion to pick".into()),
                    }
                }
                true
            }
            None => false,
        }
    }

    fn cx(&self) -> Cx<'_> {
        Cx {
            engine: &self.engine,
            theme: &self.theme,
        }
    }

    /// Shows the selected suggestion in the detail pane.
    fn sync_detail(&mut self) {
        let cx = Cx {
            engine: &self.engine,
            theme: &self.theme,
        };
        match self.suggestions.current() {
            Some(s) => self
                .detail
                .show_with(&cx, s.node, &s.matched, &s.precedents),
            None if self.detail.node().is_some() || self.detail.view.title.is_empty() => {
                let t = &self.theme;
                self.detail.clear(vec![
                    Para::raw("Type what the goods are.", t.title),
                    Para::blank(),
                    Para::raw(
                        "Suggestions follow every key; the selected code is shown here in full: its controlled-goods flags, path from the section down, children, units, duty rates with the preference programs spelled out, and the section and chapter notes that govern it.",
                        t.text,
                    ),
                    Para::blank(),
                    Para::raw("Examples: men's cotton t-shirt · laptop · 6109 · 8471.30", t.dim),
                    Para::blank(),
                    Para::raw("? all keys · g the General Rules of Interpretation · b browse the tree · z quiz", t.dim),
                ]);
            }
            None => {}
        }
    }

    /// Shows the tree's selected node in the Browse info pane.
    fn sync_info(&mut self) {
        let cx = Cx {
            engine: &self.engine,
            theme: &self.theme,
        };
        if let Some(id) = self.tree.current() {
            self.info.show(&cx, id, &[]);
        }
    }

    /// Sets the origin the detail panes work the duty for (an index into
    /// [`ORIGINS`]; None: no origin section), reading the measures the
    /// first time; a failure to read them is said on the status line.
    pub fn set_origin(&mut self, origin: Option<usize>) {
        let chosen = match origin.and_then(|i| ORIGINS.get(i)) {
            None => None,
            Some(code) => {
                if self.measures.is_none() {
                    match Measures::load(&self.engine.data.dir) {
                        Ok(m) => self.measures = Some(Arc::new(m)),
                        Err(e) => {
                            self.status = Some(format!("cannot read the measures: {e}"));
                            return;
                        }
                    }
                }
                self.measures
                    .as_ref()
                    .map(|m| ((*code).to_string(), self.date, Arc::clone(m)))
            }
        };
        self.origin = origin.filter(|_| chosen.is_some());
        self.status = Some(match &chosen {
            Some((code, ..)) => format!(
                "origin {code}: the detail shows its chapter 99 measures, fees and total rate (o next origin, O off)"
            ),
            None => "origin off".to_string(),
        });
        let cx = Cx {
            engine: &self.engine,
            theme: &self.theme,
        };
        self.detail.set_origin(&cx, chosen.clone());
        self.info.set_origin(&cx, chosen);
    }

    /// Opens a node in the Browse screen.
    pub fn open_in_browse(&mut self, id: NodeId) {
        // A code half typed in Browse before is no longer what is asked.
        self.tree.jump.clear();
        self.tree.jump_missed = false;
        self.tree.select_node(&self.engine.data.tree, id);
        self.screen = Screen::Browse;
        self.info_focused = false;
        self.sync_info();
    }

    /// Picks a node's code (pick mode) and quits.
    fn pick_node(&mut self, id: NodeId) {
        match &self.engine.data.tree.node(id).code {
            Some(c) => {
                self.picked = Some(c.to_string());
                self.should_quit = true;
            }
            None => self.status = Some("that line has no code; pick a coded line".into()),
        }
    }

    /// The code selected on the current screen.
    fn selected_code(&self) -> Option<String> {
        let id = match self.screen {
            Screen::Classify => self.suggestions.current().map(|s| s.node),
            Screen::Browse => self.tree.current(),
            Screen::Quiz => None,
        }?;
        self.engine
            .data
            .tree
            .node(id)
            .code
            .as_ref()
            .map(|c| c.to_string())
    }

    fn go(&mut self, screen: Screen) {
        self.screen = screen;
        if screen == Screen::Quiz && self.quiz.quiz.is_none() {
            let q = self.builtin_quiz();
            self.quiz.start(q);
        }
        if screen == Screen::Browse {
            self.sync_info();
        }
    }

    /// Text pasted into the terminal goes to the query line.
    pub fn on_paste(&mut self, text: &str) {
        if self.overlay.is_none() {
            self.screen = Screen::Classify;
            self.focus = ClassifyFocus::Query;
            self.query.insert(text);
            self.search();
        }
    }

    /// Handles one key.
    pub fn on_key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        self.status = None;
        // A key after Enter changes what was asked: no pick on its behalf.
        if key.code != KeyCode::Enter {
            self.pick_when_ready = false;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        if ctrl && matches!(key.code, KeyCode::Char('c')) {
            self.should_quit = true;
            return;
        }
        if let Some(o) = self.overlay {
            self.key_overlay(o, key);
            return;
        }
        // Keys that work even while typing.
        match key.code {
            KeyCode::F(1) => return self.overlay = Some(Overlay::Help),
            KeyCode::Char('g') if ctrl => return self.overlay = Some(Overlay::Gri),
            KeyCode::F(2) => return self.go(Screen::Classify),
            KeyCode::F(3) => return self.go(Screen::Browse),
            KeyCode::F(4) => return self.go(Screen::Quiz),
            _ => {}
        }
        let typing = self.screen == Screen::Classify && self.focus == ClassifyFocus::Query;
        if !typing
            && !ctrl
            && !alt
            && let KeyCode::Char(c) = key.code
        {
            match c {
                'q' => return self.should_quit = true,
                '?' => return self.overlay = Some(Overlay::Help),
                'g' => return self.overlay = Some(Overlay::Gri),
                'c' => return self.go(Screen::Classify),
                'b' => return self.go(Screen::Browse),
                'z' => return self.go(Screen::Quiz),
                '/' => {
                    self.screen = Screen::Classify;
                    self.focus = ClassifyFocus::Query;
                    return;
                }
                'o' => {
                    let next = match self.origin {
                        None => Some(0),
                        Some(i) if i + 1 < ORIGINS.len() => Some(i + 1),
                        Some(_) => None,
                    };
                    return self.set_origin(next);
                }
                'O' => return self.set_origin(None),
                'y' => {
                    match self.selected_code() {
                        Some(code) => {
                            self.status = Some(format!("copied {code} to the clipboard (OSC 52)"));
                            self.clipboard = Some(code);
                        }
                        None => self.status = Some("no code selected to copy".into()),
                    }
                    return;
                }
                _ => {}
            }
        }
        match self.screen {
            Screen::Classify => self.key_classify(key),
            Screen::Browse => self.key_browse(key),
            Screen::Quiz => self.key_quiz(key),
        }
    }

    fn key_overlay(&mut self, o: Overlay, key: KeyEvent) {
        let close = match key.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Enter => true,
            KeyCode::Char('?') | KeyCode::F(1) => o == Overlay::Help,
            KeyCode::Char('g') => o == Overlay::Gri,
            _ => false,
        };
        if close {
            self.overlay = None;
            return;
        }
        let cx = Cx {
            engine: &self.engine,
            theme: &self.theme,
        };
        match o {
            Overlay::Help => self.help.on_key(key, &cx),
            Overlay::Gri => self.gri.on_key(key, &cx),
        };
    }

    fn key_classify(&mut self, key: KeyEvent) {
        let cx = Cx {
            engine: &self.engine,
            theme: &self.theme,
        };
        match self.focus {
            ClassifyFocus::Query => match key.code {
                KeyCode::Tab => self.focus = ClassifyFocus::List,
                KeyCode::BackTab => self.focus = ClassifyFocus::Detail,
                KeyCode::Esc => self.focus = ClassifyFocus::List,
                KeyCode::Enter => {
                    // Results of an older query are never picked: wait for
                    // the newest.
                    if self.pick && self.search_pending() {
                        self.pick_when_ready = true;
                    } else if self.pick
                        && let Some(s) = self.suggestions.current()
                    {
                        let id = s.node;
                        self.pick_node(id);
                    } else if self.suggestions.current().is_some() {
                        self.focus = ClassifyFocus::List;
                    }
                }
                KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown => {
                    if let Some(nav) = super::components::Nav::of(&key)
                        && self.suggestions.nav(nav)
                    {
                        self.sync_detail();
                    }
                }
                _ => {
                    if self.query.on_key(key, &cx) == Outcome::Changed {
                        self.search();
                    }
                }
            },
            ClassifyFocus::List => match key.code {
                KeyCode::Tab => self.focus = ClassifyFocus::Detail,
                KeyCode::BackTab | KeyCode::Esc => self.focus = ClassifyFocus::Query,
                KeyCode::Char('n') => {
                    self.detail.view.next_anchor();
                }
                _ => match self.suggestions.on_key(key, &cx) {
                    Outcome::Moved => self.sync_detail(),
                    Outcome::Chosen(id) => self.choose(id),
                    _ => {}
                },
            },
            ClassifyFocus::Detail => match key.code {
                KeyCode::Tab => self.focus = ClassifyFocus::Query,
                KeyCode::BackTab | KeyCode::Esc => self.focus = ClassifyFocus::List,
                KeyCode::Enter => {
                    if let Some(id) = self.detail.node() {
                        self.choose(id);
                    }
                }
                _ => {
                    self.detail.on_key(key, &cx);
                }
            },
        }
    }

    /// Enter on a code: pick it, or open it in the tree.
    fn choose(&mut self, id: NodeId) {
        if self.pick {
            self.pick_node(id);
        } else {
            self.open_in_browse(id);
        }
    }

    fn key_browse(&mut self, key: KeyEvent) {
        let cx = Cx {
            engine: &self.engine,
            theme: &self.theme,
        };
        match key.code {
            KeyCode::Tab | KeyCode::BackTab => {
                self.info_focused = !self.info_focused;
                return;
            }
            KeyCode::Esc if self.info_focused => {
                self.info_focused = false;
                return;
            }
            KeyCode::Esc if self.tree.jump.is_empty() => {
                self.screen = Screen::Classify;
                return;
            }
            _ => {}
        }
        if self.info_focused {
            self.info.on_key(key, &cx);
            return;
        }
        if key.code == KeyCode::Char('n') {
            self.info.view.next_anchor();
            return;
        }
        match self.tree.on_key(key, &cx) {
            Outcome::Moved => self.sync_info(),
            Outcome::Chosen(id) => {
                let tree = &self.engine.data.tree;
                let n = tree.node(id);
                if self.pick && n.code.is_some() {
                    self.pick_node(id);
                } else if self.tree.is_expanded(id) {
                    self.tree.collapse(tree, id);
                } else {
                    self.tree.expand(tree, id);
                }
                self.sync_info();
            }
            _ => {}
        }
    }

    fn key_quiz(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Esc if self.quiz.info_focused => {
                self.quiz.info_focused = false;
                return;
            }
            KeyCode::Esc => {
                self.screen = Screen::Classify;
                return;
            }
            KeyCode::Char('n') => {
                let q = self.builtin_quiz();
                self.quiz.start(q);
                return;
            }
            _ => {}
        }
        let cx = Cx {
            engine: &self.engine,
            theme: &self.theme,
        };
        self.quiz.on_key(key, &cx);
    }

    /// Draws the whole UI.
    pub fn draw(&mut self, f: &mut Frame) {
        let area = f.area();
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            f.render_widget(
                Paragraph::new(format!(
                    "hs: the terminal is {}x{}; make it at least {MIN_WIDTH}x{MIN_HEIGHT} (80x24 or more reads best; Ctrl-C quits)",
                    area.width, area.height
                ))
                .wrap(ratatui::widgets::Wrap { trim: true }),
                area,
            );
            return;
        }
        let [header, body, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(6),
            Constraint::Length(1),
        ])
        .areas(area);
        self.draw_header(f, header);
        match self.screen {
            Screen::Classify => self.draw_classify(f, body),
            Screen::Browse => self.draw_browse(f, body),
            Screen::Quiz => {
                let cx = Cx {
                    engine: &self.engine,
                    theme: &self.theme,
                };
                self.quiz.draw(f, body, &cx, true);
            }
        }
        self.draw_footer(f, footer);
        if let Some(o) = self.overlay {
            let popup = centered(area, 90, 90);
            f.render_widget(Clear, popup);
            let cx = Cx {
                engine: &self.engine,
                theme: &self.theme,
            };
            match o {
                Overlay::Help => self.help.draw(f, popup, &cx, true),
                Overlay::Gri => self.gri.draw(f, popup, &cx, true),
            }
        }
    }

    fn draw_header(&self, f: &mut Frame, area: Rect) {
        let t = &self.theme;
        let mut spans = vec![Span::styled(" hs ", t.title)];
        for (s, name) in [
            (Screen::Classify, "Classify"),
            (Screen::Browse, "Browse"),
            (Screen::Quiz, "Quiz"),
        ] {
            spans.push(Span::raw(" "));
            let st = if s == self.screen {
                t.tab_active
            } else {
                t.tab
            };
            spans.push(Span::styled(format!(" {name} "), st));
        }
        if self.pick {
            spans.push(Span::styled("  pick: Enter prints the code", t.heading));
        }
        let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
        let right = "? keys  g rules  q quit ";
        let w = area.width as usize;
        if used + right.len() < w {
            spans.push(Span::raw(" ".repeat(w - used - right.chars().count())));
            spans.push(Span::styled(right, t.dim));
        }
        f.render_widget(Paragraph::new(Line::from(spans)), area);
    }

    fn draw_footer(&self, f: &mut Frame, area: Rect) {
        let t = &self.theme;
        let text = if let Some(s) = &self.status {
            Line::from(Span::styled(format!(" {s}"), t.heading))
        } else {
            let hint = match (self.overlay, self.screen, self.focus) {
                (Some(_), _, _) => "↑↓ PgUp PgDn scroll · Esc close",
                (None, Screen::Classify, ClassifyFocus::Query) => {
                    if self.pick {
                        "type to search · ↑↓ choose · Enter pick · Tab panes · Esc commands · Ctrl-C quit"
                    } else {
                        "type to search · ↑↓ choose · Enter select · Tab panes · Esc commands · Ctrl-C quit"
                    }
                }
                (None, Screen::Classify, ClassifyFocus::List) => {
                    if self.pick {
                        "↑↓ jk move · Enter pick · y copy · / query · b browse · ? keys · q quit"
                    } else {
                        "↑↓ jk move · Enter open in tree · y copy · / query · b browse · ? keys · q quit"
                    }
                }
                (None, Screen::Classify, ClassifyFocus::Detail) => {
                    "↑↓ jk scroll · Tab query · Esc list · y copy · g rules · ? keys · q quit"
                }
                (None, Screen::Browse, _) => {
                    "↑↓ move · →← open/close · 0-9 jump to code · Tab notes · Esc back · ? keys"
                }
                (None, Screen::Quiz, _)
                    if self
                        .quiz
                        .quiz
                        .as_ref()
                        .is_some_and(|q| q.phase == super::quiz::Phase::Done) =>
                {
                    "Enter or r: the same quiz again · n new questions · Esc back · q quit"
                }
                (None, Screen::Quiz, _)
                    if self.quiz.quiz.as_ref().is_some_and(|q| {
                        matches!(q.phase, super::quiz::Phase::Feedback { .. })
                    }) =>
                {
                    "Enter next · s skip this description · Tab notes · n new · Esc back · ? keys"
                }
                (None, Screen::Quiz, _) => {
                    "↑↓ choose · Enter answer · s skip · Tab notes · n new · Esc back · ? keys"
                }
            };
            Line::from(Span::styled(format!(" {hint}"), t.status))
        };
        let w = area.width as usize;
        let text = if text.width() > w {
            let s: String = text.spans.iter().map(|s| s.content.as_ref()).collect();
            Line::from(Span::styled(clip(&s, w), t.status))
        } else {
            text
        };
        f.render_widget(Paragraph::new(text), area);
    }

    fn draw_classify(&mut self, f: &mut Frame, area: Rect) {
        let [q, rest] = Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
        let left_pct = if area.width >= 120 { 40 } else { 48 };
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(left_pct), Constraint::Fill(1)]).areas(rest);
        let cx = Cx {
            engine: &self.engine,
            theme: &self.theme,
        };
        let focus = self.focus;
        self.query.draw(f, q, &cx, focus == ClassifyFocus::Query);
        self.suggestions
            .draw(f, left, &cx, focus == ClassifyFocus::List);
        self.detail
            .draw(f, right, &cx, focus == ClassifyFocus::Detail);
    }

    fn draw_browse(&mut self, f: &mut Frame, area: Rect) {
        let [crumb, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
        let [left, right] = Layout::horizontal([
            Constraint::Percentage(if area.width >= 120 { 50 } else { 55 }),
            Constraint::Fill(1),
        ])
        .areas(rest);
        self.draw_breadcrumb(f, crumb);
        let cx = Cx {
            engine: &self.engine,
            theme: &self.theme,
        };
        let info_focused = self.info_focused;
        self.tree.draw(f, left, &cx, !info_focused);
        self.info.draw(f, right, &cx, info_focused);
    }

    fn draw_breadcrumb(&self, f: &mut Frame, area: Rect) {
        let cx = self.cx();
        let t = cx.theme;
        let tree = &cx.engine.data.tree;
        let mut spans = vec![Span::raw(" ")];
        if let Some(id) = self.tree.current() {
            for (i, n) in tree.path(id).iter().enumerate() {
                if i > 0 {
                    spans.push(Span::styled(" › ", t.dim));
                }
                let label = match n.level {
                    Level::Section => n.label(),
                    _ => short_label(n),
                };
                spans.push(Span::styled(label, t.code));
            }
        }
        if !self.tree.jump.is_empty() {
            spans.push(Span::styled("   jump: ", t.dim));
            spans.push(Span::styled(self.tree.jump.clone(), t.heading));
            if self.tree.jump_missed {
                spans.push(Span::styled("  (no such code; nearest shown)", t.bad));
            }
        }
        let line = Line::from(super::wrap::clip_spans(spans, area.width as usize));
        f.render_widget(Paragraph::new(line), area);
    }
}

/// A rectangle of `pw`% x `ph`% centred in `area`.
fn centered(area: Rect, pw: u16, ph: u16) -> Rect {
    let w = area.width * pw / 100;
    let h = area.height * ph / 100;
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}
