//! Tuning aid: scores the labelled sets in `../shared/eval/` under a few
//! weight settings given as `name=value` arguments (one setting per argument
//! group separated by `/`). Prints hs4@5, hs6@1 and hs6@5 per set.
//!
//! cargo run --release --example tune -- own=3 heading=1.5 / own=4
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they set up

use std::path::PathBuf;

use hs::engine::{Engine, Options};
use hs::eval::{Scores, digits, gold_codes};
use hs::rank::Weights;

fn set(w: &mut Weights, kv: &str) {
    let Some((k, v)) = kv.split_once('=') else {
        return;
    };
    let Ok(v) = v.parse::<f32>() else { return };
    match k {
        "own" => w.own = v,
        "heading" => w.heading = v,
        "chapter" => w.chapter = v,
        "lines" => w.lines = v,
        "eu_lines" => w.eu_lines = v,
        "alias" => w.alias = v,
        "notes" => w.notes = v,
        "heading_share" => w.heading_share = v,
        "alias_phrase" => w.alias_phrase = v,
        "material_boost" => w.material_boost = v,
        "material_penalty" => w.material_penalty = v,
        "process_boost" => w.process_boost = v,
        "process_penalty" => w.process_penalty = v,
        "raw_form_penalty" => w.raw_form_penalty = v,
        "synonym" => w.synonym = v,
        "phrase" => w.phrase = v,
        "quantity_fit" => w.quantity_fit = v,
        "chemistry" => w.chemistry = v,
        "material_clash" => w.material_clash = v,
        "unstated_gender" => w.unstated_gender = v,
        "gender_clash" => w.gender_clash = v,
        "coverage" => w.coverage = v,
        "coverage_synonyms" => w.coverage_synonyms = v > 0.0,
        "candidates" => w.candidates = v as usize,
        _ => eprintln!("unknown weight {k}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let groups: Vec<Vec<String>> = args.split(|a| a == "/").map(|g| g.to_vec()).collect();
    let (mut engine, _) = Engine::open(&Options::default()).expect("engine");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval");
    let sets: Vec<(String, Vec<(String, String)>)> = [
        "atlas_validation",
        "bacuda_declarations",
        "uk_parcel_references",
    ]
    .iter()
    .map(|n| {
        let mut r = csv::Reader::from_path(dir.join(format!("{n}.csv"))).expect("eval file");
        let rows = r
            .records()
            .filter_map(Result::ok)
            .map(|x| (x[0].to_string(), x[1].to_string()))
            .collect();
        (n.to_string(), rows)
    })
    .collect();
    for g in groups {
        let mut w = Weights::default();
        for kv in &g {
            set(&mut w, kv);
        }
        engine.weights = w;
        let mut line = format!("{:<40}", g.join(" "));
        for (name, rows) in &sets {
            let mut ranker = engine.ranker();
            let mut s = Scores::default();
            let mut dump = std::env::var("TUNE_DUMP")
                .ok()
                .and_then(|p| std::fs::File::create(format!("{p}.{name}.txt")).ok());
            for (d, gold) in rows {
                let r = engine.search_with(&mut ranker, d, 10).expect("search");
                let ranked: Vec<String> = r
                    .suggestions
                    .iter()
                    .map(|s| digits(s.code.digits()))
                    .collect();
                if let Some(f) = dump.as_mut() {
                    use std::io::Write;
                    let _ = writeln!(f, "{}\t{}", gold, ranked.join(" "));
                }
                s.add(&ranked, &gold_codes(gold));
            }
            s.finish();
            let f = |k: &str| s.get(k).unwrap_or(0.0);
            line.push_str(&format!(
                " | {} {:>4.1} {:>4.1} {:>4.1}",
                &name[..4],
                f("hs4@5"),
                f("hs6@1"),
                f("hs6@5")
            ));
        }
        println!("{line}");
    }
}
