//! Signal `quantity`: a stated quantity (engine capacity, power) chooses
//! among siblings whose texts set ranges on it ("exceeding 50 cc but not
//! exceeding 250 cc").

use super::super::RankError;
use super::super::understand::Query;
use super::{Candidates, Cx, Feature, Signal};

/// See the module doc.
pub struct Quantity {
    /// Factor added to (taken from) a candidate whose range holds (misses)
    /// the stated quantity.
    pub fit: f32,
}

impl Signal for Quantity {
    fn name(&self) -> &'static str {
        Feature::Quantity.name()
    }

    fn score(&self, q: &Query, cands: &mut Candidates, cx: &mut Cx<'_>) -> Result<(), RankError> {
        if q.quantities.is_empty() {
            return Ok(());
        }
        for (id, f) in cands.iter_mut() {
            let mut fits = None;
            for r in cx.prep.ranges(cx.tree, id) {
                for &(unit, v) in &q.quantities {
                    if r.unit == unit {
                        fits = Some(fits.unwrap_or(true) && r.contains(v));
                    }
                }
            }
            match fits {
                Some(true) => f.set(Feature::Quantity, 1.0 + self.fit),
                Some(false) => f.set(Feature::Quantity, 1.0 - self.fit),
                None => {}
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
    fn the_range_holding_the_stated_capacity_wins() {
        let fx = Fixture::new();
        let q = fx.query("motorcycle 125cc");
        let mut c = Candidates::default();
        for s in ["871110", "871120", "610910"] {
            c.entry(fx.id(s));
        }
        Quantity { fit: 0.5 }
            .score(&q, &mut c, &mut fx.cx().cx())
            .unwrap();
        assert_eq!(c.entry(fx.id("871120")).get(Feature::Quantity), 1.5);
        assert_eq!(c.entry(fx.id("871110")).get(Feature::Quantity), 0.5);
        assert_eq!(c.entry(fx.id("610910")).get(Feature::Quantity), 1.0);
    }
}
