//! Parts of named goods: a description that says it is a part or an
//! accessory ("spare parts for excavator", "excavator parts") of goods the
//! ranking finds is classified with the parts of those goods, not with the
//! goods (Section XVI note 2 (b), Section XVII note 3). The parts
//! subheadings of a heading are read from the tree's texts ([`PartsMap`]):
//! a parts heading's subheadings for the headings it names ("Machinery
//! parts; used solely or principally with the machinery of heading no.
//! 8425 to 8430"), and, in chapters 84 to 90, a heading's own last
//! subheadings (.9x) that say "parts" ("Centrifuges; parts thereof").
//! Parts with a heading of their own (bolts, bearings, belts) are left to
//! the text search.

use rustc_hash::FxHashMap;

use crate::notes::referenced_heading_numbers;
use crate::tables::WordList;
use crate::tree::{Level, NodeId, Tree};

use super::super::RankError;
use super::super::combine::own_score;
use super::super::understand::Query;
use super::{Candidates, Cx, Feature, Signal};

/// Which subheadings hold the parts of which headings' goods.
#[derive(Debug, Clone, Default)]
pub struct PartsMap {
    /// Heading (four digits as a number) -> its goods' parts subheadings.
    parts: FxHashMap<u16, Vec<NodeId>>,
    /// Parts subheading -> the headings whose goods' parts it holds, each
    /// with whether it names that heading itself (or lies in it).
    of: FxHashMap<NodeId, Vec<(u16, bool)>>,
    /// Heading (four digits as a number) -> its node.
    headings: FxHashMap<u16, NodeId>,
}

fn says_parts(text: &str) -> bool {
    crate::text::tokens(&text.to_lowercase())
        .iter()
        .any(|w| w == "parts" || w == "accessories")
}

/// The headings a parts text names as the goods whose parts it holds: the
/// references after its first "parts" or "accessories", exclusions
/// ("other than", "excluding", "not") left out ("Seats (other than those
/// of heading no. 9402) ... and parts thereof" names none).
fn parts_references(text: &str) -> Vec<u16> {
    let kept = crate::text::strip_exclusions(text).to_lowercase();
    let at = ["parts", "accessories"]
        .iter()
        .filter_map(|w| kept.find(w))
        .min();
    at.and_then(|i| kept.get(i..))
        .map(referenced_heading_numbers)
        .unwrap_or_default()
}

/// Whether a subheading is one of its heading's last (.9x: where the HS
/// puts a heading's parts, after its goods).
fn last_subheadings(tree: &Tree, id: NodeId) -> bool {
    tree.node(id)
        .code
        .as_ref()
        .is_some_and(|c| c.digits().as_bytes().get(4) == Some(&b'9'))
}

fn heading_number(tree: &Tree, id: NodeId) -> Option<u16> {
    tree.node(id).code.as_ref()?.digits().get(..4)?.parse().ok()
}

impl PartsMap {
    /// Reads the parts subheadings from the tree's heading and subheading
    /// texts.
    pub fn new(tree: &Tree) -> PartsMap {
        let mut m = PartsMap::default();
        for h in tree.nodes().filter(|n| n.level == Level::Heading) {
            let Some(own) = heading_number(tree, h.id) else {
                continue;
            };
            m.headings.insert(own, h.id);
            let subs: Vec<&crate::tree::Node> = tree.subheadings(h.id);
            let named: Vec<u16> = parts_references(&h.text)
                .into_iter()
                .filter(|x| *x != own)
                .collect();
            for s in &subs {
                let mut of: Vec<(u16, bool)> = if named.is_empty() {
                    // The heading's own goods, when its subheading says
                    // parts: machines, vehicles and instruments (chapters
                    // 84 to 90), whose parts the section notes send there.
                    if (8400..9100).contains(&own)
                        && says_parts(&s.text)
                        && last_subheadings(tree, s.id)
                        && subs.len() > 1
                    {
                        vec![(own, true)]
                    } else {
                        Vec::new()
                    }
                } else if !says_parts(&s.text) {
                    // Under a parts heading, a subheading that does not
                    // say parts holds goods ("auxiliary machinery").
                    Vec::new()
                } else {
                    // A parts heading: the headings its subheading names, or
                    // else every heading the heading names.
                    let own_refs: Vec<u16> = parts_references(&s.text)
                        .into_iter()
                        .filter(|x| *x != own)
                        .collect();
                    if own_refs.is_empty() {
                        named.iter().map(|x| (*x, false)).collect()
                    } else {
                        own_refs.into_iter().map(|x| (x, true)).collect()
                    }
                };
                of.sort_unstable();
                of.dedup_by_key(|x| x.0);
                for x in &of {
                    m.parts.entry(x.0).or_default().push(s.id);
                }
                if !of.is_empty() {
                    m.of.insert(s.id, of);
                }
            }
        }
        m
    }

