//! `hs serve`: the HTTP JSON API (axum on tokio). Routes, the JSON error
//! shape `{"error": {"code", "message"}}`, the limits (body size, `top`,
//! batch size, time), bearer-token authentication off loopback, ranking on
//! the blocking pool, graceful shutdown on SIGTERM or Ctrl-C, and the
//! OpenAPI document generated from the handlers' types.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;
use tower_http::trace::TraceLayer;
use utoipa::{IntoParams, OpenApi, ToSchema};

use hs_core::tariff::{Applied, Fee};
use hs_core::view::duty::{QuantityView, RateCells};
use hs_core::view::node::{Brief, Child, NodeDuty, NotesRef};
use hs_core::view::search::BrandRead;
use hs_core::view::{
    ClassifyRow, DutyView, FlagView, NodeView, SearchView, SuggestionView, UnknownCode,
};

use crate::service::{
    CodeError, DutyFailure, DutyParams, MAX_BATCH, MAX_TOP, Service, duty_error_code,
};

/// The longest error message sent (characters): one that quotes a long
/// input is cut, with the full length said.
const MESSAGE_CHARS: usize = 500;

/// The largest request body accepted (bytes).
pub const MAX_BODY: usize = 10 * 1024 * 1024;
/// The longest a request may take, from its headers to its response,
/// reading the body included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// The longest a client may take to send a request's headers; a
/// connection that stalls there is closed (it would hold a socket and
/// delay shutdown for ever otherwise).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(30);
/// Most connections served at once; more wait to be accepted (well under
/// the usual limit of 1,024 open files, so the server never runs out).
pub const MAX_CONNECTIONS: usize = 512;
/// Suggestions per search when `top` is not given.
pub const SEARCH_TOP: usize = 10;
/// Suggestions per classified row when `top` is not given.
pub const CLASSIFY_TOP: usize = 5;
/// Most suggestions one classify call may ask for (descriptions x `top`):
/// about 60 MB of JSON, so one small request cannot make the server build
/// a response of gigabytes.
pub const MAX_SUGGESTIONS: usize = 100_000;

/// How the server is started.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    /// Required as `Authorization: Bearer TOKEN` on every route but
    /// `/health` when set; must be set to listen off loopback.
    pub token: Option<String>,
}

/// Why the server did not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "{0} is not a loopback address: give a token (--token or HS_TOKEN) so the service is not open to the network without one"
    )]
    NeedsToken(SocketAddr),
    #[error("an empty token would let anyone in")]
    EmptyToken,
    #[error(
        "the token starts or ends with a space: no client could send it (the token a client sends is read without them); give it without"
    )]
    TokenSpaces,
    #[error(
        "the token holds characters an HTTP header cannot carry (only visible ASCII and spaces): no client could send it"
    )]
    TokenChars,
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// Refuses to open an unauthenticated service on a network address.
pub fn check_exposure(config: &Config) -> Result<(), ServeError> {
    match &config.token {
        Some(t) if t.trim().is_empty() => Err(ServeError::EmptyToken),
        Some(t) if t.trim() != t => Err(ServeError::TokenSpaces),
        // An HTTP header carries visible ASCII and spaces only.
        Some(t) if !t.bytes().all(|b| (0x20..=0x7e).contains(&b)) => Err(ServeError::TokenChars),
        None if !config.addr.ip().is_loopback() => Err(ServeError::NeedsToken(config.addr)),
        _ => Ok(()),
    }
}

#[derive(Clone)]
struct AppState {
    service: Arc<Service>,
    token: Option<Arc<str>>,
    /// Ranking jobs running at once on the blocking pool; more wait here
    /// without holding a thread.
    ranking: Arc<Semaphore>,
}

/// The error body: `{"error": {"code": "...", "message": "..."}}`, with
/// `did_you_mean` beside it for an unknown code.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
    /// For an unknown code: the nearest existing codes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub did_you_mean: Option<Vec<Brief>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable, machine-readable slug (`bad_request`, `unknown_code`...).
    pub code: &'static str,
    /// What went wrong, for a person.
    pub message: String,
}

