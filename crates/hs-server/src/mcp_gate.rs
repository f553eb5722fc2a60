//! The line gate in front of the MCP SDK on stdio: each input line is
//! checked as a JSON-RPC 2.0 message before the SDK reads it, and what the
//! SDK would drop without a word (a line that is not JSON, invalid UTF-8, a
//! line over [`MAX_LINE`]) or answer with the wrong code (a `tools/call`
//! whose params are not an object naming a tool) is answered here. Every
//! error response carries an `id` (`null` when the request's is unknown),
//! as JSON-RPC requires. Output lines, the SDK's and the gate's, go to
//! stdout whole, one writer.

use serde_json::{Value, json};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

/// The longest input line read (bytes); a longer one is answered with an
/// error and skipped.
pub const MAX_LINE: usize = 16 * 1024 * 1024;

/// JSON-RPC error codes.
const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const INVALID_PARAMS: i64 = -32602;

/// One line of input, as read.
#[derive(Debug, PartialEq)]
pub enum Line {
    Text(Vec<u8>),
    /// Longer than [`MAX_LINE`]: its bytes were skipped.
    TooLong,
    End,
}

/// Reads one line (without its `\n`), at most [`MAX_LINE`] bytes kept.
pub async fn read_line<R: AsyncBufRead + Unpin>(r: &mut R) -> std::io::Result<Line> {
    let mut out = Vec::new();
    let mut too_long = false;
    loop {
        let buf = r.fill_buf().await?;
        if buf.is_empty() {
            return Ok(match (too_long, out.is_empty()) {
                (true, _) => Line::TooLong,
                (false, true) => Line::End,
                (false, false) => Line::Text(out),
            });
        }
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        if !too_long {
            if out.len() + chunk.len() > MAX_LINE {
                too_long = true;
                out = Vec::new();
            } else {
                out.extend_from_slice(chunk);
            }
        }
        let used = done.unwrap_or(buf.len());
        r.consume(used);
        if done.is_some() {
            return Ok(if too_long {
                Line::TooLong
            } else {
                Line::Text(out)
            });
        }
    }
}

/// 2^53: floats at or above it no longer hold every integer, so an id read
/// as one may not be the id sent.
const MAX_EXACT: f64 = 9_007_199_254_740_992.0;

fn error(id: Value, code: i64, message: impl Into<String>) -> Vec<u8> {
    let v = json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message.into()}});
    v.to_string().into_bytes()
}

