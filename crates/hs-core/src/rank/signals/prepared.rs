//! Signal `prepared_unstated`: goods named plainly are the goods in their
//! natural state. The chapters of produce (1-14: animals, meat, fish,
//! dairy, vegetables, fruit, coffee and tea, cereals, milling, seeds, gums,
//! plaits) hold them fresh, chilled, frozen, dried or simply processed;
//! the chapters of preparations (15 fats and oils, 16 meat and fish
//! preparations, 19 cereal preparations, 20 vegetable and fruit
//! preparations, 21 miscellaneous preparations, 22 beverages) hold what
//! was made of them (Note 1 (a) to chapter 20: vegetables and fruit
//! prepared by the processes of chapters 7 and 8 stay there; Note 1 to
//! chapter 16: so do meat and fish prepared by the processes of chapters
//! 2 and 3). When one subheading of the produce chapters names every word
//! of the description ("oranges", "fresh tomatoes", "coffee"), the
//! description says no preparation, and a candidate of a preparations
//! chapter weighs less ("oranges" is not orange juice, "tomatoes" not
//! tomatoes prepared or preserved). A candidate an alias phrase names is
//! left alone.

use super::super::RankError;
use super::super::understand::Query;
use super::{Candidates, Cx, Feature, Signal, word_terms};

/// See the module doc.
pub struct PreparedUnstated {
    /// Factor taken off such a candidate (0: off).
    pub penalty: f32,
}

/// A chapter of produce: goods in their natural or simply processed state.
fn produce(ch: u8) -> bool {
    (1..=14).contains(&ch)
}

/// A chapter of preparations made of produce.
fn preparations(ch: u8) -> bool {
    matches!(ch, 15 | 16 | 19 | 20 | 21 | 22)
}

impl Signal for PreparedUnstated {
    fn name(&self) -> &'static str {
        Feature::PreparedUnstated.name()
    }

    fn score(&self, q: &Query, cands: &mut Candidates, cx: &mut Cx<'_>) -> Result<(), RankError> {
        // Only a preparations chapter's candidate an alias does not name can
        // be weighed: without one, the words' sets are not read.
        let weighable = |f: &super::Features, id| {
            preparations(cx.tree.chapter_of(id)) && f.get(Feature::Alias) <= 0.0
        };
        if self.penalty <= 0.0 || !cands.iter().any(|(id, f)| weighable(f, id)) {
            return Ok(());
        }
        let mut sets = Vec::new();
        for (_, terms) in word_terms(q, true) {
            sets.push(cx.naming.naming(&terms)?);
        }
        let Some(fewest) = sets.iter().min_by_key(|s| s.len()) else {
            return Ok(());
        };
        let plain = fewest
            .iter()
            .any(|id| produce(cx.tree.chapter_of(id)) && sets.iter().all(|s| s.contains(&id)));
        if !plain {
            return Ok(());
        }
        for (id, f) in cands.iter_mut() {
            if weighable(f, id) {
                f.set(Feature::PreparedUnstated, 1.0 - self.penalty);
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
            &PreparedUnstated { penalty: 0.4 },
            Feature::PreparedUnstated,
            text,
            sub,
        )
    }

    #[test]
    fn produce_named_plainly_is_not_a_preparation() {
        let fx = Fixture::new();
        assert!((factor(&fx, "oranges", "200911") - 0.6).abs() < 1e-6);
        // The produce itself is untouched.
        assert_eq!(factor(&fx, "oranges", "080510"), 1.0);
    }

    #[test]
    fn a_word_no_produce_subheading_names_says_the_preparation() {
        let fx = Fixture::new();
        assert_eq!(factor(&fx, "orange juice", "200911"), 1.0);
    }
}
