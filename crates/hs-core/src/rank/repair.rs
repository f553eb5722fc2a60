//! Repairing words the index has never seen: typos corrected, glued words
//! split, abbreviations written without vowels expanded, a last word cut
//! off by a fixed-width field completed. Each guess carries how far to
//! trust it.

use std::collections::HashMap;

use crate::text::letter_mask;

/// The index vocabulary grouped by word length (bytes), for corrections.
pub struct Vocab {
    /// By length: (word, documents, [`letter_mask`] of the word).
    by_len: Vec<Vec<(String, u32, u32)>>,
    /// Word -> documents.
    counts: HashMap<String, u32>,
}

impl Vocab {
    pub fn new(words: &HashMap<String, u32>) -> Vocab {
        let mut by_len: Vec<Vec<(String, u32, u32)>> = Vec::new();
        for (w, &n) in words {
            let l = w.len();
            if by_len.len() <= l {
                by_len.resize_with(l + 1, Vec::new);
            }
            by_len[l].push((w.clone(), n, letter_mask(w)));
        }
        for b in &mut by_len {
            b.sort();
        }
        Vocab {
            by_len,
            counts: words.clone(),
        }
    }
}

/// Two words written apart that the index's texts write as one ("wheel
/// chair" -> wheelchair, "tool box" -> toolbox): the joined word, when it
/// has six letters or more and each part two or more (shorter joins are
/// too often chance: "man go" is not a mango).
pub fn join(vocab: &Vocab, a: &str, b: &str) -> Option<String> {
    let letters = |w: &str| w.len() >= 2 && w.bytes().all(|c| c.is_ascii_lowercase());
    if !letters(a) || !letters(b) || a.len() + b.len() < 6 {
        return None;
    }
    let joined = format!("{a}{b}");
    vocab.counts.contains_key(&joined).then_some(joined)
}

/// What an unknown word most likely stands for, and how far to trust that
/// (a factor on the word's weight): a typo's correction ([`correct`]), else
/// the words glued into it ([`segment`]), else the word it abbreviates
/// ([`expand_abbreviation`]). The later guesses are surer to be wrong.
pub fn repair(vocab: &Vocab, word: &str) -> Option<(String, f32)> {
    if let Some(c) = correct(vocab, word) {
        return Some((c, 1.0));
    }
    if let Some(s) = segment(vocab, word) {
        return Some((s, SEGMENT_TRUST));
    }
    expand_abbreviation(vocab, word).map(|a| (a, ABBREVIATION_TRUST))
}

/// The commonest vocabulary word that starts with `prefix` (three letters
/// or more) and is longer: the word a cut-off description ended in.
pub fn complete(vocab: &Vocab, prefix: &str) -> Option<String> {
    let len = prefix.len();
    if len < 3 || !prefix.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    vocab
        .by_len
        .iter()
        .skip(len + 1)
        .flatten()
        .filter(|(w, _, _)| w.starts_with(prefix))
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(w, _, _)| w.clone())
}

/// Weight factor for a last word completed (see [`complete`]).
pub const COMPLETION_TRUST: f32 = 0.6;

/// Weight factors for words read as glued or abbreviated (see [`repair`]).
pub const SEGMENT_TRUST: f32 = 0.7;
pub const ABBREVIATION_TRUST: f32 = 0.7;

/// Vocabulary words glued together without spaces, as parcel and web
/// listings write them: "barstools" -> "bar stools". The whole word must
/// split into known words of three letters or more (the fewest pieces, then
/// the commonest); failing that, one known word of five letters or more
/// that starts or ends it, the rest (often a brand) left out:
/// "aussieshampoo" -> "shampoo".
pub fn segment(vocab: &Vocab, word: &str) -> Option<String> {
    let n = word.len();
    if !(6..=40).contains(&n) || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let count = |w: &str| vocab.counts.get(w).copied().unwrap_or(0);
    // best[i]: (pieces, summed log counts, start of the last piece) for word[..i].
    let mut best: Vec<Option<(u32, f32, usize)>> = vec![None; n + 1];
    best[0] = Some((0, 0.0, 0));
    for i in 3..=n {
        for j in 0..=i - 3 {
            let Some((p, l, _)) = best[j] else { continue };
            let c = count(&word[j..i]);
            if c == 0 {
                continue;
            }
            let cand = (p + 1, l + (c as f32).ln_1p(), j);
            let better = match best[i] {
                None => true,
                Some((bp, bl, _)) => cand.0 < bp || (cand.0 == bp && cand.1 > bl),
            };
            if better {
                best[i] = Some(cand);
            }
        }
    }
    if let Some((pieces, _, _)) = best[n]
        && pieces >= 2
    {
        let mut out = Vec::new();
        let mut i = n;
        while i > 0 {
            let (_, _, j) = best[i]?;
            out.push(&word[j..i]);
            i = j;
        }
        out.reverse();
        return Some(out.join(" "));
    }
    (5..=n - 3)
        .rev()
        .flat_map(|k| [&word[..k], &word[n - k..]])
        .find(|piece| count(piece) > 0)
        .map(str::to_string)
}

