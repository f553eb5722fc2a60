//! The calls the network front ends make, over one engine shared by every
//! request: search, show a code, classify a batch, the duty on a line. Ranking is CPU work, so
//! each call is synchronous and the front ends run it on a blocking pool;
//! rankers (which keep a cache of spelling corrections) are pooled and
//! reused, and retired after [`RETIRE`] searches so their caches stay
//! bounded.

use std::sync::{Arc, Mutex, OnceLock};

use hs_core::code::Code;
use hs_core::engine::{Engine, Lookup, lookup};
use hs_core::rank::{RankError, Ranker};
use hs_core::tariff::{Date, Entry, Measures, TariffError, Transport};
use hs_core::view::classify::needs_review;
use hs_core::view::{
    ClassifyRow, DutyError, DutyQuery, DutyView, NodeView, SearchView, SuggestionView, UnknownCode,
};
use serde::Deserialize;
use utoipa::IntoParams;

/// Searches a pooled ranker serves before a fresh one replaces it.
pub const RETIRE: usize = 50_000;
/// The most suggestions one search may ask for.
pub const MAX_TOP: usize = 200;
/// The most descriptions one classify call may carry (HTTP).
pub const MAX_BATCH: usize = 10_000;
/// The message of a row whose description is empty.
pub const EMPTY_DESCRIPTION: &str = "empty description";

/// The engine and a pool of rankers, shared by every request.
pub struct Service {
    engine: Engine,
    rankers: Mutex<Vec<(Ranker, usize)>>,
    /// The chapter 99 measures and their product lists, read from the data
    /// folder on the first duty question and kept (or the error, named on
    /// every duty question after it).
    measures: OnceLock<Result<Measures, TariffError>>,
}

/// Why a code could not be shown.
#[derive(Debug)]
pub enum CodeError {
    /// Not a code (the parser's message).
    Malformed(String),
    /// Well-formed but not in HS 2022 or the US schedule.
    Unknown(UnknownCode),
}

/// Why a duty question has no answer.
#[derive(Debug)]
pub enum DutyFailure {
    /// The question (a bad value, quantity or unit, a code without rates).
    Input(DutyError),
    /// Well-formed but not a line of the US schedule.
    Unknown(UnknownCode),
    /// The measures table or its product lists could not be read.
    Data(TariffError),
}

