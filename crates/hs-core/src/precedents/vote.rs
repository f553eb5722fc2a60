//! The nearest-precedent vote: the precedents whose descriptions are
//! closest to a query (BM25 over each set's index, then a similarity in
//! [0, 1] from the shared terms) vote for their codes, weighted by
//! similarity; an exact or near-exact description is strong evidence, and
//! near-exact precedents under different codes are a [`Conflict`], shown
//! rather than averaged away. With no precedents the vote is empty.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Term};

use crate::code::Code;
use crate::index::{analyze, analyzer};
use crate::rank::RankError;
use crate::text::normalize;

use super::index::row_terms;
use super::{Precedent, PrecedentIndex};

/// How the vote is taken (its own weights, tuned by cross-validation on
/// labelled files; see the README).
#[derive(Debug, Clone)]
pub struct VoteWeights {
    /// Hits read from each set's index.
    pub retrieve: usize,
    /// Precedents that vote (the nearest, over all sets).
    pub voters: usize,
    /// Least similarity for a vote.
    pub min_similarity: f32,
    /// A vote weighs similarity to this power.
    pub power: f32,
    /// Pseudo-weight of "none of these": a code's strength is its votes
    /// over all votes plus this, so a few weak neighbours say little.
    pub prior: f32,
    /// Similarity from which a precedent counts as the same description.
    pub near_exact: f32,
    /// Weight of a query term with a digit (quantities, sizes, counts).
    pub number_term: f32,
}

impl Default for VoteWeights {
    fn default() -> Self {
        VoteWeights {
            retrieve: 100,
            voters: 100,
            min_similarity: 0.05,
            power: 2.0,
            prior: 1.0,
            near_exact: 0.95,
            number_term: 0.3,
        }
    }
}

/// A precedent shown in support of a code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Support {
    pub description: String,
    /// The precedent's checked code, dotted (6109.10.00.12).
    pub code: String,
    /// The set's name.
    pub set: String,
    /// The file the set was read from.
    pub file: String,
    /// The line of the file.
    pub row: u64,
    pub reference: String,
    /// In [0, 1]; 1 for the same words.
    pub similarity: f32,
}

/// The votes for one HS subheading.
#[derive(Debug, Clone, Serialize)]
pub struct CodeVote {
    /// Six digits.
    pub hs6: String,
    /// Sum of the voters' similarity^power.
    pub weight: f32,
    /// weight / (all weights + prior), in [0, 1).
    pub strength: f32,
    /// The best similarity among its voters.
    pub best: f32,
    /// Voters whose codes name a deeper US line: (digits, weight).
    pub lines: Vec<(String, f32)>,
    /// The most similar voters, at most three.
    pub support: Vec<Support>,
}

/// Near-exact precedents under different codes.
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    /// (six digits, how many near-exact precedents) by count.
    pub codes: Vec<(String, usize)>,
    /// One precedent per code.
    pub examples: Vec<Support>,
}

/// The vote for one query.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Vote {
    /// By weight, best first.
    pub codes: Vec<CodeVote>,
    pub conflict: Option<Conflict>,
    pub total: f32,
}

impl Vote {
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The vote for a subheading (six digits).
    pub fn get(&self, hs6: &str) -> Option<&CodeVote> {
        self.codes.iter().find(|c| c.hs6 == hs6)
    }
}

/// Every set used by a run, and how the vote is taken.
pub struct Precedents {
    pub sets: Vec<PrecedentIndex>,
    pub weights: VoteWeights,
    pub signal: super::signal::SignalWeights,
    analyzer: TextAnalyzer,
}

impl Default for Precedents {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

/// A precedent hit before voting.
struct Hit<'a> {
    set: usize,
    row: usize,
    p: &'a Precedent,
    similarity: f32,
}

impl Precedents {
    pub fn new(sets: Vec<PrecedentIndex>) -> Precedents {
        Precedents {
            sets,
            weights: VoteWeights::default(),
            signal: super::signal::SignalWeights::default(),
            analyzer: analyzer(),
        }
    }

    /// True when there is no precedent at all.
    pub fn is_empty(&self) -> bool {
        self.sets.iter().all(PrecedentIndex::is_empty)
    }

    /// Names of the sets, in order.
    pub fn names(&self) -> Vec<String> {
        self.sets.iter().map(|s| s.name.clone()).collect()
    }

    /// The vote of the nearest precedents for a description; an error
    /// when a set's index cannot be searched.
    pub fn vote(&self, query: &str) -> Result<Vote, RankError> {
        self.vote_except(query, None)
    }

