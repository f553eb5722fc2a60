//! Text understanding shared by indexing and querying: normalisation
//! (case, possessives, hyphenated compounds, spelling variants), removal of
//! exclusion clauses from tariff text, and the cleaning of a user's
//! description into weighted words (noise dropped, head noun found).

use crate::alias::{Spellings, brands, spellings};
use crate::measure::CONTENT_UNITS;
use crate::tables::WordList;

/// True when `word` is on the word list `list` (`hs-data/words.csv`).
pub(crate) fn listed(list: WordList, word: &str) -> bool {
    crate::tables::get().words.contains(list, word)
}

/// Whether `s` holds an ASCII digit (a quantity, a size, a model number:
/// such words are weighed and repaired differently).
pub fn has_digit(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit())
}

/// Lowercases, folds quotes, drops possessives (`men's` -> `men`), joins
/// single-letter compounds (`t-shirt` -> `tshirt`, `e-bike` -> `ebike`) and
/// maps spelling variants to the tariff's spelling (`tyre` -> `tire`).
pub fn normalize(text: &str) -> String {
    normalize_with(text, spellings())
}

/// [`normalize`] with the spelling table given (the tables use it while
/// they are being read).
pub fn normalize_with(text: &str, spellings: &Spellings) -> String {
    let mut lower = text.to_lowercase();
    if lower.contains(['\u{2019}', '\u{2018}', '`']) {
        lower = lower.replace(['\u{2019}', '\u{2018}', '`'], "'");
    }
    // One word, so that "polyester" can expand to it (synonyms.csv)
    // without "man" matching "men's".
    if lower.contains("man-made") {
        lower = lower.replace("man-made", "manmade");
    }
    let lower = respell(spellings, lower);
    // Only an apostrophe or a hyphen is changed from here on.
    if !lower.contains(['\'', '-']) {
        return lower;
    }
    let chars: Vec<char> = lower.chars().collect();
    let mut out = String::with_capacity(lower.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // Possessives: "'s" or a trailing "'" after a word.
        if c == '\'' {
            let prev_alpha = i > 0 && chars[i - 1].is_alphanumeric();
            if prev_alpha
                && chars.get(i + 1) == Some(&'s')
                && !chars.get(i + 2).is_some_and(|c| c.is_alphanumeric())
            {
                i += 2;
                continue;
            }
            out.push(' ');
            i += 1;
            continue;
        }
        // A single letter joined by a hyphen to a word: t-shirt, e-bike, x-ray.
        if c == '-'
            && i >= 1
            && chars[i - 1].is_alphabetic()
            && (i < 2 || !chars[i - 2].is_alphanumeric())
            && chars.get(i + 1).is_some_and(|c| c.is_alphabetic())
        {
            i += 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Maps each word (a run of letters and digits) through the spelling table
/// (`tyre` -> `tire`); the text itself when no word is a variant.
fn respell(map: &Spellings, lower: String) -> String {
    if map.is_empty() {
        return lower;
    }
    let mut mapped: Option<String> = None;
    // The end of the text copied to `mapped`, and where the word being
    // read starts.
    let (mut copied, mut word) = (0, None);
    let end = std::iter::once((lower.len(), ' '));
    for (i, c) in lower.char_indices().chain(end) {
        if c.is_alphanumeric() {
            word.get_or_insert(i);
            continue;
        }
        if let Some(from) = word.take()
            && let Some(to) = map.get(&lower[from..i])
        {
            let out = mapped.get_or_insert_with(|| String::with_capacity(lower.len() + 8));
            out.push_str(&lower[copied..from]);
            out.push_str(to);
            copied = i;
        }
    }
    match mapped {
        Some(mut out) => {
            out.push_str(&lower[copied..]);
            out
        }
        None => lower,
    }
}

/// The text with the words of [`WordList::Structure`] blanked out (a
/// chemical's ring, structure or class of elements, as chapters 28, 29
/// and 31 word them), the rest as written: the index leaves them out of those
/// chapters' texts.
pub fn without_structure_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() && !listed(WordList::Structure, &word.to_lowercase()) {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Removes clauses that exclude ("other than ...", "excluding ...",
/// "except ...", "not ...", but not "whether or not ...") up to the end of
/// their clause (`;`, `)` or the end), so tariff wording does not match the
/// very goods it leaves out.
pub fn strip_exclusions(text: &str) -> String {
    // ASCII lowercasing keeps byte offsets equal to the original's.
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut keep = vec![true; lower.len()];
    let triggers = ["other than ", "excluding ", "except ", "not ", "nor "];
    let mut i = 0;
    while i < lower.len() {
        if !lower.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let at_word = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if at_word && let Some(t) = triggers.iter().find(|t| lower[i..].starts_with(**t)) {
            let whether = *t == "not " && lower[..i].trim_end().ends_with("whether or");
            let not_only = *t == "not "
                && (lower[i..].starts_with("not only") || lower[i..].starts_with("not elsewhere"));
            if !whether && !not_only {
                let end = lower[i..]
                    .find([';', ')', ']'])
                    .map_or(lower.len(), |p| i + p);
                for k in keep.iter_mut().take(end).skip(i) {
                    *k = false;
                }
                i = end;
                continue;
            }
        }
        i += 1;
    }
    text.char_indices()
        .filter(|(idx, _)| keep.get(*idx).copied().unwrap_or(true))
        .map(|(_, ch)| ch)
        .collect()
}

/// One word of a cleaned query.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QueryWord {
    /// The normalised word as typed (for display and highlighting).
    pub word: String,
    /// How much it counts: the head noun most, modifiers of the name next,
    /// words after a boundary ("made of ...") least.
    pub weight: f32,
    /// True for the product's head noun.
    pub head: bool,
    /// True for a word of the salt list read as the salt form of the head
    /// noun said just before it ("sulfate" in "morphine sulfate"; see
    /// [`salt_base`]).
    #[serde(skip)]
    pub salt: bool,
}

/// Cleans a description into weighted words. Never fails; may be empty.
pub fn query_words(text: &str) -> Vec<QueryWord> {
    read_query(text).0
}

/// [`query_words`], and the trade names the description mentions, each
/// with the goods it was read as (for explanations).
pub fn read_query(text: &str) -> (Vec<QueryWord>, Vec<(String, String)>) {
    read_normalized(&normalize(text))
}

/// [`read_query`] of a text already [`normalize`]d.
pub fn read_normalized(norm: &str) -> (Vec<QueryWord>, Vec<(String, String)>) {
    // A tyre's size code names the goods, whatever else the line says.
    let tyre;
    let norm = match without_tyre_size(norm) {
        Some(rest) => {
            tyre = format!("tires , {rest}");
            tyre.as_str()
        }
        None => norm,
    };
    let (tokens, brands) = read_brands(split(norm));
    // Drop counts with their units and packaging, codes and model numbers.
    let mut kept: Vec<String> = Vec::new();
    // The same without dropping packaging: the goods when nothing else is left.
    let mut lenient: Vec<String> = Vec::new();
    let mut after_count = false;
    // The last count was a content's measure ("250g", "1.5 l").
    let mut measured = false;
    for (i, tok) in tokens.iter().cloned().enumerate() {
        if tok == "," {
            kept.push(tok.clone());
            lenient.push(tok);
            after_count = false;
            measured = false;
            continue;
        }
        let digit = has_digit(&tok);
        // Tokens mixing digits and letters that name goods or a property
        // of them ("3d printer", "4k tv", "18650 cells") are words.
        if digit && listed(WordList::Term, tok.as_str()) {
            after_count = false;
            kept.push(tok.clone());
            lenient.push(tok);
            continue;
        }
        if digit {
            after_count = true;
            measured = content_measure(&tok);
            // Words glued to numbers ("4xpillows", "shampoo300") are kept;
            // units ("11kgs", "90ml") and model-number letters are not.
            for run in letters_in_number(&tok) {
                kept.push(run.clone());
                lenient.push(run);
            }
            continue;
        }
        lenient.push(tok.clone());
        if after_count && CONTENT_UNITS.contains(&tok.as_str()) {
            measured = true;
        }
        // Packaging after a count is the goods' packing ("23 bags x 11kgs
        // rice") unless nothing names other goods after it in the clause
        // ("iphone 13 case"); a count of packs times their content is
        // packing wherever the goods are named ("rice 4480 bags x 25kg").
        // Packaging after a content's measure is the goods' container
        // when the goods are named before it ("mayonnaise 250g jar",
        // "honey 500g jar"), not when nothing but its material or make is
        // ("glass 250ml jar").
        let packing = listed(WordList::Packaging, tok.as_str())
            && (tokens.get(i + 1).is_some_and(|t| t == "x")
                || (measured && names_goods_before(&kept))
                || tokens[i + 1..].iter().take_while(|t| *t != ",").any(|t| {
                    !has_digit(t)
                        && !listed(WordList::Noise, t.as_str())
                        && !listed(WordList::Packaging, t.as_str())
                        && !listed(WordList::Boundary, t.as_str())
                }));
        // A boundary word ("for", "of") is kept: it still ends the name
        // ("sunglasses uv400 for men" names sunglasses).
        if after_count
            && (packing
                || (listed(WordList::Noise, tok.as_str())
                    && !listed(WordList::Boundary, tok.as_str())))
        {
            continue;
        }
        after_count = false;
        kept.push(tok);
    }
    let words = weigh(&kept, true);
    if !words.is_empty() {
        return (words, brands);
    }
    // Nothing but noise and packaging ("1 bottle", "cartons"): those words
    // are then the goods.
    (weigh(&lenient, false), brands)
}

/// True for a number with a unit of [`CONTENT_UNITS`] glued to it
/// ("250g", "1.5l", "12oz").
fn content_measure(tok: &str) -> bool {
    let unit = tok.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    unit.len() < tok.len() && CONTENT_UNITS.contains(&unit)
}

/// True when the words kept so far in the clause name goods: a word of
/// [`names_goods`] (a term with digits, "4k", counts here too) that is not
/// noise, packaging, a boundary or a material.
fn names_goods_before(kept: &[String]) -> bool {
    kept.iter().rev().take_while(|t| *t != ",").any(|t| {
        let t = t.as_str();
        (names_goods(t) || has_digit(t))
            && !listed(WordList::Noise, t)
            && !listed(WordList::Packaging, t)
            && !listed(WordList::Boundary, t)
            && crate::alias::material_chapters([t]).is_empty()
    })
}

/// The text without its tyre size codes, when it has one: the ISO metric
/// code of a radial tyre, width / aspect ratio, "R" and rim diameter
/// ("205/55R16", "265/65 R17", "225/45ZR17"), which names tyres
/// (heading 40.11) whatever else a declaration line says ("245/55R19 103H
/// SUV"). `None` when there is none.
fn without_tyre_size(norm: &str) -> Option<String> {
    let b = norm.as_bytes();
    let digits = |from: usize, n: usize| {
        from + n <= b.len()
            && b[from..from + n].iter().all(u8::is_ascii_digit)
            && !b.get(from + n).is_some_and(u8::is_ascii_digit)
    };
    let mut spans = Vec::new();
    let mut i = 0;
    while i + 3 <= b.len() {
        let start_ok = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        if start_ok && digits(i, 3) && b.get(i + 3) == Some(&b'/') && digits(i + 4, 2) {
            let mut j = i + 6;
            if b.get(j) == Some(&b' ') {
                j += 1;
            }
            if b.get(j) == Some(&b'z') {
                j += 1;
            }
            if b.get(j) == Some(&b'r') {
                j += 1;
                if b.get(j) == Some(&b' ') {
                    j += 1;
                }
                if digits(j, 2) {
                    spans.push((i, j + 2));
                    i = j + 2;
                    continue;
                }
            }
        }
        i += 1;
    }
    if spans.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(norm.len());
    let mut at = 0;
    for (from, to) in spans {
        out.push_str(&norm[at..from]);
        out.push(' ');
        at = to;
    }
    out.push_str(&norm[at..]);
    Some(out)
}

/// Splits normalised text into words and boundary marks (`,` for commas,
/// brackets, colons and slashes).
fn split(norm: &str) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    let mut cur = String::new();
    // Whether a mark other than a blank came after the last word.
    let mut marked = false;
    for c in norm.chars() {
        if c.is_alphanumeric() {
            cur.push(c);
        } else {
            if !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
                marked = false;
            }
            if matches!(c, ':' | '#') && !marked {
                drop_label(&mut tokens);
            }
            if !c.is_whitespace() {
                marked = true;
            }
            if matches!(c, ',' | '(' | ')' | ';' | ':' | '/' | '[' | ']') {
                tokens.push(",".to_string());
            }
        }
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    tokens
}

/// Drops a declaration's field label ([`WordList::Label`], with a "no" or
/// "number" after it: "CHASSIS NO:") from the end of `tokens`, when a
/// colon or `#` has just followed it: "CHASSIS: SD25VA-103349" names no
/// chassis, "MAKE : MITSUBISHI" no make-up.
fn drop_label(tokens: &mut Vec<String>) {
    let mut n = tokens.len();
    if n > 1 && matches!(tokens[n - 1].as_str(), "no" | "number" | "nr") {
        n -= 1;
    }
    if n > 0 && listed(WordList::Label, tokens[n - 1].as_str()) {
        tokens.truncate(n - 1);
    }
}

/// Words that introduce the goods' components or trimmings ("a handbag of
/// nylon with leather straps").
const WITH_WORDS: [&str; 5] = ["with", "featuring", "having", "incl", "including"];

/// The words of normalised text said only after a word of [`WITH_WORDS`]
/// in their clause, never before one: they name a component or trimming
/// ("leather" in "nylon handbag with leather straps"), not what the goods
/// themselves are made of.
pub fn with_clause_words(norm: &str) -> Vec<String> {
    let mut before: Vec<String> = Vec::new();
    let mut after: Vec<String> = Vec::new();
    let mut in_with = false;
    for t in split(norm) {
        if t == "," {
            in_with = false;
        } else if WITH_WORDS.contains(&t.as_str()) {
            in_with = true;
        } else if in_with {
            after.push(t);
        } else {
            before.push(t);
        }
    }
    after.retain(|w| !before.contains(w));
    after
}

/// Most bytes of a description that are searched: the rest of a longer
/// one is not read (every front end; the command line's bulk input cuts
/// its cells at the same length). A description is a few words; this keeps
/// one request from holding a core for seconds.
pub const MAX_QUERY_BYTES: usize = 10_000;

/// The part of a description that is searched: its first
/// [`MAX_QUERY_BYTES`] bytes, cut on a character boundary.
pub fn searched_part(s: &str) -> &str {
    if s.len() <= MAX_QUERY_BYTES {
        return s;
    }
    let mut end = MAX_QUERY_BYTES;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// At most `max` characters of `s` for a message, with `...` and the full
/// length in bytes when cut (front ends make it terminal-safe).
pub fn cut_short(s: &str, max: usize) -> String {
    let cut: String = s.chars().take(max).collect();
    if cut.len() < s.len() {
        format!("{cut}... ({} bytes)", s.len())
    } else {
        cut
    }
}

/// Most column names a message lists, and most characters of each.
pub const LISTED_COLUMNS: usize = 20;
pub const LISTED_CHARS: usize = 40;

/// Column names for a message: at most [`LISTED_COLUMNS`], each cut to
/// [`LISTED_CHARS`] characters, then how many more there are.
pub fn column_list(headers: &[String]) -> String {
    let mut s = headers
        .iter()
        .take(LISTED_COLUMNS)
        .map(|h| cut_short(h, LISTED_CHARS))
        .collect::<Vec<_>>()
        .join(", ");
    if headers.len() > LISTED_COLUMNS {
        s.push_str(&format!(" and {} more", headers.len() - LISTED_COLUMNS));
    }
    s
}

/// The words of normalised text, boundaries left out.
pub fn tokens(norm: &str) -> Vec<String> {
    split(norm).into_iter().filter(|t| t != ",").collect()
}

/// The words of a description as the language check reads them
/// ([`crate::lang::read_language`]): normalised, trade names read as their
/// goods, boundaries left out, and a word of another language's function
/// words left out where a hyphen glues it into a compound ("de-icer").
pub fn language_words(text: &str) -> Vec<String> {
    let norm = normalize(text);
    let glued: Vec<&str> = norm
        .split_whitespace()
        .filter(|chunk| chunk.contains('-'))
        .flat_map(|chunk| chunk.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| listed(WordList::Foreign, w))
        .collect();
    let (tokens, _) = read_brands(split(&norm));
    tokens
        .into_iter()
        .filter(|t| t != "," && !glued.contains(&t.as_str()))
        .collect()
}

/// Replaces each trade name among the tokens by the goods it stands for
/// (`hs-data/brands.csv`), the longest name first and never across a
/// boundary; also returns each name read, with its goods.
fn read_brands(tokens: Vec<String>) -> (Vec<String>, Vec<(String, String)>) {
    let table = brands();
    let mut out = Vec::with_capacity(tokens.len());
    let mut read = Vec::new();
    let mut i = 0;
    'next: while i < tokens.len() {
        for n in (1..=table.longest().min(tokens.len() - i)).rev() {
            let words = &tokens[i..i + n];
            if words.iter().any(|w| w == ",") {
                continue;
            }
            if let Some(goods) = table.goods(words) {
                out.extend(goods.iter().cloned());
                read.push((words.join(" "), goods.join(" ")));
                i += n;
                continue 'next;
            }
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    (out, read)
}

/// The letters a word holds, one bit each (bit 31 for any other byte). A
/// letter one word has and the other lacks costs at least one edit, so
/// masks bound the edit distance from below without comparing the words,
/// and a word can only hold another whose letters it has.
pub(crate) fn letter_mask(word: &str) -> u32 {
    word.bytes().fold(0, |m, b| {
        m | if b.is_ascii_lowercase() {
            1 << (b - b'a')
        } else if b.is_ascii_uppercase() {
            1 << (b - b'A')
        } else {
            1 << 31
        }
    })
}

/// Letter runs of a token holding digits that may name goods: [`MIN_GLUED`]
/// letters or more, not a unit, a leading count's `x` removed (`4xpillows`).
fn letters_in_number(tok: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run = String::new();
    let mut after_digit = false;
    let mut flush = |run: &mut String, after_digit: bool| {
        let mut r = std::mem::take(run);
        if after_digit && r.len() > 4 && r.starts_with('x') {
            r.remove(0);
        }
        // A short run on the term list is a word too ("spf30": spf).
        if (r.chars().count() >= MIN_GLUED || listed(WordList::Term, r.as_str()))
            && !listed(WordList::Noise, r.as_str())
            && !listed(WordList::Unit, r.as_str())
        {
            out.push(r);
        }
    };
    let mut prev_digit = false;
    for c in tok.chars() {
        if c.is_ascii_digit() {
            if !run.is_empty() {
                flush(&mut run, after_digit);
            }
            prev_digit = true;
        } else {
            if run.is_empty() {
                after_digit = prev_digit;
            }
            run.push(c);
            prev_digit = false;
        }
    }
    if !run.is_empty() {
        flush(&mut run, after_digit);
    }
    out
}

/// Shortest letter run kept from a token with digits: three letters glued
/// to a number are mostly units and codes ("lts", "pcc", "bxs").
const MIN_GLUED: usize = 4;

/// Nouns that end in -ed and are not covered by [`participle`]'s endings.
const ED_NOUNS: &[&str] = &["biped", "moped", "quadruped"];

/// True for a word that reads as a past participle ("printed", "coated",
/// "fueled"): it says what was done to the goods ("t-shirt printed with a
/// logo"), never what they are. Words of four letters or fewer (bed, red,
/// seed, shed), compounds ending in "eed", "bed", "shed" or "sled"
/// (linseed, flatbed, woodshed, bobsled) and the nouns of [`ED_NOUNS`]
/// (moped) are not.
pub(crate) fn participle(word: &str) -> bool {
    word.chars().count() > 4
        && word.ends_with("ed")
        && !["eed", "bed", "shed", "sled"]
            .iter()
            .any(|e| word.ends_with(e))
        && !ED_NOUNS.contains(&word)
}

/// Nouns that end in -able or -ible and are not covered by
/// [`adjective`]'s exceptions.
const ABLE_NOUNS: &[&str] = &[
    "collectible",
    "constable",
    "consumable",
    "convertible",
    "crucible",
    "receivable",
    "timetable",
    "turntable",
    "vegetable",
    "wearable",
    "worktable",
];

/// True for a word that reads as an adjective of capability or fitness
/// ("suitable", "washable", "rechargeable", "flexible"): it says what the
/// goods can do or what they fit, never what they are ("bag reusable",
/// "eyeglasses suitable for gaming"). Words of six letters or fewer
/// (cable, table, edible), plurals ("consumables") and the nouns of
/// [`ABLE_NOUNS`] (vegetable, turntable) are not.
pub(crate) fn adjective(word: &str) -> bool {
    word.chars().count() > 6
        && (word.ends_with("able") || word.ends_with("ible"))
        && !ABLE_NOUNS.contains(&word)
}

/// True for a word that can name the goods: not generic, a colour, a word
/// with digits (a kind, "3d", "4k"), a past participle (what was done to
/// them) or an adjective of [`adjective`].
fn names_goods(word: &str) -> bool {
    !listed(WordList::Generic, word)
        && !listed(WordList::Form, word)
        && !listed(WordList::Colour, word)
        && !has_digit(word)
        && !participle(word)
        && !adjective(word)
}

/// True for a name that names no article, so that the article comes after
/// a comma ("plastic-coated, steel wire rack", "kit, brake"): its words
/// are colours, past participles, adjectives of [`adjective`], generic
/// words or words with digits, and materials only beside a participle
/// ("plastic coated"; a material alone, "paper", may be the goods).
fn names_no_article(name: &[QueryWord]) -> bool {
    let described = name
        .iter()
        .any(|w| participle(&w.word) || adjective(&w.word));
    !name.is_empty()
        && name.iter().all(|w| {
            let w = w.word.as_str();
            !names_goods(w) || (described && !crate::alias::material_chapters([w]).is_empty())
        })
}

/// The compound a salt word names the salt of, and that salt word: when
/// the head `h` is a word of the salt list ("sulfate", "hydrochloride",
/// "hydrate"), the word of the name said just before it, unless that word
/// names a metal, ammonium or an element (the cation list: "sodium sulfate"
/// is a sulfate), an alkyl group (an ester: "methyl salicylate" is a
/// salicylate), a polymer ("polyvinyl chloride") or is not a goods word.
/// Chapter 29's texts name a compound "and its salts", so "morphine
/// sulfate" is morphine's goods (2939.11), "hydrazine hydrate" hydrazine's
/// (2825.10). A hydrate of a salt ("calcium chloride dihydrate") is the
/// salt's: the salt word then stands for the head, (its index, None), when
/// no compound comes before it.
fn salt_base(
    name: &[QueryWord],
    h: usize,
    last: &dyn Fn(usize) -> usize,
) -> Option<(usize, Option<usize>)> {
    if !listed(WordList::Salt, &name.get(h)?.word) {
        return None;
    }
    let before = (0..name.len())
        .filter(|&i| last(i) < last(h))
        .max_by_key(|&i| last(i))?;
    let w = name.get(before)?.word.as_str();
    if listed(WordList::Salt, w) {
        return Some(salt_base(name, before, last).unwrap_or((before, None)));
    }
    let compound = !listed(WordList::Cation, w)
        && !listed(WordList::Alkyl, w)
        && !listed(WordList::Polymer, w)
        && !w.starts_with("poly")
        && names_goods(w);
    compound.then_some((before, Some(h)))
}

/// Words after "net" or "gross" that make it a declaration's label ("net
/// wt", "net contents").
const MEASURED: [&str; 10] = [
    "wt", "wgt", "wght", "weight", "weights", "mass", "content", "contents", "vol", "volume",
];

/// True when the noise word at `at` is a goods noun of the `noun` list
/// that names the goods ("fishing net", "fishing net 400md white"): after
/// a word that is not noise, a boundary or a function word, and not before
/// a noise word, a unit or a measured quantity's name ("net weight",
/// "gross weight", "net wt" stay noise).
fn noise_noun_kept(kept: &[String], at: usize) -> bool {
    let Some(tok) = kept.get(at) else {
        return false;
    };
    let ends = kept.get(at + 1).is_none_or(|n| {
        !listed(WordList::Noise, n) && !listed(WordList::Unit, n) && !MEASURED.contains(&n.as_str())
    });
    let after_goods = at
        .checked_sub(1)
        .and_then(|p| kept.get(p))
        .is_some_and(|p| {
            p != ","
                && !listed(WordList::Noise, p)
                && !listed(WordList::Boundary, p)
                && !listed(WordList::Function, p)
        });
    listed(WordList::Noun, tok) && ends && after_goods
}

/// Words with weights, from the cleaned tokens; `strict` leaves out noise
/// words (the second, lenient pass keeps all but function words).
fn weigh(kept: &[String], strict: bool) -> Vec<QueryWord> {
    // The name is the words before the first boundary; the head the word
    // naming goods said last in it (not generic, a colour, a participle or
    // an adjective of [`adjective`]). A name of generic words only that says parts
    // ("spare parts for trucks", "accessories of phones", "PARTS,
    // EXCAVATOR") goes on past the boundary or comma: the goods are named
    // after it.
    let mut words: Vec<QueryWord> = Vec::new();
    // Where each word was last seen in the name: a word said twice
    // ("bike helmet adjustable toddler helmet") stands where it is said
    // last when the head is chosen.
    let mut last_seen: Vec<usize> = Vec::new();
    let mut in_name = true;
    let mut name_len = 0;
    for (at, tok) in kept.iter().enumerate() {
        if tok == "," || listed(WordList::Boundary, tok.as_str()) {
            let parts = words
                .iter()
                .any(|w| listed(WordList::Part, w.word.as_str()))
                && words
                    .iter()
                    .all(|w| listed(WordList::Generic, w.word.as_str()));
            // A comma after words that name no article (materials,
            // participles, colours) does not end the name.
            let name = &words[..name_len.min(words.len())];
            let no_article = tok == "," && names_no_article(name);
            // A container of goods ("box of chocolates", "bag of rice"):
            // the goods are named after "of", unless a material is ("box
            // of steel" is a box).
            let container = tok == "of"
                && name_len > 0
                && name
                    .iter()
                    .all(|w| listed(WordList::Packaging, w.word.as_str()))
                && kept.get(at + 1).is_some_and(|n| {
                    names_goods(n) && crate::alias::material_chapters([n.as_str()]).is_empty()
                });
            if name_len > 0 && !parts && !no_article && !container {
                in_name = false;
            }
            continue;
        }
        let noise = if strict {
            listed(WordList::Noise, tok.as_str()) && !noise_noun_kept(kept, at)
        } else {
            listed(WordList::Function, tok.as_str())
        };
        if noise || tok.chars().count() < 2 {
            continue;
        }
        if let Some(i) = words.iter().position(|w| w.word == *tok) {
            if in_name && let Some(seen) = last_seen.get_mut(i) {
                *seen = at;
            }
            continue;
        }
        words.push(QueryWord {
            word: tok.clone(),
            weight: if in_name { 1.0 } else { 0.7 },
            head: false,
            salt: false,
        });
        last_seen.push(at);
        if in_name {
            name_len += 1;
        }
    }
    let name = &words[..name_len.min(words.len())];
    // A term with digits ("3d", "4k") says what kind, not what goods; a
    // colour what they look like; a past participle what was done to them.
    // The last word is the head only when no word names goods.
    let last = |i: usize| last_seen.get(i).copied().unwrap_or(i);
    let head = (0..name.len())
        .filter(|&i| names_goods(&name[i].word))
        .max_by_key(|&i| last(i))
        .or_else(|| (0..name.len()).max_by_key(|&i| last(i)));
    let (head, salt) = match head {
        Some(h) => salt_base(name, h, &last).map_or((Some(h), None), |(b, s)| (Some(b), s)),
        None => (None, None),
    };
    if let Some(h) = head {
        words[h].head = true;
        words[h].weight = 1.6;
    }
    if let Some(w) = salt.and_then(|i| words.get_mut(i)) {
        w.salt = true;
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_ten_thousand_bytes_are_searched_cut_on_a_character() {
        assert_eq!(searched_part("cotton shirt"), "cotton shirt");
        let long = format!("{}{}", "a".repeat(MAX_QUERY_BYTES - 1), "é and more");
        let part = searched_part(&long);
        assert_eq!(part.len(), MAX_QUERY_BYTES - 1);
        assert!(long.starts_with(part));
        let exact = "b".repeat(MAX_QUERY_BYTES);
        assert_eq!(searched_part(&exact), exact);
    }

    #[test]
    fn a_name_of_generic_words_goes_on_past_the_boundary() {
        assert_eq!(
            head("spare parts for excavator").as_deref(),
            Some("excavator")
        );
        assert_eq!(head("parts of excavator").as_deref(), Some("excavator"));
        assert_eq!(head("PARTS, EXCAVATOR").as_deref(), Some("excavator"));
        assert_eq!(head("excavator parts").as_deref(), Some("excavator"));
        // Other generic names end at the boundary, as before.
        assert_eq!(head("machines for making ice").as_deref(), Some("machines"));
        // A name that names goods ends at the boundary, as before.
        assert_eq!(head("shirts of cotton").as_deref(), Some("shirts"));
        let w = query_words("shirts of cotton");
        assert!(w.iter().any(|w| w.word == "cotton" && w.weight < 1.0));
    }

    #[test]
    fn a_form_word_is_never_the_head() {
        assert_eq!(head("tea leaves").as_deref(), Some("tea"));
        assert_eq!(head("coconut flakes").as_deref(), Some("coconut"));
        assert_eq!(head("leaf spring").as_deref(), Some("spring"));
    }

    #[test]
    fn a_container_of_goods_names_the_goods_after_of() {
        assert_eq!(head("box of chocolates").as_deref(), Some("chocolates"));
        assert_eq!(head("jar of honey").as_deref(), Some("honey"));
        // A material after "of" says what the container is made of.
        assert_eq!(head("box of steel").as_deref(), Some("box"));
        // "for" says what the container is for.
        assert_eq!(head("box for shoes").as_deref(), Some("box"));
        // Goods before the container: as before.
        assert_eq!(head("shirts of cotton").as_deref(), Some("shirts"));
    }

    #[test]
    fn a_boundary_after_a_count_still_ends_the_name() {
        assert_eq!(
            head("Sunglasses Polarized UV400 for Men").as_deref(),
            Some("sunglasses")
        );
        assert_eq!(head("5 ctns x 20 bags of rice").as_deref(), Some("rice"));
        assert_eq!(head("100 pcs of t-shirts").as_deref(), Some("tshirts"));
    }

    #[test]
    fn a_word_said_twice_stands_where_it_is_said_last() {
        assert_eq!(
            head("kids bike helmet adjustable toddler helmet for ages 3-8").as_deref(),
            Some("helmet")
        );
        assert_eq!(head("shirt cotton shirt").as_deref(), Some("shirt"));
        // Said again after the name, it does not move.
        assert_eq!(head("cotton shirt for cotton").as_deref(), Some("shirt"));
    }

    #[test]
    fn an_adjective_of_capability_is_never_the_head() {
        assert_eq!(head("shopping bag reusable").as_deref(), Some("bag"));
        assert_eq!(
            head("eyeglasses suitable for gaming").as_deref(),
            Some("eyeglasses")
        );
        assert_eq!(head("speaker portable").as_deref(), Some("speaker"));
        // Nouns ending alike stay heads.
        assert_eq!(head("fresh vegetable").as_deref(), Some("vegetable"));
        assert_eq!(head("usb cable").as_deref(), Some("cable"));
        assert_eq!(head("graphite crucible").as_deref(), Some("crucible"));
        assert_eq!(head("printer consumables").as_deref(), Some("consumables"));
    }

    #[test]
    fn a_name_that_names_no_article_goes_on_past_a_comma() {
        assert_eq!(head("KIT, BRAKE").as_deref(), Some("brake"));
        assert_eq!(
            head("a plastic-coated, steel wire").as_deref(),
            Some("wire")
        );
        // A name that names goods, or a material alone, ends at the comma.
        assert_eq!(head("rice, jasmine").as_deref(), Some("rice"));
        assert_eq!(head("paper, brand x").as_deref(), Some("paper"));
        // A boundary word still ends it.
        assert_eq!(head("plated for cars").as_deref(), Some("plated"));
    }

    #[test]
    fn a_salt_is_read_as_its_compound() {
        assert_eq!(head("morphine sulfate").as_deref(), Some("morphine"));
        assert_eq!(
            head("ephedrine hydrochloride").as_deref(),
            Some("ephedrine")
        );
        assert_eq!(head("hydrazine hydrate").as_deref(), Some("hydrazine"));
        assert_eq!(
            head("quinine sulfate dihydrate").as_deref(),
            Some("quinine")
        );
        // Inorganic salts keep the salt word as the head.
        assert_eq!(head("sodium sulfate").as_deref(), Some("sulfate"));
        assert_eq!(head("methyl salicylate").as_deref(), Some("salicylate"));
        assert_eq!(
            head("calcium chloride dihydrate").as_deref(),
            Some("chloride")
        );
        // A polymer's name is not a salt's.
        assert_eq!(head("polyvinyl chloride").as_deref(), Some("chloride"));
        // A salt word alone, or not the head, changes nothing.
        assert_eq!(head("sulfate").as_deref(), Some("sulfate"));
        assert_eq!(head("sodium chloride tablets").as_deref(), Some("tablets"));
    }

    #[test]
    fn a_colour_is_never_the_head() {
        assert_eq!(head("led spotlight black").as_deref(), Some("spotlight"));
        assert_eq!(head("hair clip navy blue").as_deref(), Some("clip"));
        assert_eq!(head("black tea").as_deref(), Some("tea"));
        // A colour alone is still read: the last word stands.
        assert_eq!(head("black").as_deref(), Some("black"));
    }

    #[test]
    fn words_glued_to_numbers_are_kept_units_are_not() {
        assert_eq!(words("4xquiltedpillows"), ["quiltedpillows"]);
        assert_eq!(words("aussieshampoo300"), ["aussieshampoo"]);
        assert_eq!(words("23 BAGS X 11KGS JASMINE RICE"), ["jasmine", "rice"]);
        assert_eq!(words("90ml 12pcs"), Vec::<String>::new());
    }

    #[test]
    fn a_tyre_size_code_names_tyres() {
        assert_eq!(head("245/55R19 103H PCY SUV+").as_deref(), Some("tires"));
        assert_eq!(
            head("265/65 R17 120/117S 10PR LT").as_deref(),
            Some("tires")
        );
        assert_eq!(
            head("CAR COVERS : X 215/70ZR15 104/101R").as_deref(),
            Some("tires")
        );
        // Other fractions are not tyre sizes.
        assert_eq!(head("hose 100/50 rubber").as_deref(), Some("hose"));
        assert_eq!(head("pipe 1/2 inch r10").as_deref(), Some("pipe"));
    }

    #[test]
    fn a_declaration_field_label_is_not_goods() {
        let w = words("1 UNIT USED KYMCO K100 SCOOTER CHASSIS: SD25VA-103349 CC: 100");
        assert!(w.contains(&"scooter".to_string()), "{w:?}");
        assert!(!w.contains(&"chassis".to_string()), "{w:?}");
        assert!(!words("MAKE : MITSUBISHI PAJERO").contains(&"make".to_string()));
        assert!(!words("PICK UP CHASSIS NO: LSFAM11A8").contains(&"chassis".to_string()));
        // "#" then ":" drops the label once, never the word before it.
        let w = words("MOTOR SCOOTER CHASSIS #: XCF14944");
        assert_eq!(w, ["motor", "scooter"]);
        // Without a colon the word is goods.
        assert_eq!(head("truck chassis").as_deref(), Some("chassis"));
        assert_eq!(head("chassis, for trucks").as_deref(), Some("chassis"));
    }

    #[test]
    fn brands_are_read_as_their_goods() {
        assert_eq!(words("2x febreze refills"), ["air", "freshener", "refills"]);
        // Spaced, glued and apostrophe forms of one brand.
        assert_eq!(words("Jack Daniel's 70cl"), words("jack daniels"));
        // The longest name wins; an ordinary word is not a brand.
        assert_eq!(words("ariel pods"), ["laundry", "detergent", "pods"]);
        assert_eq!(words("ariel"), ["ariel"]);
        // A brand the alias table names keeps its word for the alias.
        assert_eq!(words("lego bricks"), ["lego", "bricks"]);
        assert_eq!(
            read_query("2 x Febreze plug").1,
            [("febreze".to_string(), "air freshener".to_string())]
        );
    }

    #[test]
    fn packaging_alone_is_the_goods() {
        assert_eq!(words("1 bottle"), ["bottle"]);
        assert_eq!(words("cartons"), ["cartons"]);
        // With goods named, packaging after a count is still noise.
        assert_eq!(words("10 cartons shoes"), ["shoes"]);
        // Packaging last in its clause is the goods.
        assert_eq!(words("phone 13 case"), ["phone", "case"]);
        // ... unless it is a count of packs times their content.
        assert_eq!(
            words("calcium carbonate 4480 bags x 25kg"),
            ["calcium", "carbonate"]
        );
        assert_eq!(words("clothing 10 bags x 10 kgs"), ["clothing"]);
        // Nothing else named: the packs are the goods.
        assert_eq!(words("5 bags x 10kg"), ["bags"]);
        assert!(words("£5").is_empty());
    }

    #[test]
    fn words_after_with_name_components() {
        let w = with_clause_words(&normalize("handbag of nylon with leather straps"));
        assert_eq!(w, ["leather", "straps"]);
        // Said before too, or in the next clause: not a component only.
        let w = with_clause_words(&normalize("leather bag with leather strap, cotton"));
        assert_eq!(w, ["strap"]);
        assert!(with_clause_words(&normalize("cotton shirt")).is_empty());
    }

    #[test]
    fn a_short_term_glued_to_a_number_is_kept() {
        assert_eq!(words("soltan spf30 200ml"), ["soltan", "spf"]);
        assert_eq!(words("usb3 cable"), ["usb", "cable"]);
        // Other short runs glued to numbers are units or model letters.
        assert_eq!(words("ab12 cable"), ["cable"]);
    }

    #[test]
    fn a_noise_word_that_names_goods_is_kept_where_it_ends_the_name() {
        assert_eq!(words("fishing net"), ["fishing", "net"]);
        assert_eq!(head("fishing net").as_deref(), Some("net"));
        assert_eq!(
            words("mosquito net, polyester"),
            ["mosquito", "net", "polyester"]
        );
        // A label elsewhere stays noise.
        assert_eq!(words("rice net weight 25kg"), ["rice"]);
        assert_eq!(words("rice net wt 25kg"), ["rice", "wt"]);
        assert_eq!(words("rice 25kg net"), ["rice"]);
        assert_eq!(
            words("fishing net 400mdx80yds white")[..2],
            ["fishing", "net"]
        );
        assert_eq!(words("rice net contents 5kg"), ["rice", "contents"]);
    }

    #[test]
    fn packaging_after_a_contents_measure_is_the_container() {
        assert_eq!(words("mayonnaise 250g jar"), ["mayonnaise"]);
        assert_eq!(words("honey 500 g jar"), ["honey"]);
        assert_eq!(
            words("olive oil 1.5l bottle, extra virgin"),
            ["olive", "oil", "extra", "virgin"]
        );
        // Nothing but a material or make before it: the container is the goods.
        assert_eq!(words("glass 250ml jar"), ["glass", "jar"]);
        assert_eq!(words("500ml bottle"), ["bottle"]);
        // A count that is not a measure leaves it alone.
        assert_eq!(words("phone 13 case"), ["phone", "case"]);
    }

    fn words(t: &str) -> Vec<String> {
        query_words(t).into_iter().map(|w| w.word).collect()
    }

    fn head(t: &str) -> Option<String> {
        query_words(t).into_iter().find(|w| w.head).map(|w| w.word)
    }

    #[test]
    fn a_past_participle_is_never_the_head() {
        assert_eq!(
            head("a fondue pot fueled by a denatured alcohol burner").as_deref(),
            Some("pot")
        );
        assert_eq!(
            head("cotton t-shirt printed with logo").as_deref(),
            Some("tshirt")
        );
        assert_eq!(head("rice husked").as_deref(), Some("rice"));
        // Nouns that end in -ed stay nouns.
        assert_eq!(head("steel flatbed").as_deref(), Some("flatbed"));
        assert_eq!(head("wild birdseed").as_deref(), Some("birdseed"));
        assert_eq!(head("electric moped").as_deref(), Some("moped"));
    }

    #[test]
    fn a_car_maker_reads_as_a_car() {
        assert_eq!(head("used toyota").as_deref(), Some("car"));
        assert_eq!(head("diesel toyota").as_deref(), Some("car"));
        assert_eq!(head("toyota brake pads").as_deref(), Some("pads"));
    }

    #[test]
    fn normalizes_possessives_and_compounds() {
        assert_eq!(normalize("Men's T-Shirt"), "men tshirt");
        assert_eq!(normalize("boys' e-bike"), "boys  ebike");
        assert_eq!(normalize("x-ray"), "xray");
        assert_eq!(normalize("half-carcasses"), "half-carcasses");
    }

    #[test]
    fn respells_variants_wherever_they_stand() {
        let map: Spellings = [("tyre", "tire"), ("colour", "color")]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        let n = |t: &str| normalize_with(t, &map);
        assert_eq!(n("Tyre"), "tire");
        assert_eq!(n("tyres, tyre; (colour)tyre"), "tyres, tire; (color)tire");
        assert_eq!(n("new tyre's colour"), "new tire color");
        assert_eq!(
            n("Man-made fibres \u{2019}n` tyre"),
            "manmade fibres  n  tire"
        );
        assert_eq!(n("no variant here"), "no variant here");
        assert_eq!(normalize_with("Tyre", &Spellings::default()), "tyre");
    }

    #[test]
    fn strips_exclusion_clauses() {
        assert_eq!(
            strip_exclusions("Horses; live, other than pure-bred breeding animals").trim(),
            "Horses; live,"
        );
        assert_eq!(
            strip_exclusions("Suits (not knitted or crocheted); of wool"),
            "Suits (); of wool"
        );
        assert_eq!(
            strip_exclusions("Meat, whether or not cut"),
            "Meat, whether or not cut"
        );
        assert_eq!(strip_exclusions("knot tying"), "knot tying");
    }

    #[test]
    fn structure_words_are_blanked_and_the_rest_kept() {
        assert_eq!(
            without_structure_words("Containing an unfused pyrimidine Ring in the structure"),
            "Containing an unfused pyrimidine  in the "
        );
        assert_eq!(
            without_structure_words("Radioactive chemical elements; rings-"),
            "Radioactive chemical ; -"
        );
        // Only whole words: "ringer", "complexion" and "bearing" stay.
        assert_eq!(
            without_structure_words("ringer complexion bearing"),
            "ringer complexion bearing"
        );
        assert_eq!(without_structure_words(""), "");
    }

    #[test]
    fn strip_exclusions_is_safe_on_any_text() {
        assert_eq!(
            strip_exclusions("maté (heading 2101); not é"),
            "maté (heading 2101); "
        );
        assert_eq!(strip_exclusions("İstanbul not x"), "İstanbul ");
    }

    #[test]
    fn drops_counts_units_and_model_numbers() {
        assert_eq!(
            words("23 BAGS X 11KGS JASMINE RICE"),
            vec!["jasmine", "rice"]
        );
        assert_eq!(words("MY WAY EDP 90ML"), vec!["my", "way", "edp"]);
        assert_eq!(words("plastic bags"), vec!["plastic", "bags"]);
        assert!(words("").is_empty());
        assert!(words("\"*:()[] AND OR NOT").is_empty());
    }

    #[test]
    fn goods_nouns_of_shipping_words_are_kept() {
        // Goods that are also shipping units are kept, unless a count makes
        // them the packing (issue 13: "wooden pallets" matched only "wooden").
        assert_eq!(words("wooden pallets"), ["wooden", "pallets"]);
        assert_eq!(words("plastic pallet"), ["plastic", "pallet"]);
        assert_eq!(words("10 pallets of ceramic tiles"), ["ceramic", "tiles"]);
        assert_eq!(words("power bank 10000mah"), ["power", "bank"]);
    }

    #[test]
    fn terms_mixing_digits_and_letters_survive() {
        // Issue 13: "3D printer" dropped "3D" and never offered 8485.
        assert_eq!(words("3D printer"), ["3d", "printer"]);
        assert_eq!(head("3D printer").as_deref(), Some("printer"));
        assert_eq!(head("printer 3d").as_deref(), Some("printer"));
        assert_eq!(words("Samsung 4K TV"), words("samsung 4k tv"));
        assert!(words("samsung 4k tv").contains(&"4k".to_string()));
        assert_eq!(words("18650 battery"), ["18650", "battery"]);
        // Units and counts glued to numbers are still dropped.
        assert_eq!(words("5kg rice 3pcs"), ["rice"]);
        // Hyphenated forms keep their words.
        assert_eq!(words("USB-C cable"), ["usb", "cable"]);
        assert_eq!(words("2-stroke engine"), ["stroke", "engine"]);
        assert_eq!(words("LED bulb"), ["led", "bulb"]);
    }

    #[test]
    fn language_words_read_brands_and_leave_out_glued_foreign_words() {
        assert_eq!(language_words("de-icer spray"), ["icer", "spray"]);
        assert_eq!(
            language_words("La Roche-Posay sunscreen"),
            ["skin", "cream", "sunscreen"]
        );
        assert_eq!(
            language_words("zapatos de cuero"),
            ["zapatos", "de", "cuero"]
        );
    }

    #[test]
    fn finds_the_head_noun() {
        assert_eq!(
            head("men's cotton knitted t-shirt").as_deref(),
            Some("tshirt")
        );
        assert_eq!(
            head("film composed of polyethylene terephthalate, used for packaging").as_deref(),
            Some("film")
        );
        assert_eq!(
            head("a liquid crystal lighting device").as_deref(),
            Some("lighting")
        );
        let w = query_words("steel bolts made of steel");
        assert!(w.iter().filter(|w| w.word == "steel").count() == 1);
    }
}
