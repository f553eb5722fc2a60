//! Command-line tests of issue 14: precedent files (problems by line,
//! `--strict`), the store (`hs precedents add|list|remove`), the vote in
//! `hs search` (supporting precedents, conflicts, no change without
//! precedents), `hs eval --cross-validate` and `hs audit`. Every test uses
//! its own store folder (`HS_PRECEDENTS_DIR` in a temporary folder).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they set up

mod support;

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn hs(store: &Path) -> Command {
    support::index_ready();
    let mut c = support::hs();
    c.env("HS_PRECEDENTS_DIR", store);
    c
}

fn out(c: &mut Command) -> (Option<i32>, String, String) {
    let o = c.output().unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A store in `dir` holding one set, `name`.csv with `csv` as its text.
fn store_with(dir: &Path, name: &str, csv: &str) -> std::path::PathBuf {
    let store = dir.join("store");
    let file = dir.join(format!("{name}.csv"));
    std::fs::write(&file, csv).unwrap();
    let (code, _, err) = out(hs(&store).args(["precedents", "add"]).arg(&file));
    assert_eq!(code, Some(0), "{err}");
    store
}

const ENTRIES: &str = "description,code,reference\n\
mens crew neck tee 100% cotton,6109.10.00.12,E-41\n\
stainless steel kitchen sink,7324.10,E-42\n\
childrens building brick toy set,9503.00,E-43\n";

#[test]
fn problems_are_reported_by_line_and_strict_makes_them_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("entries.csv");
    let mut bytes = b"description,code\n\
cotton tee,6109.10\n\
,6109.10\n\
wool jumper,61x0.20\n\
mystery goods,9999.99\n\
fish meal,0305.10\n\
cotton tee,6109.10\n"
        .to_vec();
    bytes.extend_from_slice(b"caf\xe9 table,9403.60\n");
    bytes
        .extend_from_slice(b"\"quoted, with a comma\",6109.10,extra\n\n  \t\nsteel sink,7324.10\n");
    std::fs::write(&file, &bytes).unwrap();
    let store = dir.path().join("store");
    let (code, _, err) =
        out(hs(&store)
            .args(["--precedents"])
            .arg(&file)
            .args(["search", "cotton tee", "--json"]));
    // `--quiet` hides the reports; without it they are listed by line.
    assert_eq!(code, Some(0), "{err}");
    let mut c = Command::cargo_bin("hs").unwrap();
    c.env("HS_PRECEDENTS_DIR", &store);
    let (code, _, err) = out(c
        .arg("--precedents")
        .arg(&file)
        .args(["search", "cotton tee"]));
    assert_eq!(code, Some(0), "{err}");
    for needle in [
        "line 3: empty description",
        "line 4: malformed code",
        "line 5: code 999999: its six digits are not an HS 2022 subheading",
        "line 6: code 030510 was deleted by HS 2022",
        "line 7: duplicate",
        "line 8: invalid UTF-8",
        "line 9: 3 fields where the header has 2 (a quoting error?)",
        "line 10: blank line",
        // A line of spaces is blank, not a quoting error.
        "line 11: blank line",
    ] {
        assert!(err.contains(needle), "missing '{needle}' in:\n{err}");
    }
    assert!(
        err.contains("11 rows read, 3 taken, 8 skipped, 1 kept with a warning"),
        "{err}"
    );
    let (code, _, err) = out(hs(&store)
        .args(["--strict", "--precedents"])
        .arg(&file)
        .args(["search", "cotton tee"]));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--strict"), "{err}");
    // A quote never closed is an error naming its line, as for classify.
    std::fs::write(
        &file,
        "description,code\ncotton tee,6109.10\n\"unclosed quote,6109.10\nsteel sink,7324.10\n",
    )
    .unwrap();
    let (code, _, err) = out(hs(&store).args(["precedents", "add"]).arg(&file));
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("entries.csv, line 3:") && err.contains("never closed"),
        "{err}"
    );
    // A description longer than the reader's limit is cut and reported.
    std::fs::write(
        &file,
        format!("description,code\n{},6109.10\n", "cotton tee ".repeat(1000)),
    )
    .unwrap();
    let mut c = Command::cargo_bin("hs").unwrap();
    c.env("HS_PRECEDENTS_DIR", &store);
    let (code, _, err) = out(c.args(["precedents", "add"]).arg(&file));
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("line 2: description of 11000 bytes cut to its first 10000"),
        "{err}"
    );
}

