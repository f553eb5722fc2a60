//! The EU schedule beside the US one: `--schedule eu` on show, search and
//! classify.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they set up

use serde_json::Value;

mod support;

use support::{json, run};

// ---- --schedule eu -------------------------------------------------------

#[test]
fn show_subheading_lists_the_cn_lines() {
    let (code, out, err) = run(&["show", "6109.10", "--schedule", "eu"], None);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("CN lines (1)"), "{out}");
    assert!(out.contains("6109 10 00"), "{out}");
    assert!(out.contains("[p/st]"), "{out}");
    assert!(
        !out.contains("6109.10.00.12"),
        "US lines must not show: {out}"
    );

    let (code, out, _) = run(&["show", "0402.99", "--schedule", "eu"], None);
    assert_eq!(code, Some(0));
    for cn in [
        "0402 99 10",
        "0402 99 31",
        "0402 99 39",
        "0402 99 91",
        "0402 99 99",
    ] {
        assert!(out.contains(cn), "{cn} missing:\n{out}");
    }
}

#[test]
fn show_json_eu() {
    let v = json(&["show", "6109.10", "--schedule", "eu", "--json"]);
    assert_eq!(v["schedule"], "eu");
    assert_eq!(v["code"], "6109.10");
    let children = v["children"].as_array().cloned().unwrap_or_default();
    assert_eq!(children.len(), 1);
    assert_eq!(children[0]["cn_code"], "6109 10 00");
    assert_eq!(children[0]["level"], "cn-line");
    assert_eq!(children[0]["supplementary_unit"], "PST");
    // US output is unchanged by the new option's existence.
    let us = json(&["show", "6109.10", "--json"]);
    assert!(us.get("schedule").is_none());
    assert_eq!(us["children"][0]["code"], "6109.10.00");
}

#[test]
fn the_eu_view_keeps_the_controlled_goods_flags() {
    for code in ["9301.10", "93011000", "93"] {
        let v = json(&["show", code, "--schedule", "eu", "--json"]);
        let mut all = v["flags"].as_array().cloned().unwrap_or_default();
        all.extend(v["flags_within"].as_array().cloned().unwrap_or_default());
        assert!(all.iter().any(|f| f["category"] == "arms"), "{code}: {v}");
        assert!(!v["flags_disclaimer"].as_str().unwrap_or("").is_empty());
        let (status, out, _) = run(&["show", code, "--schedule", "eu"], None);
        assert_eq!(status, Some(0));
        assert!(out.contains("Flags (advice to check"), "{code}: {out}");
    }
}

