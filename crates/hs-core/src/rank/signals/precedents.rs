//! The precedent signal: the vote of the nearest precedents
//! ([`crate::precedents::vote`]) as one signal of the pipeline, writing two
//! features per candidate ([`Feature::Precedents`], named `precedents` in a
//! suggestion's `signals`, and [`Feature::PrecedentHeading`]) and
//! nominating the subheadings it names, with its combiner mixing them with
//! the ranking's own scores. Neither runs without precedents, so results
//! are then exactly the ranking alone.

use rustc_hash::FxHashMap;

use crate::precedents::signal::SignalWeights;
use crate::precedents::{CodeVote, Vote};
use crate::rank::RankError;
use crate::rank::combine::{Combined, Combiner};
use crate::rank::confidence;
use crate::rank::understand::Query;
use crate::tree::{Level, NodeId, Tree};

use super::{Candidates, Cx, Feature, Signal};

/// The precedent signal: nominates the subheadings the vote names and
/// writes two features per candidate: [`Feature::Precedents`] (the vote for
/// its subheading: strength, more for a near-exact match, plus a share by
/// the vote's order scaled by the best similarity) and
/// [`Feature::PrecedentHeading`] (the vote for its heading). Both are 0
/// without precedents.
pub struct PrecedentSignal<'v> {
    pub vote: &'v Vote,
    pub near_exact: f32,
    pub weights: &'v SignalWeights,
}

impl PrecedentSignal<'_> {
    /// The vote for each subheading the tree holds, by node.
    fn votes(&self, tree: &Tree) -> Vec<(NodeId, f32)> {
        let w = self.weights;
        self.vote
            .codes
            .iter()
            .enumerate()
            .filter_map(|(r, c)| {
                let node = tree
                    .get_digits(&c.hs6)
                    .filter(|n| n.level == Level::Subheading)?;
                let exact = if c.best >= self.near_exact {
                    w.exact
                } else {
                    0.0
                };
                let v =
                    c.strength * (1.0 + exact) + w.vote_order * c.best.sqrt() / (2.0 + r as f32);
                Some((node.id, v))
            })
            .collect()
    }
}

impl Signal for PrecedentSignal<'_> {
    fn name(&self) -> &'static str {
        "precedents"
    }

    fn nominate(
        &self,
        _q: &Query,
        cands: &mut Candidates,
        cx: &mut Cx<'_>,
    ) -> Result<(), RankError> {
        for (id, _) in self.votes(cx.tree) {
            cands.entry(id);
        }
        Ok(())
    }

    fn score(&self, _q: &Query, cands: &mut Candidates, cx: &mut Cx<'_>) -> Result<(), RankError> {
        if self.vote.is_empty() {
            return Ok(());
        }
        let votes: FxHashMap<NodeId, f32> = self.votes(cx.tree).into_iter().collect();
        // Precedents that agree on the heading but not the subheading still
        // speak for the heading.
        let mut heading: FxHashMap<&str, f32> = FxHashMap::default();
        for c in &self.vote.codes {
            *heading.entry(c.hs6.get(..4).unwrap_or(&c.hs6)).or_default() += c.strength;
        }
        for (id, f) in cands.iter_mut() {
            if let Some(v) = votes.get(&id) {
                f.set(Feature::Precedents, *v);
            }
            let tree = cx.tree;
            if let Some(v) = tree
                .node(id)
                .code
                .as_ref()
                .and_then(|c| c.digits().get(..4))
                .and_then(|h| heading.get(h))
            {
                f.set(Feature::PrecedentHeading, *v);
            }
        }
        Ok(())
    }
}

/// The vote's evidence for a suggestion of subheading `hs6` whose
/// [`Feature::Precedents`] is `feature` and whose own votes are `own`
/// (`vote.get(hs6)`), in the order of
/// [`crate::rank::confidence::VOTE_INPUTS`] (what the confidence model
/// reads when precedents vote).
pub fn vote_inputs(
    vote: &Vote,
    own: Option<&CodeVote>,
    hs6: &str,
    feature: f32,
) -> [f32; confidence::V] {
    let first = vote.codes.first();
    [
        feature,
        own.map_or(0.0, |c| c.strength),
        own.map_or(0.0, |c| c.best),
        f32::from(u8::from(first.is_some_and(|c| c.hs6 == hs6))),
        first.map_or(0.0, |c| c.best),
        f32::from(u8::from(vote.conflict.is_some())),
    ]
}

/// The combiner when precedents vote: the base combiner's scores become
/// shares of belief (a softmax at the ranking's `temperature`, as
/// confidences are computed, plus a share by rank order), scaled by the
/// ranking's [`trust`]; the new score mixes them with the precedent
/// features, with a term for agreement (the geometric mean of both
/// shares), scaled back to the best score.
pub struct WithPrecedents<'a> {
    pub base: &'a dyn Combiner,
    pub temperature: f32,
    pub weights: &'a SignalWeights,
    /// Share of the description's words the tariff's vocabulary knows
    /// ([`known_share`]).
    pub known: f32,
}

