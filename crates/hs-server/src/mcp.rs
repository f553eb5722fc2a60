//! `hs mcp`: a Model Context Protocol server over stdio (the official Rust
//! SDK, `rmcp`). Tools `search`, `show`, `duty` and `classify` answer with
//! the same JSON as the command line; the General Rules of Interpretation and the
//! section and chapter notes are resources. Standard output carries only
//! JSON-RPC messages; notices go to stderr. When the input ends, requests
//! already read are answered, then it returns.

use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    JsonObject, ListResourcesResult, ListToolsResult, PaginatedRequestParams,
    ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, Resource,
    ResourceContents, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, RoleServer, ServerHandler, ServiceExt};
use serde::Serialize;
use serde_json::{Value, json};

use crate::service::{CodeError, DutyFailure, DutyParams, MAX_TOP, Service};

/// The most descriptions one `classify` call may carry.
pub const MAX_CLASSIFY: usize = 100;
/// The URI of the General Rules of Interpretation.
pub const GRI_URI: &str = "hs://rules/gri";

/// The MCP server: the shared service behind the tools and resources.
#[derive(Clone)]
pub struct Mcp {
    service: Arc<Service>,
}

impl Mcp {
    pub fn new(service: Arc<Service>) -> Mcp {
        Mcp { service }
    }
}

fn schema(v: Value) -> JsonObject {
    match v {
        Value::Object(m) => m,
        _ => JsonObject::new(),
    }
}

/// The tools, with descriptions meant for an agent choosing among them.
pub fn tools() -> Vec<Tool> {
    vec![
        Tool::new(
            "search",
            "Find the Harmonized System (HS 2022) code of goods from a plain-language description \
             (what it is, what it is made of, who it is for), e.g. \"men's cotton t-shirt\". \
             Returns ranked suggestions down to US tariff lines (10-digit HTS codes), each with \
             a confidence, the words that matched, the path from chapter to line, and \
             controlled-goods flags. A code given as the query lists that code and what lies \
             under it. Use `show` next to read a code's legal text, notes and duty.",
            schema(json!({
                "type": "object",
                "properties": {
                    "query": {"type": "string", "description": "The goods description (or an HS code)."},
                    "top": {"type": "integer", "minimum": 1, "maximum": MAX_TOP, "default": 10,
                            "description": "How many suggestions (1-200)."}
                },
                "required": ["query"]
            })),
        ),
        Tool::new(
            "show",
            "Show one HS code (heading 6109, subheading 6109.10 or US line 6109.10.00.12): its \
             official text and self-contained description, its path from the section down, \
             children, units of quantity, the US duty rates (General, Special programs, \
             Column 2), which section and chapter notes apply (their texts with notes=true) \
             and controlled-goods flags. An unknown code is an error listing the nearest codes.",
            schema(json!({
                "type": "object",
                "properties": {
                    "code": {"type": "string", "description": "An HS code: 6109, 6109.10, 610910, 6109.10.00.12."},
                    "notes": {"type": "boolean", "default": false,
                              "description": "Add the section and chapter notes' texts."}
                },
                "required": ["code"]
            })),
        ),
        Tool::new(
            "duty",
            "Compute the US import duty actually owed on goods of one US tariff line \
             (8 or 10 digits, e.g. 6109.10.00.12; find it with `search` first) from a country \
             of origin on a date of entry: the rate that applies to that origin (General, a \
             free-trade or preference program, or Column 2) and why, the duty for a customs \
             value or quantity with its arithmetic, the additional chapter 99 duties in force \
             on the date (Section 301 China, Section 232 metals, Section 122, ...; `additional`, \
             `additional_duty`, and `may_be_excluded` headings whose exclusions depend on facts \
             not given), the Merchandise Processing and Harbor Maintenance fees (`fees`), the \
             `total`, and what is not computed (anti-dumping duties...). Same JSON as \
             `hs duty --json`.",
            schema(json!({
                "type": "object",
                "properties": {
                    "code": {"type": "string", "description": "A US tariff line (6109.10.00) or statistical line (6109.10.00.12)."},
                    "origin": {"type": "string", "description": "Country of origin, ISO 3166-1 alpha-2 (CN, MX, DE)."},
                    "value": {"type": "number", "minimum": 0, "description": "Customs value in USD (for ad valorem rates, chapter 99 duties and fees)."},
                    "quantity": {"type": "number", "minimum": 0, "description": "Quantity in the line's first unit of quantity (for specific rates), unless `unit` names another."},
                    "unit": {"type": "string", "description": "The unit of `quantity`, one of the line's units (e.g. kg on a line reporting doz. and kg)."},
                    "date": {"type": "string", "format": "date", "description": "Date of entry, YYYY-MM-DD (default today): decides which measures apply."},
                    "transport": {"type": "string", "enum": ["sea", "air", "land", "mail"], "description": "How the goods arrive; the Harbor Maintenance Fee applies by sea only."},
                    "entry": {"type": "string", "enum": ["formal", "informal"], "description": "Kind of entry (default: informal up to $2,500, formal above)."},
                    "no_fees": {"type": "boolean", "default": false, "description": "Leave out the fees."}
                },
                "required": ["code", "origin"]
            })),
        ),
        Tool::new(
            "classify",
            "Classify a batch of up to 100 goods descriptions at once (one row each, in order), \
             each with ranked HS code suggestions, a `review` mark when the top two are close or \
             the best is weak, and an error for an empty description. Prefer this over many \
             `search` calls for lists of goods.",
            schema(json!({
                "type": "object",
                "properties": {
                    "descriptions": {"type": "array", "items": {"type": "string"},
                                     "maxItems": MAX_CLASSIFY, "description": "Up to 100 goods descriptions."},
                    "top": {"type": "integer", "minimum": 1, "maximum": MAX_TOP, "default": 5,
                            "description": "Suggestions per row (1-200)."}
                },
                "required": ["descriptions"]
            })),
        ),
    ]
}

