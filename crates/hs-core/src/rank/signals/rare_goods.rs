//! Signal `rare_goods`: a few kinds of goods are rarely traded and almost
//! never described without their own words, while their tariff texts use
//! words that also name everyday goods: chapter 93 (arms and ammunition: a
//! filter or printer cartridge, a robot's arm, a bath bomb, a spray pistol),
//! headings 36.01-36.04 (explosives, fuses, percussion caps, fireworks and
//! flares: bottle caps, a flared fitting) and heading 84.01 (nuclear
//! reactors and their fuel elements, "fuel elements (cartridges)"). Their
//! subheadings weigh less unless the query names such goods (the `arms`,
//! `explosives` and `nuclear` lists of `hs-data/words.csv`).

use crate::tree::{NodeId, Tree};

use super::super::RankError;
use super::super::understand::Query;
use super::{Candidates, Cx, Feature, Signal};

/// See the module doc.
pub struct RareGoods {
    /// Factor taken off such a subheading.
    pub penalty: f32,
}

/// Which rare goods a node is: arms or ammunition (chapter 93),
/// explosives and pyrotechnics (headings 36.01-36.04) or nuclear (heading
/// 84.01); `None` for other nodes.
pub fn rare_goods(tree: &Tree, id: NodeId) -> Option<Rare> {
    let code = tree.node(id).code.as_ref()?;
    let d = code.digits();
    if d.starts_with("93") {
        Some(Rare::Arms)
    } else if ["3601", "3602", "3603", "3604"]
        .iter()
        .any(|h| d.starts_with(h))
    {
        Some(Rare::Explosives)
    } else if d.starts_with("8401") {
        Some(Rare::Nuclear)
    } else {
        None
    }
}

/// The kinds of rare goods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rare {
    Arms,
    Explosives,
    Nuclear,
}

impl Signal for RareGoods {
    fn name(&self) -> &'static str {
        Feature::RareGoods.name()
    }

    fn score(&self, q: &Query, cands: &mut Candidates, cx: &mut Cx<'_>) -> Result<(), RankError> {
        if (q.arms && q.explosives && q.nuclear) || self.penalty <= 0.0 {
            return Ok(());
        }
        for (id, f) in cands.iter_mut() {
            let named = match rare_goods(cx.tree, id) {
                None => continue,
                Some(Rare::Arms) => q.arms,
                Some(Rare::Explosives) => q.explosives,
                Some(Rare::Nuclear) => q.nuclear,
            };
            if !named {
                f.set(Feature::RareGoods, 1.0 - self.penalty);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use super::*;

    /// The factor `sub` gets for `text` with the given penalty.
    fn factor(fx: &Fixture, text: &str, sub: &str, penalty: f32) -> f32 {
        fx.feature_of(&RareGoods { penalty }, Feature::RareGoods, text, sub)
    }

    fn rare(fx: &Fixture, text: &str, sub: &str) -> f32 {
        factor(fx, text, sub, 0.5)
    }

    #[test]
    fn a_cartridge_without_a_word_of_arms_is_not_ammunition() {
        let fx = Fixture::new();
        assert_eq!(rare(&fx, "compatible toner cartridge", "930621"), 0.5);
        assert_eq!(rare(&fx, "bath bomb", "930621"), 0.5);
        // Other chapters are untouched.
        assert_eq!(rare(&fx, "compatible toner cartridge", "950662"), 1.0);
    }

    #[test]
    fn arms_or_ammunition_named_keep_their_chapter() {
        let fx = Fixture::new();
        assert_eq!(rare(&fx, "12 gauge shotgun cartridges", "930621"), 1.0);
        assert_eq!(rare(&fx, "ammunition for rifles", "930621"), 1.0);
        assert_eq!(rare(&fx, "Air Gun Pellets", "930621"), 1.0);
    }

    #[test]
    fn caps_are_not_percussion_caps_without_a_word_of_explosives() {
        let fx = Fixture::new();
        assert_eq!(rare(&fx, "bottle caps", "360300"), 0.5);
        assert_eq!(rare(&fx, "blasting caps", "360300"), 1.0);
        assert_eq!(rare(&fx, "detonators", "360300"), 1.0);
        // A word of arms does not open explosives.
        assert_eq!(rare(&fx, "rifle caps", "360300"), 0.5);
    }

    #[test]
    fn nuclear_fuel_needs_a_nuclear_word() {
        let fx = Fixture::new();
        assert_eq!(rare(&fx, "filter cartridge", "840130"), 0.5);
        assert_eq!(rare(&fx, "nuclear fuel cartridges", "840130"), 1.0);
        assert_eq!(rare(&fx, "uranium fuel elements", "840130"), 1.0);
        // A word of arms does not open nuclear goods, nor the other way.
        assert_eq!(rare(&fx, "shotgun cartridges", "840130"), 0.5);
        assert_eq!(rare(&fx, "nuclear cartridges", "930621"), 0.5);
    }

    #[test]
    fn without_a_penalty_nothing_changes() {
        let fx = Fixture::new();
        assert_eq!(factor(&fx, "toner cartridge", "930621", 0.0), 1.0);
    }
}
