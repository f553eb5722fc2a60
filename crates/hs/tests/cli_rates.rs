//! Rates everywhere: `hs show` (text and JSON) with the rate cells parsed
//! and the Special programs spelled out, and `hs classify --with-rates`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they set up

use serde_json::Value;

mod support;

use support::{json, run};

// ---- hs show: parsed rates -----------------------------------------------

#[test]
fn show_spells_out_the_programs() {
    let (code, out, err) = run(&["show", "6109.10.00.12"], None);
    assert_eq!(code, Some(0), "{err}");
    for needle in [
        "General   16.5%  [ad valorem]",
        "Free for:",
        "S    United States-Mexico-Canada Agreement (USMCA)  (in force)",
        "AU   United States-Australia Free Trade Agreement  (in force)",
        "Column 2  90%  [ad valorem]",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
}

#[test]
fn show_marks_lapsed_programs() {
    let (code, out, _) = run(&["show", "0104.20.00.00"], None);
    assert_eq!(code, Some(0));
    assert!(out.contains("68¢/head  [specific]"), "{out}");
    assert!(
        out.contains("A+   Generalized System of Preferences"),
        "{out}"
    );
    assert!(out.contains("not in force (ended 2020-12-31)"), "{out}");
    assert!(
        out.contains("African Growth and Opportunity Act (AGOA)  (not in force"),
        "{out}"
    );
}

#[test]
fn show_json_carries_the_parsed_rates() {
    let v = json(&["show", "6109.10.00.12", "--json"]);
    let duty = &v["duty"];
    // The fields that were there before are unchanged.
    assert_eq!(duty["general"], "16.5%");
    // The CSV export gives the 8-digit line's rates; the JSON export
    // (Revision 12) prints them on the 10-digit line too.
    assert!(
        duty["from"] == "6109.10.00" || duty["from"] == "6109.10.00.12",
        "{}",
        duty["from"]
    );
    let parsed = &duty["parsed"];
    assert_eq!(parsed["general"]["kind"], "ad_valorem");
    assert_eq!(parsed["general"]["terms"][0]["percent"], 16.5);
    assert_eq!(parsed["column2"]["text"], "90%");
    let programs = parsed["special"][0]["programs"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let s = programs
        .iter()
        .find(|p| p["indicator"] == "S")
        .unwrap_or_else(|| panic!("no S in {programs:?}"));
    assert_eq!(s["in_force"], true);
    assert!(s["name"].as_str().is_some_and(|n| n.contains("USMCA")));
}

#[test]
fn show_json_of_a_compound_rate() {
    let v = json(&["show", "0402.99.90.00", "--json"]);
    let g = &v["duty"]["parsed"]["general"];
    assert_eq!(g["kind"], "compound");
    assert_eq!(g["terms"][0]["type"], "specific");
    assert_eq!(g["terms"][0]["usd"], 0.463);
    assert_eq!(g["terms"][0]["unit"], "kg");
    assert_eq!(g["terms"][1]["percent"], 14.9);
}

#[test]
fn classify_with_rates() {
    let input = "description\nmen's cotton t-shirt\nlive goats\n";
    let (code, out, err) = run(
        &["classify", "--format", "csv", "--top", "2", "--with-rates"],
        Some(input),
    );
    assert_eq!(code, Some(0), "{err}");
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default();
    assert_eq!(
        headers,
        vec![
            "description",
            "hs_code_1",
            "hs_description_1",
            "hs_confidence_1",
            "hs_general_rate_1",
            "hs_code_2",
            "hs_description_2",
            "hs_confidence_2",
            "hs_general_rate_2",
            "hs_review",
            "hs_error",
            "hs_flags_1",
            "hs_flags_2",
        ]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().filter_map(Result::ok).collect();
    assert_eq!(rows.len(), 2);
    assert!(
        rows[0].get(1).is_some_and(|c| c.starts_with("6109.10.00")),
        "{:?}",
        rows[0]
    );
    assert_eq!(rows[0].get(4), Some("16.5%"));
    assert!(
        rows[1].get(1).is_some_and(|c| c.starts_with("0104.20")),
        "{:?}",
        rows[1]
    );
    assert_eq!(rows[1].get(4), Some("68¢/head"));

    // Without the flag the columns are as before.
    let (_, out, _) = run(&["classify", "--format", "csv", "--top", "1"], Some(input));
    assert!(
        out.starts_with(
            "description,hs_code_1,hs_description_1,hs_confidence_1,hs_review,hs_error"
        ),
        "{out}"
    );

    // JSON lines carry general_rate on each suggestion.
    let (_, out, _) = run(&["classify", "--top", "1", "--with-rates"], Some(input));
    let first: Value = serde_json::from_str(out.lines().next().unwrap_or("")).unwrap_or_default();
    assert_eq!(first["suggestions"][0]["general_rate"], "16.5%");
}

/// `--with-rates --origin CC --date D`: each suggestion's chapter 99 rate
/// and total rate as `hs duty` computes them; the CSV columns follow
/// `hs_general_rate_N`; a code given as the description keeps the figures
/// fixed. Without `--with-rates`, `--origin` is a usage error.
#[test]
fn classify_with_rates_for_an_origin() {
    let input = "description\n6109.10.00.12\n";
    let args = [
        "classify",
        "--format",
        "csv",
        "--top",
        "1",
        "--with-rates",
        "--origin",
        "CN",
        "--date",
        "2026-03-15",
    ];
    let (code, out, err) = run(&args, Some(input));
    assert_eq!(code, Some(0), "{err}");
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(at("hs_additional_rate_1"), at("hs_general_rate_1") + 1);
    assert_eq!(at("hs_total_rate_1"), at("hs_general_rate_1") + 2);
    let row = rdr.records().next().unwrap().unwrap();
    assert_eq!(&row[at("hs_code_1")], "6109.10.00.12");
    assert_eq!(&row[at("hs_additional_rate_1")], "17.5");
    assert_eq!(&row[at("hs_total_rate_1")], "34");

    // JSON lines: numbers, and null with a note for a specific rate.
    let (code, out, err) = run(
        &[
            "classify",
            "--lines",
            "--top",
            "1",
            "--with-rates",
            "--origin",
            "CN",
            "--date",
            "2026-12-01",
        ],
        Some("6109.10.00.12\n0201.10.05\n"),
    );
    assert_eq!(code, Some(0), "{err}");
    let rows: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let s = &rows[0]["suggestions"][0];
    assert_eq!(s["additional_rate"], 7.5, "{s}");
    assert_eq!(s["total_rate"], 24.0, "{s}");
    assert!(s.get("rate_note").is_none(), "{s}");
    let s = &rows[1]["suggestions"][0];
    assert_eq!(s["code"], "0201.10.05", "{s}");
    assert!(s["total_rate"].is_null(), "{s}");
    assert!(
        s["rate_note"].as_str().unwrap().contains("not ad valorem"),
        "{s}"
    );

    let (code, _, err) = run(&["classify", "--lines", "--origin", "CN"], Some("x\n"));
    assert_eq!(code, Some(2), "{err}");
    let (code, _, err) = run(
        &["classify", "--lines", "--with-rates", "--origin", "XX"],
        Some("x\n"),
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--origin"), "{err}");
}