/// An error response.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        // A message may quote the input: at most MESSAGE_CHARS of it.
        let message = hs_core::text::cut_short(&message.into(), MESSAGE_CHARS);
        ApiError {
            status,
            body: ErrorBody {
                error: ErrorDetail { code, message },
                did_you_mean: None,
            },
        }
    }

    fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// The index could not be searched (damaged): the operator must rebuild it.
    fn index(e: hs_core::rank::RankError) -> ApiError {
        tracing::error!("{e}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "index_error",
            e.to_string(),
        )
    }

    /// 404 for a well-formed code that does not exist, with the nearest.
    fn unknown(message: String, u: UnknownCode) -> ApiError {
        let mut e = ApiError::new(StatusCode::NOT_FOUND, "unknown_code", message);
        e.body.did_you_mean = Some(u.did_you_mean);
        e
    }

    fn too_large() -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("the request body is over {MAX_BODY} bytes"),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = (self.status, axum::Json(self.body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        r
    }
}

/// A malformed body: too large (413), not JSON or not the expected shape (400).
impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> ApiError {
        match r.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::too_large(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with Content-Type: application/json",
            ),
            _ => ApiError::bad_request(format!("malformed JSON body: {}", r.body_text())),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> ApiError {
        ApiError::bad_request(format!("bad query parameters: {}", r.body_text()))
    }
}

type ApiResult<T> = Result<axum::Json<T>, ApiError>;

/// Runs ranking work on the blocking pool, at most as many jobs at once as
/// the semaphore allows.
async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&Service) -> T + Send + 'static,
) -> Result<T, ApiError> {
    limited(&state.ranking, Arc::clone(&state.service), f).await
}

/// Runs `f` on the blocking pool once `limit` gives a permit. The permit
/// goes with the job: a client that goes away (or the request timeout)
/// drops this future, not the job, which keeps its place until it ends.
async fn limited<S: Send + Sync + 'static, T: Send + 'static>(
    limit: &Arc<Semaphore>,
    shared: Arc<S>,
    f: impl FnOnce(&S) -> T + Send + 'static,
) -> Result<T, ApiError> {
    let permit = Arc::clone(limit).acquire_owned().await.map_err(|_| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting_down",
            "the server is stopping",
        )
    })?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        f(&shared)
    })
    .await
    .map_err(|e| {
        tracing::error!("a ranking job failed: {e}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the request failed inside the server",
        )
    })
}

fn check_top(top: Option<usize>, default: usize) -> Result<usize, ApiError> {
    match top.unwrap_or(default) {
        t @ 1..=MAX_TOP => Ok(t),
        t => Err(ApiError::bad_request(format!(
            "top must be 1 to {MAX_TOP}, not {t}"
        ))),
    }
}

/// The service is up.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
    /// Nodes in the code tree.
    pub nodes: usize,
}

/// Liveness: answers without authentication, for load balancers.
#[utoipa::path(
    get,
    path = "/health",
    security(()),
    responses((status = 200, body = Health, description = "the service is up; how many nodes its tree holds"))
)]
async fn health(State(state): State<AppState>) -> axum::Json<Health> {
    axum::Json(Health {
        status: "ok",
        nodes: state.service.engine().data.tree.len(),
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// The goods description (or a code, to list it and what lies under it).
    pub q: Option<String>,
    /// How many suggestions, 1 to 200 (default 10).
    #[param(minimum = 1, maximum = 200)]
    pub top: Option<usize>,
}

/// Ranked HS codes for a goods description (as `hs search --json`).
#[utoipa::path(
    get,
    path = "/v1/search",
    params(SearchParams),
    responses(
        (status = 200, body = SearchView, description = "the ranked suggestions"),
        (status = 400, body = ErrorBody, description = "no `q`, `top` out of range, an unknown parameter, or a URL that is not percent-encoded UTF-8 (`bad_request`)"),
        (status = 500, body = ErrorBody, description = "the index could not be searched (`index_error`)"),
    )
)]
async fn search(
    State(state): State<AppState>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> ApiResult<SearchView> {
    let Query(p) = params?;
    let top = check_top(p.top, SEARCH_TOP)?;
    let q = p.q.unwrap_or_default();
    if q.trim().is_empty() {
        return Err(ApiError::bad_request("give the goods description as q"));
    }
    Service::check_query(&q).map_err(ApiError::bad_request)?;
    let view = blocking(&state, move |s| s.search(&q, top)).await?;
    Ok(axum::Json(view.map_err(ApiError::index)?))
}

/// A batch of descriptions to classify.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassifyRequest {
    /// At most 10,000 descriptions.
    #[schema(max_items = 10000)]
    pub descriptions: Vec<String>,
    /// Suggestions per row, 1 to 200 (default 5).
    #[schema(minimum = 1, maximum = 200)]
    pub top: Option<usize>,
}

/// One row per description, in order.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClassifyResponse {
    pub results: Vec<ClassifyRow>,
}

