//! The nearest-precedent vote: the precedents whose descriptions are
//! closest to a query (by a similarity in [0, 1] from the shared terms,
//! found exactly from each set's terms) vote for their codes, weighted by
//! similarity; an exact or near-exact description is strong evidence, and
//! near-exact precedents under different codes are a [`Conflict`], shown
//! rather than averaged away. With no precedents the vote is empty.

use rustc_hash::FxHashMap;
use serde::Serialize;
use tantivy::tokenizer::TextAnalyzer;

use crate::code::Code;
use crate::index::{analyze, analyzer};
use crate::rank::RankError;
use crate::rank::repair::COMPLETION_TRUST;
use crate::text::normalize;

use super::{Precedent, PrecedentIndex};

/// How the vote is taken (its own weights, tuned by cross-validation on
/// labelled files; see the README).
#[derive(Debug, Clone)]
pub struct VoteWeights {
    /// Nearest precedents taken from each set (an exact search).
    pub retrieve: usize,
    /// Precedents that vote (the nearest, over all sets).
    pub voters: usize,
    /// Least similarity for a vote; above 0 (a precedent sharing no
    /// weighed term is never a neighbour).
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
    /// A precedent's similarity counts the share of its own terms the
    /// query names to this power (0: not at all; 1: as much as the
    /// query's share it names).
    pub cover_power: f32,
}

impl Default for VoteWeights {
    fn default() -> Self {
        VoteWeights {
            retrieve: 30,
            voters: 30,
            min_similarity: 0.02,
            power: 2.0,
            prior: 1.0,
            near_exact: 0.95,
            number_term: 0.6,
            cover_power: 0.25,
        }
    }
}

/// `x` to the power `p` for `x` in [0, 1]: the powers the weights use
/// (1/4, 1/2, 1, 2) by square roots and products, which cost a fraction of
/// `powf` (the similarity is worked out for every precedent met).
fn power(x: f32, p: f32) -> f32 {
    if p == 0.25 {
        x.sqrt().sqrt()
    } else if p == 0.5 {
        x.sqrt()
    } else if p == 1.0 {
        x
    } else if p == 2.0 {
        x * x
    } else {
        x.powf(p)
    }
}

/// The text's last term when the text ends inside a word (as fixed-width
/// fields cut descriptions), of three letters or more: a word that may
/// have been cut short.
fn cut_term(an: &mut TextAnalyzer, text: &str) -> Option<String> {
    // Trailing blanks are a fixed-width field's padding, as the ranking
    // reads them.
    let text = text.trim_end();
    let last = text.split_whitespace().last()?;
    if !text.chars().last().is_some_and(char::is_alphanumeric) {
        return None;
    }
    let mut t = analyze(an, last);
    let term = t
        .pop()
        .filter(|t| t.len() >= 3 && t.bytes().all(|b| b.is_ascii_lowercase()))?;
    // Only a last word read as one term ("3-pack" is not cut).
    t.is_empty().then_some(term)
}

/// Fewest letters of a word, anywhere in the text, that may stand for a
/// longer word of a set (a last word cut by a field's width may be
/// shorter: [`cut_term`]).
const SHORTENED_MIN: usize = 4;

/// A term that may be a longer word written short: letters only, at least
/// [`SHORTENED_MIN`] of them.
fn shortened(t: &str) -> bool {
    t.len() >= SHORTENED_MIN && t.bytes().all(|b| b.is_ascii_lowercase())
}

/// The commonest term of the segments' dictionaries that begins with
/// `prefix` and is longer (the fewest letters, then the first in order,
/// among equals); `None` when there is none.
fn complete(
    inverted: &[std::sync::Arc<tantivy::InvertedIndexReader>],
    prefix: &str,
) -> std::io::Result<Option<String>> {
    let mut upper = prefix.as_bytes().to_vec();
    upper.push(0xff);
    let mut counts: FxHashMap<Vec<u8>, u64> = FxHashMap::default();
    for inv in inverted {
        let mut stream = inv.terms().range().gt(prefix).lt(&upper).into_stream()?;
        while stream.advance() {
            *counts.entry(stream.key().to_vec()).or_default() += u64::from(stream.value().doc_freq);
        }
    }
    Ok(counts
        .into_iter()
        .max_by(|a, b| {
            a.1.cmp(&b.1)
                .then(b.0.len().cmp(&a.0.len()))
                .then(b.0.cmp(&a.0))
        })
        .and_then(|(k, _)| String::from_utf8(k).ok()))
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
    /// The most similar voters, at most three (shown by
    /// [`Precedents::support_of`]).
    pub voters: Vec<Voter>,
}