/// Share of the query's words (synonym expansions left out) that have
/// terms in the tariff's vocabulary; 1 for a query with no words.
pub fn known_share(q: &Query) -> f32 {
    let (mut n, mut known) = (0usize, 0usize);
    for t in q.understood.own_words() {
        n += 1;
        known += usize::from(!t.2.is_empty());
    }
    if n == 0 { 1.0 } else { known as f32 / n as f32 }
}

/// How far the ranking's own shares count beside the precedents' vote:
/// the known share of the description's words and the top candidate's
/// coverage factor, each in [0, 1] and to its weight's power.
pub fn trust(known: f32, coverage: f32, w: &SignalWeights) -> f32 {
    known.clamp(0.0, 1.0).powf(w.trust_known) * coverage.clamp(0.0, 1.0).powf(w.trust_coverage)
}

impl Combiner for WithPrecedents<'_> {
    fn combine(&self, tree: &Tree, cands: &Candidates) -> Vec<Combined> {
        let w = self.weights;
        let mut scored = self.base.combine(tree, cands);
        scored.sort_unstable_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        let best = scored.first().map_or(0.0, |c| c.score);
        let scale = best.max(1.0);
        let t = (self.temperature * best).max(0.01);
        let z: f32 = scored.iter().map(|c| ((c.score - best) / t).exp()).sum();
        let coverage = scored
            .first()
            .map_or(1.0, |c| cands.features[c.at].get(Feature::Coverage));
        let trust = trust(self.known, coverage, w);
        for (r, c) in scored.iter_mut().enumerate() {
            let f = &cands.features[c.at];
            let pr = trust
                * (((c.score - best) / t).exp() / z.max(f32::MIN_POSITIVE)
                    + w.rank_order / (2.0 + r as f32));
            let pv = f.get(Feature::Precedents);
            let ph = f.get(Feature::PrecedentHeading);
            c.score = scale * (pr + w.vote * pv + w.agree * (pr * pv).sqrt() + w.heading * ph);
        }
        scored
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use super::*;

    /// Scores set by hand, as a base combiner.
    struct Fixed(Vec<(NodeId, f32)>);

    impl Combiner for Fixed {
        fn combine(&self, _tree: &Tree, cands: &Candidates) -> Vec<Combined> {
            cands
                .iter()
                .enumerate()
                .map(|(at, (id, _))| Combined {
                    id,
                    score: self.0.iter().find(|(x, _)| *x == id).map_or(0.0, |x| x.1),
                    heading: 0.0,
                    at,
                })
                .collect()
        }
    }

    #[test]
    fn trust_is_the_known_share_times_the_coverage_root() {
        let w = SignalWeights::default();
        assert!((trust(1.0, 1.0, &w) - 1.0).abs() < 1e-6);
        assert!((trust(0.5, 1.0, &w) - 0.5).abs() < 1e-6);
        assert!((trust(1.0, 0.25, &w) - 0.5).abs() < 1e-6);
        // Out-of-range inputs are clamped, never negative or above 1.
        assert_eq!(trust(-1.0, 2.0, &w), 0.0);
        assert!((trust(3.0, 2.0, &w) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn the_known_share_counts_words_without_tariff_terms() {
        let fx = Fixture::new();
        let mut q = fx.query("cotton shirt");
        assert!((known_share(&q) - 1.0).abs() < 1e-6);
        // A word the tariff does not know (a brand) has no terms.
        q.understood.terms[1].2.clear();
        assert!((known_share(&q) - 0.5).abs() < 1e-6);
        // Synonym expansions are not words of the description.
        q.understood
            .terms
            .push(("cotton~".into(), None, vec!["cotton".into()], 0.5));
        assert!((known_share(&q) - 0.5).abs() < 1e-6);
        assert!((known_share(&fx.query("")) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn the_vote_counts_more_where_the_ranking_understood_less() {
        let fx = Fixture::new();
        let (a, b) = (fx.id("610910"), fx.id("610990"));
        let mut cands = Candidates::default();
        cands.entry(a);
        cands.entry(b).set(Feature::Precedents, 0.05);
        cands.settle();
        let base = Fixed(vec![(a, 100.0), (b, 80.0)]);
        let w = SignalWeights::default();
        let top = |known: f32| {
            let mut s = WithPrecedents {
                base: &base,
                temperature: 0.1,
                weights: &w,
                known,
            }
            .combine(&fx.tree, &cands);
            s.sort_by(|x, y| y.score.total_cmp(&x.score));
            s[0].id
        };
        // Every word understood: the ranking's clear lead holds.
        assert_eq!(top(1.0), a);
        // Half the words unknown to the tariff: the precedents decide.
        assert_eq!(top(0.3), b);
    }
}
