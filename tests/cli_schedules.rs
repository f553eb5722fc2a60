//! The EU schedule beside the US one: `--schedule eu` on show, search and
//! classify.

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