#[test]
fn a_quote_that_runs_over_lines_names_every_line_it_took() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("q.csv");
    // The quote opened on line 2 closes on line 5: lines 2-5 are one
    // record, and its lines must be named, never merged unsaid.
    std::fs::write(
        &file,
        "description,code,reference\n\"cotton shirt,6109.10,a\nsteel sink,7324.10,b\nwool scarf,6117.10,c\nbrick toy\",9503.00,d\nleather bag,4202.21,e\n",
    )
    .unwrap();
    let (code, o, err) = out(hs(&dir.path().join("store"))
        .args(["precedents", "add", "--json"])
        .arg(&file));
    assert_eq!(code, Some(0), "{err}");
    assert!(o.contains("lines 2-5"), "{o}");
}

#[test]
fn two_precedent_files_of_one_name_are_told_apart_and_long_cells_are_quoted_short() {
    let dir = tempfile::tempdir().unwrap();
    for (sub, text) in [
        (
            "a",
            "description,code\nmens crew neck tee,6109.10\n".to_string(),
        ),
        (
            "b",
            format!(
                "description,code\nsteel kitchen sink,7324.10\nbolts,{}\n",
                "1".repeat(5000)
            ),
        ),
    ] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join("entries.csv"), text).unwrap();
    }
    let mut c = support::hs();
    c.env("HS_PRECEDENTS_DIR", dir.path().join("store"))
        .arg("--precedents")
        .arg(dir.path().join("a/entries.csv"))
        .arg("--precedents")
        .arg(dir.path().join("b/entries.csv"))
        .args(["search", "steel kitchen sink", "--json", "--top", "1"]);
    let (code, o, err) = out(&mut c);
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&o).unwrap();
    assert_eq!(
        v["precedent_sets"],
        serde_json::json!(["entries", "entries (2)"])
    );
    assert_eq!(v["suggestions"][0]["precedents"][0]["set"], "entries (2)");
    // Without -q the skipped row's message quotes the cell short.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_hs"))
        .env("HS_PRECEDENTS_DIR", dir.path().join("store"))
        .arg("--precedents")
        .arg(dir.path().join("b/entries.csv"))
        .args(["search", "bolts", "--top", "1"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("(5000 bytes)") && err.len() < 2000, "{err}");
}

#[test]
fn a_file_without_a_code_column_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, "description,hs\ncotton tee,610910\n").unwrap();
    let (code, _, err) = out(hs(dir.path()).args(["precedents", "add"]).arg(&file));
    assert_eq!(code, Some(2));
    assert!(err.contains("no 'code' column"), "{err}");
}

#[test]
fn store_adds_lists_rebuilds_and_removes_only_its_own_sets() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let file = dir.path().join("entries.csv");
    std::fs::write(&file, ENTRIES).unwrap();
    let (code, o, err) = out(hs(&store).args(["precedents", "add"]).arg(&file));
    assert_eq!(code, Some(0), "{err}");
    assert!(o.contains("'entries' added: 3 rows"), "{o}");
    let (_, o, _) = out(hs(&store).args(["precedents", "add"]).arg(&file));
    assert!(o.contains("unchanged"), "{o}");
    std::fs::write(&file, format!("{ENTRIES}leather handbag,4202.21,\n")).unwrap();
    let (_, o, _) = out(hs(&store).args(["precedents", "add"]).arg(&file));
    assert!(o.contains("rebuilt") && o.contains("4 rows"), "{o}");
    let (_, o, _) = out(hs(&store).args(["precedents", "list", "--json"]));
    let v: Value = serde_json::from_str(&o).unwrap();
    assert_eq!(v["sets"][0]["name"], "entries");
    assert_eq!(v["sets"][0]["rows"], 4);
    // A folder hs did not make is never touched.
    std::fs::create_dir_all(store.join("mine")).unwrap();
    std::fs::write(store.join("mine").join("keep.txt"), "x").unwrap();
    let (code, _, err) = out(hs(&store).args(["precedents", "remove", "mine"]));
    assert_eq!(code, Some(2), "{err}");
    assert!(store.join("mine").join("keep.txt").exists());
    let (code, _, err) = out(hs(&store)
        .args(["precedents", "add", "--name", "mine"])
        .arg(&file));
    assert_eq!(code, Some(2), "{err}");
    assert!(store.join("mine").join("keep.txt").exists());
    let (code, o, _) = out(hs(&store).args(["precedents", "remove", "entries"]));
    assert_eq!(code, Some(0));
    assert!(o.contains("removed"));
    assert!(!store.join("entries").exists());
}

