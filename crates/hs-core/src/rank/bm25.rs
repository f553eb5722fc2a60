//! The text search's scoring, term at a time: each clause of the search (a
//! term in a field, or two adjacent terms as a phrase with one word of
//! slack) adds its BM25 score, boosted, to every document that holds it,
//! in clause order, and the best documents are kept (highest score first,
//! ties to the lower document). The score is tantivy's (its constants,
//! idf and field-length part, operation for operation; a phrase's
//! occurrences counted from its two terms' positions as tantivy's phrase
//! scorer counts them, see [`phrase_count`]) and the sum is its
//! boolean query's over the same boosted clauses where its union adds a
//! document's clauses in clause order. Where tantivy instead takes its
//! block-WAND path (a search of terms alone, such as a one-word
//! description, or a segment where no phrase can match), it may add them in
//! another order: a last-bit difference that can swap near-tied candidates
//! (one row of the 4,558 of the shared sets has its lower suggestions in
//! another order). Each
//! ranker remembers the clauses' hits with the document's part of the
//! score worked out: bulk input and a broker's typing repeat the same
//! words, and opening postings was most of the cost of a search.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::SegmentId;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, TERMINATED, Term};

/// Most postings (documents, over all remembered clauses) a ranker keeps;
/// past it the memory is emptied and starts again.
pub const POSTINGS_MEMORY_LIMIT: usize = 2_000_000;

/// One clause of the search, with its boost.
#[derive(Debug, Clone, PartialEq)]
pub enum Clause<'a> {
    Term {
        field: Field,
        term: &'a str,
        boost: Score,
    },
    /// Two terms in this order, with one word of slack between them.
    Phrase {
        field: Field,
        terms: [&'a str; 2],
        boost: Score,
    },
}

/// A document holding a clause: its number in the segment and the part of
/// BM25 that depends on the document (how often it holds the term or the
/// phrase, against its field's length).
#[derive(Debug, Clone, Copy)]
struct Hit {
    doc: DocId,
    tf: Score,
}

/// tantivy's BM25 parameters (`tantivy::query::bm25`).
const K1: Score = 1.2;
const B: Score = 0.75;

/// tantivy's inverse document frequency.
fn idf(doc_freq: u64, docs: u64) -> Score {
    let x = (docs.saturating_sub(doc_freq) as Score + 0.5) / (doc_freq as Score + 0.5);
    (1.0 + x).ln()
}

/// A field's length part of BM25 for each field length code, as tantivy
/// works it out from the field's average length.
type LengthNorms = [Score; 256];

fn length_norms(searcher: &Searcher, field: Field) -> tantivy::Result<LengthNorms> {
    let mut tokens = 0u64;
    let mut docs = 0u64;
    for reader in searcher.segment_readers() {
        tokens += reader.inverted_index(field)?.total_num_tokens();
        docs += u64::from(reader.max_doc());
    }
    let average = tokens as Score / docs as Score;
    let mut norms = [0.0; 256];
    for (id, n) in norms.iter_mut().enumerate() {
        let length = FieldNormReader::id_to_fieldnorm(id as u8);
        *n = K1 * (1.0 - B + B * length as Score / average);
    }
    Ok(norms)
}

/// The document's part of BM25: `freq` occurrences at length code `norm`
/// (tantivy's `Bm25Weight::tf_factor`).
fn tf(norms: &LengthNorms, norm: u8, freq: u32) -> Score {
    let f = freq as Score;
    f / (f + norms[norm as usize])
}

/// BM25 of `freq` occurrences at length code `norm`, for a clause of
/// weight `weight` (its idf times 1 + K1, times its boost): tantivy's
/// `Bm25Weight::score`, operation for operation (the tests hold the two
/// equal; a search multiplies the same way, a clause's weight by `tf`).
#[cfg(test)]
fn score(weight: Score, norms: &LengthNorms, norm: u8, freq: u32) -> Score {
    weight * tf(norms, norm, freq)
}

/// A clause's BM25 weight (its idf times 1 + K1, unboosted; `None` when no
/// document holds it) and its hits, per segment.
struct Hits {
    weight: Option<Score>,
    segments: Vec<Vec<Hit>>,
}

impl Hits {
    fn len(&self) -> usize {
        self.segments.iter().map(Vec::len).sum()
    }
}

/// What identifies a clause apart from its boost.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Term(Field, String),
    Phrase(Field, String, String),
}

impl Key {
    fn field(&self) -> Field {
        match self {
            Key::Term(f, _) | Key::Phrase(f, ..) => *f,
        }
    }
}

