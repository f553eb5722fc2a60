//! Signal `chemistry`: a description that reads as an organic chemical name
//! points to the chapter 29 heading of its functions (see [`crate::chem`]),
//! when the text search already looks among chemicals (chapters 28, 29 or
//! 38 among the ten best so far). Nominates that heading's subheadings.

use super::super::RankError;
use super::super::understand::Query;
use super::{Candidates, Cx, Feature, Signal};

/// See the module doc.
pub struct Chemistry {
    /// Bonus, as a share of the best text score.
    pub weight: f32,
}

impl Signal for Chemistry {
    fn name(&self) -> &'static str {
        Feature::Chemistry.name()
    }

    fn nominate(
        &self,
        q: &Query,
        cands: &mut Candidates,
        cx: &mut Cx<'_>,
    ) -> Result<(), RankError> {
        if self.weight <= 0.0 {
            return Ok(());
        }
        let Some(h) = crate::chem::heading(&q.text) else {
            return Ok(());
        };
        let Some(heading) = cx.tree.get_digits(&h) else {
            return Ok(());
        };
        let tree = cx.tree;
        let best_text = cands
            .iter()
            .map(|(_, f)| f.get(Feature::Text))
            .fold(0.0f32, f32::max);
        let mut best: Vec<(f32, u8)> = cands
            .map_order()
            .into_iter()
            .map(|i| {
                let f = &cands.features[i];
                (
                    f.get(Feature::Text) + f.get(Feature::Alias),
                    tree.chapter_of(cands.ids[i]),
                )
            })
            .collect();
        best.sort_by(|a, b| b.0.total_cmp(&a.0));
        if best
            .iter()
            .take(10)
            .any(|(_, ch)| matches!(ch, 28 | 29 | 38))
        {
            let bonus = self.weight * best_text.max(1.0);
            for d in tree.subheadings(heading.id) {
                cands.entry(d.id).add(Feature::Chemistry, bonus);
            }
        }
        Ok(())
    }

    fn score(&self, _q: &Query, _c: &mut Candidates, _cx: &mut Cx<'_>) -> Result<(), RankError> {
        // Written while nominating.
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use super::*;

    fn run(fx: &Fixture, text: &str, seed: &str) -> Candidates {
        let q = fx.query(text);
        let mut c = Candidates::default();
        c.entry(fx.id(seed)).set(Feature::Text, 3.0);
        Chemistry { weight: 1.5 }
            .nominate(&q, &mut c, &mut fx.cx().cx())
            .unwrap();
        c
    }

    #[test]
    fn an_amino_acid_goes_to_the_amino_compounds() {
        let fx = Fixture::new();
        let mut c = run(&fx, "4-aminobenzoic acid", "291521");
        assert!((c.entry(fx.id("292211")).get(Feature::Chemistry) - 4.5).abs() < 1e-4);
    }

    #[test]
    fn not_when_the_search_looks_elsewhere() {
        let fx = Fixture::new();
        let c = run(&fx, "4-aminobenzoic acid", "610910");
        assert_eq!(c.len(), 1);
    }
}
