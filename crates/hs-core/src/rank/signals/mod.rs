//! Stage 3, signals: small named units, each reading the query and the
//! candidate set and writing its contribution per candidate into that
//! candidate's feature vector. A signal may also nominate candidates the
//! text search did not fetch (an alias phrase's subheading). How the
//! features become one score is the combiner's business
//! ([`super::combine`]).
//!
//! Additive features hold points on the text score's scale (0 when the
//! signal has nothing to say); factor features hold a factor (1 when it has
//! nothing to say).

mod alias;
mod chemistry;
mod colour_only;
mod coverage;
mod live;
mod machine;
mod material;
mod modifier;
mod net_content;
mod parts;
mod power;
pub mod precedents;
mod prepared;
mod process;
mod quantity;
mod rare_goods;
mod raw_form;
mod sex;

#[cfg(test)]
pub(crate) mod fixture;

use std::sync::Arc;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::TextAnalyzer;

use crate::tree::{NodeId, Tree};

use super::understand::Query;
use super::{Prepared, RankError, Weights};

pub use alias::AliasPhrase;
pub use chemistry::Chemistry;
pub use colour_only::ColourOnly;
pub use coverage::Coverage;
pub use live::{Live, is_live_animal};
pub use machine::{MachineFor, MachineTerms};
pub use material::{Material, MaterialClash};
pub use modifier::{HeadAsModifier, TermUses};
pub use net_content::NetContent;
pub use parts::{PartsMap, PartsOf, PartsUnstated};
pub use power::PowerRating;
pub use prepared::PreparedUnstated;
pub use process::Process;
pub use quantity::Quantity;
pub use rare_goods::RareGoods;
pub use raw_form::RawForm;
pub use sex::Sex;

/// One entry of a candidate's feature vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    /// BM25 of the weighted query over the candidate's texts (additive).
    Text,
    /// Alias phrases wholly in the query (additive).
    Alias,
    /// The chapter 29 heading of a chemical name's functions (additive).
    Chemistry,
    /// A stated quantity inside or outside the candidate's range (factor).
    Quantity,
    /// The candidate's chapter is a named material's, or another's (factor).
    Material,
    /// The candidate is set apart by a material the query does not name (factor).
    MaterialClash,
    /// A raw form of a material when the query names an article (factor).
    RawForm,
    /// The weighted share of the query's words its texts name (factor).
    Coverage,
    /// A garment for the other sex, or a men's garment of unstated sex (factor).
    Sex,
    /// A process word favours or disfavours its chapter (factor).
    Process,
    /// A live animal's subheading when the query does not say the
    /// animals are alive (factor).
    Live,
    /// A machine named by what it works on, when that is the query's
    /// goods (factor).
    MachineFor,
    /// The query's head noun named only as a modifier of other goods
    /// ("Ball bearings" for a ball) (factor).
    HeadAsModifier,
    /// The precedents' vote for the subheading (points; see
    /// [`crate::precedents::signal`]).
    Precedents,
    /// The precedents' vote for the subheading's heading (points).
    PrecedentHeading,
    /// A parts subheading of goods the description names as parts: the
    /// goods' best score (points added after the factors; see
    /// [`PartsOf`]).
    PartsOf,
    /// Arms, ammunition, explosives or nuclear fuel when the query names
    /// no such goods (factor).
    RareGoods,
    /// A parts subheading when the query names the goods themselves and
    /// does not say parts (factor).
    PartsUnstated,
    /// A candidate whose texts name only the query's colours (factor).
    ColourOnly,
    /// A preparations chapter's candidate when a produce chapter's
    /// subheading names every word of the query (factor).
    PreparedUnstated,
    /// An article's chapter when the query states a net content by mass
    /// or volume (factor).
    NetContent,
    /// A candidate of chapters 1 to 83 that does not name electricity when
    /// the query states an electrical or power rating (factor).
    PowerRating,
}

/// Number of features.
pub const FEATURES: usize = 22;

/// Every feature, in vector order.
pub const ALL: [Feature; FEATURES] = [
    Feature::Text,
    Feature::Alias,
    Feature::Chemistry,
    Feature::Quantity,
    Feature::Material,
    Feature::MaterialClash,
    Feature::RawForm,
    Feature::Coverage,
    Feature::Sex,
    Feature::Process,
    Feature::Live,
    Feature::MachineFor,
    Feature::HeadAsModifier,
    Feature::Precedents,
    Feature::PrecedentHeading,
    Feature::PartsOf,
    Feature::RareGoods,
    Feature::PartsUnstated,
    Feature::ColourOnly,
    Feature::PreparedUnstated,
    Feature::NetContent,
    Feature::PowerRating,
];

