//! Fits the confidence model (`hs::rank::confidence`): a logistic
//! regression of "this suggestion's six digits are right" on the evidence
//! each search gathers, one weight vector for the top suggestion and one
//! for the others. Measured by set: fitted on two of the labelled sets in
//! `../shared/eval/`, tested on the third (ECE as `score.py` computes it,
//! rows at confidence >= 0.9 and how many are right, a reliability table,
//! coverage and precision, and what the review threshold catches). The
//! model that ships is fitted on all three; `--write` writes it to
//! `hs-data/confidence.csv`. The ranking is not touched.
//!
//! The same again for the model used when precedents vote
//! (`hs-data/confidence-precedents.csv`, which reads the vote's inputs
//! too): each set's evidence comes from five-fold cross-validation as
//! `hs eval --cross-validate 5` runs it (each fold ranked with the other
//! folds' rows as precedents), then the model is fitted on two sets'
//! folds and tested on the third's.
//!
//! cargo run --release --example calibrate [-- --write]
//!
//! With `HS_CALIBRATE_DUMP=FILE`, every suggestion's evidence without
//! precedents is also written to FILE as CSV (set, row, weight, position,
//! right, then the inputs), for trying other models outside this tool.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a fitting tool may panic on what it set up
#![allow(clippy::needless_range_loop)] // matrix arithmetic reads best with indices

use std::path::{Path, PathBuf};
use std::sync::Arc;

use hs::engine::{Engine, Options};
use hs::eval::{digits, gold_codes};
use hs::precedents::codes::CodeCheck;
use hs::precedents::folds::{DEFAULT_SEED, assign, each_fold};
use hs::precedents::{Precedent, Precedents};
use hs::rank::confidence::{Evidence, Model, N, NV, REVIEW_BELOW};

const SETS: [&str; 3] = [
    "atlas_validation",
    "bacuda_declarations",
    "uk_parcel_references",
];

/// L2 penalty on every weight but the bias (the rows of a fit weigh 1 in all).
const L2: f64 = 1e-3;

/// One row of a set: each suggestion's evidence and whether its six digits
/// are gold; `None` for a row read as a code (confidence 1).
type Row = Option<Vec<(Evidence, bool)>>;

/// A set's rows and each row's weight in a fit ([`dedup_weights`]).
type Weighted<'a> = (&'a [(Row, bool)], &'a [f64]);

fn main() {
    let write = std::env::args().any(|a| a == "--write");
    let (mut engine, _) = Engine::open(&Options::default()).expect("engine");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval");
    let records: Vec<Vec<(String, String)>> = SETS.iter().map(|n| read_set(&dir, n)).collect();
    let plain: Vec<Vec<(Row, bool)>> = records.iter().map(|r| gather(&engine, r)).collect();
    let weights: Vec<Vec<f64>> = records.iter().map(|r| dedup_weights(r)).collect();
    if let Some(path) = std::env::var_os("HS_CALIBRATE_DUMP") {
        dump(Path::new(&path), &plain, &weights);
    }
    let codes: usize = plain.iter().flatten().filter(|r| r.0.is_none()).count();
    println!("rows read as codes (confidence 1): {codes}\n");
    println!("# Without precedents\n");
    let shipped = report(&plain, &weights, |e| e.x);
    println!("\nshipped model (fitted on all three sets): input, top, rest\n{shipped}");
    let voted: Vec<Vec<(Row, bool)>> = records
        .iter()
        .map(|r| gather_cross_validated(&mut engine, r))
        .collect();
    println!("\n# With precedents (five-fold cross-validation within each set)\n");
    let shipped_vote = report(&voted, &weights, |e| {
        let mut x = [0.0; NV];
        for (o, v) in x.iter_mut().zip(e.x.iter().chain(&e.vote)) {
            *o = *v;
        }
        x
    });
    println!("\nshipped model (fitted on all three sets): input, top, rest\n{shipped_vote}");
    if write {
        let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../hs-data");
        let text = shipped.to_file(
            "Confidence model: the estimated probability that a suggestion's six digits\n\
             are right, a logistic regression over the evidence each search gathers\n\
             (hs_core::rank::confidence::Evidence), one weight vector for the top\n\
             suggestion (`top`) and one for the others (`rest`). Fitted on all three\n\
             labelled sets of ../shared/eval (each set weighing the same, rows alike\n\
             but for digits counting as one, L2 1e-3) by\n\
             `cargo run --release --example calibrate -- --write`; held-out figures\n\
             (fitted on two sets, tested on the third) in README.md.\n\
             Source: the project's own fitting. Do not edit by hand: refit.",
        );
        std::fs::write(data.join("confidence.csv"), text).expect("write model");
        let text = shipped_vote.to_file(
            "Confidence model used when precedents vote: as confidence.csv, reading\n\
             the vote's evidence for each suggestion too (VOTE_INPUTS in\n\
             hs_core::rank::confidence). Fitted on five-fold cross-validation of all\n\
             three labelled sets of ../shared/eval (each fold ranked with the other\n\
             folds' rows as precedents; each set weighing the same, rows alike but\n\
             for digits counting as one, L2 1e-3) by\n\
             `cargo run --release --example calibrate -- --write`; held-out figures\n\
             (fitted on two sets, tested on the third) in README.md.\n\
             Source: the project's own fitting. Do not edit by hand: refit.",
        );
        std::fs::write(data.join("confidence-precedents.csv"), text).expect("write model");
        println!("wrote {}", data.display());
    }
}