/// Classifies a batch (each row as a line of `hs classify` JSON lines).
#[utoipa::path(
    post,
    path = "/v1/classify",
    request_body = ClassifyRequest,
    responses(
        (status = 200, body = ClassifyResponse, description = "one row per description, in order"),
        (status = 400, body = ErrorBody, description = "malformed JSON, an unknown field, `top` out of range, over 10,000 descriptions or over 100,000 suggestions (descriptions x top) (`bad_request`)"),
        (status = 413, body = ErrorBody, description = "body over 10 MB (`too_large`)"),
        (status = 415, body = ErrorBody, description = "the body is not sent as `application/json` (`unsupported_media_type`)"),
        (status = 500, body = ErrorBody, description = "the index could not be searched (`index_error`)"),
    )
)]
async fn classify(
    State(state): State<AppState>,
    body: Result<axum::Json<ClassifyRequest>, JsonRejection>,
) -> ApiResult<ClassifyResponse> {
    let axum::Json(req) = body?;
    let top = check_top(req.top, CLASSIFY_TOP)?;
    if req.descriptions.len() > MAX_BATCH {
        return Err(ApiError::bad_request(format!(
            "at most {MAX_BATCH} descriptions per call, not {}",
            req.descriptions.len()
        )));
    }
    if req.descriptions.len().saturating_mul(top) > MAX_SUGGESTIONS {
        return Err(ApiError::bad_request(format!(
            "at most {MAX_SUGGESTIONS} suggestions per call (descriptions x top), not {} x {top}: ask a smaller top or split the batch",
            req.descriptions.len()
        )));
    }
    // Shares of the batch run in parallel, one ranking job each.
    let shares = std::thread::available_parallelism().map_or(2, |n| n.get());
    let size = req.descriptions.len().div_ceil(shares).max(1);
    let mut jobs = Vec::new();
    for (i, chunk) in req.descriptions.chunks(size).enumerate() {
        let chunk = chunk.to_vec();
        let st = state.clone();
        jobs.push(
            async move { blocking(&st, move |s| s.classify(1 + i * size, &chunk, top)).await },
        );
    }
    let mut results = Vec::with_capacity(req.descriptions.len());
    for job in jobs {
        results.extend(job.await?.map_err(ApiError::index)?);
    }
    Ok(axum::Json(ClassifyResponse { results }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CodeParams {
    /// Add the section and chapter notes' texts.
    pub notes: Option<bool>,
}

/// A code with its path, children, units, rates, notes and flags (as
/// `hs show CODE --json`).
#[utoipa::path(
    get,
    path = "/v1/codes/{code}",
    params(("code" = String, Path, description = "an HS code: 6109, 6109.10, 610910, 6109.10.00.12"), CodeParams),
    responses(
        (status = 200, body = NodeView, description = "the code"),
        (status = 400, body = ErrorBody, description = "not a code (`malformed_code`), or an unknown parameter (`bad_request`)"),
        (status = 404, body = ErrorBody, description = "not in HS 2022 or the US schedule; `did_you_mean` lists the nearest codes"),
    )
)]
async fn code(
    State(state): State<AppState>,
    Path(code): Path<String>,
    params: Result<Query<CodeParams>, QueryRejection>,
) -> ApiResult<NodeView> {
    let Query(p) = params?;
    let notes = p.notes.unwrap_or(false);
    match blocking(&state, move |s| s.show(&code, notes)).await? {
        Ok(v) => Ok(axum::Json(v)),
        Err(CodeError::Malformed(m)) => {
            Err(ApiError::new(StatusCode::BAD_REQUEST, "malformed_code", m))
        }
        Err(CodeError::Unknown(u)) => Err(ApiError::unknown(
            format!("{} is not in HS 2022 or the US schedule", u.code),
            u,
        )),
    }
}

/// The duty on goods of one line from one origin on one date: the rate
/// and why, the duty, the chapter 99 measures, the fees and the total (as
/// `hs duty CODE --origin CC ... --json`).
#[utoipa::path(
    get,
    path = "/v1/duty",
    params(DutyParams),
    responses(
        (status = 200, body = DutyView, description = "the duty, measures, fees and total"),
        (status = 400, body = ErrorBody, description = "no code or origin, a malformed code (`malformed_code`), a code that is not a tariff line (`not_a_tariff_line`), an unknown country, a bad date, value, quantity, unit, transport or entry (`bad_request`)"),
        (status = 404, body = ErrorBody, description = "not a line of the US schedule; `did_you_mean` lists the nearest codes"),
        (status = 500, body = ErrorBody, description = "a rate or measure in the reference data could not be read (`data_error`)"),
    )
)]
async fn duty(
    State(state): State<AppState>,
    params: Result<Query<DutyParams>, QueryRejection>,
) -> ApiResult<DutyView> {
    let Query(p) = params?;
    let q = p
        .query()
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.code, e.message))?;
    match blocking(&state, move |s| s.duty(&q)).await? {
        Ok(v) => Ok(axum::Json(v)),
        Err(DutyFailure::Input(e)) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            duty_error_code(&e),
            e.to_string(),
        )),
        Err(DutyFailure::Unknown(u)) => Err(ApiError::unknown(
            format!("{} is not a line of the US schedule", u.code),
            u,
        )),
        Err(DutyFailure::Data(e)) => {
            tracing::error!("{e}");
            Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "data_error",
                e.to_string(),
            ))
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "hs",
        description = "Classify goods descriptions into Harmonized System (HS 2022) codes and look up US tariffs."
    ),
    paths(health, search, classify, code, duty),
    modifiers(&BearerAuth, &CommonResponses),
    security((), ("bearer" = [])),
    components(schemas(
        ErrorBody,
        ErrorDetail,
        Health,
        SearchView,
        SuggestionView,
        FlagView,
        BrandRead,
        ClassifyRequest,
        ClassifyResponse,
        ClassifyRow,
        NodeView,
        Brief,
        Child,
        NodeDuty,
        NotesRef,
        DutyView,
        Applied,
        Fee,
        RateCells,
        QuantityView
    ))
)]
struct ApiDoc;