impl Feature {
    /// The name shown in explanations (`signals` in JSON).
    pub fn name(self) -> &'static str {
        match self {
            Feature::Text => "text",
            Feature::Alias => "alias",
            Feature::Chemistry => "chemistry",
            Feature::Quantity => "quantity",
            Feature::Material => "material",
            Feature::MaterialClash => "material_clash",
            Feature::RawForm => "raw_form",
            Feature::Coverage => "coverage",
            Feature::Sex => "sex",
            Feature::Process => "process",
            Feature::Live => "live",
            Feature::MachineFor => "machine_for",
            Feature::HeadAsModifier => "head_as_modifier",
            Feature::Precedents => "precedents",
            Feature::PrecedentHeading => "precedent_heading",
            Feature::PartsOf => "parts_of",
            Feature::RareGoods => "rare_goods",
            Feature::PartsUnstated => "parts_unstated",
            Feature::ColourOnly => "colour_only",
            Feature::PreparedUnstated => "prepared_unstated",
            Feature::NetContent => "net_content",
            Feature::PowerRating => "power_rating",
        }
    }

    /// True for a factor (neutral 1), false for points (neutral 0).
    pub fn is_factor(self) -> bool {
        !matches!(
            self,
            Feature::Text
                | Feature::Alias
                | Feature::Chemistry
                | Feature::Precedents
                | Feature::PrecedentHeading
                | Feature::PartsOf
        )
    }

    /// The value that says nothing.
    pub fn neutral(self) -> f32 {
        if self.is_factor() { 1.0 } else { 0.0 }
    }
}

/// A candidate's features, indexed by [`Feature`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Features(pub [f32; FEATURES]);

impl Default for Features {
    fn default() -> Self {
        let mut v = [0.0; FEATURES];
        for f in ALL {
            v[f as usize] = f.neutral();
        }
        Features(v)
    }
}

impl Features {
    pub fn get(&self, f: Feature) -> f32 {
        self.0[f as usize]
    }

    pub fn set(&mut self, f: Feature, v: f32) {
        self.0[f as usize] = v;
    }

    pub fn add(&mut self, f: Feature, v: f32) {
        self.0[f as usize] += v;
    }

    /// The features that say something, by name, in vector order.
    pub fn named(&self) -> Vec<(&'static str, f32)> {
        ALL.iter()
            .filter(|f| self.get(**f) != f.neutral())
            .map(|f| (f.name(), self.get(*f)))
            .collect()
    }
}

/// The subheadings under consideration and their features.
#[derive(Debug, Clone, Default)]
pub struct Candidates {
    pub ids: Vec<NodeId>,
    pub features: Vec<Features>,
    /// Node -> position; the candidates settle in this map's order (see
    /// [`Candidates::settle`]).
    pos: FxHashMap<NodeId, usize>,
}

impl Candidates {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The features of `id`, added as a new candidate when missing.
    pub fn entry(&mut self, id: NodeId) -> &mut Features {
        let i = *self.pos.entry(id).or_insert_with(|| {
            self.ids.push(id);
            self.features.push(Features::default());
            self.ids.len() - 1
        });
        &mut self.features[i]
    }

    /// Candidates and their features.
    pub fn iter(&self) -> impl Iterator<Item = (NodeId, &Features)> {
        self.ids.iter().copied().zip(&self.features)
    }

    /// Candidates and their features, to write.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (NodeId, &mut Features)> {
        self.ids.iter().copied().zip(&mut self.features)
    }

    /// Positions in the order of the position map.
    pub fn map_order(&self) -> Vec<usize> {
        self.pos.values().copied().collect()
    }

    /// Candidates in the order of the position map (deterministic: the
    /// same nominations give the same order), once nominations are over.
    /// Order matters only to floating-point sums over candidates.
    pub fn settle(&mut self) {
        let order = self.map_order();
        self.ids = order.iter().map(|&i| self.ids[i]).collect();
        self.features = order.iter().map(|&i| self.features[i]).collect();
        for (i, id) in self.ids.iter().enumerate() {
            self.pos.insert(*id, i);
        }
    }
}

/// Each understood word of the query that has terms (not a synonym's
/// entry): its weight and its terms, with the terms of its synonyms (the
/// entry `word~`) when `synonyms`.
pub(crate) fn word_terms(q: &Query, synonyms: bool) -> Vec<(f32, Vec<&String>)> {
    let terms = &q.understood.terms;
    terms
        .iter()
        .filter(|(w, _, t, _)| !w.ends_with('~') && !t.is_empty())
        .map(|(w, _, t, wt)| {
            let mut all: Vec<&String> = t.iter().collect();
            if synonyms {
                let syn = format!("{w}~");
                // A pair's expansion ("wheel chair~": wheelchair) names
                // each of its words.
                let in_pair = |x: &str| {
                    x.strip_suffix('~')
                        .and_then(|p| p.split_once(' '))
                        .is_some_and(|(a, b)| a == w || b == w)
                };
                all.extend(
                    terms
                        .iter()
                        .filter(|(x, ..)| *x == syn || in_pair(x))
                        .flat_map(|(_, _, t, _)| t),
                );
            }
            (*wt, all)
        })
        .collect()
}

