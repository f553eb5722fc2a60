//! The view of one classified row: its number and text, the suggestions,
//! whether a person should review it, and the row's error or warning (a
//! line of `hs classify` JSON lines, an element of `POST /v1/classify`).

use serde::Serialize;

use crate::rank::Suggestion;
use crate::rank::confidence::REVIEW_BELOW;

use super::search::{LanguageView, SuggestionView};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassifyRow {
    /// The row's number in the input (1-based; a CSV header is not a row).
    pub row: usize,
    pub description: String,
    pub suggestions: Vec<SuggestionView>,
    /// True when the top suggestion's confidence is under
    /// [`crate::rank::confidence::REVIEW_BELOW`], or when the row has no
    /// suggestion.
    pub review: bool,
    /// Why the row got no suggestion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Something odd about the row that did not stop it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
    /// Present when the description does not read as English.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<LanguageView>,
}

/// The message of a row that got no suggestion.
pub const NO_SUGGESTION: &str = "no suggestion";

impl ClassifyRow {
    /// A row's view; `problem` is why it could not be read (then it has no
    /// suggestions), an empty result gets [`NO_SUGGESTION`].
    pub fn new(
        row: usize,
        description: &str,
        suggestions: Vec<SuggestionView>,
        review: bool,
        problem: Option<String>,
        warning: Option<String>,
    ) -> ClassifyRow {
        let error = problem.or_else(|| suggestions.is_empty().then(|| NO_SUGGESTION.to_string()));
        ClassifyRow {
            row,
            description: description.to_string(),
            suggestions,
            review,
            error,
            warning,
            language: None,
        }
    }

    /// Says whether the row's description reads as English, from its
    /// suggestions (each carries the reading when it does not); a row
    /// without suggestions is read from its text, none of whose words
    /// found anything.
    pub fn with_language(mut self, s: &[Suggestion]) -> ClassifyRow {
        self.language = match s.first() {
            Some(top) => top.language.as_ref().and_then(LanguageView::new),
            None if self.description.trim().is_empty() => None,
            None => LanguageView::new(&crate::lang::read_language(
                &crate::text::language_words(&self.description),
                |_| false,
            )),
        };
        self
    }
}

/// A row goes to a person when its top suggestion's confidence (the
/// estimated probability that its six digits are right) is under
/// [`REVIEW_BELOW`], and when it has no suggestion at all (nothing a
/// script could take).
pub fn needs_review(s: &[Suggestion]) -> bool {
    s.first().is_none_or(|top| top.confidence < REVIEW_BELOW)
}
