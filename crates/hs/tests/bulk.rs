//! End-to-end tests of the bulk commands (`classify`, `lookup`) on messy
//! input, their exit codes, Ctrl-C and closed pipes, and the shell
//! conventions (completions, man page, version, NO_COLOR, progress).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they set up

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use common::{hs, stderr, stdout};
use serde_json::Value;

fn jsonl(out: &std::process::Output) -> Vec<Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

fn no_panic(out: &std::process::Output) {
    let err = stderr(out);
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
}

// ---------------------------------------------------------------- lookup

#[test]
fn lookup_marks_found_unknown_and_malformed_codes() {
    let out = hs()
        .args(["lookup", "--lines"])
        .write_stdin("6109.10\n6109 55\n61a9\n\n6109100012\n12345\n")
        .output()
        .unwrap();
    no_panic(&out);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let rows = jsonl(&out);
    assert_eq!(rows.len(), 6, "one line per row");
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r["row"], i + 1);
    }
    let found = &rows[0];
    assert_eq!(found["status"], "found");
    assert_eq!(found["exists"], true);
    assert_eq!(found["code"], "6109.10");
    assert_eq!(found["level"], "subheading");
    assert_eq!(found["hs6"], "6109.10");
    assert!(
        found["description"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("cotton"),
        "{found}"
    );

    let unknown = &rows[1];
    assert_eq!(unknown["status"], "unknown");
    assert_eq!(unknown["exists"], false);
    assert_eq!(unknown["code"], "6109.55");
    let near: Vec<&str> = unknown["nearest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["code"].as_str().unwrap())
        .collect();
    assert!(
        near.contains(&"6109.10") || near.contains(&"6109.90"),
        "{near:?}"
    );

    assert_eq!(rows[2]["status"], "malformed");
    assert!(rows[2]["code"].is_null());
    assert!(
        rows[2]["error"].as_str().unwrap().contains("not a digit"),
        "{}",
        rows[2]
    );
    assert_eq!(rows[3]["status"], "malformed");
    assert!(rows[3]["error"].as_str().unwrap().contains("empty code"));

    let line = &rows[4];
    assert_eq!(line["status"], "found");
    assert_eq!(line["code"], "6109.10.00.12");
    assert_eq!(line["level"], "statistical-line");
    assert_eq!(line["hs6"], "6109.10");

    assert!(rows[5]["error"].as_str().unwrap().contains("012345"));
    assert!(stderr(&out).contains("4 of 6 rows"), "{}", stderr(&out));
}

#[test]
fn lookup_refuses_stray_separators_and_gives_chapter_99_no_hs6() {
    let out = hs()
        .args(["lookup", "--lines"])
        .write_stdin("-6109\n6109..10\n6109.10.\n9903.88.15\n00\n9999\n")
        .output()
        .unwrap();
    no_panic(&out);
    let rows = jsonl(&out);
    assert_eq!(rows.len(), 6, "one line per row");
    for r in &rows[..3] {
        assert_eq!(r["status"], "malformed", "{r}");
    }
    // A US chapter 99 line is found, but lies in no HS subheading.
    assert_eq!(rows[3]["status"], "found");
    assert_eq!(rows[3]["hs6"], Value::Null, "{}", rows[3]);
    // "see nearest" only when there are nearest codes.
    let none = rows[4]["error"].as_str().unwrap();
    assert!(rows[4]["nearest"].as_array().is_none_or(|n| n.is_empty()));
    assert!(!none.contains("see nearest"), "{none}");
    // Under chapter 99 (no headings), the lines nearest by leading digits.
    let near: Vec<&str> = rows[5]["nearest"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["code"].as_str())
        .collect();
    assert_eq!(near[0], "99");
    assert!(near[1..].iter().all(|c| c.starts_with("99")), "{near:?}");
    // 9915 is chapter 99's last group of lines, the nearest to 9999 (before,
    // whole 8- and 10-digit numbers were compared with 9999: 9903.92 first).
    assert!(near[1].starts_with("9915"), "{near:?}");
}

#[test]
fn lookup_all_found_exits_0_and_codes_only_keeps_one_line_per_row() {
    let out = hs()
        .args(["lookup", "--lines", "--codes-only"])
        .write_stdin("610910\n0101.21\n8471.30.01.00\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "6109.10\n0101.21\n8471.30.01.00\n",
        "normalised codes"
    );
    let out = hs()
        .args(["lookup", "--lines", "--codes-only"])
        .write_stdin("610910\nnope\n6109.55\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "6109.10\n\n\n");
}

#[test]
fn lookup_csv_keeps_input_columns_and_appends_its_own() {
    for (format, sep) in [("csv", b','), ("tsv", b'\t')] {
        let out = hs()
            .args(["lookup", "--format", format])
            .write_stdin("id,code\n1,6109.10\n2,6109.55\n")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let text = stdout(&out);
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(sep)
            .from_reader(text.as_bytes());
        let h: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(
            h,
            [
                "id",
                "code",
                "hs_code",
                "hs_status",
                "hs_exists",
                "hs_level",
                "hs_description",
                "hs_hs6",
                "hs_nearest",
                "hs_error"
            ]
        );
        let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][3], "found");
        assert_eq!(&rows[0][4], "true");
        assert_eq!(&rows[1][3], "unknown");
        assert!(rows[1][8].contains("6109."), "{:?}", rows[1]);
    }
}

