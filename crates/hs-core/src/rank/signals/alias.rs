//! Signal `alias`: an alias phrase (`hs-data/aliases.csv`) wholly present in
//! the query is strong evidence for the subheading it names (or, at half
//! the weight, for every subheading of the heading it names). Nominates
//! those subheadings.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::tree::{Level, NodeId};

use super::super::understand::Query;
use super::super::{Prepared, RankError};
use super::{Candidates, Cx, Feature, Signal};

/// See the module doc.
pub struct AliasPhrase {
    /// Bonus, as a share of the best text score, times the share of the
    /// query the alias covers.
    pub weight: f32,
}

impl Signal for AliasPhrase {
    fn name(&self) -> &'static str {
        Feature::Alias.name()
    }

    fn nominate(
        &self,
        q: &Query,
        cands: &mut Candidates,
        cx: &mut Cx<'_>,
    ) -> Result<(), RankError> {
        let best_text = cands
            .iter()
            .map(|(_, f)| f.get(Feature::Text))
            .fold(0.0f32, f32::max);
        for (target, cover) in alias_matches(cx.prep, &q.term_weight, &q.understood.dropped) {
            let bonus = self.weight * cover * best_text.max(1.0);
            let node = cx.tree.node(target);
            if node.level == Level::Heading {
                for d in cx.tree.subheadings(target) {
                    cands.entry(d.id).add(Feature::Alias, bonus * 0.5);
                }
            } else {
                cands.entry(target).add(Feature::Alias, bonus);
            }
        }
        Ok(())
    }

    fn score(&self, _q: &Query, _c: &mut Candidates, _cx: &mut Cx<'_>) -> Result<(), RankError> {
        // Written while nominating.
        Ok(())
    }
}

/// Aliases whose every term is in the query (`query`, or among the terms
/// of its words dropped as noise, `dropped`: "tv set"): (target node,
/// share of the query's weight the alias covers), the best per target.
pub(crate) fn alias_matches(
    prep: &Prepared,
    query: &FxHashMap<String, f32>,
    dropped: &[String],
) -> Vec<(NodeId, f32)> {
    let total: f32 = query.values().sum();
    if total <= 0.0 {
        return Vec::new();
    }
    let mut seen: FxHashSet<u32> = FxHashSet::default();
    let mut best: FxHashMap<NodeId, f32> = FxHashMap::default();
    for t in query.keys() {
        for &i in prep.alias_by_term.get(t).map_or(&[][..], Vec::as_slice) {
            if !seen.insert(i) {
                continue;
            }
            let Some(a) = prep.aliases.get(i as usize) else {
                continue;
            };
            if !a
                .terms
                .iter()
                .all(|t| query.contains_key(t.as_str()) || dropped.contains(t))
            {
                continue;
            }
            let cover: f32 = a
                .terms
                .iter()
                .filter_map(|t| query.get(t.as_str()))
                .sum::<f32>()
                / total;
            let e = best.entry(a.target).or_default();
            *e = e.max(cover);
        }
    }
    best.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use super::*;

    #[test]
    fn a_whole_alias_phrase_nominates_its_subheading() {
        let fx = Fixture::new();
        let q = fx.query("hoodie of cotton");
        let mut c = Candidates::default();
        c.entry(fx.id("610990")).set(Feature::Text, 4.0);
        AliasPhrase { weight: 2.0 }
            .nominate(&q, &mut c, &mut fx.cx().cx())
            .unwrap();
        let hoodie = c.entry(fx.id("611020")).get(Feature::Alias);
        // Covers "hoodie" of the words "hoodie", "cotton": its share of
        // the query's weight, times the weight, times the best text score.
        let w = &q.term_weight;
        let share = w["hoodi"] / (w["hoodi"] + w["cotton"]);
        assert!((hoodie - 2.0 * share * 4.0).abs() < 1e-4, "{hoodie}");
        assert_eq!(c.entry(fx.id("610990")).get(Feature::Alias), 0.0);
    }

    #[test]
    fn a_partial_alias_phrase_is_no_evidence() {
        let fx = Fixture::new();
        let q = fx.query("tank of steel");
        let mut c = Candidates::default();
        AliasPhrase { weight: 2.0 }
            .nominate(&q, &mut c, &mut fx.cx().cx())
            .unwrap();
        assert!(c.is_empty(), "{:?}", c.ids);
    }
}
