//! The view of a controlled-goods flag: category, reason, source and the
//! range of codes it covers (`9301`, `2939.41-2939.42`).

use serde::Serialize;

use crate::code::Code;
use crate::flags::{Flag, code_flags, flags_under};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlagView {
    pub category: String,
    pub reason: String,
    pub source: String,
    pub range: String,
}

impl FlagView {
    pub fn new(f: &Flag) -> FlagView {
        FlagView {
            category: f.category.clone(),
            reason: f.reason.clone(),
            source: f.source.clone(),
            range: f.range.to_string(),
        }
    }

    /// The flags of a code itself.
    pub fn of(code: &Code) -> Vec<FlagView> {
        code_flags(code).into_iter().map(FlagView::new).collect()
    }

    /// The flags only under a code (some of its descendants).
    pub fn under(code: &Code) -> Vec<FlagView> {
        flags_under(code).into_iter().map(FlagView::new).collect()
    }
}
