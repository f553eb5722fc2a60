//! The terminal UI driven by keys, without a terminal: key sequences over
//! the real engine, and snapshots of each screen drawn on ratatui's
//! `TestBackend` (80x24 and 120x40). Snapshots use code queries and the
//! tree, which do not move when the ranking is tuned.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they set up

use std::sync::{Arc, OnceLock};

use hs::engine::{Engine, Options};
use hs::tui::app::{ClassifyFocus, Overlay};
use hs::tui::quiz::{Phase, Quiz, QuizItem};
use hs::tui::theme::Theme;
use hs::tui::{App, AppOptions, Screen};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;

fn engine() -> Arc<Engine> {
    static E: OnceLock<Arc<Engine>> = OnceLock::new();
    E.get_or_init(|| {
        let (e, _) = Engine::open(&Options::default()).expect("open the engine");
        Arc::new(e)
    })
    .clone()
}

fn app_with(pick: bool, theme: Theme) -> App {
    App::new(
        engine(),
        AppOptions {
            theme,
            pick,
            worker: false,
            seed: Some(7),
            quiz_count: 3,
        },
    )
}

fn app() -> App {
    app_with(false, Theme::mono())
}

fn key(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn ctrl(app: &mut App, c: char) {
    app.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    t.draw(|f| app.draw(f)).expect("draw");
    t
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    draw(app, w, h).backend().to_string()
}

#[test]
fn typing_a_tshirt_suggests_6109_10() {
    let mut a = app();
    type_text(&mut a, "men's cotton t-shirt");
    assert_eq!(a.query.text(), "men's cotton t-shirt");
    let codes: Vec<String> = a
        .suggestions
        .items()
        .iter()
        .take(10)
        .map(|s| s.code.digits().to_string())
        .collect();
    assert!(
        codes.iter().any(|c| c.starts_with("610910")),
        "no 6109.10 among {codes:?}"
    );
    // Put the 6109.10 line on top of the list and look at the screen.
    let pos = codes.iter().position(|c| c.starts_with("610910")).unwrap();
    for _ in 0..pos {
        key(&mut a, KeyCode::Down);
    }
    let s = screen(&mut a, 100, 30);
    assert!(s.contains("6109.10"), "{s}");
    // The detail pane holds the path and the chapter 61 notes.
    let detail = a.detail.view.plain(60).join("\n");
    assert!(detail.contains("Path"));
    assert!(detail.contains("Section XI"));
    assert!(detail.contains("Chapter 61 notes"), "{detail}");
    assert!(detail.contains("knitted or crocheted"));
}

#[test]
fn q_types_in_the_query_and_quits_elsewhere() {
    let mut a = app();
    type_text(&mut a, "quilt");
    assert_eq!(a.query.text(), "quilt");
    assert!(!a.should_quit);
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.focus, ClassifyFocus::List);
    key(&mut a, KeyCode::Char('q'));
    assert!(a.should_quit);
}

#[test]
fn ctrl_c_always_quits() {
    let mut a = app();
    type_text(&mut a, "cotton");
    ctrl(&mut a, 'c');
    assert!(a.should_quit);
    let mut a = app();
    key(&mut a, KeyCode::Char('?'));
    type_text(&mut a, "x");
    assert!(!a.should_quit);
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('b'));
    ctrl(&mut a, 'c');
    assert!(a.should_quit);
}

#[test]
fn tab_cycles_panes_and_slash_focuses_the_query() {
    let mut a = app();
    a.set_query("6109");
    assert_eq!(a.focus, ClassifyFocus::Query);
    key(&mut a, KeyCode::Tab);
    assert_eq!(a.focus, ClassifyFocus::List);
    key(&mut a, KeyCode::Tab);
    assert_eq!(a.focus, ClassifyFocus::Detail);
    key(&mut a, KeyCode::Tab);
    assert_eq!(a.focus, ClassifyFocus::Query);
    key(&mut a, KeyCode::BackTab);
    assert_eq!(a.focus, ClassifyFocus::Detail);
    key(&mut a, KeyCode::Char('b'));
    assert_eq!(a.screen, Screen::Browse);
    key(&mut a, KeyCode::Char('/'));
    assert_eq!(a.screen, Screen::Classify);
    assert_eq!(a.focus, ClassifyFocus::Query);
}

