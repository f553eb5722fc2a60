//! Reliability of the index folder and of the code parser (issue 12): hs
//! never deletes what it did not make, detects a damaged index and rebuilds
//! it, uses an up-to-date index without writing, cleans what killed builds
//! left, and refuses malformed codes. Every index here lives in a
//! temporary folder.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they set up

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::SystemTime;

use common::{stderr, stdout};
use serde_json::Value;

const MARKER: &str = "hs-index.marker";

/// `hs` with its own index folder.
fn hs_at(index: &Path) -> assert_cmd::Command {
    let mut c = common::hs();
    c.arg("--index").arg(index);
    c
}

fn run(cmd: &mut assert_cmd::Command) -> Output {
    cmd.output().unwrap()
}

/// Names, sizes and modification times of everything in a folder (and the
/// folder's own time).
fn listing(dir: &Path) -> BTreeMap<String, (u64, SystemTime)> {
    let mut out = BTreeMap::new();
    let m = fs::metadata(dir).unwrap();
    out.insert(".".to_string(), (0, m.modified().unwrap()));
    for e in fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let m = e.metadata().unwrap();
        out.insert(
            e.file_name().to_string_lossy().into_owned(),
            (m.len(), m.modified().unwrap()),
        );
    }
    out
}

/// A new index built in a temporary folder.
fn built_index() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("index");
    let out = run(hs_at(&dir).args(["-q", "index", "build"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    (t, dir)
}

fn status_json(dir: &Path) -> Value {
    let out = run(hs_at(dir).args(["index", "status", "--json"]));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn top_code(out: &Output) -> String {
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["suggestions"][0]["code"].as_str().unwrap().to_string()
}

/// The segment file of the index with this extension.
fn segment_file(dir: &Path, ext: &str) -> PathBuf {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == ext))
        .unwrap_or_else(|| panic!("no .{ext} file in {}", dir.display()))
}

/// Inverts up to 4 KB in the middle of a file (its size stays the same).
fn flip_bytes(path: &Path) {
    let mut b = fs::read(path).unwrap();
    let n = (b.len() / 2).min(4096);
    let start = b.len() / 4;
    for x in &mut b[start..start + n] {
        *x ^= 0xff;
    }
    fs::write(path, b).unwrap();
}

#[test]
fn a_folder_hs_did_not_make_is_refused_and_left_untouched() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    fs::create_dir(d.join("sub")).unwrap();
    fs::write(d.join("a.txt"), "keep\n").unwrap();
    let before = listing(d);
    let out = run(hs_at(d).args(["search", "shirt"]));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&d.display().to_string()),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("not an index hs made"),
        "{}",
        stderr(&out)
    );
    assert_eq!(listing(d), before);
    assert_eq!(fs::read_to_string(d.join("a.txt")).unwrap(), "keep\n");
    // Through HS_INDEX_DIR too, and for `index build`.
    let out = run(common::hs().env("HS_INDEX_DIR", d).args(["index", "build"]));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(listing(d), before);
    // A parent holding other things is fine: hs makes its own folder in it.
    assert!(listing(t.path()).contains_key("a.txt"));
}

#[test]
fn a_path_that_is_not_a_folder_is_refused_and_left_untouched() {
    let t = tempfile::tempdir().unwrap();
    let f = t.path().join("file");
    fs::write(&f, "mine\n").unwrap();
    let before = listing(t.path());
    let out = run(hs_at(&f).args(["search", "shirt"]));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("is not a folder"), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&f).unwrap(), "mine\n");
    assert_eq!(listing(t.path()), before);
    let out = run(hs_at(Path::new("/dev/null")).args(["search", "shirt"]));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("/dev/null"), "{}", stderr(&out));
}

