//! Reference data files: damaged copies (truncated, garbage) are data
//! errors naming the file (exit 2); the newest US schedule revision is the
//! one read, with its footnotes; chapters 98 and 99 are shown, never
//! suggested; the parsed copy of the JSON export is checked before use.
//! Every test works on copies in temporary folders (`--data DIR`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they set up

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{hs, stderr, stdout};

/// The real reference data folder.
fn real_data() -> PathBuf {
    hs::load::resolve_data_dir(None).expect("reference data")
}

/// A data folder in `tmp` that links every real file, except those
/// `skip` names (relative paths), which the test writes itself.
fn data_copy(tmp: &Path, skip: &[&str]) -> PathBuf {
    let real = real_data();
    let out = tmp.join("data");
    for sub in ["hs2022", "hs2017", "us-hts", "uk", "eu-cn"] {
        fs::create_dir_all(out.join(sub)).unwrap();
        for e in fs::read_dir(real.join(sub)).unwrap() {
            let e = e.unwrap();
            let rel = format!("{sub}/{}", e.file_name().to_string_lossy());
            if skip.contains(&rel.as_str()) {
                continue;
            }
            std::os::unix::fs::symlink(e.path(), out.join(&rel)).unwrap();
        }
    }
    out
}

const JSON: &str = "us-hts/hts_2026_revision_12.json";
const CSV: &str = "us-hts/hts_2026_revision_4.csv";

/// `hs` on `data`, with its parse cache in `tmp`.
fn hs_on(data: &Path, tmp: &Path) -> assert_cmd::Command {
    let mut c = hs();
    c.arg("--data")
        .arg(data)
        .env("HS_CACHE_DIR", tmp.join("cache"));
    c
}

fn assert_data_error(out: &std::process::Output, file: &str, what: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(err.contains(file), "error should name {file}: {err}");
    assert!(err.contains(what), "error should say {what}: {err}");
    assert!(err.len() < 2_000, "error too long: {} bytes", err.len());
}

/// The first half of a file's lines.
fn first_half(rel: &str) -> String {
    let text = fs::read_to_string(real_data().join(rel)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    lines[..lines.len() / 2].join("\n") + "\n"
}

/// `hs ARGS` on a copy of the data where `rel` holds `content` and the
/// files in `drop` are left out (the temporary folder goes on return).
fn run_damaged(
    rel: &str,
    content: impl AsRef<[u8]>,
    drop: &[&str],
    args: &[&str],
) -> std::process::Output {
    let tmp = tempfile::tempdir().unwrap();
    let mut skip = drop.to_vec();
    skip.push(rel);
    let data = data_copy(tmp.path(), &skip);
    fs::write(data.join(rel), content).unwrap();
    hs_on(&data, tmp.path())
        .args(args)
        .env("HS_INDEX_DIR", tmp.path().join("index"))
        .output()
        .unwrap()
}

#[test]
fn a_truncated_json_schedule_is_a_data_error() {
    let full = fs::read(real_data().join(JSON)).unwrap();
    let out = run_damaged(JSON, &full[..full.len() / 2], &[], &["show", "6109.10"]);
    assert_data_error(
        &out,
        "hts_2026_revision_12.json",
        "not a complete USITC JSON export",
    );
}

#[test]
fn a_truncated_csv_schedule_is_a_data_error_naming_the_missing_chapters() {
    // Only the CSV export: it is then the schedule.
    for args in [
        &["show", "6109.10"][..],
        &["show", "8471.30"],
        &["search", "shirt"],
    ] {
        let out = run_damaged(CSV, first_half(CSV), &[JSON], args);
        assert_data_error(&out, "hts_2026_revision_4.csv", "no lines for chapters");
        assert!(stderr(&out).contains("-97"), "{}", stderr(&out));
    }
}

#[test]
fn a_csv_schedule_cut_inside_a_row_is_a_data_error() {
    let full = fs::read_to_string(real_data().join(CSV)).unwrap();
    // Cut in the middle of the row of 6109.10.00.12.
    let at = full.find("\"6109.10.00.12\"").unwrap() + 30;
    let out = run_damaged(CSV, &full[..at], &[JSON], &["show", "6109.10"]);
    assert_data_error(&out, "hts_2026_revision_4.csv", "row");
}

#[test]
fn a_garbage_json_schedule_is_a_data_error() {
    let out = run_damaged(
        JSON,
        "<html>Service unavailable</html>\n",
        &[],
        &["show", "0101"],
    );
    assert_data_error(
        &out,
        "hts_2026_revision_12.json",
        "not a complete USITC JSON export",
    );
}

#[test]
fn a_garbage_notes_file_is_a_data_error() {
    let rel = "us-hts/section-chapter-notes.md";
    let out = run_damaged(
        rel,
        "lorem ipsum\n# not notes\nat all\n",
        &[],
        &["show", "6109.10"],
    );
    assert_data_error(
        &out,
        "section-chapter-notes.md",
        "no notes (`## CHAPTER N` blocks) for chapters 1-76, 78-97",
    );
}

#[test]
fn a_truncated_hs2022_file_is_a_data_error() {
    let rel = "hs2022/harmonized-system.csv";
    let out = run_damaged(rel, first_half(rel), &[], &["show", "0101"]);
    assert_data_error(
        &out,
        "hs2022/harmonized-system.csv",
        "no subheadings for chapters",
    );
}

/// A six-digit code HS 2017 has and HS 2022 does not (read from the files).
fn a_deleted_code() -> String {
    let codes = |rel: &str| -> Vec<String> {
        fs::read_to_string(real_data().join(rel))
            .unwrap()
            .lines()
            .filter_map(|l| l.split(',').nth(1))
            .filter(|c| c.len() == 6 && c.chars().all(|c| c.is_ascii_digit()))
            .map(str::to_string)
            .collect()
    };
    let new = codes("hs2022/harmonized-system.csv");
    codes("hs2017/harmonized-system.csv")
        .into_iter()
        .find(|c| !new.contains(c) && !c.ends_with("00") && !c.starts_with('9'))
        .expect("a code deleted in HS 2022")
}

#[test]
fn a_corrupt_hs2017_file_is_a_data_error_not_an_unknown_code() {
    let code = a_deleted_code();
    let tmp = tempfile::tempdir().unwrap();
    // The intact file: the code is explained as deleted (exit 1).
    let data = data_copy(tmp.path(), &[]);
    let out = hs_on(&data, tmp.path())
        .args(["show", &code])
        .env("HS_INDEX_DIR", common::test_index())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("deleted in HS 2022"),
        "{}",
        stderr(&out)
    );
    // A truncated copy: a data error naming the file.
    let rel = "hs2017/harmonized-system.csv";
    let out = run_damaged(rel, first_half(rel), &[], &["show", &code]);
    assert_data_error(
        &out,
        "hs2017/harmonized-system.csv",
        "no subheadings for chapters",
    );
    // `hs lookup` too: exit 2, not `unknown` rows.
    let codes = tempfile::NamedTempFile::new().unwrap();
    fs::write(codes.path(), format!("{code}\n6109.10\n")).unwrap();
    let input = codes.path().to_string_lossy().into_owned();
    let out = run_damaged(
        rel,
        first_half(rel),
        &[],
        &["lookup", "--lines", "--input", &input],
    );
    assert_data_error(
        &out,
        "hs2017/harmonized-system.csv",
        "no subheadings for chapters",
    );
}

