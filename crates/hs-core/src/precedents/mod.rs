//! Precedents: the broker's own classified history (past entries, agreed
//! catalogue codes, rulings) used as evidence. This module owns the file
//! format ([`file`]), the checking of their codes ([`codes`]), a tantivy
//! index per set ([`index`]), the named sets kept on disk ([`store`]), the
//! nearest-precedent vote ([`vote`]) and how the vote enters the ranking
//! and its explanations ([`signal`]); [`folds`] splits a labelled file for
//! cross-validation and [`audit`] finds rows whose declared code disagrees
//! with the evidence.

pub mod audit;
pub mod codes;
pub mod file;
pub mod folds;
pub mod index;
pub mod signal;
pub mod store;
pub mod vote;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use file::{FileReader, Loaded, Problem};
pub use index::PrecedentIndex;
pub use vote::{CodeVote, Conflict, Precedents, Support, Vote};

/// One labelled description from a precedent file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Precedent {
    pub description: String,
    /// The checked code: the HS six digits, with the further digits of a
    /// US line when the declared code names one (6, 8 or 10 digits).
    pub code: String,
    /// The code as the file wrote it.
    #[serde(default)]
    pub declared: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub date: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reference: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// The line of the file the row starts on (the header is line 1).
    pub row: u64,
}

impl Precedent {
    /// A labelled row as a precedent: its description, its checked code,
    /// the code as given, and its line; no source, date, reference or
    /// note (cross-validation folds, tests).
    pub fn labelled(description: &str, code: String, declared: &str, row: u64) -> Precedent {
        Precedent {
            description: description.to_string(),
            code,
            declared: declared.to_string(),
            source: String::new(),
            date: String::new(),
            reference: String::new(),
            note: String::new(),
            row,
        }
    }

    /// The HS six digits of the code.
    pub fn hs6(&self) -> &str {
        self.code.get(..6).unwrap_or(&self.code)
    }
}

/// Errors of precedent files, indexes and the store.
#[derive(Debug, Error)]
pub enum PrecedentError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{file} has no '{column}' column; columns found: {found}. A precedent file needs 'description' and 'code' (optional: source, date, reference, note)"
    )]
    MissingColumn {
        file: String,
        column: String,
        found: String,
    },
    #[error("{file}: unreadable header: {message}")]
    Header { file: String, message: String },
    #[error("{file}: {count} row(s) reported and --strict given; first: line {line}: {message}")]
    Strict {
        file: String,
        count: usize,
        line: u64,
        message: String,
    },
    #[error("precedent index at {path}: {source}")]
    Tantivy {
        path: PathBuf,
        source: tantivy::TantivyError,
    },
    #[error("{0}")]
    Store(String),
}