    /// As [`Precedents::vote`], leaving out one precedent (set, row index):
    /// a row of a file audited against the others.
    pub fn vote_except(
        &self,
        query: &str,
        skip: Option<(usize, usize)>,
    ) -> Result<Vote, RankError> {
        if self.is_empty() {
            return Ok(Vote::default());
        }
        let w = &self.weights;
        let mut an = self.analyzer.clone();
        let mut terms = analyze(&mut an, &normalize(query));
        terms.sort();
        terms.dedup();
        if terms.is_empty() {
            return Ok(Vote::default());
        }
        let tw = |t: &str| {
            if t.chars().any(|c| c.is_ascii_digit()) {
                w.number_term
            } else {
                1.0
            }
        };
        let mut hits: Vec<Hit> = Vec::new();
        for (si, set) in self.sets.iter().enumerate() {
            if set.is_empty() {
                continue;
            }
            let searcher = set.reader.searcher();
            let failed = |source| RankError::Precedents {
                set: set.name.clone(),
                source,
            };
            let n = searcher.num_docs() as f32;
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            let mut idf: HashMap<&str, f32> = HashMap::new();
            for t in &terms {
                let term = Term::from_field_text(set.text, t);
                let df = searcher.doc_freq(&term).map_err(failed)? as f32;
                if df == 0.0 {
                    idf.insert(t.as_str(), 0.0);
                    continue;
                }
                let i = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
                idf.insert(t.as_str(), i * tw(t));
                let q = TermQuery::new(term, IndexRecordOption::WithFreqs);
                clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), tw(t)))));
            }
            // Query terms the set has never seen still count against a
            // match: a precedent naming none of them is not the same goods.
            let unseen = terms.iter().filter(|t| idf.get(t.as_str()) == Some(&0.0));
            let max_idf = (1.0 + (n + 0.5) / 0.5).ln();
            let q_total: f32 =
                idf.values().sum::<f32>() + unseen.map(|t| max_idf * tw(t)).sum::<f32>();
            if clauses.is_empty() || q_total <= 0.0 {
                continue;
            }
            let found: Vec<(f32, DocAddress)> = searcher
                .search(
                    &BooleanQuery::new(clauses),
                    &TopDocs::with_limit(w.retrieve + 1).order_by_score(),
                )
                .map_err(failed)?;
            for (_, addr) in found {
                let Some(&row) = set
                    .doc_row
                    .get(addr.segment_ord as usize)
                    .and_then(|v| v.get(addr.doc_id as usize))
                else {
                    continue;
                };
                let row = row as usize;
                if skip == Some((si, row)) {
                    continue;
                }
                let Some(p) = set.rows.get(row) else { continue };
                let pt: &str = match set.terms.get(row) {
                    Some(cell) => cell.get_or_init(|| row_terms(&mut an, &p.description)),
                    None => "",
                };
                // One pass over the precedent's terms: its total weight, and
                // the weight and idf of those the query shares.
                let (mut q_shared, mut p_shared, mut p_total) = (0.0f32, 0.0f32, 0.0f32);
                for t in pt.split(' ').filter(|t| !t.is_empty()) {
                    let wt = tw(t);
                    p_total += wt;
                    if terms.binary_search_by(|q| q.as_str().cmp(t)).is_ok() {
                        p_shared += wt;
                        q_shared += idf.get(t).copied().unwrap_or(0.0);
                    }
                }
                let q_cover = q_shared / q_total;
                let p_cover: f32 = if p_total > 0.0 {
                    p_shared / p_total
                } else {
                    0.0
                };
                let similarity = (q_cover * p_cover.sqrt()).clamp(0.0, 1.0);
                if similarity >= w.min_similarity {
                    hits.push(Hit {
                        set: si,
                        row,
                        p,
                        similarity,
                    });
                }
            }
        }
        hits.sort_by(|a, b| {
            b.similarity
                .total_cmp(&a.similarity)
                .then(a.set.cmp(&b.set))
                .then(a.row.cmp(&b.row))
        });
        hits.truncate(w.voters);
        Ok(self.tally(&hits))
    }

    fn support(&self, h: &Hit) -> Support {
        let set = &self.sets[h.set];
        Support {
            description: h.p.description.clone(),
            code: Code::parse(&h.p.code).map_or_else(|_| h.p.code.clone(), |c| c.to_string()),
            set: set.name.clone(),
            file: set.file.clone(),
            row: h.p.row,
            reference: h.p.reference.clone(),
            similarity: (h.similarity * 1000.0).round() / 1000.0,
        }
    }

    fn tally(&self, hits: &[Hit]) -> Vote {
        let w = &self.weights;
        let mut codes: Vec<CodeVote> = Vec::new();
        let mut total = 0.0;
        for h in hits {
            let weight = h.similarity.powf(w.power);
            total += weight;
            let hs6 = h.p.hs6();
            let i = match codes.iter().position(|c| c.hs6 == hs6) {
                Some(i) => i,
                None => {
                    codes.push(CodeVote {
                        hs6: hs6.to_string(),
                        weight: 0.0,
                        strength: 0.0,
                        best: 0.0,
                        lines: Vec::new(),
                        support: Vec::new(),
                    });
                    codes.len() - 1
                }
            };
            let c = &mut codes[i];
            c.weight += weight;
            c.best = c.best.max(h.similarity);
            if h.p.code.len() > 6 {
                match c.lines.iter_mut().find(|(l, _)| *l == h.p.code) {
                    Some(l) => l.1 += weight,
                    None => c.lines.push((h.p.code.clone(), weight)),
                }
            }
            if c.support.len() < 3 {
                c.support.push(self.support(h));
            }
        }
        for c in &mut codes {
            c.strength = c.weight / (total + w.prior);
            c.lines
                .sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        }
        codes.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.hs6.cmp(&b.hs6)));
        let near: Vec<&Hit> = hits
            .iter()
            .filter(|h| h.similarity >= w.near_exact)
            .collect();
        let mut counts: Vec<(String, usize)> = Vec::new();
        let mut examples = Vec::new();
        for h in &near {
            match counts.iter_mut().find(|(c, _)| c == h.p.hs6()) {
                Some(c) => c.1 += 1,
                None => {
                    counts.push((h.p.hs6().to_string(), 1));
                    examples.push(self.support(h));
                }
            }
        }
        let conflict = (counts.len() > 1).then(|| {
            let mut order: Vec<usize> = (0..counts.len()).collect();
            order.sort_by(|&a, &b| {
                counts[b]
                    .1
                    .cmp(&counts[a].1)
                    .then(counts[a].0.cmp(&counts[b].0))
            });
            Conflict {
                codes: order.iter().map(|&i| counts[i].clone()).collect(),
                examples: order.iter().map(|&i| examples[i].clone()).collect(),
            }
        });
        Vote {
            codes,
            conflict,
            total,
        }
    }
}