#[test]
fn arrows_move_in_the_suggestions_while_typing() {
    let mut a = app();
    a.set_query("6109");
    let first = a.suggestions.current().unwrap().code.clone();
    key(&mut a, KeyCode::Down);
    let second = a.suggestions.current().unwrap().code.clone();
    assert_ne!(first, second);
    assert_eq!(a.detail.node(), Some(a.suggestions.current().unwrap().node));
    // j and k type while in the query line.
    key(&mut a, KeyCode::Char('j'));
    assert_eq!(a.query.text(), "6109j");
}

#[test]
fn enter_opens_the_code_in_the_tree() {
    let mut a = app();
    a.set_query("6109.10");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.focus, ClassifyFocus::List);
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.screen, Screen::Browse);
    let id = a.tree.current().unwrap();
    let e = engine();
    let node = e.data.tree.node(id);
    assert_eq!(node.code.as_ref().unwrap().to_string(), "6109.10");
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("Section XI › 61 › 6109 › 6109.10"), "{s}");
    // Esc goes back.
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.screen, Screen::Classify);
}

#[test]
fn pick_mode_returns_the_code_on_enter() {
    let mut a = app_with(true, Theme::mono());
    a.set_query("6109.10");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.picked.as_deref(), Some("6109.10"));
    assert!(a.should_quit);

    // From the tree: Enter on a leaf picks it.
    let mut a = app_with(true, Theme::mono());
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('b'));
    type_text(&mut a, "6109100012");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.picked.as_deref(), Some("6109.10.00.12"));
}

#[test]
fn y_copies_the_selected_code() {
    let mut a = app();
    a.set_query("8471.30");
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('y'));
    assert_eq!(a.clipboard.as_deref(), Some("8471.30"));
    assert!(a.status.as_deref().unwrap_or("").contains("OSC 52"));
}

#[test]
fn browse_jumps_to_a_code_as_typed_and_expands() {
    let mut a = app();
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('b'));
    assert_eq!(a.tree.rows().len(), 21, "21 sections, collapsed");
    type_text(&mut a, "84");
    let e = engine();
    let tree = &e.data.tree;
    let label = |a: &App| tree.node(a.tree.current().unwrap()).label();
    assert_eq!(label(&a), "84");
    type_text(&mut a, "71");
    assert_eq!(label(&a), "8471");
    assert_eq!(a.tree.jump, "8471");
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("jump: 8471"), "{s}");
    assert!(s.contains("Chapter 84 notes") || s.contains("8471"));
    // A key that is not a digit ends the jump; → expands, ← collapses.
    let before = a.tree.rows().len();
    assert!(!a.tree.is_expanded(a.tree.current().unwrap()));
    key(&mut a, KeyCode::Right);
    assert!(a.tree.jump.is_empty());
    assert!(a.tree.rows().len() > before);
    key(&mut a, KeyCode::Left);
    assert_eq!(a.tree.rows().len(), before);
    key(&mut a, KeyCode::Left);
    assert_eq!(label(&a), "84");
    // Backspace edits the code typed.
    type_text(&mut a, "610");
    key(&mut a, KeyCode::Backspace);
    assert_eq!(label(&a), "61");
}

#[test]
fn n_jumps_to_the_notes_in_the_detail() {
    let mut a = app();
    a.set_query("6109.10");
    screen(&mut a, 80, 24);
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('n'));
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("Chapter 61 notes"), "{s}");
    key(&mut a, KeyCode::Char('n'));
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("Section XI notes"), "{s}");
}

