//! Checks `hs-data/measures.csv` (its Section 301 product lists) against the
//! footnotes of a USITC JSON export: `cargo run --release -p hs-core
//! --example footnote_check [DATA_DIR]`. Prints the agreement rate and every
//! disagreement.

use std::path::PathBuf;

use hs_core::tariff::Measures;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir: PathBuf = std::env::args()
        .nth(1)
        .map_or_else(|| hs_core::load::BUILTIN_DATA_DIR.into(), PathBuf::from);
    let measures = Measures::load(&dir)?;
    let text = std::fs::read_to_string(dir.join("us-hts/hts_2026_revision_12.json"))?;
    let c = measures.check_footnotes(&text)?;
    println!(
        "lines whose footnotes cite a Section 301 list heading: {}; the table agrees on {} ({:.2}%)",
        c.lines,
        c.agree,
        c.rate()
    );
    println!(
        "cited by the footnotes, not assigned by the table: {}",
        c.missing.len()
    );
    for (line, h) in &c.missing {
        println!("  {line}  {h}");
    }
    println!(
        "assigned by the table, not cited by the footnotes: {}",
        c.extra.len()
    );
    for (line, h) in &c.extra {
        println!("  {line}  {h}");
    }
    Ok(())
}
