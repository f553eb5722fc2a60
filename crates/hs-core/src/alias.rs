//! The project's own tables of everyday words: aliases (trade names and
//! shoppers' words the tariff never uses, each pointing at a code) and
//! spelling variants (British and common misspellings to the US tariff's
//! spelling). Both are written by the team in `hs-data/` and built in.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::load::Alias;

const ALIASES_CSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../hs-data/aliases.csv"
));
const MATERIALS_CSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../hs-data/materials.csv"
));
const PROCESSES_CSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../hs-data/processes.csv"
));
const SYNONYMS_CSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../hs-data/synonyms.csv"
));
const BRANDS_CSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../hs-data/brands.csv"
));
const SPELLINGS_CSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../hs-data/spellings.csv"
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

/// Everyday word -> the tariff's words for the same goods
/// (`hs-data/synonyms.csv`), used to expand queries.
pub fn synonyms() -> &'static HashMap<String, Vec<String>> {
    static MAP: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    MAP.get_or_init(|| {
        rows(SYNONYMS_CSV)
            .filter_map(|r| {
                let w = r.first()?.to_lowercase();
                let exp: Vec<String> = r
                    .get(1)?
                    .split_whitespace()
                    .map(str::to_lowercase)
                    .collect();
                (!w.is_empty() && !exp.is_empty()).then_some((w, exp))
            })
            .collect()
    })
}

/// Trade names and the goods they stand for (`hs-data/brands.csv`): a
/// brand the tariff never names is read as its goods ("febreze" -> "air
/// freshener").
pub struct Brands {
    /// Brand words (as [`crate::text::tokens`] splits them), space-joined
    /// -> the goods words.
    map: HashMap<String, Vec<String>>,
    /// Most words in a brand.
    longest: usize,
}

impl Brands {
    /// The goods words for a brand written as `words` (already split).
    pub fn goods(&self, words: &[String]) -> Option<&[String]> {
        self.map.get(&words.join(" ")).map(Vec::as_slice)
    }

    /// Most words in a brand.
    pub fn longest(&self) -> usize {
        self.longest
    }
}

/// The built-in brand table.
pub fn brands() -> &'static Brands {
    static MAP: OnceLock<Brands> = OnceLock::new();
    MAP.get_or_init(|| {
        // A brand the alias table names already points at a code: the
        // alias, more precise, wins.
        let aliased: std::collections::HashSet<String> = builtin()
            .into_iter()
            .map(|a| crate::text::tokens(&crate::text::normalize(&a.phrase)).join(" "))
            .collect();
        let mut map = HashMap::new();
        let mut possessive = Vec::new();
        let mut longest = 0;
        for r in rows(BRANDS_CSV) {
            let (Some(brand), Some(goods)) = (r.first(), r.get(1)) else {
                continue;
            };
            let key = crate::text::tokens(&crate::text::normalize(brand));
            let goods = crate::text::tokens(&crate::text::normalize(goods));
            if key.is_empty() || goods.is_empty() || aliased.contains(&key.join(" ")) {
                continue;
            }
            longest = longest.max(key.len());
            // "Jack Daniel's" reads as "jack daniel" once the possessive is
            // dropped: a brand written "jack daniels" answers to both. Not
            // for one word, whose stem may be an ordinary one ("terrys").
            if key.len() > 1
                && let Some(last) = key.last()
                && last.len() > 4
                && let Some(stem) = last.strip_suffix('s')
            {
                let mut k = key.clone();
                if let Some(l) = k.last_mut() {
                    *l = stem.to_string();
                }
                possessive.push((k.join(" "), goods.clone()));
            }
            map.insert(key.join(" "), goods);
        }
        for (k, goods) in possessive {
            if !aliased.contains(&k) {
                map.entry(k).or_insert(goods);
            }
        }
        Brands { map, longest }
    })
}

/// Material word -> the chapters that classify goods by that material
/// (`hs-data/materials.csv`).
pub fn materials() -> &'static HashMap<String, Vec<u8>> {
    static MAP: OnceLock<HashMap<String, Vec<u8>>> = OnceLock::new();
    MAP.get_or_init(|| {
        rows(MATERIALS_CSV)
            .filter_map(|r| {
                let w = r.first()?.to_lowercase();
                let chapters: Vec<u8> = r
                    .get(1)?
                    .split_whitespace()
                    .filter_map(|c| c.parse().ok())
                    .collect();
                (!w.is_empty() && !chapters.is_empty()).then_some((w, chapters))
            })
            .collect()
    })
}

