//! Signal `alias`: an alias phrase (`hs-data/aliases.csv`) wholly present in
//! the query is strong evidence for the subheading it names (or, at half
//! the weight, for every subheading of the heading it names). Nominates
//! those subheadings.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::alias::material_chapter_set;
use crate::tree::{Level, NodeId};

use super::super::understand::Query;
use super::super::{Prepared, RankError};
use super::{Candidates, Cx, Feature, Signal};

/// See the module doc.
pub struct AliasPhrase {
    /// Bonus, as a share of the best text score, times the share of the
    /// query the alias covers.
    pub weight: f32,
    /// Share of the bonus left where the query's materials contradict the
    /// alias's subheading (see [`AliasPhrase::material_share`]).
    pub material_clash: f32,
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
        let order: Vec<&String> = q
            .understood
            .terms
            .iter()
            .filter(|(w, ..)| !w.ends_with('~'))
            .flat_map(|(_, _, t, _)| t)
            .collect();
        for (target, cover) in alias_matches(cx.prep, &q.term_weight, &q.understood.dropped, &order)
        {
            let bonus = self.weight * cover * best_text.max(1.0);
            let node = cx.tree.node(target);
            if node.level == Level::Heading {
                for d in cx.tree.subheadings(target) {
                    let b = bonus * 0.5 * self.material_share(q, d.id, cx);
                    cands.entry(d.id).add(Feature::Alias, b);
                }
            } else {
                let b = bonus * self.material_share(q, target, cx);
                cands.entry(target).add(Feature::Alias, b);
            }
        }
        Ok(())
    }

    fn score(&self, _q: &Query, _c: &mut Candidates, _cx: &mut Cx<'_>) -> Result<(), RankError> {
        // Written while nominating.
        Ok(())
    }
}

impl AliasPhrase {
    /// The share of its bonus an alias gives subheading `id`: all of it,
    /// or [`AliasPhrase::material_clash`] when the query names materials
    /// and the subheading's own text names other materials only ("coffee
    /// table" names wooden furniture; "steel coffee table" is not wooden)
    /// or, naming none, it is in another material's chapter ("water
    /// bottle" names 3924.10, plastics; "stainless steel water bottle" is
    /// not of plastics).
    fn material_share(&self, q: &Query, id: NodeId, cx: &Cx<'_>) -> f32 {
        if q.materials.is_empty() {
            return 1.0;
        }
        // The subheading's own material words, when it has any, say more
        // than its chapter ("of textile materials" under 42.02, leather).
        let own = cx.prep.materials(cx.tree, id);
        let clash = if own.is_empty() {
            let ch = cx.tree.chapter_of(id);
            material_chapter_set().contains(&ch) && !q.materials.contains(&ch)
        } else {
            !own.iter().any(|c| q.materials.contains(c))
        };
        if clash { self.material_clash } else { 1.0 }
    }
}

/// True when the alias's terms stand in the query's words (`order`, their
/// terms in the order written) in the alias's own order.
fn in_order(terms: &[String], order: &[&String]) -> bool {
    let mut at = 0;
    terms
        .iter()
        .all(|t| match order[at..].iter().position(|o| *o == t) {
            Some(i) => {
                at += i + 1;
                true
            }
            None => false,
        })
}