/// What to do with an input line: pass it to the SDK, or answer it here.
pub fn check(line: &[u8]) -> Result<(), Vec<u8>> {
    let text = std::str::from_utf8(line).map_err(|e| {
        error(
            Value::Null,
            PARSE_ERROR,
            format!("parse error: invalid UTF-8 ({e})"),
        )
    })?;
    let v: Value = serde_json::from_str(text)
        .map_err(|e| error(Value::Null, PARSE_ERROR, format!("parse error: {e}")))?;
    let Value::Object(m) = v else {
        return Err(error(
            Value::Null,
            INVALID_REQUEST,
            "invalid request: send one JSON-RPC object a line (batches are not taken)",
        ));
    };
    // An id echoed must be the id sent: a number past 64 bits was read as
    // a float, which would echo another number, so it is answered as an id
    // that cannot be read (null).
    let id = match m.get("id") {
        Some(Value::Number(n))
            if n.is_f64() && n.as_f64().is_some_and(|f| f.abs() >= MAX_EXACT) =>
        {
            Value::Null
        }
        Some(v) => v.clone(),
        None => Value::Null,
    };
    if m.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Err(error(
            id,
            INVALID_REQUEST,
            "invalid request: \"jsonrpc\" must be \"2.0\"",
        ));
    }
    let Some(method) = m.get("method") else {
        // A response to a request of the server's: the SDK's to read.
        if m.contains_key("result") || m.contains_key("error") {
            return Ok(());
        }
        return Err(error(id, INVALID_REQUEST, "invalid request: no \"method\""));
    };
    let Some(method) = method.as_str() else {
        return Err(error(
            id,
            INVALID_REQUEST,
            "invalid request: \"method\" must be a string",
        ));
    };
    match m.get("id") {
        None | Some(Value::String(_)) => {}
        // The SDK reads integer ids as i64.
        Some(Value::Number(n)) if n.is_i64() => {}
        Some(_) => {
            return Err(error(
                id,
                INVALID_REQUEST,
                "invalid request: \"id\" must be a string or an integer (at most 2^63 - 1)",
            ));
        }
    }
    let params = m.get("params");
    let object_with = |key: &str| {
        params
            .and_then(Value::as_object)
            .is_some_and(|p| p.get(key).is_some_and(Value::is_string))
    };
    // Params, when given, are an object (MCP), and so is their `_meta`:
    // the SDK answers anything else with an error that lost the id.
    let meta_ok = params
        .and_then(Value::as_object)
        .and_then(|p| p.get("_meta"))
        .is_none_or(|m| m.is_object() || m.is_null());
    let shape_ok = params.is_none_or(|p| p.is_object() || p.is_null());
    let bad = match method {
        _ if !shape_ok => Some("params must be an object"),
        _ if !meta_ok => Some("params._meta must be an object"),
        "tools/call" => {
            let args_ok = params
                .and_then(|p| p.get("arguments"))
                .is_none_or(|a| a.is_object() || a.is_null());
            (!object_with("name") || !args_ok)
                .then_some("tools/call takes params {\"name\": TOOL, \"arguments\": {...}}")
        }
        "resources/read" => {
            (!object_with("uri")).then_some("resources/read takes params {\"uri\": URI}")
        }
        _ => None,
    };
    match bad {
        Some(msg) if m.contains_key("id") => {
            Err(error(id, INVALID_PARAMS, format!("invalid params: {msg}")))
        }
        // A notification gets no answer, right or wrong.
        Some(_) => Err(Vec::new()),
        None => Ok(()),
    }
}

/// Where a session stands, for the lines before it has started: the SDK
/// takes `initialize` first and stops at anything else (a notification
/// or a response before it ended the session unanswered).
#[derive(Debug, Default)]
pub struct Session {
    /// An `initialize` request was passed to the SDK.
    pub started: bool,
}

impl Session {
    /// As [`check`], and before `initialize`: `ping` is answered, another
    /// request is answered "send initialize first", a notification or a
    /// response is dropped; the SDK sees `initialize` first.
    pub fn check(&mut self, line: &[u8]) -> Result<(), Vec<u8>> {
        check(line)?;
        if self.started {
            return Ok(());
        }
        let Ok(Value::Object(m)) = serde_json::from_slice::<Value>(line) else {
            return Ok(());
        };
        match (m.get("method").and_then(Value::as_str), m.get("id")) {
            (Some("initialize"), Some(_)) => {
                self.started = true;
                Ok(())
            }
            // Allowed before the session (MCP lifecycle): answered here.
            (Some("ping"), Some(id)) => Err(json!({"jsonrpc": "2.0", "id": id, "result": {}})
                .to_string()
                .into_bytes()),
            (Some(method), Some(id)) => Err(error(
                id.clone(),
                INVALID_REQUEST,
                format!("invalid request: {method} before initialize; send initialize first"),
            )),
            // A notification or a response before the session: nothing to
            // answer, and not for the SDK.
            _ => Err(Vec::new()),
        }
    }
}

/// An output line of the SDK's, with `"id": null` added to an error
/// response that lacks an id.
pub fn mend_output(line: Vec<u8>) -> Vec<u8> {
    let Ok(Value::Object(mut m)) = serde_json::from_slice::<Value>(&line) else {
        return line;
    };
    if m.contains_key("error") && !m.contains_key("id") {
        m.insert("id".into(), Value::Null);
        return Value::Object(m).to_string().into_bytes();
    }
    line
}