/// The chapters the materials named in `words` point to (empty if none).
pub fn material_chapters<'a>(words: impl IntoIterator<Item = &'a str>) -> Vec<u8> {
    let map = materials();
    let mut out: Vec<u8> = Vec::new();
    for w in words {
        let hit = map
            .get(w)
            .or_else(|| w.strip_suffix('s').and_then(|s| map.get(s)));
        if let Some(ch) = hit {
            out.extend(ch);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Materials stated with their shares ("50% cotton, 50% polyester"), read
/// as Note 2 (A) to Section XI reads them: the goods are classified as if
/// wholly of the material that predominates by weight or, when none does,
/// of the one whose chapter comes last. Returns (the chapters of that
/// material, the chapters of the other stated materials); None unless two
/// or more materials carry shares.
pub fn predominant_material(text: &str) -> Option<(Vec<u8>, Vec<u8>)> {
    let lower = text.to_lowercase();
    let b = lower.as_bytes();
    let mut shares: Vec<(f32, Vec<u8>)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
            i += 1;
        }
        let number = &lower[start..i];
        let mut j = i;
        while j < b.len() && b[j] == b' ' {
            j += 1;
        }
        if b.get(j) != Some(&b'%') {
            continue;
        }
        j += 1;
        let rest = lower[j..].trim_start();
        let rest = rest.strip_prefix("of ").unwrap_or(rest);
        let word: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
        // In a fibre composition, acrylic is the man-made staple fibre.
        let chapters = if word == "acrylic" {
            vec![55]
        } else {
            material_chapters([word.as_str()])
        };
        if let (Ok(pct), false) = (number.parse::<f32>(), chapters.is_empty()) {
            match shares.iter_mut().find(|(_, c)| *c == chapters) {
                Some(s) => s.0 += pct,
                None => shares.push((pct, chapters)),
            }
        }
        i = j;
    }
    if shares.len() < 2 {
        return None;
    }
    let best = shares
        .iter()
        .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.last().cmp(&b.1.last())))?
        .1
        .clone();
    let others: Vec<u8> = shares
        .iter()
        .flat_map(|(_, c)| c.iter().copied())
        .filter(|c| !best.contains(c))
        .collect();
    Some((best, others))
}

/// How goods are made ("knitted", "woven") where the HS splits chapters
/// on it: word -> (chapters favoured, chapters disfavoured).
#[allow(clippy::type_complexity)]
pub fn processes() -> &'static HashMap<String, (Vec<u8>, Vec<u8>)> {
    static MAP: OnceLock<HashMap<String, (Vec<u8>, Vec<u8>)>> = OnceLock::new();
    MAP.get_or_init(|| {
        let chapters = |cell: Option<&String>| -> Vec<u8> {
            cell.map(|c| {
                c.split_whitespace()
                    .filter_map(|x| x.parse().ok())
                    .collect()
            })
            .unwrap_or_default()
        };
        rows(PROCESSES_CSV)
            .filter_map(|r| {
                let w = r.first()?.to_lowercase();
                let favour = chapters(r.get(1));
                (!w.is_empty() && !favour.is_empty()).then(|| (w, (favour, chapters(r.get(2)))))
            })
            .collect()
    })
}

/// The chapters the query's process words favour and disfavour (a chapter
/// both favoured and disfavoured, as "knitted and woven" makes it, is
/// neither).
pub fn process_chapters<'a>(words: impl IntoIterator<Item = &'a str>) -> (Vec<u8>, Vec<u8>) {
    let map = processes();
    let (mut fav, mut dis): (Vec<u8>, Vec<u8>) = (Vec::new(), Vec::new());
    for w in words {
        if let Some((f, d)) = map.get(w) {
            fav.extend(f);
            dis.extend(d);
        }
    }
    let both: Vec<u8> = fav.iter().filter(|c| dis.contains(c)).copied().collect();
    fav.retain(|c| !both.contains(c));
    dis.retain(|c| !both.contains(c));
    fav.sort_unstable();
    fav.dedup();
    dis.sort_unstable();
    dis.dedup();
    (fav, dis)
}

/// Every chapter that some material points to.
pub fn material_chapter_set() -> &'static [u8] {
    static SET: OnceLock<Vec<u8>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut v: Vec<u8> = materials().values().flatten().copied().collect();
        v.sort_unstable();
        v.dedup();
        v
    })
}

/// Raw text of the built-in tables, for the index fingerprint.
pub fn tables_fingerprint() -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in ALIASES_CSV
        .bytes()
        .chain(SPELLINGS_CSV.bytes())
        .chain(MATERIALS_CSV.bytes())
        .chain(PROCESSES_CSV.bytes())
        .chain(SYNONYMS_CSV.bytes())
        .chain(BRANDS_CSV.bytes())
    {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_predominant_material_or_the_last_one_counts() {
        // By weight.
        assert_eq!(
            predominant_material("95% cotton and 5% elastane"),
            Some((vec![52], vec![54]))
        );
        // Equal shares: the material whose chapter comes last.
        assert_eq!(
            predominant_material("made of 50% cotton and 50% polyester"),
            Some((vec![54, 55], vec![52]))
        );
        // Shares of one man-made class add up: 40 + 30 against 30.
        assert_eq!(
            predominant_material("40% nylon, 30% polyester, 30% wool"),
            Some((vec![54, 55], vec![51]))
        );
        assert_eq!(predominant_material("100% cotton"), None);
        assert_eq!(predominant_material("a 50% discount on cotton"), None);
    }

    #[test]
    fn process_words_favour_knitted_or_woven_chapters() {
        assert_eq!(
            process_chapters(["knitted", "shirt"]),
            (vec![60, 61], vec![62])
        );
        assert_eq!(
            process_chapters(["woven", "shirt"]),
            (vec![62], vec![60, 61])
        );
        // Both named: neither side is favoured.
        assert_eq!(process_chapters(["knitted", "woven"]), (vec![], vec![]));
        assert_eq!(process_chapters(["cotton"]), (vec![], vec![]));
    }
}
