//! The model built from the real reference data: shape, counts and the
//! project's own tables checked against it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they set up

use hs::code::Code;
use hs::engine::{Options, load_dataset};
use hs::tree::Level;

fn ds() -> hs::load::Dataset {
    load_dataset(&Options::default()).expect("reference data at ../shared/hs-data (or HS_DATA_DIR)")
}

#[test]
fn tree_has_sections_chapters_and_us_lines() {
    let ds = ds();
    let t = &ds.tree;
    assert_eq!(t.sections().count(), 21);
    let count = |l: Level| t.nodes().filter(|n| n.level == l).count();
    assert!(count(Level::Chapter) >= 96, "{}", count(Level::Chapter));
    assert!(count(Level::Heading) >= 1220);
    assert!(count(Level::Subheading) >= 5600);
    assert!(
        count(Level::StatisticalLine) > 18_000,
        "{}",
        count(Level::StatisticalLine)
    );
    // HTS 2026 Revision 12 (3,327 in Revision 4).
    let goods_lines = t
        .nodes()
        .filter(|n| n.level == Level::TariffLine)
        .filter(|n| !hs::tree::is_special_chapter(n.code.as_ref().unwrap().chapter()))
        .count();
    assert_eq!(goods_lines, 3362, "8-digit lines outside chapters 98-99");
    assert!(
        count(Level::Group) > 4_000,
        "un-coded lines kept: {}",
        count(Level::Group)
    );
    // Every HS subheading has US lines under it, and every US line has its
    // subheading among its ancestors.
    for n in t.nodes() {
        if n.level == Level::Subheading {
            assert!(!n.children.is_empty(), "{} has no US lines", n.label());
        }
        if matches!(n.level, Level::TariffLine | Level::StatisticalLine)
            && let Some(code) = &n.code
            && !hs::tree::is_special_chapter(code.chapter())
        {
            let sub = t
                .ancestor_at(n.id, Level::Subheading)
                .expect("subheading above");
            assert_eq!(sub.code.as_ref().unwrap().digits(), &code.digits()[..6]);
        }
    }
    // Not goods: TOTAL and "not specified" codes are left out; 99 is the
    // US chapter 99 (Section XXII), not HS's "not specified".
    assert_eq!(t.get_digits("99").map(|n| n.section), Some(22));
    assert!(t.get_digits("999999").is_none());
}

#[test]
fn self_contained_text_reads_with_ancestors() {
    let ds = ds();
    let n = ds.tree.get(&Code::parse("6109.10.00.12").unwrap()).unwrap();
    assert!(
        n.full_text
            .starts_with("T-shirts, singlets and other vests; of cotton"),
        "{}",
        n.full_text
    );
    assert!(n.full_text.contains("Men's or boys'"), "{}", n.full_text);
    // A group line ("Horses:") is an interior node with its text.
    let line = ds.tree.get(&Code::parse("0101.21.00").unwrap()).unwrap();
    let groups: Vec<&str> = ds
        .tree
        .ancestors(line.id)
        .iter()
        .filter(|a| a.level == Level::Group)
        .map(|a| a.text.as_str())
        .collect();
    assert_eq!(groups, vec!["Horses"]);
}

#[test]
fn notes_and_rules_are_loaded() {
    let ds = ds();
    assert!(
        ds.notes
            .chapter(61)
            .is_some_and(|n| n.contains("knitted or crocheted"))
    );
    assert!(ds.notes.section(11).is_some());
    assert!(ds.notes.gri.contains("GENERAL RULES OF INTERPRETATION"));
    assert!(ds.notes.chapters.len() >= 96);
}

#[test]
fn every_alias_points_at_an_existing_code() {
    let ds = ds();
    let own: Vec<_> = ds.aliases.iter().filter(|a| a.source == "alias").collect();
    assert!(own.len() > 1000, "{}", own.len());
    for a in own {
        assert!(
            ds.tree.get_digits(&a.code).is_some(),
            "alias {:?} -> {} not in HS 2022",
            a.phrase,
            a.code
        );
    }
    assert!(ds.aliases.iter().filter(|a| a.source == "uk").count() > 3900);
    // No phrase twice in the project's table (the second would be dead).
    let mut seen = std::collections::HashSet::new();
    for a in ds.aliases.iter().filter(|a| a.source == "alias") {
        assert!(seen.insert(&a.phrase), "alias {:?} twice", a.phrase);
    }
}

