//! Shared helpers for integration tests: the `hs` binary with a test index.
//! (Each test file uses some of them.)
#![allow(dead_code)]

use std::path::PathBuf;

use assert_cmd::Command;

/// One index folder for all integration tests (built on first use).
pub fn test_index() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hs-test-index")
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
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/eval")
}

pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
