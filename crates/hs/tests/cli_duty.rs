//! `hs duty`: the acceptance examples of issue 5, duties worked by hand for
//! each rate form on real lines of the US schedule, and bad input. Program
//! statuses are judged on a fixed day (`--date`) so the answers do not move
//! with the clock.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they set up

use assert_cmd::Command;
use serde_json::Value;

const DAY: &str = "2026-11-29";

fn hs() -> Command {
    let mut c = Command::cargo_bin("hs").unwrap_or_else(|e| panic!("{e}"));
    c.arg("--quiet");
    c
}

/// Runs `hs duty ARGS --json --date DAY`, expects `code`, returns the JSON.
fn duty_json(args: &[&str], code: i32) -> Value {
    let out = hs()
        .arg("duty")
        .args(args)
        .args(["--json", "--date", DAY])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(code),
        "hs duty {args:?}: stderr {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "hs duty {args:?}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn duty(v: &Value) -> Option<f64> {
    v.get("duty").and_then(Value::as_f64)
}

/// Runs `hs duty ARGS` and returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = hs()
        .arg("duty")
        .args(args)
        .args(["--date", DAY])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

// ---- acceptance (issue 5, "Done when") -----------------------------------

#[test]
fn cotton_tees_from_china_pay_the_general_rate() {
    let v = duty_json(&["6109.10.00.12", "--origin", "CN", "--value", "1000"], 0);
    assert_eq!(duty(&v), Some(165.0));
    assert_eq!(v["basis"], "general");
    assert_eq!(v["rate"], "16.5%");
    assert_eq!(v["code"], "6109.10.00.12");
    assert_eq!(v["origin"], "CN");
    assert_eq!(v["program"], Value::Null);
    // The 10-digit line takes its 8-digit line's rates (the CSV export);
    // the JSON export (Revision 12) prints them on the 10-digit line too.
    assert!(
        v["rates_from"] == "6109.10.00" || v["rates_from"] == "6109.10.00.12",
        "{}",
        v["rates_from"]
    );
    assert_eq!(v["steps"][0], "16.5% x $1,000.00 = $165.00");
}

#[test]
fn cotton_tees_from_mexico_are_free_under_usmca() {
    let v = duty_json(&["6109.10.00.12", "--origin", "MX", "--value", "1000"], 0);
    assert_eq!(duty(&v), Some(0.0));
    assert_eq!(v["basis"], "special");
    assert_eq!(v["program"], "S");
    assert_eq!(v["rate"], "Free");
    let caveats = v["caveats"].to_string();
    assert!(caveats.contains("rules of origin"), "{caveats}");
}

#[test]
fn cotton_tees_from_cuba_pay_column_2() {
    let v = duty_json(&["6109.10.00.12", "--origin", "CU", "--value", "1000"], 0);
    assert_eq!(duty(&v), Some(900.0));
    assert_eq!(v["basis"], "column2");
    assert_eq!(v["rate"], "90%");
    assert!(v["basis_reason"].to_string().contains("General Note 3(b)"));
}

#[test]
fn milk_compound_rate() {
    let v = duty_json(
        &[
            "0402.99.90.00",
            "--origin",
            "CN",
            "--value",
            "1000",
            "--quantity",
            "100",
        ],
        0,
    );
    // 100 kg x 46.3¢ = $46.30; 14.9% x $1,000 = $149.00
    assert_eq!(duty(&v), Some(195.30));
    assert_eq!(v["rate"], "46.3¢/kg + 14.9%");
    assert_eq!(v["quantity"]["unit"], "kg");
    let steps: Vec<&str> = v["steps"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert_eq!(
        steps,
        vec![
            "46.3¢/kg x 100 kg = $46.30",
            "14.9% x $1,000.00 = $149.00",
            "Total: $46.30 + $149.00 = $195.30",
        ]
    );
}

#[test]
fn text_output_shows_the_arithmetic_and_what_is_left_out() {
    let (code, out, _) = run(&[
        "0402.99.90.00",
        "--origin",
        "CN",
        "--value",
        "1000",
        "--quantity",
        "100",
    ]);
    assert_eq!(code, Some(0));
    for needle in [
        "$195.30",
        "46.3¢/kg x 100 kg = $46.30",
        "Chapter 99",
        "Anti-dumping and countervailing",
        "MPF",
        "HMF",
        "rules of origin",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
}

#[test]
fn json_always_lists_what_is_left_out() {
    for origin in ["CN", "MX", "CU"] {
        let v = duty_json(&["6109.10.00.12", "--origin", origin, "--value", "1000"], 0);
        let caveats = v["caveats"].to_string();
        for needle in [
            "Chapter 99",
            "Anti-dumping",
            "MPF",
            "HMF",
            "rules of origin",
        ] {
            assert!(
                caveats.contains(needle),
                "{origin}: {needle} missing: {caveats}"
            );
        }
    }
}

// ---- each rate form, worked by hand --------------------------------------

#[test]
fn specific_per_kg() {
    // 0201.20.06.00: 4.4¢/kg; 500 kg x $0.044 = $22.00
    let v = duty_json(&["0201.20.06.00", "--origin", "CN", "--quantity", "500"], 0);
    assert_eq!(duty(&v), Some(22.0));
    assert_eq!(v["basis"], "general");
    // Russia: Column 2 13.2¢/kg; 500 x $0.132 = $66.00
    let v = duty_json(&["0201.20.06.00", "--origin", "RU", "--quantity", "500"], 0);
    assert_eq!(duty(&v), Some(66.0));
    assert_eq!(v["basis"], "column2");
}

#[test]
fn specific_per_kg_in_the_lines_second_unit() {
    // 0102.90.00.00 reports No. and kg; the rate is 1¢/kg.
    let v = duty_json(
        &[
            "0102.90.00.00",
            "--origin",
            "CN",
            "--quantity",
            "500",
            "--unit",
            "kg",
        ],
        0,
    );
    assert_eq!(duty(&v), Some(5.0));
    // Head count does not convert to kilograms: the user must say kg.
    let (code, _, err) = run(&["0102.90.00.00", "--origin", "CN", "--quantity", "3"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("Give the quantity in kg"), "{err}");
}

#[test]
fn specific_per_head() {
    // 0104.20.00.00 goats: 68¢/head; 10 head = $6.80
    let v = duty_json(&["0104.20.00.00", "--origin", "CN", "--quantity", "10"], 0);
    assert_eq!(duty(&v), Some(6.8));
    assert_eq!(v["steps"][0], "68¢/head x 10 head = $6.80");
    // North Korea: Column 2 $3/head = $30.00
    let v = duty_json(&["0104.20.00.00", "--origin", "KP", "--quantity", "10"], 0);
    assert_eq!(duty(&v), Some(30.0));
    assert_eq!(v["basis"], "column2");
}

#[test]
fn specific_per_dozen() {
    // 0407.11.00.00 eggs: 2.8¢/doz.; 250 doz. = $7.00
    let v = duty_json(&["0407.11.00.00", "--origin", "CN", "--quantity", "250"], 0);
    assert_eq!(duty(&v), Some(7.0));
    assert_eq!(v["steps"][0], "2.8¢/doz. x 250 doz. = $7.00");
}

#[test]
fn specific_per_liter() {
    // 0401.10.00.00 milk: 0.34¢/liter; 1,000 liters = $3.40
    let v = duty_json(
        &["0401.10.00.00", "--origin", "CN", "--quantity", "1000"],
        0,
    );
    assert_eq!(duty(&v), Some(3.4));
}

#[test]
fn compound_with_dollars() {
    // 0402.29.50.00: $1.104/kg + 14.9%; 50 kg = $55.20, 14.9% x $2,000 = $298.00
    let v = duty_json(
        &[
            "0402.29.50.00",
            "--origin",
            "CN",
            "--value",
            "2000",
            "--quantity",
            "50",
        ],
        0,
    );
    assert_eq!(duty(&v), Some(353.2));
    assert_eq!(v["rate_kind"], "compound");
}

#[test]
fn free_by_program() {
    for (origin, program) in [("AU", "AU"), ("KR", "KR"), ("CA", "S"), ("CL", "CL")] {
        let v = duty_json(&["6109.10.00.12", "--origin", origin, "--value", "1000"], 0);
        assert_eq!(duty(&v), Some(0.0), "{origin}");
        assert_eq!(v["basis"], "special", "{origin}");
        assert_eq!(v["program"], program, "{origin}");
        assert!(v["program_name"].is_string());
    }
}

#[test]
fn reduced_rate_by_program() {
    // 0603.12.70.00: General 6.4%, Japan 3.2%; 3.2% x $1,000 = $32.00
    let v = duty_json(&["0603.12.70.00", "--origin", "JP", "--value", "1000"], 0);
    assert_eq!(duty(&v), Some(32.0));
    assert_eq!(v["program"], "JP");
}

#[test]
fn lapsed_programs_are_not_granted() {
    // AGOA (D) is listed for goats, but has lapsed: Kenya pays the General rate.
    let v = duty_json(&["0104.20.00.00", "--origin", "KE", "--quantity", "10"], 0);
    assert_eq!(v["basis"], "general");
    assert_eq!(duty(&v), Some(6.8));
    let why = v["basis_reason"].as_str().unwrap_or_default();
    assert!(why.contains("D (") && why.contains("not in force"), "{why}");
    // GSP (A+) for Cambodia: lapsed in 2020.
    let v = duty_json(&["0201.20.06.00", "--origin", "KH", "--quantity", "100"], 0);
    assert_eq!(v["basis"], "general");
    assert_eq!(duty(&v), Some(4.4));
}

// ---- answers without a duty ----------------------------------------------

#[test]
fn a_rate_look_up_needs_no_value() {
    let v = duty_json(&["6109.10.00.12", "--origin", "CN"], 0);
    assert!(v.get("duty").is_none(), "{v}");
    assert_eq!(v["rate"], "16.5%");
    assert!(
        v["reason"]
            .as_str()
            .is_some_and(|r| r.contains("customs value"))
    );
}

#[test]
fn a_rate_that_refers_elsewhere_is_not_computed() {
    let v = duty_json(&["2106.90.52.00", "--origin", "CN", "--value", "100"], 1);
    assert!(v.get("duty").is_none());
    assert_eq!(v["rate_kind"], "reference");
    assert!(
        v["reason"]
            .as_str()
            .is_some_and(|r| r.contains("natural juice"))
    );
}

// ---- bad input -----------------------------------------------------------

#[test]
fn a_specific_rate_without_a_quantity_is_an_input_error() {
    let (code, out, err) = run(&["0402.99.90.00", "--origin", "CN", "--value", "1000"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--quantity"), "{err}");
    assert!(err.contains("46.3¢/kg needs a quantity in kg"), "{err}");
    assert!(out.contains("not computed"), "{out}");
    let v = duty_json(&["0402.99.90.00", "--origin", "CN", "--value", "1000"], 2);
    assert!(v.get("duty").is_none());
    assert_eq!(v["needs"][0], "quantity");
}

#[test]
fn an_ad_valorem_rate_without_a_value_is_an_input_error() {
    let (code, _, err) = run(&["6109.10.00.12", "--origin", "CN", "--quantity", "10"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--value"), "{err}");
}

#[test]
fn headings_and_subheadings_are_not_tariff_lines() {
    for code in ["6109", "6109.10", "61"] {
        let (exit, out, err) = run(&[code, "--origin", "CN", "--value", "1000"]);
        assert_eq!(exit, Some(2), "{code}");
        assert!(out.is_empty());
        assert!(err.contains("not a tariff line"), "{code}: {err}");
        assert!(err.contains("hs show"), "{err}");
    }
}

#[test]
fn unknown_country_codes_are_refused() {
    for origin in ["XX", "China", "EU", ""] {
        let (exit, out, err) = run(&["6109.10.00.12", "--origin", origin, "--value", "1000"]);
        assert_eq!(exit, Some(2), "{origin:?}");
        assert!(out.is_empty());
        assert!(err.contains("unknown country code"), "{err}");
        assert!(err.contains("ISO 3166-1"), "{err}");
    }
    // Lower case is fine.
    let v = duty_json(&["6109.10.00.12", "--origin", "mx", "--value", "1000"], 0);
    assert_eq!(v["origin"], "MX");
}

#[test]
fn other_bad_input() {
    let cases: &[(&[&str], &str)] = &[
        (&["61a9.10.00", "--origin", "CN"], "not a digit"),
        (
            &["6109.10.00.99", "--origin", "CN"],
            "not a line of the US schedule",
        ),
        (
            &["6109.10.00.12", "--origin", "CN", "--value", "-5"],
            "invalid customs value",
        ),
        (
            &["6109.10.00.12", "--origin", "CN", "--value", "NaN"],
            "invalid customs value",
        ),
        (
            &["6109.10.00.12", "--origin", "CN", "--value", "lots"],
            "invalid value",
        ),
        (
            &["0402.99.90.00", "--origin", "CN", "--quantity", "-1"],
            "invalid quantity",
        ),
        (
            &[
                "0402.99.90.00",
                "--origin",
                "CN",
                "--quantity",
                "1",
                "--unit",
                "lb",
            ],
            "not a unit of quantity",
        ),
        (&["6109.10.00.12"], "--origin"),
    ];
    for (args, needle) in cases {
        let (exit, _, err) = run(args);
        assert_eq!(exit, Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    let out = hs()
        .args([
            "duty",
            "6109.10.00.12",
            "--origin",
            "CN",
            "--date",
            "2026-02-30",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid date"));
}

// ---- dates and decimal money (issue 12, items 9 and 10) -------------------

/// Runs `hs duty ARGS --json --date DATE`, expects `code`, returns the JSON.
fn duty_on(date: &str, args: &[&str], code: i32) -> Value {
    let out = hs()
        .arg("duty")
        .args(args)
        .args(["--json", "--date", date])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(code),
        "hs duty {args:?} on {date}: stderr {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn programs_apply_on_the_date_asked() {
    let args = ["4202.11.00", "--origin", "NP", "--value", "1000"];
    // The Nepal program ran through 2025-12-31: in force on 2025-06-01.
    let v = duty_on("2025-06-01", &args, 0);
    assert_eq!(v["date"], "2025-06-01");
    assert_eq!(v["basis"], "special");
    assert_eq!(v["program"], "NP");
    assert_eq!(duty(&v), Some(0.0));
    // After it ended the General rate (8%) applies, and the JSON says why.
    let v = duty_on("2026-01-02", &args, 0);
    assert_eq!(v["date"], "2026-01-02");
    assert_eq!(v["basis"], "general");
    assert_eq!(duty(&v), Some(80.0));
    let why = v["basis_reason"].as_str().unwrap_or_default();
    assert!(why.contains("ended 2025-12-31"), "{why}");
    // Before the Nepal program began (2016-12-30) it is not granted; GSP
    // (in force until 2020-12-31) was.
    let v = duty_on("2016-06-01", &args, 0);
    assert_eq!(v["basis"], "special");
    assert_eq!(v["program"], "A");
    let why = v["basis_reason"].as_str().unwrap_or_default();
    assert!(why.contains("not in force before 2016-12-30"), "{why}");
}

#[test]
fn column_2_for_russia_begins_on_2022_04_08() {
    let args = ["6109.10.00.12", "--origin", "RU", "--value", "1000"];
    let before = duty_on("2022-04-07", &args, 0);
    assert_eq!(before["basis"], "general");
    assert_eq!(duty(&before), Some(165.0));
    let notes = before["notes"].to_string();
    assert!(notes.contains("only from 2022-04-08"), "{notes}");
    let after = duty_on("2022-04-08", &args, 0);
    assert_eq!(after["basis"], "column2");
    assert_eq!(duty(&after), Some(900.0));
}

#[test]
fn the_date_used_is_today_by_default() {
    let out = hs()
        .args(["duty", "6109.10.00.12", "--origin", "CN", "--json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let date = v["date"].as_str().unwrap_or_default();
    assert_eq!(date.len(), 10, "{v}");
    assert!(date.as_bytes()[4] == b'-' && date > "2026-01-01", "{date}");
}

#[test]
fn money_is_decimal_and_an_unrepresentable_value_is_refused() {
    // 0.1 and 0.2 cents of duty: decimal arithmetic, rounded to cents, a number.
    let v = duty_json(&["6109.10.00.12", "--origin", "CN", "--value", "0.3"], 0);
    assert_eq!(duty(&v), Some(0.05));
    assert!(v["duty"].is_number());
    let v = duty_json(
        &["6109.10.00.12", "--origin", "CN", "--value", "1234.57"],
        0,
    );
    assert_eq!(duty(&v), Some(203.7));
    for big in ["1e308", "1e16", "inf"] {
        let (exit, out, err) = run(&["6109.10.00.12", "--origin", "CN", "--value", big]);
        assert_eq!(exit, Some(2), "{big}: {out}{err}");
        assert!(
            err.contains("invalid customs value") && (err.contains("10^15") || big == "inf"),
            "{big}: {err}"
        );
        assert!(!out.contains("inf"), "{big}: {out}");
    }
    // The largest accepted value still computes exactly.
    let v = duty_json(&["6109.10.00.12", "--origin", "CN", "--value", "1e15"], 0);
    assert_eq!(duty(&v), Some(165_000_000_000_000.0));
}

// ---- chapter 99 measures and fees (issue 15, "Done when") -----------------

fn codes(v: &Value) -> Vec<String> {
    v["additional"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|m| m["code"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn fee(v: &Value, name: &str) -> Option<f64> {
    v["fees"]
        .as_array()?
        .iter()
        .find(|f| f["name"] == name)
        .and_then(|f| f["amount"].as_f64())
}

#[test]
fn tees_from_china_pay_list_4a_and_the_mpf() {
    let v = duty_on(
        "2026-12-01",
        &["6109.10.00.12", "--origin", "CN", "--value", "1000"],
        0,
    );
    assert_eq!(duty(&v), Some(165.0));
    assert_eq!(v["additional_duty"].as_f64(), Some(75.0));
    assert_eq!(codes(&v), ["9903.88.15"]);
    assert_eq!(v["additional"][0]["authority"], "Section 301");
    assert_eq!(v["additional"][0]["amount"].as_f64(), Some(75.0));
    assert!(
        v["additional"][0]["source"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    // $1,000 is an informal entry: the flat MPF.
    let mpf = fee(&v, "MPF").unwrap_or_else(|| panic!("no MPF: {v}"));
    assert!(mpf > 0.0);
    assert_eq!(v["total"].as_f64(), Some(165.0 + 75.0 + mpf));
    assert_eq!(v["date"], "2026-12-01");
    assert!(
        v["schedule"]
            .as_str()
            .is_some_and(|s| s.starts_with("US HTS 2026"))
    );
    // IEEPA ended: said why, never charged.
    let notes = v["measure_notes"].to_string();
    assert!(
        notes.contains("9903.01.24") && notes.contains("ended on 2026-02-24"),
        "{notes}"
    );
    // After the newest data: a warning.
    assert!(
        v["warnings"]
            .to_string()
            .contains("later changes are not known")
    );
}

#[test]
fn a_part_for_either_kind_of_vehicle_owes_one_parts_duty() {
    // 8708.10.30 (bumpers) is listed both as a passenger-vehicle part
    // (9903.94.05, note 33(g)) and as a medium- and heavy-duty vehicle part
    // (9903.74.08, note 38(i)): one applies, by the vehicle, never both.
    let v = duty_on(
        "2026-07-01",
        &["8708.10.30", "--origin", "IN", "--value", "1000"],
        0,
    );
    let c = codes(&v);
    assert!(c.contains(&"9903.94.05".to_string()), "{c:?}");
    assert!(!c.contains(&"9903.74.08".to_string()), "{c:?}");
    assert_eq!(v["may_apply"], serde_json::json!(["9903.74.08"]));
    assert!(
        v["measure_notes"]
            .to_string()
            .contains("may apply instead of 9903.94.05: see 9903.74.08"),
        "{}",
        v["measure_notes"]
    );
}

#[test]
fn cars_and_parts_of_the_eu_japan_and_korea_take_their_15_percent_headings() {
    // U.S. note 33(k)-(o), (s), (t): 15% in place of a lower line rate, in
    // place of 9903.94.01 / .05 (25% on top), and no metals duty for parts.
    for (origin, part_heading) in [("DE", "9903.94.53"), ("JP", "9903.94.43")] {
        let v = duty_on(
            "2026-07-01",
            &["8708.10.30", "--origin", origin, "--value", "1000"],
            0,
        );
        let c = codes(&v);
        assert!(c.contains(&part_heading.to_string()), "{origin}: {c:?}");
        assert!(!c.contains(&"9903.94.05".to_string()), "{origin}: {c:?}");
        assert!(
            !c.iter()
                .any(|c| c.starts_with("9903.82.0") || c.starts_with("9903.82.1")),
            "{origin}: {c:?}"
        );
    }
    // A car of Germany at 2.5%: 12.5% more makes 15%, not 25% more.
    let v = duty_on(
        "2026-07-01",
        &["8703.23.01", "--origin", "DE", "--value", "10000"],
        0,
    );
    assert_eq!(codes(&v), ["9903.94.51"], "{v}");
    assert_eq!(v["additional_duty"].as_f64(), Some(1250.0), "{v}");
    // Before the heading's day, the 25% of 9903.94.01.
    let v = duty_on(
        "2025-06-01",
        &["8703.23.01", "--origin", "DE", "--value", "10000"],
        0,
    );
    assert!(codes(&v).contains(&"9903.94.01".to_string()), "{v}");
}

#[test]
fn a_computer_is_not_charged_the_auto_parts_duty_it_may_owe_by_use() {
    // Note 33(g) lists all of heading 8471; (h)(ii): goods of it that are
    // not parts of passenger vehicles or light trucks take 9903.94.06, no
    // duty. Whether a laptop is a car part the code does not say.
    let v = duty_on(
        "2026-07-01",
        &["8471.30.01.00", "--origin", "IN", "--value", "1000"],
        0,
    );
    assert!(!codes(&v).contains(&"9903.94.05".to_string()), "{v}");
    assert_eq!(v["may_apply"], serde_json::json!(["9903.94.05"]));
    assert!(
        v["measure_notes"]
            .to_string()
            .contains("outside chapter 87"),
        "{}",
        v["measure_notes"]
    );
}

#[test]
fn wood_products_take_section_232_wood_and_no_section_122() {
    // U.S. note 37; note 2(aa)(v)(4): no Section 122 on them.
    for (line, origin, heading, amount) in [
        ("9401.61.40.11", "VN", "9903.76.02", 2500.0),
        ("9401.61.40.11", "DE", "9903.76.22", 1500.0),
        ("9401.61.40.11", "GB", "9903.76.20", 1000.0),
        ("4407.11.00", "SE", "9903.76.01", 1000.0),
    ] {
        let v = duty_on(
            "2026-07-01",
            &[line, "--origin", origin, "--value", "10000"],
            0,
        );
        assert_eq!(codes(&v), [heading], "{line} {origin}: {v}");
        assert_eq!(
            v["additional_duty"].as_f64(),
            Some(amount),
            "{line} {origin}"
        );
    }
    // Cabinets of China: Section 301 and the wood duty, added.
    let v = duty_on(
        "2026-07-01",
        &["9403.40.90.60", "--origin", "CN", "--value", "10000"],
        0,
    );
    assert_eq!(v["additional_duty"].as_f64(), Some(5000.0), "{v}");
}

#[test]
fn parts_and_semiconductor_duties_displace_the_metals_duty() {
    // Auto parts owe no metals duty (U.S. note 33); semiconductors owe
    // neither a metals nor a parts duty (note 39).
    let v = duty_on(
        "2026-07-01",
        &["8708.10.30", "--origin", "IN", "--value", "1000"],
        0,
    );
    let c = codes(&v);
    assert!(c.contains(&"9903.94.05".to_string()), "{c:?}");
    assert!(!c.iter().any(|c| c.starts_with("9903.82")), "{c:?}");
    assert!(
        v["measure_notes"].to_string().contains("sets them apart"),
        "{}",
        v["measure_notes"]
    );
    let v = duty_on(
        "2026-05-01",
        &["8471.80.10.00", "--origin", "DE", "--value", "1000"],
        0,
    );
    assert_eq!(codes(&v), ["9903.79.01"]);
    assert_eq!(v["additional_duty"].as_f64(), Some(250.0));
}

#[test]
fn the_mask_increase_takes_only_its_five_statistical_lines() {
    // Note 31(h): 9903.91.07 names five lines of 6307.90.98, not all of it.
    let on = |line: &str| {
        codes(&duty_on(
            "2026-08-01",
            &[line, "--origin", "CN", "--value", "1000"],
            0,
        ))
    };
    assert_eq!(on("6307.90.98.42"), ["9903.91.07"]);
    assert_eq!(on("6307.90.98.91"), ["9903.88.15"]);
}

#[test]
fn section_122_spares_whole_subheadings_of_annex_ii() {
    // Annex II lists 8528.72 as a whole subheading: its lines owe no 122.
    let v = duty_on(
        "2026-05-01",
        &["8528.72.12.00", "--origin", "JP", "--value", "1000"],
        0,
    );
    assert!(!codes(&v).contains(&"9903.03.01".to_string()), "{v}");
    assert!(
        v["measure_notes"].to_string().contains("Annex II"),
        "{}",
        v["measure_notes"]
    );
}

#[test]
fn section_122_adds_ten_percent_in_its_window() {
    let v = duty_on(
        "2026-03-15",
        &["6109.10.00.12", "--origin", "CN", "--value", "1000"],
        0,
    );
    assert_eq!(v["additional_duty"].as_f64(), Some(175.0));
    assert_eq!(codes(&v), ["9903.88.15", "9903.03.01"]);
    // The 301 exclusions run to 2026-11-09: may be excluded, not guessed.
    let notes = v["measure_notes"].to_string();
    assert!(notes.contains("may be excluded: see 9903.88.69"), "{notes}");
    // After the window: 301 only.
    let v = duty_on(
        "2026-07-24",
        &["6109.10.00.12", "--origin", "CN", "--value", "1000"],
        0,
    );
    assert_eq!(codes(&v), ["9903.88.15"]);
}

#[test]
fn tees_from_vietnam_pay_no_additional_duty() {
    let v = duty_on(
        "2026-12-01",
        &["6109.10.00.12", "--origin", "VN", "--value", "1000"],
        0,
    );
    assert_eq!(v["additional_duty"].as_f64(), Some(0.0));
    assert_eq!(codes(&v), Vec::<String>::new());
}

#[test]
fn sea_freight_pays_mpf_and_hmf() {
    let v = duty_on(
        "2026-06-01",
        &[
            "6109.10.00.12",
            "--origin",
            "CN",
            "--value",
            "100000",
            "--transport",
            "sea",
        ],
        0,
    );
    assert_eq!(fee(&v, "MPF"), Some(346.40));
    assert_eq!(fee(&v, "HMF"), Some(125.0));
    // Not by sea: no HMF. --no-fees: none at all.
    let v = duty_on(
        "2026-06-01",
        &["6109.10.00.12", "--origin", "CN", "--value", "100000"],
        0,
    );
    assert_eq!(fee(&v, "HMF"), None);
    let v = duty_on(
        "2026-06-01",
        &[
            "6109.10.00.12",
            "--origin",
            "CN",
            "--value",
            "100000",
            "--no-fees",
        ],
        0,
    );
    assert_eq!(v["fees"], serde_json::json!([]));
    // The MPF maximum and minimum of fiscal year 2026.
    let v = duty_on(
        "2026-06-01",
        &["6109.10.00.12", "--origin", "CN", "--value", "1000000"],
        0,
    );
    assert_eq!(fee(&v, "MPF"), Some(651.50));
    let v = duty_on(
        "2026-06-01",
        &["6109.10.00.12", "--origin", "CN", "--value", "3000"],
        0,
    );
    assert_eq!(fee(&v, "MPF"), Some(33.58));
    // USMCA goods are exempt from the MPF.
    let v = duty_on(
        "2026-06-01",
        &["6109.10.00.12", "--origin", "MX", "--value", "100000"],
        0,
    );
    assert_eq!(fee(&v, "MPF"), None);
    assert!(v["fee_notes"].to_string().contains("exempt"));
}

#[test]
fn aluminum_from_germany_pays_section_232_and_no_section_122() {
    let v = duty_on(
        "2026-07-01",
        &["7616.99.51.60", "--origin", "DE", "--value", "1000"],
        0,
    );
    assert_eq!(codes(&v), ["9903.82.02"]);
    assert_eq!(v["additional_duty"].as_f64(), Some(500.0));
    let notes = v["measure_notes"].to_string();
    assert!(
        notes.contains("9903.03.01") && notes.contains("Section 232"),
        "{notes}"
    );
    // At most one 9903.82 heading: the UK takes 9903.82.04, Russia 200%.
    let gb = duty_on(
        "2026-07-01",
        &["7616.99.51.60", "--origin", "GB", "--value", "1000"],
        0,
    );
    assert_eq!(codes(&gb), ["9903.82.04"]);
    assert_eq!(gb["additional_duty"].as_f64(), Some(250.0));
    let ru = duty_on(
        "2026-07-01",
        &["7616.99.51.60", "--origin", "RU", "--value", "1000"],
        0,
    );
    assert_eq!(codes(&ru), ["9903.85.67"]);
}

#[test]
fn plain_output_names_each_measure_with_its_source() {
    let out = hs()
        .args([
            "duty",
            "6109.10.00.12",
            "--origin",
            "CN",
            "--value",
            "1000",
            "--date",
            "2026-03-15",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "9903.88.15",
        "9903.03.01",
        "source: Heading 9903.88.15",
        "Additional duty $175.00",
        "MPF",
        "Total",
        "De minimis",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
}

// ---- hs measures ------------------------------------------------------------

#[test]
fn measures_in_force_and_the_lines_of_one() {
    let out = hs()
        .args([
            "measures",
            "--date",
            "2026-03-15",
            "--origin",
            "CN",
            "--json",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let list = v["measures"].to_string();
    assert!(
        list.contains("9903.88.15") && list.contains("9903.03.01"),
        "{list}"
    );
    assert!(!list.contains("9903.01.24"), "IEEPA ended: {list}");
    let out = hs()
        .args([
            "measures",
            "--date",
            "2026-08-01",
            "--origin",
            "CN",
            "--json",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert!(!v["measures"].to_string().contains("9903.03.01"));
    // The lines of List 4A, as HTS codes, the tees among them.
    let out = hs()
        .args(["measures", "9903.88.15", "--lines"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().any(|l| l == "6109.10.00"), "{text}");
    assert!(text.lines().count() > 2000);
    // No such measure: exit 1; a bad date: exit 2.
    let out = hs()
        .args(["measures", "9903.99.99"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(1));
    let out = hs()
        .args(["measures", "--date", "2026-13-01"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    // A malformed or empty heading: exit 2, not "nothing found".
    for bad in ["61a9", ""] {
        let out = hs()
            .args(["measures", bad])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
    // A measure on all goods lists no line and says so: exit 0.
    let out = hs()
        .args(["measures", "9903.03.01", "--lines", "--json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["all_goods"], true, "{v}");
}

#[test]
fn measures_lines_with_a_date_leave_out_list_entries_not_yet_in_force() {
    // Most entries of the derivative aluminum list of 9903.85.08 take
    // effect on 2025-08-18 (their own date in the list): `hs duty` does not
    // charge them before, and `--lines --date` must not list them.
    let lines = |date: &str| {
        let out = hs()
            .args(["measures", "9903.85.08", "--lines", "--date", date])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status.code(), Some(0), "{date}");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let (july, december) = (lines("2025-07-01"), lines("2025-12-01"));
    assert!(
        !july.is_empty() && july.len() < december.len(),
        "{} {}",
        july.len(),
        december.len()
    );
    assert!(july.iter().all(|l| december.contains(l)));
}

#[test]
fn measures_lines_with_a_date_are_that_periods() {
    let count = |args: &[&str]| {
        let out = hs()
            .args(["measures", "9903.82.09", "--lines"])
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).lines().count(),
        )
    };
    let (code, all) = count(&[]);
    assert_eq!(code, Some(0));
    let (code, june) = count(&["--date", "2026-07-01"]);
    assert_eq!(code, Some(0));
    let (code, april) = count(&["--date", "2026-05-01"]);
    assert_eq!(code, Some(0));
    assert!(june < all && april < all, "{june} {april} {all}");
    // Before the heading existed: nothing in force, exit 1.
    assert_eq!(count(&["--date", "2025-01-01"]), (Some(1), 0));
}

#[test]
fn a_measure_on_some_goods_of_a_line_may_apply_and_is_not_charged() {
    // 9903.92.10 takes only ship-to-shore gantry cranes within 8426.19.00.
    let v = duty_on(
        "2026-05-01",
        &["8426.19.00.00", "--origin", "CN", "--value", "1000"],
        0,
    );
    assert_eq!(v["may_apply"], serde_json::json!(["9903.92.10"]));
    assert!(!codes(&v).contains(&"9903.92.10".to_string()), "{v}");
    assert!(
        v["measure_notes"]
            .to_string()
            .contains("may apply: see 9903.92.10"),
        "{}",
        v["measure_notes"]
    );
    // Not of China: nothing.
    let v = duty_on(
        "2026-05-01",
        &["8426.19.00.00", "--origin", "DE", "--value", "1000"],
        0,
    );
    assert_eq!(v["may_apply"], serde_json::json!([]));
}