#[test]
fn without_precedents_the_output_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty-store");
    let file = dir.path().join("none.csv");
    std::fs::write(&file, "description,code\n").unwrap();
    for q in ["mens cotton t-shirt", "stainless steel sink", "lego set"] {
        let (_, plain, _) = out(hs(&empty).args(["--no-precedents", "search", q, "--json"]));
        let (_, store, _) = out(hs(&empty).args(["search", q, "--json"]));
        let (_, file_run, _) = out(hs(&empty)
            .arg("--precedents")
            .arg(&file)
            .args(["search", q, "--json"]));
        assert_eq!(plain, store, "{q}");
        assert_eq!(plain, file_run, "{q}");
        assert!(!plain.contains("precedent"), "{plain}");
    }
}

#[test]
fn suggestions_name_their_precedents_and_conflicts_are_shown() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(
        dir.path(),
        "entries",
        &format!("{ENTRIES}garden gnome figurine,6913.90,\ngarden gnome figurine,3926.40,\n"),
    );
    let (code, o, err) =
        out(hs(&store).args(["search", "mens crew neck tee 100% cotton", "--json"]));
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&o).unwrap();
    assert_eq!(v["precedent_sets"][0], "entries");
    let top = &v["suggestions"][0];
    assert_eq!(top["code"], "6109.10.00.12", "{top}");
    let p = &top["precedents"][0];
    assert_eq!(p["description"], "mens crew neck tee 100% cotton");
    assert_eq!(p["set"], "entries");
    assert_eq!(p["row"], 2);
    assert_eq!(p["reference"], "E-41");
    assert!(p["similarity"].as_f64().unwrap() > 0.99);
    assert!(top["signals"]["precedents"].as_f64().unwrap() > 0.0);
    let (_, plain, _) = out(hs(&store).args(["search", "mens crew neck tee 100% cotton"]));
    assert!(
        plain.contains(
            "as in your entries.csv row 2: 'mens crew neck tee 100% cotton' -> 6109.10.00.12"
        ),
        "{plain}"
    );
    let (_, o, _) = out(hs(&store).args(["search", "garden gnome figurine", "--json"]));
    let v: Value = serde_json::from_str(&o).unwrap();
    let codes: Vec<&str> = v["precedent_conflict"]["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[0].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"691390") && codes.contains(&"392640"),
        "{v}"
    );
    // --no-precedents turns the store off.
    let (_, o, _) = out(hs(&store).args([
        "--no-precedents",
        "search",
        "garden gnome figurine",
        "--json",
    ]));
    assert!(!o.contains("precedent"), "{o}");
}

/// A trade name the tariff does not know, classified before: the
/// precedents are the evidence: the suggestion they vote for is ranked
/// (the tariff's words alone give none) and not capped as one no word
/// matched (0.02); its confidence comes from the model that reads the vote.
#[test]
fn a_known_trade_name_is_trusted_through_its_precedents() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(
        dir.path(),
        "entries",
        "description,code\nzorblax 500,3402.50\nzorblax 750,3402.50\nzorblax refill,3402.50\n",
    );
    let (code, o, err) = out(hs(&store).args(["search", "zorblax 500", "--json"]));
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&o).unwrap();
    let top = &v["suggestions"][0];
    assert_eq!(top["hs6"], "3402.50", "{top}");
    let with = top["confidence"].as_f64().unwrap();
    assert!(with > 0.3, "{top}");
    // Without precedents no word of it is known: no suggestion at all.
    let (code, o, _) = out(hs(&store).args(["--no-precedents", "search", "zorblax 500", "--json"]));
    assert_eq!(code, Some(1), "{o}");
    let v: Value = serde_json::from_str(&o).unwrap();
    assert_eq!(v["suggestions"].as_array().map(Vec::len), Some(0), "{v}");
}