#[test]
fn overlays_open_from_anywhere_and_close_with_esc() {
    let mut a = app();
    ctrl(&mut a, 'g');
    assert_eq!(a.overlay, Some(Overlay::Gri));
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("GENERAL RULES OF INTERPRETATION"), "{s}");
    key(&mut a, KeyCode::PageDown);
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.overlay, None);
    key(&mut a, KeyCode::F(1));
    assert_eq!(a.overlay, Some(Overlay::Help));
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("Ctrl-C"), "{s}");
    key(&mut a, KeyCode::Char('?'));
    assert_eq!(a.overlay, None);
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('b'));
    key(&mut a, KeyCode::Char('g'));
    assert_eq!(a.overlay, Some(Overlay::Gri));
}

fn tshirt_quiz() -> Quiz {
    let e = engine();
    let tree = &e.data.tree;
    let item = QuizItem::new(tree, "Men's T-shirt, 100% cotton, knitted", "6109.10.0012")
        .expect("6109.10 is in the tree");
    assert_eq!(item.path.len(), 4);
    Quiz::new(vec![item], "test")
}

/// Moves the quiz selection onto `id` and answers.
fn answer(a: &mut App, right: bool) {
    let q = a.quiz.quiz.as_ref().unwrap();
    let level = q.level().unwrap();
    let want = q.items[q.index].path[level];
    let choices = a.quiz.choices().to_vec();
    let target = if right {
        choices.iter().position(|&c| c == want).unwrap()
    } else {
        choices.iter().position(|&c| c != want).unwrap()
    };
    key(a, KeyCode::Home);
    for _ in 0..target {
        key(a, KeyCode::Down);
    }
    key(a, KeyCode::Enter);
}

#[test]
fn a_quiz_description_keeps_its_spaces_and_a_long_one_ends_in_an_ellipsis() {
    let e = engine();
    let tree = &e.data.tree;
    let long = format!(
        "Men's\tT-shirt,\r\n100% cotton {}",
        "knitted of fine yarn ".repeat(40)
    );
    let item = QuizItem::new(tree, &long, "6109.10").expect("6109.10 is in the tree");
    assert!(
        item.description
            .starts_with("Men's T-shirt, 100% cotton knitted"),
        "{}",
        item.description
    );
    let mut a = app();
    a.start_quiz(Quiz::new(vec![item], "test"));
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("Men's T-shirt, 100% cotton"), "{s}");
    assert!(s.contains("…"), "{s}");
    // The footer says what Enter does while the feedback is shown.
    assert!(s.contains("Enter answer"), "{s}");
    answer(&mut a, true);
    let s = screen(&mut a, 80, 24);
    assert!(
        s.contains("Enter next") && !s.contains("Enter answer"),
        "{s}"
    );
}

#[test]
fn quiz_narrows_down_level_by_level_and_scores() {
    let mut a = app();
    a.start_quiz(tshirt_quiz());
    assert_eq!(a.screen, Screen::Quiz);
    screen(&mut a, 80, 24);
    assert_eq!(a.quiz.choices().len(), 21);
    answer(&mut a, true);
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("✓ Right: section XI"), "{s}");
    key(&mut a, KeyCode::Enter);
    screen(&mut a, 80, 24);
    answer(&mut a, false);
    let s = screen(&mut a, 100, 30);
    assert!(s.contains("✗ Not"), "{s}");
    assert!(s.contains("The right chapter is 61"), "{s}");
    assert!(s.contains("Chapter 61 notes"), "{s}");
    key(&mut a, KeyCode::Enter);
    screen(&mut a, 80, 24);
    answer(&mut a, true);
    key(&mut a, KeyCode::Enter);
    screen(&mut a, 80, 24);
    answer(&mut a, true);
    let s = screen(&mut a, 100, 30);
    assert!(s.contains("6109.10.00.12"), "the answer is shown: {s}");
    key(&mut a, KeyCode::Enter);
    let q = a.quiz.quiz.as_ref().unwrap();
    assert_eq!(q.phase, Phase::Done);
    let got: Vec<(usize, usize)> = q.scores.iter().map(|s| (s.right, s.asked)).collect();
    assert_eq!(got, vec![(1, 1), (0, 1), (1, 1), (1, 1)]);
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("score per level"), "{s}");
    // r starts again.
    key(&mut a, KeyCode::Char('r'));
    assert_eq!(
        a.quiz.quiz.as_ref().unwrap().phase,
        Phase::Asking { level: 0 }
    );
}