/// Pumps stdin through the gate into `to_sdk`; lines answered here go to
/// `answers`. Returns at the end of the input (dropping `to_sdk`, so the
/// SDK sees the end too).
pub async fn pump<R, W>(
    mut input: R,
    mut to_sdk: W,
    answers: mpsc::UnboundedSender<Vec<u8>>,
    started: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> std::io::Result<()>
where
    R: AsyncBufRead + Unpin,
    W: tokio::io::AsyncWrite + Unpin,
{
    let mut session = Session::default();
    loop {
        match read_line(&mut input).await? {
            Line::End => break,
            Line::TooLong => {
                tracing::warn!("an input line over {MAX_LINE} bytes was skipped");
                let _ = answers.send(error(
                    Value::Null,
                    INVALID_REQUEST,
                    format!("invalid request: a line over {MAX_LINE} bytes was not read"),
                ));
            }
            Line::Text(bytes) => {
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let checked = session.check(&bytes);
                if session.started {
                    started.store(true, std::sync::atomic::Ordering::SeqCst);
                }
                match checked {
                    Ok(()) => {
                        to_sdk.write_all(&bytes).await?;
                        to_sdk.write_all(b"\n").await?;
                        to_sdk.flush().await?;
                    }
                    Err(answer) => {
                        if !answer.is_empty() {
                            tracing::debug!(
                                "answered at the gate: {}",
                                String::from_utf8_lossy(&answer)
                            );
                            // The receiver lives as long as the output task.
                            let _ = answers.send(answer);
                        }
                    }
                }
            }
        }
    }
    to_sdk.shutdown().await
}

/// Writes the SDK's output lines and the gate's answers to `out`, each
/// whole, until both have ended.
pub async fn merge<R, W>(
    from_sdk: R,
    mut answers: mpsc::UnboundedReceiver<Vec<u8>>,
    mut out: W,
) -> std::io::Result<()>
where
    R: AsyncBufRead + Unpin,
    W: tokio::io::AsyncWrite + Unpin,
{
    let mut lines = from_sdk.split(b'\n');
    let (mut sdk_open, mut gate_open) = (true, true);
    while sdk_open || gate_open {
        let line = tokio::select! {
            l = lines.next_segment(), if sdk_open => match l? {
                Some(l) if l.is_empty() => continue,
                Some(l) => mend_output(l),
                None => { sdk_open = false; continue; }
            },
            a = answers.recv(), if gate_open => match a {
                Some(a) => a,
                None => { gate_open = false; continue; }
            },
        };
        out.write_all(&line).await?;
        out.write_all(b"\n").await?;
        out.flush().await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn answer(line: &str) -> Value {
        serde_json::from_slice(&check(line.as_bytes()).unwrap_err()).unwrap()
    }

    #[test]
    fn good_requests_pass() {
        for l in [
            r#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#,
            r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            r#"{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"search","arguments":{"query":"x"}}}"#,
            r#"{"jsonrpc":"2.0","id":2,"result":{}}"#,
        ] {
            assert!(check(l.as_bytes()).is_ok(), "{l}");
        }
    }

    #[test]
    fn broken_lines_are_answered_with_an_id() {
        let a = answer("hello");
        assert_eq!(
            (a["id"].clone(), a["error"]["code"].as_i64()),
            (Value::Null, Some(-32700))
        );
        let a: Value = serde_json::from_slice(
            &check(b"{\"jsonrpc\":\"2.0\",\"id\":2,\"x\":\"\xff\"}").unwrap_err(),
        )
        .unwrap();
        assert_eq!(a["error"]["code"], -32700);
        let a = answer(r#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#);
        assert_eq!(
            (a["id"].clone(), a["error"]["code"].as_i64()),
            (Value::Null, Some(-32600))
        );
        let a = answer(r#"{"id":2,"method":"tools/list"}"#);
        assert_eq!(
            (a["id"].as_i64(), a["error"]["code"].as_i64()),
            (Some(2), Some(-32600))
        );
        let a = answer(r#"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#);
        assert_eq!(a["error"]["code"], -32600);
        let a = answer(r#"{"jsonrpc":"2.0","id":9223372036854775808,"method":"ping"}"#);
        assert_eq!(a["error"]["code"], -32600);
        assert_eq!(a["id"].as_u64(), Some(1 << 63), "the id is echoed");
        let a = answer(r#"{"jsonrpc":"2.0","id":18446744073709551617,"method":"ping"}"#);
        assert_eq!(
            (a["id"].clone(), a["error"]["code"].as_i64()),
            (Value::Null, Some(-32600)),
            "an id past 64 bits is never echoed as another number"
        );
        let a = answer(
            r#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"search","arguments":[1]}}"#,
        );
        assert_eq!(
            (a["id"].as_i64(), a["error"]["code"].as_i64()),
            (Some(3), Some(-32602))
        );
        let a = answer(r#"{"jsonrpc":"2.0","id":4,"method":"tools/call"}"#);
        assert_eq!(a["error"]["code"], -32602);
        let a = answer(r#"{"jsonrpc":"2.0","id":5,"method":"resources/read","params":{}}"#);
        assert_eq!(a["error"]["code"], -32602);
        // A bad notification is not answered.
        assert_eq!(
            check(br#"{"jsonrpc":"2.0","method":"tools/call"}"#),
            Err(Vec::new())
        );
    }

    #[test]
    fn params_that_are_no_object_are_answered_with_the_id() {
        for l in [
            r#"{"jsonrpc":"2.0","id":5,"method":"tools/list","params":[1]}"#,
            r#"{"jsonrpc":"2.0","id":5,"method":"resources/list","params":5}"#,
            r#"{"jsonrpc":"2.0","id":5,"method":"ping","params":"x"}"#,
            r#"{"jsonrpc":"2.0","id":5,"method":"tools/list","params":{"_meta":5}}"#,
        ] {
            let a = answer(l);
            assert_eq!(
                (a["id"].as_i64(), a["error"]["code"].as_i64()),
                (Some(5), Some(-32602)),
                "{l}"
            );
        }
    }

    #[test]
    fn before_initialize_requests_are_told_and_notifications_dropped() {
        let mut s = Session::default();
        assert_eq!(
            s.check(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#),
            Err(Vec::new())
        );
        assert_eq!(
            s.check(br#"{"jsonrpc":"2.0","id":9,"result":{}}"#),
            Err(Vec::new())
        );
        let a: Value = serde_json::from_slice(
            &s.check(br#"{"jsonrpc":"2.0","id":3,"method":"tools/list"}"#)
                .unwrap_err(),
        )
        .unwrap();
        assert_eq!(a["id"], 3);
        assert!(
            a["error"]["message"]
                .as_str()
                .unwrap()
                .contains("initialize first")
        );
        assert!(!s.started);
        assert!(
            s.check(br#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#)
                .is_ok()
        );
        assert!(s.started);
        assert!(
            s.check(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
                .is_ok()
        );
    }

    #[test]
    fn an_error_without_an_id_gets_a_null_one() {
        let out =
            mend_output(br#"{"jsonrpc":"2.0","error":{"code":-32600,"message":"x"}}"#.to_vec());
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert!(v.get("id").is_some_and(Value::is_null));
        let ok = br#"{"jsonrpc":"2.0","id":1,"result":{}}"#.to_vec();
        assert_eq!(mend_output(ok.clone()), ok);
    }

    #[tokio::test]
    async fn long_lines_are_skipped_whole() {
        let mut input = vec![b'x'; MAX_LINE + 10];
        input.extend_from_slice(b"\nnext\n");
        let mut r = tokio::io::BufReader::new(&input[..]);
        assert_eq!(read_line(&mut r).await.unwrap(), Line::TooLong);
        assert_eq!(
            read_line(&mut r).await.unwrap(),
            Line::Text(b"next".to_vec())
        );
        assert_eq!(read_line(&mut r).await.unwrap(), Line::End);
    }
}
