//! `hs mcp` end to end: the official Rust SDK's client (`rmcp`) speaks to
//! the real binary over its stdio: the tools answer with the command
//! line's JSON, bad arguments are errors, the notes are resources. A raw
//! client then sends several requests and closes its input at once: every
//! request gets its answer, stdout holds nothing but JSON-RPC lines, and
//! the server exits 0.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they set up

mod common;

use std::io::Write;
use std::process::Stdio;

use rmcp::ServiceExt;
use rmcp::model::{CallToolRequestParams, ReadResourceRequestParams};
use rmcp::transport::TokioChildProcess;
use serde_json::{Value, json};

fn index_ready() {
    common::hs()
        .args(["--quiet", "search", "cotton", "--top", "1"])
        .output()
        .unwrap();
}

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

fn args(v: Value) -> rmcp::model::JsonObject {
    v.as_object().unwrap().clone()
}

fn text(r: &rmcp::model::CallToolResult) -> Value {
    let t = r.content[0].as_text().unwrap();
    serde_json::from_str(&t.text).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sdk_client_uses_tools_and_resources() {
    index_ready();
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_hs"));
    cmd.env("HS_INDEX_DIR", common::test_index())
        .env_remove("HS_DATA_DIR")
        .args(["--quiet", "mcp"]);
    let (transport, _stderr) = TokioChildProcess::builder(cmd)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let client = ().serve(transport).await.unwrap();

    let tools = client.list_all_tools().await.unwrap();
    let mut names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    names.sort_unstable();
    assert_eq!(names, ["classify", "duty", "search", "show"]);
    assert!(
        tools
            .iter()
            .all(|t| t.description.as_ref().is_some_and(|d| d.len() > 100))
    );

    let r = client
        .call_tool(
            CallToolRequestParams::new("search")
                .with_arguments(args(json!({"query": "men's cotton t-shirt"}))),
        )
        .await
        .unwrap();
    assert_ne!(r.is_error, Some(true));
    assert_eq!(
        text(&r),
        cli_json(&["search", "men's cotton t-shirt", "--json"])
    );

    let r = client
        .call_tool(
            CallToolRequestParams::new("show")
                .with_arguments(args(json!({"code": "6109.10.00.12"}))),
        )
        .await
        .unwrap();
    assert_eq!(text(&r), cli_json(&["show", "6109.10.00.12", "--json"]));

    // An unknown code: an error result naming the nearest codes.
    let r = client
        .call_tool(
            CallToolRequestParams::new("show").with_arguments(args(json!({"code": "6109.99"}))),
        )
        .await
        .unwrap();
    assert_eq!(r.is_error, Some(true));
    assert!(!text(&r)["did_you_mean"].as_array().unwrap().is_empty());

    let r = client
        .call_tool(CallToolRequestParams::new("classify").with_arguments(args(
            json!({"descriptions": ["men's cotton t-shirt", ""], "top": 2}),
        )))
        .await
        .unwrap();
    let v = text(&r);
    assert_eq!(v["results"][0]["suggestions"].as_array().unwrap().len(), 2);
    assert_eq!(v["results"][1]["error"], "empty description");

    // The duty: the same JSON as `hs duty --json`, every argument used.
    let r = client
        .call_tool(
            CallToolRequestParams::new("duty").with_arguments(args(json!({
                "code": "6109.10.00.12", "origin": "CN", "value": 100000,
                "date": "2026-03-15", "transport": "sea", "entry": "formal"
            }))),
        )
        .await
        .unwrap();
    assert_ne!(r.is_error, Some(true));
    let v = text(&r);
    assert_eq!(
        v,
        cli_json(&[
            "duty",
            "6109.10.00.12",
            "--origin",
            "CN",
            "--value",
            "100000",
            "--date",
            "2026-03-15",
            "--transport",
            "sea",
            "--entry",
            "formal",
            "--json"
        ])
    );
    assert_eq!(v["additional_duty"], 17500.0);
    let r = client
        .call_tool(
            CallToolRequestParams::new("duty").with_arguments(args(json!({
                "code": "6109.10.00.12", "origin": "CN", "quantity": 10, "unit": "kg",
                "date": "2026-11-29", "no_fees": true
            }))),
        )
        .await
        .unwrap();
    assert_eq!(
        text(&r),
        cli_json(&[
            "duty",
            "6109.10.00.12",
            "--origin",
            "CN",
            "--quantity",
            "10",
            "--unit",
            "kg",
            "--date",
            "2026-11-29",
            "--no-fees",
            "--json"
        ])
    );
    // A line not in the schedule: an error result naming the nearest.
    let r = client
        .call_tool(
            CallToolRequestParams::new("duty")
                .with_arguments(args(json!({"code": "6109.10.00.99", "origin": "CN"}))),
        )
        .await
        .unwrap();
    assert_eq!(r.is_error, Some(true));
    assert!(!text(&r)["did_you_mean"].as_array().unwrap().is_empty());

    // Bad arguments are protocol errors.
    for (name, a) in [
        ("duty", json!({"code": "6109.10.00.12"})),
        ("duty", json!({"code": "6109.10", "origin": "CN"})),
        (
            "duty",
            json!({"code": "6109.10.00.12", "origin": "CN", "date": "2026-13-01"}),
        ),
        (
            "duty",
            json!({"code": "6109.10.00.12", "origin": "CN", "value": "lots"}),
        ),
        (
            "duty",
            json!({"code": "6109.10.00.12", "origin": "CN", "value": -5}),
        ),
        ("search", json!({})),
        ("search", json!({"query": "cotton", "top": 0})),
        // A malformed code, refused as `hs search` refuses it.
        ("search", json!({"query": "6109.1"})),
        ("search", json!({"query": "5.5"})),
        ("show", json!({"code": "abc"})),
        ("classify", json!({"descriptions": vec!["x"; 101]})),
        ("nothing", json!({})),
    ] {
        let r = client
            .call_tool(CallToolRequestParams::new(name).with_arguments(args(a.clone())))
            .await;
        assert!(r.is_err(), "{name} {a}: {r:?}");
    }

    let resources = client.list_all_resources().await.unwrap();
    let uris: Vec<&str> = resources.iter().map(|r| r.uri.as_str()).collect();
    assert!(uris.contains(&"hs://rules/gri"), "{uris:?}");
    assert!(uris.contains(&"hs://notes/chapter/61"), "{uris:?}");
    let gri = client
        .read_resource(ReadResourceRequestParams::new("hs://rules/gri"))
        .await
        .unwrap();
    let body = serde_json::to_value(&gri.contents[0]).unwrap();
    assert!(
        body["text"]
            .as_str()
            .unwrap()
            .contains("GENERAL RULES OF INTERPRETATION"),
        "{body}"
    );
    assert!(
        client
            .read_resource(ReadResourceRequestParams::new("hs://notes/chapter/100"))
            .await
            .is_err()
    );
    client.cancel().await.unwrap();
}

#[test]
fn requests_read_before_the_input_ends_are_all_answered() {
    index_ready();
    let mut child = hs_process()
        .args(["--quiet", "mcp"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = String::new();
    let mut line = |v: &dyn std::fmt::Display| {
        input.push_str(&v.to_string());
        input.push('\n');
    };
    line(
        &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2024-11-05", "capabilities": {},
        "clientInfo": {"name": "test", "version": "0"}}}),
    );
    line(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
    line(&json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
        "params": {"name": "search", "arguments": {"query": "wooden chair"}}}));
    line(&json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
        "params": {"name": "show", "arguments": {"code": "9401"}}}));
    line(&json!({"jsonrpc": "2.0", "id": 4, "method": "tools/call",
        "params": {"name": "classify", "arguments": {"descriptions": ["cotton socks", "steel bolts"]}}}));
    line(&json!({"jsonrpc": "2.0", "id": 5, "method": "tools/list"}));
    // Lines the protocol library would drop or misanswer: answered, with
    // an id, and the server goes on.
    line(&"hello");
    line(&json!({"jsonrpc": "2.0", "id": 6, "method": "tools/call",
        "params": {"name": "search", "arguments": [1]}}));
    line(&json!({"jsonrpc": "2.0", "id": 7, "method": "tools/call",
        "params": {"name": "search", "arguments": {"query": "chair", "tpo": 1}}}));
    line(&json!({"id": 8, "method": "tools/list"}));
    // Everything at once, then the input closes.
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut ids = Vec::new();
    for l in stdout.lines() {
        let v: Value =
            serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON-RPC ({e}): {l}"));
        assert_eq!(v["jsonrpc"], "2.0", "{l}");
        assert!(v.get("id").is_some(), "every response has an id: {l}");
        match v["id"].as_u64() {
            Some(id @ 1..=5) => {
                assert!(v.get("result").is_some(), "{l}");
                ids.push(id);
            }
            Some(id) => {
                let code = v["error"]["code"].as_i64().unwrap();
                assert_eq!(code, if id == 8 { -32600 } else { -32602 }, "{l}");
                ids.push(id);
            }
            None => {
                assert_eq!(v["error"]["code"], -32700, "{l}");
                ids.push(0);
            }
        }
    }
    ids.sort_unstable();
    assert_eq!(ids, [0, 1, 2, 3, 4, 5, 6, 7, 8], "{stdout}");
}