#[test]
fn quiz_from_the_ui_uses_everyday_phrases() {
    let mut a = app();
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('z'));
    assert_eq!(a.screen, Screen::Quiz);
    let q = a.quiz.quiz.as_ref().expect("a built-in quiz");
    assert_eq!(q.items.len(), 3);
    assert_eq!(q.source, "everyday phrases");
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.screen, Screen::Classify);
}

#[test]
fn no_color_draws_without_colours() {
    let mut a = app_with(false, Theme::mono());
    a.set_query("6109.10");
    let t = draw(&mut a, 80, 24);
    let buf = t.backend().buffer();
    for cell in buf.content() {
        assert!(matches!(cell.fg, Color::Reset), "fg {:?}", cell.fg);
        assert!(matches!(cell.bg, Color::Reset), "bg {:?}", cell.bg);
    }
    let mut a = app_with(false, Theme::colored());
    a.set_query("6109.10");
    let t = draw(&mut a, 80, 24);
    assert!(
        t.backend()
            .buffer()
            .content()
            .iter()
            .any(|c| c.fg != Color::Reset)
    );
}

#[test]
fn redraws_at_any_size() {
    let mut a = app();
    a.set_query("6109");
    for (w, h) in [(80, 24), (81, 25), (200, 60), (60, 16), (30, 8), (1, 1)] {
        let s = screen(&mut a, w, h);
        assert!(!s.is_empty());
    }
    let s = screen(&mut a, 30, 8);
    assert!(s.contains("80x24"), "{s}");
}

// Snapshots of each screen.

#[test]
fn snapshot_classify_empty() {
    let mut a = app();
    insta::assert_snapshot!("classify_empty_80x24", screen(&mut a, 80, 24));
}

#[test]
fn snapshot_classify_code() {
    let mut a = app();
    a.set_query("6109.10");
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Down);
    insta::assert_snapshot!("classify_6109_10_80x24", screen(&mut a, 80, 24));
    insta::assert_snapshot!("classify_6109_10_120x40", screen(&mut a, 120, 40));
}

#[test]
fn snapshot_detail_flags_and_rates() {
    // Flags come right under the description.
    let mut a = app();
    a.set_query("9301.10");
    insta::assert_snapshot!("classify_9301_10_flags_80x24", screen(&mut a, 80, 24));
    // The duty of a 10-digit line, scrolled into view.
    let mut a = app();
    a.set_query("6109.10.00.12");
    screen(&mut a, 120, 40);
    a.detail.view.scroll_to_text("Duty", 68);
    insta::assert_snapshot!(
        "classify_6109_10_00_12_duty_120x40",
        screen(&mut a, 120, 40)
    );
}

#[test]
fn snapshot_browse() {
    let mut a = app();
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('b'));
    insta::assert_snapshot!("browse_sections_80x24", screen(&mut a, 80, 24));
    type_text(&mut a, "6109.10");
    insta::assert_snapshot!("browse_6109_10_80x24", screen(&mut a, 80, 24));
    key(&mut a, KeyCode::Right);
    insta::assert_snapshot!("browse_6109_10_120x40", screen(&mut a, 120, 40));
}

#[test]
fn snapshot_overlays() {
    let mut a = app();
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('?'));
    insta::assert_snapshot!("help_80x24", screen(&mut a, 80, 24));
    insta::assert_snapshot!("help_120x40", screen(&mut a, 120, 40));
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('g'));
    insta::assert_snapshot!("gri_80x24", screen(&mut a, 80, 24));
}

#[test]
fn snapshot_quiz() {
    let mut a = app();
    a.start_quiz(tshirt_quiz());
    insta::assert_snapshot!("quiz_section_80x24", screen(&mut a, 80, 24));
    answer(&mut a, true);
    key(&mut a, KeyCode::Enter);
    screen(&mut a, 80, 24);
    answer(&mut a, false);
    insta::assert_snapshot!("quiz_feedback_80x24", screen(&mut a, 80, 24));
    insta::assert_snapshot!("quiz_feedback_120x40", screen(&mut a, 120, 40));
    key(&mut a, KeyCode::Char('s'));
    insta::assert_snapshot!("quiz_score_80x24", screen(&mut a, 80, 24));
}

