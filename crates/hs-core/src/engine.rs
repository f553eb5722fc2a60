//! The engine: one facade over the loaded data, the index and the ranker,
//! used by every front end (command line, terminal UI, benches, tests).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use thiserror::Error;

use crate::cn::CnSchedule;
use crate::code::{Code, CodeError};
use crate::index::{self, IndexError, IndexEvent, OpenIndex};
use crate::load::{Dataset, LoadError, Scope, resolve_data_dir};
use crate::precedents::signal::explain;
use crate::precedents::{Conflict, Precedents, Vote};
use crate::rank::{Prepared, RankError, Ranker, Suggestion, Understood, Weights};
use crate::tree::{Level, NodeId};

/// Any error of the core.
#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Code(#[from] CodeError),
    #[error(transparent)]
    Rank(#[from] RankError),
}

/// Where to find the data and the index.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub data_dir: Option<PathBuf>,
    pub index_dir: Option<PathBuf>,
    /// Rebuild the index even when it is up to date.
    pub rebuild: bool,
}

/// Loads the dataset alone (enough for `show` and browsing).
pub fn load_dataset(opts: &Options) -> Result<Dataset, Error> {
    load_dataset_scoped(opts, Scope::All)
}

/// [`load_dataset`] with only part of the US schedule: see [`Scope`].
pub fn load_dataset_scoped(opts: &Options, scope: Scope) -> Result<Dataset, Error> {
    let dir = resolve_data_dir(opts.data_dir.as_deref())?;
    let cache = crate::hts_cache::default_dir();
    Ok(Dataset::load_cached(&dir, scope, Some(&cache))?)
}

/// The result of looking a code up.
#[derive(Debug, Clone)]
pub enum Lookup {
    Found(NodeId),
    /// Well-formed but not in the tree: the nearest existing codes.
    Unknown {
        code: Code,
        nearest: Vec<NodeId>,
    },
}

/// Looks up a code in the dataset.
pub fn lookup(ds: &Dataset, code: &Code) -> Lookup {
    match ds.tree.get(code) {
        Some(n) => Lookup::Found(n.id),
        None => Lookup::Unknown {
            code: code.clone(),
            nearest: ds
                .tree
                .nearest_codes(code, 8)
                .iter()
                .map(|n| n.id)
                .collect(),
        },
    }
}

/// What a search returned.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    pub query: String,
    /// `text` or `code` (the query was read as a code).
    pub kind: &'static str,
    pub suggestions: Vec<Suggestion>,
    #[serde(skip)]
    pub understood: Understood,
    /// Near-exact precedents under different codes (none without precedents).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conflict: Option<Conflict>,
}

/// Data, index and ranker together.
pub struct Engine {
    pub data: Dataset,
    pub index: OpenIndex,
    pub weights: Weights,
    pub prepared: Prepared,
    /// The precedent sets searches consult (none by default).
    pub precedents: Option<Arc<Precedents>>,
}

impl Engine {
    /// Loads the data and opens (building if needed) the index.
    pub fn open(opts: &Options) -> Result<(Engine, Vec<IndexEvent>), Error> {
        let data = load_dataset(opts)?;
        Self::with_dataset(data, opts)
    }

    /// Opens the index for an already loaded dataset.
    pub fn with_dataset(data: Dataset, opts: &Options) -> Result<(Engine, Vec<IndexEvent>), Error> {
        let dir = index::resolve_index_dir(opts.index_dir.as_deref());
        let (index, events) = index::ensure(&data, &dir, opts.rebuild)?;
        let prepared = Prepared::new(&data, &index);
        Ok((
            Engine {
                data,
                index,
                weights: Weights::default(),
                prepared,
                precedents: None,
            },
            events,
        ))
    }

    /// A ranker for this engine (one per thread).
    pub fn ranker(&self) -> Ranker {
        let mut r = Ranker::new();
        r.weights = self.weights.clone();
        r
    }

    /// Ranked suggestions for text; text that reads as a code lists that
    /// code and what lies under it. An index that cannot be searched is an
    /// error, never an empty list.
    pub fn search(&self, query: &str, top: usize) -> Result<SearchResult, RankError> {
        self.search_with(&mut self.ranker(), query, top)
    }

