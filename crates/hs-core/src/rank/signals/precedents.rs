//! The precedent signal: the vote of the nearest precedents
//! ([`crate::precedents::vote`]) as one signal of the pipeline, writing two
//! features per candidate ([`Feature::Precedents`], named `precedents` in a
//! suggestion's `signals`, and [`Feature::PrecedentHeading`]) and
//! nominating the subheadings it names, with its combiner mixing them with
//! the ranking's own scores. Neither runs without precedents, so results
//! are then exactly the ranking alone.

use crate::precedents::Vote;
use crate::precedents::signal::SignalWeights;
use crate::rank::RankError;
use crate::rank::combine::{Combined, Combiner};
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
        let votes = self.votes(cx.tree);
        // Precedents that agree on the heading but not the subheading still
        // speak for the heading.
        let mut heading: Vec<(&str, f32)> = Vec::new();
        for c in &self.vote.codes {
            let h = c.hs6.get(..4).unwrap_or(&c.hs6);
            match heading.iter_mut().find(|(x, _)| *x == h) {
                Some(e) => e.1 += c.strength,
                None => heading.push((h, c.strength)),
            }
        }
        for (id, f) in cands.iter_mut() {
            if let Some((_, v)) = votes.iter().find(|(x, _)| *x == id) {
                f.set(Feature::Precedents, *v);
            }
            let h = cx
                .tree
                .node(id)
                .code
                .as_ref()
                .and_then(|c| c.digits().get(..4).map(str::to_string));
            if let Some(h) = h
                && let Some((_, v)) = heading.iter().find(|(x, _)| *x == h)
            {
                f.set(Feature::PrecedentHeading, *v);
            }
        }
        Ok(())
    }
}

/// The combiner when precedents vote: the base combiner's scores become
/// shares of belief (a softmax at the ranking's `temperature`, as
/// confidences are computed, plus a share by rank order); the new score
/// mixes them with the precedent features, with a term for agreement (the
/// geometric mean of both shares), scaled back to the best score.
pub struct WithPrecedents<'a> {
    pub base: &'a dyn Combiner,
    pub temperature: f32,
    pub weights: &'a SignalWeights,
}

impl Combiner for WithPrecedents<'_> {
    fn combine(&self, tree: &Tree, cands: &Candidates) -> Vec<Combined> {
        let w = self.weights;
        let mut scored = self.base.combine(tree, cands);
        scored.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        let best = scored.first().map_or(0.0, |c| c.score);
        let scale = best.max(1.0);
        let t = (self.temperature * best).max(0.01);
        let z: f32 = scored.iter().map(|c| ((c.score - best) / t).exp()).sum();
        for (r, c) in scored.iter_mut().enumerate() {
            let f = &cands.features[c.at];
            let pr = ((c.score - best) / t).exp() / z.max(f32::MIN_POSITIVE)
                + w.rank_order / (2.0 + r as f32);
            let pv = f.get(Feature::Precedents);
            let ph = f.get(Feature::PrecedentHeading);
            c.score = scale * (pr + w.vote * pv + w.agree * (pr * pv).sqrt() + w.heading * ph);
        }
        scored
    }
}
