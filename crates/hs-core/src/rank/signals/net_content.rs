//! Signal `net_content`: a description that states a net content by mass
//! or volume ("130g", "50ml", "200mg") names goods sold by weight or
//! volume, as prepacked substances are labelled (foods, drinks, cosmetics,
//! medicines, cleaning and other chemical products: chapters 1 to 38),
//! where articles are sold by count. A candidate of the later chapters
//! (plastics and their articles onwards: machines, textiles, metals'
//! articles, furniture, toys) then weighs less, unless an alias phrase
//! names it or the query names its chapter's material ("glass jar 500ml"
//! keeps chapter 70). "beef jerky 70g" is food, not an article.

use super::super::RankError;
use super::super::understand::Query;
use super::{Candidates, Cx, Feature, Signal};

/// See the module doc.
pub struct NetContent {
    /// Factor taken off such a candidate (0: off).
    pub penalty: f32,
}

/// Last chapter of substances (38, miscellaneous chemical products).
const LAST_SUBSTANCE_CHAPTER: u8 = 38;

impl Signal for NetContent {
    fn name(&self) -> &'static str {
        Feature::NetContent.name()
    }

    fn score(&self, q: &Query, cands: &mut Candidates, cx: &mut Cx<'_>) -> Result<(), RankError> {
        if self.penalty <= 0.0 || !q.net_content {
            return Ok(());
        }
        for (id, f) in cands.iter_mut() {
            let ch = cx.tree.chapter_of(id);
            if ch > LAST_SUBSTANCE_CHAPTER
                && f.get(Feature::Alias) <= 0.0
                && !q.materials.contains(&ch)
            {
                f.set(Feature::NetContent, 1.0 - self.penalty);
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
        fx.feature_of(&NetContent { penalty: 0.3 }, Feature::NetContent, text, sub)
    }

    #[test]
    fn a_net_content_weighs_articles_less() {
        let fx = Fixture::new();
        assert!((factor(&fx, "handbags 250g", "420222") - 0.7).abs() < 1e-6);
        // A substance's chapter is untouched.
        assert_eq!(factor(&fx, "black tea 250g", "090230"), 1.0);
    }

    #[test]
    fn no_net_content_or_a_named_material_says_nothing() {
        let fx = Fixture::new();
        assert_eq!(factor(&fx, "handbags", "420222"), 1.0);
        assert_eq!(factor(&fx, "cotton fabric 100 g/m2", "520811"), 1.0);
        assert_eq!(factor(&fx, "cotton fabric 100g", "520811"), 1.0);
    }
}