// ---- the detail pane: parsed rates and controlled-goods flags ------------

/// The whole detail pane of the selected suggestion, as plain lines.
fn detail_of(query: &str, width: usize) -> Vec<String> {
    let mut a = app();
    a.set_query(query);
    let sel = a.suggestions.current().map(|s| s.code.to_string());
    assert_eq!(sel.as_deref(), Some(query), "{query} is selected first");
    a.detail.view.plain(width)
}

fn section<'a>(lines: &'a [String], title: &str) -> &'a [String] {
    let start = lines
        .iter()
        .position(|l| l.starts_with(title))
        .unwrap_or_else(|| panic!("no {title}:\n{}", lines.join("\n")));
    let len = lines[start..]
        .iter()
        .position(String::is_empty)
        .unwrap_or(lines.len() - start);
    &lines[start..start + len]
}

#[test]
fn detail_shows_parsed_rates_with_programs_spelled_out() {
    let lines = detail_of("6109.10.00.12", 70);
    let duty = section(&lines, "Duty");
    let text = duty.join("\n");
    // A 10-digit line takes its 8-digit parent's rates.
    assert!(duty[0].contains("(rates of 6109.10.00)"), "{text}");
    assert!(
        duty.iter()
            .any(|l| l.contains("General") && l.contains("16.5%") && l.contains("[ad valorem]")),
        "{text}"
    );
    // The Special column's programs by name.
    assert!(text.contains("Free for:"), "{text}");
    assert!(
        text.contains("United States-Mexico-Canada Agreement (USMCA)"),
        "{text}"
    );
    assert!(
        text.contains("United States-Australia Free Trade Agreement"),
        "{text}"
    );
    assert!(
        duty.iter().any(|l| l.trim_start().starts_with("S ")),
        "indicator S listed: {text}"
    );
    assert!(
        duty.iter()
            .any(|l| l.contains("Column 2") && l.contains("90%")),
        "{text}"
    );
    assert!(text.contains("for goods of Cuba"), "{text}");
    // No flags on T-shirts, so no flags section.
    assert!(
        !lines.iter().any(|l| l.starts_with("Flags")),
        "{}",
        lines.join("\n")
    );
}

