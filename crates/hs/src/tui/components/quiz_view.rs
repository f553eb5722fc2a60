//! The quiz screen: the description asked about, the tree narrowed so far
//! with the choices of the current level, and a pane that shows the
//! highlighted choice (before answering) or the feedback with the right
//! path and its notes (after); the score per level at the end.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Wrap};

use crate::code::roman;
use crate::tree::{Level, NodeId};

use super::super::detail::{chapter_notes, node_paras, section_notes, short_label};
use super::super::quiz::{LEVELS, Phase, Quiz, level_name};
use super::super::wrap::{Para, clip, clip_spans, pad, wrap_all};
use super::{Component, Cx, Nav, Outcome, TextView, pane, scroll_to, title_with};

/// The most lines of a description the question pane shows.
const DESCRIPTION_LINES: usize = 5;

/// The quiz screen's state.
#[derive(Debug, Default)]
pub struct QuizView {
    pub quiz: Option<Quiz>,
    pub selected: usize,
    offset: usize,
    height: usize,
    /// (item, phase) the choices were computed for, and the choices.
    choices: Option<((usize, Phase), Vec<NodeId>)>,
    pub info: TextView,
    /// What the info pane shows: (item, phase, selected choice).
    info_key: Option<(usize, Phase, usize)>,
    /// The info pane has the focus.
    pub info_focused: bool,
}

impl QuizView {
    pub fn start(&mut self, quiz: Quiz) {
        *self = QuizView {
            quiz: Some(quiz),
            ..QuizView::default()
        };
    }

    /// Computes the choices of the current question (once per question)
    /// and what the info pane shows.
    fn sync(&mut self, q: &Quiz, cx: &Cx) {
        let key = (q.index, question_phase(&q.phase));
        if self.choices.as_ref().is_none_or(|(k, _)| *k != key) {
            let c = q.choices(&cx.engine.data.tree);
            // Start on the first choice of a new question.
            self.selected = 0;
            self.offset = 0;
            self.choices = Some((key, c));
        }
        self.refresh_info(q, cx);
    }

    /// The choices of the current question.
    pub fn choices(&self) -> &[NodeId] {
        self.choices.as_ref().map_or(&[], |(_, c)| c.as_slice())
    }

    fn refresh_info(&mut self, q: &Quiz, cx: &Cx) {
        let key = (q.index, q.phase.clone(), self.selected);
        if self.info_key.as_ref() == Some(&key) {
            return;
        }
        let ds = &cx.engine.data;
        let t = cx.theme;
        let (title, paras) = match &q.phase {
            Phase::Asking { .. } => {
                let choice = self
                    .choices
                    .as_ref()
                    .and_then(|(_, c)| c.get(self.selected).copied());
                match choice {
                    Some(id) => (
                        format!("About {}", ds.tree.node(id).label()),
                        node_paras(ds, id, &[], None, t),
                    ),
                    None => ("About".to_string(), Vec::new()),
                }
            }
            Phase::Feedback { level, chosen } => {
                let item = &q.items[q.index];
                let right = item.path[*level];
                let ok = right == *chosen;
                let lname = level_name(LEVELS[*level]);
                let mut p = Vec::new();
                if ok {
                    p.push(Para::raw(
                        format!("✓ Right: {lname} {}", short_label(ds.tree.node(right))),
                        t.good,
                    ));
                } else {
                    let c = ds.tree.node(*chosen);
                    p.push(Para::raw(
                        format!("✗ Not {} {}", short_label(c), c.text),
                        t.bad,
                    ));
                    p.push(Para::raw(
                        format!(
                            "The right {lname} is {}: {}",
                            short_label(ds.tree.node(right)),
                            ds.tree.node(right).text
                        ),
                        t.good,
                    ));
                }
                p.push(Para::blank());
                p.push(Para::raw("The right path", t.title));
                for (d, &id) in item.path[..=*level].iter().enumerate() {
                    let n = ds.tree.node(id);
                    let label = format!("{}{:<11} ", " ".repeat(d), short_label(n));
                    let hang = label.chars().count();
                    p.push(
                        Para::new(vec![
                            Span::styled(label, t.code),
                            Span::styled(n.text.clone(), t.text),
                        ])
                        .hang(hang),
                    );
                }
                if *level + 1 == item.path.len() {
                    p.push(Para::blank());
                    let gold = ds.tree.get(&item.gold).map_or_else(
                        || ds.tree.node(right).full_text.clone(),
                        |n| n.full_text.clone(),
                    );
                    p.push(
                        Para::new(vec![
                            Span::styled("Answer  ", t.title),
                            Span::styled(item.gold.to_string(), t.code),
                            Span::raw(format!("  {gold}")),
                        ])
                        .hang(8),
                    );
                }
                p.push(Para::blank());
                p.push(Para::raw(
                    if *level + 1 < item.path.len() {
                        "Enter: the next level".to_string()
                    } else if q.index + 1 < q.items.len() {
                        "Enter: the next description".to_string()
                    } else {
                        "Enter: the score".to_string()
                    },
                    t.dim,
                ));
                p.push(Para::blank());
                // Notes of the right section at the section level, else of
                // the right chapter.
                if LEVELS[*level] == Level::Section {
                    p.extend(section_notes(ds, right, t));
                } else {
                    p.extend(chapter_notes(ds, right, t));
                }
                let title = if ok { "Right" } else { "Not quite" };
                (title.to_string(), p)
            }
            Phase::Done => ("Score".to_string(), Vec::new()),
        };
        self.info.set(title, paras);
        self.info_key = Some(key);
    }