#[test]
fn cross_validation_repeats_with_its_seed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("labelled.csv");
    let mut text = String::from("description,gold\n");
    for i in 0..6 {
        text.push_str(&format!("cotton tee style {i},610910\n"));
        text.push_str(&format!("steel sink model {i},732410\n"));
    }
    std::fs::write(&file, text).unwrap();
    let run = |seed: &str| {
        let (code, o, err) = out(hs(dir.path()).arg("eval").arg(&file).args([
            "--cross-validate",
            "3",
            "--seed",
            seed,
            "--json",
        ]));
        assert_eq!(code, Some(0), "{err}");
        let v: Value = serde_json::from_str(&o).unwrap();
        v["figures"].clone()
    };
    let a = run("7");
    assert_eq!(a, run("7"));
    assert!(a["hs6@1"].as_f64().unwrap() >= 90.0, "{a}");
    let (code, _, _) = out(hs(dir.path())
        .arg("eval")
        .arg(&file)
        .args(["--cross-validate", "1"]));
    assert_eq!(code, Some(2));
}

#[test]
fn audit_reads_precedent_files_and_a_row_never_supports_itself_through_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history.csv");
    let mut text = String::from("description,code\n");
    for i in 0..5 {
        text.push_str(&format!("mens cotton t-shirt lot {i},6109.10\n"));
    }
    // Declared as a live horse.
    text.push_str("mens cotton t-shirt lot 9,0101.21\n");
    std::fs::write(&file, &text).unwrap();
    let risk_of_row_7 = |extra: &[&str]| {
        let (code, o, err) = out(hs(&dir.path().join("store"))
            .args(extra)
            .arg("audit")
            .arg(&file)
            .arg("--all"));
        assert_eq!(code, Some(0), "{err}");
        o.lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .find(|v| v["row"] == 7)
            .unwrap()["risk"]
            .as_f64()
            .unwrap()
    };
    let alone = risk_of_row_7(&[]);
    assert!(alone > 0.9, "{alone}");
    // The same history kept in the store: the odd row's own copy there
    // does not vouch for it.
    let store = store_with(dir.path(), "history", &text);
    assert_eq!(store, dir.path().join("store"));
    let with_store = risk_of_row_7(&["--no-precedents"]);
    assert_eq!(with_store, alone);
    let (code, o, err) = out(hs(&store)
        .arg("audit")
        .arg(&file)
        .args(["--all", "--use-store"]));
    assert_eq!(code, Some(0), "{err}");
    let row7 = o
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|v| v["row"] == 7)
        .unwrap();
    assert!(row7["risk"].as_f64().unwrap() > 0.9, "{row7}");
    // A --precedents file is read (and a missing one is an error).
    let missing = dir.path().join("nosuch.csv");
    let (code, _, _) = out(hs(&store)
        .arg("--precedents")
        .arg(&missing)
        .arg("audit")
        .arg(&file));
    assert_eq!(code, Some(2));
    let horses = dir.path().join("horses.csv");
    let mut h = String::from("description,code\n");
    for i in 0..5 {
        h.push_str(&format!("mens cotton t-shirt lot 9 batch {i},0101.21\n"));
    }
    std::fs::write(&horses, h).unwrap();
    let (code, o, err) = out(hs(&store)
        .arg("--precedents")
        .arg(&horses)
        .arg("audit")
        .arg(&file)
        .arg("--all"));
    assert_eq!(code, Some(0), "{err}");
    let row7 = o
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|v| v["row"] == 7)
        .unwrap();
    assert!(row7["risk"].as_f64().unwrap() < alone, "{row7}");
}

#[test]
fn audit_of_a_row_no_other_row_resembles_reads_the_ranking_alone() {
    // No precedent near a row says nothing for or against it: a row
    // declared as the ranking's top choice is not at risk.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history.csv");
    std::fs::write(
        &file,
        "description,code\nstainless steel kitchen sink,7324.10\nmens cotton knitted t-shirt,6109.10\n",
    )
    .unwrap();
    let (code, o, err) = out(hs(dir.path()).arg("audit").arg(&file).arg("--all"));
    assert_eq!(code, Some(0), "{err}");
    for l in o.lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        assert!(v["risk"].as_f64().unwrap() < 0.2, "{v}");
    }
    // Nothing at the default threshold.
    let (code, o, _) = out(hs(dir.path()).arg("audit").arg(&file));
    assert_eq!((code, o.as_str()), (Some(1), ""));
}