/// The word an abbreviation written without its vowels stands for, as
/// parcel and invoice lines shorten: "crm" -> "cream", "shmpo" ->
/// "shampoo", "rspbrry" -> "raspberry". Only a word that reads as
/// abbreviated (few vowels after its first letter) is expanded, to a longer
/// vocabulary word with the same first letter that holds it in order and
/// most of whose consonants it keeps; the commonest wins.
pub fn expand_abbreviation(vocab: &Vocab, word: &str) -> Option<String> {
    let w = word.as_bytes();
    let len = w.len();
    if !(4..=14).contains(&len) || !w.iter().all(u8::is_ascii_lowercase) {
        return None;
    }
    let vowel = |b: &u8| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u');
    if w[1..].iter().filter(|b| vowel(b)).count() > len / 4 {
        return None;
    }
    let consonants = |s: &[u8]| s.iter().filter(|b| !vowel(b)).count();
    let wc = consonants(w);
    let mut best: Option<(&str, f32, u32)> = None;
    for bucket in (len + 1..=(3 * len).min(vocab.by_len.len().saturating_sub(1)))
        .filter_map(|l| vocab.by_len.get(l))
    {
        for (cand, n, _) in bucket {
            let c = cand.as_bytes();
            if c[0] != w[0] || !is_subsequence(w, c) {
                continue;
            }
            let cover = wc as f32 / consonants(c).max(1) as f32;
            if cover < 0.7 {
                continue;
            }
            let better = match best {
                None => true,
                Some((_, bc, bn)) => cover > bc + 1e-6 || ((cover - bc).abs() <= 1e-6 && *n > bn),
            };
            if better {
                best = Some((cand, cover, *n));
            }
        }
    }
    best.map(|(c, _, _)| c.to_string())
}

/// True when `short` appears in `long` in order (not necessarily together).
fn is_subsequence(short: &[u8], long: &[u8]) -> bool {
    let mut it = long.iter();
    short.iter().all(|b| it.any(|c| c == b))
}

