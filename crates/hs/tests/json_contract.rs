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
    let is_volatile = in_volatile || volatile.iter().any(|v| matches(v, &path));
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

/// A volatile pattern matches a path segment by segment; `*` matches any
/// one segment (`*.risk` is the risk of every JSON line).
fn matches(pattern: &str, path: &str) -> bool {
    let (p, q): (Vec<&str>, Vec<&str>) = (pattern.split('.').collect(), path.split('.').collect());
    p.len() == q.len() && p.iter().zip(&q).all(|(a, b)| *a == "*" || a == b)
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
    let mut failures = Vec::new();
    for case in CASES {
        let now = flatten(&output(case), case.volatile);
        compare(case.name, now, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Compares a flattened output with its record (or, with
/// `HS_CONTRACT_RECORD`, writes the record).
fn compare(name: &str, now: BTreeMap<String, Value>, failures: &mut Vec<String>) {
    let file = record_dir().join(format!("{name}.json"));
    if std::env::var_os("HS_CONTRACT_RECORD").is_some() {
        std::fs::create_dir_all(record_dir()).unwrap();
        let text = serde_json::to_string_pretty(&now).unwrap();
        std::fs::write(&file, text + "\n").unwrap();
        return;
    }
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let before: BTreeMap<String, Value> = serde_json::from_str(&text).unwrap();
    assert!(!before.is_empty(), "{name}: empty record");
    for (path, want) in &before {
        match now.get(path) {
            None => failures.push(format!("{name}: `{path}` is gone")),
            Some(got) if path == KEY_ORDER => {
                // Every recorded object's keys still come in that order
                // (new keys may sit anywhere).
                for keys in want.as_array().into_iter().flatten() {
                    let keys: Vec<&str> = keys
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .collect();
                    let kept = got.as_array().into_iter().flatten().any(|g| {
                        let g: Vec<&str> = g
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(Value::as_str)
                            .filter(|k| keys.contains(k))
                            .collect();
                        g == keys
                    });
                    if !kept {
                        failures.push(format!("{name}: no object has the keys {keys:?} in order"));
                    }
                }
            }
            Some(got) if got["type"] != want["type"] => failures.push(format!(
                "{name}: `{path}` was {}, is {}",
                want["type"], got["type"]
            )),
            Some(got)
                if !moves(path)
                    && want.get("value").is_some()
                    && got.get("value") != want.get("value") =>
            {
                failures.push(format!(
                    "{name}: `{path}` was {}, is {}",
                    want["value"],
                    got.get("value").unwrap_or(&Value::Null)
                ))
            }
            Some(_) => {}
        }
    }
}

/// The record entry holding the key order of the output's objects.
const KEY_ORDER: &str = "#key_order";

/// The keys of every object in a JSON text (or JSON lines), in the order
/// they are written; each distinct list once, in order of first sight.
fn key_orders(text: &str) -> Vec<Vec<String>> {
    let b = text.as_bytes();
    let mut stack: Vec<Option<Vec<String>>> = Vec::new();
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                let s = &text[start..i.min(b.len())];
                let mut j = i + 1;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                if b.get(j) == Some(&b':')
                    && let Some(Some(keys)) = stack.last_mut()
                {
                    keys.push(s.to_string());
                }
            }
            b'{' => stack.push(Some(Vec::new())),
            b'[' => stack.push(None),
            b'}' | b']' => {
                if let Some(Some(keys)) = stack.pop()
                    && !out.contains(&keys)
                {
                    out.push(keys);
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Runs `hs --quiet ARGS` with a store of its own; returns the exit code
/// and stdout.
fn run_in(dir: &std::path::Path, args: &[&std::ffi::OsStr]) -> (Option<i32>, String) {
    let out = common::hs()
        .env("HS_PRECEDENTS_DIR", dir.join("store"))
        .arg("--quiet")
        .args(args)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

/// Parses JSON, or JSON lines as an array of its lines.
fn parse(text: &str, lines: bool) -> Value {
    if lines {
        Value::Array(
            text.lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect(),
        )
    } else {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }
}

/// A labelled file for `hs eval` written here (not rows of the shared
/// sets): gold codes at 6, 8 and 10 digits, one row with two gold codes.
const LABELLED: &str = "description,gold\n\
mens cotton t-shirt,6109.10.00.12\n\
stainless steel kitchen sink,732410\n\
childrens building brick toy set,950300\n\
leather handbag with outer surface of leather,4202.21.60\n\
frozen shrimp,030617;030616\n";

/// A classified history for `hs audit`: a declared code the evidence does
/// not support, a code that is no code, a row without a description and
/// two near-identical rows under different codes.
const HISTORY: &str = "description,code\n\
mens cotton t-shirt,6109.10\n\
stainless steel kitchen sink,7324.10\n\
mens cotton t-shirt lot 2,0101.21\n\
wool jumper,61x0.20\n\
,6109.10\n\
ceramic garden gnome,6913.90\n\
ceramic garden gnome,3926.40\n";

/// A precedent file with a reported row.
const ENTRIES: &str = "description,code,reference\n\
mens crew neck tee 100% cotton,6109.10.00.12,E-41\n\
mystery goods,9999.99,E-42\n\
stainless steel kitchen sink,7324.10,E-43\n";

/// `hs eval --json` (with and without `--by-chapter`) and its
/// `--predictions` lines, `hs audit` (JSON lines), `hs precedents add
/// --json` and `hs precedents list --json`: recorded before their typed
/// views replaced the hand-built JSON. Besides keys, types and values, the
/// order of every object's keys is recorded.
#[test]
fn eval_audit_and_precedents_keep_their_json() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let labelled = p("labelled.csv", LABELLED);
    let history = p("history.csv", HISTORY);
    let entries = p("entries.csv", ENTRIES);
    let predictions = dir.path().join("predictions.jsonl");
    let os = |s: &'static str| std::ffi::OsStr::new(s);
    let mut failures = Vec::new();
    let mut check =
        |name: &str, code: Option<i32>, want: i32, text: &str, lines: bool, volatile: &[&str]| {
            assert_eq!(code, Some(want), "{name}: {text}");
            let mut now = flatten(&parse(text, lines), volatile);
            now.insert(KEY_ORDER.to_string(), json!(key_orders(text)));
            compare(name, now, &mut failures);
        };
    let figures = ["figures", "by_chapter.*.figures", "seconds", "file"];
    let (code, text) = run_in(
        dir.path(),
        &[
            os("eval"),
            labelled.as_os_str(),
            os("--json"),
            os("--predictions"),
            predictions.as_os_str(),
        ],
    );
    check("eval_report", code, 0, &text, false, &figures);
    let text = std::fs::read_to_string(&predictions).unwrap();
    check(
        "eval_predictions",
        Some(0),
        0,
        &text,
        true,
        &["*.codes", "*.suggestions"],
    );
    let (code, text) = run_in(
        dir.path(),
        &[
            os("eval"),
            labelled.as_os_str(),
            os("--json"),
            os("--by-chapter"),
        ],
    );
    check("eval_by_chapter", code, 0, &text, false, &figures);
    let (code, text) = run_in(dir.path(), &[os("audit"), history.as_os_str(), os("--all")]);
    check(
        "audit_rows",
        code,
        0,
        &text,
        true,
        // Lines 3 (no code) and 4 (no description) do not move with ranking.
        &[
            "*.evidence",
            "*.suggested",
            "0.risk",
            "1.risk",
            "2.risk",
            "5.risk",
            "6.risk",
            "0.reason",
            "1.reason",
            "2.reason",
            "5.reason",
            "6.reason",
        ],
    );
    let (code, text) = run_in(
        dir.path(),
        &[
            os("precedents"),
            os("add"),
            entries.as_os_str(),
            os("--json"),
        ],
    );
    check("precedents_add", code, 0, &text, false, &["store"]);
    let (code, text) = run_in(dir.path(), &[os("precedents"), os("list"), os("--json")]);
    check(
        "precedents_list",
        code,
        0,
        &text,
        false,
        &[
            "store",
            "sets.*.source",
            "sets.*.added_at",
            "sets.*.hs_version",
        ],
    );
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

/// The key order read from the text, nested objects first, strings that
/// hold a colon not taken for keys.
#[test]
fn key_orders_reads_the_written_order() {
    let text = r#"{"b":1,"a":{"c":"x\":y","d":[{"e":1}]}}
{"b":2,"a":{"c":"z","d":[]}}"#;
    assert_eq!(
        key_orders(text),
        vec![vec!["e"], vec!["c", "d"], vec!["b", "a"]]
    );
}