#[test]
fn audit_says_when_a_row_has_no_suggestion_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history.csv");
    std::fs::write(&file, "description,code\nqwzx plrkv,6109.10\n").unwrap();
    let (code, o, err) = out(hs(dir.path()).arg("audit").arg(&file).arg("--all"));
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(o.lines().next().unwrap()).unwrap();
    assert!(
        v["reason"]
            .as_str()
            .unwrap()
            .starts_with("no suggestion to check declared 610910"),
        "{v}"
    );
}

#[test]
fn audit_ranks_the_odd_row_first_and_groups_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history.csv");
    let mut text = String::from("description,code\n");
    for i in 0..5 {
        text.push_str(&format!("mens cotton t-shirt lot {i},6109.10\n"));
        text.push_str(&format!("stainless steel kitchen sink lot {i},7324.10\n"));
    }
    // Declared as a live horse.
    text.push_str("mens cotton t-shirt lot 9,0101.21\n");
    text.push_str("ceramic garden gnome,6913.90\nceramic garden gnome,3926.40\n");
    std::fs::write(&file, text).unwrap();
    let (code, o, err) = out(hs(dir.path()).arg("audit").arg(&file).arg("--all"));
    assert_eq!(code, Some(0), "{err}");
    let lines: Vec<Value> = o
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let rows: Vec<&Value> = lines.iter().filter(|v| v["kind"] == "row").collect();
    assert_eq!(rows.len(), 13, "every row with --all");
    let risk = |line: u64| {
        rows.iter().find(|r| r["row"] == line).unwrap()["risk"]
            .as_f64()
            .unwrap()
    };
    let odd = rows.iter().find(|r| r["row"] == 12).unwrap();
    assert!(risk(12) > 0.9, "{odd}");
    assert_eq!(odd["suggested"][0]["code"], "6109.10", "{odd}");
    for line in 2..=11 {
        assert!(risk(line) < 0.5, "row {line}: {}", risk(line));
    }
    for r in &rows {
        let risk = r["risk"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&risk));
    }
    let group = lines
        .iter()
        .find(|v| v["kind"] == "group")
        .expect("a group");
    assert_eq!(group["description"], "ceramic garden gnome");
    // By default only risky rows; CSV has a header.
    let (_, o, _) = out(hs(dir.path())
        .arg("audit")
        .arg(&file)
        .args(["--format", "csv"]));
    assert!(
        o.starts_with("kind,row,description,declared,risk,suggested,reason"),
        "{o}"
    );
    assert!(o.contains("row,12,"), "{o}");
    assert!(!o.contains("row,2,"), "{o}");
}

/// The measured floor on a shared set read from ../shared/eval (never copied).
#[test]
fn cross_validated_precedents_lift_bacuda() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/bacuda_declarations.csv");
    if !path.exists() {
        eprintln!("skipped: {} not found", path.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (code, o, err) =
        out(hs(dir.path())
            .arg("eval")
            .arg(&path)
            .args(["--cross-validate", "5", "--json"]));
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&o).unwrap();
    assert!(v["figures"]["hs6@1"].as_f64().unwrap() >= 44.0, "{v}");
    assert!(v["figures"]["hs6@5"].as_f64().unwrap() >= 61.0, "{v}");
}