#[test]
fn lookup_reads_a_named_column() {
    let out = hs()
        .args(["lookup", "--column", "hts"])
        .write_stdin("name,hts\nshirt,6109100012\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(jsonl(&out)[0]["code"], "6109.10.00.12");
}

// ---------------------------------------------------- bad input, both commands

/// Each bulk command with the column it reads by default, and a good value.
const COMMANDS: [(&str, &str, &str); 2] = [
    ("classify", "description", "wooden chair"),
    ("lookup", "code", "6109.10"),
];

#[test]
fn bad_input_invalid_utf8_is_read_lossily_and_flagged() {
    for (cmd, col, good) in COMMANDS {
        let mut input = format!("{col}\n").into_bytes();
        input.extend_from_slice(good.as_bytes());
        input.extend_from_slice(b" \xff\xfe\n");
        input.extend_from_slice(format!("{good}\n").as_bytes());
        let out = hs().arg(cmd).write_stdin(input).output().unwrap();
        no_panic(&out);
        let rows = jsonl(&out);
        assert_eq!(rows.len(), 2, "{cmd}: no row lost");
        assert!(
            rows[0]["warning"].as_str().unwrap().contains("UTF-8"),
            "{cmd}: {}",
            rows[0]
        );
        assert!(stderr(&out).contains("invalid UTF-8"), "{cmd}");
        assert!(rows[1].get("warning").is_none());
    }
}

#[test]
fn bad_input_ragged_rows_are_flagged_and_none_is_lost() {
    for (cmd, col, good) in COMMANDS {
        let input = format!("id,{col}\n1\n2,\"{good}\"\n3,\"{good}\",extra,fields\n4,\n");
        let out = hs().arg(cmd).write_stdin(input).output().unwrap();
        no_panic(&out);
        assert_eq!(out.status.code(), Some(1), "{cmd}: {}", stderr(&out));
        let rows = jsonl(&out);
        assert_eq!(rows.len(), 4, "{cmd}: as many lines out as rows in");
        let err = rows[0]["error"].as_str().unwrap();
        assert!(err.contains("1 fields"), "{cmd}: {err}");
        assert!(rows[1].get("error").is_none(), "{cmd}: {}", rows[1]);
        assert!(rows[2].get("error").is_none(), "{cmd}: {}", rows[2]);
        assert!(rows[3]["error"].is_string(), "{cmd}: {}", rows[3]);
        assert!(stderr(&out).contains("2 of 4 rows"), "{}", stderr(&out));
    }
}

#[test]
fn bad_input_missing_column_lists_the_columns_found() {
    for (cmd, _, _) in COMMANDS {
        let out = hs()
            .args([cmd, "--column", "goods"])
            .write_stdin("name,qty\nshirt,1\n")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        let err = stderr(&out);
        assert!(
            err.contains("'goods'") && err.contains("columns found: name, qty"),
            "{cmd}: {err}"
        );
        assert!(stdout(&out).is_empty(), "{cmd}: no data on error");
    }
}

#[test]
fn bad_input_bom_is_ignored_in_header_and_lines() {
    for (cmd, col, good) in COMMANDS {
        let out = hs()
            .arg(cmd)
            .write_stdin(format!("\u{feff}{col}\n{good}\n"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{cmd}: {}", stderr(&out));
        assert_eq!(jsonl(&out).len(), 1);
        let out = hs()
            .args([cmd, "--lines"])
            .write_stdin(format!("\u{feff}{good}\n"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{cmd}: {}", stderr(&out));
        let rows = jsonl(&out);
        let text = if cmd == "lookup" {
            &rows[0]["input"]
        } else {
            &rows[0]["description"]
        };
        assert_eq!(text, good, "{cmd}: BOM dropped");
    }
}

#[test]
fn bad_input_a_1mb_description_is_cut_with_a_warning() {
    let long = "cotton t-shirt ".repeat(1_000_000 / 15 + 1);
    assert!(long.len() >= 1_000_000);
    let out = hs()
        .args(["classify", "--lines", "--top", "3"])
        .write_stdin(format!("{long}\nwooden chair\n"))
        .output()
        .unwrap();
    no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = jsonl(&out);
    assert_eq!(rows.len(), 2);
    let w = rows[0]["warning"].as_str().unwrap();
    assert!(w.contains("cut to 10000"), "{w}");
    assert!(rows[0]["description"].as_str().unwrap().len() <= 10_000);
    assert!(!rows[0]["suggestions"].as_array().unwrap().is_empty());
    assert!(stderr(&out).contains("cut to 10000"), "{}", stderr(&out));
    // A code cell that long is cut, then reported malformed; the run goes on.
    let out = hs()
        .args(["lookup", "--lines"])
        .write_stdin(format!("{}\n6109.10\n", "6".repeat(1_000_000)))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let rows = jsonl(&out);
    assert_eq!(rows[0]["status"], "malformed");
    assert!(rows[0]["warning"].as_str().unwrap().contains("cut"));
    assert_eq!(rows[1]["status"], "found");
}

#[test]
fn bad_input_empty_file_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    for (cmd, _, _) in COMMANDS {
        for lines in [false, true] {
            let mut c = hs();
            c.args([cmd, "--input"]).arg(&empty);
            if lines {
                c.arg("--lines");
            }
            let out = c.output().unwrap();
            assert_eq!(out.status.code(), Some(2), "{cmd} lines={lines}");
            let err = stderr(&out);
            assert!(
                err.contains("empty") && err.contains("empty.csv"),
                "{cmd}: {err}"
            );
        }
    }
}

#[test]
fn bad_input_missing_file_exits_2_naming_it() {
    for (cmd, _, _) in COMMANDS {
        let out = hs()
            .args([cmd, "--input", "/nonexistent/codes.csv"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        assert!(
            stderr(&out).contains("/nonexistent/codes.csv"),
            "{}",
            stderr(&out)
        );
        assert!(stdout(&out).is_empty());
        let dir = tempfile::tempdir().unwrap();
        let out = hs()
            .args([cmd, "--lines", "--input"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{cmd}: a folder");
        assert!(stderr(&out).contains("is a folder"), "{}", stderr(&out));
    }
}

#[test]
fn header_only_csv_exits_0_with_a_note() {
    let out = hs()
        .args(["lookup", "--format", "csv"])
        .write_stdin("code\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("code,hs_code,"));
    assert!(stderr(&out).contains("no rows"));
}

// ------------------------------------------------------ pipes and Ctrl-C

#[test]
fn classify_into_head_1_ends_quietly() {
    let script = format!(
        "yes 'frozen shrimp' | head -n 5000 | '{}' classify --lines | head -1; exit ${{PIPESTATUS[2]}}",
        env!("CARGO_BIN_EXE_hs")
    );
    let out = Command::new("bash")
        .args(["-c", &script])
        .env("HS_INDEX_DIR", common::test_index())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.is_empty(), "quiet on a closed pipe: {err}");
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1);
    let _: Value = serde_json::from_str(text.trim()).unwrap();
}

#[cfg(unix)]
#[test]
fn ctrl_c_leaves_only_whole_lines_and_exits_130() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hs"))
        .args(["classify", "--lines", "--top", "2", "--no-cache"])
        .env("HS_INDEX_DIR", common::test_index())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let words = ["frozen shrimp", "wooden chair", "men's cotton t-shirt"];
        for i in 0..200_000 {
            if writeln!(stdin, "{} {i}", words[i % 3]).is_err() {
                break;
            }
        }
    });
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut reader, &mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    let _ = feeder.join();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    let text = first + &rest;
    assert!(text.ends_with('\n'), "whole lines only");
    let n = text.lines().count();
    assert!(n < 200_000, "stopped early ({n} lines)");
    for (i, l) in text.lines().enumerate() {
        let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("line {i}: {e}: {l}"));
        assert_eq!(v["row"], i + 1, "in order, none skipped");
    }
    no_panic(&out);
}

// ------------------------------------------------------- conventions

#[test]
fn completions_for_each_shell() {
    for (shell, want) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef hs"),
        ("fish", "complete -c hs"),
    ] {
        let out = hs().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = stdout(&out);
        assert!(
            text.contains(want),
            "{shell}: {}",
            &text[..200.min(text.len())]
        );
        assert!(text.contains("lookup"), "{shell}: knows the subcommands");
    }
    let out = hs().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn man_page_is_roff_on_stdout() {
    let out = hs().arg("man").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.contains(".TH hs 1"),
        "{}",
        &text[..200.min(text.len())]
    );
    for want in ["classify", "lookup", "completions"] {
        assert!(text.contains(want), "{want}");
    }
}

#[test]
fn version_is_printed() {
    // `-V`: the version alone; `--version`: the same first line, then the
    // US schedule the data holds.
    let out = hs().arg("-V").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out).trim(),
        format!("hs {}", env!("CARGO_PKG_VERSION"))
    );
    let out = hs().arg("--version").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(format!("hs {}", env!("CARGO_PKG_VERSION")).as_str())
    );
    assert!(
        lines
            .next()
            .is_some_and(|l| l.starts_with("schedule: US HTS ")),
        "{text}"
    );
}