    fn draw_done(&self, f: &mut Frame, area: Rect, cx: &Cx, q: &Quiz) {
        let t = cx.theme;
        let mut lines = vec![
            Line::from(Span::styled(
                format!(
                    "Quiz over: {} description{} from {}",
                    q.items.len(),
                    if q.items.len() == 1 { "" } else { "s" },
                    q.source
                ),
                t.title,
            )),
            Line::default(),
            Line::from(Span::styled(
                format!(
                    "{}{:>7}{:>7}{:>7}",
                    pad("Level", 12),
                    "right",
                    "asked",
                    "share"
                ),
                t.dim,
            )),
        ];
        for (l, s) in LEVELS.iter().zip(q.scores.iter()) {
            let share = if s.asked == 0 {
                "-".to_string()
            } else {
                format!("{:.0}%", 100.0 * s.right as f64 / s.asked as f64)
            };
            lines.push(Line::from(vec![
                Span::styled(pad(level_name(*l), 12), t.text),
                Span::styled(format!("{:>7}{:>7}{:>7}", s.right, s.asked, share), t.code),
            ]));
        }
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            "Enter or r: the same quiz again · n: new questions · Esc: back",
            t.dim,
        )));
        f.render_widget(
            Paragraph::new(Text::from(lines))
                .wrap(Wrap { trim: false })
                .block(pane(" Quiz: score per level ", t, true)),
            area,
        );
    }
}

impl QuizView {
    fn key(&mut self, q: &mut Quiz, key: KeyEvent, cx: &Cx) -> Outcome {
        if key.code == KeyCode::Tab || key.code == KeyCode::BackTab {
            self.info_focused = !self.info_focused;
            return Outcome::Consumed;
        }
        if self.info_focused
            && let o @ (Outcome::Consumed | Outcome::Moved) = self.info.on_key(key, cx)
        {
            return o;
        }
        let n = self.choices().len();
        match q.phase.clone() {
            Phase::Asking { .. } => {
                if let Some(nav) = Nav::of(&key) {
                    self.selected = nav.apply(self.selected, n, self.height);
                    return Outcome::Moved;
                }
                match key.code {
                    KeyCode::Enter | KeyCode::Right | KeyCode::Char('l') => {
                        if let Some(&c) = self.choices().get(self.selected) {
                            q.answer(c);
                        }
                        Outcome::Consumed
                    }
                    KeyCode::Char('s') => {
                        q.skip_item();
                        Outcome::Consumed
                    }
                    _ => Outcome::Ignored,
                }
            }
            Phase::Feedback { .. } => match key.code {
                KeyCode::Enter | KeyCode::Char(' ') | KeyCode::Right | KeyCode::Char('l') => {
                    q.next();
                    Outcome::Consumed
                }
                KeyCode::Char('s') => {
                    q.skip_item();
                    Outcome::Consumed
                }
                _ => Outcome::Ignored,
            },
            Phase::Done => match key.code {
                KeyCode::Enter | KeyCode::Char('r') => {
                    q.restart();
                    self.choices = None;
                    Outcome::Consumed
                }
                _ => Outcome::Ignored,
            },
        }
    }
}

/// The question a phase belongs to (feedback shares its question's choices).
fn question_phase(p: &Phase) -> Phase {
    match p {
        Phase::Feedback { level, .. } => Phase::Asking { level: *level },
        other => other.clone(),
    }
}

impl Component for QuizView {
    fn on_key(&mut self, key: KeyEvent, cx: &Cx) -> Outcome {
        let Some(mut q) = self.quiz.take() else {
            return Outcome::Ignored;
        };
        self.sync(&q, cx);
        let out = self.key(&mut q, key, cx);
        self.sync(&q, cx);
        self.quiz = Some(q);
        out
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, cx: &Cx, _focused: bool) {
        let t = cx.theme;
        let Some(q) = self.quiz.take() else {
            let p = Paragraph::new("No quiz loaded. Press n for questions from everyday phrases, or run `hs quiz --input FILE.csv`.")
                .wrap(Wrap { trim: true })
                .block(pane(" Quiz ", t, true));
            f.render_widget(p, area);
            return;
        };
        self.sync(&q, cx);
        self.draw_quiz(f, area, cx, &q);
        self.quiz = Some(q);
    }
}

