//! A small code tree for the signals' unit tests: a few chapters,
//! headings and subheadings written as the nomenclature writes them, a
//! few alias phrases, and queries understood without an index.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::tokenizer::TextAnalyzer;

use crate::code::Code;
use crate::index::{analyze, analyzer};
use crate::text::read_query;
use crate::tree::{Level, NodeId, Tree};

use super::super::repair::Vocab;
use super::super::understand::Query;
use super::super::{Prepared, RankError, Understood};
use super::{Candidates, Cx, Feature, Naming, NodeSet, Signal};

/// (code, text) in tree order; the level comes from the code's length.
const NODES: &[(&str, &str)] = &[
    ("01", "Live animals"),
    (
        "0105",
        "Poultry; live, fowls of the species Gallus domesticus, ducks, geese, turkeys and guinea fowls",
    ),
    ("010594", "Fowls of the species Gallus domesticus"),
    ("02", "Meat and edible meat offal"),
    (
        "0207",
        "Meat and edible offal of the poultry of heading 01.05, fresh, chilled or frozen",
    ),
    (
        "020714",
        "Of fowls of the species Gallus domesticus: cuts and offal, frozen",
    ),
    (
        "08",
        "Edible fruit and nuts; peel of citrus fruit or melons",
    ),
    ("0805", "Citrus fruit, fresh or dried"),
    ("080510", "Oranges"),
    ("09", "Coffee, tea, maté and spices"),
    ("0902", "Tea, whether or not flavoured"),
    (
        "090230",
        "Black tea (fermented) and partly fermented tea, in immediate packings of a content not exceeding 3 kg",
    ),
    (
        "20",
        "Preparations of vegetables, fruit, nuts or other parts of plants",
    ),
    (
        "2009",
        "Fruit or nut juices (including grape must and coconut water) and vegetable juices, unfermented and not containing added spirit",
    ),
    ("200911", "Orange juice: frozen"),
    ("29", "Organic chemicals"),
    (
        "2915",
        "Saturated acyclic monocarboxylic acids and their anhydrides",
    ),
    ("291521", "Acetic acid"),
    ("2922", "Oxygen-function amino-compounds"),
    ("292211", "Monoethanolamine and its salts"),
    (
        "36",
        "Explosives; pyrotechnic products; matches; pyrophoric alloys; certain combustible preparations",
    ),
    (
        "3603",
        "Safety fuses; detonating cords; percussion or detonating caps; igniters; electric detonators",
    ),
    ("360300", "Percussion caps; detonating caps"),
    ("38", "Miscellaneous chemical products"),
    (
        "3802",
        "Activated carbon; activated natural mineral products; animal black, including spent animal black",
    ),
    ("380290", "Other"),
    ("39", "Plastics and articles thereof"),
    (
        "3904",
        "Polymers of vinyl chloride or of other halogenated olefins, in primary forms",
    ),
    (
        "390410",
        "Poly(vinyl chloride), not mixed with any other substances",
    ),
    (
        "3918",
        "Floor coverings of plastics, in rolls or in the form of tiles",
    ),
    ("391810", "Of polymers of vinyl chloride"),
    ("42", "Articles of leather; handbags and similar containers"),
    (
        "4202",
        "Trunks; suit, camera, jewellery, cutlery cases; travel, tool, similar bags; wholly or mainly covered by leather, composition leather, plastic sheeting, textile materials, vulcanised fibre, paperboard",
    ),
    (
        "420221",
        "Handbags, with outer surface of leather or of composition leather",
    ),
    (
        "420222",
        "Handbags, with outer surface of sheeting of plastics or of textile materials",
    ),
    ("52", "Cotton"),
    ("5208", "Cotton fabrics, woven"),
    ("520811", "Plain weave, weighing not more than 100 g/m2"),
    (
        "61",
        "Articles of apparel and clothing accessories, knitted or crocheted",
    ),
    (
        "6102",
        "Coats; women's or girls' overcoats, car-coats, capes, cloaks, anoraks, ski-jackets, wind-cheaters, wind-jackets and similar articles, knitted or crocheted, other than those of heading no. 6104",
    ),
    (
        "610210",
        "Coats; women's or girls' overcoats, car-coats, capes, anoraks, wind-jackets and similar articles, of wool or fine animal hair, knitted or crocheted (excluding those of heading no. 6104)",
    ),
    (
        "610220",
        "Coats; women's or girls' overcoats, car-coats, capes, anoraks, wind-jackets and similar articles, of cotton, knitted or crocheted (excluding those of heading no. 6104)",
    ),
    (
        "610290",
        "Coats; women's or girls' overcoats, car-coats, capes, anoraks, wind-jackets and similar articles, of textile materials n.e.c. in heading no. 6102, knitted or crocheted (excluding those of heading no. 6104)",
    ),
    (
        "6103",
        "Men's or boys' suits, ensembles, jackets, trousers, knitted or crocheted",
    ),
    (
        "610342",
        "Trousers; men's or boys', knitted or crocheted: of cotton",
    ),
    (
        "6104",
        "Women's or girls' suits, ensembles, dresses, skirts, knitted or crocheted",
    ),
    (
        "610441",
        "Dresses; women's or girls', knitted or crocheted: of wool or fine animal hair",
    ),
    (
        "610442",
        "Dresses; women's or girls', knitted or crocheted: of cotton",
    ),
    (
        "610443",
        "Dresses; women's or girls', knitted or crocheted: of synthetic fibres",
    ),
    (
        "6109",
        "T-shirts, singlets and other vests, knitted or crocheted",
    ),
    ("610910", "Of cotton"),
    ("610990", "Of other textile materials"),
    (
        "6110",
        "Jerseys, pullovers, cardigans, waistcoats and similar articles, knitted or crocheted",
    ),
    ("611011", "Of wool"),
    ("611020", "Of cotton"),
    (
        "611090",
        "Of textile materials (other than wool or fine animal hair, cotton or man-made fibres)",
    ),
    (
        "6111",
        "Babies' garments and clothing accessories, knitted or crocheted",
    ),
    ("611120", "Of cotton"),
    (
        "62",
        "Articles of apparel and clothing accessories, not knitted or crocheted",
    ),
    ("6205", "Men's or boys' shirts"),
    ("620520", "Shirts; men's or boys': of cotton"),
    (
        "620590",
        "Shirts; men's or boys', of textile materials n.e.c. in heading no. 6205 (not knitted or crocheted)",
    ),
    (
        "63",
        "Other made up textile articles; sets; worn clothing and worn textile articles; rags",
    ),
    ("6301", "Blankets and travelling rugs"),
    ("630110", "Electric blankets"),
    (
        "630120",
        "Blankets (other than electric blankets) and travelling rugs, of wool or of fine animal hair",
    ),
    (
        "64",
        "Footwear, gaiters and the like; parts of such articles",
    ),
    (
        "6402",
        "Footwear; with outer soles and uppers of rubber or plastics (excluding waterproof footwear)",
    ),
    (
        "640299",
        "Footwear; n.e.c. in heading no. 6402, (other than just covering the ankle), with outer soles and uppers of rubber or plastics",
    ),
    (
        "6404",
        "Footwear; with outer soles of rubber, plastics, leather or composition leather and uppers of textile materials",
    ),
    (
        "640419",
        "Footwear; (other than sportswear), with outer soles of rubber or plastics and uppers of textile materials",
    ),
    (
        "640420",
        "Footwear; outer soles of leather or composition leather, uppers of textile materials",
    ),
    ("73", "Articles of iron or steel"),
    (
        "7304",
        "Tubes, pipes and hollow profiles, seamless, of iron (other than cast iron) or steel",
    ),
    (
        "730451",
        "Other, of circular cross-section, of other alloy steel (other than stainless), cold-drawn",
    ),
    (
        "84",
        "Nuclear reactors, boilers, machinery and mechanical appliances",
    ),
    (
        "8401",
        "Nuclear reactors; fuel elements (cartridges), non-irradiated, for nuclear reactors; machinery and apparatus for isotopic separation",
    ),
    ("840130", "Fuel elements (cartridges), non-irradiated"),
    (
        "8421",
        "Centrifuges, including centrifugal dryers; filtering or purifying machinery and apparatus",
    ),
    ("842111", "Centrifuges; cream separators"),
    ("842191", "Centrifuges; parts thereof"),
    ("8482", "Ball or roller bearings"),
    ("848210", "Ball bearings"),
    ("87", "Vehicles other than railway or tramway rolling stock"),
    (
        "8711",
        "Motorcycles and cycles fitted with an auxiliary motor",
    ),
    (
        "871110",
        "With reciprocating internal combustion piston engine of a cylinder capacity not exceeding 50 cc",
    ),
    (
        "871120",
        "With reciprocating internal combustion piston engine of a cylinder capacity exceeding 50 cc but not exceeding 250 cc",
    ),
    (
        "8714",
        "Parts and accessories of vehicles of headings 8711 to 8713",
    ),
    (
        "871410",
        "Parts and accessories of the motorcycles of heading 8711",
    ),
    ("871499", "Cycles; parts and accessories thereof, n.e.c."),
    ("93", "Arms and ammunition; parts and accessories thereof"),
    (
        "9306",
        "Bombs, grenades, torpedoes, mines, missiles and similar munitions of war and parts thereof; cartridges and other ammunition and projectiles and parts thereof",
    ),
    ("930621", "Cartridges for shotguns"),
    (
        "95",
        "Toys, games and sports requisites; parts and accessories thereof",
    ),
    (
        "9506",
        "Articles and equipment for general physical exercise, gymnastics, athletics, other sports or outdoor games",
    ),
    ("950662", "Balls; inflatable"),
];