/// The closest vocabulary word to an unknown one: edit distance (with
/// transpositions, optimal string alignment)
/// distance 1 for words of 5-7 letters, 2 from 8, the commoner word on
/// ties. Only words sharing the first letter are compared, or from 8
/// letters the second (typos rarely hit the first letter, and both
/// hardly ever): a short word the tariff never uses is more often another
/// real word than a typo ("muffs" is not "puffs"). That keeps a
/// correction well under a millisecond.
pub fn correct(vocab: &Vocab, word: &str) -> Option<String> {
    let w = word.as_bytes();
    let len = w.len();
    if len < 5 || !word.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let max = if len >= 8 { 2 } else { 1 };
    let mask = letter_mask(word);
    let mut best: Option<(&str, usize, u32)> = None;
    let lens = len.saturating_sub(max)..=len + max;
    for bucket in lens.filter_map(|l| vocab.by_len.get(l)) {
        for (cand, n, cmask) in bucket {
            let c = cand.as_bytes();
            if c[0] != w[0] && (len < 8 || c.get(1) != w.get(1)) {
                continue;
            }
            let missing = (mask & !cmask)
                .count_ones()
                .max((cmask & !mask).count_ones());
            if missing as usize > max {
                continue;
            }
            let d = strsim::osa_distance(word, cand);
            if d == 0 || d > max {
                continue;
            }
            let better = match best {
                None => true,
                Some((_, bd, bn)) => d < bd || (d == bd && *n > bn),
            };
            if better {
                best = Some((cand, d, *n));
            }
        }
    }
    best.map(|(w, _, _)| w.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab(words: &[(&str, u32)]) -> Vocab {
        let words: HashMap<String, u32> = words.iter().map(|(w, n)| (w.to_string(), *n)).collect();
        Vocab::new(&words)
    }

    #[test]
    fn joins_two_words_the_vocabulary_writes_as_one() {
        let v = vocab(&[("wheelchair", 3), ("mango", 2), ("toolbox", 1)]);
        assert_eq!(join(&v, "wheel", "chair").as_deref(), Some("wheelchair"));
        assert_eq!(join(&v, "tool", "box").as_deref(), Some("toolbox"));
        // Too short to trust, or not letters, or unknown joined.
        assert_eq!(join(&v, "man", "go"), None);
        assert_eq!(join(&v, "tool", "b0x"), None);
        assert_eq!(join(&v, "wheel", "base"), None);
    }

    #[test]
    fn splits_glued_words_into_known_ones() {
        let v = vocab(&[
            ("bird", 5),
            ("seed", 40),
            ("quilted", 3),
            ("pillows", 9),
            ("shampoo", 2),
        ]);
        assert_eq!(segment(&v, "birdseed").as_deref(), Some("bird seed"));
        assert_eq!(
            segment(&v, "quiltedpillows").as_deref(),
            Some("quilted pillows")
        );
        // A brand glued to a known word of five letters or more: the word.
        assert_eq!(segment(&v, "aussieshampoo").as_deref(), Some("shampoo"));
        assert_eq!(segment(&v, "zzzzzzzz"), None);
        // Short or non-letter words are left alone.
        assert_eq!(segment(&v, "seed"), None);
        assert_eq!(segment(&v, "bird-seed"), None);
    }

    #[test]
    fn expands_words_written_without_vowels() {
        let v = vocab(&[
            ("raspberry", 4),
            ("conditioner", 6),
            ("condition", 30),
            ("shampoo", 2),
        ]);
        assert_eq!(
            expand_abbreviation(&v, "rspbrry").as_deref(),
            Some("raspberry")
        );
        assert_eq!(
            expand_abbreviation(&v, "cndtnr").as_deref(),
            Some("conditioner")
        );
        assert_eq!(expand_abbreviation(&v, "shmpo").as_deref(), Some("shampoo"));
        // A word with its vowels is not an abbreviation; three letters are too few.
        assert_eq!(expand_abbreviation(&v, "shampu"), None);
        assert_eq!(expand_abbreviation(&v, "rsp"), None);
    }

    #[test]
    fn completes_a_cut_off_word_with_the_commonest_longer_one() {
        let v = vocab(&[
            ("sleeves", 30),
            ("sleeping", 8),
            ("thermal", 5),
            ("the", 900),
        ]);
        assert_eq!(complete(&v, "sle").as_deref(), Some("sleeves"));
        assert_eq!(complete(&v, "ther").as_deref(), Some("thermal"));
        // Too short, or nothing longer starts so.
        assert_eq!(complete(&v, "sl"), None);
        assert_eq!(complete(&v, "thermal"), None);
    }

    #[test]
    fn repair_trusts_typos_more_than_guesses() {
        let v = vocab(&[("cotton", 50), ("bird", 5), ("seed", 40), ("raspberry", 4)]);
        assert_eq!(repair(&v, "coton"), Some(("cotton".to_string(), 1.0)));
        assert_eq!(
            repair(&v, "birdseed"),
            Some(("bird seed".to_string(), SEGMENT_TRUST))
        );
        assert_eq!(
            repair(&v, "rspbrry"),
            Some(("raspberry".to_string(), ABBREVIATION_TRUST))
        );
        assert_eq!(repair(&v, "qqqqq"), None);
    }

    #[test]
    fn corrects_typos_against_the_vocabulary() {
        let words: HashMap<String, u32> = [
            ("cotton", 50),
            ("bottom", 3),
            ("trousers", 10),
            ("compressor", 4),
        ]
        .into_iter()
        .map(|(w, n)| (w.to_string(), n))
        .collect();
        let vocab = Vocab::new(&words);
        assert_eq!(correct(&vocab, "coton").as_deref(), Some("cotton"));
        assert_eq!(correct(&vocab, "trousres").as_deref(), Some("trousers"));
        assert_eq!(correct(&vocab, "compresor").as_deref(), Some("compressor"));
        assert_eq!(correct(&vocab, "toyota"), None);
        // A short word is not corrected at its first letter; a long one is.
        assert_eq!(correct(&vocab, "dotton"), None);
        assert_eq!(correct(&vocab, "xrousers").as_deref(), Some("trousers"));
        assert_eq!(correct(&vocab, "abc"), None);
    }
}
