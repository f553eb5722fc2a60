//! Ranking, as a pipeline of stages: understand the query
//! ([`understand`]) -> retrieve candidates from the index ([`retrieve`]) ->
//! signals write each candidate's features ([`signals`]) -> a combiner
//! turns features into scores ([`combine`]) -> choose the national line
//! under each subheading ([`lines`]) -> explain each suggestion with a
//! confidence, the words that matched and each signal's contribution
//! ([`explain`]).

pub mod bm25;
pub mod combine;
pub mod confidence;
pub mod explain;
pub mod lines;
pub mod prepared;
pub mod repair;
pub mod retrieve;
pub mod signals;
pub mod understand;

use std::collections::HashMap;

use serde::Serialize;
use serde::ser::SerializeMap;
use tantivy::tokenizer::TextAnalyzer;
use thiserror::Error;

use crate::code::Code;
use crate::index::{OpenIndex, TextField, analyzer};
use crate::load::Dataset;
use crate::text::QueryWord;
use crate::tree::{Level, NodeId, Tree};

use combine::{Combiner, Formula};
use confidence::{Evidence, Model};
use explain::Softmax;
use retrieve::{IndexNaming, NamingCache};
use signals::{Cx, Signal};
use understand::Query;

pub use explain::{Matched, Via};
pub use prepared::Prepared;
pub use repair::{
    ABBREVIATION_TRUST, COMPLETION_TRUST, SEGMENT_TRUST, Vocab, complete, correct,
    expand_abbreviation, repair, segment,
};

/// Why a search could not be answered: the index could not be read. A
/// search never turns such a failure into an empty or partial list.
#[derive(Debug, Error)]
pub enum RankError {
    #[error(
        "the index at {path} could not be searched ({source}); rebuild it with `hs index build`"
    )]
    Index {
        path: std::path::PathBuf,
        source: tantivy::TantivyError,
    },
    #[error(
        "the precedent set '{set}' could not be searched ({source}); add its file again with `hs precedents add`"
    )]
    Precedents {
        set: String,
        source: tantivy::TantivyError,
    },
    /// The confidence model compiled in is damaged.
    #[error(transparent)]
    Confidence(#[from] confidence::ModelError),
}

