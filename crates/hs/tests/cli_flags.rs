//! Command-line tests of issue 7: controlled-goods flags (`hs show`,
//! `hs search`, `hs classify`, `hs flags`, `--flag`), HS editions (deleted
//! codes, `hs diff-editions`) and `hs show --all-schedules`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they set up

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin_cmd;
use predicates::prelude::*;
use serde_json::Value;

fn hs() -> Command {
    let mut c = cargo_bin_cmd!("hs");
    c.arg("--quiet");
    c
}

fn json_of(out: &[u8]) -> Value {
    match serde_json::from_slice(out) {
        Ok(v) => v,
        Err(e) => panic!("not JSON ({e}): {}", String::from_utf8_lossy(out)),
    }
}

fn categories(flags: &Value) -> Vec<String> {
    flags
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["category"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn show_rifle_heading_flags_arms() {
    hs().args(["show", "9301.10"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Flags (advice to check, not a legal verdict)",
        ))
        .stdout(predicate::str::contains("arms"))
        .stdout(predicate::str::contains("Wassenaar"))
        .stdout(predicate::str::contains("not a legal verdict"));
    let out = hs().args(["show", "9301.10", "--json"]).assert().code(0);
    let v = json_of(&out.get_output().stdout);
    assert_eq!(categories(&v["flags"]), ["arms"]);
    let f = &v["flags"][0];
    assert_eq!(f["range"], "9301");
    assert!(f["reason"].as_str().is_some_and(|r| !r.is_empty()));
    assert!(f["source"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(
        v["flags_disclaimer"]
            .as_str()
            .is_some_and(|d| d.contains("not a legal verdict"))
    );
}

#[test]
fn show_uranium_flags_radioactive() {
    let out = hs().args(["show", "2844.10", "--json"]).assert().code(0);
    let v = json_of(&out.get_output().stdout);
    let cats = categories(&v["flags"]);
    assert!(cats.contains(&"radioactive".to_string()), "{cats:?}");
    hs().args(["show", "2844.10"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("radioactive"));
}

#[test]
fn show_unflagged_code_has_empty_flags_and_no_section() {
    hs().args(["show", "6109.10"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Flags (").not());
    let out = hs().args(["show", "6109.10", "--json"]).assert().code(0);
    let v = json_of(&out.get_output().stdout);
    assert_eq!(v["flags"], Value::Array(Vec::new()));
}

#[test]
fn show_heading_lists_flags_under_it() {
    let out = hs().args(["show", "2939", "--json"]).assert().code(0);
    let v = json_of(&out.get_output().stdout);
    assert!(categories(&v["flags"]).is_empty());
    assert!(categories(&v["flags_within"]).contains(&"narcotics".to_string()));
    hs().args(["show", "2939"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Some codes under 2939 are flagged",
        ));
}

#[test]
fn classify_rifle_flags_arms() {
    let out = hs()
        .args(["classify", "--lines", "--top", "5"])
        .write_stdin("hunting rifle, bolt action\ncotton t-shirt for men\n")
        .assert()
        .code(0);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let rows: Vec<Value> = text.lines().map(|l| json_of(l.as_bytes())).collect();
    assert_eq!(rows.len(), 2);
    let rifle = &rows[0]["suggestions"];
    let top = &rifle[0];
    assert!(
        top["code"].as_str().is_some_and(|c| c.starts_with("93")),
        "rifle should rank in chapter 93 first: {rifle}"
    );
    assert!(
        categories(&top["flags"]).contains(&"arms".to_string()),
        "{top}"
    );
    for s in rows[1]["suggestions"].as_array().into_iter().flatten() {
        assert!(
            categories(&s["flags"]).is_empty(),
            "t-shirt suggestion flagged: {s}"
        );
    }
}

#[test]
fn classify_flag_filter_keeps_flagged_rows() {
    let out = hs()
        .args(["classify", "--lines", "--flag", "arms"])
        .write_stdin("hunting rifle, bolt action\ncotton t-shirt for men\n")
        .assert()
        .code(0);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let rows: Vec<Value> = text.lines().map(|l| json_of(l.as_bytes())).collect();
    assert_eq!(rows.len(), 1, "{text}");
    assert_eq!(rows[0]["row"], 1);
    // No row carries a CITES flag: nothing found, exit 1.
    hs().args(["classify", "--lines", "--flag", "cites"])
        .write_stdin("cotton t-shirt for men\n")
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty());
}

#[test]
fn classify_csv_has_flag_columns() {
    let out = hs()
        .args(["classify", "--format", "csv", "--top", "2"])
        .write_stdin("description\nhunting rifle bolt action\n")
        .assert()
        .code(0);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => panic!("{e}"),
    };
    let names: Vec<&str> = headers.iter().collect();
    let tail = &names[names.len() - 4..];
    assert_eq!(tail, ["hs_review", "hs_error", "hs_flags_1", "hs_flags_2"]);
    let rec = match rdr.records().next() {
        Some(Ok(r)) => r,
        other => panic!("no record: {other:?}"),
    };
    let pos = names.iter().position(|h| *h == "hs_flags_1").unwrap_or(0);
    assert!(
        rec.get(pos)
            .is_some_and(|c| c.split(';').any(|x| x == "arms")),
        "{rec:?}"
    );
}

#[test]
fn search_json_has_flags_and_filter_works() {
    let out = hs()
        .args(["search", "--json", "--flag", "arms", "hunting", "rifle"])
        .assert()
        .code(0);
    let v = json_of(&out.get_output().stdout);
    let sugg = v["suggestions"].as_array().cloned().unwrap_or_default();
    assert!(!sugg.is_empty());
    for s in &sugg {
        assert!(categories(&s["flags"]).contains(&"arms".to_string()), "{s}");
    }
    assert!(v["flags_disclaimer"].is_string());
}

#[test]
fn unknown_flag_category_is_a_usage_error_listing_categories() {
    hs().args(["search", "--flag", "guns", "rifle"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("guns"))
        .stderr(predicate::str::contains("arms"))
        .stderr(predicate::str::contains("dual-use"));
    hs().args(["classify", "--lines", "--flag", "Arms"])
        .write_stdin("rifle\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("pesticides"));
}

#[test]
fn flags_listing() {
    let out = hs().args(["flags", "--json"]).assert().code(0);
    let v = json_of(&out.get_output().stdout);
    let cats: Vec<&str> = v["categories"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["category"].as_str())
        .collect();
    for c in [
        "arms",
        "explosives",
        "radioactive",
        "narcotics",
        "ozone",
        "waste",
        "cites",
        "dual-use",
        "pharmaceuticals",
        "pesticides",
    ] {
        assert!(cats.contains(&c), "{c} missing from {cats:?}");
    }
    let flags = v["flags"].as_array().cloned().unwrap_or_default();
    assert!(flags.len() > 100);
    for f in &flags {
        for field in ["category", "reason", "source", "range"] {
            assert!(f[field].as_str().is_some_and(|s| !s.is_empty()), "{f}");
        }
    }
    hs().arg("flags")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("not a legal verdict"))
        .stdout(predicate::str::contains("9301"))
        .stdout(predicate::str::contains("source: "));
}

#[test]
fn deleted_2017_code_is_explained_with_2022_suggestions() {
    hs().args(["show", "8517.12"])
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("was deleted in HS 2022"))
        .stderr(predicate::str::contains("8517.13").or(predicate::str::contains("8517.14")));
    let out = hs().args(["show", "8517.12", "--json"]).assert().code(1);
    let v = json_of(&out.get_output().stdout);
    assert_eq!(v["status"], "deleted-2022");
    assert_eq!(v["hs2017"]["code"], "8517.12");
    let codes: Vec<&str> = v["did_you_mean"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["code"].as_str())
        .collect();
    assert!(
        codes
            .iter()
            .take(3)
            .any(|c| *c == "8517.13" || *c == "8517.14"),
        "{codes:?}"
    );
    // A 10-digit line under a deleted subheading, and a deleted heading.
    hs().args(["show", "8517.12.00.50"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("its HS subheading 8517.12"));
    hs().args(["show", "8803"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("was deleted in HS 2022"))
        .stderr(predicate::str::contains("8807"));
}

#[test]
fn never_existing_code_is_plain_unknown() {
    hs().args(["show", "8517.19"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not in HS 2022"))
        .stderr(predicate::str::contains("deleted").not());
}

#[test]
fn diff_editions_lists_added_and_deleted() {
    let out = hs()
        .args(["diff-editions", "--json", "--level", "4"])
        .assert()
        .code(0);
    let v = json_of(&out.get_output().stdout);
    let codes = |k: &str| -> Vec<String> {
        v[k].as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["code"].as_str().map(str::to_string))
            .collect()
    };
    assert!(codes("added").contains(&"8807".to_string()));
    assert_eq!(codes("deleted"), ["8107", "8803"]);
    hs().arg("diff-editions")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("370 added, 145 deleted"))
        .stdout(predicate::str::contains("8517.12"));
    hs().args(["diff-editions", "--level", "5"])
        .assert()
        .code(2);
}

#[test]
fn all_schedules_shows_us_lines() {
    hs().args(["show", "6109.10", "--all-schedules"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("US HTS"))
        .stdout(predicate::str::contains("6109.10.00.04"));
    let out = hs()
        .args(["show", "9303.30.80.10", "--all-schedules", "--json"])
        .assert()
        .code(0);
    let v = json_of(&out.get_output().stdout);
    let sub = &v["subheadings"][0];
    assert_eq!(sub["hs6"], "9303.30");
    assert!(categories(&sub["flags"]).contains(&"arms".to_string()));
    let us = &sub["schedules"][0];
    assert_eq!(us["schedule"], "us-hts");
    let lines: Vec<&str> = us["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["code"].as_str())
        .collect();
    assert!(lines.contains(&"9303.30.80.10"), "{lines:?}");
    hs().args(["show", "93", "--all-schedules"])
        .assert()
        .code(2);
}

#[test]
fn worked_ivory_named_by_its_heading_carries_its_cites_flag() {
    // "carving" is in heading 9601's text only: with "ivory" in the
    // subheading's, the query names the goods.
    let mut c = cargo_bin_cmd!("hs");
    let out = c
        .args(["classify", "--lines", "--top", "1", "--flag", "cites"])
        .args(["--format", "csv", "--no-precedents"])
        .write_stdin("ivory carving\nsteel bolts\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("9601.10.00.00") && text.contains(",cites"),
        "{text}"
    );
    assert!(!text.contains("steel bolts"), "{text}");
    // The summary counts the rows read too.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 of 2 rows have a suggestion flagged cites"),
        "{err}"
    );
}
