//! Helpers shared by the tariff and schedule integration tests: `hs` with
//! `--quiet`, run with optional stdin, and JSON output parsed.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;

pub fn hs() -> Command {
    let mut c = Command::cargo_bin("hs").unwrap_or_else(|e| panic!("{e}"));
    c.arg("--quiet");
    c
}

/// Opens the index once before the tests that search: several processes
/// building it at the same time on first use would trip over each other.
pub fn index_ready() {
    static READY: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    READY.get_or_init(|| {
        let out = hs()
            .args(["search", "cotton", "--top", "1"])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            out.status.code().is_some_and(|c| c < 2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    });
}

pub fn run(args: &[&str], stdin: Option<&str>) -> (Option<i32>, String, String) {
    if matches!(args.first(), Some(&"search" | &"classify")) {
        index_ready();
    }
    let mut c = hs();
    c.args(args);
    if let Some(s) = stdin {
        c.write_stdin(s);
    }
    let out = c.output().unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn json(args: &[&str]) -> Value {
    let (code, out, err) = run(args, None);
    assert_eq!(code, Some(0), "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
}
