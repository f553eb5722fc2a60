//! The view of the codes added and deleted between two HS editions (what
//! `hs diff-editions --json` prints).

use serde::Serialize;

use crate::code::Code;
use crate::editions::EditionDiff;

/// A code with its text in the edition that has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EditionCode {
    /// Dotted (`8517.13`).
    pub code: String,
    pub description: String,
}

/// Codes added and deleted between two editions at one level.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EditionsDiffView {
    /// The older edition's year (2017).
    pub old: u16,
    /// The newer edition's year (2022).
    pub new: u16,
    /// 4 (headings) or 6 (subheadings).
    pub level: u8,
    /// In the new edition only; texts of the new edition.
    pub added: Vec<EditionCode>,
    /// In the old edition only; texts of the old edition.
    pub deleted: Vec<EditionCode>,
}

impl EditionsDiffView {
    pub fn new(d: &EditionDiff) -> EditionsDiffView {
        let list = |v: &[(String, String)]| -> Vec<EditionCode> {
            v.iter()
                .map(|(c, t)| EditionCode {
                    code: dotted(c),
                    description: t.clone(),
                })
                .collect()
        };
        EditionsDiffView {
            old: d.old_year,
            new: d.new_year,
            level: d.level,
            added: list(&d.added),
            deleted: list(&d.deleted),
        }
    }
}

/// A digits-only code in its printed form (`851713` -> `8517.13`); text
/// that is not a code is kept as it is.
pub fn dotted(digits: &str) -> String {
    Code::parse(digits).map_or_else(|_| digits.to_string(), |c| c.to_string())
}
