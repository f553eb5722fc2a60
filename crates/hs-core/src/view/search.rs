//! The view of a search: the query, how it was read, and the ranked
//! suggestions, each with its controlled-goods flags (the object
//! `hs search --json` prints and `GET /v1/search` returns).

use serde::Serialize;

use crate::cn::{CN_LINE_LEVEL, spaced};
use crate::engine::SearchResult;
use crate::flags::DISCLAIMER;
use crate::precedents::{Conflict, Support};
use crate::rank::{Matched, Signals, Suggestion};

use super::flag::FlagView;
use super::round;

/// One suggested code.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuggestionView {
    /// The most specific code (a national line where one exists).
    pub code: String,
    /// `chapter`, `heading`, `subheading`, `line` (US) or `cn-line` (EU).
    pub level: &'static str,
    /// Self-contained description of `code`.
    pub description: String,
    /// The HS six-digit subheading it lies under.
    pub hs6: String,
    /// Codes from the chapter down to `code`.
    pub path: Vec<String>,
    /// The ranking score (4 decimals).
    pub score: f64,
    /// In [0, 1]: the share of belief among the candidates (4 decimals).
    pub confidence: f64,
    /// The query words that matched, and where.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub matched: Vec<Matched>,
    /// Each ranking signal's contribution to `score`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub signals: Signals,
    /// Controlled-goods flags of `code`, when the query supports the
    /// suggestion's goods (a goods word of it matched).
    pub flags: Vec<FlagView>,
    /// The precedents behind it, at most three (absent without precedents).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub precedents: Vec<PrecedentView>,
    /// The US General rate (classify `--with-rates` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub general_rate: Option<String>,
    /// The chapter 99 additional rate in percent for the origin asked
    /// (classify `--with-rates --origin` only; null when not ad valorem).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub additional_rate: Option<Option<rust_decimal::Decimal>>,
    /// The line's rate plus the additional rate, in percent (null when
    /// either is not ad valorem: see `rate_note`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub total_rate: Option<Option<rust_decimal::Decimal>>,
    /// Why `additional_rate` or `total_rate` is null.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_note: Option<String>,
    /// The code as shown to a person (EU CN lines spaced `6109 10 00`).
    #[serde(skip)]
    pub shown: String,
}

impl SuggestionView {
    pub fn new(s: &Suggestion) -> SuggestionView {
        SuggestionView {
            code: s.code.to_string(),
            level: s.level,
            description: s.description.clone(),
            hs6: s.hs6.to_string(),
            path: s.path.clone(),
            score: round(s.score, 4),
            confidence: round(s.confidence, 4),
            matched: s.matched.clone(),
            signals: s.signals.clone(),
            flags: FlagView::of_suggestion(s),
            precedents: s.precedents.iter().map(PrecedentView::new).collect(),
            general_rate: None,
            additional_rate: None,
            total_rate: None,
            rate_note: None,
            shown: if s.level == CN_LINE_LEVEL {
                spaced(&s.code)
            } else {
                s.code.to_string()
            },
        }
    }
}

/// A precedent shown in support of a suggestion: "as in your FILE row
/// ROW: 'DESCRIPTION' -> CODE".
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrecedentView {
    pub description: String,
    /// The precedent's checked code, dotted (6109.10.00.12).
    pub code: String,
    /// The name of the set it belongs to.
    pub set: String,
    /// The line of its file (the header is line 1).
    pub row: u64,
    pub reference: String,
    /// In [0, 1]; 1 for the same words (3 decimals).
    pub similarity: f64,
    /// The file the set was read from (plain output only).
    #[serde(skip)]
    pub file: String,
}

impl PrecedentView {
    pub fn new(p: &Support) -> PrecedentView {
        PrecedentView {
            description: p.description.clone(),
            code: p.code.clone(),
            set: p.set.clone(),
            row: p.row,
            reference: p.reference.clone(),
            similarity: round(p.similarity, 3),
            file: p.file.clone(),
        }
    }
}

/// Near-exact precedents of the query under different codes: shown as a
/// conflict, never averaged away.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConflictView {
    /// (six digits, how many near-exact precedents), most first.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub codes: Vec<(String, usize)>,
    /// One precedent per code.
    pub examples: Vec<PrecedentView>,
}

impl ConflictView {
    pub fn new(c: &Conflict) -> ConflictView {
        ConflictView {
            codes: c.codes.clone(),
            examples: c.examples.iter().map(PrecedentView::new).collect(),
        }
    }
}

/// A trade name in the query and the goods it was read as.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrandRead {
    pub brand: String,
    pub goods: String,
}

/// Present when the description does not read as English (see
/// [`crate::lang`]): its suggestions are matches by chance, with a
/// confidence of at most [`crate::rank::confidence::NOT_ENGLISH`].
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LanguageView {
    /// Always false here: the description does not read as English.
    pub english: bool,
    /// Words that look like another language's (function words such as
    /// "de", "pour", "und"; unknown words with letters English does not use).
    pub foreign_words: Vec<String>,
    /// Other words `hs` does not know.
    pub unknown_words: Vec<String>,
    pub note: &'static str,
}

/// The note of a [`LanguageView`].
pub const NOT_ENGLISH_NOTE: &str = "the description does not read as English: no confident match (hs reads English goods descriptions)";

impl LanguageView {
    /// The view of a reading, `None` when it is English.
    pub fn new(r: &crate::lang::Reading) -> Option<LanguageView> {
        (!r.english).then(|| LanguageView {
            english: false,
            foreign_words: r.foreign.clone(),
            unknown_words: r.unknown.clone(),
            note: NOT_ENGLISH_NOTE,
        })
    }
}

/// A search and its suggestions.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchView {
    pub query: String,
    /// `text`, or `code` when the query was read as a code.
    pub kind: &'static str,
    pub suggestions: Vec<SuggestionView>,
    pub flags_disclaimer: &'static str,
    /// Trade names read as goods (`hs-data/brands.csv`).
    pub read_as: Vec<BrandRead>,
    /// `eu` when the EU CN lines were searched instead of the US ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<&'static str>,
    /// The precedent sets consulted (absent without precedents).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub precedent_sets: Vec<String>,
    /// Near-exact precedents under different codes (absent without a conflict).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precedent_conflict: Option<ConflictView>,
    /// Present when the description does not read as English.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<LanguageView>,
}

impl SearchView {
    /// The view of a search result; `schedule` is `Some("eu")` for a
    /// search over the EU CN. The precedent sets consulted are added with
    /// [`SearchView::with_precedent_sets`].
    pub fn new(query: &str, result: &SearchResult, schedule: Option<&'static str>) -> SearchView {
        SearchView {
            query: query.to_string(),
            kind: result.kind,
            suggestions: result.suggestions.iter().map(SuggestionView::new).collect(),
            flags_disclaimer: DISCLAIMER,
            read_as: result
                .understood
                .brands
                .iter()
                .map(|(brand, goods)| BrandRead {
                    brand: brand.clone(),
                    goods: goods.clone(),
                })
                .collect(),
            schedule,
            precedent_sets: Vec::new(),
            precedent_conflict: result.conflict.as_ref().map(ConflictView::new),
            // A code query is not a description: no language is read.
            language: (result.kind == "text")
                .then(|| LanguageView::new(&result.understood.reading))
                .flatten(),
        }
    }

    /// Names the precedent sets the search consulted.
    pub fn with_precedent_sets(mut self, sets: Vec<String>) -> SearchView {
        self.precedent_sets = sets;
        self
    }
}