#[test]
fn the_newest_revision_is_the_schedule_and_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let both = data_copy(tmp.path(), &[]);
    let out = hs_on(&both, tmp.path())
        .args(["show", "6109.10.00.12", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schedule_name"], "US HTS 2026 Revision 12");
    assert_eq!(v["footnotes"][0]["text"], "See 9903.88.15.");
    assert_eq!(v["footnotes"][0]["columns"], "general");
    assert_eq!(v["duty"]["general"], "16.5%");
    assert_eq!(v["units"], serde_json::json!(["doz.", "kg"]));
    let plain = hs_on(&both, tmp.path())
        .args(["show", "6109.10.00.12"])
        .output()
        .unwrap();
    let text = stdout(&plain);
    assert!(text.contains("See 9903.88.15."), "{text}");
    assert!(text.contains("US HTS 2026 Revision 12"), "{text}");

    // Without the JSON export, the Revision 4 CSV is the schedule (no
    // footnotes: the CSV export has none).
    let tmp = tempfile::tempdir().unwrap();
    let csv_only = data_copy(tmp.path(), &[JSON]);
    let out = hs_on(&csv_only, tmp.path())
        .args(["show", "6109.10.00.12", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schedule_name"], "US HTS 2026 Revision 4");
    assert_eq!(v["footnotes"], serde_json::json!([]));
    assert_eq!(v["duty"]["general"], "16.5%");
}

#[test]
fn duty_names_the_schedule() {
    let out = hs()
        .args([
            "duty",
            "6109.10.00.12",
            "--origin",
            "DE",
            "--value",
            "1000",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schedule"], "US HTS 2026 Revision 12");
    let out = hs()
        .args(["duty", "6109.10.00.12", "--origin", "DE", "--value", "1000"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("(schedule: US HTS 2026 Revision 12)"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn version_names_the_schedule() {
    let out = hs().arg("--version").output().unwrap();
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("US HTS 2026 Revision 12"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn chapters_98_and_99_are_shown() {
    let tmp = tempfile::tempdir().unwrap();
    let data = data_copy(tmp.path(), &[]);
    for (code, words) in [
        ("9903.88.15", "articles the product of China"),
        ("9802.00.80", "assembled abroad"),
    ] {
        let out = hs_on(&data, tmp.path())
            .args(["show", code, "--json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{code}: {}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["code"], code);
        assert_eq!(v["section"], "XXII");
        assert!(v["text"].as_str().unwrap().contains(words), "{v}");
    }
}

#[test]
fn chapters_98_and_99_are_never_suggested() {
    let e = common::engine();
    assert!(
        e.data.tree.get_digits("99038815").is_some(),
        "9903.88.15 is in the tree"
    );
    // Their texts, searched for, give goods codes only.
    for query in [
        "articles the product of China",
        "articles assembled abroad of fabricated components the product of the United States",
        "products of the United States returned after having been exported",
        "9903.88.15",
        "9802.00.80",
    ] {
        for s in e.search(query, 50).unwrap().suggestions {
            assert!(
                !s.code.to_string().starts_with("98") && !s.code.to_string().starts_with("99"),
                "{query}: {}",
                s.code
            );
        }
    }
    let out = hs()
        .args(["search", "9903.88.15", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
}

#[test]
fn the_parsed_copy_is_the_same_tree_and_damage_is_detected() {
    let tmp = tempfile::tempdir().unwrap();
    let data = data_copy(tmp.path(), &[]);
    let cache = tmp.path().join("cache");
    let plain = hs::load::Dataset::load(&data).unwrap();
    // First load writes the copy, the second reads it.
    let first = hs::load::Dataset::load_cached(&data, hs::load::Scope::All, Some(&cache)).unwrap();
    let file = hs::hts_cache::file_for(&cache, &data.join(JSON));
    assert!(file.is_file(), "no cache at {}", file.display());
    let second = hs::load::Dataset::load_cached(&data, hs::load::Scope::All, Some(&cache)).unwrap();
    let key = |ds: &hs::load::Dataset| -> Vec<String> {
        ds.tree
            .nodes()
            .map(|n| {
                format!(
                    "{:?}|{}|{}|{:?}|{:?}|{:?}|{:?}",
                    n.level,
                    n.label(),
                    n.full_text,
                    n.parent,
                    n.units,
                    n.duty,
                    n.footnotes
                )
            })
            .collect()
    };
    let want = key(&plain);
    assert!(want.len() > 35_000, "{}", want.len());
    assert_eq!(key(&first), want);
    assert_eq!(key(&second), want);

    // Damaged (one byte changed): not used, parsed again and rewritten.
    let mut bytes = fs::read(&file).unwrap();
    let at = bytes.len() / 2;
    bytes[at] = if bytes[at] == b'x' { b'y' } else { b'x' };
    fs::write(&file, &bytes).unwrap();
    assert!(hs::hts_cache::read(&cache, &data.join(JSON)).is_none());
    let third = hs::load::Dataset::load_cached(&data, hs::load::Scope::All, Some(&cache)).unwrap();
    assert_eq!(key(&third), want);
    assert!(hs::hts_cache::read(&cache, &data.join(JSON)).is_some());

    // A file there that hs did not write is left alone.
    fs::write(&file, "someone else's file\n").unwrap();
    let fourth =
        hs::load::Dataset::load_cached(&data, hs::load::Scope::Chapter(61), Some(&cache)).unwrap();
    assert!(fourth.tree.get_digits("6109100012").is_some());
    assert_eq!(fs::read_to_string(&file).unwrap(), "someone else's file\n");
}

/// The EU CN codes file missing chapters 50-97 (still a JSON list): a data
/// error naming the file and the chapters missing, never a smaller CN.
#[test]
fn a_truncated_eu_cn_file_is_a_data_error() {
    let rel = "eu-cn/cnCodes_2026.json";
    let full: Vec<serde_json::Value> =
        serde_json::from_str(&fs::read_to_string(real_data().join(rel)).unwrap()).unwrap();
    // The entries are not in code order: keep chapters 1-49 only.
    let kept: Vec<&serde_json::Value> = full
        .iter()
        .filter(|e| e["code"].as_str().is_some_and(|c| c < "50"))
        .collect();
    let half = serde_json::to_string(&kept).unwrap();
    let out = run_damaged(rel, half, &[], &["show", "6109.10", "--schedule", "eu"]);
    assert_data_error(&out, rel, "no CN lines for chapters 50-76, 78-97");
}

/// The index reads the words of the EU CN lines: a damaged CN file stops
/// a search with a data error naming it (never an index silently without
/// them); a data folder without the CN file searches without them.
#[test]
fn the_index_needs_a_sound_eu_cn_file_or_none() {
    let rel = "eu-cn/cnCodes_2026.json";
    let out = run_damaged(rel, "[{\"code\": \"0101", &[], &["search", "cowberries"]);
    assert_data_error(&out, rel, "not the expected JSON list of CN codes");

    let tmp = tempfile::tempdir().unwrap();
    let data = data_copy(tmp.path(), &[rel]);
    let out = hs_on(&data, tmp.path())
        .args(["search", "--json", "--top", "3", "cowberries"])
        .env("HS_INDEX_DIR", tmp.path().join("index"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for s in v["suggestions"].as_array().unwrap() {
        for m in s["matched"].as_array().unwrap() {
            let sources = m["sources"].as_array().unwrap();
            assert!(!sources.iter().any(|x| x == "eu_line"), "{m}");
        }
    }
}