/// The brand table: three fields a row, brands in the words a description
/// uses, goods of one to four words, no brand twice.
#[test]
fn brand_table_is_well_formed() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../hs-data/brands.csv"
    ))
    .unwrap();
    let mut seen = std::collections::HashSet::new();
    let mut rows = 0;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.is_empty() || line == "brand,goods,note" {
            continue;
        }
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        let rec = r.records().next().unwrap().unwrap();
        assert_eq!(rec.len(), 3, "line {}: {line}", i + 1);
        let brand = &rec[0];
        assert!(
            brand
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == ' '),
            "line {}: {brand:?}",
            i + 1
        );
        let goods = rec[1].split_whitespace().count();
        assert!((1..=4).contains(&goods), "line {}: {}", i + 1, &rec[1]);
        assert!(
            seen.insert(brand.to_string()),
            "line {}: {brand} twice",
            i + 1
        );
        rows += 1;
    }
    assert!(rows > 1000, "{rows}");
}

/// Every heading the chemistry table names is a chapter 29 heading of
/// HS 2022.
#[test]
fn chemistry_table_names_chapter_29_headings() {
    let ds = ds();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../hs-data/chemistry.csv"
    ))
    .unwrap();
    let mut rows = 0;
    for line in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        assert!(fields.len() >= 4, "{line}");
        assert!(matches!(fields[2], "yes" | "no"), "{line}");
        if fields[1] != "0" {
            assert!(fields[1].starts_with("29"), "{line}");
            assert!(ds.tree.get_digits(fields[1]).is_some(), "{line}");
        }
        rows += 1;
    }
    assert!(rows > 150, "{rows}");
}

/// `hs show` loads only the asked code's chapter of the US schedule: that
/// chapter must come out exactly as in the full load.
#[test]
fn one_chapter_load_matches_the_full_load_for_that_chapter() {
    use hs::engine::load_dataset_scoped;
    use hs::load::Scope;
    let full = ds();
    for chapter in [1u8, 22, 39, 61, 84, 87, 97] {
        let part = load_dataset_scoped(&Options::default(), Scope::Chapter(chapter))
            .expect("reference data");
        assert!(part.aliases.is_empty());
        let in_chapter =
            |n: &&hs::tree::Node| n.code.as_ref().is_some_and(|c| c.chapter() == chapter);
        let full_codes: Vec<_> = full.tree.nodes().filter(in_chapter).collect();
        let part_codes: Vec<_> = part.tree.nodes().filter(in_chapter).collect();
        assert_eq!(full_codes.len(), part_codes.len(), "chapter {chapter}");
        assert!(full_codes.iter().any(|n| n.level == Level::StatisticalLine));
        for n in part_codes {
            let code = n.code.as_ref().expect("filtered on code");
            let f = full.tree.get(code).expect("in the full tree");
            let show = |t: &hs::tree::Tree, n: &hs::tree::Node| {
                let kids: Vec<String> = n
                    .children
                    .iter()
                    .map(|&c| format!("{}|{}", t.node(c).label(), t.node(c).full_text))
                    .collect();
                let path: Vec<String> = t.path(n.id).iter().map(|p| p.label()).collect();
                (
                    n.level,
                    n.full_text.clone(),
                    n.units.clone(),
                    n.duty.clone(),
                    kids,
                    path,
                )
            };
            assert_eq!(show(&part.tree, n), show(&full.tree, f), "{code}");
        }
        // Other chapters keep HS but not their US lines.
        let other = Code::parse("0101.21.00.10").expect("code");
        if chapter != 1 {
            assert!(part.tree.get(&other).is_none());
            assert!(
                part.tree
                    .get(&Code::parse("0101.21").expect("code"))
                    .is_some()
            );
        }
    }
}