fn text_json(v: &impl Serialize) -> Result<String, McpError> {
    serde_json::to_string(v).map_err(|e| McpError::internal_error(e.to_string(), None))
}

fn arg_str(args: &JsonObject, name: &str) -> Result<String, McpError> {
    args.get(name)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| McpError::invalid_params(format!("`{name}` (a string) is required"), None))
}

fn arg_top(args: &JsonObject, default: usize) -> Result<usize, McpError> {
    match args.get("top") {
        None | Some(Value::Null) => Ok(default),
        Some(v) => match v.as_u64() {
            Some(t) if (1..=MAX_TOP as u64).contains(&t) => Ok(t as usize),
            _ => Err(McpError::invalid_params(
                format!("`top` must be an integer from 1 to {MAX_TOP}"),
                None,
            )),
        },
    }
}

/// Refuses arguments a tool does not take (a misspelt `top` would be
/// ignored silently otherwise).
fn known_args(args: &JsonObject, known: &[&str]) -> Result<(), McpError> {
    match args.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(McpError::invalid_params(
            format!(
                "unknown argument `{}`; this tool takes {}",
                k.chars().take(40).collect::<String>(),
                known
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None,
        )),
        None => Ok(()),
    }
}

fn arg_bool(args: &JsonObject, name: &str) -> Result<bool, McpError> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(McpError::invalid_params(
            format!("`{name}` must be true or false"),
            None,
        )),
    }
}