impl Service {
    pub fn new(engine: Engine) -> Arc<Service> {
        Arc::new(Service {
            engine,
            rankers: Mutex::new(Vec::new()),
            measures: OnceLock::new(),
        })
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Runs `f` with a ranker from the pool, putting it back afterwards.
    fn with_ranker<T>(&self, f: impl FnOnce(&mut Ranker) -> T) -> T {
        let taken = self.rankers.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let (mut ranker, uses) = taken.unwrap_or_else(|| (self.engine.ranker(), 0));
        let out = f(&mut ranker);
        if uses + 1 < RETIRE {
            self.rankers
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((ranker, uses + 1));
        }
        out
    }

    /// A search query that is digits and separators alone reads as a code:
    /// a malformed one (`6109.1`, `5.5`) is refused with the parser's
    /// message, as `hs search` refuses it, never searched as text.
    pub fn check_query(query: &str) -> Result<(), String> {
        if Code::looks_like_code(query) {
            Code::parse(query).map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// `top` ranked suggestions for a description (or a code's subtree).
    pub fn search(&self, query: &str, top: usize) -> Result<SearchView, RankError> {
        let result = self.with_ranker(|r| self.engine.search_with(r, query, top))?;
        Ok(SearchView::new(query, &result, None).with_precedent_sets(self.engine.precedent_sets()))
    }

    /// The node view of a code (`with_notes` adds the notes' texts).
    pub fn show(&self, input: &str, with_notes: bool) -> Result<NodeView, CodeError> {
        let code = Code::parse(input).map_err(|e| CodeError::Malformed(e.to_string()))?;
        let ds = &self.engine.data;
        match lookup(ds, &code) {
            Lookup::Found(id) => Ok(NodeView::new(ds, id, with_notes, Date::today())),
            Lookup::Unknown { code, nearest } => {
                Err(CodeError::Unknown(UnknownCode::new(ds, &code, &nearest)))
            }
        }
    }

    /// The duty view of a question (as `hs duty --json`).
    pub fn duty(&self, q: &DutyQuery) -> Result<DutyView, DutyFailure> {
        let ds = &self.engine.data;
        let measures = self
            .measures
            .get_or_init(|| Measures::load(&ds.dir))
            .as_ref()
            .map_err(|e| DutyFailure::Data(e.clone()))?;
        DutyView::new(ds, measures, q).map_err(|e| match e {
            DutyError::Unknown { code, nearest } => {
                DutyFailure::Unknown(UnknownCode::new(ds, &code, &nearest))
            }
            other => DutyFailure::Input(other),
        })
    }

    /// One row per description, numbered from `first`, in order (a batch,
    /// or a share of one run in parallel); an empty description gets an
    /// error instead of suggestions.
    pub fn classify(
        &self,
        first: usize,
        descriptions: &[String],
        top: usize,
    ) -> Result<Vec<ClassifyRow>, RankError> {
        self.with_ranker(|r| {
            descriptions
                .iter()
                .enumerate()
                .map(|(i, d)| self.classify_one(r, first + i, d, top))
                .collect()
        })
    }

    fn classify_one(
        &self,
        r: &mut Ranker,
        row: usize,
        text: &str,
        top: usize,
    ) -> Result<ClassifyRow, RankError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(ClassifyRow::new(
                row,
                text,
                Vec::new(),
                true,
                Some(EMPTY_DESCRIPTION.into()),
                None,
            ));
        }
        let found = self.engine.search_with(r, text, top)?.suggestions;
        let views = found.iter().map(SuggestionView::new).collect();
        Ok(
            ClassifyRow::new(row, text, views, needs_review(&found), None, None)
                .with_language(&found),
        )
    }
}

/// The parameters of a duty question as the network front ends take them
/// (the query string of `GET /v1/duty`, the arguments of the MCP `duty`
/// tool): the same as `hs duty`'s flags.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DutyParams {
    /// A US tariff line (6109.10.00) or statistical line (6109.10.00.12).
    pub code: Option<String>,
    /// Country of origin of the goods: ISO 3166-1 alpha-2 (CN, MX, DE).
    pub origin: Option<String>,
    /// Customs value in USD (for ad valorem rates, measures and fees).
    pub value: Option<f64>,
    /// Quantity, in the line's first unit of quantity unless `unit` says
    /// otherwise (for specific rates).
    pub quantity: Option<f64>,
    /// The unit of `quantity`: one of the line's units (kg on a line
    /// reporting doz. and kg); needs `quantity`.
    pub unit: Option<String>,
    /// The date of entry, YYYY-MM-DD (default today): decides which
    /// programs and chapter 99 measures apply.
    pub date: Option<String>,
    /// How the goods arrive: sea, air, land or mail (the Harbor
    /// Maintenance Fee applies by sea only; default: not stated, no HMF).
    pub transport: Option<String>,
    /// formal or informal (default: informal up to $2,500, formal above).
    pub entry: Option<String>,
    /// true leaves out the fees (MPF, HMF).
    pub no_fees: Option<bool>,
}

/// Why duty parameters are not a question: a stable slug and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    /// `malformed_code`, `not_a_tariff_line` or `bad_request`.
    pub code: &'static str,
    pub message: String,
}

impl ParamError {
    fn bad(message: impl Into<String>) -> ParamError {
        ParamError {
            code: "bad_request",
            message: message.into(),
        }
    }
}

/// The slug of a duty question's error (the HTTP error's `code`).
pub fn duty_error_code(e: &DutyError) -> &'static str {
    match e {
        DutyError::Malformed(_) => "malformed_code",
        DutyError::NotALine { .. } | DutyError::NoRates(_) => "not_a_tariff_line",
        DutyError::Unknown { .. } => "unknown_code",
        DutyError::Origin(_) | DutyError::Date(_) | DutyError::Compute { .. } => "bad_request",
    }
}

