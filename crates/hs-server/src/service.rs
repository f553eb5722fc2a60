//! The calls the network front ends make, over one engine shared by every
//! request: search, show a code, classify a batch. Ranking is CPU work, so
//! each call is synchronous and the front ends run it on a blocking pool;
//! rankers (which keep a cache of spelling corrections) are pooled and
//! reused, and retired after [`RETIRE`] searches so their caches stay
//! bounded.

use std::sync::{Arc, Mutex};

use hs_core::code::Code;
use hs_core::engine::{Engine, Lookup, lookup};
use hs_core::rank::{RankError, Ranker};
use hs_core::tariff::Date;
use hs_core::view::classify::needs_review;
use hs_core::view::{ClassifyRow, NodeView, SearchView, SuggestionView, UnknownCode};

/// Searches a pooled ranker serves before a fresh one replaces it.
pub const RETIRE: usize = 50_000;
/// The most suggestions one search may ask for.
pub const MAX_TOP: usize = 200;
/// The most descriptions one classify call may carry (HTTP).
pub const MAX_BATCH: usize = 10_000;
/// The message of a row whose description is empty.
pub const EMPTY_DESCRIPTION: &str = "empty description";

/// The engine and a pool of rankers, shared by every request.
pub struct Service {
    engine: Engine,
    rankers: Mutex<Vec<(Ranker, usize)>>,
}

/// Why a code could not be shown.
#[derive(Debug)]
pub enum CodeError {
    /// Not a code (the parser's message).
    Malformed(String),
    /// Well-formed but not in HS 2022 or the US schedule.
    Unknown(UnknownCode),
}

impl Service {
    pub fn new(engine: Engine) -> Arc<Service> {
        Arc::new(Service {
            engine,
            rankers: Mutex::new(Vec::new()),
        })
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Runs `f` with a ranker from the pool, putting it back afterwards.
    fn with_ranker<T>(&self, f: impl FnOnce(&mut Ranker) -> T) -> T {
        let taken = self.rankers.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let (mut ranker, uses) = taken.unwrap_or_else(|| (self.engine.ranker(), 0));
        let out = f(&mut ranker);
        if uses + 1 < RETIRE {
            self.rankers
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((ranker, uses + 1));
        }
        out
    }

    /// `top` ranked suggestions for a description (or a code's subtree).
    pub fn search(&self, query: &str, top: usize) -> Result<SearchView, RankError> {
        let result = self.with_ranker(|r| self.engine.search_with(r, query, top))?;
        Ok(SearchView::new(query, &result, None).with_precedent_sets(self.engine.precedent_sets()))
    }

    /// The node view of a code (`with_notes` adds the notes' texts).
    pub fn show(&self, input: &str, with_notes: bool) -> Result<NodeView, CodeError> {
        let code = Code::parse(input).map_err(|e| CodeError::Malformed(e.to_string()))?;
        let ds = &self.engine.data;
        match lookup(ds, &code) {
            Lookup::Found(id) => Ok(NodeView::new(ds, id, with_notes, Date::today())),
            Lookup::Unknown { code, nearest } => {
                Err(CodeError::Unknown(UnknownCode::new(ds, &code, &nearest)))
            }
        }
    }

    /// One row per description, numbered from `first`, in order (a batch,
    /// or a share of one run in parallel); an empty description gets an
    /// error instead of suggestions.
    pub fn classify(
        &self,
        first: usize,
        descriptions: &[String],
        top: usize,
    ) -> Result<Vec<ClassifyRow>, RankError> {
        self.with_ranker(|r| {
            descriptions
                .iter()
                .enumerate()
                .map(|(i, d)| self.classify_one(r, first + i, d, top))
                .collect()
        })
    }

    fn classify_one(
        &self,
        r: &mut Ranker,
        row: usize,
        text: &str,
        top: usize,
    ) -> Result<ClassifyRow, RankError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(ClassifyRow::new(
                row,
                text,
                Vec::new(),
                false,
                Some(EMPTY_DESCRIPTION.into()),
                None,
            ));
        }
        let found = self.engine.search_with(r, text, top)?.suggestions;
        let views = found.iter().map(SuggestionView::new).collect();
        Ok(ClassifyRow::new(
            row,
            text,
            views,
            needs_review(&found),
            None,
            None,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_is_shared_across_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Service>();
    }
}