impl Mcp {
    /// Runs a tool; a tool-level failure (an unknown code) is an error
    /// result the agent can read, bad arguments are a protocol error.
    async fn run_tool(&self, name: &str, args: JsonObject) -> Result<CallToolResult, McpError> {
        let service = Arc::clone(&self.service);
        let ok = |s: String| CallToolResult::success(vec![ContentBlock::text(s)]);
        match name {
            "search" => {
                known_args(&args, &["query", "top"])?;
                let query = arg_str(&args, "query")?;
                if query.trim().is_empty() {
                    return Err(McpError::invalid_params("`query` is empty", None));
                }
                Service::check_query(&query).map_err(|m| McpError::invalid_params(m, None))?;
                let top = arg_top(&args, 10)?;
                let v = blocking(move || service.search(&query, top))
                    .await?
                    .map_err(|e| McpError::internal_error(e.to_string(), None))?;
                Ok(ok(text_json(&v)?))
            }
            "show" => {
                known_args(&args, &["code", "notes"])?;
                let code = arg_str(&args, "code")?;
                let notes = arg_bool(&args, "notes")?;
                match blocking(move || service.show(&code, notes)).await? {
                    Ok(v) => Ok(ok(text_json(&v)?)),
                    Err(CodeError::Malformed(m)) => Err(McpError::invalid_params(m, None)),
                    Err(CodeError::Unknown(u)) => {
                        Ok(CallToolResult::error(vec![ContentBlock::text(text_json(
                            &u,
                        )?)]))
                    }
                }
            }
            "duty" => {
                let params: DutyParams = serde_json::from_value(Value::Object(args))
                    .map_err(|e| McpError::invalid_params(e.to_string(), None))?;
                let q = params
                    .query()
                    .map_err(|e| McpError::invalid_params(e.message, None))?;
                match blocking(move || service.duty(&q)).await? {
                    Ok(v) => Ok(ok(text_json(&v)?)),
                    Err(DutyFailure::Input(e)) => {
                        Err(McpError::invalid_params(e.to_string(), None))
                    }
                    Err(DutyFailure::Unknown(u)) => {
                        Ok(CallToolResult::error(vec![ContentBlock::text(text_json(
                            &u,
                        )?)]))
                    }
                    Err(DutyFailure::Data(e)) => Err(McpError::internal_error(e.to_string(), None)),
                }
            }
            "classify" => {
                known_args(&args, &["descriptions", "top"])?;
                let list = args
                    .get("descriptions")
                    .and_then(Value::as_array)
                    .ok_or_else(|| {
                        McpError::invalid_params(
                            "`descriptions` (an array of strings) is required",
                            None,
                        )
                    })?;
                if list.len() > MAX_CLASSIFY {
                    return Err(McpError::invalid_params(
                        format!(
                            "at most {MAX_CLASSIFY} descriptions per call, not {}",
                            list.len()
                        ),
                        None,
                    ));
                }
                let descriptions = list
                    .iter()
                    .map(|d| d.as_str().map(str::to_string))
                    .collect::<Option<Vec<String>>>()
                    .ok_or_else(|| {
                        McpError::invalid_params("each description must be a string", None)
                    })?;
                let top = arg_top(&args, 5)?;
                let rows = blocking(move || service.classify(1, &descriptions, top))
                    .await?
                    .map_err(|e| McpError::internal_error(e.to_string(), None))?;
                Ok(ok(text_json(&json!({ "results": rows }))?))
            }
            other => Err(McpError::invalid_params(
                format!("no tool named `{other}`"),
                None,
            )),
        }
    }

    fn resources(&self) -> Vec<Resource> {
        let notes = &self.service.engine().data.notes;
        let mut out = vec![
            Resource::new(GRI_URI, "General Rules of Interpretation")
                .with_description(
                    "The General Rules for the Interpretation of the Harmonized System (GRI 1-6) \
                     and the Additional U.S. Rules: how goods are classified when several headings \
                     could apply.",
                )
                .with_mime_type("text/markdown"),
        ];
        for n in 1..=21u8 {
            if notes.section(n).is_some() {
                out.push(
                    Resource::new(
                        format!("hs://notes/section/{n}"),
                        format!("Section {} notes", hs_core::code::roman(n)),
                    )
                    .with_description(format!(
                        "The legal notes of section {}: what its chapters cover and exclude.",
                        hs_core::code::roman(n)
                    ))
                    .with_mime_type("text/plain"),
                );
            }
        }
        for c in 1..=99u8 {
            if notes.chapter(c).is_some() {
                out.push(
                    Resource::new(format!("hs://notes/chapter/{c:02}"), format!("Chapter {c:02} notes"))
                        .with_description(format!("The legal notes of chapter {c:02}: what it covers and excludes, and its definitions."))
                        .with_mime_type("text/plain"),
                );
            }
        }
        out
    }

