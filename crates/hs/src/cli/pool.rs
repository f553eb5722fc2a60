//! What a bulk run reuses. Rankers: rayon calls a `map_init` initialiser
//! once per job, which is many times per chunk, and a fresh ranker loses
//! its cache of spelling corrections; the pool hands the same rankers out
//! again instead, retiring one after [`RETIRE`] searches so that its cache
//! stays bounded. Results: real bulk files repeat descriptions (the same
//! goods on many declarations), and ranking is deterministic, so a bounded
//! map from description to suggestions answers repeats without searching.
//! Memory stays flat however long the input.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::engine::Engine;
use crate::rank::{Ranker, Suggestion};

/// Searches a ranker serves before it is replaced by a fresh one.
pub const RETIRE: usize = 50_000;

pub struct RankerPool<'e> {
    engine: &'e Engine,
    free: Mutex<Vec<(Ranker, usize)>>,
}

impl<'e> RankerPool<'e> {
    pub fn new(engine: &'e Engine) -> RankerPool<'e> {
        RankerPool {
            engine,
            free: Mutex::new(Vec::new()),
        }
    }

    /// A ranker for one rayon job; it goes back to the pool when dropped.
    pub fn take(&self) -> Pooled<'_, 'e> {
        let got = self.free.lock().unwrap_or_else(|e| e.into_inner()).pop();
        Pooled {
            pool: self,
            ranker: Some(got.unwrap_or_else(|| (self.engine.ranker(), 0))),
        }
    }
}

/// A ranker on loan from the pool.
pub struct Pooled<'p, 'e> {
    pool: &'p RankerPool<'e>,
    ranker: Option<(Ranker, usize)>,
}

impl Pooled<'_, '_> {
    /// The ranker, counting one search.
    pub fn ranker(&mut self) -> &mut Ranker {
        let (r, uses) = self
            .ranker
            .get_or_insert_with(|| (self.pool.engine.ranker(), 0));
        *uses += 1;
        r
    }
}

impl Drop for Pooled<'_, '_> {
    fn drop(&mut self) {
        if let Some((r, uses)) = self.ranker.take()
            && uses < RETIRE
        {
            self.pool
                .free
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((r, uses));
        }
    }
}

/// Distinct descriptions remembered; past this the map starts again empty.
pub const CACHE_ENTRIES: usize = 10_000;

/// Suggestions by description, for one run (one `top`).
#[derive(Default)]
pub struct ResultCache {
    map: Mutex<HashMap<String, Arc<Vec<Suggestion>>>>,
}

impl ResultCache {
    /// The suggestions for `text`: remembered, or computed by `search` and
    /// remembered.
    /// A failed search is passed on and not remembered.
    pub fn get_or<E>(
        &self,
        text: &str,
        search: impl FnOnce() -> Result<Vec<Suggestion>, E>,
    ) -> Result<Arc<Vec<Suggestion>>, E> {
        if let Some(hit) = self.lock().get(text) {
            return Ok(Arc::clone(hit));
        }
        let found = Arc::new(search()?);
        let mut map = self.lock();
        if map.len() >= CACHE_ENTRIES {
            map.clear();
        }
        map.insert(text.to_string(), Arc::clone(&found));
        Ok(found)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Vec<Suggestion>>>> {
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }
}
