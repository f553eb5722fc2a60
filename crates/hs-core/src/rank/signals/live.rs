//! Signal `live`: chapter 1 ("Live animals") and heading 03.01 ("Live
//! fish") hold only live animals, so their subheadings weigh less unless
//! the query says the animals are alive (the `live` list of
//! `hs-data/words.csv`: "live", "breeding", "livestock"...). A description
//! naming an animal alone ("chicken", "turkey breast", "duck 400g") names
//! its meat or goods made of it.

use crate::tree::{Level, NodeId, Tree};

use super::super::RankError;
use super::super::understand::Query;
use super::{Candidates, Cx, Feature, Signal};

/// See the module doc.
pub struct Live {
    /// Factor taken off a live animal's subheading.
    pub penalty: f32,
}

/// True for a node of chapter 1 (its title begins "Live animals") or of a
/// heading of chapters 1-3 whose text begins "Live" (03.01, "Live fish").
pub fn is_live_animal(tree: &Tree, id: NodeId) -> bool {
    // Most candidates are of later chapters: told by the code alone.
    if !(1..=3).contains(&tree.chapter_of(id)) {
        return false;
    }
    let begins_live = |level: Level, prefix: &str| {
        tree.ancestor_at(id, level).is_some_and(|n| {
            n.text
                .get(..prefix.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(prefix))
        })
    };
    begins_live(Level::Chapter, "live animals") || begins_live(Level::Heading, "live ")
}

impl Signal for Live {
    fn name(&self) -> &'static str {
        Feature::Live.name()
    }

    fn score(&self, q: &Query, cands: &mut Candidates, cx: &mut Cx<'_>) -> Result<(), RankError> {
        if q.live || self.penalty <= 0.0 {
            return Ok(());
        }
        for (id, f) in cands.iter_mut() {
            if is_live_animal(cx.tree, id) {
                f.set(Feature::Live, 1.0 - self.penalty);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use super::*;

    fn live(fx: &Fixture, text: &str, sub: &str) -> f32 {
        let q = fx.query(text);
        let mut c = Candidates::default();
        c.entry(fx.id(sub));
        Live { penalty: 0.5 }
            .score(&q, &mut c, &mut fx.cx().cx())
            .unwrap();
        c.entry(fx.id(sub)).get(Feature::Live)
    }

    #[test]
    fn an_animal_named_alone_is_not_a_live_animal() {
        let fx = Fixture::new();
        assert_eq!(live(&fx, "chicken breast fillets", "010594"), 0.5);
        assert_eq!(live(&fx, "chicken breast fillets", "020714"), 1.0);
    }

    #[test]
    fn a_live_animal_stated_keeps_its_chapter() {
        let fx = Fixture::new();
        assert_eq!(live(&fx, "live chickens", "010594"), 1.0);
        assert_eq!(live(&fx, "breeding hens", "010594"), 1.0);
    }

    #[test]
    fn live_animal_nodes_are_told_by_their_texts() {
        let fx = Fixture::new();
        assert!(is_live_animal(&fx.tree, fx.id("010594")));
        assert!(!is_live_animal(&fx.tree, fx.id("020714")));
        assert!(!is_live_animal(&fx.tree, fx.id("390410")));
    }
}