/// The TUI's detail pane lists the precedents behind the selected suggestion.
#[test]
fn tui_detail_pane_shows_supporting_precedents() {
    use hs::engine::{Engine, Options};
    use hs::precedents::{Precedent, PrecedentIndex, Precedents};
    use hs::tui::theme::Theme;
    use hs::tui::{App, AppOptions};
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    support::index_ready();
    let (mut engine, _) = Engine::open(&Options::default()).unwrap();
    let p = Precedent::labelled(
        "mens crew neck tee 100% cotton",
        "6109100012".into(),
        "6109.10.00.12",
        41,
    );
    let set = PrecedentIndex::in_memory("entries", "entries.csv", vec![p]).unwrap();
    engine.precedents = Some(std::sync::Arc::new(Precedents::new(vec![set])));
    let mut a = App::new(
        std::sync::Arc::new(engine),
        AppOptions {
            theme: Theme::mono(),
            pick: false,
            worker: false,
            seed: Some(7),
            quiz_count: 3,
        },
    );
    for c in "crew neck tee cotton".chars() {
        a.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    let detail = a.detail.view.plain(200).join("\n");
    assert!(
        detail.contains(
            "as in your entries.csv row 41: 'mens crew neck tee 100% cotton' -> 6109.10.00.12"
        ),
        "{detail}"
    );
}

#[test]
fn eval_consults_the_store_only_with_use_store() {
    let dir = tempfile::tempdir().unwrap();
    // Made-up goods under a subheading their words do not name: only a
    // precedent can lead the ranking to it.
    let store = store_with(
        dir.path(),
        "history",
        "description,code\nzorbex widget mark 1,9503.00\nzorbex widget mark 2,9503.00\n",
    );
    let labelled = dir.path().join("labelled.csv");
    std::fs::write(&labelled, "description,gold\nzorbex widget mark 3,950300\n").unwrap();
    let figures = |extra: &[&str]| {
        let (code, o, err) = out(hs(&store)
            .arg("eval")
            .arg(&labelled)
            .args(["--json"])
            .args(extra));
        assert!(code == Some(0) || code == Some(1), "{err}");
        let v: Value = serde_json::from_str(&o).unwrap();
        v["figures"].to_string()
    };
    let without = figures(&[]);
    let with = figures(&["--use-store"]);
    assert_ne!(without, with, "the store changed nothing: {with}");
    assert_eq!(without, figures(&["--no-precedents", "--use-store"]));
}

/// The top suggestion's code and stderr of a search on a store.
fn top_code(store: &Path, q: &str) -> (Option<i32>, String, String) {
    let (code, o, err) = out(hs(store).args(["search", q, "--json", "--top", "1"]));
    let top = serde_json::from_str::<Value>(&o)
        .ok()
        .and_then(|v| v["suggestions"][0]["code"].as_str().map(str::to_string))
        .unwrap_or_default();
    (code, top, err)
}

#[test]
fn a_damaged_set_marker_is_an_error_and_adding_the_file_mends_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(dir.path(), "entries", ENTRIES);
    std::fs::write(store.join("entries").join("hs-precedent-set.json"), "").unwrap();
    for args in [&["precedents", "list"][..], &["search", "cotton tee"][..]] {
        let (code, _, err) = out(hs(&store).args(args));
        assert_eq!(code, Some(2), "{args:?}: the set is never skipped silently");
        assert!(err.contains("'entries' is damaged"), "{err}");
    }
    let file = dir.path().join("entries.csv");
    let (code, o, err) = out(hs(&store).args(["precedents", "add"]).arg(&file));
    assert_eq!(code, Some(0), "{err}");
    assert!(o.contains("rebuilt"), "{o}");
    let (code, _, err) = out(hs(&store).args(["precedents", "list"]));
    assert_eq!(code, Some(0), "{err}");
    // A damaged marker does not stop a removal either.
    std::fs::write(store.join("entries").join("hs-precedent-set.json"), "{").unwrap();
    let (code, _, err) = out(hs(&store).args(["precedents", "remove", "entries"]));
    assert_eq!(code, Some(0), "{err}");
    assert!(!store.join("entries").exists());
}

#[test]
fn files_hs_did_not_make_inside_a_set_are_never_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(dir.path(), "entries", ENTRIES);
    let mine = store.join("entries").join("MYNOTES.txt");
    std::fs::write(&mine, "mine").unwrap();
    let (code, _, err) = out(hs(&store).args(["precedents", "remove", "entries"]));
    assert_eq!(code, Some(2));
    assert!(err.contains("MYNOTES.txt"), "{err}");
    let file = dir.path().join("entries.csv");
    std::fs::write(&file, format!("{ENTRIES}leather handbag,4202.21,\n")).unwrap();
    let (code, _, err) = out(hs(&store).args(["precedents", "add"]).arg(&file));
    assert_eq!(code, Some(2), "a changed file does not replace the folder");
    assert!(err.contains("MYNOTES.txt"), "{err}");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "mine");
}