#[test]
fn detail_names_lapsed_programs_and_specific_rates() {
    // 0407.21.00: 2.8¢/doz.; Special "Free (A,AU,...)": GSP (A) has lapsed
    // and says so, programs in force carry no status.
    let lines = detail_of("0407.21.00", 100);
    let duty = section(&lines, "Duty");
    let text = duty.join("\n");
    assert!(
        duty.iter()
            .any(|l| l.contains("2.8¢/doz.") && l.contains("[specific]")),
        "{text}"
    );
    let gsp = duty
        .iter()
        .find(|l| l.contains("Generalized System of Preferences (GSP)"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(gsp.contains("not in force"), "{text}");
    let au = duty
        .iter()
        .find(|l| l.contains("United States-Australia"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(!au.contains("in force"), "{text}");
}

#[test]
fn detail_shows_flags_with_the_disclaimer() {
    for (code, category, reason) in [
        ("9301.10", "arms", "Military weapons"),
        ("2844.10", "radioactive", "Radioactive"),
    ] {
        let lines = detail_of(code, 80);
        let flags = section(&lines, "Flags");
        let text = flags.join("\n");
        let joined = flags.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
        assert!(
            joined.contains("advice to check, not a legal verdict"),
            "{text}"
        );
        assert!(
            flags
                .iter()
                .any(|l| l.trim_start().starts_with(category) && l.contains(reason)),
            "{code}: {category} flagged:\n{text}"
        );
        assert!(text.contains("source:"), "{text}");
        assert!(joined.contains("with the competent authority."), "{text}");
        // Flags come before the path, as in `hs show`.
        let path = lines.iter().position(|l| l == "Path").unwrap_or(0);
        let at = lines
            .iter()
            .position(|l| l.starts_with("Flags"))
            .unwrap_or(usize::MAX);
        assert!(at < path, "{}", lines.join("\n"));
    }
    // A rifle line (centerfire, autoloading) is flagged too, and the same
    // flags show in Browse.
    let mut a = app();
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('b'));
    type_text(&mut a, "9303308010");
    let e = engine();
    let at = e.data.tree.node(a.tree.current().unwrap()).label();
    assert_eq!(at, "9303.30.80.10");
    let text = a.info.view.plain(80).join("\n");
    assert!(text.contains("Flags") && text.contains("arms"), "{text}");
}

#[test]
fn detail_of_a_heading_lists_flags_under_it() {
    // Heading 2939 (alkaloids): only some subheadings are precursors.
    let mut a = app();
    a.set_query("2939");
    let lines = a.detail.view.plain(100);
    let text = section(&lines, "Flags").join("\n");
    assert!(text.contains("Some codes under 2939 are flagged"), "{text}");
    assert!(text.contains("narcotics"), "{text}");
}

#[test]
fn detail_rates_render_on_screen() {
    let mut a = app();
    a.set_query("6109.10.00.12");
    // Focus the detail and scroll to the duty.
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Tab);
    screen(&mut a, 120, 40);
    a.detail.view.scroll_to_text("Duty", 68);
    let s = screen(&mut a, 120, 40);
    assert!(s.contains("16.5%"), "{s}");
    assert!(s.contains("USMCA"), "{s}");
}

// ---- an origin's measures and fees in the detail pane (`o`) ---------------

#[test]
fn o_sets_an_origin_and_the_detail_shows_its_measures_fees_and_total_rate() {
    let mut a = app();
    a.date = hs::tariff::Date::parse("2026-03-15").unwrap();
    a.set_query("6109.10.00.12");
    assert!(
        !a.detail
            .view
            .plain(100)
            .iter()
            .any(|l| l.starts_with("Origin")),
        "no origin section before one is set"
    );
    key(&mut a, KeyCode::Esc); // leave the query line: keys are commands
    key(&mut a, KeyCode::Char('o'));
    assert_eq!(a.origin, Some(0));
    let lines = a.detail.view.plain(100);
    let text = section(&lines, "Origin CN").join("\n");
    // The view the core builds: Section 301 and 122 on that date, the
    // exclusions it cannot settle, MPF and HMF, the total rate.
    assert!(text.contains("China  on 2026-03-15"), "{text}");
    assert!(text.contains("16.5%  (general; ad valorem)"), "{text}");
    assert!(
        text.contains("9903.88.15  Section 301  +7.5%  China, List 4A"),
        "{text}"
    );
    assert!(text.contains("9903.03.01  Section 122  +10%"), "{text}");
    assert!(
        text.contains("may be excluded: see 9903.88.69, 9903.88.70"),
        "{text}"
    );
    assert!(text.contains("MPF  0.3464%  $34.64"), "{text}");
    assert!(text.contains("HMF  0.125%   $12.50"), "{text}");
    assert!(text.contains("Total rate  34%"), "{text}");
    assert!(text.contains("Total       $3,447.14"), "{text}");

    // The next origin: Mexico, no Section 301.
    key(&mut a, KeyCode::Char('o'));
    let lines = a.detail.view.plain(100);
    let text = section(&lines, "Origin MX").join("\n");
    assert!(!text.contains("Section 301"), "{text}");
    // Off.
    key(&mut a, KeyCode::Char('O'));
    assert_eq!(a.origin, None);
    assert!(
        !a.detail
            .view
            .plain(100)
            .iter()
            .any(|l| l.starts_with("Origin"))
    );

    // Above the tariff lines the section says where the figures are.
    let mut a = app();
    a.set_query("6109.10");
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('o'));
    let lines = a.detail.view.plain(100);
    assert!(
        section(&lines, "Origin CN")
            .join(" ")
            .contains("shown on tariff lines"),
        "{}",
        lines.join("\n")
    );
}

#[test]
fn snapshot_detail_origin() {
    let mut a = app();
    a.date = hs::tariff::Date::parse("2026-03-15").unwrap();
    a.set_query("6109.10.00.12");
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('o'));
    screen(&mut a, 120, 40);
    a.detail.view.scroll_to_text("Origin CN", 68);
    insta::assert_snapshot!(
        "classify_6109_10_00_12_origin_cn_120x40",
        screen(&mut a, 120, 40)
    );
}