    fn read(&self, uri: &str) -> Option<String> {
        let notes = &self.service.engine().data.notes;
        if uri == GRI_URI {
            return (!notes.gri.is_empty()).then(|| notes.gri.clone());
        }
        if let Some(n) = uri.strip_prefix("hs://notes/section/") {
            return notes.section(n.parse().ok()?).map(str::to_string);
        }
        if let Some(c) = uri.strip_prefix("hs://notes/chapter/") {
            return notes.chapter(c.parse().ok()?).map(str::to_string);
        }
        None
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, McpError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| McpError::internal_error(format!("the tool failed: {e}"), None))
}

impl ServerHandler for Mcp {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_resources()
                .build(),
        )
        .with_server_info(Implementation::new("hs", env!("CARGO_PKG_VERSION")))
        .with_instructions(
            "hs classifies goods into Harmonized System (HS 2022) codes and the US tariff lines \
             under them. Use `search` for one description, `classify` for a list, `show` to read \
             a code's text, notes, rates and flags, `duty` for the duty, chapter 99 duties and \
             fees owed on a line from an origin on a date. The resources hold the General Rules of \
             Interpretation and the section and chapter notes, which decide borderline cases. \
             Suggestions are advice: a person confirms the classification.",
        )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        Ok(ListToolsResult::with_all_items(tools()))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        tools().into_iter().find(|t| t.name == name)
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        let args = request.arguments.unwrap_or_default();
        Ok(self.run_tool(&request.name, args).await?.into())
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, McpError> {
        Ok(ListResourcesResult::with_all_items(self.resources()))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, McpError> {
        match self.read(&request.uri) {
            Some(text) => {
                let mime = if request.uri == GRI_URI {
                    "text/markdown"
                } else {
                    "text/plain"
                };
                let contents = ResourceContents::text(text, request.uri).with_mime_type(mime);
                Ok(ReadResourceResult::new(vec![contents]).into())
            }
            None => Err(McpError::resource_not_found(
                format!("no resource {}", request.uri),
                None,
            )),
        }
    }
}

/// Why the MCP server stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum McpServeError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("MCP: {0}")]
    Protocol(String),
}

/// `hs mcp`: serves on stdin/stdout until the input ends, answering every
/// request already read, then returns.
pub fn run(service: Arc<Service>) -> Result<(), McpServeError> {
    crate::http::init_logs();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    eprintln!("hs: MCP server on stdio (tools: search, show, duty, classify; input end stops it)");
    rt.block_on(async move {
        // stdin -> gate -> SDK; the SDK's output and the gate's answers ->
        // stdout, one writer (see `mcp_gate`).
        let (to_sdk, sdk_in) = tokio::io::duplex(256 * 1024);
        let (sdk_out, from_sdk) = tokio::io::duplex(256 * 1024);
        let (answers, answered) = tokio::sync::mpsc::unbounded_channel();
        let input = tokio::io::BufReader::new(tokio::io::stdin());
        let started = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let pump = tokio::spawn(crate::mcp_gate::pump(
            input,
            to_sdk,
            answers,
            Arc::clone(&started),
        ));
        let output = tokio::spawn(crate::mcp_gate::merge(
            tokio::io::BufReader::new(from_sdk),
            answered,
            tokio::io::stdout(),
        ));
        let served = async {
            let running = Mcp::new(service)
                .serve((sdk_in, sdk_out))
                .await
                .map_err(|e| McpServeError::Protocol(e.to_string()))?;
            running
                .waiting()
                .await
                .map_err(|e| McpServeError::Protocol(e.to_string()))?;
            Ok::<(), McpServeError>(())
        }
        .await;
        let joined = |r: Result<std::io::Result<()>, tokio::task::JoinError>| {
            r.map_err(|e| McpServeError::Protocol(e.to_string()))?
                .map_err(McpServeError::Io)
        };
        // The SDK stopped with an error (a session that did not start with
        // `initialize`): stop reading too, rather than wait for the input's
        // end; its answers already queued are still written.
        if served.is_err() {
            pump.abort();
            let _ = output.await;
            // The input ended before any `initialize` (the gate passes the
            // SDK nothing else first): nothing was asked, nothing failed.
            if !started.load(std::sync::atomic::Ordering::SeqCst) {
                return Ok(());
            }
            return served;
        }
        joined(pump.await)?;
        joined(output.await)?;
        served
    })
}