#[test]
fn changed_rows_are_an_error_and_changed_terms_are_worked_out_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(dir.path(), "entries", ENTRIES);
    let q = "stainless steel kitchen sink";
    let (code, before, err) = top_code(&store, q);
    assert_eq!(code, Some(0), "{err}");
    // A term line changed in the middle: noticed, worked out again.
    let terms = store.join("entries").join("terms.txt");
    let text = std::fs::read_to_string(&terms).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[1] = "cotton tee shirt crew neck";
    std::fs::write(&terms, lines.join("\n") + "\n").unwrap();
    let (code, top, err) = top_code(&store, q);
    assert_eq!((code, &top), (Some(0), &before), "{err}");
    assert_eq!(std::fs::read_to_string(&terms).unwrap(), text);
    // Deleted: worked out and kept again by the next run.
    std::fs::remove_file(&terms).unwrap();
    let (code, top, err) = top_code(&store, q);
    assert_eq!((code, &top), (Some(0), &before), "{err}");
    assert_eq!(std::fs::read_to_string(&terms).unwrap(), text);
    // A code changed in the rows: the set is damaged, never used as is.
    let rows = store.join("entries").join("rows.jsonl");
    let text = std::fs::read_to_string(&rows).unwrap();
    std::fs::write(&rows, text.replace("732410", "620520")).unwrap();
    let (code, _, err) = top_code(&store, q);
    assert_eq!(code, Some(2));
    assert!(err.contains("rows.jsonl changed"), "{err}");
}

#[test]
fn a_damaged_set_index_is_rebuilt_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(dir.path(), "entries", ENTRIES);
    let q = "mens crew neck tee 100% cotton";
    let (_, before, _) = top_code(&store, q);
    let index = store.join("entries").join("index");
    for e in std::fs::read_dir(&index).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "fast" || x == "idx") {
            let mut bytes = std::fs::read(&p).unwrap();
            for b in bytes.iter_mut().take(12) {
                *b = 0xff;
            }
            std::fs::write(&p, bytes).unwrap();
        }
    }
    let (code, top, err) = top_code(&store, q);
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(top, before);
}

#[test]
fn a_set_renamed_aside_by_an_interrupted_update_is_put_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(dir.path(), "entries", ENTRIES);
    // As a run killed between its two renames leaves it (a process id
    // that is not running).
    let aside = store.join(".old-entries-4000000000");
    std::fs::rename(store.join("entries"), &aside).unwrap();
    std::fs::create_dir_all(store.join(".building-entries-4000000000")).unwrap();
    // `list` puts it back too.
    let (code, o, err) = out(hs(&store).args(["precedents", "list"]));
    assert_eq!(code, Some(0), "{err}");
    assert!(o.contains("entries"), "{o}");
    let (code, top, err) = top_code(&store, "mens crew neck tee 100% cotton");
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(top, "6109.10.00.12");
    assert!(store.join("entries").exists() && !aside.exists());
    assert!(!store.join(".building-entries-4000000000").exists());
}

#[test]
fn a_folder_named_like_a_leftover_but_holding_your_files_is_never_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(dir.path(), "entries", ENTRIES);
    for name in [".old-mybackup-4000000000", ".building-notes-4000000000"] {
        std::fs::create_dir_all(store.join(name)).unwrap();
        std::fs::write(store.join(name).join("keep.txt"), "precious").unwrap();
    }
    let (code, _, err) = out(hs(&store).args(["precedents", "list"]));
    assert_eq!(code, Some(0), "{err}");
    let (code, top, err) = top_code(&store, "mens crew neck tee 100% cotton");
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(top, "6109.10.00.12");
    for name in [".old-mybackup-4000000000", ".building-notes-4000000000"] {
        assert_eq!(
            std::fs::read_to_string(store.join(name).join("keep.txt")).unwrap(),
            "precious"
        );
    }
}

#[test]
fn a_set_folder_renamed_by_hand_is_used_under_its_new_name() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(dir.path(), "entries", ENTRIES);
    std::fs::rename(store.join("entries"), store.join("renamed")).unwrap();
    let (code, o, err) = out(hs(&store).args(["precedents", "list"]));
    assert_eq!(code, Some(0), "{err}");
    assert!(o.contains("renamed") && !o.contains("entries "), "{o}");
    let (code, top, err) = top_code(&store, "mens crew neck tee 100% cotton");
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(top, "6109.10.00.12");
}

