//! Signal `colour_only`: a colour says what goods look like, never what
//! they are. Where the tariff uses a colour word as a name ("animal black"
//! in 38.02, "carbon black", "white spirit"), a description that merely
//! states a colour ("spiral guard, black") would otherwise match it on that
//! word alone, and the rarer the word in the tariff, the higher. A
//! candidate whose texts name none of the description's other words, only
//! its colours, weighs less. A description of colours only ("black") and
//! a candidate an alias phrase names are left alone.

use crate::tables::WordList;
use crate::text::listed;

use super::super::RankError;
use super::super::understand::Query;
use super::{Candidates, Cx, Feature, Signal};

/// See the module doc.
pub struct ColourOnly {
    /// Factor taken off such a candidate (0: off).
    pub penalty: f32,
}

impl Signal for ColourOnly {
    fn name(&self) -> &'static str {
        Feature::ColourOnly.name()
    }

    fn score(&self, q: &Query, cands: &mut Candidates, cx: &mut Cx<'_>) -> Result<(), RankError> {
        if self.penalty <= 0.0 {
            return Ok(());
        }
        // Each understood word's terms (with its synonyms' terms, whose
        // entries end in `~`), split by whether the word is a colour (as
        // shown: the correction when the word was corrected).
        let mut colours: Vec<&String> = Vec::new();
        let mut others: Vec<&String> = Vec::new();
        for (w, corrected, terms, _) in &q.understood.terms {
            let word = corrected.as_deref().unwrap_or(w.as_str());
            let word = word.strip_suffix('~').unwrap_or(word);
            if listed(WordList::Colour, word) {
                colours.extend(terms);
            } else {
                others.extend(terms);
            }
        }
        if colours.is_empty() || others.is_empty() {
            return Ok(());
        }
        let by_colour = cx.naming.naming(&colours)?;
        let by_others = cx.naming.naming(&others)?;
        for (id, f) in cands.iter_mut() {
            if by_colour.contains(&id) && !by_others.contains(&id) && f.get(Feature::Alias) <= 0.0 {
                f.set(Feature::ColourOnly, 1.0 - self.penalty);
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
        fx.feature_of(&ColourOnly { penalty }, Feature::ColourOnly, text, sub)
    }

    #[test]
    fn a_colour_alone_does_not_name_the_goods() {
        let fx = Fixture::new();
        assert_eq!(factor(&fx, "spiral guard black", "380290", 0.5), 0.5);
    }

    #[test]
    fn a_colour_beside_the_goods_words_is_kept() {
        let fx = Fixture::new();
        // "tea" names black tea: the colour is not all it shares.
        assert_eq!(factor(&fx, "black tea", "090230", 0.5), 1.0);
        // Black tea for a black spiral guard is the colour alone.
        assert_eq!(factor(&fx, "spiral guard black", "090230", 0.5), 0.5);
        // A candidate the colour does not name is untouched.
        assert_eq!(factor(&fx, "cotton t-shirt black", "610910", 0.5), 1.0);
        assert_eq!(factor(&fx, "spiral guard black", "610910", 0.5), 1.0);
    }

    #[test]
    fn colours_only_or_no_penalty_change_nothing() {
        let fx = Fixture::new();
        assert_eq!(factor(&fx, "black", "380290", 0.5), 1.0);
        assert_eq!(factor(&fx, "spiral guard black", "380290", 0.0), 1.0);
    }
}