impl RankError {
    fn index(idx: &OpenIndex) -> impl Fn(tantivy::TantivyError) -> RankError + '_ {
        |source| RankError::Index {
            path: idx.dir.clone(),
            source,
        }
    }
}
/// How much a match in each field counts.
#[derive(Debug, Clone)]
pub struct Weights {
    pub own: f32,
    pub heading: f32,
    pub chapter: f32,
    pub lines: f32,
    /// The words of the EU CN lines the other texts lack.
    pub eu_lines: f32,
    pub alias: f32,
    pub notes: f32,
    /// Share of the heading's other evidence added to a subheading.
    pub heading_share: f32,
    /// Bonus for an alias phrase wholly in the query, as a share of the
    /// best text score, times the share of the query it covers.
    pub alias_phrase: f32,
    /// Share of an alias's bonus left where the query's materials
    /// contradict its subheading ([`signals::AliasPhrase`]).
    pub alias_material_clash: f32,
    /// Factor added for a candidate in a chapter of a material the query names.
    pub material_boost: f32,
    /// Factor taken off a candidate in another material's chapter.
    pub material_penalty: f32,
    /// Factor up for chapters a process word ("knitted") favours.
    pub process_boost: f32,
    /// Factor down for chapters it disfavours ("knitted": chapter 62).
    pub process_penalty: f32,
    /// Factor down for a material in a raw form ("in primary forms",
    /// "unwrought", scrap, ores) when the query's head noun, an article,
    /// is not in its texts: PVC tiles are tiles, not PVC.
    pub raw_form_penalty: f32,
    /// Factor taken off a live animal's subheading when the query does not
    /// say the animals are alive ([`signals::Live`]).
    pub live_penalty: f32,
    /// Factor taken off a subheading of arms and ammunition (chapter 93),
    /// explosives and pyrotechnics (36.01-36.04) or nuclear reactors and
    /// fuel (84.01) when the query names no such goods
    /// ([`signals::RareGoods`]).
    pub rare_goods_penalty: f32,
    /// Factor taken off a parts subheading when the query's head noun names
    /// the goods whose parts it holds and the query does not say parts
    /// ([`signals::PartsUnstated`]).
    pub parts_unstated_penalty: f32,
    /// Factor taken off a candidate whose texts name only the query's
    /// colour words ([`signals::ColourOnly`]).
    pub colour_only_penalty: f32,
    /// Factor taken off a preparations chapter's candidate when a produce
    /// chapter's subheading names every word of the query
    /// ([`signals::PreparedUnstated`]).
    pub prepared_unstated_penalty: f32,
    /// Factor taken off an article's candidate when the query states a net
    /// content by mass or volume ([`signals::NetContent`]).
    pub net_content_penalty: f32,
    /// Factor taken off an unpowered candidate when the query states an
    /// electrical or power rating ([`signals::PowerRating`]).
    pub power_rating_penalty: f32,
    /// Factor taken off a machine named by what it works on when that is
    /// the query's head noun ([`signals::MachineFor`]).
    pub machine_for_penalty: f32,
    /// Factor taken off a candidate whose texts name the query's head noun
    /// only as a modifier of other goods ([`signals::HeadAsModifier`]).
    pub head_modifier_penalty: f32,
    /// Factor added to (taken from) a candidate whose text sets a range
    /// the stated quantity falls in (outside).
    pub quantity_fit: f32,
    /// Factor taken off a candidate whose texts name no engine, motor or
    /// self-propulsion when the query states an engine's capacity
    /// ([`signals::Quantity`]).
    pub unpowered_penalty: f32,
    /// Factor taken off a chapter 61 garment that chapter 62 also has
    /// when the query does not say knitted or woven
    /// ([`signals::Process`]).
    pub unstated_knit_penalty: f32,
    /// Weight of two adjacent query words found as a phrase, relative to
    /// the field's weight.
    pub phrase: f32,
    /// Weight of a synonym's expansion relative to the word it expands.
    pub synonym: f32,
    /// Bonus, as a share of the best text score, for the chapter 29 heading
    /// a chemical name's functions point to (see [`crate::chem`]).
    pub chemistry: f32,
    /// Factor down for a subheading whose own material words name none of
    /// the materials the query names.
    pub material_clash: f32,
    /// Factor down for a men's or boys' garment when the query does not say
    /// whom the garment is for (the notes send those to women's or girls').
    pub unstated_gender: f32,
    /// Factor down for a garment for the other sex than the one the query
    /// names.
    pub gender_clash: f32,
    /// Power of the share of the description's words a candidate's texts
    /// name, as a factor on its score (0: not used).
    pub coverage: f32,
    /// Whether a word's synonyms count towards [`Weights::coverage`].
    pub coverage_synonyms: bool,
    /// Candidates fetched from the index before re-ranking.
    pub candidates: usize,
    /// Softmax temperature for confidences, as a share of the best score.
    pub temperature: f32,
    /// A parts subheading's share of the score of the goods the
    /// description names as parts (see [`signals::PartsOf`]).
    pub parts_of: f32,
    /// Headings whose parts subheadings such a description nominates.
    pub parts_headings: usize,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            own: 3.0,
            heading: 1.5,
            chapter: 0.6,
            lines: 1.5,
            eu_lines: 1.5,
            alias: 2.0,
            notes: 0.3,
            heading_share: 0.15,
            alias_phrase: 2.0,
            alias_material_clash: 0.25,
            material_boost: 0.15,
            synonym: 0.5,
            phrase: 0.25,
            quantity_fit: 0.5,
            unpowered_penalty: 0.75,
            unstated_knit_penalty: 0.15,
            material_penalty: 0.15,
            process_boost: 0.15,
            process_penalty: 0.3,
            raw_form_penalty: 0.5,
            live_penalty: 0.2,
            rare_goods_penalty: 0.8,
            parts_unstated_penalty: 0.3,
            colour_only_penalty: 0.5,
            prepared_unstated_penalty: 0.6,
            net_content_penalty: 0.5,
            power_rating_penalty: 0.5,
            machine_for_penalty: 0.3,
            head_modifier_penalty: 0.3,
            chemistry: 1.5,
            material_clash: 0.3,
            unstated_gender: 0.2,
            gender_clash: 0.5,
            coverage: 1.6,
            coverage_synonyms: true,
            candidates: 200,
            temperature: 0.12,
            parts_of: 1.0,
            parts_headings: 3,
        }
    }
}