#[test]
fn an_empty_folder_gets_an_index_with_the_marker() {
    let t = tempfile::tempdir().unwrap();
    let out = run(hs_at(t.path()).args(["-q", "search", "--json", "cotton t-shirt"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(t.path().join(MARKER).is_file());
    assert_eq!(status_json(t.path())["state"], "up_to_date");
}

#[test]
fn an_unreadable_fingerprint_is_damage_like_any_other() {
    let (_t, dir) = built_index();
    let good = status_json(&dir);
    assert_eq!(good["exists"], true);
    assert!(
        good["hs_version"].as_str().is_some_and(|v| !v.is_empty()),
        "{good}"
    );
    let fp = dir.join("hs-fingerprint.json");
    let text = fs::read(&fp).unwrap();
    fs::write(&fp, &text[..20]).unwrap();
    let out = run(hs_at(&dir).args(["index", "status", "--json"]));
    // Damaged, as any damage is: the index is there (exit 0), not "not built".
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["exists"].clone(), v["state"].clone()),
        (Value::Bool(true), Value::from("damaged")),
        "{v}"
    );
}

#[test]
fn a_damaged_index_is_reported_and_rebuilt() {
    let (_t, dir) = built_index();
    let query = ["search", "--json", "cotton t-shirt"];
    let good = run(hs_at(&dir).args(query));
    assert_eq!(good.status.code(), Some(0), "{}", stderr(&good));
    let expected = top_code(&good);
    for ext in ["fast", "fieldnorm", "idx", "term", "pos", "store"] {
        flip_bytes(&segment_file(&dir, ext));
        let status = status_json(&dir);
        assert_eq!(status["damaged"], true, "{ext}: {status}");
        assert_eq!(status["state"], "damaged", "{ext}: {status}");
        assert_eq!(status["up_to_date"], false, "{ext}: {status}");
        assert!(status["damage"].as_str().unwrap().contains(ext), "{status}");
        let plain = run(hs_at(&dir).args(["index", "status"]));
        assert!(stdout(&plain).contains("damaged"), "{}", stdout(&plain));
        let out = run(hs_at(&dir).args(query));
        assert_eq!(out.status.code(), Some(0), "{ext}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("index damaged"),
            "{ext}: {}",
            stderr(&out)
        );
        assert_eq!(top_code(&out), expected, "{ext}");
        assert_eq!(status_json(&dir)["state"], "up_to_date", "{ext}");
    }
    // A deleted positions file: every phrase query would find nothing.
    fs::remove_file(segment_file(&dir, "pos")).unwrap();
    let status = status_json(&dir);
    assert_eq!(status["damaged"], true, "{status}");
    assert!(
        status["damage"].as_str().unwrap().contains("missing"),
        "{status}"
    );
    let out = run(hs_at(&dir).args(query));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("missing"), "{}", stderr(&out));
    assert_eq!(top_code(&out), expected);
}

#[test]
fn a_current_index_is_opened_without_writing_anything() {
    let (_t, dir) = built_index();
    // A prebuilt index as shipped: no lock files (tantivy makes them on use).
    for lock in [".tantivy-meta.lock", ".tantivy-writer.lock"] {
        let _ = fs::remove_file(dir.join(lock));
    }
    let before = listing(&dir);
    for args in [
        vec!["search", "cotton t-shirt"],
        vec!["index", "status"],
        vec!["search", "--json", "wooden chair"],
    ] {
        let out = run(hs_at(&dir).args(&args));
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("built"), "{}", stderr(&out));
    }
    assert_eq!(listing(&dir), before);
    let parent = dir.parent().unwrap();
    let names: Vec<String> = listing(parent).into_keys().collect();
    assert_eq!(names, [".", "index"], "nothing made beside the index");
}

/// Runs `hs` as a user who cannot write the index folder: as root, through
/// `setpriv` as `nobody` (root ignores permissions); otherwise as the
/// current user with the folder made read-only. None when neither works.
fn hs_read_only(index: &Path, args: &[&str]) -> Option<Output> {
    use std::os::unix::fs::PermissionsExt;
    let root = Command::new("id")
        .arg("-u")
        .output()
        .ok()
        .is_some_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let mut cmd = if root {
        let ok = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return None;
        }
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_hs"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_hs"))
    };
    // Readable by everyone, writable by no one.
    let mut paths = vec![index.parent().unwrap().to_path_buf(), index.to_path_buf()];
    paths.extend(fs::read_dir(index).unwrap().map(|e| e.unwrap().path()));
    for p in &paths {
        let mode = if p.is_dir() { 0o555 } else { 0o444 };
        fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
    }
    let out = cmd
        .arg("--index")
        .arg(index)
        .args(args)
        .env_remove("HS_DATA_DIR")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    for p in &paths {
        fs::set_permissions(p, fs::Permissions::from_mode(0o755)).unwrap();
    }
    Some(out)
}

#[test]
fn a_read_only_index_is_used_and_a_needed_rebuild_says_why_it_cannot() {
    let (_t, dir) = built_index();
    let before = listing(&dir);
    let Some(out) = hs_read_only(&dir, &["search", "--json", "cotton t-shirt"]) else {
        eprintln!("cannot run hs as a user without write access; checked no writes only");
        return;
    };
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(top_code(&out).len(), "6109.10.00.12".len());
    assert_eq!(listing(&dir), before);
    // Damaged and read-only: exit 2, saying a rebuild needs write access.
    flip_bytes(&segment_file(&dir, "term"));
    let before = listing(&dir);
    let out = hs_read_only(&dir, &["search", "cotton t-shirt"]).unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("must be rebuilt") && err.contains("writable"),
        "{err}"
    );
    assert!(err.contains("damaged"), "{err}");
    assert_eq!(err.matches("(os error").count(), 1, "{err}");
    assert_eq!(listing(&dir), before);
}