#[test]
fn show_a_cn_line_and_bad_cn_codes() {
    let v = json(&["show", "6109.10.00", "--schedule", "eu", "--json"]);
    assert_eq!(v["level"], "cn-line");
    assert_eq!(v["cn_code"], "6109 10 00");
    assert_eq!(v["hs6"], "6109.10");
    let path: Vec<String> = v["path"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| p["label"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        path,
        vec!["Section XI", "61", "6109", "6109.10", "6109 10 00"]
    );

    let (code, _, err) = run(&["show", "6109.10.00.12", "--schedule", "eu"], None);
    assert_eq!(code, Some(2));
    assert!(err.contains("CN lines have 8"), "{err}");

    let (code, _, err) = run(&["show", "0402.99.30", "--schedule", "eu"], None);
    assert_eq!(code, Some(1));
    assert!(err.contains("0402 99 31"), "{err}");
}

#[test]
fn show_heading_eu_groups_cn_lines_by_subheading() {
    let (code, out, _) = run(&["show", "0101", "--schedule", "eu"], None);
    assert_eq!(code, Some(0));
    assert!(out.contains("0101.21"), "{out}");
    assert!(out.contains("0101 21 00"), "{out}");
    // US grouping lines ("Horses") are not HS levels.
    assert!(!out.contains("0101.21.00.10"), "{out}");
}

#[test]
fn search_eu_ranks_as_us_then_presents_cn_lines() {
    let q = "men's cotton t-shirt";
    // Flags go before the text: words after it are read as text.
    let us = json(&["search", "--json", "--top", "5", q]);
    let eu = json(&["search", "--json", "--top", "5", "--schedule", "eu", q]);
    assert_eq!(eu["schedule"], "eu");
    assert!(us.get("schedule").is_none());
    let subs = |v: &Value| -> Vec<String> {
        v["suggestions"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|s| s["hs6"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(subs(&us), subs(&eu), "same ranking of subheadings");
    let first = &eu["suggestions"][0];
    assert_eq!(first["hs6"], "6109.10");
    assert_eq!(first["code"], "6109.10.00");
    assert_eq!(first["level"], "cn-line");
    assert_eq!(first["confidence"], us["suggestions"][0]["confidence"]);
    for s in eu["suggestions"].as_array().cloned().unwrap_or_default() {
        let code = s["code"].as_str().unwrap_or("");
        let hs6 = s["hs6"].as_str().unwrap_or("");
        assert!(code.starts_with(hs6), "{code} under {hs6}");
        assert_eq!(code.len(), 10, "8 digits with dots: {code}");
    }
}

#[test]
fn search_eu_picks_the_cn_line_that_matches() {
    let eu = json(&[
        "search",
        "--json",
        "--schedule",
        "eu",
        "milk powder sweetened in immediate packings not exceeding 2.5 kg",
    ]);
    let first = &eu["suggestions"][0];
    assert_eq!(first["level"], "cn-line");
    let text = first["description"].as_str().unwrap_or("");
    assert!(text.contains("immediate packings"), "{first}");
    // Words that match only the CN line are explained as matching the line.
    let matched = first["matched"].to_string();
    assert!(matched.contains("immediate"), "{matched}");
}

#[test]
fn search_a_code_in_eu() {
    let eu = json(&["search", "--json", "--schedule", "eu", "6109"]);
    let codes: Vec<&str> = eu["suggestions"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s["code"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        codes,
        vec![
            "6109",
            "6109.10",
            "6109.10.00",
            "6109.90",
            "6109.90.20",
            "6109.90.90"
        ]
    );
}

#[test]
fn classify_eu() {
    let input = "description\nmen's cotton t-shirt\nlive goats\n";
    // EU lines.
    let (code, out, _) = run(
        &[
            "classify",
            "--format",
            "csv",
            "--top",
            "1",
            "--schedule",
            "eu",
        ],
        Some(input),
    );
    assert_eq!(code, Some(0));
    assert!(
        out.contains("\n\"men's cotton t-shirt\",6109.10.00,")
            || out.contains("\nmen's cotton t-shirt,6109.10.00,"),
        "{out}"
    );

    // US rates do not exist for EU lines.
    let (code, _, err) = run(
        &["classify", "--schedule", "eu", "--with-rates"],
        Some(input),
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("--with-rates"), "{err}");
}

// ---- --all-schedules: US and EU lines together ----------------------------

/// `hs show ... --all-schedules` with `COLUMNS` as given (None: unset, so
/// the output, a pipe, is laid out one schedule after the other).
fn all_schedules(args: &[&str], columns: Option<&str>) -> (Option<i32>, String, String) {
    let mut c = support::hs();
    c.arg("show").args(args).arg("--all-schedules");
    match columns {
        Some(w) => c.env("COLUMNS", w),
        None => c.env_remove("COLUMNS"),
    };
    let out = c.output().unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn all_schedules_lists_us_and_cn_lines_one_after_the_other() {
    let (code, out, err) = all_schedules(&["6109.10"], None);
    assert_eq!(code, Some(0), "{err}");
    let us = out.find("US HTS 2026").unwrap_or_else(|| panic!("{out}"));
    let eu = out
        .find("EU Combined Nomenclature 2026 (8-digit lines)")
        .unwrap_or_else(|| panic!("{out}"));
    assert!(us < eu, "US first:\n{out}");
    let us_line = out.find("6109.10.00.12").unwrap_or_else(|| panic!("{out}"));
    assert!(us < us_line && us_line < eu, "{out}");
    assert!(out[eu..].contains("6109 10 00 Of cotton  (p/st)"), "{out}");
    assert!(
        out[eu..].contains("EU duty rates are not in the reference data"),
        "{out}"
    );
    assert!(!out.contains('│'), "no columns on a pipe:\n{out}");
}

#[test]
fn all_schedules_side_by_side_when_wide() {
    let (code, out, err) = all_schedules(&["6109.10"], Some("160"));
    assert_eq!(code, Some(0), "{err}");
    let titles = out
        .lines()
        .find(|l| l.contains("US HTS 2026"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        titles.contains(" │ EU Combined Nomenclature 2026"),
        "titles side by side:\n{out}"
    );
    let first = out
        .lines()
        .find(|l| l.contains("6109.10.00 "))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        first.contains("[16.5%]") && first.contains("│   6109 10 00 Of cotton"),
        "{out}"
    );
    assert!(out.contains("6109.10.00.12"), "{out}");
    for l in out.lines() {
        assert!(l.chars().count() <= 160, "too wide: {l}");
    }
    // Too narrow for two columns: one after the other.
    let (_, narrow, _) = all_schedules(&["6109.10"], Some("100"));
    assert!(!narrow.contains('│'), "{narrow}");
    assert!(narrow.contains("6109 10 00"), "{narrow}");
}

#[test]
fn all_schedules_json_has_both_schedules() {
    let (code, out, err) = all_schedules(&["6109.10", "--json"], None);
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(v["code"], "6109.10");
    assert!(v["flags_disclaimer"].is_string());
    let sub = &v["subheadings"][0];
    assert_eq!(sub["hs6"], "6109.10");
    let ids: Vec<&str> = sub["schedules"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["schedule"].as_str())
        .collect();
    assert_eq!(ids, ["us-hts", "eu-cn"]);
    let us = &sub["schedules"][0];
    assert_eq!(us["digits"], 10);
    let stat = us["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|l| l["code"] == "6109.10.00.12")
        .unwrap_or_else(|| panic!("{us}"));
    for k in ["level", "depth", "text", "general", "units"] {
        assert!(stat.get(k).is_some(), "US line keeps {k}: {stat}");
    }
    assert_eq!(stat["level"], "statistical-line");
    let eu = &sub["schedules"][1];
    assert_eq!(eu["digits"], 8);
    assert_eq!(eu["name"], "EU Combined Nomenclature 2026");
    assert!(eu["duty_note"].as_str().unwrap_or("").contains("TARIC"));
    let line = &eu["lines"][0];
    assert_eq!(line["code"], "6109.10.00");
    assert_eq!(line["label"], "6109 10 00");
    assert_eq!(line["level"], "cn-line");
    assert_eq!(line["text"], "Of cotton");
    assert_eq!(line["supplementary_unit"], "PST");
    assert_eq!(line["units"][0], "p/st");
}

#[test]
fn all_schedules_on_a_heading_shows_each_subheading_in_both() {
    let (code, out, err) = all_schedules(&["6109", "--json"], None);
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let subs = v["subheadings"].as_array().cloned().unwrap_or_default();
    let hs6: Vec<&str> = subs.iter().filter_map(|s| s["hs6"].as_str()).collect();
    assert_eq!(hs6, ["6109.10", "6109.90"]);
    let cn90: Vec<&str> = subs[1]["schedules"][1]["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["label"].as_str())
        .collect();
    assert_eq!(subs[1]["schedules"][1]["schedule"], "eu-cn");
    assert_eq!(cn90, ["6109 90 20", "6109 90 90"]);
    let (code, text, _) = all_schedules(&["6109"], None);
    assert_eq!(code, Some(0));
    assert_eq!(
        text.matches("EU Combined Nomenclature 2026").count(),
        2,
        "{text}"
    );
}

#[test]
fn all_schedules_marks_the_asked_line_in_its_schedule() {
    // A US line: marked among the US lines only.
    let (_, out, _) = all_schedules(&["6109.10.00"], None);
    assert!(out.contains("> 6109.10.00 "), "{out}");
    assert!(!out.contains("> 6109 10 00"), "{out}");
    // --schedule eu reads 8 digits as the CN line.
    let (_, out, _) = all_schedules(&["6109.10.00", "--schedule", "eu"], None);
    assert!(out.contains("> 6109 10 00"), "{out}");
    assert!(!out.contains("> 6109.10.00 "), "{out}");
    // A CN line the US schedule does not have.
    let (code, out, err) = all_schedules(&["0402.99.31"], None);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("> 0402 99 31"), "{out}");
    assert!(out.contains("0402.99.90.00"), "US lines too:\n{out}");
}

#[test]
fn all_schedules_bad_input() {
    for (args, exit) in [
        (&["93"][..], 2),
        (&["XI"][..], 2),
        (&["6109.1"][..], 2),
        (&["6109.10", "--notes"][..], 2),
        (&["9999.99.99"][..], 1),
        (&["0402.99.32"][..], 1),
    ] {
        let (code, _, err) = all_schedules(args, None);
        assert_eq!(code, Some(exit), "{args:?}: {err}");
        assert!(
            err.starts_with("hs: ") || err.contains("error"),
            "{args:?}: {err}"
        );
    }
}
