//! Signal `quantity`: a stated quantity (engine capacity, power) chooses
//! among siblings whose texts set ranges on it ("exceeding 50 cc but not
//! exceeding 250 cc"); a stated cylinder capacity also says the goods have
//! an engine, so goods whose texts name neither an engine, a motor, nor
//! self-propulsion, nor any range of capacity or power, lose ("SCOOTER CC:
//! 100" is not a toy scooter).

use crate::index::analyze;
use crate::tree::{Level, NodeId};

use super::super::RankError;
use super::super::understand::Query;
use super::{Candidates, Cx, Feature, Signal};

/// See the module doc.
pub struct Quantity {
    /// Factor added to (taken from) a candidate whose range holds (misses)
    /// the stated quantity.
    pub fit: f32,
    /// Factor taken from a candidate without an engine when the query
    /// states an engine's capacity ([`Query::engine`]).
    pub unpowered: f32,
}

impl Signal for Quantity {
    fn name(&self) -> &'static str {
        Feature::Quantity.name()
    }

    fn score(&self, q: &Query, cands: &mut Candidates, cx: &mut Cx<'_>) -> Result<(), RankError> {
        if q.quantities.is_empty() {
            return Ok(());
        }
        let engine = q.engine;
        let power = if engine {
            analyze(cx.analyzer, POWER_WORDS)
        } else {
            Vec::new()
        };
        for (id, f) in cands.iter_mut() {
            if engine && !powered(cx, id, &power) {
                f.set(Feature::Quantity, 1.0 - self.unpowered);
                continue;
            }
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

/// Words of a text saying its goods have an engine.
const POWER_WORDS: &str = "engine motor propelled tractors";

/// Whether the texts of `id` or of its ancestors up to its heading name an
/// engine or a motor (`power`: analyzed [`POWER_WORDS`]) or set a range of
/// capacity or power.
fn powered(cx: &mut Cx<'_>, id: NodeId, power: &[String]) -> bool {
    let mut at = Some(id);
    while let Some(n) = at {
        let node = cx.tree.node(n);
        if !cx.prep.ranges(cx.tree, n).is_empty()
            || cx
                .prep
                .terms(cx.analyzer, cx.tree, n)
                .iter()
                .any(|t| power.contains(t))
        {
            return true;
        }
        if matches!(
            node.level,
            Level::Heading | Level::Chapter | Level::Section | Level::Root
        ) {
            return false;
        }
        at = node.parent;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use super::*;

    /// The quantity signal's features for `subs` under the query `text`.
    fn run(fx: &Fixture, text: &str, subs: &[&str]) -> Candidates {
        let q = fx.query(text);
        let mut c = Candidates::default();
        for s in subs {
            c.entry(fx.id(s));
        }
        Quantity {
            fit: 0.5,
            unpowered: 0.75,
        }
        .score(&q, &mut c, &mut fx.cx().cx())
        .unwrap();
        c
    }

    #[test]
    fn a_stated_engine_weighs_down_goods_without_one() {
        let fx = Fixture::new();
        assert!(fx.query("scooter CC: 100").engine);
        let mut c = run(&fx, "scooter CC: 100", &["871120", "871110", "950662"]);
        assert_eq!(c.entry(fx.id("871120")).get(Feature::Quantity), 1.5);
        assert_eq!(c.entry(fx.id("871110")).get(Feature::Quantity), 0.5);
        assert_eq!(c.entry(fx.id("950662")).get(Feature::Quantity), 0.25);
        // A capacity after its number may be a volume: no engine read.
        assert!(!fx.query("syringe 50cc").engine);
    }

    #[test]
    fn the_range_holding_the_stated_capacity_wins() {
        let fx = Fixture::new();
        let mut c = run(&fx, "motorcycle 125cc", &["871110", "871120", "610910"]);
        assert_eq!(c.entry(fx.id("871120")).get(Feature::Quantity), 1.5);
        assert_eq!(c.entry(fx.id("871110")).get(Feature::Quantity), 0.5);
        assert_eq!(c.entry(fx.id("610910")).get(Feature::Quantity), 1.0);
    }
}