impl Weights {
    fn field(&self, f: TextField) -> f32 {
        match f {
            TextField::Own => self.own,
            TextField::Heading => self.heading,
            TextField::Chapter => self.chapter,
            TextField::Lines => self.lines,
            TextField::EuLines => self.eu_lines,
            TextField::Alias => self.alias,
            TextField::Notes => self.notes,
        }
    }
}

/// Each signal's contribution to a suggestion, by name, in pipeline order
/// (points for `text`, `alias`, `chemistry`, `parts_of`, `precedents`,
/// `precedent_heading` and `heading`; factors for the others).
/// Serialised as a JSON object; signals with nothing to say are left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Signals(pub Vec<(&'static str, f32)>);

impl Serialize for Signals {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, &((f64::from(*v) * 10_000.0).round() / 10_000.0))?;
        }
        m.end()
    }
}

/// One ranked suggestion.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    /// The most specific code (a national line where one exists).
    pub code: Code,
    pub level: &'static str,
    /// Self-contained description of `code`.
    pub description: String,
    /// The HS six-digit subheading it lies under.
    pub hs6: Code,
    /// Codes from the chapter down to `code`.
    pub path: Vec<String>,
    pub score: f32,
    /// In [0, 1]: the estimated probability that `hs6` is right (see
    /// [`confidence`]).
    pub confidence: f32,
    pub matched: Vec<Matched>,
    /// Each signal's contribution to `score`.
    pub signals: Signals,
    /// The precedents behind it, at most three (none without precedents).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub precedents: Vec<crate::precedents::Support>,
    #[serde(skip)]
    pub node: NodeId,
    /// Whether the query supports this suggestion's goods (see
    /// [`explain::goods_evidence`]); its controlled-goods flags are shown
    /// only then. True for a code asked for directly.
    #[serde(skip)]
    pub goods_evidence: bool,
    /// Set when the description does not read as English (see
    /// [`crate::lang`]): the words that said so.
    #[serde(skip)]
    pub language: Option<crate::lang::Reading>,
}

/// The cleaned query: the words kept and the terms each became.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Understood {
    pub words: Vec<QueryWord>,
    /// Trade names in the description and the goods each was read as
    /// (`hs-data/brands.csv`).
    pub brands: Vec<(String, String)>,
    /// (word as typed after cleaning, corrected word if any, terms, weight);
    /// a synonym expansion is an entry named after its word with `~`.
    #[serde(skip)]
    pub terms: Vec<(String, Option<String>, Vec<String>, f32)>,
    /// Synonym entries (`word~`) and the tariff's words they expand to.
    #[serde(skip)]
    pub expansions: Vec<(String, Vec<String>)>,
    /// Whether the description reads as English, and the words that did
    /// not (see [`crate::lang`]).
    pub reading: crate::lang::Reading,
    /// Index terms of the description's words dropped as noise ("set",
    /// "hot", "unit"): never searched, but an alias phrase may hold them
    /// ("tv set", "hot water bottle").
    #[serde(skip)]
    pub dropped: Vec<String>,
    /// Words of the description said only in a "with ..." clause: a
    /// component's, not the goods' own ([`crate::text::with_clause_words`]).
    #[serde(skip)]
    pub components: Vec<String>,
}

