//! Stage 2, retrieving candidates: the understood words become one search
//! over the subheading documents of the tantivy index (each word weighted,
//! each field boosted, adjacent words also as a phrase; scored by
//! [`super::bm25`]); the best documents become the candidates, their BM25
//! score the `text` feature. Also answers which subheadings name some words
//! ([`IndexNaming`]), remembered per ranker.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::{DocAddress, Term};

use crate::index::{OpenIndex, TEXT_FIELDS, TextField, each_posting};
use crate::tree::NodeId;

use super::bm25::{Clause, PostingsMemory};
use super::signals::{Candidates, Feature, Naming, NodeSet};
use super::understand::Query;
use super::{Prepared, RankError, Weights};

/// The fields whose texts name goods (not the chapter's or the notes').
const NAMING_FIELDS: [TextField; 5] = [
    TextField::Own,
    TextField::Heading,
    TextField::Lines,
    TextField::EuLines,
    TextField::Alias,
];

/// Most term sets a ranker remembers before starting afresh.
const NAMING_CACHE: usize = 16384;

/// A query word's terms -> the subheadings whose texts name them.
pub type NamingCache = HashMap<String, Arc<NodeSet>>;

/// The text search's candidates, or None when the query has no words to
/// search with.
pub fn retrieve(
    idx: &OpenIndex,
    prep: &Prepared,
    w: &Weights,
    q: &Query,
    memory: &mut PostingsMemory,
) -> Result<Option<Candidates>, RankError> {
    let mut clauses: Vec<Clause> = Vec::new();
    let terms = &q.understood.terms;
    for (_, _, terms, weight) in terms {
        for term in terms {
            for f in TEXT_FIELDS {
                clauses.push(Clause::Term {
                    field: idx.fields.text[&f],
                    term,
                    boost: w.field(f) * weight,
                });
            }
        }
    }
    // Adjacent words of the description matched as a phrase (with one
    // word of slack) count extra: "brake pads", "ink cartridges".
    if w.phrase > 0.0 {
        let seq: Vec<(&str, f32)> = terms
            .iter()
            .filter(|(word, ..)| !word.ends_with('~'))
            .filter_map(|(_, _, t, wt)| t.first().map(|t| (t.as_str(), *wt)))
            .collect();
        for pair in seq.windows(2) {
            let ((a, wa), (b, wb)) = (pair[0], pair[1]);
            if a == b {
                continue;
            }
            for f in NAMING_FIELDS {
                clauses.push(Clause::Phrase {
                    field: idx.fields.text[&f],
                    terms: [a, b],
                    boost: w.phrase * w.field(f) * (wa + wb) / 2.0,
                });
            }
        }
    }
    if clauses.is_empty() {
        return Ok(None);
    }
    let hits = memory
        .search(&idx.reader.searcher(), &clauses, w.candidates)
        .map_err(RankError::index(idx))?;
    let mut cands = Candidates::default();
    for (s, addr) in hits {
        if let Some(id) = prep.node_of(addr) {
            cands.entry(id).set(Feature::Text, s);
        }
    }
    Ok(Some(cands))
}

/// [`Naming`] answered by the index, remembered in a ranker's cache.
pub struct IndexNaming<'a> {
    pub idx: &'a OpenIndex,
    pub prep: &'a Prepared,
    pub cache: &'a mut NamingCache,
}

impl Naming for IndexNaming<'_> {
    fn naming(&mut self, terms: &[&String]) -> Result<Arc<NodeSet>, RankError> {
        let key = terms
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(hit) = self.cache.get(&key) {
            return Ok(hit.clone());
        }
        if self.cache.len() >= NAMING_CACHE {
            self.cache.clear();
        }
        // The documents holding any of the terms in a naming field, read
        // straight from the postings.
        let searcher = self.idx.reader.searcher();
        let mut nodes: Vec<NodeId> = Vec::new();
        for (seg, reader) in searcher.segment_readers().iter().enumerate() {
            for f in NAMING_FIELDS {
                let field = self.idx.fields.text[&f];
                let inverted = reader
                    .inverted_index(field)
                    .map_err(RankError::index(self.idx))?;
                for t in terms {
                    let term = Term::from_field_text(field, t);
                    each_posting(reader, &inverted, &term, |d| {
                        nodes.extend(self.prep.node_of(DocAddress::new(seg as u32, d)));
                    })
                    .map_err(RankError::index(self.idx))?;
                }
            }
        }
        let found: Arc<NodeSet> = Arc::new(nodes.into_iter().collect());
        self.cache.insert(key, found.clone());
        Ok(found)
    }
}
