//! Shared helpers for integration tests: the `hs` binary with a test index.
//! (Each test file uses some of them.)
#![allow(dead_code)]

use std::path::PathBuf;

use assert_cmd::Command;

/// One index folder for all integration tests (built on first use).
pub fn test_index() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hs-test-index")
}

/// One engine per test binary, on the shared test index.
pub fn engine() -> &'static hs::engine::Engine {
    static ENGINE: std::sync::OnceLock<hs::engine::Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| {
        let opts = hs::engine::Options {
            index_dir: Some(test_index()),
            ..hs::engine::Options::default()
        };
        hs::engine::Engine::open(&opts).expect("engine").0
    })
}

/// `hs` with the shared test index and no notices.
pub fn hs() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hs"));
    c.env("HS_INDEX_DIR", test_index())
        .env_remove("HS_DATA_DIR")
        .env("NO_COLOR", "1");
    c
}

/// The folder of labelled sets shared beside the repository.
pub fn eval_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval")
}

pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