/// Aliases whose every term is in the query (`query`, or among the terms
/// of its words dropped as noise, `dropped`: "tv set"): (target node,
/// share of the query's weight the alias covers), the best per target.
/// Where aliases of the same terms name different goods ("bottled water",
/// "water bottle"), only those whose order the query's words (`order`:
/// their terms as written) follow count, when any does; an alias whose
/// terms are all in a longer matched alias for other goods does not count
/// ("water bottle" in "insulated water bottle").
pub(crate) fn alias_matches(
    prep: &Prepared,
    query: &FxHashMap<String, f32>,
    dropped: &[String],
    order: &[&String],
) -> Vec<(NodeId, f32)> {
    let total: f32 = query.values().sum();
    if total <= 0.0 {
        return Vec::new();
    }
    let mut seen: FxHashSet<u32> = FxHashSet::default();
    let mut matched: Vec<(u32, NodeId, f32)> = Vec::new();
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
            matched.push((i, a.target, cover));
        }
    }
    let sorted = |i: u32| prep.aliases.get(i as usize).map(|a| &a.terms);
    // Whether each matched alias stands in the query's order, read once.
    let ordered: Vec<bool> = matched
        .iter()
        .map(|&(i, ..)| {
            prep.aliases
                .get(i as usize)
                .is_some_and(|a| in_order(&a.written, order))
        })
        .collect();
    // Alias i's terms are a strict part of alias j's.
    let within = |i: u32, j: u32| match (sorted(i), sorted(j)) {
        (Some(a), Some(b)) => a.len() < b.len() && a.iter().all(|t| b.contains(t)),
        _ => false,
    };
    let mut best: FxHashMap<NodeId, f32> = FxHashMap::default();
    for (&(i, target, cover), &in_order_i) in matched.iter().zip(&ordered) {
        // Out of order, beside an alias of the same terms in order for
        // other goods: the query names those. And the longer of two
        // aliases for different goods wins ("insulated water bottle" over
        // "water bottle").
        let outranked = matched
            .iter()
            .zip(&ordered)
            .any(|(&(j, other, _), &in_order_j)| {
                other != target
                    && ((!in_order_i && in_order_j && sorted(j) == sorted(i)) || within(i, j))
            });
        if outranked {
            continue;
        }
        let e = best.entry(target).or_default();
        *e = e.max(cover);
    }
    best.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use super::*;

    /// The alias bonus each of `subs` gets for `text`.
    fn bonuses(fx: &Fixture, text: &str, subs: &[&str]) -> Vec<f32> {
        let q = fx.query(text);
        let mut c = Candidates::default();
        c.entry(fx.id("610990")).set(Feature::Text, 4.0);
        AliasPhrase {
            weight: 2.0,
            material_clash: 0.25,
        }
        .nominate(&q, &mut c, &mut fx.cx().cx())
        .unwrap();
        subs.iter()
            .map(|s| c.entry(fx.id(s)).get(Feature::Alias))
            .collect()
    }

    #[test]
    fn the_longer_alias_for_other_goods_wins() {
        let fx = Fixture::new();
        // "dress" (610441) is all in "cotton dress" (610442).
        let b = bonuses(&fx, "cotton dress", &["610441", "610442"]);
        assert_eq!(b[0], 0.0);
        assert!(b[1] > 0.0);
        // Alone, "dress" names its goods.
        assert!(bonuses(&fx, "dress", &["610441"])[0] > 0.0);
    }

    #[test]
    fn of_two_aliases_of_the_same_words_the_query_order_chooses() {
        let fx = Fixture::new();
        let b = bonuses(&fx, "cotton dress", &["610442", "610443"]);
        assert!(b[0] > 0.0 && b[1] == 0.0, "{b:?}");
        let b = bonuses(&fx, "dress cotton", &["610442", "610443"]);
        assert!(b[0] == 0.0 && b[1] > 0.0, "{b:?}");
    }

    #[test]
    fn in_order_reads_the_terms_as_written() {
        let (a, b, c) = ("a".to_string(), "b".to_string(), "c".to_string());
        assert!(in_order(&[a.clone(), c.clone()], &[&a, &b, &c]));
        assert!(!in_order(&[c.clone(), a.clone()], &[&a, &b, &c]));
        assert!(!in_order(&[a.clone(), b.clone()], &[&a]));
    }

    #[test]
    fn a_whole_alias_phrase_nominates_its_subheading() {
        let fx = Fixture::new();
        let q = fx.query("hoodie of cotton");
        let mut c = Candidates::default();
        c.entry(fx.id("610990")).set(Feature::Text, 4.0);
        AliasPhrase {
            weight: 2.0,
            material_clash: 0.25,
        }
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
    fn an_alias_gives_way_where_the_query_names_another_material() {
        let fx = Fixture::new();
        // "hoodie" names 6110.20, of cotton.
        let cotton = bonuses(&fx, "cotton hoodie", &["611020"])[0];
        let wool = bonuses(&fx, "wool hoodie", &["611020"])[0];
        let plain = bonuses(&fx, "hoodie", &["611020"])[0];
        assert!(cotton > 0.0 && plain > 0.0);
        // Each covers the same share of its two words.
        assert!((wool - 0.25 * cotton).abs() < 1e-4, "{wool} {cotton}");
    }

    #[test]
    fn a_partial_alias_phrase_is_no_evidence() {
        let fx = Fixture::new();
        let q = fx.query("tank of steel");
        let mut c = Candidates::default();
        AliasPhrase {
            weight: 2.0,
            material_clash: 0.25,
        }
        .nominate(&q, &mut c, &mut fx.cx().cx())
        .unwrap();
        assert!(c.is_empty(), "{:?}", c.ids);
    }
}
