//! Signal `power_rating`: a description that states an electrical or
//! power rating ("12V", "60 watts", "5000mAh", "50Hz", "1.5HP") names
//! goods that work by electricity or an engine; so do the words of the
//! `powered` list of `hs-data/words.csv` ("electric", "cordless",
//! "rechargeable"). Such goods are machines, appliances and electrical
//! equipment (chapters 84 and 85), vehicles, instruments, clocks, lamps
//! and toys (chapters 86 to 96), so a candidate of chapters 1 to 83 weighs
//! less, unless its own text or its heading's names electricity
//! ("Electric blankets", 6301.10) or an alias phrase names it: "socket
//! 230V" is an electrical socket (85.36) before a socket wrench (82.04).

use super::super::RankError;
use super::super::understand::Query;
use super::{Candidates, Cx, Feature, Signal};
use crate::tree::{Level, NodeId, Tree};

/// See the module doc.
pub struct PowerRating {
    /// Factor taken off such a candidate (0: off).
    pub penalty: f32,
}

/// Last chapter before machinery (83, miscellaneous articles of base metal).
const LAST_UNPOWERED_CHAPTER: u8 = 83;

/// Whether the subheading's text or its heading's names electricity (not
/// to exclude it: "Blankets (other than electric blankets)").
fn names_electricity(tree: &Tree, id: NodeId) -> bool {
    let says = |t: &str| {
        let t = t.to_lowercase();
        t.matches("electr").count()
            > t.matches("other than electr").count() + t.matches("non-electr").count()
    };
    says(&tree.node(id).text)
        || tree
            .ancestor_at(id, Level::Heading)
            .is_some_and(|h| says(&h.text))
}

impl Signal for PowerRating {
    fn name(&self) -> &'static str {
        Feature::PowerRating.name()
    }

    fn score(&self, q: &Query, cands: &mut Candidates, cx: &mut Cx<'_>) -> Result<(), RankError> {
        if self.penalty <= 0.0 || !q.power_rating {
            return Ok(());
        }
        for (id, f) in cands.iter_mut() {
            if cx.tree.chapter_of(id) <= LAST_UNPOWERED_CHAPTER
                && f.get(Feature::Alias) <= 0.0
                && !names_electricity(cx.tree, id)
            {
                f.set(Feature::PowerRating, 1.0 - self.penalty);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use super::*;

    fn factor(fx: &Fixture, text: &str, sub: &str) -> f32 {
        fx.feature_of(
            &PowerRating { penalty: 0.3 },
            Feature::PowerRating,
            text,
            sub,
        )
    }

    #[test]
    fn a_power_rating_weighs_unpowered_goods_less() {
        let fx = Fixture::new();
        assert!((factor(&fx, "wool blanket 220v", "630120") - 0.7).abs() < 1e-6);
        // Goods of the machinery chapters are untouched.
        assert_eq!(factor(&fx, "centrifuge 220v", "842111"), 1.0);
    }

    #[test]
    fn goods_that_name_electricity_or_no_rating_say_nothing() {
        let fx = Fixture::new();
        assert_eq!(factor(&fx, "blanket 220v", "630110"), 1.0);
        assert_eq!(factor(&fx, "wool blanket", "630120"), 1.0);
    }

    #[test]
    fn a_word_saying_the_goods_are_electric_weighs_as_a_rating_does() {
        let fx = Fixture::new();
        assert!((factor(&fx, "rechargeable wool blanket", "630120") - 0.7).abs() < 1e-6);
        assert_eq!(factor(&fx, "electric blanket", "630110"), 1.0);
    }
}