    /// A heading's node, by its four digits as a number.
    pub fn heading(&self, heading: u16) -> Option<NodeId> {
        self.headings.get(&heading).copied()
    }

    /// The parts subheadings of a heading's goods.
    pub fn parts_of(&self, heading: u16) -> &[NodeId] {
        self.parts.get(&heading).map_or(&[], Vec::as_slice)
    }

    /// The headings whose goods' parts a subheading holds, each with
    /// whether it names that heading itself or lies in it (empty: not a
    /// parts subheading).
    pub fn goods_of(&self, sub: NodeId) -> &[(u16, bool)] {
        self.of.get(&sub).map_or(&[], Vec::as_slice)
    }

    /// Whether some parts subheading of `heading`'s goods names it itself.
    fn named_by_a_subheading(&self, heading: u16) -> bool {
        self.parts_of(heading)
            .iter()
            .any(|p| self.goods_of(*p).iter().any(|g| g.0 == heading && g.1))
    }
}

/// Whether the description says it is a part or an accessory, or names
/// a component that has no heading of its own ("excavator bushing").
fn says_part(q: &Query) -> bool {
    q.understood.words.iter().any(|w| part_word(&w.word))
}

/// A word on the `part` or the `component` list.
fn part_word(w: &str) -> bool {
    let lists = &crate::tables::get().words;
    lists.contains(WordList::Part, w) || lists.contains(WordList::Component, w)
}

/// The index terms of the words that name the goods the parts are for:
/// after "part for", "parts of" ("shaft part for mining equipment": the
/// shaft is the part), else every word but the part words and the generic
/// ones ("excavator spare parts").
fn goods_terms(q: &Query) -> Vec<&String> {
    let lists = &crate::tables::get().words;
    let tokens = crate::text::tokens(&crate::text::normalize(&q.text));
    let after: Option<&[String]> = tokens
        .windows(2)
        .position(|w| part_word(&w[0]) && lists.contains(WordList::Boundary, &w[1]))
        .and_then(|i| tokens.get(i + 2..))
        .filter(|rest| !rest.is_empty());
    q.understood
        .own_words()
        .filter(|(w, ..)| {
            !part_word(w)
                && !lists.contains(WordList::Generic, w)
                && after.is_none_or(|a| a.contains(w))
        })
        .flat_map(|(_, _, terms, _)| terms.iter())
        .collect()
}

/// The best score of the goods by heading: candidates whose texts name
/// the goods' words, parts subheadings left out.
fn goods_by_heading(
    q: &Query,
    cands: &Candidates,
    cx: &mut Cx<'_>,
    score: impl Fn(&super::Features) -> f32,
) -> Result<FxHashMap<u16, f32>, RankError> {
    let mut best: FxHashMap<u16, f32> = FxHashMap::default();
    let terms = goods_terms(q);
    if terms.is_empty() {
        return Ok(best);
    }
    let named = cx.naming.naming(&terms)?;
    // (score, the best goods' own text says they include their parts).
    let mut top: FxHashMap<u16, (f32, bool)> = FxHashMap::default();
    for (id, f) in cands.iter() {
        if !named.contains(&id) || !cx.prep.parts.goods_of(id).is_empty() {
            continue;
        }
        if let Some(h) = heading_number(cx.tree, id) {
            let v = score(f);
            let b = top.entry(h).or_insert((0.0, false));
            if v > b.0 {
                *b = (v, says_parts(&cx.tree.node(id).text));
            }
        }
    }
    // Goods whose subheading holds their parts too ("couplers ... and
    // parts thereof") send their parts nowhere else.
    best.extend(
        top.into_iter()
            .filter(|(_, (_, own))| !own)
            .map(|(h, (v, _))| (h, v)),
    );
    Ok(best)
}