/// One entry of [`Understood::terms`].
pub type WordTerms = (String, Option<String>, Vec<String>, f32);

impl Understood {
    /// The description's own words: [`Understood::terms`] without the
    /// synonym entries (`word~`).
    pub fn own_words(&self) -> impl Iterator<Item = &WordTerms> {
        self.terms.iter().filter(|t| !t.0.ends_with('~'))
    }
}

/// Searches a dataset's index.
pub struct Ranker {
    analyzer: TextAnalyzer,
    pub weights: Weights,
    /// Corrections already worked out by this ranker (bulk input repeats).
    /// Unknown word -> its repair and how far to trust it (see [`repair`]).
    corrections: HashMap<String, Option<(String, f32)>>,
    /// Cut-off last word -> its completion (see [`complete`]).
    completions: HashMap<String, Option<String>>,
    /// A query word's terms -> the subheadings whose texts name them.
    naming: NamingCache,
    /// The text search's postings met so far (see [`bm25`]).
    postings: bm25::PostingsMemory,
    /// The confidence model used without precedents; `None`: the one
    /// compiled in. With precedents the compiled-in vote model is used.
    pub confidence: Option<Model>,
    /// The evidence behind each confidence of the last search (read by
    /// the fitting tool).
    pub evidence: Vec<Evidence>,
}

impl Default for Ranker {
    fn default() -> Self {
        Self::new()
    }
}

impl Ranker {
    pub fn new() -> Ranker {
        Ranker {
            analyzer: analyzer(),
            weights: Weights::default(),
            corrections: HashMap::new(),
            completions: HashMap::new(),
            naming: HashMap::new(),
            postings: bm25::PostingsMemory::default(),
            confidence: None,
            evidence: Vec::new(),
        }
    }

    /// Ranked suggestions for a description (not a code): the pipeline of
    /// the module doc.
    pub fn search(
        &mut self,
        ds: &Dataset,
        idx: &OpenIndex,
        prep: &Prepared,
        text: &str,
        top: usize,
    ) -> Result<(Understood, Vec<Suggestion>), RankError> {
        self.search_voted(ds, idx, prep, text, top, None)
    }

