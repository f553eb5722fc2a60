//! Signals `material` and `material_clash`: materials named in the query
//! favour the chapters of that material and disfavour other materials'
//! chapters (not a subheading whose own text names the material: 42.02's
//! textile handbags); a subheading set apart by a material the query does
//! not name, when the query names another ("of wool" for a cotton cape),
//! gives way to its siblings; so does one whose text excludes every
//! material the query names ("of textile materials (other than wool ...)"
//! for a wool cardigan, or "n.e.c. in heading" beside siblings of wool,
//! cotton and man-made fibres; a subheading's materials are read by
//! [`super::super::Prepared`], footwear's from its uppers). A garment whose material the query does not name is not
//! read as of wool, silk or "other textile materials", the rarer garment
//! materials: those siblings of chapters 61 and 62 give way a little to
//! cotton's and man-made fibres'.

use crate::alias::material_chapter_set;

use super::super::RankError;
use super::super::understand::Query;
use super::{Candidates, Cx, Feature, Signal};

/// See the module doc.
pub struct Material {
    /// Factor added in a named material's chapter.
    pub boost: f32,
    /// Factor taken off in another material's chapter.
    pub penalty: f32,
}

impl Signal for Material {
    fn name(&self) -> &'static str {
        Feature::Material.name()
    }

    fn score(&self, q: &Query, cands: &mut Candidates, cx: &mut Cx<'_>) -> Result<(), RankError> {
        if q.materials.is_empty() {
            return Ok(());
        }
        let all = material_chapter_set();
        for (id, f) in cands.iter_mut() {
            let ch = cx.tree.chapter_of(id);
            if q.materials.contains(&ch) {
                f.set(Feature::Material, 1.0 + self.boost);
            } else if all.contains(&ch)
                && !cx
                    .prep
                    .materials(cx.tree, id)
                    .iter()
                    .any(|c| q.materials.contains(c))
            {
                // (A subheading whose own text names the material is not
                // another material's: 42.02's "of textile materials".)
                f.set(Feature::Material, 1.0 - self.penalty);
            }
        }
        Ok(())
    }
}

/// Chapters of the rarer garment materials: silk (50), wool and fine
/// animal hair (51).
const RARE_GARMENT: [u8; 2] = [50, 51];

/// Share of [`MaterialClash::weight`] taken off a garment of a rarer
/// material when the query names none.
const UNSTATED_RARE: f32 = 0.5;

/// See the module doc.
pub struct MaterialClash {
    /// Factor taken off a subheading whose own material words name none
    /// of the query's materials, or whose exclusions name them all.
    pub weight: f32,
}