/// The errors every route but `/health` may answer (the guard's and the
/// router's), added to each operation once here rather than on each route.
struct CommonResponses;

impl utoipa::Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{Content, Ref, RefOr, Response};
        let common = [
            (
                "401",
                "a token is set and the request lacks `Authorization: Bearer TOKEN` (`unauthorized`)",
            ),
            (
                "405",
                "another method than the route takes (`method_not_allowed`)",
            ),
            ("503", "the request took over 60 s (`timeout`)"),
        ];
        for (path, item) in openapi.paths.paths.iter_mut() {
            if path == "/health" {
                continue;
            }
            for op in [&mut item.get, &mut item.post].into_iter().flatten() {
                for (status, description) in common {
                    let mut r = Response::new(description);
                    r.content.insert(
                        "application/json".into(),
                        RefOr::T(Content::new(Some(Ref::from_schema_name("ErrorBody")))),
                    );
                    op.responses
                        .responses
                        .entry(status.into())
                        .or_insert(RefOr::T(r));
                }
            }
        }
    }
}

/// The bearer token scheme (required when the server is started with a
/// token: `--token` or `HS_TOKEN`).
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "bearer",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some(
                            "Authorization: Bearer TOKEN, when the server was started with a token",
                        ))
                        .build(),
                ),
            );
    }
}

/// The OpenAPI 3.1 document of this API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

async fn openapi_json() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(openapi())
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such route; see /openapi.json",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not take that method; see /openapi.json",
    )
}

/// Compares without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn authorized(headers: &HeaderMap, token: &str) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        // The scheme's name is case-insensitive (RFC 9110, 11.1).
        .and_then(|v| {
            let (scheme, given) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then_some(given)
        })
        .is_some_and(|given| same(given.trim().as_bytes(), token.as_bytes()))
}

/// True when `s` is well-formed percent-encoding (every `%` followed by two
/// hex digits) of UTF-8 text.
fn well_encoded(s: &str) -> bool {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match hex {
                Some(v) => out.push(v),
                None => return false,
            }
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    std::str::from_utf8(&out).is_ok()
}

/// Before any handler: the token, the URL's encoding, the declared body
/// size, and the time limit.
async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if let Some(token) = &state.token
        && req.uri().path() != "/health"
        && !authorized(req.headers(), token)
    {
        return ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "send the token as Authorization: Bearer TOKEN",
        )
        .into_response();
    }
    // A query or path that is not percent-encoded UTF-8 would be decoded
    // lossily (U+FFFD) and searched as text the client never sent.
    if !well_encoded(req.uri().path()) || !req.uri().query().is_none_or(well_encoded) {
        return ApiError::bad_request(
            "the URL is not valid percent-encoded UTF-8 (a `%` must be followed by two hex digits, and the bytes must be UTF-8)",
        )
        .into_response();
    }
    if let Some(len) = req.headers().get(header::CONTENT_LENGTH) {
        match len.to_str().ok().and_then(|l| l.parse::<u64>().ok()) {
            Some(n) if n > MAX_BODY as u64 => return ApiError::too_large().into_response(),
            Some(_) => {}
            None => return ApiError::bad_request("malformed Content-Length").into_response(),
        }
    }
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
        Ok(r) => r,
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            format!("the request took over {} s", REQUEST_TIMEOUT.as_secs()),
        )
        .into_response(),
    }
}

