//! `hs serve` end to end: the real binary on a free loopback port, spoken
//! to over a socket with a plain HTTP client (and raw TCP where a client
//! would not misbehave): the answers equal the command line's JSON, bad
//! requests get JSON errors with the right status, the token is enforced,
//! and SIGTERM drains the requests in flight and exits 0.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they set up

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

/// A running `hs serve` and its address; killed when dropped.
struct Server {
    child: Child,
    base: String,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(extra: &[&str]) -> Server {
    start_env(extra, &[])
}

/// As [`start`], with environment variables for the server.
fn start_env(extra: &[&str], envs: &[(&str, &std::path::Path)]) -> Server {
    common::hs()
        .args(["--quiet", "search", "cotton", "--top", "1"])
        .output()
        .unwrap();
    let mut cmd = hs_process();
    cmd.args(["serve", "--addr", "127.0.0.1:0"])
        .args(extra)
        .envs(envs.iter().copied())
        .env_remove("HS_TOKEN")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let addr = loop {
        line.clear();
        assert!(
            err.read_line(&mut line).unwrap() > 0,
            "hs serve ended before listening"
        );
        if let Some(rest) = line.split("serving on http://").nth(1) {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    // Keep draining stderr so the server never blocks on it.
    std::thread::spawn(move || {
        let mut sink = String::new();
        let _ = err.read_to_string(&mut sink);
    });
    Server {
        child,
        base: format!("http://{addr}"),
        addr,
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn get(s: &Server, path: &str) -> (u16, Value) {
    let mut r = agent().get(format!("{}{path}", s.base)).call().unwrap();
    let status = r.status().as_u16();
    (status, r.body_mut().read_json().unwrap())
}

fn post(s: &Server, path: &str, body: &Value) -> (u16, Value) {
    let mut r = agent()
        .post(format!("{}{path}", s.base))
        .send_json(body)
        .unwrap();
    let status = r.status().as_u16();
    (status, r.body_mut().read_json().unwrap())
}

/// The command line's JSON for the same question.
/// `hs` as a plain process (its pipes are ours), on the shared test index.
fn hs_process() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_hs"));
    c.env("HS_INDEX_DIR", common::test_index())
        .env_remove("HS_DATA_DIR")
        .env("NO_COLOR", "1");
    c
}

fn cli_json(args: &[&str]) -> Value {
    let out = common::hs().arg("--quiet").args(args).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn error_code(v: &Value) -> &str {
    v["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("not an error body: {v}"))
}

/// Sends raw bytes, returns the status line and the rest.
fn raw(s: &Server, request: &[u8]) -> String {
    let mut c = TcpStream::connect(&s.addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    c.write_all(request).unwrap();
    let mut out = String::new();
    let mut buf = [0u8; 4096];
    loop {
        match c.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                out.push_str(&String::from_utf8_lossy(&buf[..n]));
                if out.contains("\r\n\r\n") && out.contains('}') {
                    break;
                }
            }
        }
    }
    out
}

#[test]
fn answers_as_the_command_line_does() {
    let s = start(&[]);
    let (status, health) = get(&s, "/health");
    assert_eq!(status, 200);
    assert_eq!(health["status"], "ok");

    let (status, v) = get(&s, "/v1/search?q=men%27s%20cotton%20t-shirt");
    assert_eq!(status, 200);
    assert_eq!(v, cli_json(&["search", "men's cotton t-shirt", "--json"]));
    let (_, v) = get(&s, "/v1/search?q=cotton&top=3");
    assert_eq!(v["suggestions"].as_array().unwrap().len(), 3);

    let (status, v) = get(&s, "/v1/codes/6109.10.00.12");
    assert_eq!(status, 200);
    assert_eq!(v, cli_json(&["show", "6109.10.00.12", "--json"]));
    let (_, v) = get(&s, "/v1/codes/6109.10?notes=true");
    assert_eq!(v, cli_json(&["show", "6109.10", "--json", "--notes"]));

    let (status, v) = post(
        &s,
        "/v1/classify",
        &json!({"descriptions": ["men's cotton t-shirt", "  ", "wooden chair"], "top": 3}),
    );
    assert_eq!(status, 200);
    let rows = v["results"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let mut cli = common::hs();
    cli.args(["--quiet", "classify", "--lines", "--top", "3"])
        .write_stdin("men's cotton t-shirt\n");
    let line: Value = serde_json::from_slice(&cli.output().unwrap().stdout).unwrap();
    assert_eq!(rows[0], line);
    assert_eq!(rows[1]["row"], 2);
    assert_eq!(rows[1]["error"], "empty description");
    assert_eq!(rows[2]["row"], 3);
    assert_eq!(rows[2]["suggestions"].as_array().unwrap().len(), 3);

    let (status, doc) = get(&s, "/openapi.json");
    assert_eq!(status, 200);
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    for path in ["/health", "/v1/search", "/v1/classify", "/v1/codes/{code}"] {
        assert!(
            doc["paths"].get(path).is_some(),
            "{path} missing from /openapi.json"
        );
    }
    assert!(doc["components"]["schemas"].get("SearchView").is_some());
    // OpenAPI requires a description on every response; the token scheme
    // and the bounds the server enforces are stated.
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            for (status, r) in op["responses"].as_object().unwrap() {
                assert!(
                    r["description"].as_str().is_some_and(|d| !d.is_empty()),
                    "{method} {path} {status}: no description"
                );
            }
        }
    }
    assert!(doc["components"]["securitySchemes"].get("bearer").is_some());
    let top = &doc["components"]["schemas"]["ClassifyRequest"]["properties"]["top"];
    assert_eq!(
        (top["minimum"].as_u64(), top["maximum"].as_u64()),
        (Some(1), Some(200))
    );
}

#[test]
fn bad_requests_get_json_errors() {
    let s = start(&[]);
    for (path, status, code) in [
        ("/v1/search", 400, "bad_request"),
        ("/v1/search?q=cotton&top=0", 400, "bad_request"),
        ("/v1/search?q=cotton&top=201", 400, "bad_request"),
        ("/v1/search?q=cotton&top=many", 400, "bad_request"),
        ("/v1/codes/abc", 400, "malformed_code"),
        ("/v1/nothing", 404, "not_found"),
        // Refused, never ignored or searched as replacement characters.
        ("/v1/search?q=cotton&tpo=1", 400, "bad_request"),
        ("/v1/search?q=%FF%FE", 400, "bad_request"),
        ("/v1/search?q=%ZZ", 400, "bad_request"),
        ("/v1/codes/%FF", 400, "bad_request"),
        ("/v1/codes/6109?notes=yes&x=1", 400, "bad_request"),
        // A malformed code, refused as `hs search` refuses it.
        ("/v1/search?q=6109.1", 400, "bad_request"),
        ("/v1/search?q=5.5", 400, "bad_request"),
    ] {
        let (got, v) = get(&s, path);
        assert_eq!((got, error_code(&v)), (status, code), "{path}: {v}");
        assert!(!v["error"]["message"].as_str().unwrap().is_empty());
    }
    // An error quoting a long input quotes at most 500 characters of it.
    let (status, v) = get(&s, &format!("/v1/codes/6109a{}", "1".repeat(20_000)));
    assert_eq!(status, 400, "{v}");
    let m = v["error"]["message"].as_str().unwrap();
    assert!(m.chars().count() < 600 && m.contains("bytes)"), "{m}");
    // An unknown code: 404 with the nearest codes.
    let (status, v) = get(&s, "/v1/codes/6109.99");
    assert_eq!((status, error_code(&v)), (404, "unknown_code"));
    assert!(!v["did_you_mean"].as_array().unwrap().is_empty());
    // Malformed JSON, a wrong shape, too many descriptions, top out of range.
    let r = agent()
        .post(format!("{}/v1/classify", s.base))
        .header("Content-Type", "application/json")
        .send("{\"descriptions\": [")
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    for (body, what) in [
        (json!({"descriptions": "cotton"}), "wrong type"),
        (json!({"descriptions": ["cotton"], "top": 0}), "top 0"),
        (json!({"descriptions": vec!["x"; 10_001]}), "10,001 rows"),
        (
            json!({"descriptions": ["cotton"], "topp": 1}),
            "an unknown field",
        ),
        (
            json!({"descriptions": vec!["x"; 1000], "top": 200}),
            "200,000 suggestions",
        ),
    ] {
        let (status, v) = post(&s, "/v1/classify", &body);
        assert_eq!(
            (status, error_code(&v)),
            (400, "bad_request"),
            "{what}: {v}"
        );
    }
    let (status, _) = get(&s, "/v1/classify");
    assert_eq!(status, 405);
}

#[test]
fn bodies_over_10_mb_get_413() {
    let s = start(&[]);
    // Decided from Content-Length, before any of the body is sent.
    let head = b"POST /v1/classify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 20000000\r\n\r\n";
    let answer = raw(&s, head);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("\"too_large\""), "{answer}");
    // Without Content-Length (chunked), by counting as it is read.
    let mut c = TcpStream::connect(&s.addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    c.write_all(b"POST /v1/classify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        .unwrap();
    let chunk = vec![b' '; 1 << 20];
    let mut sent = 0;
    while sent < 12 {
        let head = format!("{:x}\r\n", chunk.len());
        if c.write_all(head.as_bytes()).is_err()
            || c.write_all(&chunk).is_err()
            || c.write_all(b"\r\n").is_err()
        {
            break;
        }
        sent += 1;
    }
    let mut answer = String::new();
    let _ = c.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

#[test]
fn a_token_guards_every_route_but_health() {
    // Off loopback without a token: refused before anything starts.
    let out = common::hs()
        .args(["--quiet", "serve", "--addr", "0.0.0.0:0"])
        .env_remove("HS_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("token"));

    let s = start(&["--token", "s3cret"]);
    let (status, v) = get(&s, "/v1/search?q=cotton");
    assert_eq!((status, error_code(&v)), (401, "unauthorized"));
    let (status, _) = get(&s, "/health");
    assert_eq!(status, 200);
    for wrong in ["Bearer nope", "s3cret", "Basic s3cret"] {
        let r = agent()
            .get(format!("{}/v1/search?q=cotton", s.base))
            .header("Authorization", wrong)
            .call()
            .unwrap();
        assert_eq!(r.status().as_u16(), 401, "{wrong}");
    }
    // The scheme's name in any case (RFC 9110).
    for right in ["Bearer s3cret", "bearer s3cret", "BEARER s3cret"] {
        let r = agent()
            .get(format!("{}/v1/search?q=cotton", s.base))
            .header("Authorization", right)
            .call()
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{right}");
    }
}

#[cfg(unix)]
#[test]
fn a_token_that_is_not_utf8_is_refused_not_ignored() {
    use std::os::unix::ffi::OsStringExt;
    let out = hs_process()
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("HS_TOKEN", std::ffi::OsString::from_vec(b"ab\xff".to_vec()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("HS_TOKEN is not valid UTF-8"));
}

#[test]
fn sigterm_drains_requests_in_flight_and_exits_0() {
    let mut s = start(&[]);
    let base = s.base.clone();
    // A batch that takes a while, sent before the signal.
    let descriptions: Vec<String> = (0..1500).map(|i| format!("cotton shirt {i}")).collect();
    let slow = std::thread::spawn(move || {
        let mut r = agent()
            .post(format!("{base}/v1/classify"))
            .send_json(json!({"descriptions": descriptions}))
            .unwrap();
        let status = r.status().as_u16();
        let v: Value = r.body_mut().read_json().unwrap();
        (status, v["results"].as_array().map_or(0, Vec::len))
    });
    std::thread::sleep(Duration::from_millis(300));
    let pid = s.child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    assert_eq!(slow.join().unwrap(), (200, 1500));
    let status = s.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn the_service_consults_the_precedent_store_only_with_use_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let file = dir.path().join("entries.csv");
    std::fs::write(
        &file,
        "description,code\nchildrens building brick toy set,9503.00\n",
    )
    .unwrap();
    let added = common::hs()
        .env("HS_PRECEDENTS_DIR", &store)
        .args(["--quiet", "precedents", "add"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(added.status.success(), "{added:?}");
    let q = "/v1/search?q=childrens%20building%20brick%20toy%20set";
    let env = [("HS_PRECEDENTS_DIR", store.as_path())];
    let plain = start_env(&[], &env);
    let (status, without) = get(&plain, q);
    assert_eq!(status, 200);
    assert!(!without.to_string().contains("precedent"), "{without}");
    let with_store = start_env(&["--use-store"], &env);
    let (status, with) = get(&with_store, q);
    assert_eq!(status, 200);
    assert_eq!(with["precedent_sets"], json!(["entries"]), "{with}");
    let first = &with["suggestions"][0];
    assert_eq!(first["hs6"], "9503.00", "{with}");
    assert_eq!(first["precedents"][0]["row"], 2, "{with}");
    assert!(
        first["signals"]["precedents"].as_f64().unwrap() > 0.0,
        "{with}"
    );
}

/// `GET /v1/duty` answers with `hs duty --json` for the same inputs, every
/// parameter of the command included, and rejects bad questions with JSON
/// errors: 400 for a malformed code, a code that is not a tariff line, a
/// bad country, date, value, transport or an unknown parameter; 404 with
/// the nearest lines for a code not in the schedule.
#[test]
fn duty_answers_as_hs_duty_does() {
    let s = start(&[]);
    for (query, args) in [
        (
            "code=6109.10.00.12&origin=CN&value=100000&transport=sea&date=2026-03-15",
            &[
                "6109.10.00.12",
                "--origin",
                "CN",
                "--value",
                "100000",
                "--transport",
                "sea",
                "--date",
                "2026-03-15",
            ][..],
        ),
        (
            "code=6109.10.00.12&origin=cn&quantity=10&unit=kg&date=2026-11-29",
            &[
                "6109.10.00.12",
                "--origin",
                "cn",
                "--quantity",
                "10",
                "--unit",
                "kg",
                "--date",
                "2026-11-29",
            ][..],
        ),
        (
            "code=7616.99.51.60&origin=DE&value=1000&date=2026-07-01&entry=informal&no_fees=true",
            &[
                "7616.99.51.60",
                "--origin",
                "DE",
                "--value",
                "1000",
                "--date",
                "2026-07-01",
                "--entry",
                "informal",
                "--no-fees",
            ][..],
        ),
    ] {
        let (status, v) = get(&s, &format!("/v1/duty?{query}"));
        assert_eq!(status, 200, "{query}: {v}");
        let mut cli = vec!["duty", "--json"];
        cli.extend_from_slice(args);
        assert_eq!(v, cli_json(&cli), "{query}");
    }
    // The Section 301 T-shirt of the issue, in figures.
    let (_, v) = get(
        &s,
        "/v1/duty?code=6109.10.00.12&origin=CN&value=1000&date=2026-12-01",
    );
    assert_eq!(v["duty"], 165.0);
    assert_eq!(v["additional_duty"], 75.0);
    assert_eq!(v["additional"][0]["code"], "9903.88.15");
    assert_eq!(v["fees"][0]["name"], "MPF");

    for (query, status, code) in [
        ("origin=CN&value=1", 400, "bad_request"),
        ("code=6109.10.00.12", 400, "bad_request"),
        ("code=61x9&origin=CN", 400, "malformed_code"),
        ("code=6109.10&origin=CN", 400, "not_a_tariff_line"),
        ("code=6109.10.00.12&origin=ZZ", 400, "bad_request"),
        (
            "code=6109.10.00.12&origin=CN&date=2026-13-01",
            400,
            "bad_request",
        ),
        (
            "code=6109.10.00.12&origin=CN&value=lots",
            400,
            "bad_request",
        ),
        ("code=6109.10.00.12&origin=CN&value=-5", 400, "bad_request"),
        (
            "code=6109.10.00.12&origin=CN&transport=rail",
            400,
            "bad_request",
        ),
        (
            "code=6109.10.00.12&origin=CN&colour=red",
            400,
            "bad_request",
        ),
        ("code=6109.10.00.99&origin=CN", 404, "unknown_code"),
    ] {
        let (got, v) = get(&s, &format!("/v1/duty?{query}"));
        assert_eq!((got, error_code(&v)), (status, code), "{query}: {v}");
        assert!(!v["error"]["message"].as_str().unwrap().is_empty());
    }
    let (_, v) = get(&s, "/v1/duty?code=6109.10.00.99&origin=CN");
    assert!(!v["did_you_mean"].as_array().unwrap().is_empty(), "{v}");

    let (_, doc) = get(&s, "/openapi.json");
    let params: Vec<&str> = doc["paths"]["/v1/duty"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in [
        "code",
        "origin",
        "value",
        "quantity",
        "unit",
        "date",
        "transport",
        "entry",
        "no_fees",
    ] {
        assert!(params.contains(&name), "{name} missing: {params:?}");
    }
    assert!(doc["components"]["schemas"].get("DutyView").is_some());
}
