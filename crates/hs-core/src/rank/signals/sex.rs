//! Signal `sex`: garments that cannot be identified as men's or boys' or as
//! women's or girls' go to the women's or girls' headings (Note 9 to
//! chapter 61, Note 8 to chapter 62); garments for the sex the query names
//! beat those for the other, whatever an alias assumed. Babies' garments
//! go to headings 61.11 and 62.09 before any other heading of their
//! chapter (Note 6 (b) to chapter 61, Note 4 to chapter 62): when the
//! query says the garments are babies', the other headings weigh as a
//! garment of the other sex does.

use super::super::RankError;
use super::super::understand::Query;
use super::{Candidates, Cx, Feature, Signal};

/// See the module doc.
pub struct Sex {
    /// Factor taken off a men's or boys' garment when the query names no sex.
    pub unstated: f32,
    /// Factor taken off a garment for the other sex than the query names.
    pub clash: f32,
}

impl Signal for Sex {
    fn name(&self) -> &'static str {
        Feature::Sex.name()
    }

    fn score(&self, q: &Query, cands: &mut Candidates, cx: &mut Cx<'_>) -> Result<(), RankError> {
        let (men, women) = (q.men, q.women);
        for (id, f) in cands.iter_mut() {
            if !matches!(cx.tree.chapter_of(id), 61 | 62) {
                continue;
            }
            let node = cx.tree.node(id);
            if q.babies {
                let babies_heading = cx
                    .tree
                    .heading_digits_of(id)
                    .is_some_and(|h| matches!(h, "6111" | "6209"));
                if !babies_heading {
                    f.set(Feature::Sex, 1.0 - self.clash);
                }
                continue;
            }
            let for_men = node.text.contains("men's or boys'");
            let for_women = node.text.contains("women's or girls'");
            if !men && !women && for_men {
                f.set(Feature::Sex, 1.0 - self.unstated);
            } else if (men && !women && for_women) || (women && !men && for_men) {
                f.set(Feature::Sex, 1.0 - self.clash);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use super::*;

    fn sex(fx: &Fixture, text: &str, sub: &str) -> f32 {
        let s = Sex {
            unstated: 0.2,
            clash: 0.5,
        };
        fx.feature_of(&s, Feature::Sex, text, sub)
    }

    #[test]
    fn the_stated_sex_wins_and_unstated_goes_to_womens() {
        let fx = Fixture::new();
        assert_eq!(sex(&fx, "girls cotton dress", "610442"), 1.0);
        assert_eq!(sex(&fx, "mens cotton dress", "610442"), 0.5);
        assert_eq!(sex(&fx, "ladies shirt", "620520"), 0.5);
        assert_eq!(sex(&fx, "cotton shirt", "620520"), 0.8);
        assert_eq!(sex(&fx, "cotton shirt", "610442"), 1.0);
        // Not a garment chapter.
        assert_eq!(sex(&fx, "mens motorcycle", "871120"), 1.0);
    }

    #[test]
    fn babies_garments_go_to_the_babies_headings() {
        let fx = Fixture::new();
        assert_eq!(sex(&fx, "baby cotton dress", "611120"), 1.0);
        assert_eq!(sex(&fx, "baby cotton dress", "610442"), 0.5);
        assert_eq!(sex(&fx, "infant girls dress", "610442"), 0.5);
        // "baby pink" is a colour.
        assert_eq!(sex(&fx, "baby pink dress", "610442"), 1.0);
    }
}