#[test]
fn no_color_turns_colour_off_even_when_forced() {
    let out = hs()
        .args(["classify", "--nope"])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains('\u{1b}'), "{:?}", stderr(&out));
    assert!(stdout(&out).is_empty(), "errors go to stderr");
}

#[test]
fn off_a_terminal_there_is_no_progress() {
    let out = hs()
        .args(["classify", "--lines"])
        .write_stdin("wooden chair\nfrozen shrimp\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).is_empty(), "{:?}", stderr(&out));
}

/// Runs `hs ARGS` with stderr on a pseudo-terminal (util-linux `script`),
/// stdout to a file; returns what the terminal showed.
fn on_a_terminal(args: &str) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.txt");
    let lines: String = (0..3000)
        .map(|i| format!("{} {i}\n", ["wooden chair", "frozen shrimp"][i % 2]))
        .collect();
    std::fs::write(&input, lines).unwrap();
    let cmd = format!(
        "'{}' {args} --input '{}' > '{}'",
        env!("CARGO_BIN_EXE_hs"),
        input.display(),
        dir.path().join("out.jsonl").display()
    );
    let out = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env("HS_INDEX_DIR", common::test_index())
        .env("NO_COLOR", "1")
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let written = std::fs::read_to_string(dir.path().join("out.jsonl")).unwrap();
    assert_eq!(written.lines().count(), 3000);
    Some(stdout(&out))
}

