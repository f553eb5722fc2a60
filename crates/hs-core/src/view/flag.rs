//! The view of a controlled-goods flag: category, reason, source and the
//! range of codes it covers (`9301`, `2939.41-2939.42`); and of the whole
//! table (`hs flags --json`).

use serde::Serialize;

use crate::code::Code;
use crate::flags::{CATEGORIES, DISCLAIMER, Flag, FlagTable, code_flags, flags_under};

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

/// A flag category with its description and how many ranges it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlagCategory {
    /// The slug (`arms`, `dual-use`...).
    pub category: &'static str,
    pub description: &'static str,
    /// How many ranges of the table are in the category.
    pub rows: usize,
}

/// The whole controlled-goods table, by category.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlagsTableView {
    pub flags_disclaimer: &'static str,
    pub categories: Vec<FlagCategory>,
    /// Every row, in the table's order.
    pub flags: Vec<FlagView>,
}

impl FlagsTableView {
    pub fn new(table: &FlagTable) -> FlagsTableView {
        FlagsTableView {
            flags_disclaimer: DISCLAIMER,
            categories: CATEGORIES
                .iter()
                .map(|(slug, about)| FlagCategory {
                    category: slug,
                    description: about,
                    rows: table.rows().iter().filter(|r| r.category == *slug).count(),
                })
                .collect(),
            flags: table.rows().iter().map(FlagView::new).collect(),
        }
    }

    /// The rows of one category, in the table's order.
    pub fn in_category<'a>(&'a self, category: &'a str) -> impl Iterator<Item = &'a FlagView> {
        self.flags.iter().filter(move |f| f.category == category)
    }
}
