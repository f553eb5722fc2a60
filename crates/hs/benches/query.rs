//! Benchmarks (run with `cargo bench`; never part of the tests):
//! - query latency, median and p99, single-threaded, over every description
//!   in `../shared/eval/` (each query run once after a warm-up pass);
//! - bulk throughput of the engine on every core (rows a second);
//! - index build time;
//! - loading the data (what a cold `hs show` pays before printing);
//! - a cold `hs show 6109.10` end to end: a new `hs` process each time
//!   (the index present, the operating system's file cache warm), median
//!   and p99 over 50 runs.
//!
//! Output is plain text, one figure a line, for the README.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they set up

use std::path::PathBuf;
use std::time::{Duration, Instant};

use hs::engine::{Engine, Options, load_dataset, load_dataset_scoped};
use hs::load::Scope;
use rayon::prelude::*;

fn descriptions() -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval");
    let mut out = Vec::new();
    for f in [
        "atlas_validation.csv",
        "bacuda_declarations.csv",
        "uk_parcel_references.csv",
    ] {
        let Ok(mut r) = csv::Reader::from_path(dir.join(f)) else {
            eprintln!("skipping {f}: not found");
            continue;
        };
        out.extend(r.records().filter_map(Result::ok).map(|x| x[0].to_string()));
    }
    out
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    // `cargo bench -- <filter>` passes extra args; `--bench` is passed by cargo.
    let t = Instant::now();
    let ds = load_dataset(&Options::default()).expect("reference data");
    let load = t.elapsed();
    println!(
        "load data, everything (search, bulk, UI): {:.1} ms",
        load.as_secs_f64() * 1e3
    );
    let t = Instant::now();
    let part =
        load_dataset_scoped(&Options::default(), Scope::Chapter(61)).expect("reference data");
    println!(
        "load data, one chapter of US lines (hs show): {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    drop(part);

    let dir = tempdir();
    let t = Instant::now();
    let opts = Options {
        index_dir: Some(dir.clone()),
        rebuild: true,
        ..Options::default()
    };
    let (engine, _) = Engine::with_dataset(ds, &opts).expect("index");
    println!(
        "index build (incl. open): {:.2} s",
        t.elapsed().as_secs_f64()
    );

    let qs = descriptions();
    let mut ranker = engine.ranker();
    for q in &qs {
        let _ = engine.search_with(&mut ranker, q, 10);
    }
    let mut times: Vec<Duration> = Vec::with_capacity(qs.len());
    for q in &qs {
        let t = Instant::now();
        let r = engine.search_with(&mut ranker, q, 10).expect("search");
        times.push(t.elapsed());
        std::hint::black_box(r);
    }
    times.sort();
    println!(
        "query latency over {} descriptions (top 10, 1 thread): median {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        times.len(),
        pct(&times, 0.5).as_secs_f64() * 1e3,
        pct(&times, 0.99).as_secs_f64() * 1e3,
        pct(&times, 1.0).as_secs_f64() * 1e3
    );

    // Bulk: the same descriptions repeated to 20,000 rows, every core, top 5.
    let rows: Vec<&String> = qs.iter().cycle().take(20_000).collect();
    let t = Instant::now();
    // One ranker per thread (its correction cache kept), every row searched.
    let per = rows.len().div_ceil(rayon::current_num_threads());
    let n: usize = rows
        .par_chunks(per)
        .map(|chunk| {
            let mut r = engine.ranker();
            chunk
                .iter()
                .map(|q| {
                    engine
                        .search_with(&mut r, q, 5)
                        .map_or(0, |x| x.suggestions.len())
                })
                .sum::<usize>()
        })
        .sum();
    let secs = t.elapsed().as_secs_f64();
    std::hint::black_box(n);
    println!(
        "bulk: {} rows in {:.2} s = {:.0} rows/s on {} threads",
        rows.len(),
        secs,
        rows.len() as f64 / secs,
        rayon::current_num_threads()
    );

    // Cold `hs show`: spawn the release binary, as a user would.
    let bin = env!("CARGO_BIN_EXE_hs");
    let mut times = Vec::new();
    for i in 0..51 {
        let t = Instant::now();
        let out = std::process::Command::new(bin)
            .args(["show", "6109.10"])
            .env("HS_INDEX_DIR", &dir)
            .output()
            .expect("run hs");
        let e = t.elapsed();
        assert!(out.status.success(), "hs show failed");
        if i > 0 {
            times.push(e);
        }
    }
    times.sort();
    println!(
        "cold `hs show 6109.10` (new process, {} runs): median {:.1} ms, p99 {:.1} ms",
        times.len(),
        pct(&times, 0.5).as_secs_f64() * 1e3,
        pct(&times, 0.99).as_secs_f64() * 1e3
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempdir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("hs-bench-index-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}
