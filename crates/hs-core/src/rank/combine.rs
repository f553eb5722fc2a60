//! Stage 4, combining: a combiner turns each candidate's features into one
//! score. [`Formula`] is the hand-set formula: the points (text, alias,
//! chemistry) times every factor, plus the points of a parts subheading
//! for the goods named as parts, then a share of the evidence of the
//! candidate's heading (evidence adds up at the heading).

use rustc_hash::FxHashMap;

use crate::tree::{Level, NodeId, Tree};

use super::signals::{ALL, Candidates, Feature, Features};

/// A candidate's combined score and the points its heading added.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Combined {
    pub id: NodeId,
    pub score: f32,
    /// Points added by the heading's other candidates.
    pub heading: f32,
    /// Position in the candidate set.
    pub at: usize,
}

/// A candidate's own score: its points (text, alias, chemistry) times
/// every factor.
pub fn own_score(f: &Features) -> f32 {
    let mut s = f.get(Feature::Text) + f.get(Feature::Alias);
    s += f.get(Feature::Chemistry);
    for feat in ALL.iter().filter(|x| x.is_factor()) {
        s *= f.get(*feat);
    }
    s
}

/// Turns features into scores.
pub trait Combiner {
    fn combine(&self, tree: &Tree, cands: &Candidates) -> Vec<Combined>;
}

/// The hand-set formula (see the module doc).
pub struct Formula {
    /// Share of the heading's other evidence added to a subheading (at
    /// most three times its own score).
    pub heading_share: f32,
}

impl Combiner for Formula {
    fn combine(&self, tree: &Tree, cands: &Candidates) -> Vec<Combined> {
        let mut scored: Vec<Combined> = cands
            .iter()
            .enumerate()
            .map(|(at, (id, f))| Combined {
                id,
                score: own_score(f) + f.get(Feature::PartsOf),
                heading: 0.0,
                at,
            })
            .collect();
        let mut heading_sum: FxHashMap<NodeId, f32> = FxHashMap::default();
        let heading_of: Vec<Option<NodeId>> = scored
            .iter()
            .map(|c| tree.ancestor_at(c.id, Level::Heading).map(|h| h.id))
            .collect();
        for (c, h) in scored.iter().zip(&heading_of) {
            if let Some(h) = h {
                *heading_sum.entry(*h).or_default() += c.score;
            }
        }
        for (c, h) in scored.iter_mut().zip(&heading_of) {
            if let Some(h) = h {
                let others = heading_sum.get(h).copied().unwrap_or(0.0) - c.score;
                let add = self.heading_share * others.min(c.score * 3.0);
                c.score += add;
                c.heading = add;
            }
        }
        scored
    }
}

#[cfg(test)]
mod tests {
    use super::super::signals::fixture::Fixture;
    use super::*;

    #[test]
    fn points_times_factors_plus_the_headings_share() {
        let fx = Fixture::new();
        let mut c = Candidates::default();
        let a = fx.id("610910");
        let b = fx.id("610990");
        let other = fx.id("871110");
        let f = c.entry(a);
        f.set(Feature::Text, 2.0);
        f.set(Feature::Alias, 1.0);
        f.set(Feature::Material, 1.5);
        f.set(Feature::Coverage, 0.5);
        c.entry(b).set(Feature::Text, 1.0);
        c.entry(other).set(Feature::Text, 10.0);
        let out = Formula { heading_share: 0.5 }.combine(&fx.tree, &c);
        let get = |id| out.iter().find(|x| x.id == id).copied().unwrap();
        // (2 + 1) * 1.5 * 0.5 = 2.25, plus half of its sibling's 1.
        assert!((get(a).score - 2.75).abs() < 1e-5, "{:?}", get(a));
        assert!((get(a).heading - 0.5).abs() < 1e-5);
        // The sibling gains at most three times its own score.
        assert!((get(b).score - (1.0 + 0.5 * 2.25f32.min(3.0))).abs() < 1e-5);
        // Alone in its heading: nothing added.
        assert_eq!(get(other).score, 10.0);
    }
}
