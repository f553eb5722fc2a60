//! Typed views: one `Serialize` struct per thing a front end shows (a
//! node, a search result and its suggestions, a classify row, a lookup
//! row, a flag, a duty, an eval report, an audited row, a precedent set).
//! Each is built once here from the core's data; the JSON of every front
//! end (CLI, HTTP, MCP) is that struct serialised, and the plain and
//! terminal outputs render the same struct. Field names are a public
//! contract: add, never rename or remove.

pub mod audit;
pub mod classify;
pub mod duty;
pub mod editions;
pub mod eu;
pub mod eval;
pub mod flag;
pub mod index_status;
pub mod lookup;
pub mod measures;
pub mod node;
pub mod precedents;
pub mod schedules;
pub mod search;

pub use audit::{AuditEvidence, AuditGroupCode, AuditGroupView, AuditRowView, AuditSuggested};
pub use classify::ClassifyRow;
pub use duty::{DutyError, DutyQuery, DutyView};
pub use editions::{EditionCode, EditionsDiffView};
pub use eu::{CnLineBrief, EuLineView, EuNodeView, EuUnknown};
pub use eval::{EvalFigures, EvalPrediction, EvalReport, PredictedCode};
pub use flag::{FlagCategory, FlagView, FlagsTableView, suggestion_flags};
pub use index_status::IndexStatusView;
pub use lookup::LookupRow;
pub use measures::{MeasureLinesView, MeasureView, MeasuresView};
pub use node::{Brief, NodeView, UnknownCode};
pub use precedents::{
    PrecedentProblemView, PrecedentSetView, PrecedentsAddView, PrecedentsListView,
};
pub use schedules::{SchedulesView, SubheadingSchedules};
pub use search::{SearchView, SuggestionView};

/// Rounds a score to `places` decimals, as every view shows scores.
pub fn round(x: f32, places: i32) -> f64 {
    let p = 10f64.powi(places);
    (f64::from(x) * p).round() / p
}
