//! Searching for the UI without ever blocking a keystroke: each query gets a
//! generation number and goes to a worker thread that always runs the
//! newest request it holds; results of an older generation are dropped.
//! Tests use the inline mode, which searches at once.

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread;

use crate::engine::{Engine, SearchResult};
use crate::rank::RankError;

/// A search's outcome: an index that cannot be searched is an error the UI
/// shows, never an empty list.
pub type Outcome = Result<SearchResult, RankError>;

/// How many suggestions the UI asks for.
pub const TOP: usize = 30;

enum Mode {
    Inline,
    Worker {
        requests: Sender<(u64, String)>,
        results: Receiver<(u64, Outcome)>,
    },
}

/// Runs the engine's searches for the UI.
pub struct Searcher {
    engine: Arc<Engine>,
    mode: Mode,
    generation: u64,
    /// The generation of the newest result applied.
    applied: u64,
}

impl Searcher {
    /// Searches on the calling thread (tests, benches).
    pub fn inline(engine: Arc<Engine>) -> Searcher {
        Searcher {
            engine,
            mode: Mode::Inline,
            generation: 0,
            applied: 0,
        }
    }

    /// Searches on a worker thread.
    pub fn worker(engine: Arc<Engine>) -> Searcher {
        let (req_tx, req_rx) = mpsc::channel::<(u64, String)>();
        let (res_tx, res_rx) = mpsc::channel();
        let e = Arc::clone(&engine);
        let spawned = thread::Builder::new()
            .name("hs-search".into())
            .spawn(move || {
                let mut ranker = e.ranker();
                while let Ok(mut req) = req_rx.recv() {
                    // Only the newest request matters.
                    loop {
                        match req_rx.try_recv() {
                            Ok(newer) => req = newer,
                            Err(TryRecvError::Empty) => break,
                            Err(TryRecvError::Disconnected) => return,
                        }
                    }
                    let result = e.search_with(&mut ranker, &req.1, TOP);
                    if res_tx.send((req.0, result)).is_err() {
                        return;
                    }
                }
            });
        let mode = match spawned {
            Ok(_) => Mode::Worker {
                requests: req_tx,
                results: res_rx,
            },
            // No thread to be had: search inline rather than fail.
            Err(_) => Mode::Inline,
        };
        Searcher {
            engine,
            mode,
            generation: 0,
            applied: 0,
        }
    }

    /// Asks for the suggestions of `query`. Inline, returns them at once;
    /// with a worker, they come later from [`Searcher::poll`].
    pub fn request(&mut self, query: &str) -> Option<Outcome> {
        self.generation += 1;
        let q = query.trim();
        if q.is_empty() {
            self.applied = self.generation;
            return Some(Ok(SearchResult {
                query: String::new(),
                kind: "text",
                suggestions: Vec::new(),
                understood: Default::default(),
                conflict: None,
            }));
        }
        match &self.mode {
            Mode::Inline => {
                self.applied = self.generation;
                Some(self.engine.search(q, TOP))
            }
            Mode::Worker { requests, .. } => {
                if requests.send((self.generation, q.to_string())).is_err() {
                    // The worker is gone: search here.
                    self.mode = Mode::Inline;
                    self.applied = self.generation;
                    return Some(self.engine.search(q, TOP));
                }
                None
            }
        }
    }

    /// The result of the newest request, once the worker has it; results of
    /// older requests are dropped.
    pub fn poll(&mut self) -> Option<Outcome> {
        let Mode::Worker { results, .. } = &self.mode else {
            return None;
        };
        let mut newest = None;
        while let Ok((generation, result)) = results.try_recv() {
            if generation == self.generation {
                newest = Some(result);
            }
        }
        if newest.is_some() {
            self.applied = self.generation;
        }
        newest
    }

    /// True while a search for the newest query is running.
    pub fn pending(&self) -> bool {
        self.applied != self.generation
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }
}
