//! Signal `process`: how the goods are made, where the HS splits chapters
//! on it ("knitted" favours chapter 61 and disfavours 62;
//! `hs-data/processes.csv`). A garment whose construction the query does
//! not state is read as woven where chapter 62 has the same garments (suits,
//! jackets, trousers, dresses, skirts, shirts, blouses: most are woven), so
//! those headings of chapter 61 weigh a little less; the knitted-only ones
//! (T-shirts 61.09, jerseys and pullovers 61.10, hosiery 61.15) do not.

use super::super::RankError;
use super::super::understand::Query;
use super::{Candidates, Cx, Feature, Signal};

/// See the module doc.
pub struct Process {
    /// Factor up for a favoured chapter.
    pub boost: f32,
    /// Factor down for a disfavoured chapter.
    pub penalty: f32,
    /// Factor down for a chapter 61 heading with a woven counterpart in
    /// chapter 62 when the query states no construction.
    pub unstated_knit: f32,
}

/// Chapter 61 headings whose garments chapter 62 also has (61.01-61.08
/// with 62.01-62.08; babies' garments 61.11 with 62.09; track suits and
/// swimwear 61.12 with 62.11; coated garments 61.13 with 62.10; other
/// garments 61.14 with 62.11; gloves 61.16 with 62.16; accessories 61.17
/// with 62.17).
const WOVEN_TOO: [&str; 14] = [
    "6101", "6102", "6103", "6104", "6105", "6106", "6107", "6108", "6111", "6112", "6113", "6114",
    "6116", "6117",
];

/// Whether the chapters a query favours or disfavours say how garments are
/// made (knitted or woven).
fn construction_stated(q: &Query) -> bool {
    q.favour
        .iter()
        .chain(&q.disfavour)
        .any(|c| matches!(c, 61 | 62))
}

impl Signal for Process {
    fn name(&self) -> &'static str {
        Feature::Process.name()
    }

    fn score(&self, q: &Query, cands: &mut Candidates, cx: &mut Cx<'_>) -> Result<(), RankError> {
        let unstated = !construction_stated(q) && self.unstated_knit > 0.0;
        if q.favour.is_empty() && q.disfavour.is_empty() && !unstated {
            return Ok(());
        }
        for (id, f) in cands.iter_mut() {
            let ch = cx.tree.chapter_of(id);
            if unstated && ch == 61 {
                let woven_too = cx
                    .tree
                    .heading_digits_of(id)
                    .is_some_and(|h| WOVEN_TOO.contains(&h));
                if woven_too {
                    f.set(Feature::Process, 1.0 - self.unstated_knit);
                }
            } else if q.favour.contains(&ch) {
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
            unstated_knit: 0.15,
        }
        .score(&q, &mut c, &mut fx.cx().cx())
        .unwrap();
        assert_eq!(c.entry(fx.id("610910")).get(Feature::Process), 1.15);
        assert_eq!(c.entry(fx.id("620520")).get(Feature::Process), 0.7);
        assert_eq!(c.entry(fx.id("391810")).get(Feature::Process), 1.0);
    }

    #[test]
    fn an_unstated_construction_reads_as_woven_where_both_exist() {
        let fx = Fixture::new();
        let s = Process {
            boost: 0.15,
            penalty: 0.3,
            unstated_knit: 0.15,
        };
        let mut c = Candidates::default();
        for d in ["610442", "610910", "620520"] {
            c.entry(fx.id(d));
        }
        s.score(&fx.query("cotton dress"), &mut c, &mut fx.cx().cx())
            .unwrap();
        // 61.04 has woven twins in 62.04; T-shirts (61.09) are knitted only.
        assert_eq!(c.entry(fx.id("610442")).get(Feature::Process), 0.85);
        assert_eq!(c.entry(fx.id("610910")).get(Feature::Process), 1.0);
        assert_eq!(c.entry(fx.id("620520")).get(Feature::Process), 1.0);
        // Stated, the process words decide alone.
        let mut c = Candidates::default();
        c.entry(fx.id("610442"));
        s.score(&fx.query("knitted cotton dress"), &mut c, &mut fx.cx().cx())
            .unwrap();
        assert_eq!(c.entry(fx.id("610442")).get(Feature::Process), 1.15);
    }
}