// ---- the README's screens -------------------------------------------------

/// A screen as plain text: each row's symbols (a wide symbol's hidden
/// cells left out), trailing blanks trimmed.
fn plain_screen(app: &mut App, w: u16, h: u16) -> String {
    let t = draw(app, w, h);
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        let mut skip = 0usize;
        for x in 0..w {
            let s = buf[(x, y)].symbol();
            if skip == 0 {
                line.push_str(s);
            }
            skip = std::cmp::max(skip, unicode_width(s)).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Display width of a cell's symbol (the README's screens hold no wide
/// symbols but a wide symbol is still counted as two).
fn unicode_width(s: &str) -> usize {
    ratatui::text::Span::raw(s).width()
}

/// A key, then a draw at 100x30, as the terminal's event loop draws after
/// every event (list scrolling depends on the draws before).
fn key_drawn(app: &mut App, code: KeyCode) {
    key(app, code);
    draw(app, 100, 30);
}

fn type_drawn(app: &mut App, text: &str) {
    for c in text.chars() {
        key_drawn(app, KeyCode::Char(c));
    }
}

/// A fresh app, drawn once (as `hs tui` draws before the first key).
fn app_drawn() -> App {
    let mut a = app();
    draw(&mut a, 100, 30);
    a
}

/// The screens shown under "Screens" in README.md, each under its
/// heading, from the key sequences the headings name (without a terminal:
/// the same app, drawn on `TestBackend`; no precedents, the US schedule of
/// the data folder). Prints them; with `HS_README_SCREENS=write` it also
/// rewrites their blocks in README.md. Run after a change that moves them:
///
/// `HS_README_SCREENS=write cargo test --release --test tui_app readme_screens -- --ignored`
#[test]
#[ignore = "regenerates the README's screens on request"]
fn readme_screens() {
    let mut screens: Vec<(&str, String)> = Vec::new();

    let mut a = app_drawn();
    type_drawn(&mut a, "men's cotton t-shirt");
    screens.push((
        "#### Classify: `hs tui`, then typing `men's cotton t-shirt`",
        plain_screen(&mut a, 100, 30),
    ));

    let mut a = app();
    a.set_query("9301.10");
    draw(&mut a, 100, 30);
    screens.push((
        "#### Classify: `hs tui --query 9301.10`: flags in the detail",
        plain_screen(&mut a, 100, 30),
    ));

    let mut a = app();
    a.set_query("6109.10.00.12");
    draw(&mut a, 100, 30);
    key_drawn(&mut a, KeyCode::Tab);
    key_drawn(&mut a, KeyCode::Tab);
    let mut s = plain_screen(&mut a, 100, 30);
    for _ in 0..200 {
        if s.lines().nth(5).is_some_and(|l| l.contains("┃Duty")) {
            break;
        }
        key_drawn(&mut a, KeyCode::Char('j'));
        s = plain_screen(&mut a, 100, 30);
    }
    assert!(s.contains("┃Duty"), "{s}");
    screens.push((
        "#### Classify: `hs tui --query 6109.10.00.12`, `Tab Tab` to the detail, `j` down to the duty",
        s,
    ));

    // As `snapshot_detail_origin`.
    let mut a = app();
    a.date = hs::tariff::Date::parse("2026-03-15").unwrap();
    a.set_query("6109.10.00.12");
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('o'));
    screen(&mut a, 120, 40);
    a.detail.view.scroll_to_text("Origin CN", 68);
    screens.push((
        "#### Classify: `hs tui --query 6109.10.00.12`, `Esc`, `o`: the duty for goods of China",
        plain_screen(&mut a, 120, 40),
    ));

    let mut a = app_drawn();
    key_drawn(&mut a, KeyCode::Esc);
    key_drawn(&mut a, KeyCode::Char('b'));
    type_drawn(&mut a, "8471");
    key_drawn(&mut a, KeyCode::Right);
    key_drawn(&mut a, KeyCode::Down);
    key_drawn(&mut a, KeyCode::Down);
    screens.push((
        "#### Browse: `b`, then typing `8471`, `→` to expand, `↓ ↓`",
        plain_screen(&mut a, 100, 30),
    ));

    let mut a = app_drawn();
    key_drawn(&mut a, KeyCode::Esc);
    key_drawn(&mut a, KeyCode::Char('g'));
    screens.push((
        "#### General Rules of Interpretation: `g`",
        plain_screen(&mut a, 100, 30),
    ));

    let mut a = app_drawn();
    key_drawn(&mut a, KeyCode::Esc);
    key_drawn(&mut a, KeyCode::Char('?'));
    screens.push(("#### Help: `?`", plain_screen(&mut a, 100, 30)));

    // The two-question quiz of `tests/cli_tui.rs`, read as `hs quiz
    // --input quiz.csv` reads it.
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("quiz.csv");
    std::fs::write(
        &csv,
        "description,gold\n\"Men's T-shirt, 100% cotton, knitted\",6109.10\nLive horses for breeding,0101.21\n",
    )
    .unwrap();
    let quiz = || {
        let tree = &engine().data.tree;
        let items = [
            ("Men's T-shirt, 100% cotton, knitted", "6109.10"),
            ("Live horses for breeding", "0101.21"),
        ]
        .iter()
        .filter_map(|(d, c)| QuizItem::new(tree, d, c))
        .collect();
        Quiz::new(items, "quiz.csv")
    };
    // Section XI chosen, then the wrong chapter 51.
    let mut a = app_drawn();
    a.start_quiz(quiz());
    draw(&mut a, 100, 30);
    for _ in 0..10 {
        key_drawn(&mut a, KeyCode::Down);
    }
    screens.push((
        "#### Quiz: `hs quiz --input quiz.csv`, choosing the section",
        plain_screen(&mut a, 100, 30),
    ));
    key_drawn(&mut a, KeyCode::Enter);
    key_drawn(&mut a, KeyCode::Enter);
    key_drawn(&mut a, KeyCode::Down);
    key_drawn(&mut a, KeyCode::Enter);
    screens.push((
        "#### Quiz: feedback after a wrong chapter",
        plain_screen(&mut a, 100, 30),
    ));
    // As `quiz_in_tmux_runs_to_the_score`: section I for the T-shirt
    // (wrong), skip; the first choice at each level for the horses (right).
    let mut a = app_drawn();
    a.start_quiz(quiz());
    draw(&mut a, 100, 30);
    key_drawn(&mut a, KeyCode::Enter);
    key_drawn(&mut a, KeyCode::Char('s'));
    for _ in 0..4 {
        key_drawn(&mut a, KeyCode::Enter);
        key_drawn(&mut a, KeyCode::Enter);
    }
    screens.push((
        "#### Quiz: the score per level",
        plain_screen(&mut a, 100, 30),
    ));

    for (heading, s) in &screens {
        println!("{heading}\n\n{s}");
    }
    if std::env::var("HS_README_SCREENS").as_deref() == Ok("write") {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        for (heading, s) in &screens {
            let at = lines
                .iter()
                .position(|l| l == heading)
                .unwrap_or_else(|| panic!("README has no heading {heading}"));
            let open = at
                + lines[at..]
                    .iter()
                    .position(|l| l == "```text")
                    .unwrap_or_else(|| panic!("no block under {heading}"));
            let close = open
                + 1
                + lines[open + 1..]
                    .iter()
                    .position(|l| l == "```")
                    .unwrap_or_else(|| panic!("unclosed block under {heading}"));
            lines.splice(open + 1..close, s.lines().map(str::to_string));
        }
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    }
}
