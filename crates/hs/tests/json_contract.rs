//! The JSON contracts: `hs show/search/duty --json`, a `lookup` row and a
//! `classify` row on fixed inputs. Every key recorded in
//! `tests/contract/*.json` (written from the output before the typed views
//! replaced the hand-built JSON) must still be there with the same JSON type
//! and, where the value does not move with ranking, the same value. New keys
//! may be added. `HS_CONTRACT_RECORD=1` rewrites the records (only when a
//! contract is deliberately extended: review the diff).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they set up

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{Value, json};

/// A program-status day, so duty answers do not move with the clock.
const DAY: &str = "2026-11-29";

struct Case {
    name: &'static str,
    args: &'static [&'static str],
    stdin: Option<&'static str>,
    exit: i32,
    /// Path prefixes whose values depend on ranking: only the first array
    /// element is kept and only types are compared.
    volatile: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "show_subheading",
        args: &["show", "6109.10", "--json"],
        stdin: None,
        exit: 0,
        volatile: &[],
    },
    Case {
        name: "show_line",
        args: &["show", "6109.10.00.12", "--json"],
        stdin: None,
        exit: 0,
        volatile: &[],
    },
    Case {
        name: "show_line_notes",
        args: &["show", "6109.10.00.12", "--json", "--notes"],
        stdin: None,
        exit: 0,
        volatile: &[],
    },
    Case {
        name: "show_unknown",
        args: &["show", "6109.99", "--json"],
        stdin: None,
        exit: 1,
        volatile: &[],
    },
    Case {
        name: "search",
        args: &["search", "men's cotton t-shirt", "--json"],
        stdin: None,
        exit: 0,
        volatile: &["suggestions"],
    },
    Case {
        name: "duty",
        args: &[
            "duty",
            "6109.10.00.12",
            "--origin",
            "CN",
            "--value",
            "1000",
            "--json",
            "--date",
            DAY,
        ],
        stdin: None,
        exit: 0,
        volatile: &[],
    },
    // Chapter 99 measures (Section 301 and 122), MPF and HMF, a total.
    Case {
        name: "duty_measures",
        args: &[
            "duty",
            "6109.10.00.12",
            "--origin",
            "CN",
            "--value",
            "100000",
            "--transport",
            "sea",
            "--date",
            "2026-03-15",
            "--json",
        ],
        stdin: None,
        exit: 0,
        volatile: &[],
    },
    // A quantity in a named unit, no value: the duty is not computed
    // (`reason`, `needs`), no fees, no total.
    Case {
        name: "duty_needs",
        args: &[
            "duty",
            "6109.10.00.12",
            "--origin",
            "CN",
            "--quantity",
            "10",
            "--unit",
            "kg",
            "--date",
            DAY,
            "--json",
        ],
        stdin: None,
        exit: 2,
        volatile: &[],
    },
    // A Section 232 rate that replaces the line's rate; Section 122 left
    // out for 232 goods.
    Case {
        name: "duty_232",
        args: &[
            "duty",
            "7616.99.51.60",
            "--origin",
            "DE",
            "--value",
            "1000",
            "--date",
            "2026-07-01",
            "--entry",
            "formal",
            "--json",
        ],
        stdin: None,
        exit: 0,
        volatile: &[],
    },
    Case {
        name: "show_eu_subheading",
        args: &["show", "6109.10", "--schedule", "eu", "--json"],
        stdin: None,
        exit: 0,
        volatile: &[],
    },
    Case {
        name: "show_eu_heading",
        args: &["show", "6109", "--schedule", "eu", "--json", "--notes"],
        stdin: None,
        exit: 0,
        volatile: &[],
    },
    Case {
        name: "show_eu_line",
        args: &["show", "61091000", "--schedule", "eu", "--json"],
        stdin: None,
        exit: 0,
        volatile: &[],
    },
    Case {
        name: "show_eu_unknown",
        args: &["show", "61099900", "--schedule", "eu", "--json"],
        stdin: None,
        exit: 1,
        volatile: &[],
    },
    Case {
        name: "show_all_schedules",
        args: &["show", "6109.10", "--all-schedules", "--json"],
        stdin: None,
        exit: 0,
        volatile: &[],
    },
    Case {
        name: "flags_table",
        args: &["flags", "--json"],
        stdin: None,
        exit: 0,
        volatile: &[],
    },
    Case {
        name: "diff_editions",
        args: &["diff-editions", "--json", "--level", "4"],
        stdin: None,
        exit: 0,
        volatile: &[],
    },
    Case {
        name: "measures_on_a_day",
        args: &["measures", "--date", DAY, "--origin", "CN", "--json"],
        stdin: None,
        exit: 0,
        volatile: &[],
    },
    Case {
        name: "measure_lines",
        args: &["measures", "9903.88.15", "--lines", "--date", DAY, "--json"],
        stdin: None,
        exit: 0,
        volatile: &["lines"],
    },
    Case {
        name: "lookup_rows",
        args: &["lookup", "--lines"],
        stdin: Some("6109.10.00.12\n6109.99\nnot a code\n"),
        exit: 1,
        volatile: &["1.nearest"],
    },
    Case {
        name: "classify_row",
        args: &["classify", "--lines", "--with-rates"],
        stdin: Some("men's cotton t-shirt\n"),
        exit: 0,
        volatile: &["0.suggestions"],
    },
];

