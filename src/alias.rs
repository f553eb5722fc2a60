//! The project's own tables of everyday words: aliases (trade names and
//! shoppers' words the tariff never uses, each pointing at a code) and
//! spelling variants (British and common misspellings to the US tariff's
//! spelling). Both are written by the team in `hs-data/` and built in.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::load::Alias;

const ALIASES_CSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/hs-data/aliases.csv"));
const SPELLINGS_CSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/hs-data/spellings.csv"
));

/// Reads a two-or-more-column CSV with a header, skipping blank and `#` lines.
fn rows(text: &'static str) -> impl Iterator<Item = Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let records: Vec<Vec<String>> = rdr
        .records()
        .filter_map(Result::ok)
        .map(|r| r.iter().map(|f| f.trim().to_string()).collect())
        .collect();
    records.into_iter()
}

/// The built-in alias table (`hs-data/aliases.csv`).
pub fn builtin() -> Vec<Alias> {
    rows(ALIASES_CSV)
        .filter_map(|r| {
            let phrase = r.first()?.to_lowercase();
            let code: String = r.get(1)?.chars().filter(|c| c.is_ascii_digit()).collect();
            (!phrase.is_empty() && code.len() >= 4).then_some(Alias {
                phrase,
                code,
                source: "alias",
            })
        })
        .collect()
}

/// Spelling variant -> the spelling the US tariff uses (lowercase words).
pub fn spellings() -> &'static HashMap<String, String> {
    static MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    MAP.get_or_init(|| {
        rows(SPELLINGS_CSV)
            .filter_map(|r| {
                let v = r.first()?.to_lowercase();
                let c = r.get(1)?.to_lowercase();
                (!v.is_empty() && !c.is_empty() && v != c).then_some((v, c))
            })
            .collect()
    })
}

/// Raw text of the built-in tables, for the index fingerprint.
pub fn tables_fingerprint() -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in ALIASES_CSV.bytes().chain(SPELLINGS_CSV.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}
