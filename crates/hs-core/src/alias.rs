//! The project's own tables of everyday words: aliases (trade names and
//! shoppers' words the tariff never uses, each pointing at a code) and
//! spelling variants (British and common misspellings to the US tariff's
//! spelling). Both are written by the team in `hs-data/` and built in.

use std::collections::{HashMap, HashSet};

use crate::load::Alias;
use crate::tables::{self, Spec, TableError};

const ALIASES: Spec = Spec {
    file: "aliases.csv",
    columns: &["alias", "code", "note"],
    required: &["alias", "code", "note"],
};
const SPELLINGS: Spec = Spec {
    file: "spellings.csv",
    columns: &["variant", "canonical"],
    required: &["variant", "canonical"],
};
const SYNONYMS: Spec = Spec {
    file: "synonyms.csv",
    columns: &["word", "expansion", "note"],
    required: &["word", "expansion", "note"],
};
const BRANDS: Spec = Spec {
    file: "brands.csv",
    columns: &["brand", "goods", "note"],
    required: &["brand", "goods", "note"],
};
const MATERIALS: Spec = Spec {
    file: "materials.csv",
    columns: &["word", "chapters"],
    required: &["word", "chapters"],
};
const PROCESSES: Spec = Spec {
    file: "processes.csv",
    columns: &["word", "favour", "disfavour"],
    required: &["word", "favour"],
};

/// Files whose text goes into the index fingerprint (the index's words
/// depend on them).
const INDEXED: &[&str] = &[
    "aliases.csv",
    "spellings.csv",
    "materials.csv",
    "processes.csv",
    "synonyms.csv",
    "brands.csv",
    "words.csv",
];

/// Parses `hs-data/aliases.csv` (`alias,code,note`): the code is 4 to 10
/// digits (dots allowed).
pub fn parse_aliases(text: &str) -> Result<Vec<Alias>, TableError> {
    tables::read(&ALIASES, text)?
        .into_iter()
        .map(|r| {
            let cell = r.get("code");
            let code: String = cell.chars().filter(|c| *c != '.').collect();
            if !(4..=10).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(r.error("code", format!("`{cell}` is not a 4- to 10-digit code")));
            }
            Ok(Alias {
                phrase: r.get("alias").to_lowercase(),
                code,
                source: "alias",
            })
        })
        .collect()
}

/// Parses `hs-data/spellings.csv` (`variant,canonical`, one word each).
/// Spelling variant -> the tariff's spelling (a fast hash: every word of
/// every text read is looked up).
pub type Spellings = rustc_hash::FxHashMap<String, String>;

pub fn parse_spellings(text: &str) -> Result<Spellings, TableError> {
    tables::read(&SPELLINGS, text)?
        .into_iter()
        .filter_map(|r| {
            let v = r.get("variant").to_lowercase();
            let c = r.get("canonical").to_lowercase();
            (v != c).then_some((v, c))
        })
        .map(Ok)
        .collect()
}

/// Parses `hs-data/synonyms.csv` (`word,expansion,note`).
pub fn parse_synonyms(text: &str) -> Result<HashMap<String, Vec<String>>, TableError> {
    Ok(tables::read(&SYNONYMS, text)?
        .into_iter()
        .map(|r| {
            let exp = r
                .get("expansion")
                .split_whitespace()
                .map(str::to_lowercase)
                .collect();
            (r.get("word").to_lowercase(), exp)
        })
        .collect())
}

/// The built-in alias table (`hs-data/aliases.csv`).
pub fn builtin() -> Vec<Alias> {
    tables::get().aliases.clone()
}

/// Spelling variant -> the spelling the US tariff uses (lowercase words).
pub fn spellings() -> &'static Spellings {
    &tables::get().spellings
}

/// Everyday word -> the tariff's words for the same goods
/// (`hs-data/synonyms.csv`), used to expand queries.
pub fn synonyms() -> &'static HashMap<String, Vec<String>> {
    &tables::get().synonyms
}

/// Trade names and the goods they stand for (`hs-data/brands.csv`): a
/// brand the tariff never names is read as its goods ("febreze" -> "air
/// freshener").
#[derive(Debug, Clone, Default)]
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
    &tables::get().brands
}

/// Parses `hs-data/brands.csv` (`brand,goods,note`); words are read as
/// [`crate::text::normalize`] reads them, with the spellings given. A
/// brand `aliases` names is left to the alias.
pub fn parse_brands(
    text: &str,
    aliases: &[Alias],
    spellings: &Spellings,
) -> Result<Brands, TableError> {
    let words = |t: &str| crate::text::tokens(&crate::text::normalize_with(t, spellings));
    // A brand the alias table names already points at a code: the
    // alias, more precise, wins.
    let aliased: HashSet<String> = aliases.iter().map(|a| words(&a.phrase).join(" ")).collect();
    let mut map = HashMap::new();
    let mut possessive = Vec::new();
    let mut longest = 0;
    for r in tables::read(&BRANDS, text)? {
        let key = words(r.get("brand"));
        let goods = words(r.get("goods"));
        if key.is_empty() {
            return Err(r.error("brand", "has no words"));
        }
        if goods.is_empty() {
            return Err(r.error("goods", "has no words"));
        }
        if aliased.contains(&key.join(" ")) {
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
    Ok(Brands { map, longest })
}

/// Parses `hs-data/materials.csv` (`word,chapters`, chapters space-separated).
pub fn parse_materials(text: &str) -> Result<HashMap<String, Vec<u8>>, TableError> {
    tables::read(&MATERIALS, text)?
        .into_iter()
        .map(|r| Ok((r.get("word").to_lowercase(), r.list("chapters")?)))
        .collect()
}

/// Parses `hs-data/processes.csv` (`word,favour,disfavour`).
#[allow(clippy::type_complexity)]
pub fn parse_processes(text: &str) -> Result<HashMap<String, (Vec<u8>, Vec<u8>)>, TableError> {
    tables::read(&PROCESSES, text)?
        .into_iter()
        .map(|r| {
            let favour = r.list("favour")?;
            Ok((r.get("word").to_lowercase(), (favour, r.list("disfavour")?)))
        })
        .collect()
}

/// Material word -> the chapters that classify goods by that material
/// (`hs-data/materials.csv`).
pub fn materials() -> &'static HashMap<String, Vec<u8>> {
    &tables::get().materials
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
    &tables::get().processes
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
    &tables::get().material_chapters
}

/// Raw text of the built-in tables, for the index fingerprint.
pub fn tables_fingerprint() -> u64 {
    tables::fingerprint(INDEXED)
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