/// The hits of the clauses a ranker has met, for one version of an index
/// (the segments they were read from).
#[derive(Default)]
pub struct PostingsMemory {
    segments: Vec<SegmentId>,
    hits: FxHashMap<Key, Arc<Hits>>,
    held: usize,
    /// Each field's length part of BM25.
    norms: FxHashMap<Field, Arc<LengthNorms>>,
    /// Per-search working space: each document's sum, and whether it was
    /// met (all zero and false between searches: a search resets the
    /// documents it met).
    sums: Vec<Score>,
    met: Vec<bool>,
    /// Set while a search holds sums: one that panicked half-way (and a
    /// thread that goes on, as a server's does) leaves them behind.
    dirty: bool,
}

impl PostingsMemory {
    /// A field's length part of BM25, worked out once per index version.
    fn length_norms(
        &mut self,
        searcher: &Searcher,
        field: Field,
    ) -> tantivy::Result<Arc<LengthNorms>> {
        if let Some(n) = self.norms.get(&field) {
            return Ok(n.clone());
        }
        let n = Arc::new(length_norms(searcher, field)?);
        self.norms.insert(field, n.clone());
        Ok(n)
    }

    /// True when no document holds both terms in the field, as far as the
    /// remembered term hits tell (then the phrase cannot match, and its
    /// postings need not be read).
    fn apart(&self, field: Field, a: &str, b: &str) -> bool {
        let hits = |t: &str| self.hits.get(&Key::Term(field, t.to_string()));
        let (Some(a), Some(b)) = (hits(a), hits(b)) else {
            return false;
        };
        if a.weight.is_none() || b.weight.is_none() {
            return true;
        }
        a.segments.iter().zip(&b.segments).all(|(x, y)| {
            let (mut i, mut j) = (0, 0);
            while let (Some(p), Some(q)) = (x.get(i), y.get(j)) {
                match p.doc.cmp(&q.doc) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => return false,
                }
            }
            true
        })
    }

    /// The `limit` best documents for the clauses, as (score, address), by
    /// score, then address.
    pub fn search(
        &mut self,
        searcher: &Searcher,
        clauses: &[Clause],
        limit: usize,
    ) -> tantivy::Result<Vec<(Score, DocAddress)>> {
        let segments: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .collect();
        if segments != self.segments {
            self.hits.clear();
            self.norms.clear();
            self.held = 0;
            self.segments = segments;
        }
        let mut found = Vec::with_capacity(clauses.len());
        for clause in clauses {
            let (key, boost) = match clause {
                Clause::Term { field, term, boost } => {
                    (Key::Term(*field, (*term).to_string()), *boost)
                }
                Clause::Phrase {
                    field,
                    terms: [a, b],
                    boost,
                } => (
                    Key::Phrase(*field, (*a).to_string(), (*b).to_string()),
                    *boost,
                ),
            };
            let hits = match self.hits.get(&key) {
                Some(h) => h.clone(),
                None => {
                    let h = match &key {
                        Key::Phrase(field, a, b) if self.apart(*field, a, b) => Arc::new(Hits {
                            weight: None,
                            segments: Vec::new(),
                        }),
                        _ => {
                            let norms = self.length_norms(searcher, key.field())?;
                            Arc::new(read_hits(searcher, &key, &norms)?)
                        }
                    };
                    // A clause with no hit still holds its key.
                    let size = h.len().max(1);
                    if self.held + size > POSTINGS_MEMORY_LIMIT {
                        self.hits.clear();
                        self.held = 0;
                    }
                    self.held += size;
                    self.hits.insert(key, h.clone());
                    h
                }
            };
            found.push((hits, boost));
        }
        let mut best: Vec<(Score, DocAddress)> = Vec::new();
        for (si, reader) in searcher.segment_readers().iter().enumerate() {
            let max = reader.max_doc() as usize;
            if self.dirty {
                self.sums.iter_mut().for_each(|s| *s = 0.0);
                self.met.iter_mut().for_each(|m| *m = false);
            }
            self.dirty = true;
            if self.sums.len() < max {
                self.sums.resize(max, 0.0);
                self.met.resize(max, false);
            }
            let mut touched: Vec<DocId> = Vec::new();
            for (hits, boost) in &found {
                let Some(weight) = hits.weight else {
                    continue;
                };
                let Some(list) = hits.segments.get(si) else {
                    continue;
                };
                let w = weight * boost;
                for h in list {
                    let d = h.doc as usize;
                    if let (Some(sum), Some(met)) = (self.sums.get_mut(d), self.met.get_mut(d)) {
                        *sum += w * h.tf;
                        if !*met {
                            *met = true;
                            touched.push(h.doc);
                        }
                    }
                }
            }
            let alive = reader.alive_bitset();
            best.extend(
                touched
                    .iter()
                    .copied()
                    .filter(|&d| alive.is_none_or(|a| a.is_alive(d)))
                    .map(|d| {
                        let s = self.sums.get(d as usize).copied().unwrap_or_default();
                        (s, DocAddress::new(si as u32, d))
                    }),
            );
            for &d in &touched {
                if let (Some(sum), Some(met)) =
                    (self.sums.get_mut(d as usize), self.met.get_mut(d as usize))
                {
                    (*sum, *met) = (0.0, false);
                }
            }
            self.dirty = false;
        }
        let order = |a: &(Score, DocAddress), b: &(Score, DocAddress)| {
            b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
        };
        if best.len() > limit {
            best.select_nth_unstable_by(limit, order);
            best.truncate(limit);
        }
        best.sort_unstable_by(order);
        Ok(best)
    }
}

