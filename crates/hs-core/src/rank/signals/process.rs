//! Signal `process`: how the goods are made, where the HS splits chapters
//! on it ("knitted" favours chapter 61 and disfavours 62;
//! `hs-data/processes.csv`).

use super::super::RankError;
use super::super::understand::Query;
use super::{Candidates, Cx, Feature, Signal};

/// See the module doc.
pub struct Process {
    /// Factor up for a favoured chapter.
    pub boost: f32,
    /// Factor down for a disfavoured chapter.
    pub penalty: f32,
}

impl Signal for Process {
    fn name(&self) -> &'static str {
        Feature::Process.name()
    }

    fn score(&self, q: &Query, cands: &mut Candidates, cx: &mut Cx<'_>) -> Result<(), RankError> {
        if q.favour.is_empty() && q.disfavour.is_empty() {
            return Ok(());
        }
        for (id, f) in cands.iter_mut() {
            let ch = cx.tree.chapter_of(id);
            if q.favour.contains(&ch) {
                f.set(Feature::Process, 1.0 + self.boost);
            } else if q.disfavour.contains(&ch) {
                f.set(Feature::Process, 1.0 - self.penalty);
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
    fn knitted_favours_61_over_62() {
        let fx = Fixture::new();
        let q = fx.query("knitted cotton shirt");
        let mut c = Candidates::default();
        for s in ["610910", "620520", "391810"] {
            c.entry(fx.id(s));
        }
        Process {
            boost: 0.15,
            penalty: 0.3,
        }
        .score(&q, &mut c, &mut fx.cx().cx())
        .unwrap();
        assert_eq!(c.entry(fx.id("610910")).get(Feature::Process), 1.15);
        assert_eq!(c.entry(fx.id("620520")).get(Feature::Process), 0.7);
        assert_eq!(c.entry(fx.id("391810")).get(Feature::Process), 1.0);
    }
}