    /// As [`Ranker::search`], with the precedents' vote as one more signal
    /// and its combiner (see [`crate::precedents::signal`]); with `None`,
    /// exactly `search`.
    pub fn search_voted(
        &mut self,
        ds: &Dataset,
        idx: &OpenIndex,
        prep: &Prepared,
        text: &str,
        top: usize,
        vote: Option<(&crate::precedents::Vote, &crate::precedents::Precedents)>,
    ) -> Result<(Understood, Vec<Suggestion>), RankError> {
        let precedent = vote.map(|(v, p)| signals::precedents::PrecedentSignal {
            vote: v,
            near_exact: p.weights.near_exact,
            weights: &p.signal,
        });
        self.evidence.clear();
        let text = crate::text::searched_part(text);
        let u = self.understand(idx, prep, text)?;
        let q = Query::new(text, u);
        if top == 0 {
            return Ok((q.understood, Vec::new()));
        }
        let mut cands = match retrieve::retrieve(idx, prep, &self.weights, &q, &mut self.postings)?
        {
            Some(c) => c,
            // No word the tariff knows (a trade name, a part number): only
            // precedents can name candidates.
            None if precedent.as_ref().is_some_and(|p| !p.vote.is_empty()) => {
                signals::Candidates::default()
            }
            None => return Ok((q.understood, Vec::new())),
        };
        let tree = &ds.tree;
        {
            let mut naming = IndexNaming {
                idx,
                prep,
                cache: &mut self.naming,
            };
            let mut cx = Cx {
                tree,
                prep,
                analyzer: &mut self.analyzer,
                naming: &mut naming,
            };
            for s in signals::nominating(&self.weights) {
                s.nominate(&q, &mut cands, &mut cx)?;
            }
            let parts = signals::PartsOf {
                weight: self.weights.parts_of,
                headings: self.weights.parts_headings,
            };
            parts.nominate(&q, &mut cands, &mut cx)?;
            if let Some(p) = &precedent {
                p.nominate(&q, &mut cands, &mut cx)?;
            }
            cands.settle();
            for s in signals::scoring(&self.weights) {
                s.score(&q, &mut cands, &mut cx)?;
            }
            // After every factor: it reads the goods' scores.
            parts.score(&q, &mut cands, &mut cx)?;
            if let Some(p) = &precedent {
                p.score(&q, &mut cands, &mut cx)?;
            }
        }
        let formula = Formula {
            heading_share: self.weights.heading_share,
        };
        let mut scored = match vote {
            Some((_, p)) => signals::precedents::WithPrecedents {
                base: &formula,
                temperature: self.weights.temperature,
                weights: &p.signal,
                known: signals::precedents::known_share(&q),
            }
            .combine(tree, &cands),
            None => formula.combine(tree, &cands),
        };
        scored.sort_unstable_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        let soft = Softmax::new(
            &scored.iter().map(|c| c.score).collect::<Vec<_>>(),
            self.weights.temperature,
        );
        let by_score = scored.clone();
        let line_query = lines::LineQuery::new(&mut self.analyzer, &q);
        let scored = match vote {
            Some((_, p)) => runners_up(tree, scored, p.signal.runners_up),
            None => scored,
        };
        let scored = diversify(tree, scored, top);
        let mut out = Vec::new();
        let mut shown = Vec::new();
        for c in scored.into_iter().take(top) {
            let Some(hs6) = tree.node(c.id).code.clone() else {
                continue;
            };
            let line = lines::best_line(&mut self.analyzer, tree, prep, c.id, &line_query);
            let node = tree.node(line);
            let mut named = cands.features[c.at].named();
            if c.heading != 0.0 {
                named.push(("heading", c.heading));
            }
            shown.push((c, soft.confidence(c.score)));
            let matched = explain::explain(&mut self.analyzer, tree, prep, &q, c.id, line);
            out.push(Suggestion {
                code: node.code.clone().unwrap_or_else(|| hs6.clone()),
                level: node.level.name(),
                description: node.full_text.clone(),
                hs6,
                path: tree
                    .path(line)
                    .iter()
                    .filter_map(|n| n.code.as_ref().map(|c| c.to_string()))
                    .collect(),
                score: c.score,
                confidence: 0.0,
                goods_evidence: explain::goods_evidence(&q, &matched),
                matched,
                signals: Signals(named),
                precedents: Vec::new(),
                node: line,
                language: (!q.understood.reading.english).then(|| q.understood.reading.clone()),
            });
        }
        let shown: Vec<_> = shown
            .iter()
            .zip(&out)
            .map(|((c, share), s)| (*c, s.matched.as_slice(), *share))
            .collect();
        let mut evidence =
            Evidence::gather(tree, &q.understood, &cands.features, &by_score, &shown);
        let confidences = match vote {
            // The vote reshapes the scores: its own model reads them, with
            // the vote's evidence for each suggestion.
            Some((v, _)) => {
                for ((e, s), (c, ..)) in evidence.iter_mut().zip(&out).zip(&shown) {
                    let f = cands.features[c.at].get(signals::Feature::Precedents);
                    let own = v.get(s.hs6.digits());
                    e.vote = signals::precedents::vote_inputs(v, own, s.hs6.digits(), f);
                    // Precedents that share the description's words and
                    // vote for the code are evidence, in whatever language.
                    if own.is_some() {
                        e.none = false;
                        e.foreign = false;
                    }
                }
                Model::builtin_vote()?.confidences(&evidence)
            }
            None => match &self.confidence {
                Some(m) => m.confidences(&evidence),
                None => Model::builtin()?.confidences(&evidence),
            },
        };
        for (s, p) in out.iter_mut().zip(confidences) {
            s.confidence = p;
        }
        self.evidence = evidence;
        Ok((q.understood, out))
    }
}