/// Reads a clause's hits in every segment, and its BM25 weight from the
/// searcher's statistics (as tantivy's term and phrase queries do).
fn read_hits(searcher: &Searcher, key: &Key, norms: &LengthNorms) -> tantivy::Result<Hits> {
    let mut segments = Vec::with_capacity(searcher.segment_readers().len());
    let docs: u64 = searcher
        .segment_readers()
        .iter()
        .map(|r| u64::from(r.max_doc()))
        .sum();
    match key {
        Key::Term(field, text) => {
            let term = Term::from_field_text(*field, text);
            let mut doc_freq = 0u64;
            for reader in searcher.segment_readers() {
                let inverted = reader.inverted_index(*field)?;
                let mut hits = Vec::new();
                if let Some(info) = inverted.get_term_info(&term)? {
                    doc_freq += u64::from(info.doc_freq);
                    let lengths = reader.get_fieldnorms_reader(*field)?;
                    let mut postings: SegmentPostings = inverted
                        .read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
                    let mut doc = postings.doc();
                    while doc != TERMINATED {
                        hits.push(Hit {
                            doc,
                            tf: tf(norms, lengths.fieldnorm_id(doc), postings.term_freq()),
                        });
                        doc = postings.advance();
                    }
                }
                segments.push(hits);
            }
            let weight = (doc_freq > 0).then(|| idf(doc_freq, docs) * (1.0 + K1));
            Ok(Hits { weight, segments })
        }
        Key::Phrase(field, a, b) => {
            let (ta, tb) = (
                Term::from_field_text(*field, a),
                Term::from_field_text(*field, b),
            );
            // Each term looked up once a segment: its document frequency
            // (summed, for the weight) and where its postings are.
            let mut found = Vec::with_capacity(searcher.segment_readers().len());
            let (mut df_a, mut df_b) = (0u64, 0u64);
            for reader in searcher.segment_readers() {
                let inverted = reader.inverted_index(*field)?;
                let (ia, ib) = (inverted.get_term_info(&ta)?, inverted.get_term_info(&tb)?);
                df_a += ia.as_ref().map_or(0, |i| u64::from(i.doc_freq));
                df_b += ib.as_ref().map_or(0, |i| u64::from(i.doc_freq));
                found.push((reader, inverted, ia.zip(ib)));
            }
            let weight = (idf(df_a, docs) + idf(df_b, docs)) * (1.0 + K1);
            let mut any = false;
            let (mut left, mut right) = (Vec::new(), Vec::new());
            for (reader, inverted, infos) in found {
                let mut hits = Vec::new();
                if let Some((ia, ib)) = infos {
                    let lengths = reader.get_fieldnorms_reader(*field)?;
                    let with = IndexRecordOption::WithFreqsAndPositions;
                    let mut pa = inverted.read_postings_from_terminfo(&ia, with)?;
                    let mut pb = inverted.read_postings_from_terminfo(&ib, with)?;
                    let (mut da, mut db) = (pa.doc(), pb.doc());
                    while da != TERMINATED && db != TERMINATED {
                        if da < db {
                            da = pa.seek(db);
                        } else if db < da {
                            db = pb.seek(da);
                        } else {
                            // As tantivy's phrase scorer: the first
                            // term's positions moved on by one, and the
                            // rarer term's (the first's on a tie) matched
                            // with the other's within the slack.
                            pa.positions_with_offset(1, &mut left);
                            pb.positions(&mut right);
                            let count = if ib.doc_freq < ia.doc_freq {
                                phrase_count(&right, &left, 1)
                            } else {
                                phrase_count(&left, &right, 1)
                            };
                            if count > 0 {
                                hits.push(Hit {
                                    doc: da,
                                    tf: tf(norms, lengths.fieldnorm_id(da), count),
                                });
                            }
                            da = pa.advance();
                            db = pb.advance();
                        }
                    }
                }
                any |= !hits.is_empty();
                segments.push(hits);
            }
            Ok(Hits {
                weight: any.then_some(weight),
                segments,
            })
        }
    }
}

