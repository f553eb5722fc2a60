//! Ranking rules that come from the legal texts and the project's tables,
//! checked on hand-written descriptions: brands read as their goods,
//! chemical names by their functions (Note 3 to chapter 29), stated fibre
//! shares (Note 2 to Section XI), materials among siblings, garments
//! of unstated sex (Note 9 to chapter 61, Note 8 to chapter 62), and
//! coverage (candidates naming more of the words first).

mod common;

use std::sync::OnceLock;

use hs::engine::{Engine, Options};

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        let opts = Options {
            index_dir: Some(common::test_index()),
            ..Options::default()
        };
        Engine::open(&opts).expect("engine").0
    })
}

/// The HS six digits of the first suggestion.
fn top(query: &str) -> String {
    engine()
        .search(query, 5)
        .suggestions
        .first()
        .map(|s| s.hs6.digits().to_string())
        .unwrap_or_default()
}

#[test]
fn a_brand_is_read_as_its_goods() {
    // Detergent, not anything the brand name resembles.
    assert!(
        top("persil bio 30 washes").starts_with("3402"),
        "{}",
        top("persil bio 30 washes")
    );
    // A chocolate brand lands in chapter 18.
    assert!(
        top("toblerone 360g").starts_with("18"),
        "{}",
        top("toblerone 360g")
    );
}

#[test]
fn a_chemical_name_goes_to_the_last_heading_of_its_functions() {
    // An ether-phenol: 29.09 (ethers), after 29.07 (phenols).
    assert!(
        top("4-ethoxyphenol, CAS 622-62-8").starts_with("2909"),
        "{}",
        top("4-ethoxyphenol, CAS 622-62-8")
    );
    // A pyridine ring with an amide: the heterocycle (29.33) wins.
    let q = "N-methylpyridine-3-carboxamide";
    assert!(top(q).starts_with("2933"), "{}", top(q));
}

#[test]
fn the_predominant_fibre_chooses_the_subheading() {
    // 60% wool outweighs 40% cotton.
    let q = "women's knitted cardigan, 60% wool 40% cotton";
    assert_eq!(top(q), "611011", "{q}");
    // Equal shares: the fibre whose chapter comes last (man-made, 55).
    let q = "men's knitted pullover, 50% cotton 50% acrylic";
    assert_eq!(top(q), "611030", "{q}");
}

#[test]
fn a_named_material_beats_a_sibling_of_another_material() {
    let q = "women's knitted cape of wool";
    assert_eq!(top(q), "610210", "{q}");
}

#[test]
fn garments_of_unstated_sex_go_to_the_womens_headings() {
    let t = top("denim jeans");
    assert!(t.starts_with("6204"), "{t}");
    let t = top("men's denim jeans");
    assert!(t.starts_with("6203"), "{t}");
}

#[test]
fn a_candidate_naming_every_word_beats_one_naming_the_head_alone() {
    // Salt's text names both words; vinyl chloride polymers only one.
    assert_eq!(top("sodium chloride"), "250100");
}
