//! Signal `coverage`: a candidate whose texts name more of the
//! description's words is the better match, whatever the lengths of its
//! texts. The factor is the weighted share of the words it names, to a
//! power (the head noun weighs most, so an article whose texts never name
//! it falls back). A word counts as named when its own terms, or the
//! tariff's words it expands to, are there.

use super::super::RankError;
use super::super::understand::Query;
use super::{Candidates, Cx, Feature, Signal, word_terms};

/// Least share a candidate is credited with.
const FLOOR: f32 = 0.05;

/// See the module doc.
pub struct Coverage {
    /// Power of the share (0: not used).
    pub power: f32,
    /// Whether a word's synonyms count.
    pub synonyms: bool,
}

impl Signal for Coverage {
    fn name(&self) -> &'static str {
        Feature::Coverage.name()
    }

    fn score(&self, q: &Query, cands: &mut Candidates, cx: &mut Cx<'_>) -> Result<(), RankError> {
        if self.power <= 0.0 {
            return Ok(());
        }
        let words = word_terms(q, self.synonyms);
        let total: f32 = words.iter().map(|(wt, _)| wt).sum();
        if words.len() < 2 || total <= 0.0 {
            return Ok(());
        }
        let mut naming = Vec::with_capacity(words.len());
        for (wt, t) in &words {
            naming.push((*wt, cx.naming.naming(t)?));
        }
        for (id, f) in cands.iter_mut() {
            let got: f32 = naming
                .iter()
                .filter(|(_, set)| set.contains(&id))
                .map(|(wt, _)| wt)
                .sum();
            f.set(Feature::Coverage, (got / total).max(FLOOR).powf(self.power));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use super::*;

    #[test]
    fn naming_more_of_the_words_scores_higher() {
        let fx = Fixture::new();
        let q = fx.query("cotton hoodie");
        let mut c = Candidates::default();
        for s in ["611020", "610910", "871110"] {
            c.entry(fx.id(s));
        }
        Coverage {
            power: 1.0,
            synonyms: true,
        }
        .score(&q, &mut c, &mut fx.cx().cx())
        .unwrap();
        let all = c.entry(fx.id("611020")).get(Feature::Coverage);
        let some = c.entry(fx.id("610910")).get(Feature::Coverage);
        let none = c.entry(fx.id("871110")).get(Feature::Coverage);
        assert!((all - 1.0).abs() < 1e-6, "{all}");
        assert!(some > none && some < all, "{some}");
        assert_eq!(none, FLOOR);
    }

    #[test]
    fn one_word_says_nothing() {
        let fx = Fixture::new();
        let q = fx.query("hoodie");
        let mut c = Candidates::default();
        c.entry(fx.id("871110"));
        Coverage {
            power: 1.6,
            synonyms: true,
        }
        .score(&q, &mut c, &mut fx.cx().cx())
        .unwrap();
        assert_eq!(c.entry(fx.id("871110")).get(Feature::Coverage), 1.0);
    }
}