/// Writes every suggestion's evidence as CSV (set, row, weight, position,
/// right, then the inputs) for exploring other models outside this tool.
fn dump(path: &Path, sets: &[Vec<(Row, bool)>], weights: &[Vec<f64>]) {
    use std::fmt::Write as _;
    let mut out = String::from("set,row,weight,position,right");
    for name in hs::rank::confidence::INPUTS {
        let _ = write!(out, ",{name}");
    }
    out.push('\n');
    for (s, rows) in sets.iter().enumerate() {
        for (i, (row, _)) in rows.iter().enumerate() {
            for (e, right) in row.iter().flatten() {
                let _ = write!(
                    out,
                    "{s},{i},{},{},{}",
                    weights[s][i],
                    e.position,
                    u8::from(*right)
                );
                for v in e.x {
                    let _ = write!(out, ",{v}");
                }
                out.push('\n');
            }
        }
    }
    std::fs::write(path, out).expect("write dump");
}

/// A labelled set's rows: (description, gold codes).
fn read_set(dir: &Path, name: &str) -> Vec<(String, String)> {
    let mut r = csv::Reader::from_path(dir.join(format!("{name}.csv"))).expect("eval file");
    r.records()
        .map(|x| x.expect("csv row"))
        .map(|x| (x[0].to_string(), x[1].to_string()))
        .collect()
}

