//! Regression floor: ranking quality on the labelled sets in
//! `../shared/eval/` must not fall below the committed figures. The rows are
//! read at run time, never copied. Raise the floors as quality rises.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they set up

use std::path::PathBuf;

use hs::engine::{Engine, Options};
use hs::eval::{Scores, digits, gold_codes};

fn score(file: &str) -> Scores {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/eval")
        .join(file);
    let mut rdr =
        csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let idx = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hs-eval-index");
    let (engine, _) = Engine::open(&Options {
        index_dir: Some(idx),
        ..Options::default()
    })
    .expect("engine");
    let mut ranker = engine.ranker();
    let mut scores = Scores::default();
    for rec in rdr.records() {
        let rec = rec.expect("csv row");
        let r = engine
            .search_with(&mut ranker, &rec[0], 10)
            .expect("search");
        let ranked: Vec<String> = r
            .suggestions
            .iter()
            .map(|s| digits(s.code.digits()))
            .collect();
        scores.add(&ranked, &gold_codes(&rec[1]));
    }
    scores.finish();
    scores
}

fn check(file: &str, floors: &[(&str, f64)]) {
    let s = score(file);
    eprintln!("{file}: {:?}", s.figures);
    for (key, floor) in floors {
        let got = s.get(key).unwrap_or(0.0);
        assert!(
            got >= *floor,
            "{file}: {key} = {got} fell below the floor {floor}"
        );
    }
}

// Floors sit a little under the measured figures (README) so that noise from
// tie order does not fail the build, but a real regression does.
#[test]
fn atlas_validation_floor() {
    check(
        "atlas_validation.csv",
        &[("hs6@1", 33.5), ("hs6@5", 53.0), ("hs4@5", 70.5)],
    );
}

#[test]
fn bacuda_declarations_floor() {
    check(
        "bacuda_declarations.csv",
        &[("hs6@1", 31.0), ("hs6@5", 47.0), ("hs4@5", 63.0)],
    );
}

#[test]
fn uk_parcel_references_floor() {
    check(
        "uk_parcel_references.csv",
        &[("hs6@1", 14.5), ("hs6@5", 25.0), ("hs4@5", 35.5)],
    );
}
