//! The views of the precedent store: what `hs precedents add` did with a
//! file (the set, its rows, the rows reported) and what `hs precedents
//! list` finds (each set's marker). Fields are written in the order the
//! output has always had (alphabetical).

use serde::Serialize;

use crate::precedents::Problem;
use crate::precedents::store::{Added, SetMeta, Store};

/// What adding a file to the store did (`hs precedents add --json`).
#[derive(Debug, Clone, Serialize)]
pub struct PrecedentsAddView {
    /// The file's name.
    pub file: String,
    /// The set's name.
    pub name: String,
    /// The rows reported, skipped or kept.
    pub problems: Vec<PrecedentProblemView>,
    /// Data rows read.
    pub records: usize,
    /// Rows taken into the set.
    pub rows: usize,
    /// Rows skipped.
    pub skipped: usize,
    /// "added", "updated" or "unchanged".
    pub status: Added,
    /// The store folder.
    pub store: String,
}

/// A reported row of a precedent file.
#[derive(Debug, Clone, Serialize)]
pub struct PrecedentProblemView {
    /// The line the row starts on (the header is line 1).
    pub line: u64,
    pub message: String,
    /// False when the row was kept anyway.
    pub skipped: bool,
}

impl From<&Problem> for PrecedentProblemView {
    fn from(p: &Problem) -> PrecedentProblemView {
        PrecedentProblemView {
            line: p.line,
            message: p.message.clone(),
            skipped: p.skipped,
        }
    }
}

impl PrecedentsAddView {
    /// `records` rows read with `problems` reported, of which `skipped`
    /// were skipped, gave the set `meta` (`status`) in `store`.
    pub fn new(
        store: &Store,
        status: Added,
        meta: &SetMeta,
        records: usize,
        skipped: usize,
        problems: &[Problem],
    ) -> PrecedentsAddView {
        PrecedentsAddView {
            file: meta.file.clone(),
            name: meta.name.clone(),
            problems: problems.iter().map(PrecedentProblemView::from).collect(),
            records,
            rows: meta.rows,
            skipped,
            status,
            store: store.dir.display().to_string(),
        }
    }
}

/// The sets of the store (`hs precedents list --json`).
#[derive(Debug, Clone, Serialize)]
pub struct PrecedentsListView {
    pub sets: Vec<PrecedentSetView>,
    /// The store folder.
    pub store: String,
}

/// A set of the store, as its marker records it.
#[derive(Debug, Clone, Serialize)]
pub struct PrecedentSetView {
    /// Seconds since the Unix epoch.
    pub added_at: u64,
    pub analyzer_version: u32,
    /// The file's name.
    pub file: String,
    /// FNV-1a 64 of the file's bytes, hex.
    pub fingerprint: String,
    pub hs_version: String,
    pub name: String,
    /// Rows reported when added (skipped or repaired).
    pub reported: usize,
    /// Rows taken.
    pub rows: usize,
    pub schema_version: u32,
    /// Where the file was read from when added.
    pub source: String,
}

impl From<&SetMeta> for PrecedentSetView {
    fn from(m: &SetMeta) -> PrecedentSetView {
        PrecedentSetView {
            added_at: m.added_at,
            analyzer_version: m.analyzer_version,
            file: m.file.clone(),
            fingerprint: m.fingerprint.clone(),
            hs_version: m.hs_version.clone(),
            name: m.name.clone(),
            reported: m.reported,
            rows: m.rows,
            schema_version: m.schema_version,
            source: m.source.clone(),
        }
    }
}

impl PrecedentsListView {
    pub fn new(store: &Store, sets: &[SetMeta]) -> PrecedentsListView {
        PrecedentsListView {
            sets: sets.iter().map(PrecedentSetView::from).collect(),
            store: store.dir.display().to_string(),
        }
    }
}