/// Whether a subheading is the residual one: its text says "n.e.c." or
/// starts with "Other" (the parts no sibling names).
fn residual(text: &str) -> bool {
    let t = text.to_lowercase();
    t.contains("n.e.c") || t.trim_start().starts_with("other")
}

/// The parts signal: when the description says it is a part, nominates
/// the parts subheadings of the headings its goods words find most, and
/// gives each the best score among those goods ([`Feature::PartsOf`],
/// points added after the factors), times `weight`: all of it for a
/// subheading that names the goods' heading itself or lies in it, or, when
/// none does, for the residual one; [`INDIRECT_SHARE`] of it for the
/// others.
pub struct PartsOf {
    pub weight: f32,
    /// Headings whose parts are nominated: the best by text score.
    pub headings: usize,
}

/// The share of the goods' score for a parts subheading that holds them
/// only because its heading names them (and is not the residual one where
/// no sibling names them).
const INDIRECT_SHARE: f32 = 0.9;

/// Signal `parts_unstated`: a parts subheading ("Pumps and compressors;
/// parts", "Parts and accessories ... of motorcycles") when the query does
/// not say parts and its head noun names the goods themselves, as the text
/// of a heading whose parts the subheading holds names them ("compressor",
/// "motorcycle"): the query is the goods, not their parts, so such a
/// subheading weighs less. A part named by its own name ("bumper",
/// "piston") is not the goods' heading's word and keeps its parts
/// subheading.
pub struct PartsUnstated {
    /// Factor taken off such a subheading.
    pub penalty: f32,
}

impl Signal for PartsUnstated {
    fn name(&self) -> &'static str {
        Feature::PartsUnstated.name()
    }

    fn score(&self, q: &Query, cands: &mut Candidates, cx: &mut Cx<'_>) -> Result<(), RankError> {
        if self.penalty <= 0.0 || says_part(q) {
            return Ok(());
        }
        let Some(head) = q.head_terms.as_ref().filter(|t| !t.is_empty()) else {
            return Ok(());
        };
        let (tree, prep) = (cx.tree, cx.prep);
        for (id, f) in cands.iter_mut() {
            let names_goods = prep.parts.goods_of(id).iter().any(|&(h, _)| {
                prep.parts.heading(h).is_some_and(|node| {
                    let terms = prep.terms(cx.analyzer, tree, node);
                    head.iter().all(|t| terms.contains(t))
                })
            });
            if names_goods {
                f.set(Feature::PartsUnstated, 1.0 - self.penalty);
            }
        }
        Ok(())
    }
}

