//! Signal `raw_form`: an article is not its raw material (GRI 1: the
//! heading that names the article). A subheading of a raw-form heading
//! ("in primary forms", "unwrought", scrap, ores, and the semi-finished
//! forms of metals: ingots, bars and rods, angles, shapes and sections,
//! flat-rolled products) whose texts miss the query's head noun, an
//! article, weighs less: PVC tiles are tiles, a stainless steel tumbler is
//! not stainless steel bars. The head named by one of the subheading's
//! aliases counts as named ("steel rebar" is bars and rods).

use crate::tree::Level;

use super::super::RankError;
use super::super::understand::Query;
use super::{Candidates, Cx, Feature, Signal};

/// See the module doc.
pub struct RawForm {
    /// Factor taken off.
    pub penalty: f32,
}

/// True when an alias of the subheading holds one of the head's terms
/// ("rebar" names bars and rods).
fn names_by_alias(cx: &Cx<'_>, id: crate::tree::NodeId, head_terms: &[String]) -> bool {
    cx.prep.alias_by_sub.get(&id).is_some_and(|ix| {
        ix.iter().any(|&i| {
            cx.prep
                .aliases
                .get(i as usize)
                .is_some_and(|a| a.terms.iter().any(|t| head_terms.contains(t)))
        })
    })
}

impl Signal for RawForm {
    fn name(&self) -> &'static str {
        Feature::RawForm.name()
    }

    fn score(&self, q: &Query, cands: &mut Candidates, cx: &mut Cx<'_>) -> Result<(), RankError> {
        let Some(head_terms) = &q.head_terms else {
            return Ok(());
        };
        if q.head_is_material || self.penalty <= 0.0 {
            return Ok(());
        }
        for (id, f) in cands.iter_mut() {
            let Some(heading) = cx.tree.ancestor_at(id, Level::Heading).map(|h| h.id) else {
                continue;
            };
            if !cx
                .prep
                .raw_form
                .get(heading as usize)
                .copied()
                .unwrap_or(false)
            {
                continue;
            }
            let names_head = [id, heading].iter().any(|&n| {
                cx.prep
                    .terms(cx.analyzer, cx.tree, n)
                    .iter()
                    .any(|t| head_terms.contains(t))
            }) || names_by_alias(cx, id, head_terms);
            if !names_head {
                f.set(Feature::RawForm, 1.0 - self.penalty);
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
    fn pvc_tiles_are_tiles_not_pvc() {
        let fx = Fixture::new();
        let q = fx.query("pvc floor tiles");
        let mut c = Candidates::default();
        c.entry(fx.id("390410"));
        c.entry(fx.id("391810"));
        RawForm { penalty: 0.5 }
            .score(&q, &mut c, &mut fx.cx().cx())
            .unwrap();
        assert_eq!(c.entry(fx.id("390410")).get(Feature::RawForm), 0.5);
        assert_eq!(c.entry(fx.id("391810")).get(Feature::RawForm), 1.0);
    }

    #[test]
    fn a_head_an_alias_of_the_raw_form_names_is_named() {
        let fx = Fixture::new();
        let raw = RawForm { penalty: 0.5 };
        assert_eq!(
            fx.feature_of(&raw, Feature::RawForm, "pvc resin", "390410"),
            1.0
        );
    }
}
