//! The view of one looked-up code (a line of `hs lookup` JSON lines): the
//! code normalised, its status, level, description and HS six digits, the
//! nearest codes for an unknown one.

use serde::Serialize;

/// What became of a row's code. Scripts should treat a status they do not
/// know as "not found": the list grows (an edition's deleted codes, for
/// instance), values are never renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Status {
    /// The code exists in the current edition (HS 2022 and the US schedule).
    Found,
    /// Well-formed, but not in the current edition: see `nearest`.
    Unknown,
    /// In HS 2017 but deleted by HS 2022: `hs2017_description` says what
    /// it was, `nearest` lists existing codes (`hs show CODE` suggests the
    /// HS 2022 codes whose texts are closest).
    #[serde(rename = "deleted-2022")]
    Deleted2022,
    /// Not a code (letters, odd length, empty) or an unreadable row.
    Malformed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Found => "found",
            Status::Unknown => "unknown",
            Status::Deleted2022 => "deleted-2022",
            Status::Malformed => "malformed",
        }
    }
}

/// A nearby existing code.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Near {
    pub code: String,
    pub description: String,
}

/// One row's result (the JSON line's fields, a public contract).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupRow {
    pub row: usize,
    /// The text as given.
    pub input: String,
    /// The normalised code (`6109.10.00.12`), when the input parses.
    pub code: Option<String>,
    pub status: Status,
    /// True when the code exists in the current edition.
    pub exists: bool,
    pub level: Option<&'static str>,
    /// Self-contained description (ancestors' text folded in).
    pub description: Option<String>,
    /// The HS subheading (six digits) the code lies in, when it has one.
    pub hs6: Option<String>,
    /// Nearest existing codes, for an unknown code.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nearest: Vec<Near>,
    /// What a code HS 2022 deleted was in HS 2017.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hs2017_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}