/// Each row's weight in a fit: 1 over the number of rows of its set with
/// the same description once digits, punctuation and case are set aside,
/// so that a run of near-identical declaration lines (one product, many
/// serial numbers) counts as one row.
fn dedup_weights(rows: &[(String, String)]) -> Vec<f64> {
    let key = |t: &str| -> String {
        t.to_lowercase()
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let keys: Vec<String> = rows.iter().map(|(t, _)| key(t)).collect();
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for k in &keys {
        *counts.entry(k).or_default() += 1;
    }
    keys.iter()
        .map(|k| 1.0 / counts[k.as_str()] as f64)
        .collect()
}

/// One row's evidence under the engine as it stands (with or without
/// precedents).
fn one_row(engine: &Engine, ranker: &mut hs::rank::Ranker, text: &str, gold: &str) -> (Row, bool) {
    let gold6: Vec<String> = gold_codes(gold)
        .into_iter()
        .filter_map(|g| g.get(..6).map(str::to_string))
        .collect();
    let res = engine.search_with(ranker, text, 10).expect("search");
    let right: Vec<bool> = res
        .suggestions
        .iter()
        .map(|s| gold6.contains(&digits(s.code.digits()).chars().take(6).collect()))
        .collect();
    let top_right = right.first().copied().unwrap_or(false);
    if res.kind == "code" {
        return (None, top_right);
    }
    let ev = ranker.evidence.iter().copied().zip(right).collect();
    (Some(ev), top_right)
}

/// Every row's evidence without precedents.
fn gather(engine: &Engine, rows: &[(String, String)]) -> Vec<(Row, bool)> {
    let mut ranker = engine.ranker();
    rows.iter()
        .map(|(text, gold)| one_row(engine, &mut ranker, text, gold))
        .collect()
}

/// Every row's evidence with the other folds' rows as precedents, the
/// folds as `hs eval --cross-validate 5` makes them.
fn gather_cross_validated(engine: &mut Engine, rows: &[(String, String)]) -> Vec<(Row, bool)> {
    const K: usize = 5;
    let folds = assign(rows.len(), K, DEFAULT_SEED);
    let checked: Vec<Option<Precedent>> = {
        let check = CodeCheck::new(engine);
        rows.iter()
            .enumerate()
            .map(|(i, (text, gold))| {
                (!text.trim().is_empty())
                    .then(|| check.labelled(text, gold, i as u64 + 2))
                    .flatten()
            })
            .collect()
    };
    let mut out: Vec<Option<(Row, bool)>> = vec![None; rows.len()];
    for fold in each_fold(&checked, &folds, K) {
        let fold = fold.expect("index");
        engine.precedents = Some(Arc::new(Precedents::new(vec![fold.others])));
        let mut ranker = engine.ranker();
        for i in fold.rows {
            let (text, gold) = &rows[i];
            out[i] = Some(one_row(engine, &mut ranker, text, gold));
        }
    }
    engine.precedents = None;
    out.into_iter()
        .map(|r| r.expect("every row in a fold"))
        .collect()
}

/// Prints the held-out figures (fitted on two sets, tested on the third)
/// with reliability tables, coverage and review, for the model reading
/// `inputs` of each suggestion's evidence; returns the model fitted on all
/// three.
fn report<const K: usize>(
    sets: &[Vec<(Row, bool)>],
    weights: &[Vec<f64>],
    inputs: fn(&Evidence) -> [f32; K],
) -> Model<K> {
    println!("held-out (fitted on the other two sets, tested on this one):\n");
    println!("| set | rows | ECE | rows >= 0.9 | right of them | hs6@1 |");
    println!("|---|---|---|---|---|---|");
    let mut tables = Vec::new();
    for h in 0..SETS.len() {
        let train: Vec<Weighted> = (0..SETS.len())
            .filter(|&i| i != h)
            .map(|i| (sets[i].as_slice(), weights[i].as_slice()))
            .collect();
        let m = fit(&train, inputs);
        let tops = top_confidences(&m, &sets[h]);
        let (ece, share90, right90) = calibration(&tops);
        let acc = tops.iter().filter(|t| t.1).count() as f64 / tops.len().max(1) as f64;
        println!(
            "| {} | {} | {:.3} | {:.1}% | {:.1}% | {:.1} |",
            SETS[h],
            tops.len(),
            ece,
            share90,
            right90,
            100.0 * acc
        );
        tables.push((SETS[h], tops));
    }
    for (name, tops) in &tables {
        println!("\n{name} (held-out), reliability of the top suggestion's confidence:\n");
        println!("| confidence | rows | mean confidence | right |");
        println!("|---|---|---|---|");
        for (lo, n, mean, right) in reliability(tops) {
            if n > 0 {
                println!(
                    "| {:.1}-{:.1} | {n} | {:.2} | {:.1}% |",
                    lo,
                    lo + 0.1,
                    mean,
                    100.0 * right as f64 / n as f64
                );
            }
        }
        println!("\ncoverage and precision:");
        for t in [0.5, 0.7, 0.8, 0.9] {
            let (share, prec) = coverage(tops, t);
            println!("  rows at confidence >= {t:.1}: {share:.1}% of rows, {prec:.1}% right");
        }
        println!("review (top confidence under the threshold):");
        for t in [0.3, 0.4, REVIEW_BELOW, 0.6, 0.7] {
            let wrong = tops.iter().filter(|x| !x.1).count();
            let caught = tops.iter().filter(|x| !x.1 && x.0 < t).count();
            let flagged = tops.iter().filter(|x| x.0 < t).count();
            println!(
                "  under {t:.2}: {:.1}% of rows to review, {:.1}% of wrong tops caught, {:.1}% of right tops sent to review",
                100.0 * flagged as f64 / tops.len().max(1) as f64,
                100.0 * caught as f64 / wrong.max(1) as f64,
                100.0 * (flagged - caught) as f64 / (tops.len() - wrong).max(1) as f64
            );
        }
    }
    let all: Vec<Weighted> = sets
        .iter()
        .zip(weights)
        .map(|(s, w)| (s.as_slice(), w.as_slice()))
        .collect();
    let shipped = fit(&all, inputs);
    for (name, set) in SETS.iter().zip(sets) {
        let (ece, s90, r90) = calibration(&top_confidences(&shipped, set));
        println!(
            "  fitted (not held-out) {name}: ECE {ece:.3}, >= 0.9: {s90:.1}% of rows, {r90:.1}% right"
        );
    }
    shipped
}

/// The top suggestion's confidence under `m` and whether it is right, per row.
fn top_confidences<const K: usize>(m: &Model<K>, set: &[(Row, bool)]) -> Vec<(f32, bool)> {
    // As score.py: rows without a suggestion are left out.
    set.iter()
        .filter_map(|(row, right)| match row {
            None => Some((1.0, *right)),
            Some(ev) if ev.is_empty() => None,
            Some(ev) => {
                let e: Vec<Evidence> = ev.iter().map(|x| x.0).collect();
                Some((m.confidences(&e)[0], *right))
            }
        })
        .collect()
}

/// Fits the top and the rest weights over `inputs` of the evidence; each
/// set weighs the same, and within a set each row weighs its
/// [`dedup_weights`].
fn fit<const K: usize>(sets: &[Weighted], inputs: fn(&Evidence) -> [f32; K]) -> Model<K> {
    let mut top = Vec::new();
    let mut rest = Vec::new();
    for (set, weights) in sets {
        let n = weights.iter().sum::<f64>().max(f64::MIN_POSITIVE);
        for ((row, _), rw) in set.iter().zip(weights.iter()) {
            let Some(ev) = row else { continue };
            for (e, y) in ev {
                let w = rw / n;
                if e.position == 0 {
                    top.push((inputs(e), *y, w));
                } else {
                    rest.push((inputs(e), *y, w));
                }
            }
        }
    }
    Model {
        top: logistic(&top),
        rest: logistic(&rest),
    }
}

/// Weighted logistic regression by Newton's method, L2 on all but the bias
/// (the last input).
fn logistic<const K: usize>(rows: &[([f32; K], bool, f64)]) -> [f32; K] {
    let total: f64 = rows.iter().map(|r| r.2).sum::<f64>().max(f64::MIN_POSITIVE);
    let mut w = [0.0f64; K];
    for _ in 0..30 {
        let mut g = [0.0f64; K];
        let mut hm = [[0.0f64; K]; K];
        for (x, y, wt) in rows {
            let wt = wt / total;
            let z: f64 = x.iter().zip(&w).map(|(x, w)| f64::from(*x) * w).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let e = p - if *y { 1.0 } else { 0.0 };
            let v = (p * (1.0 - p)).max(1e-9);
            for i in 0..K {
                let xi = f64::from(x[i]);
                g[i] += wt * e * xi;
                for j in 0..K {
                    hm[i][j] += wt * v * xi * f64::from(x[j]);
                }
            }
        }
        // The bias is the last of INPUTS (the vote's inputs follow it).
        for i in (0..K).filter(|&i| i != N - 1) {
            g[i] += L2 * w[i];
            hm[i][i] += L2;
        }
        hm[N - 1][N - 1] += 1e-9;
        let d = solve(hm, g);
        let mut step = 0.0f64;
        for i in 0..K {
            w[i] -= d[i];
            step = step.max(d[i].abs());
        }
        if step < 1e-7 {
            break;
        }
    }
    let mut out = [0.0f32; K];
    for (o, x) in out.iter_mut().zip(w) {
        *o = x as f32;
    }
    out
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting.
fn solve<const K: usize>(mut a: [[f64; K]; K], mut b: [f64; K]) -> [f64; K] {
    for c in 0..K {
        let p = (c..K)
            .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
            .unwrap();
        a.swap(c, p);
        b.swap(c, p);
        let d = a[c][c];
        if d.abs() < 1e-15 {
            continue;
        }
        for r in 0..K {
            if r != c {
                let f = a[r][c] / d;
                for k in c..K {
                    a[r][k] -= f * a[c][k];
                }
                b[r] -= f * b[c];
            }
        }
    }
    let mut x = [0.0; K];
    for i in 0..K {
        x[i] = if a[i][i].abs() < 1e-15 {
            0.0
        } else {
            b[i] / a[i][i]
        };
    }
    x
}

/// Ten equal-width bins: (lower edge, rows, mean confidence, right).
fn reliability(tops: &[(f32, bool)]) -> Vec<(f64, usize, f64, usize)> {
    let mut bins = vec![(0usize, 0.0f64, 0usize); 10];
    for (c, r) in tops {
        let i = ((f64::from(*c) * 10.0) as usize).min(9);
        bins[i].0 += 1;
        bins[i].1 += f64::from(*c);
        bins[i].2 += usize::from(*r);
    }
    bins.iter()
        .enumerate()
        .map(|(i, (n, c, r))| (i as f64 / 10.0, *n, c / (*n).max(1) as f64, *r))
        .collect()
}

/// ECE as score.py computes it, the share of rows at confidence >= 0.9 and
/// the share right among them (percent).
fn calibration(tops: &[(f32, bool)]) -> (f64, f64, f64) {
    let n = tops.len().max(1) as f64;
    let ece = reliability(tops)
        .iter()
        .map(|(_, k, mean, r)| (mean * *k as f64 - *r as f64).abs())
        .sum::<f64>()
        / n;
    let (share, right) = coverage(tops, 0.9);
    (ece, share, right)
}

/// Rows at confidence >= `t` (percent of rows) and the share right of them.
fn coverage(tops: &[(f32, bool)], t: f32) -> (f64, f64) {
    let kept: Vec<bool> = tops.iter().filter(|x| x.0 >= t).map(|x| x.1).collect();
    let right = kept.iter().filter(|r| **r).count();
    (
        100.0 * kept.len() as f64 / tops.len().max(1) as f64,
        100.0 * right as f64 / kept.len().max(1) as f64,
    )
}