/// Orders the scored subheadings after the first (sorted by score): those
/// of the first's heading as if their scores were `factor` times higher
/// (when precedents vote: [`crate::precedents::signal::SignalWeights::runners_up`]).
/// The first stays first and the scores are unchanged.
fn runners_up(
    tree: &Tree,
    mut scored: Vec<combine::Combined>,
    factor: f32,
) -> Vec<combine::Combined> {
    let heading = |id: NodeId| tree.ancestor_at(id, Level::Heading).map(|h| h.id);
    let Some(first) = scored.first().map(|c| heading(c.id)) else {
        return scored;
    };
    if factor == 1.0 || first.is_none() {
        return scored;
    }
    // Each key worked out once (a heading is a walk up the tree), not at
    // every comparison.
    let mut keyed: Vec<(f32, combine::Combined)> = scored
        .iter()
        .skip(1)
        .map(|c| {
            let key = if heading(c.id) == first {
                c.score * factor
            } else {
                c.score
            };
            (key, *c)
        })
        .collect();
    keyed.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
    scored.truncate(1);
    scored.extend(keyed.into_iter().map(|(_, c)| c));
    scored
}

/// How many suggestions keep their order by score before the list starts
/// preferring headings not yet shown. More slots by score put the right six
/// digits among ten suggestions more often, fewer put more headings among
/// the first five distinct ones; six is the most that costs no set of the
/// shared sets a heading in its first five (chosen on the two others, for
/// each set held out; five before).
pub const BY_SCORE: usize = 6;

/// Orders scored subheadings for the list shown: the first [`BY_SCORE`] by
/// score; after them, subheadings of headings not yet listed first (by
/// score), then the rest, so a long list offers other headings to consider
/// rather than more lines of the same one.
fn diversify(tree: &Tree, scored: Vec<combine::Combined>, top: usize) -> Vec<combine::Combined> {
    if top <= BY_SCORE || scored.len() <= BY_SCORE {
        return scored;
    }
    let heading = |id: NodeId| tree.ancestor_at(id, Level::Heading).map(|h| h.id);
    let mut seen: Vec<Option<NodeId>> = scored[..BY_SCORE].iter().map(|c| heading(c.id)).collect();
    let mut out: Vec<combine::Combined> = scored[..BY_SCORE].to_vec();
    let mut rest = Vec::new();
    for c in &scored[BY_SCORE..] {
        let h = heading(c.id);
        if out.len() < top && !seen.contains(&h) {
            seen.push(h);
            out.push(*c);
        } else {
            rest.push(*c);
        }
    }
    out.extend(rest);
    out
}

#[cfg(test)]
mod runners_up_tests {
    use super::signals::fixture::Fixture;
    use super::*;

    #[test]
    fn the_first_headings_runners_up_come_first_and_scores_stay() {
        let fx = Fixture::new();
        let c = |digits: &str, score: f32| combine::Combined {
            id: fx.id(digits),
            score,
            heading: 0.0,
            at: 0,
        };
        // 6104.42 first; 6110.20 of another heading scores above 6104.43.
        let scored = vec![c("610442", 10.0), c("611020", 6.0), c("610443", 5.0)];
        let order = |f: f32| -> Vec<NodeId> {
            runners_up(&fx.tree, scored.clone(), f)
                .iter()
                .map(|c| c.id)
                .collect()
        };
        assert_eq!(
            order(1.6),
            [fx.id("610442"), fx.id("610443"), fx.id("611020")]
        );
        // Not enough to pass it, or off: the order by score.
        assert_eq!(
            order(1.1),
            [fx.id("610442"), fx.id("611020"), fx.id("610443")]
        );
        assert_eq!(order(1.0), order(1.1));
        let scores: Vec<f32> = runners_up(&fx.tree, scored.clone(), 1.6)
            .iter()
            .map(|c| c.score)
            .collect();
        assert_eq!(scores, [10.0, 5.0, 6.0]);
    }
}
