//! The terminal UI's commands end to end: `hs tui`, `hs pick` and `hs quiz`
//! run in a real terminal (tmux, on a private server), driven with
//! send-keys and read back with capture-pane; those tests are skipped, with
//! the reason printed, when tmux is not installed (`apt-get install -y
//! tmux`; `.ci/run` installs it), except in CI (`CI` set to anything but
//! empty, `0` or `false`), where a missing tmux fails them. Without a
//! terminal the commands fail cleanly with a usage error.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they set up

use std::io::Write;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_hs");

/// Runs hs with no terminal on stdin or stdout.
fn hs_no_terminal(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run hs")
}

#[test]
fn no_arguments_without_a_terminal_prints_usage_and_exits_2() {
    let out = hs_no_terminal(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no command given"), "{err}");
}

#[test]
fn ui_commands_without_a_terminal_exit_2() {
    for args in [
        &["tui"][..],
        &["tui", "--query", "cotton", "--print"],
        &["pick"],
        &["quiz"],
    ] {
        let out = hs_no_terminal(args);
        assert_eq!(out.status.code(), Some(2), "hs {args:?}");
        assert!(out.stdout.is_empty(), "hs {args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("needs a terminal"), "hs {args:?}: {err}");
    }
}

/// How long to wait for a screen: the first run may build the index.
const PATIENCE: Duration = Duration::from_secs(300);

/// True in CI: `CI` is set to anything but empty, `0` or `false`.
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"))
}

/// A tmux server of our own, killed on drop.
struct Tmux {
    socket: String,
}

impl Tmux {
    /// None (with the reason printed) when tmux is not installed; in CI a
    /// missing tmux fails the test instead.
    fn start(name: &str, shell: &str, args: &[&str]) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            assert!(
                !in_ci(),
                "tmux is not installed and CI is set: the end-to-end tests of the terminal UI cannot run (apt-get install -y tmux)"
            );
            eprintln!(
                "SKIPPED: tmux is not installed, so the end-to-end test of the terminal UI did not run (apt-get install -y tmux)"
            );
            return None;
        }
        let t = Tmux {
            socket: format!("hs-test-{name}-{}", std::process::id()),
        };
        let mut cmd = vec![
            "new-session",
            "-d",
            "-x",
            "100",
            "-y",
            "30",
            "-s",
            "main",
            "sh",
            "-c",
            shell,
        ];
        cmd.extend_from_slice(args);
        let out = t.run(&cmd);
        assert!(
            out.status.success(),
            "tmux new-session failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(t)
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env_remove("TMUX")
            .env("TERM", "xterm-256color")
            .output()
            .expect("run tmux")
    }

    fn capture(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "main"]).stdout)
            .into_owned()
    }

    /// Types text literally.
    fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "main", "-l", text]);
    }

    /// Sends keys by name (Enter, Escape, C-c, Tab).
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "main"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Waits until the screen satisfies `pred`; returns the screen.
    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.capture();
            if pred(&s) {
                return s;
            }
            if start.elapsed() > PATIENCE {
                panic!("timed out waiting for {what}; the screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(150));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

#[test]
fn tui_in_tmux_suggests_6109_10_and_restores_the_terminal() {
    let Some(t) = Tmux::start(
        "tui",
        "\"$0\" tui; echo \"hs exited with $?\"; sleep 600",
        &[BIN],
    ) else {
        return;
    };
    t.wait_for("the UI", |s| {
        s.contains("Suggestions") && s.contains("Query")
    });
    t.type_text("men's cotton t-shirt");
    // The suggestions and the detail pane may come in separate frames.
    let s = t.wait_for("6109.10 among the suggestions, with its path", |s| {
        s.contains("6109.10") && s.contains("Path")
    });
    assert!(s.contains("men's cotton t-shirt"), "{s}");
    assert!(s.contains("Path"), "the detail pane shows the path:\n{s}");
    // Esc leaves the query line; n jumps to the chapter notes.
    t.keys(&["Escape"]);
    std::thread::sleep(Duration::from_millis(700));
    t.keys(&["n"]);
    t.wait_for("the chapter 61 notes", |s| s.contains("Chapter 61 notes"));
    // Ctrl-C quits and leaves a clean shell.
    t.keys(&["C-c"]);
    let s = t.wait_for("the shell", |s| s.contains("hs exited with 0"));
    assert!(
        !s.contains("Suggestions"),
        "the UI is still on the screen:\n{s}"
    );
}

#[test]
fn pick_in_tmux_prints_the_chosen_code_on_stdout() {
    let Some(t) = Tmux::start(
        "pick",
        "code=$(\"$0\" pick --query 6109.10); echo \"picked [$code] status $?\"; sleep 600",
        &[BIN],
    ) else {
        return;
    };
    t.wait_for("the suggestions", |s| s.contains("6109.10.00.04"));
    t.keys(&["Enter"]);
    let s = t.wait_for("the picked code", |s| s.contains("picked ["));
    assert!(s.contains("picked [6109.10] status 0"), "{s}");
}

#[test]
fn quiz_in_tmux_runs_to_the_score() {
    let mut csv = tempfile::NamedTempFile::new().expect("temp file");
    writeln!(csv, "description,gold").unwrap();
    writeln!(csv, "\"Men's T-shirt, 100% cotton, knitted\",6109.10").unwrap();
    writeln!(csv, "Live horses for breeding,0101.21").unwrap();
    csv.flush().unwrap();
    let path = csv.path().to_string_lossy().into_owned();
    let Some(t) = Tmux::start(
        "quiz",
        "\"$0\" quiz --input \"$1\"; echo \"hs exited with $?\"; sleep 600",
        &[BIN, &path],
    ) else {
        return;
    };
    t.wait_for("the first question", |s| {
        s.contains("Question 1/2") && s.contains("Choose the section")
    });
    // Section I is the first choice: wrong for the T-shirt.
    t.keys(&["Enter"]);
    t.wait_for("the feedback", |s| s.contains("✗ Not I"));
    t.keys(&["s"]);
    t.wait_for("the second question", |s| s.contains("Question 2/2"));
    // Live horses: section I, chapter 01, heading 0101 are the first choices.
    for level in ["section I", "chapter 01", "heading 0101"] {
        t.keys(&["Enter"]);
        t.wait_for(level, |s| s.contains(&format!("✓ Right: {level}")));
        t.keys(&["Enter"]);
    }
    t.wait_for("the subheadings", |s| s.contains("Choose the subheading"));
    t.keys(&["Enter"]);
    t.wait_for("the subheading feedback", |s| {
        s.contains("Right: subheading 0101.21")
    });
    t.keys(&["Enter"]);
    t.wait_for("the score", |s| s.contains("score per level"));
    t.keys(&["q"]);
    let s = t.wait_for("the shell", |s| s.contains("hs exited with 0"));
    assert!(s.contains("section       1/2"), "{s}");
    assert!(s.contains("subheading    1/1"), "{s}");
}

/// Runs one tmux test of this very binary with no tmux on the PATH.
fn without_tmux(ci: Option<&str>) -> Output {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args([
        "--exact",
        "pick_in_tmux_prints_the_chosen_code_on_stdout",
        "--nocapture",
    ])
    .env("PATH", "/nonexistent");
    match ci {
        Some(v) => c.env("CI", v),
        None => c.env_remove("CI"),
    };
    c.output().unwrap()
}

#[test]
fn a_missing_tmux_fails_the_tmux_tests_in_ci_and_skips_them_elsewhere() {
    let out = without_tmux(Some("true"));
    assert!(
        !out.status.success(),
        "CI=true without tmux must fail: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("tmux is not installed and CI is set"),
        "{said}"
    );
    for ci in [None, Some("false"), Some("")] {
        let out = without_tmux(ci);
        assert!(out.status.success(), "CI={ci:?}: a local run skips");
        assert!(String::from_utf8_lossy(&out.stderr).contains("SKIPPED"));
    }
}