#[test]
fn searches_while_a_set_is_replaced_see_the_old_set_or_the_new() {
    // `add` renames the new build into place; a search reading the set
    // meanwhile must not call it damaged.
    let dir = tempfile::tempdir().unwrap();
    let rows = |code: &str| {
        let mut t = String::from("description,code\n");
        for i in 0..3000 {
            t.push_str(&format!("cotton knitted shirt style {i},{code}\n"));
        }
        t
    };
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    std::fs::write(&a, rows("6109.10")).unwrap();
    std::fs::write(&b, rows("6105.10")).unwrap();
    let store = dir.path().join("store");
    let (code, _, err) = out(hs(&store)
        .args(["precedents", "add", "--name", "race"])
        .arg(&a));
    assert_eq!(code, Some(0), "{err}");
    let writer = {
        let store = store.clone();
        std::thread::spawn(move || {
            for i in 0..8 {
                let f = if i % 2 == 0 { &b } else { &a };
                let (code, _, err) = out(hs(&store)
                    .args(["precedents", "add", "--name", "race"])
                    .arg(f));
                assert_eq!(code, Some(0), "{err}");
            }
        })
    };
    let mut searched = 0;
    while !writer.is_finished() || searched < 5 {
        let (code, top, err) = top_code(&store, "cotton knitted shirt style 7");
        assert_eq!(code, Some(0), "{err}");
        assert!(
            top.starts_with("6109.10") || top.starts_with("6105.10"),
            "{top}"
        );
        searched += 1;
    }
    writer.join().unwrap();
}

#[test]
fn a_json_lines_file_with_a_byte_order_mark_keeps_its_first_row() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let file = dir.path().join("entries.jsonl");
    std::fs::write(
        &file,
        "\u{feff}{\"description\":\"wooden chair\",\"code\":\"9401.69\"}\r\n{\"description\":\"steel sink\",\"code\":\"7324.10\"}\r\n",
    )
    .unwrap();
    let (code, o, err) = out(hs(&store).args(["precedents", "add", "--json"]).arg(&file));
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&o).unwrap();
    assert_eq!(v["rows"], 2, "{o}");
}

#[test]
fn a_json_line_with_a_key_given_twice_is_reported_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let file = dir.path().join("entries.jsonl");
    std::fs::write(
        &file,
        "{\"description\":\"wooden chair\",\"code\":\"9401.69\",\"code\":\"7324.10\"}\n{\"description\":\"steel sink\",\"code\":\"7324.10\"}\n",
    )
    .unwrap();
    let (code, o, err) = out(hs(&store).args(["precedents", "add", "--json"]).arg(&file));
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&o).unwrap();
    assert_eq!(v["rows"], 1, "{o}");
    assert!(o.contains("given twice"), "{o}");
    // --strict makes it an error.
    let (code, _, err) = out(hs(&store)
        .args(["--strict", "precedents", "add"])
        .arg(&file));
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn adding_the_file_again_mends_damaged_rows_and_a_lost_marker() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(dir.path(), "entries", ENTRIES);
    let file = dir.path().join("entries.csv");
    let rows = store.join("entries").join("rows.jsonl");
    let text = std::fs::read_to_string(&rows).unwrap();
    std::fs::write(&rows, text.replace("732410", "620520")).unwrap();
    let (code, o, err) = out(hs(&store).args(["precedents", "add"]).arg(&file));
    assert_eq!(code, Some(0), "{err}");
    assert!(o.contains("rebuilt"), "not 'unchanged': {o}");
    let (code, _, err) = out(hs(&store).args(["search", "stainless steel kitchen sink"]));
    assert_eq!(code, Some(0), "{err}");
    // A marker deleted: an error, never a set gone silently; adding mends.
    std::fs::remove_file(store.join("entries").join("hs-precedent-set.json")).unwrap();
    let (code, _, err) = out(hs(&store).args(["precedents", "list"]));
    assert_eq!(code, Some(2));
    assert!(err.contains("'entries' is damaged"), "{err}");
    let (code, _, err) = out(hs(&store).args(["precedents", "add"]).arg(&file));
    assert_eq!(code, Some(0), "{err}");
    let (code, _, err) = out(hs(&store).args(["precedents", "list"]));
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn a_file_of_yours_inside_a_set_index_is_never_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(dir.path(), "entries", ENTRIES);
    let mine = store.join("entries").join("index").join("notes.txt");
    std::fs::write(&mine, "mine").unwrap();
    let (code, _, err) = out(hs(&store).args(["precedents", "remove", "entries"]));
    assert_eq!(code, Some(2));
    assert!(err.contains("index/notes.txt"), "{err}");
    assert!(mine.exists());
}
