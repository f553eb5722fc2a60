//! End-to-end tests of every subcommand, bad input included.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they set up

mod common;

use std::io::Write;

use common::{eval_dir, hs, stderr, stdout};
use serde_json::Value;

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(out)))
}

#[test]
fn show_gives_path_children_and_notes_pointer() {
    let out = hs().args(["show", "6109.10"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for want in [
        "Section XI",
        "61 ",
        "6109 ",
        "6109.10",
        "6109.10.00",
        "hs show 6109.10 --notes",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
}

#[test]
fn show_json_has_path_children_units_and_duty() {
    let out = hs()
        .args(["show", "6109.10.00.12", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["code"], "6109.10.00.12");
    assert_eq!(v["level"], "statistical-line");
    let path: Vec<&str> = v["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        &path[..5],
        &["Section XI", "61", "6109", "6109.10", "6109.10.00"]
    );
    assert_eq!(v["duty"]["general"], "16.5%");
    assert_eq!(v["duty"]["from"], "6109.10.00");
    assert!(v["units"].as_array().is_some_and(|u| !u.is_empty()));
}

#[test]
fn show_accepts_every_written_form() {
    for form in ["610910", "6109 10", "6109.10"] {
        let out = hs().args(["show", form, "--json"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{form}");
        assert_eq!(json(&out)["code"], "6109.10");
    }
    let out = hs().args(["show", "XI", "--json"]).output().unwrap();
    assert_eq!(json(&out)["level"], "section");
    // Section XXII (US chapters 98 and 99) is named in paths, so it shows.
    let out = hs().args(["show", "XXII", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["level"], "section");
    assert!(v.to_string().contains("\"99\""), "{v}");
}

#[test]
fn show_notes_prints_the_chapter_notes() {
    let out = hs().args(["show", "6109.10", "--notes"]).output().unwrap();
    let text = stdout(&out);
    assert!(text.contains("Chapter 61 notes"), "{text}");
    assert!(
        text.contains("This chapter applies only to made up knitted or crocheted articles"),
        "{text}"
    );
}

#[test]
fn show_unknown_code_exits_1_with_suggestions() {
    let out = hs().args(["show", "6109.55"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("did you mean"), "{err}");
    assert!(err.contains("6109.10") || err.contains("6109.90"), "{err}");
}

#[test]
fn words_past_the_first_ten_thousand_bytes_of_a_description_are_not_read() {
    let codes = |q: &str| {
        let out = hs()
            .args(["search", "--json", "--top", "5", "--", q])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["code"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let shirt = "men's cotton knitted t-shirt";
    let long = format!("{shirt}{}stainless steel bolts", " ".repeat(10_000));
    assert_eq!(codes(&long), codes(shirt));
}

#[test]
fn a_short_code_of_chapter_99_says_the_chapter_has_only_lines() {
    // `hs search 9903` sends the user to `hs show 9903`: it must say more
    // than "not in the schedule".
    let out = hs().args(["show", "9903"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("chapter 99 of the US schedule has no 4- or 6-digit codes"),
        "{err}"
    );
    assert!(err.contains("start with 9903 (9903.01.01 to "), "{err}");
    assert!(err.contains("`hs show 99`"), "{err}");
    // A goods chapter's unknown code gets no such note.
    let out = hs().args(["show", "6109.55"]).output().unwrap();
    assert!(!stderr(&out).contains("no 4- or 6-digit codes"));
}

#[test]
fn show_malformed_code_exits_2_without_a_trace() {
    for bad in ["61a9", "12345", "610910001234", "", "--"] {
        let out = hs().args(["show", bad]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            !err.contains("panicked") && !err.contains("backtrace"),
            "{err}"
        );
    }
    let out = hs().args(["show", "12345"]).output().unwrap();
    assert!(
        stderr(&out).contains("012345"),
        "hint for a lost leading zero"
    );
}

#[test]
fn search_puts_tshirt_subheading_in_top_3() {
    let out = hs()
        .args(["search", "men's cotton t-shirt", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["query"], "men's cotton t-shirt");
    let codes: Vec<String> = v["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap().replace('.', ""))
        .collect();
    assert!(
        codes.iter().take(3).any(|c| c.starts_with("610910")),
        "{codes:?}"
    );
    let first = &v["suggestions"][0];
    for field in [
        "code",
        "level",
        "description",
        "score",
        "confidence",
        "path",
        "hs6",
        "matched",
    ] {
        assert!(!first[field].is_null(), "missing {field}");
    }
    let c = first["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&c));
}

#[test]
fn search_top_limits_and_codes_are_distinct_subheadings() {
    let out = hs()
        .args(["search", "frozen shrimp", "--top", "5", "--json"])
        .output()
        .unwrap();
    let v = json(&out);
    let s = v["suggestions"].as_array().unwrap();
    assert_eq!(s.len(), 5);
    let mut hs6: Vec<&str> = s.iter().map(|x| x["hs6"].as_str().unwrap()).collect();
    hs6.sort();
    hs6.dedup();
    assert_eq!(hs6.len(), 5, "one suggestion per subheading");
}

#[test]
fn search_a_code_lists_its_subtree() {
    let out = hs()
        .args(["search", "6109", "--json", "--top", "50"])
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(v["kind"], "code");
    let codes: Vec<&str> = v["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes[0], "6109");
    assert!(codes.contains(&"6109.10.00.12"), "{codes:?}");
    assert!(codes.iter().all(|c| c.starts_with("6109")));
}

#[test]
fn search_is_safe_on_query_syntax_and_empty_text() {
    for q in [
        "\"",
        "title:foo",
        "[1 TO 2]",
        "AND",
        "OR NOT",
        "*",
        "cotton AND (shirt",
        "  ",
        "-x",
        "é",
        // NUL cannot pass through argv (tests/props.rs sends it to the engine).
        "\u{7}",
        "😀",
    ] {
        let out = hs().args(["search", q, "--json"]).output().unwrap();
        let code = out.status.code();
        assert!(
            matches!(code, Some(0) | Some(1) | Some(2)),
            "{q:?}: {code:?}"
        );
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{q:?}: {err}");
        if code != Some(2) {
            let _ = json(&out);
        }
    }
}

#[test]
fn classify_atlas_gives_one_line_per_row() {
    let file = eval_dir().join("atlas_validation.csv");
    let out = hs()
        .args(["classify", "--input"])
        .arg(&file)
        .args(["--column", "description", "-q"])
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0) | Some(1)),
        "{}",
        stderr(&out)
    );
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(lines.len(), 200);
    for (i, l) in lines.iter().enumerate() {
        let v: Value = serde_json::from_str(l).unwrap();
        assert_eq!(v["row"], i + 1);
        assert!(v["suggestions"].as_array().unwrap().len() <= 5);
    }
}

#[test]
fn classify_lines_from_stdin_keeps_order_and_flags_empty_rows() {
    let out = hs()
        .args(["classify", "--lines", "--top", "3"])
        .write_stdin("frozen shrimp\n\nlaptop computer\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "one row got nothing");
    let text = stdout(&out);
    let rows: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1]["error"], "empty description");
    assert!(rows[1]["suggestions"].as_array().unwrap().is_empty());
    assert!(
        rows[2]["suggestions"][0]["code"]
            .as_str()
            .unwrap()
            .starts_with("8471")
    );
    assert!(stderr(&out).contains("1 of 3 rows"));
}

#[test]
fn classify_missing_column_names_the_columns_found() {
    let out = hs()
        .args(["classify", "--column", "goods"])
        .write_stdin("name,qty\nshirt,1\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("goods") && err.contains("name, qty"), "{err}");
}

#[test]
fn classify_missing_file_and_empty_input_exit_2() {
    let out = hs()
        .args(["classify", "--input", "/nonexistent/file.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/nonexistent/file.csv"));
    let out = hs().args(["classify"]).write_stdin("").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("empty"), "{}", stderr(&out));
}

#[test]
fn classify_csv_keeps_input_columns_and_appends_suggestions() {
    let out = hs()
        .args(["classify", "--format", "csv", "--top", "2"])
        .write_stdin(
            "\u{feff}id,description\n7,\"steel screws, zinc plated\"\n8,ragged,extra,fields\n",
        )
        .output()
        .unwrap();
    let text = stdout(&out);
    // A ragged row keeps its extra fields, after hs's columns.
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let h: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &h[..4],
        &["id", "description", "hs_code_1", "hs_description_1"]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 2, "no row lost");
    assert_eq!(&rows[0][0], "7");
    assert!(rows[0][2].starts_with("7318"), "{:?}", rows[0]);
    assert_eq!(rows[0].len(), h.len());
    assert_eq!(rows[1].len(), h.len() + 2);
    assert_eq!(
        (&rows[1][h.len()], &rows[1][h.len() + 1]),
        ("extra", "fields")
    );
}

#[test]
fn classify_invalid_utf8_is_read_lossily_and_flagged() {
    let mut input = b"description\ncotton t-shirt \xff\xfe\n".to_vec();
    input.extend_from_slice(b"wooden chair\n");
    let out = hs().args(["classify"]).write_stdin(input).output().unwrap();
    let rows: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert!(rows[0]["warning"].as_str().unwrap().contains("UTF-8"));
    assert!(!rows[0]["suggestions"].as_array().unwrap().is_empty());
}

#[test]
fn index_status_and_build() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    let out = hs()
        .args(["index", "status", "--index"])
        .arg(&idx)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("not built"));
    let out = hs()
        .args(["index", "build", "--index"])
        .arg(&idx)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = hs()
        .args(["index", "status", "--json", "--index"])
        .arg(&idx)
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(v["up_to_date"], true);
    assert!(v["documents"].as_u64().unwrap() > 5000);
}

#[test]
fn damaged_index_is_rebuilt_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    assert!(
        hs().args(["index", "build", "--index"])
            .arg(&idx)
            .output()
            .unwrap()
            .status
            .success()
    );
    // Damage: remove tantivy's meta.json.
    std::fs::remove_file(idx.join("meta.json")).unwrap();
    let out = hs()
        .args(["search", "wooden chair", "--index"])
        .arg(&idx)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("built the index"), "{}", stderr(&out));
    // A stale fingerprint also rebuilds.
    let fp = idx.join("hs-fingerprint.json");
    let text = std::fs::read_to_string(&fp)
        .unwrap()
        .replace("\"schema_version\": ", "\"schema_version\": 9");
    std::fs::write(&fp, text).unwrap();
    let out = hs()
        .args(["search", "wooden chair", "--index"])
        .arg(&idx)
        .output()
        .unwrap();
    assert!(stderr(&out).contains("changed"), "{}", stderr(&out));
}

/// `hs index build --index IDX`.
fn build_index(idx: &std::path::Path) -> std::process::Output {
    hs().args(["index", "build", "--index"])
        .arg(idx)
        .output()
        .unwrap()
}

#[test]
fn index_build_never_deletes_a_folder_named_like_a_segment_file() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    let build = || build_index(&idx);
    assert!(build().status.success());
    let photos = idx.join("0123456789abcdef0123456789abcdef.photos");
    std::fs::create_dir(&photos).unwrap();
    std::fs::write(photos.join("p.jpg"), "x").unwrap();
    let out = build();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(photos.join("p.jpg").exists());
}

#[test]
fn index_build_replaces_an_up_to_date_index() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("idx");
    let build = || build_index(&idx);
    assert!(build().status.success());
    // A file the old index holds must be gone after a requested rebuild,
    // even though the index was up to date (named as tantivy names its
    // files: a file hs did not make is never deleted, see
    // reliability_index.rs).
    let planted = idx.join("0123456789abcdef0123456789abcdef.pos");
    std::fs::write(&planted, "old").unwrap();
    let out = build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("rebuild requested"),
        "{}",
        stderr(&out)
    );
    assert!(!planted.exists(), "the old index was kept");
}

#[test]
fn missing_data_folder_names_where_it_looked() {
    let out = hs()
        .args(["show", "6109", "--data", "/nowhere/data"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/nowhere/data"), "{}", stderr(&out));
}

#[test]
fn eval_scores_a_small_labelled_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("mine.csv");
    let mut w = std::fs::File::create(&f).unwrap();
    writeln!(
        w,
        "description,gold\nmen's cotton knitted t-shirt,6109100012\nlaptop computer,847130"
    )
    .unwrap();
    let out = hs().args(["eval", "--json"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["rows"], 2);
    assert!(v["figures"]["hs4@5"].as_f64().unwrap() >= 50.0);
}

#[test]
fn no_command_is_a_usage_error_off_a_terminal() {
    let out = hs().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn closed_pipe_is_quiet() {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_hs"))
        .args(["search", "6109", "--top", "10000"])
        .env("HS_INDEX_DIR", common::test_index())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{err}"
    );
}

#[test]
fn search_says_which_brand_it_read_as_goods() {
    let out = hs()
        .args(["search", "--json", "2x febreze refills"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["read_as"][0]["brand"], "febreze");
    assert_eq!(v["read_as"][0]["goods"], "air freshener");
    assert!(
        v["suggestions"][0]["hs6"]
            .as_str()
            .unwrap()
            .starts_with("3307")
    );
    // Plain output says it first; without a brand the list comes first.
    let out = hs()
        .args(["search", "2x febreze refills"])
        .output()
        .unwrap();
    assert!(stdout(&out).starts_with("read \"febreze\" as \"air freshener\""));
    let out = hs().args(["search", "wooden chair"]).output().unwrap();
    assert!(stdout(&out).starts_with(" 1. "));
    let out = hs()
        .args(["search", "--json", "wooden chair"])
        .output()
        .unwrap();
    assert_eq!(json(&out)["read_as"], serde_json::json!([]));
}

#[test]
fn a_quiz_file_is_read_as_bulk_input_before_the_terminal_is_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let out = hs().args(["quiz", "--input"]).arg(&path).output().unwrap();
        (out.status.code(), stderr(&out))
    };
    // An unclosed quote swallowed the rows after it: now named, exit 2.
    let (code, err) = run(
        "quote.csv",
        "description,gold\nshirt,6109.10\n\"chair,9401.69\nlamp,9405\n",
    );
    assert_eq!(code, Some(2));
    assert!(
        err.contains("line 3") && err.contains("unterminated"),
        "{err}"
    );
    let (code, err) = run("dup.csv", "description,gold,gold\nshirt,6109.10,6110\n");
    assert_eq!(code, Some(2));
    assert!(err.contains("two columns named 'gold'"), "{err}");
    // A good file gets as far as the terminal (none here).
    let (code, err) = run("ok.csv", "description,gold\nshirt,6109.10\n");
    assert_eq!(code, Some(2));
    assert!(err.contains("`hs quiz` needs a terminal"), "{err}");
    let out = hs().arg("pick").output().unwrap();
    assert!(stderr(&out).contains("`hs pick` needs a terminal"));
}

#[test]
fn a_code_query_shares_confidence_among_the_subheadings_it_leaves_open() {
    let run = |args: &[&str]| json(&hs().args(args).output().unwrap());
    let v = run(&["search", "--json", "--top", "200", "6109"]);
    let mut by_hs6 = std::collections::BTreeMap::new();
    for s in v["suggestions"].as_array().unwrap() {
        by_hs6.insert(
            s["hs6"].as_str().unwrap().to_string(),
            s["confidence"].as_f64().unwrap(),
        );
    }
    assert_eq!(by_hs6.get("6109"), Some(&1.0));
    assert_eq!(by_hs6.get("6109.10"), Some(&0.5));
    assert_eq!(by_hs6.get("6109.90"), Some(&0.5));
    // Six digits fix the subheading: every line under it at 1.
    let v = run(&["search", "--json", "6109.10"]);
    for s in v["suggestions"].as_array().unwrap() {
        assert_eq!(s["confidence"], 1.0, "{s}");
    }
    // The EU view never suggests the US chapters 98 and 99.
    let out = hs()
        .args(["search", "--schedule", "eu", "98"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_longer_list_keeps_the_first_suggestions_confidences() {
    let conf = |top: &str| -> Vec<f64> {
        let v = json(
            &hs()
                .args(["search", "--json", "--top", top, "laptop computer"])
                .output()
                .unwrap(),
        );
        v["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["confidence"].as_f64().unwrap())
            .collect()
    };
    let (ten, fifty) = (conf("10"), conf("50"));
    assert_eq!(ten[..], fifty[..10]);
    assert!(fifty.iter().sum::<f64>() <= 1.0 + 1e-3, "{fifty:?}");
}