impl Signal for PartsOf {
    fn name(&self) -> &'static str {
        "parts_of"
    }

    fn nominate(
        &self,
        q: &Query,
        cands: &mut Candidates,
        cx: &mut Cx<'_>,
    ) -> Result<(), RankError> {
        if !says_part(q) {
            return Ok(());
        }
        let best = goods_by_heading(q, cands, cx, |f| {
            f.get(Feature::Text) + f.get(Feature::Alias) + f.get(Feature::Chemistry)
        })?;
        let mut heads: Vec<(u16, f32)> = best.into_iter().filter(|x| x.1 > 0.0).collect();
        heads.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        for (h, _) in heads.into_iter().take(self.headings) {
            for &p in cx.prep.parts.parts_of(h) {
                cands.entry(p);
            }
        }
        Ok(())
    }

    fn score(&self, q: &Query, cands: &mut Candidates, cx: &mut Cx<'_>) -> Result<(), RankError> {
        if !says_part(q) {
            return Ok(());
        }
        let best = goods_by_heading(q, cands, cx, own_score)?;
        let tree = cx.tree;
        let parts = &cx.prep.parts;
        for (id, f) in cands.iter_mut() {
            let goods = parts.goods_of(id);
            if goods.is_empty() {
                continue;
            }
            let is_residual = residual(&tree.node(id).text);
            let v = goods
                .iter()
                .filter_map(|&(h, named)| {
                    let b = best.get(&h)?;
                    // A subheading that names the goods' heading takes all
                    // of their score; one that holds them only as its
                    // heading names them gives way to a sibling that names
                    // them, and else the residual one takes all.
                    let share = if named || (is_residual && !parts.named_by_a_subheading(h)) {
                        1.0
                    } else {
                        INDIRECT_SHARE
                    };
                    Some(share * b)
                })
                .fold(0.0f32, f32::max);
            if v > 0.0 {
                f.set(Feature::PartsOf, self.weight * v);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use super::*;

    #[test]
    fn parts_subheadings_are_read_from_the_texts() {
        let fx = Fixture::new();
        let m = &fx.prep.parts;
        // A parts heading's subheadings, for the headings it names.
        assert_eq!(m.parts_of(8711), [fx.id("871410"), fx.id("871499")]);
        assert_eq!(
            m.goods_of(fx.id("871499")),
            [(8711, false), (8712, false), (8713, false)]
        );
        // A subheading that names its goods' heading itself.
        assert_eq!(m.goods_of(fx.id("871410")), [(8711, true)]);
        // A heading's own last subheading that says parts (chapter 84).
        assert_eq!(m.parts_of(8421), [fx.id("842191")]);
        assert!(m.goods_of(fx.id("842111")).is_empty());
        // Goods with no parts subheading.
        assert!(m.parts_of(6109).is_empty());
    }

    /// The factor [`PartsUnstated`] sets on `sub` for `query`.
    fn unstated(fx: &Fixture, query: &str, sub: &str) -> f32 {
        fx.feature_of(
            &PartsUnstated { penalty: 0.3 },
            Feature::PartsUnstated,
            query,
            sub,
        )
    }

    #[test]
    fn the_goods_named_alone_are_not_their_parts() {
        let fx = Fixture::new();
        // "motorcycles" is in the text of 87.11, whose parts 8714.10 holds.
        assert!((unstated(&fx, "motorcycle", "871410") - 0.7).abs() < 1e-6);
        assert!((unstated(&fx, "used motorcycles", "871499") - 0.7).abs() < 1e-6);
        // The goods themselves are untouched.
        assert_eq!(unstated(&fx, "motorcycle", "871120"), 1.0);
    }

    #[test]
    fn parts_said_or_named_by_their_own_name_keep_their_subheading() {
        let fx = Fixture::new();
        assert_eq!(unstated(&fx, "motorcycle parts", "871410"), 1.0);
        assert_eq!(unstated(&fx, "spare parts for motorcycle", "871410"), 1.0);
        // A part's own name is not the goods' heading's word.
        assert_eq!(unstated(&fx, "motorcycle handlebar", "871410"), 1.0);
    }

    /// Candidates after the signal: the motorcycle with a text score.
    fn run(fx: &Fixture, query: &str) -> Candidates {
        let q = fx.query(query);
        let mut cands = Candidates::default();
        cands.entry(fx.id("871120")).set(Feature::Text, 10.0);
        let mut scratch = fx.cx();
        let s = PartsOf {
            weight: 1.0,
            headings: 3,
        };
        s.nominate(&q, &mut cands, &mut scratch.cx())
            .expect("nominate");
        cands.settle();
        s.score(&q, &mut cands, &mut scratch.cx()).expect("score");
        cands
    }

    fn parts_of(c: &Candidates, id: NodeId) -> Option<f32> {
        c.iter()
            .find(|(x, _)| *x == id)
            .map(|(_, f)| f.get(Feature::PartsOf))
    }

    #[test]
    fn parts_of_named_goods_take_the_goods_score() {
        let fx = Fixture::new();
        for query in ["motorcycle spare parts", "parts for motorcycle"] {
            let c = run(&fx, query);
            // The subheading that names the motorcycles' heading takes the
            // goods' whole score; the residual one, which holds them only
            // as its heading names them, a little less.
            assert_eq!(parts_of(&c, fx.id("871410")), Some(10.0), "{query}");
            assert_eq!(parts_of(&c, fx.id("871499")), Some(9.0), "{query}");
            // The goods themselves get nothing.
            assert_eq!(parts_of(&c, fx.id("871120")), Some(0.0));
        }
        // Without a part word: no parts nominated, nothing added.
        let c = run(&fx, "motorcycle");
        assert_eq!(c.len(), 1);
        assert_eq!(parts_of(&c, fx.id("871120")), Some(0.0));
    }

    #[test]
    fn a_component_beside_named_goods_reads_as_their_part() {
        let fx = Fixture::new();
        // "lever" (no heading of its own) beside a motorcycle.
        let c = run(&fx, "motorcycle lever");
        assert_eq!(parts_of(&c, fx.id("871410")), Some(10.0));
        let terms: Vec<String> = goods_terms(&fx.query("motorcycle lever"))
            .into_iter()
            .cloned()
            .collect();
        assert_eq!(terms, ["motorcycl"]);
    }

    #[test]
    fn the_goods_are_named_after_part_for() {
        let fx = Fixture::new();
        // "saddle part for centrifuge": the centrifuge's parts, not the
        // motorcycle's (it is not named after "for").
        let q = fx.query("motorcycle saddle part for centrifuge");
        let terms: Vec<&str> = goods_terms(&q).into_iter().map(String::as_str).collect();
        assert_eq!(terms, ["centrifug"]);
        let c = run(&fx, "motorcycle saddle part for centrifuge");
        assert_eq!(parts_of(&c, fx.id("871499")).unwrap_or(0.0), 0.0);
        assert_eq!(
            parts_of(&run(&fx, "spare parts for motorcycle"), fx.id("871410")),
            Some(10.0)
        );
        // The part word need not be the first: "spare parts for".
        let q = fx.query("lever spare parts for centrifuge");
        let terms: Vec<&str> = goods_terms(&q).into_iter().map(String::as_str).collect();
        assert_eq!(terms, ["centrifug"]);
    }

    #[test]
    fn references_by_number_ranges_and_lists() {
        assert_eq!(
            referenced_heading_numbers(
                "Machinery parts; used solely or principally with the machinery of heading no. 8425 to 8430"
            ),
            [8425, 8426, 8427, 8428, 8429, 8430]
        );
        assert_eq!(
            referenced_heading_numbers(
                "Parts suitable for use solely or principally with the engines of heading no. 8407 or 8408"
            ),
            [8407, 8408]
        );
        assert_eq!(
            referenced_heading_numbers(
                "machines of headings 8456-8465; n.e.c. in heading no. 8466"
            ),
            (8456..=8466).collect::<Vec<u16>>()
        );
        assert_eq!(
            referenced_heading_numbers("of machinery of subheading 8430.41 or 8430.49"),
            [8430]
        );
        assert!(referenced_heading_numbers("Centrifuges; parts thereof").is_empty());
        // A reversed range names both ends, never the ones between.
        assert_eq!(
            referenced_heading_numbers("heading 8430 to 8425"),
            [8425, 8430]
        );
        // References in exclusions, or before "parts", are not the goods.
        assert!(
            parts_references("Seats (other than those of heading no. 9402); parts thereof")
                .is_empty()
        );
        assert!(
            parts_references("Printing machinery using components of heading 8442; parts thereof")
                .is_empty()
        );
        assert!(
            parts_references("Pens; parts of pens, excluding those of heading no. 9609").is_empty()
        );
        assert_eq!(
            parts_references("Parts and accessories of vehicles of headings 8711 to 8713"),
            [8711, 8712, 8713]
        );
        // A number not after "heading" is no reference.
        assert!(referenced_heading_numbers("Of a cylinder capacity exceeding 1000 cc").is_empty());
    }
}