/// A precedent that voted: its set (index into the run's sets), its row
/// (index into the set's rows) and its similarity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Voter {
    pub set: usize,
    pub row: usize,
    pub similarity: f32,
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

/// A thread's working space for [`Precedents::nearest`]: per row, the
/// shared query weight and the shared precedent weight met so far; and the
/// rows met (kept between queries so a query allocates nothing per row).
#[derive(Default)]
struct Scratch {
    shared: Vec<(f32, f32)>,
    touched: Vec<u32>,
    sims: Vec<f32>,
    best: Vec<(usize, f32)>,
    /// Set while a search runs: found set on entry, the last one did not
    /// finish.
    dirty: bool,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// A query term a set knows: its entry in each segment's dictionary, its
/// number in the set, its weight (idf times its own weight), its own
/// weight (1, or `number_term` for a term with a digit) and how many of
/// the set's precedents hold it.
struct KnownTerm {
    id: u32,
    weight: f32,
    own: f32,
    df: u64,
}

/// A precedent hit before voting.
struct Hit<'a> {
    set: usize,
    row: usize,
    p: &'a Precedent,
    similarity: f32,
}

impl Hit<'_> {
    fn voter(&self) -> Voter {
        Voter {
            set: self.set,
            row: self.row,
            similarity: self.similarity,
        }
    }
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
    /// a row of a file audited against the others; its copies in the other
    /// sets (the same description, as normalised, under the same code: the
    /// history also kept in the store) are left out too, so a row never
    /// supports itself.
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
        let text = normalize(crate::text::searched_part(query));
        let mut terms = analyze(&mut an, &text);
        let cut = cut_term(&mut an, &text);
        terms.sort();
        terms.dedup();
        if terms.is_empty() {
            return Ok(Vote::default());
        }
        let own = skip.and_then(|(s, r)| {
            let p = self.sets.get(s)?.rows.get(r)?;
            Some((s, normalize(&p.description), p.code.as_str()))
        });
        let is_copy = |si: usize, p: &Precedent| {
            own.as_ref().is_some_and(|(s, text, code)| {
                si != *s && p.code == *code && normalize(&p.description) == *text
            })
        };
        let mut hits: Vec<Hit> = Vec::new();
        for (si, set) in self.sets.iter().enumerate() {
            if set.is_empty() {
                continue;
            }
            let skip_row = skip.and_then(|(s, r)| (s == si).then_some(r));
            for (row, similarity) in self.nearest(set, &terms, cut.as_deref(), skip_row)? {
                if let Some(p) = set.rows.get(row).filter(|p| !is_copy(si, p)) {
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

    /// The set's `retrieve` nearest precedents to the query terms (sorted,
    /// unique), as (row, similarity) by similarity, then row; none under
    /// `min_similarity`, and never the row `skip`.
    ///
    /// Similarity: the idf-weighted share of the query's terms a precedent
    /// names (terms the set has never seen count at the largest idf) times
    /// the share of the precedent's terms the query names to the power
    /// `cover_power`; terms with a digit weigh `number_term`. The search is exact:
    /// the query's terms' postings (the rows holding each, kept in memory
    /// by [`RowIds`](super::index::RowIds) from the terms the set's index holds) are read
    /// rarest first, adding up each precedent's shared weights; once a
    /// precedent not met yet could name only the terms left, and those
    /// cannot reach `min_similarity` or beat the `retrieve`-th best met so
    /// far, no new precedent is taken, and a term's postings more than
    /// eight times longer than the list of those met are replaced by
    /// looking the term up in their own terms. A word the set has never
    /// seen is completed from the index's term dictionary.
    fn nearest(
        &self,
        set: &PrecedentIndex,
        terms: &[String],
        cut: Option<&str>,
        skip: Option<usize>,
    ) -> Result<Vec<(usize, f32)>, RankError> {
        let w = &self.weights;
        let failed = |source| RankError::Precedents {
            set: set.name.clone(),
            source,
        };
        let tw = |digit: bool| if digit { w.number_term } else { 1.0 };
        let searcher = set.reader.searcher();
        let ids = set.row_ids();
        let n = searcher.num_docs() as f32;
        let max_idf = (1.0 + (n + 0.5) / 0.5).ln();
        // The query's terms the set knows, each with its rows (postings)
        // in memory: their count is the term's document frequency.
        let look_up = |t: &str| -> (u64, Option<u32>) {
            ids.dict
                .get(t)
                .map_or((0, None), |&id| (ids.rows_of(id).len() as u64, Some(id)))
        };
        let mut known: Vec<KnownTerm> = Vec::new();
        let mut q_total = 0.0f32;
        for t in terms {
            let digit = crate::text::has_digit(t);
            let (mut docs, mut id) = look_up(t);
            let mut trust = 1.0;
            // A word the set has never seen, cut short by a field's width
            // or written short ("eleph", "reinf"), stands for the set's
            // commonest word it begins (read from the index's terms).
            if docs == 0 && (cut == Some(t.as_str()) || shortened(t)) {
                let mut inverted = Vec::new();
                for seg in searcher.segment_readers() {
                    inverted.push(seg.inverted_index(set.text).map_err(failed)?);
                }
                let completed = complete(&inverted, t).map_err(|e| failed(e.into()))?;
                // A completion the query already names adds nothing.
                if let Some(c) = completed.as_ref().filter(|c| !terms.contains(c)) {
                    (docs, id) = look_up(c);
                    trust = COMPLETION_TRUST;
                }
            }
            let df = docs as f32;
            match id {
                Some(id) if df > 0.0 => {
                    let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
                    let weight = idf * tw(digit) * trust;
                    q_total += weight;
                    known.push(KnownTerm {
                        id,
                        weight,
                        own: tw(digit),
                        df: docs,
                    });
                }
                // Query terms the set has never seen still count against
                // a match: a precedent naming none of them is not the same
                // goods.
                _ => q_total += max_idf * tw(digit),
            }
        }
        if known.is_empty() || q_total <= 0.0 {
            return Ok(Vec::new());
        }
        known.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.id.cmp(&b.id)));
        // What a precedent naming none of the terms before i can reach.
        let mut left: Vec<f32> = vec![0.0; known.len() + 1];
        for i in (0..known.len()).rev() {
            left[i] = left[i + 1] + known[i].weight / q_total;
        }
        let k = w.retrieve.max(1);
        let rows = set.rows.len();
        let similarity = |row: usize, (q_shared, p_shared): (f32, f32)| {
            let p_total = ids.weight(row, w.number_term);
            let p_cover = if p_total > 0.0 {
                (p_shared / p_total).min(1.0)
            } else {
                0.0
            };
            (q_shared / q_total * power(p_cover, w.cover_power)).clamp(0.0, 1.0)
        };
        let found: Vec<(usize, f32)> = SCRATCH.with(|cell| {
            let mut scratch = cell.borrow_mut();
            let Scratch {
                shared,
                touched,
                sims,
                best,
                dirty,
            } = &mut *scratch;
            // A search that panicked half-way (and a thread that goes on,
            // as a server's does) leaves sums behind: clear them all.
            if *dirty {
                shared.iter_mut().for_each(|a| *a = (0.0, 0.0));
            }
            *dirty = true;
            if shared.len() < rows {
                shared.resize(rows, (0.0, 0.0));
            }
            touched.clear();
            // The k-th best similarity of the precedents met so far (their
            // similarity can only grow as more terms are read), worked out
            // again only once twice as many have been met: an older, lower
            // figure admits more, never fewer.
            let (mut kth_of, mut kth_at) = (0.0f32, 0usize);
            // A precedent's similarity is at most its share of the query's
            // weight (the share of its own terms named is at most 1), so
            // one whose share is under a similarity already beaten k times
            // can be passed over without working its similarity out (with
            // slack for rounding).
            let below = |q_shared: f32, floor: f32| q_shared < floor * q_total * (1.0 - 1e-4);
            let mut kth = |shared: &[(f32, f32)], touched: &[u32]| -> f32 {
                if touched.len() < k || touched.len() < 2 * kth_at {
                    return kth_of;
                }
                kth_at = touched.len();
                sims.clear();
                let floor = kth_of;
                sims.extend(touched.iter().map(|&r| {
                    let r = r as usize;
                    let acc = shared.get(r).copied().unwrap_or_default();
                    // Under the old k-th best: never among the k best, and
                    // the k-th best is unchanged by counting it as 0.
                    if skip == Some(r) || below(acc.0, floor) {
                        0.0
                    } else {
                        similarity(r, acc)
                    }
                }));
                let (_, kth, _) = sims.select_nth_unstable_by(k - 1, |a, b| b.total_cmp(a));
                kth_of = *kth;
                kth_of
            };
            let mut read = || -> Result<(), RankError> {
                let mut admit = true;
                for (i, qt) in known.iter().enumerate() {
                    let (id, weight, wt) = (qt.id, qt.weight, qt.own);
                    // A term that weighs nothing adds nothing (and a zero
                    // sum marks a precedent not met yet).
                    if weight <= 0.0 {
                        continue;
                    }
                    // A precedent not met yet names only the terms from
                    // here on: once that cannot reach the least similarity
                    // or beat the k-th best, only those met are scored.
                    if admit {
                        // With a little slack: the bound and a similarity
                        // add the same weights in another order.
                        let bound = left[i] * (1.0 + 1e-4);
                        admit = bound >= w.min_similarity && bound >= kth(shared, touched);
                    }
                    if !admit && (touched.len() as u64).saturating_mul(8) < qt.df {
                        // Fewer precedents met than the term's postings:
                        // look the term up in their own terms instead.
                        for &row in touched.iter() {
                            if ids.row(row as usize).contains(&id)
                                && let Some(acc) = shared.get_mut(row as usize)
                            {
                                acc.0 += weight;
                                acc.1 += wt;
                            }
                        }
                        continue;
                    }
                    for &row in ids.rows_of(id) {
                        let Some(acc) = shared.get_mut(row as usize) else {
                            continue;
                        };
                        if acc.0 == 0.0 {
                            if !admit {
                                continue;
                            }
                            touched.push(row);
                        }
                        acc.0 += weight;
                        acc.1 += wt;
                    }
                }
                Ok(())
            };
            let outcome = read();
            // Similarities only grow as terms are read, so the k-th best of
            // the last count is a floor for the final k-th best.
            let floor = kth_of.max(w.min_similarity);
            best.clear();
            for &row in touched.iter() {
                let row = row as usize;
                let Some(acc) = shared.get_mut(row) else {
                    continue;
                };
                let acc = std::mem::take(acc);
                if skip == Some(row) || below(acc.0, floor) {
                    continue;
                }
                let sim = similarity(row, acc);
                if sim >= w.min_similarity {
                    best.push((row, sim));
                }
            }
            let by_similarity =
                |a: &(usize, f32), b: &(usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
            if best.len() > k {
                best.select_nth_unstable_by(k - 1, by_similarity);
                best.truncate(k);
            }
            best.sort_by(by_similarity);
            *dirty = false;
            outcome.map(|()| best.clone())
        })?;
        Ok(found)
    }

    /// The precedents shown in support of a code: its most similar voters.
    pub fn support_of(&self, cv: &CodeVote) -> Vec<Support> {
        cv.voters.iter().filter_map(|v| self.support(v)).collect()
    }

    fn support(&self, v: &Voter) -> Option<Support> {
        let set = self.sets.get(v.set)?;
        let p = set.rows.get(v.row)?;
        Some(Support {
            description: p.description.clone(),
            code: Code::parse(&p.code).map_or_else(|_| p.code.clone(), |c| c.to_string()),
            set: set.name.clone(),
            file: set.file.clone(),
            row: p.row,
            reference: p.reference.clone(),
            similarity: (v.similarity * 1000.0).round() / 1000.0,
        })
    }

    fn tally(&self, hits: &[Hit]) -> Vote {
        let w = &self.weights;
        let mut codes: Vec<CodeVote> = Vec::new();
        let mut total = 0.0;
        for h in hits {
            let weight = power(h.similarity, w.power);
            total += weight;
            let hs6 = h.p.hs6();
            // A few dozen voters at most: a scan beats hashing.
            let i = match codes.iter().position(|c| c.hs6 == hs6) {
                Some(i) => i,
                None => {
                    codes.push(CodeVote {
                        hs6: hs6.to_string(),
                        weight: 0.0,
                        strength: 0.0,
                        best: 0.0,
                        lines: Vec::new(),
                        voters: Vec::new(),
                    });
                    codes.len() - 1
                }
            };
            let Some(c) = codes.get_mut(i) else {
                continue;
            };
            c.weight += weight;
            c.best = c.best.max(h.similarity);
            if h.p.code.len() > 6 {
                match c.lines.iter_mut().find(|(l, _)| *l == h.p.code) {
                    Some(l) => l.1 += weight,
                    None => c.lines.push((h.p.code.clone(), weight)),
                }
            }
            if c.voters.len() < 3 {
                c.voters.push(h.voter());
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
                    if let Some(example) = self.support(&h.voter()) {
                        counts.push((h.p.hs6().to_string(), 1));
                        examples.push(example);
                    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::analyzer;
    use crate::precedents::index::row_terms;

    #[test]
    fn power_matches_powf() {
        for p in [0.0f32, 0.25, 0.5, 0.75, 1.0, 2.0, 3.0] {
            for x in [0.0f32, 1e-6, 0.01, 0.3, 0.5, 0.99, 1.0] {
                let (a, b) = (power(x, p), x.powf(p));
                assert!(
                    (a - b).abs() <= 1e-6 * b.max(1.0),
                    "{x}^{p}: {a} against {b}"
                );
            }
        }
    }

    const WORDS: [&str; 24] = [
        "cotton", "shirt", "knitted", "men", "women", "leather", "bag", "steel", "bolt", "screw",
        "plastic", "toy", "wooden", "pallet", "glass", "bottle", "rubber", "tyre", "paper", "box",
        "12v", "battery", "other", "parts",
    ];

    /// Rows of 1 to 6 words drawn by a fixed generator, a code each.
    fn rows(n: usize) -> Vec<Precedent> {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |m: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % m as u64) as usize
        };
        (0..n)
            .map(|i| {
                let len = 1 + next(6);
                // "other" and "parts" are common, the rest spread out.
                let words: Vec<&str> = (0..len)
                    .map(|_| match next(10) {
                        0..=2 => WORDS[22 + next(2)],
                        _ => WORDS[next(22)],
                    })
                    .collect();
                Precedent::labelled(
                    &words.join(" "),
                    format!("{:06}", 610_000 + next(7) * 10),
                    "",
                    i as u64 + 2,
                )
            })
            .collect()
    }

    /// The k nearest by brute force: every row scored with the formula of
    /// [`Precedents::nearest`], from its own terms.
    fn brute(p: &Precedents, query: &str, k: usize, skip: Option<usize>) -> Vec<(usize, f32)> {
        let set = &p.sets[0];
        let w = &p.weights;
        let mut an = analyzer();
        let q: Vec<String> = row_terms(&mut an, query)
            .split(' ')
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        let tw = |t: &str| {
            if crate::text::has_digit(t) {
                w.number_term
            } else {
                1.0
            }
        };
        let terms: Vec<String> = set
            .rows
            .iter()
            .map(|r| row_terms(&mut an, &r.description).to_string())
            .collect();
        let n = set.rows.len() as f32;
        let df = |t: &str| {
            terms
                .iter()
                .filter(|r| r.split(' ').any(|x| x == t))
                .count() as f32
        };
        let max_idf = (1.0 + (n + 0.5) / 0.5).ln();
        let idf = |t: &str| match df(t) {
            0.0 => max_idf,
            d => (1.0 + (n - d + 0.5) / (d + 0.5)).ln(),
        };
        let q_total: f32 = q.iter().map(|t| idf(t) * tw(t)).sum();
        let mut out: Vec<(usize, f32)> = terms
            .iter()
            .enumerate()
            .filter(|(i, _)| skip != Some(*i))
            .filter_map(|(i, r)| {
                let r: Vec<&str> = r.split(' ').filter(|t| !t.is_empty()).collect();
                let p_total: f32 = r.iter().map(|t| tw(t)).sum();
                let shared: Vec<&&str> = r.iter().filter(|t| q.iter().any(|x| x == **t)).collect();
                if shared.is_empty() {
                    return None;
                }
                let q_shared: f32 = shared.iter().map(|t| idf(t) * tw(t)).sum();
                let p_shared: f32 = shared.iter().map(|t| tw(t)).sum();
                let sim = (q_shared / q_total
                    * power((p_shared / p_total).min(1.0), w.cover_power))
                .clamp(0.0, 1.0);
                (sim >= w.min_similarity).then_some((i, sim))
            })
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out.truncate(k);
        out
    }

    #[test]
    fn nearest_is_the_exact_top_k_by_similarity() {
        let set = PrecedentIndex::in_memory("t", "t.csv", rows(3000)).expect("index");
        let mut p = Precedents::new(vec![set]);
        for k in [1, 5, 30] {
            p.weights.retrieve = k;
            for query in [
                "men's cotton knitted shirt",
                "other parts",
                "12v battery other",
                "wooden pallet glass bottle steel bolt",
                "parts",
                "unheard-of words only",
            ] {
                let mut an = analyzer();
                let mut terms: Vec<String> = row_terms(&mut an, query)
                    .split(' ')
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect();
                terms.sort();
                for skip in [None, Some(0), Some(7)] {
                    let got = p.nearest(&p.sets[0], &terms, None, skip).expect("search");
                    let want = brute(&p, query, k, skip);
                    assert_eq!(got.len(), want.len(), "{query} k={k} skip={skip:?}");
                    for (g, w) in got.iter().zip(&want) {
                        assert!(
                            (g.1 - w.1).abs() < 1e-4,
                            "{query} k={k}: {got:?} vs {want:?}"
                        );
                    }
                    // Same rows where similarities differ by more than rounding.
                    let rows_of = |v: &[(usize, f32)]| {
                        v.iter()
                            .map(|x| (x.0, (x.1 * 1000.0).round() as i32))
                            .collect::<Vec<_>>()
                    };
                    if want.windows(2).all(|w| (w[0].1 - w[1].1).abs() > 1e-4) {
                        assert_eq!(rows_of(&got), rows_of(&want), "{query} k={k}");
                    }
                    assert!(got.iter().all(|g| Some(g.0) != skip));
                }
            }
        }
    }

    #[test]
    fn a_word_written_short_is_completed_from_the_set() {
        let rows = vec![
            Precedent::labelled("leather handbag", "420221".into(), "", 2),
            Precedent::labelled("leather wallet", "420231".into(), "", 3),
            Precedent::labelled("cotton handkerchief", "621320".into(), "", 4),
            Precedent::labelled("handbag strap", "420221".into(), "", 5),
            Precedent::labelled("hand towel", "630260".into(), "", 6),
        ];
        let set = PrecedentIndex::in_memory("t", "t.csv", rows).expect("index");
        let p = Precedents::new(vec![set]);
        // "handb" is no word of the set: cut short, it stands for the
        // set's commonest word it begins.
        let vote = p.vote("red handb").expect("vote");
        assert_eq!(vote.codes.first().map(|c| c.hs6.as_str()), Some("420221"));
        let best = vote.codes[0].best;
        assert!(best > 0.0 && best < 1.0, "{best}");
        // Four letters or more: completed wherever the word stands.
        let vote = p.vote("handb red").expect("vote");
        assert_eq!(vote.codes.first().map(|c| c.hs6.as_str()), Some("420221"));
        let vote = p.vote("red handb.").expect("vote");
        assert_eq!(vote.codes.first().map(|c| c.hs6.as_str()), Some("420221"));
        // Three letters: only a last word the text ends inside.
        assert_eq!(
            p.vote("red han")
                .expect("vote")
                .codes
                .first()
                .map(|c| c.hs6.as_str()),
            Some("420221")
        );
        assert!(p.vote("han red").expect("vote").is_empty());
        assert!(p.vote("red han.").expect("vote").is_empty());
        // A word the set knows is never replaced.
        let vote = p.vote("red hand").expect("vote");
        let codes: Vec<&str> = vote.codes.iter().map(|c| c.hs6.as_str()).collect();
        assert_eq!(codes, ["630260"]);
    }

    #[test]
    fn only_a_last_word_of_letters_may_be_cut() {
        let mut an = analyzer();
        let mut cut = |t: &str| cut_term(&mut an, &normalize(t));
        assert_eq!(cut("cotton shir").as_deref(), Some("shir"));
        assert_eq!(cut("cotton sh"), None);
        // Trailing blanks are padding, as the ranking reads them.
        assert_eq!(cut("cotton shir  ").as_deref(), Some("shir"));
        assert_eq!(cut("battery 12v"), None);
        assert_eq!(cut("battery 3-pack"), None);
        assert_eq!(cut(""), None);
    }

    /// The vote reads postings from memory: for every term of the index,
    /// the rows it holds are exactly the rows whose documents the index
    /// lists under the term.
    #[test]
    fn postings_in_memory_are_the_index_postings() {
        let set = PrecedentIndex::in_memory("t", "t.csv", rows(3000)).expect("index");
        let ids = set.row_ids();
        let searcher = set.reader.searcher();
        let mut checked = 0;
        for (term, &id) in &ids.dict {
            let mut from_index: Vec<u32> = Vec::new();
            for seg in searcher.segment_readers() {
                let inv = seg.inverted_index(set.text).expect("inverted");
                let col = seg.fast_fields().u64("row").expect("rows");
                let t = tantivy::Term::from_field_text(set.text, term);
                if let Some(info) = inv.get_term_info(&t).expect("term") {
                    crate::index::each_posting_of(seg, &inv, &info, |doc| {
                        from_index.push(col.first(doc).expect("row") as u32);
                    })
                    .expect("postings");
                }
            }
            from_index.sort_unstable();
            assert_eq!(ids.rows_of(id), from_index.as_slice(), "{term}");
            checked += 1;
        }
        assert!(checked >= 20, "{checked} terms");
        assert!(ids.rows_of(u32::MAX).is_empty());
    }

    #[test]
    fn the_vote_names_its_voters_and_shows_them_as_support() {
        let set = PrecedentIndex::in_memory("t", "t.csv", rows(500)).expect("index");
        let p = Precedents::new(vec![set]);
        let vote = p.vote("cotton knitted shirt").expect("vote");
        assert!(!vote.is_empty());
        let first = &vote.codes[0];
        assert!(first.voters.len() <= 3 && !first.voters.is_empty());
        let support = p.support_of(first);
        assert_eq!(support.len(), first.voters.len());
        for (s, v) in support.iter().zip(&first.voters) {
            let code = &p.sets[0].rows[v.row].code;
            let shown = Code::parse(code).map_or_else(|_| code.clone(), |c| c.to_string());
            assert_eq!(s.code, shown);
            assert_eq!(s.set, "t");
        }
        // Voters are the most similar first.
        assert!(
            first
                .voters
                .windows(2)
                .all(|w| w[0].similarity >= w[1].similarity)
        );
    }
}
