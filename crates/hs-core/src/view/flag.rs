//! The view of a controlled-goods flag: category, reason, source and the
//! range of codes it covers (`9301`, `2939.41-2939.42`); which flags a
//! suggestion shows (only when the query supports its goods); and the
//! whole table (`hs flags --json`).

use serde::Serialize;

use crate::code::Code;
use crate::flags::{CATEGORIES, DISCLAIMER, Flag, FlagTable, code_flags, flags_under};
use crate::rank::Suggestion;

/// The flags of a suggestion's code when the query supports its goods
/// ([`Suggestion::goods_evidence`]), else none.
pub fn suggestion_flags(s: &Suggestion) -> Vec<&'static Flag> {
    if s.goods_evidence {
        code_flags(&s.code)
    } else {
        Vec::new()
    }
}

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

    /// The flags shown for a suggestion: its code's, when the query
    /// supports the suggestion's goods (a flag on ammunition is not shown
    /// for "lego star wars set", where only "wars" matched).
    pub fn of_suggestion(s: &Suggestion) -> Vec<FlagView> {
        suggestion_flags(s).into_iter().map(FlagView::new).collect()
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