/// The application: routes and layers over a shared service.
pub fn router(service: Arc<Service>, token: Option<String>) -> Router {
    let jobs = std::thread::available_parallelism().map_or(2, |n| n.get()) * 2;
    let state = AppState {
        service,
        token: token.map(Arc::from),
        ranking: Arc::new(Semaphore::new(jobs)),
    };
    Router::new()
        .route("/health", get(health))
        .route("/v1/search", get(search))
        .route("/v1/classify", post(classify))
        .route("/v1/codes/{code}", get(code))
        .route("/v1/duty", get(duty))
        .route("/openapi.json", get(openapi_json))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        // A body without Content-Length is counted as it is read.
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves on an already bound listener until `shutdown` completes, then
/// lets the requests in flight finish. Each connection must send its
/// headers within [`HEADER_TIMEOUT`]; at most [`MAX_CONNECTIONS`] are
/// served at once.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    service: Arc<Service>,
    token: Option<String>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let app = router(service, token);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = Arc::clone(&slots).acquire_owned() => p.map_err(std::io::Error::other)?,
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before
                    // it was accepted: said, then tried again shortly.
                    tracing::warn!("accepting a connection failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(HEADER_TIMEOUT)
            .serve_connection(
                hyper_util::rt::TokioIo::new(stream),
                hyper_util::service::TowerToHyperService::new(app.clone()),
            );
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!("connection ended: {e}");
            }
            drop(permit);
        });
    }
    drop(listener);
    // Idle connections are closed; requests in flight are answered.
    graceful.shutdown().await;
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn stop_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// Logs to stderr (`RUST_LOG` filters; default: the server's notices and
/// failed requests).
pub fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("hs_server=info,tower_http=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// `hs serve`: checks the exposure, binds, says where it listens (on
/// stderr: `hs: serving on http://ADDR`), serves until SIGTERM or Ctrl-C,
/// drains and returns.
pub fn run(service: Arc<Service>, config: Config) -> Result<(), ServeError> {
    check_exposure(&config)?;
    init_logs();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|e| ServeError::Bind(config.addr, e))?;
        let local = listener.local_addr()?;
        eprintln!("hs: serving on http://{local} (SIGTERM or Ctrl-C to stop)");
        serve_on(listener, service, config.token, stop_signal()).await?;
        tracing::info!("stopped: requests in flight were answered");
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_job_keeps_its_permit_when_its_request_goes_away() {
        let limit = Arc::new(Semaphore::new(1));
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let rx = std::sync::Mutex::new(rx);
        let job = limited(&limit, Arc::new(()), move |_| {
            let _ = rx.lock().map(|r| r.recv());
        });
        // The request is dropped (a client gone, the timeout) while its
        // job still runs: the job must still hold the only permit.
        let dropped = tokio::time::timeout(std::time::Duration::from_millis(100), job).await;
        assert!(dropped.is_err());
        assert_eq!(limit.available_permits(), 0);
        tx.send(()).expect("the job waits");
        for _ in 0..200 {
            if limit.available_permits() == 1 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("the permit was not given back when the job ended");
    }

    fn config(token: Option<&str>) -> Config {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            token: token.map(str::to_string),
        }
    }

    #[test]
    fn a_token_no_client_could_send_is_refused() {
        assert!(check_exposure(&config(Some("s3cret"))).is_ok());
        assert!(check_exposure(&config(None)).is_ok());
        assert!(matches!(
            check_exposure(&config(Some("   "))),
            Err(ServeError::EmptyToken)
        ));
        assert!(matches!(
            check_exposure(&config(Some("s3cret "))),
            Err(ServeError::TokenSpaces)
        ));
        for t in ["p\u{e4}sswort", "a\u{1}b"] {
            assert!(matches!(
                check_exposure(&config(Some(t))),
                Err(ServeError::TokenChars)
            ));
        }
    }

    #[test]
    fn urls_must_be_percent_encoded_utf8() {
        assert!(well_encoded("/v1/search"));
        assert!(well_encoded("q=caf%C3%A9+au+lait&top=1"));
        assert!(!well_encoded("q=%FF%FE"));
        assert!(!well_encoded("q=%ZZ"));
        assert!(!well_encoded("q=50%"));
    }
}