/// National lines under a subheading: (subheading, indent below it, code
/// or "" for a grouping line, text).
const LINES: &[(&str, usize, &str, &str)] = &[
    ("610910", 1, "", "Men's or boys'"),
    (
        "610910",
        2,
        "6109100004",
        "T-shirts, all white, short hemmed sleeves, without pockets",
    ),
    ("610910", 2, "6109100007", "Other T-shirts"),
    ("610910", 2, "6109100011", "Singlets and tank tops"),
    ("610910", 2, "6109100018", "Underwear"),
    ("610910", 1, "", "Women's or girls'"),
    ("610910", 2, "6109100040", "T-shirts"),
    ("610910", 2, "6109100045", "Tank tops and singlets"),
    ("610910", 2, "6109100060", "Other"),
];

const ALIASES: &[(&str, &str)] = &[
    ("hoodie", "611020"),
    ("tank top", "610990"),
    ("pvc resin", "390410"),
    ("dress", "610441"),
    ("cotton dress", "610442"),
    ("dress cotton", "610443"),
];

pub struct Fixture {
    pub tree: Tree,
    pub prep: Prepared,
}

impl Fixture {
    pub fn new() -> Fixture {
        let mut tree = Tree::new();
        let mut last: HashMap<usize, NodeId> = HashMap::new();
        for (code, text) in NODES {
            let (level, parent) = match code.len() {
                2 => (Level::Chapter, Tree::ROOT),
                4 => (Level::Heading, last[&2]),
                _ => (Level::Subheading, last[&4]),
            };
            let id = tree.add(
                parent,
                level,
                Some(Code::parse(code).unwrap()),
                1,
                text.to_string(),
            );
            last.insert(code.len(), id);
        }
        let mut indent: Vec<NodeId> = Vec::new();
        for (sub, depth, code, text) in LINES {
            if *depth == 1 {
                indent = vec![tree.get_digits(sub).unwrap().id];
            }
            indent.truncate(*depth);
            let parent = indent[depth - 1];
            let (level, code) = match code.len() {
                0 => (Level::Group, None),
                8 => (Level::TariffLine, Some(Code::parse(code).unwrap())),
                _ => (Level::StatisticalLine, Some(Code::parse(code).unwrap())),
            };
            indent.push(tree.add(parent, level, code, 1, text.to_string()));
        }
        let aliases: Vec<(&str, NodeId)> = ALIASES
            .iter()
            .map(|(p, c)| (*p, tree.get_digits(c).unwrap().id))
            .collect();
        let prep = Prepared::from_parts(&tree, aliases, Vec::new(), Vocab::new(&HashMap::new()));
        Fixture { tree, prep }
    }