impl Signal for MaterialClash {
    fn name(&self) -> &'static str {
        Feature::MaterialClash.name()
    }

    fn score(&self, q: &Query, cands: &mut Candidates, cx: &mut Cx<'_>) -> Result<(), RankError> {
        if self.weight <= 0.0 {
            return Ok(());
        }
        if q.materials.is_empty() {
            for (id, f) in cands.iter_mut() {
                if !matches!(cx.tree.chapter_of(id), 61 | 62) {
                    continue;
                }
                let own = cx.prep.materials(cx.tree, id);
                let rare = if own.is_empty() {
                    // The remainder of other textile materials, however
                    // the text words it.
                    let text = &cx.tree.node(id).text;
                    text.contains("of textile materials (other than")
                        || text.contains("of textile materials n.e.c.")
                } else {
                    own.iter().all(|c| RARE_GARMENT.contains(c))
                };
                if rare {
                    f.set(Feature::MaterialClash, 1.0 - self.weight * UNSTATED_RARE);
                }
            }
            return Ok(());
        }
        for (id, f) in cands.iter_mut() {
            let own = cx.prep.materials(cx.tree, id);
            let clash = !own.is_empty() && !own.iter().any(|c| q.materials.contains(c));
            let excluded = cx.prep.excluded_materials(cx.tree, id);
            let excludes_all = q.materials.iter().all(|c| excluded.contains(c));
            if clash || excludes_all {
                f.set(Feature::MaterialClash, 1.0 - self.weight);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use super::*;

    fn run(fx: &Fixture, text: &str, subs: &[&str], s: &dyn Signal) -> Candidates {
        let q = fx.query(text);
        let mut c = Candidates::default();
        for d in subs {
            c.entry(fx.id(d));
        }
        s.score(&q, &mut c, &mut fx.cx().cx()).unwrap();
        c
    }

    #[test]
    fn a_named_material_favours_its_chapter() {
        let fx = Fixture::new();
        let s = Material {
            boost: 0.15,
            penalty: 0.15,
        };
        let mut c = run(&fx, "plastic tiles", &["391810", "610910"], &s);
        assert_eq!(c.entry(fx.id("391810")).get(Feature::Material), 1.15);
        // Chapter 61 is no material's chapter: untouched.
        assert_eq!(c.entry(fx.id("610910")).get(Feature::Material), 1.0);
        let mut none = run(&fx, "tiles", &["391810"], &s);
        assert_eq!(none.entry(fx.id("391810")).get(Feature::Material), 1.0);
    }

    #[test]
    fn a_subheading_naming_the_material_is_not_another_materials() {
        let fx = Fixture::new();
        let s = Material {
            boost: 0.15,
            penalty: 0.15,
        };
        // Chapter 42 is leather's; 42.02.22 holds textile handbags.
        let mut c = run(&fx, "nylon handbag", &["420221", "420222"], &s);
        assert_eq!(c.entry(fx.id("420221")).get(Feature::Material), 0.85);
        assert_eq!(c.entry(fx.id("420222")).get(Feature::Material), 1.0);
    }

    #[test]
    fn a_sibling_of_another_material_gives_way() {
        let fx = Fixture::new();
        let s = MaterialClash { weight: 0.3 };
        let mut c = run(&fx, "cotton dress", &["610442", "610443"], &s);
        assert_eq!(c.entry(fx.id("610442")).get(Feature::MaterialClash), 1.0);
        assert_eq!(c.entry(fx.id("610443")).get(Feature::MaterialClash), 0.7);
    }

    #[test]
    fn textile_materials_outside_the_textile_chapters_hold_every_fibre() {
        let fx = Fixture::new();
        let s = MaterialClash { weight: 0.3 };
        let mut c = run(&fx, "nylon handbag", &["420221", "420222"], &s);
        assert_eq!(c.entry(fx.id("420221")).get(Feature::MaterialClash), 0.7);
        assert_eq!(c.entry(fx.id("420222")).get(Feature::MaterialClash), 1.0);
        let mut c = run(&fx, "cotton handbag", &["420222"], &s);
        assert_eq!(c.entry(fx.id("420222")).get(Feature::MaterialClash), 1.0);
    }

    #[test]
    fn footwear_is_of_its_uppers_material() {
        let fx = Fixture::new();
        let s = MaterialClash { weight: 0.3 };
        // 64.04's soles may be of rubber; its uppers are textile.
        let mut c = run(&fx, "rubber slippers", &["640299", "640419"], &s);
        assert_eq!(c.entry(fx.id("640299")).get(Feature::MaterialClash), 1.0);
        assert_eq!(c.entry(fx.id("640419")).get(Feature::MaterialClash), 0.7);
        let mut c = run(&fx, "wool slippers", &["640299", "640419"], &s);
        assert_eq!(c.entry(fx.id("640299")).get(Feature::MaterialClash), 0.7);
        assert_eq!(c.entry(fx.id("640419")).get(Feature::MaterialClash), 1.0);
        // Leather soles under textile uppers: not leather footwear.
        let mut c = run(&fx, "leather slippers", &["640420"], &s);
        assert_eq!(c.entry(fx.id("640420")).get(Feature::MaterialClash), 0.7);
    }

    #[test]
    fn a_subheading_excluding_the_stated_material_gives_way() {
        let fx = Fixture::new();
        let s = MaterialClash { weight: 0.3 };
        let mut c = run(&fx, "wool cardigan", &["611011", "611090"], &s);
        assert_eq!(c.entry(fx.id("611011")).get(Feature::MaterialClash), 1.0);
        assert_eq!(c.entry(fx.id("611090")).get(Feature::MaterialClash), 0.7);
        // Silk is not excluded: the remainder subheading stays in play.
        let mut c = run(&fx, "silk cardigan", &["611090"], &s);
        assert_eq!(c.entry(fx.id("611090")).get(Feature::MaterialClash), 1.0);
        // A text naming the material outside its exclusion keeps it.
        let mut c = run(&fx, "steel tubes", &["730451"], &s);
        assert_eq!(c.entry(fx.id("730451")).get(Feature::MaterialClash), 1.0);
        // "Of textile materials n.e.c. in heading 6102" leaves out the
        // materials of 61.02's other subheadings.
        let mut c = run(&fx, "wool cape", &["610210", "610290"], &s);
        assert_eq!(c.entry(fx.id("610210")).get(Feature::MaterialClash), 1.0);
        assert_eq!(c.entry(fx.id("610290")).get(Feature::MaterialClash), 0.7);
        let mut c = run(&fx, "silk cape", &["610290"], &s);
        assert_eq!(c.entry(fx.id("610290")).get(Feature::MaterialClash), 1.0);
    }

    #[test]
    fn an_unstated_garment_material_is_not_wool() {
        let fx = Fixture::new();
        let s = MaterialClash { weight: 0.3 };
        let mut c = run(&fx, "dress", &["610441", "610442", "610443"], &s);
        assert_eq!(c.entry(fx.id("610441")).get(Feature::MaterialClash), 0.85);
        assert_eq!(c.entry(fx.id("610442")).get(Feature::MaterialClash), 1.0);
        assert_eq!(c.entry(fx.id("610443")).get(Feature::MaterialClash), 1.0);
        // The remainder worded "of textile materials n.e.c." too.
        let mut c = run(&fx, "shirt", &["620520", "620590"], &s);
        assert_eq!(c.entry(fx.id("620520")).get(Feature::MaterialClash), 1.0);
        assert_eq!(c.entry(fx.id("620590")).get(Feature::MaterialClash), 0.85);
        // Named, wool is what it is.
        let mut c = run(&fx, "wool dress", &["610441", "610442"], &s);
        assert_eq!(c.entry(fx.id("610441")).get(Feature::MaterialClash), 1.0);
        assert_eq!(c.entry(fx.id("610442")).get(Feature::MaterialClash), 0.7);
    }
}