/// Occurrences of a two-term phrase with `slop` words of slack, from the
/// two terms' positions (the first term's moved on by one), both
/// ascending, counted as tantivy's phrase scorer counts them: `left` is
/// the rarer term's in the segment (the first's on a tie); each of
/// `right` matches the last of `left` not past it within the slack, and
/// each position is used once (so the count depends on which is left:
/// "a a b b" counts once with `a` on the left, twice with `b`).
fn phrase_count(left: &[u32], right: &[u32], slop: u32) -> u32 {
    let (mut i, mut j, mut count) = (0, 0, 0);
    while let (Some(&l), Some(&r)) = (left.get(i), right.get(j)) {
        if l.abs_diff(r) <= slop {
            // A later position on the left may be the closer match.
            while left.get(i + 1).is_some_and(|&next| next <= r) {
                i += 1;
            }
            count += 1;
            i += 1;
            j += 1;
        } else if l < r {
            i += 1;
        } else {
            j += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{
        BooleanQuery, BoostQuery, Occur, PhraseQuery, Query as TantivyQuery, TermQuery,
    };
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, doc};

    /// A small index with two text fields.
    fn index() -> (Index, Field, Field) {
        let mut b = Schema::builder();
        let own = b.add_text_field("own", TEXT);
        let notes = b.add_text_field("notes", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (o, n) in [
            ("brake pads for motor vehicles", "parts of brakes"),
            ("pads of cotton", "cotton wadding brake"),
            ("brake linings and pads", "other pads brake pads"),
            ("cotton t shirts knitted", "garments"),
            ("motor vehicles for the transport of goods", "brake"),
            ("other", "pads"),
            (
                "brake pads, brake pads of brake",
                "pads brake pads of cotton pads",
            ),
            (
                "cotton and pads of motor brake",
                "vehicles goods vehicles for goods",
            ),
            (
                "pads pads linings linings",
                "goods goods goods vehicles vehicles",
            ),
        ] {
            w.add_document(doc!(own => o, notes => n)).unwrap();
        }
        w.commit().unwrap();
        (index, own, notes)
    }

    /// Tantivy's boolean query of the same boosted clauses.
    fn tantivy_top(s: &Searcher, clauses: &[Clause], k: usize) -> Vec<(Score, DocAddress)> {
        let q: Vec<(Occur, Box<dyn TantivyQuery>)> = clauses
            .iter()
            .map(|c| -> (Occur, Box<dyn TantivyQuery>) {
                match c {
                    Clause::Term { field, term, boost } => {
                        let t = TermQuery::new(
                            Term::from_field_text(*field, term),
                            IndexRecordOption::WithFreqs,
                        );
                        (
                            Occur::Should,
                            Box::new(BoostQuery::new(Box::new(t), *boost)),
                        )
                    }
                    Clause::Phrase {
                        field,
                        terms: [a, b],
                        boost,
                    } => {
                        let mut p = PhraseQuery::new(vec![
                            Term::from_field_text(*field, a),
                            Term::from_field_text(*field, b),
                        ]);
                        p.set_slop(1);
                        (
                            Occur::Should,
                            Box::new(BoostQuery::new(Box::new(p), *boost)),
                        )
                    }
                }
            })
            .collect();
        s.search(
            &BooleanQuery::new(q),
            &TopDocs::with_limit(k).order_by_score(),
        )
        .unwrap()
    }

    fn clauses<'a>(own: Field, notes: Field, words: &[&'a str]) -> Vec<Clause<'a>> {
        let mut out = Vec::new();
        for (i, w) in words.iter().enumerate() {
            for (f, b) in [(own, 2.0), (notes, 0.5)] {
                out.push(Clause::Term {
                    field: f,
                    term: w,
                    boost: b * (1.0 + i as f32 / 10.0),
                });
            }
        }
        for pair in words.windows(2) {
            for (f, b) in [(own, 3.0), (notes, 0.7)] {
                out.push(Clause::Phrase {
                    field: f,
                    terms: [pair[0], pair[1]],
                    boost: b,
                });
            }
        }
        out
    }

    #[test]
    fn scores_as_tantivys_boolean_query_with_phrases() {
        let (index, own, notes) = index();
        let s = index.reader().unwrap().searcher();
        let mut memory = PostingsMemory::default();
        for words in [
            &["brake", "pads"][..],
            &["pads", "brake"],
            &["cotton", "pads", "motor"],
            &["motor", "vehicles", "goods"],
            &["brake", "unknownword", "pads"],
            &["pads", "cotton"],
            &["brake", "pads", "brake", "pads"],
            &["vehicles", "goods", "motor"],
            // The second term rarer: tantivy counts from its positions.
            &["pads", "linings"],
            &["goods", "vehicles"],
        ] {
            let c = clauses(own, notes, words);
            for k in [1, 2, 10] {
                // Twice: read, then remembered.
                for _ in 0..2 {
                    let ours = memory.search(&s, &c, k).unwrap();
                    let theirs = tantivy_top(&s, &c, k);
                    // The same documents in the same order; the scores
                    // equal but for the last bit where no phrase matches
                    // (tantivy's block-WAND path adds the terms in
                    // another order). A phrase counted otherwise moves a
                    // score by far more.
                    let docs =
                        |v: &[(Score, DocAddress)]| v.iter().map(|x| x.1).collect::<Vec<_>>();
                    assert_eq!(docs(&ours), docs(&theirs), "{words:?} top {k}");
                    for ((a, _), (b, _)) in ours.iter().zip(&theirs) {
                        assert!(
                            (a - b).abs() <= 1e-6 * b.abs(),
                            "{words:?} top {k}: {a} against {b}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn terms_alone_score_as_tantivy_up_to_the_order_of_addition() {
        let (index, own, notes) = index();
        let s = index.reader().unwrap().searcher();
        let mut memory = PostingsMemory::default();
        let c: Vec<Clause> = clauses(own, notes, &["brake", "pads", "cotton"])
            .into_iter()
            .filter(|c| matches!(c, Clause::Term { .. }))
            .collect();
        let ours = memory.search(&s, &c, 10).unwrap();
        let theirs = tantivy_top(&s, &c, 10);
        assert_eq!(ours.len(), theirs.len());
        for ((a, da), (b, db)) in ours.iter().zip(&theirs) {
            assert_eq!(da, db);
            assert!((a - b).abs() <= 1e-5 * b.abs(), "{a} against {b}");
        }
    }

    #[test]
    fn nothing_matches_nothing() {
        let (index, own, notes) = index();
        let s = index.reader().unwrap().searcher();
        let mut memory = PostingsMemory::default();
        let c = clauses(own, notes, &["zebra", "quagga"]);
        assert!(memory.search(&s, &c, 10).unwrap().is_empty());
        assert!(memory.search(&s, &[], 10).unwrap().is_empty());
    }

    #[test]
    fn a_phrase_is_counted_as_tantivy_counts_it() {
        // The first term's positions come moved on by one: "a b" at 0, 1
        // is left [1], right [1].
        assert_eq!(phrase_count(&[1], &[1], 1), 1);
        // One word between them is within one word of slack, two are not.
        assert_eq!(phrase_count(&[1], &[2], 1), 1);
        assert_eq!(phrase_count(&[1], &[3], 1), 0);
        // Reversed ("b a" at 0, 1: left [2], right [0]) is two apart.
        assert_eq!(phrase_count(&[2], &[0], 1), 0);
        // Three occurrences, and a second term used once only.
        assert_eq!(phrase_count(&[1, 4, 7], &[1, 4, 7], 1), 3);
        assert_eq!(phrase_count(&[1, 2], &[2], 1), 1);
        assert_eq!(phrase_count(&[], &[1], 1), 0);
        // "a a b b": once with a's positions on the left, twice with b's.
        assert_eq!(phrase_count(&[1, 2], &[2, 3], 1), 1);
        assert_eq!(phrase_count(&[2, 3], &[1, 2], 1), 2);
    }

    #[test]
    fn scores_as_tantivys_bm25_weight() {
        let (index, own, notes) = index();
        let s = index.reader().unwrap().searcher();
        for field in [own, notes] {
            let norms = length_norms(&s, field).unwrap();
            for word in ["brake", "pads", "other"] {
                let term = Term::from_field_text(field, word);
                let theirs =
                    tantivy::query::Bm25Weight::for_terms(&s, std::slice::from_ref(&term)).unwrap();
                let weight = idf(s.doc_freq(&term).unwrap(), s.num_docs()) * (1.0 + K1);
                for boost in [1.0, 0.3, 2.5] {
                    for (norm, freq) in [(0u8, 1), (7, 2), (30, 1), (255, 9)] {
                        assert_eq!(
                            score(weight * boost, &norms, norm, freq),
                            theirs.boost_by(boost).score(norm, freq)
                        );
                    }
                }
            }
        }
    }
}