    pub fn id(&self, digits: &str) -> NodeId {
        self.tree.get_digits(digits).unwrap().id
    }

    /// The query as understood without an index: each word's own terms.
    pub fn query(&self, text: &str) -> Query {
        let mut an = analyzer();
        let (words, brands) = read_query(text);
        let terms = words
            .iter()
            .map(|w| (w.word.clone(), None, analyze(&mut an, &w.word), w.weight))
            .collect();
        Query::new(
            text,
            Understood {
                words,
                terms,
                brands,
                expansions: Vec::new(),
                reading: crate::lang::Reading::english(),
                dropped: Vec::new(),
                components: crate::text::with_clause_words(&crate::text::normalize(text)),
            },
        )
    }

    /// The feature `feature` that `signal` writes for `sub`, the one
    /// candidate of the query `text`.
    pub fn feature_of(&self, signal: &dyn Signal, feature: Feature, text: &str, sub: &str) -> f32 {
        let q = self.query(text);
        let mut c = Candidates::default();
        c.entry(self.id(sub));
        signal.score(&q, &mut c, &mut self.cx().cx()).unwrap();
        c.entry(self.id(sub)).get(feature)
    }

    /// The scratch a signal needs.
    pub fn cx(&self) -> Scratch<'_> {
        Scratch {
            fx: self,
            analyzer: analyzer(),
            naming: TreeNaming { fx: self },
        }
    }
}

pub struct Scratch<'a> {
    fx: &'a Fixture,
    analyzer: TextAnalyzer,
    naming: TreeNaming<'a>,
}

impl Scratch<'_> {
    pub fn cx(&mut self) -> Cx<'_> {
        Cx {
            tree: &self.fx.tree,
            prep: &self.fx.prep,
            analyzer: &mut self.analyzer,
            naming: &mut self.naming,
        }
    }
}

/// Subheadings whose own, heading or alias texts hold a term.
struct TreeNaming<'a> {
    fx: &'a Fixture,
}

impl Naming for TreeNaming<'_> {
    fn naming(&mut self, terms: &[&String]) -> Result<Arc<NodeSet>, RankError> {
        let mut an = analyzer();
        let fx = self.fx;
        let mut out = Vec::new();
        for n in fx.tree.nodes().filter(|n| n.level == Level::Subheading) {
            let mut texts = fx.prep.terms(&mut an, &fx.tree, n.id).to_vec();
            if let Some(p) = n.parent {
                texts.extend_from_slice(fx.prep.terms(&mut an, &fx.tree, p));
            }
            for &i in fx
                .prep
                .alias_by_sub
                .get(&n.id)
                .map_or(&[][..], Vec::as_slice)
            {
                texts.extend(fx.prep.aliases[i as usize].terms.iter().cloned());
            }
            if terms.iter().any(|t| texts.contains(t)) {
                out.push(n.id);
            }
        }
        Ok(Arc::new(out.into_iter().collect()))
    }
}