/// Which subheadings' texts that name goods (their own, their heading's,
/// their lines', their aliases) hold one of some terms: the index answers
/// in a search, a fixture in tests.
pub trait Naming {
    fn naming(&mut self, terms: &[&String]) -> Result<Arc<NodeSet>, RankError>;
}

/// A set of nodes, sorted: what [`Naming`] answers (compact, as a ranker
/// remembers many).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeSet(Box<[NodeId]>);

impl NodeSet {
    pub fn contains(&self, id: &NodeId) -> bool {
        self.0.binary_search(id).is_ok()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The nodes, in order.
    pub fn iter(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.0.iter().copied()
    }
}

impl FromIterator<NodeId> for NodeSet {
    fn from_iter<I: IntoIterator<Item = NodeId>>(iter: I) -> Self {
        let mut v: Vec<NodeId> = iter.into_iter().collect();
        v.sort_unstable();
        v.dedup();
        NodeSet(v.into_boxed_slice())
    }
}

/// What a signal may read: the code tree, the shared preparations, the
/// ranker's analyser, and a way to ask which subheadings name some words.
pub struct Cx<'a> {
    pub tree: &'a Tree,
    pub prep: &'a Prepared,
    pub analyzer: &'a mut TextAnalyzer,
    pub naming: &'a mut dyn Naming,
}

/// A unit of evidence: reads the query and the candidates, writes its
/// feature. Precedents and other evidence plug in the same way.
pub trait Signal {
    /// The name shown in explanations.
    fn name(&self) -> &'static str;
    /// Adds candidates this signal knows of (default: none).
    fn nominate(
        &self,
        _q: &Query,
        _cands: &mut Candidates,
        _cx: &mut Cx<'_>,
    ) -> Result<(), RankError> {
        Ok(())
    }
    /// Writes this signal's feature for every candidate.
    fn score(&self, q: &Query, cands: &mut Candidates, cx: &mut Cx<'_>) -> Result<(), RankError>;
}

/// The signals that nominate candidates, in the order they run (the alias
/// bonus sees only the text scores; chemistry sees both).
pub fn nominating(w: &Weights) -> [Box<dyn Signal>; 2] {
    [
        Box::new(AliasPhrase {
            weight: w.alias_phrase,
            material_clash: w.alias_material_clash,
        }),
        Box::new(Chemistry {
            weight: w.chemistry,
        }),
    ]
}

/// The signals that only score, in the order they run.
pub fn scoring(w: &Weights) -> [Box<dyn Signal>; 16] {
    [
        Box::new(Quantity {
            fit: w.quantity_fit,
            unpowered: w.unpowered_penalty,
        }),
        Box::new(Material {
            boost: w.material_boost,
            penalty: w.material_penalty,
        }),
        Box::new(MaterialClash {
            weight: w.material_clash,
        }),
        Box::new(RawForm {
            penalty: w.raw_form_penalty,
        }),
        Box::new(Coverage {
            power: w.coverage,
            synonyms: w.coverage_synonyms,
        }),
        Box::new(Sex {
            unstated: w.unstated_gender,
            clash: w.gender_clash,
        }),
        Box::new(Process {
            boost: w.process_boost,
            penalty: w.process_penalty,
            unstated_knit: w.unstated_knit_penalty,
        }),
        Box::new(Live {
            penalty: w.live_penalty,
        }),
        Box::new(RareGoods {
            penalty: w.rare_goods_penalty,
        }),
        Box::new(PartsUnstated {
            penalty: w.parts_unstated_penalty,
        }),
        Box::new(MachineFor {
            penalty: w.machine_for_penalty,
        }),
        Box::new(HeadAsModifier {
            penalty: w.head_modifier_penalty,
        }),
        Box::new(ColourOnly {
            penalty: w.colour_only_penalty,
        }),
        Box::new(PreparedUnstated {
            penalty: w.prepared_unstated_penalty,
        }),
        Box::new(NetContent {
            penalty: w.net_content_penalty,
        }),
        Box::new(PowerRating {
            penalty: w.power_rating_penalty,
        }),
    ]
}

#[cfg(test)]
mod node_set_tests {
    use super::NodeSet;

    #[test]
    fn a_node_set_holds_each_node_once_and_finds_it() {
        let s: NodeSet = [7, 3, 7, 1, 3].into_iter().collect();
        assert_eq!(s.len(), 3);
        assert!(s.contains(&1) && s.contains(&3) && s.contains(&7));
        assert!(!s.contains(&2) && !s.contains(&8));
        assert!(NodeSet::default().is_empty());
    }
}