#[test]
fn folders_left_by_killed_builds_are_removed_only_when_hs_made_them() {
    let (t, dir) = built_index();
    let make = |name: &str, marker: bool| {
        let p = t.path().join(name);
        fs::create_dir(&p).unwrap();
        fs::write(p.join("meta.json"), "{}").unwrap();
        if marker {
            fs::write(p.join(MARKER), "made by hs").unwrap();
        }
        p
    };
    // No process has this id (above any pid_max).
    let dead = u32::MAX;
    let alive = std::process::id();
    let stale_tmp = make(&format!(".index.tmp-{dead}-1"), true);
    let stale_old = make(&format!(".index.old-{dead}-2"), true);
    let unmarked = make(&format!(".index.tmp-{dead}-3"), false);
    let running = make(&format!(".index.tmp-{alive}-4"), true);
    let other = make(&format!(".other.tmp-{dead}-5"), true);
    let out = run(hs_at(&dir).args(["index", "build"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stale_tmp.exists() && !stale_old.exists());
    assert!(unmarked.exists() && running.exists() && other.exists());
    assert!(stderr(&out).contains("removed"), "{}", stderr(&out));
    let names: Vec<String> = listing(t.path()).into_keys().collect();
    assert_eq!(names.len(), 5, "{names:?}");
}

#[test]
fn the_fingerprint_follows_data_content_not_file_times() {
    let t = tempfile::tempdir().unwrap();
    let data = t.path().join("data");
    let src = common::hs()
        .args(["index", "status", "--json"])
        .output()
        .unwrap();
    let src: Value = serde_json::from_slice(&src.stdout).unwrap();
    let src = PathBuf::from(src["data_dir"].as_str().unwrap());
    let ok = Command::new("cp")
        .arg("-R")
        .arg(&src)
        .arg(&data)
        .status()
        .unwrap();
    assert!(ok.success());
    let dir = t.path().join("index");
    let hs = |args: &[&str]| run(hs_at(&dir).arg("--data").arg(&data).args(args));
    let out = hs(&["-q", "index", "build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A new modification time, the same content: still current.
    let notes = data.join("us-hts/section-chapter-notes.md");
    let ok = Command::new("touch")
        .args(["-d", "2001-02-03 04:05:06"])
        .arg(&notes)
        .status()
        .unwrap();
    assert!(ok.success());
    let out = hs(&["search", "cotton t-shirt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("built"), "{}", stderr(&out));
    // The new time is recorded, so the next start does not read the file.
    let meta: Value =
        serde_json::from_slice(&fs::read(dir.join("hs-fingerprint.json")).unwrap()).unwrap();
    let stamp = meta["data_files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "us-hts/section-chapter-notes.md")
        .unwrap()
        .clone();
    let mtime = fs::metadata(&notes)
        .unwrap()
        .modified()
        .unwrap()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    assert_eq!(
        stamp["mtime_ns"].as_u64().map(u128::from),
        Some(mtime),
        "{stamp}"
    );
    let leftovers: Vec<String> = listing(&dir)
        .into_keys()
        .filter(|n| n.contains(".new"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // Other content of the same size and time: the index is stale.
    let text = fs::read_to_string(&notes).unwrap();
    let changed = text.replacen("cotton", "COTTON", 1);
    assert_ne!(text, changed);
    fs::write(&notes, changed).unwrap();
    let out = hs(&["index", "status", "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["state"], "stale", "{v}");
    let out = hs(&["search", "cotton t-shirt"]);
    assert!(
        stderr(&out).contains("reference data changed"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn malformed_codes_are_input_errors() {
    for q in ["6109.1", "5.5", "61091", "6109.10.0"] {
        let out = run(common::hs().args(["search", q]));
        assert_eq!(out.status.code(), Some(2), "{q}: {}", stdout(&out));
        assert!(stdout(&out).is_empty(), "{q}: {}", stdout(&out));
        assert!(stderr(&out).contains("not a code") || stderr(&out).contains("digits"));
    }
    let out = run(common::hs().args(["show", "5.5"]));
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    // Written forms of real codes still work.
    let out = run(common::hs().args(["search", "--json", "61.09"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(top_code(&out), "6109");
}

#[test]
fn help_to_a_full_disk_is_an_error() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_hs"))
        .arg("--help")
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("No space left"), "{}", stderr(&out));
    // An ordinary stdout: exit 0.
    let out = Command::new(env!("CARGO_BIN_EXE_hs"))
        .arg("--help")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn an_io_error_is_named_once() {
    let out = run(hs_at(Path::new("/dev/null/index")).args(["search", "shirt"]));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.matches("(os error").count(), 1, "{err}");
}