    /// As [`Engine::search`], reusing a ranker.
    pub fn search_with(
        &self,
        ranker: &mut Ranker,
        query: &str,
        top: usize,
    ) -> Result<SearchResult, RankError> {
        if Code::looks_like_code(query)
            && let Ok(code) = Code::parse(query)
        {
            return Ok(SearchResult {
                query: query.to_string(),
                kind: "code",
                suggestions: self.code_suggestions(&code, top),
                understood: Understood::default(),
                conflict: None,
            });
        }
        let vote = match &self.precedents {
            Some(p) if !p.is_empty() => Some(p.vote(query)?),
            _ => None,
        };
        self.search_voted(ranker, query, top, vote.as_ref())
    }

    /// Ranked suggestions for a description with a precedent vote already
    /// taken (`hs audit` leaves each row's own precedent out of its vote).
    /// Without a vote (or precedents), exactly the ranking alone.
    pub fn search_voted(
        &self,
        ranker: &mut Ranker,
        query: &str,
        top: usize,
        vote: Option<&Vote>,
    ) -> Result<SearchResult, RankError> {
        let with = vote.zip(self.precedents.as_deref());
        let (understood, mut suggestions) =
            ranker.search_voted(&self.data, &self.index, &self.prepared, query, top, with)?;
        if let Some((vote, p)) = with {
            explain(&self.data.tree, &mut suggestions, vote, p);
        }
        Ok(SearchResult {
            query: query.to_string(),
            kind: "text",
            suggestions,
            understood,
            conflict: with.and_then(|(v, _)| v.conflict.clone()),
        })
    }

    /// Names of the precedent sets searches consult.
    pub fn precedent_sets(&self) -> Vec<String> {
        self.precedents
            .as_ref()
            .map_or_else(Vec::new, |p| p.names())
    }

    /// As [`Engine::search_with`], presenting the lines of the EU Combined
    /// Nomenclature when `cn` is given: ranked as usual, then the best CN
    /// line under each suggested subheading instead of the US line (see
    /// [`CnSchedule::present`]). With `None`, exactly `search_with`.
    pub fn search_in(
        &self,
        ranker: &mut Ranker,
        query: &str,
        top: usize,
        cn: Option<&CnSchedule>,
    ) -> Result<SearchResult, RankError> {
        let result = self.search_with(ranker, query, top)?;
        Ok(match cn {
            Some(cn) => cn.present(&self.data.tree, result, top),
            None => result,
        })
    }

    /// A code and its subtree (coded nodes only), as suggestions.
    pub fn code_suggestions(&self, code: &Code, top: usize) -> Vec<Suggestion> {
        let tree = &self.data.tree;
        // Chapters 98/99 are shown by `show`, never suggested.
        let Some(node) = tree
            .get(code)
            .filter(|_| !crate::tree::is_special_chapter(code.chapter()))
        else {
            return Vec::new();
        };
        let share = tree.code_query_confidence(node.id);
        let mut nodes = vec![node];
        nodes.extend(
            tree.descendants(node.id)
                .into_iter()
                .filter(|n| n.code.is_some()),
        );
        nodes
            .into_iter()
            .take(top)
            .filter_map(|n| {
                let c = n.code.clone()?;
                Some(Suggestion {
                    level: n.level.name(),
                    description: n.full_text.clone(),
                    hs6: c.prefix(6).unwrap_or_else(|| c.clone()),
                    path: tree
                        .path(n.id)
                        .iter()
                        .filter_map(|p| p.code.as_ref().map(|c| c.to_string()))
                        .collect(),
                    score: 1.0,
                    confidence: share(n.id),
                    matched: Vec::new(),
                    signals: Default::default(),
                    precedents: Vec::new(),
                    node: n.id,
                    goods_evidence: true,
                    language: None,
                    code: c,
                })
            })
            .collect()
    }

    /// Path from the path's root to the node, as (label, text, level).
    pub fn path(&self, id: NodeId) -> Vec<(String, String, Level)> {
        self.data
            .tree
            .path(id)
            .iter()
            .map(|n| (n.label(), n.text.clone(), n.level))
            .collect()
    }

    pub fn index_dir(&self) -> &Path {
        &self.index.dir
    }
}