impl DutyParams {
    /// The question, checked as `hs duty` checks its flags.
    pub fn query(&self) -> Result<DutyQuery, ParamError> {
        let code = self
            .code
            .as_deref()
            .filter(|c| !c.trim().is_empty())
            .ok_or_else(|| ParamError::bad("give the tariff line as code"))?;
        let origin = self
            .origin
            .as_deref()
            .filter(|c| !c.trim().is_empty())
            .ok_or_else(|| {
                ParamError::bad(
                    "give the country of origin as origin (ISO 3166-1 alpha-2: CN, MX, DE)",
                )
            })?;
        if self.unit.is_some() && self.quantity.is_none() {
            return Err(ParamError::bad(
                "unit is the unit of quantity: give quantity too",
            ));
        }
        let mut q = DutyQuery::parse(code, origin, self.date.as_deref()).map_err(|e| {
            let message = match &e {
                DutyError::Origin(_) => format!("origin: {e}"),
                DutyError::Date(_) => format!("date: {e}"),
                _ => e.to_string(),
            };
            ParamError {
                code: duty_error_code(&e),
                message,
            }
        })?;
        q.value = self.value;
        q.quantity = self.quantity;
        q.unit = self.unit.clone();
        q.transport = match self.transport.as_deref().map(str::trim) {
            None => None,
            Some("sea") => Some(Transport::Sea),
            Some("air") => Some(Transport::Air),
            Some("land") => Some(Transport::Land),
            Some("mail") => Some(Transport::Mail),
            Some(t) => {
                return Err(ParamError::bad(format!(
                    "transport {t:?}: expected sea, air, land or mail"
                )));
            }
        };
        q.entry = match self.entry.as_deref().map(str::trim) {
            None => None,
            Some("formal") => Some(Entry::Formal),
            Some("informal") => Some(Entry::Informal),
            Some(t) => {
                return Err(ParamError::bad(format!(
                    "entry {t:?}: expected formal or informal"
                )));
            }
        };
        q.no_fees = self.no_fees.unwrap_or(false);
        Ok(q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_is_shared_across_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Service>();
    }

    fn params(pairs: &[(&str, &str)]) -> Result<DutyQuery, ParamError> {
        let v: serde_json::Map<String, serde_json::Value> = pairs
            .iter()
            .map(|(k, v)| {
                let v = match (*k, v.parse::<f64>()) {
                    ("value" | "quantity", Ok(n)) => serde_json::json!(n),
                    ("no_fees", _) => serde_json::json!(*v == "true"),
                    _ => serde_json::json!(v),
                };
                (k.to_string(), v)
            })
            .collect();
        let p: DutyParams =
            serde_json::from_value(serde_json::Value::Object(v)).unwrap_or_else(|e| panic!("{e}"));
        p.query()
    }

    #[test]
    fn duty_parameters_are_checked_as_the_command_line_checks_them() {
        let q = params(&[
            ("code", "6109.10.00.12"),
            ("origin", "cn"),
            ("value", "1000"),
            ("date", "2026-03-15"),
            ("transport", "sea"),
            ("entry", "formal"),
            ("no_fees", "true"),
        ])
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(q.origin, "CN");
        assert_eq!(q.transport, Some(Transport::Sea));
        assert_eq!(q.entry, Some(Entry::Formal));
        assert!(q.no_fees);
        let code = |pairs: &[(&str, &str)]| match params(pairs) {
            Ok(q) => panic!("{q:?} accepted"),
            Err(e) => e.code,
        };
        assert_eq!(code(&[("origin", "CN")]), "bad_request");
        assert_eq!(code(&[("code", "6109.10.00.12")]), "bad_request");
        assert_eq!(
            code(&[("code", "61x9"), ("origin", "CN")]),
            "malformed_code"
        );
        assert_eq!(
            code(&[("code", "6109.10"), ("origin", "CN")]),
            "not_a_tariff_line"
        );
        assert_eq!(
            code(&[("code", "6109.10.00.12"), ("origin", "ZZ")]),
            "bad_request"
        );
        assert_eq!(
            code(&[
                ("code", "6109.10.00.12"),
                ("origin", "CN"),
                ("date", "2026-02-30")
            ]),
            "bad_request"
        );
        assert_eq!(
            code(&[
                ("code", "6109.10.00.12"),
                ("origin", "CN"),
                ("transport", "rail")
            ]),
            "bad_request"
        );
        assert_eq!(
            code(&[("code", "6109.10.00.12"), ("origin", "CN"), ("unit", "kg")]),
            "bad_request"
        );
    }
}