impl QuizView {
    fn draw_quiz(&mut self, f: &mut Frame, area: Rect, cx: &Cx, q: &Quiz) {
        let t = cx.theme;
        if q.phase == Phase::Done {
            self.draw_done(f, area, cx, q);
            return;
        }
        let Some(item) = q.item() else {
            return;
        };
        let level = q.level().unwrap_or(0);

        // The description asked about, wrapped: up to five lines (more
        // are cut, the last shown ending in `…`), never fewer than two.
        let inner = area.width.saturating_sub(2) as usize;
        let mut asked = wrap_all(&[Para::raw(item.description.clone(), t.heading)], inner);
        if asked.len() > DESCRIPTION_LINES {
            asked.truncate(DESCRIPTION_LINES);
            if let Some(last) = asked.last_mut() {
                let text: String = last.spans.iter().map(|s| s.content.as_ref()).collect();
                *last = Line::from(Span::styled(
                    clip(&format!("{}…", text.trim_end()), inner),
                    t.heading,
                ));
            }
        }
        let rows = asked.len().clamp(2, DESCRIPTION_LINES) as u16 + 2;
        let [top, body] =
            Layout::vertical([Constraint::Length(rows), Constraint::Min(3)]).areas(area);
        let (sum_right, sum_asked) = q
            .scores
            .iter()
            .fold((0, 0), |(r, a), s| (r + s.right, a + s.asked));
        let title = title_with(
            &format!("Question {}/{}", q.index + 1, q.items.len()),
            format!(" · {} · score {sum_right}/{sum_asked}", q.source),
            t,
        );
        f.render_widget(Paragraph::new(asked).block(pane(title, t, false)), top);

        let wide = body.width >= 100;
        let [left, right] = Layout::horizontal([
            Constraint::Percentage(if wide { 50 } else { 55 }),
            Constraint::Fill(1),
        ])
        .areas(body);

        // The path so far, then the choices under it.
        let lname = level_name(LEVELS[level]);
        let verb = match q.phase {
            Phase::Asking { .. } => format!("Choose the {lname}"),
            _ => format!("The {lname}"),
        };
        let block = pane(
            title_with(
                &verb,
                format!(" {}/{}", self.selected + 1, self.choices().len()),
                t,
            ),
            t,
            !self.info_focused,
        );
        let inner = block.inner(left);
        let width = inner.width as usize;
        let tree = &cx.engine.data.tree;
        let mut lines: Vec<Line> = Vec::new();
        for (d, &id) in item.path[..level].iter().enumerate() {
            let n = tree.node(id);
            let spans = vec![
                Span::raw("  ".repeat(d)),
                Span::styled("▾ ", t.dim),
                Span::styled(format!("{} ", short_label(n)), t.code),
                Span::styled(n.text.clone(), t.dim),
            ];
            lines.push(Line::from(clip_spans(spans, width)));
        }
        let height = (inner.height as usize).saturating_sub(lines.len()).max(1);
        self.height = height;
        self.offset = scroll_to(self.offset, self.selected, height);
        let right_id = item.path[level];
        let chosen = match q.phase {
            Phase::Feedback { chosen, .. } => Some(chosen),
            _ => None,
        };
        let choices = self.choices.as_ref().map_or(&[][..], |(_, c)| c.as_slice());
        for (i, &id) in choices.iter().enumerate().skip(self.offset).take(height) {
            let n = tree.node(id);
            let mark = match chosen {
                Some(_) if id == right_id => Span::styled("✓ ", t.good),
                Some(c) if id == c => Span::styled("✗ ", t.bad),
                _ => Span::raw("  "),
            };
            let label = match n.level {
                Level::Section => pad(&roman(n.section), 5),
                _ => short_label(n),
            };
            let mut spans = vec![
                Span::raw("  ".repeat(level)),
                mark,
                Span::styled(format!("{label} "), t.code),
                Span::styled(n.text.clone(), t.text),
            ];
            let mut l_spans = clip_spans(std::mem::take(&mut spans), width);
            if i == self.selected {
                let w: usize = l_spans.iter().map(|s| s.content.chars().count()).sum();
                if w < width {
                    l_spans.push(Span::raw(" ".repeat(width - w)));
                }
                let st = if self.info_focused {
                    t.selected_unfocused
                } else {
                    t.selected
                };
                for s in &mut l_spans {
                    s.style = s.style.patch(st);
                }
            }
            lines.push(Line::from(l_spans));
        }
        f.render_widget(Paragraph::new(Text::from(lines)).block(block), left);
        self.info.draw(f, right, cx, self.info_focused);
    }
}