fn record_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/contract")
}

/// Runs a case; JSON lines output becomes an array of its lines.
fn output(case: &Case) -> Value {
    let mut cmd = common::hs();
    cmd.arg("--quiet").args(case.args);
    if let Some(input) = case.stdin {
        cmd.write_stdin(input);
    }
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(case.exit),
        "{}: {}",
        case.name,
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    if case.stdin.is_some() {
        Value::Array(
            text.lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect(),
        )
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}: {text}", case.name))
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Every path of a JSON value (`a.0.b`) with its type and, for scalars
/// outside the volatile prefixes, its value.
fn flatten(v: &Value, volatile: &[&str]) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    walk(v, String::new(), false, volatile, &mut out);
    out
}

fn walk(
    v: &Value,
    path: String,
    in_volatile: bool,
    volatile: &[&str],
    out: &mut BTreeMap<String, Value>,
) {
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    let is_volatile = in_volatile || volatile.contains(&path.as_str());
    let mut entry = json!({ "type": type_name(v) });
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                walk(c, join(k), is_volatile, volatile, out);
            }
        }
        Value::Array(a) => {
            let keep = if is_volatile { a.len().min(1) } else { a.len() };
            for (i, c) in a.iter().take(keep).enumerate() {
                walk(c, join(&i.to_string()), is_volatile, volatile, out);
            }
        }
        scalar if !is_volatile && !moves(&path) => {
            entry["value"] = scalar.clone();
        }
        _ => {}
    }
    out.insert(path, entry);
}

/// Values that move without a contract change: ranking scores, whether a
/// program is in force today (`hs show` judges on today's date), and which
/// line carries the rates (the schedule revision decides: the USITC export
/// sets them on 10-digit lines).
fn moves(path: &str) -> bool {
    path == "duty.from"
        || path == "rates_from"
        || path.ends_with("score")
        || path.ends_with("confidence")
        || path.ends_with("in_force")
        || (path.contains(".programs.") && path.ends_with(".status"))
}

#[test]
fn every_recorded_key_keeps_its_name_type_and_value() {
    let record = std::env::var_os("HS_CONTRACT_RECORD").is_some();
    let mut failures = Vec::new();
    for case in CASES {
        let now = flatten(&output(case), case.volatile);
        let file = record_dir().join(format!("{}.json", case.name));
        if record {
            std::fs::create_dir_all(record_dir()).unwrap();
            let text = serde_json::to_string_pretty(&now).unwrap();
            std::fs::write(&file, text + "\n").unwrap();
            continue;
        }
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let before: BTreeMap<String, Value> = serde_json::from_str(&text).unwrap();
        assert!(!before.is_empty(), "{}: empty record", case.name);
        for (path, want) in &before {
            match now.get(path) {
                None => failures.push(format!("{}: `{path}` is gone", case.name)),
                Some(got) if got["type"] != want["type"] => failures.push(format!(
                    "{}: `{path}` was {}, is {}",
                    case.name, want["type"], got["type"]
                )),
                Some(got)
                    if !moves(path)
                        && want.get("value").is_some()
                        && got.get("value") != want.get("value") =>
                {
                    failures.push(format!(
                        "{}: `{path}` was {}, is {}",
                        case.name,
                        want["value"],
                        got.get("value").unwrap_or(&Value::Null)
                    ))
                }
                Some(_) => {}
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The comparison itself: a renamed key, a changed type and a changed value
/// are each caught; an added key is not a failure.
#[test]
fn the_check_catches_renames_type_and_value_changes() {
    let before = flatten(
        &json!({"code": "6109.10", "level": 6, "s": [{"score": 0.5, "code": "x"}]}),
        &[],
    );
    let check = |v: Value| {
        let now = flatten(&v, &[]);
        before.iter().all(|(p, w)| {
            now.get(p).is_some_and(|g| {
                g["type"] == w["type"]
                    && (w.get("value").is_none() || g.get("value") == w.get("value"))
            })
        })
    };
    assert!(check(
        json!({"code": "6109.10", "level": 6, "s": [{"score": 0.9, "code": "x"}], "new": 1})
    ));
    assert!(!check(
        json!({"code": "6109.10", "lvl": 6, "s": [{"score": 0.5, "code": "x"}]})
    ));
    assert!(!check(
        json!({"code": "6109.10", "level": "6", "s": [{"score": 0.5, "code": "x"}]})
    ));
    assert!(!check(
        json!({"code": "6109.10", "level": 6, "s": [{"score": 0.5, "code": "y"}]})
    ));
}