#[test]
fn on_a_terminal_a_progress_bar_shows_unless_quiet() {
    let Some(shown) = on_a_terminal("classify --lines") else {
        eprintln!("skipped: `script` (util-linux) is not available");
        return;
    };
    assert!(shown.contains("rows"), "{shown:?}");
    let quiet = on_a_terminal("classify --lines --quiet").unwrap();
    assert!(!quiet.contains("rows"), "{quiet:?}");
}

#[test]
fn repeated_descriptions_get_the_same_answer_with_or_without_the_cache() {
    let input = "wooden chair\nfrozen shrimp\nwooden chair\n";
    let codes = |rows: &[Value], i: usize| -> Vec<String> {
        rows[i]["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["code"].as_str().unwrap().to_string())
            .collect()
    };
    let cached = jsonl(
        &hs()
            .args(["classify", "--lines"])
            .write_stdin(input)
            .output()
            .unwrap(),
    );
    let plain = jsonl(
        &hs()
            .args(["classify", "--lines", "--no-cache"])
            .write_stdin(input)
            .output()
            .unwrap(),
    );
    assert_eq!(cached.len(), 3);
    assert_eq!(cached[2]["row"], 3);
    assert_eq!(codes(&cached, 0), codes(&cached, 2));
    for i in 0..3 {
        assert_eq!(codes(&cached, i), codes(&plain, i));
    }
}

#[test]
fn lookup_marks_a_code_hs_2022_deleted_as_deleted_2022() {
    // 0305.10 (fish flours fit for human consumption) moved to 0309 in HS 2022.
    let out = hs()
        .args(["lookup", "--lines"])
        .write_stdin("0305.10\n6109.10\n")
        .output()
        .unwrap();
    no_panic(&out);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let rows = jsonl(&out);
    assert_eq!(rows[0]["status"], "deleted-2022", "{}", rows[0]);
    assert_eq!(rows[0]["exists"], false);
    assert!(
        rows[0]["hs2017_description"]
            .as_str()
            .is_some_and(|d| d.to_lowercase().contains("flours")),
        "{}",
        rows[0]
    );
    assert!(
        rows[0]["error"]
            .as_str()
            .is_some_and(|e| e.contains("deleted in HS 2022"))
    );
    assert_eq!(rows[1]["status"], "found");
    // CSV carries the same status.
    let out = hs()
        .args(["lookup", "--format", "csv"])
        .write_stdin("code\n0305.10\n")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines()
            .nth(1)
            .is_some_and(|l| l.contains(",deleted-2022,")),
        "{text}"
    );
}
