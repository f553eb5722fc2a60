//! Whether a description reads as English: `hs` knows the English words of
//! the nomenclature, and text in another language ("camiseta de algodón
//! para hombre", "chaussures en cuir pour femmes") would otherwise match by
//! chance ("de" in "de-icing", "pour" in "pouring") and come back with a
//! confident-looking answer.
//!
//! The check is by evidence, word by word: function words of Spanish,
//! French, German, Portuguese, Italian and Dutch that are not English
//! words (`foreign` in `hs-data/words.csv`) and unknown words written with
//! letters English does not use (`algodón`) speak against English; words
//! the nomenclature, the aliases or the word lists know speak for it. A
//! description reads as not English only when it holds at least one such
//! function word and the foreign and unknown words together are at least
//! two and outnumber the known ones, so one loanword ("eau de toilette",
//! "crème brûlée", "espresso") or a French brand among English words never
//! marks a description.

use serde::Serialize;

use crate::tables::WordList;

/// What the language check read from a description.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Reading {
    /// False when the description reads as another language than English.
    pub english: bool,
    /// The words that look foreign (function words of other languages,
    /// unknown words with letters English does not use).
    pub foreign: Vec<String>,
    /// Other words neither the nomenclature nor the project's tables know.
    pub unknown: Vec<String>,
}

impl Reading {
    /// A description that reads as English (nothing to say).
    pub fn english() -> Reading {
        Reading {
            english: true,
            ..Reading::default()
        }
    }
}

/// True when `word` is on the word list `list` (`hs-data/words.csv`).
fn listed(list: WordList, word: &str) -> bool {
    crate::tables::get().words.contains(list, word)
}

/// A word too short or without vowels: an abbreviation or a code.
fn abbreviation(w: &str) -> bool {
    w.chars().count() <= 3 || !w.chars().any(|c| "aeiouy".contains(c) || !c.is_ascii())
}

/// A letter of a script other than Latin (with its accented letters).
pub(crate) fn not_latin(c: char) -> bool {
    let u = c as u32;
    c.is_alphabetic() && !(u <= 0x024f || (0x1e00..=0x1eff).contains(&u))
}

/// Reads the language of a description from its words (as
/// [`crate::text::tokens`] splits the normalised text, trade names already
/// read as their goods); `known` says whether the nomenclature or the
/// project's tables know a word. `known` is asked only when the words hold
/// a foreign function word, so English descriptions cost no look-up.
pub fn read_language(words: &[String], mut known: impl FnMut(&str) -> bool) -> Reading {
    // Abbreviations ("bts", "cplt", "bdy wsh") and words with digits say
    // nothing about the language; nor does a function word that ends the
    // text, where fixed-width fields cut words ("... cleansing le").
    let words: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !crate::text::has_digit(w))
        .filter(|w| listed(WordList::Foreign, w) || !abbreviation(w))
        .collect();
    let last = words.len().saturating_sub(1);
    let words: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(i, w)| *i < last || !listed(WordList::Foreign, w))
        .map(|(_, w)| *w)
        .collect();
    // Words in another script (Cyrillic, Greek, Arabic, Hebrew, CJK...)
    // are never English; they mark the description when they outnumber
    // the words known, so one such brand among English words does not.
    let other_script: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| w.chars().any(not_latin))
        .collect();
    if !other_script.is_empty() {
        let known_words = words
            .iter()
            .filter(|w| !w.chars().any(not_latin) && known(w))
            .count();
        if other_script.len() > known_words {
            return Reading {
                english: false,
                foreign: other_script.iter().map(|w| w.to_string()).collect(),
                unknown: Vec::new(),
            };
        }
    }
    if !words.iter().any(|w| listed(WordList::Foreign, w)) {
        return Reading::english();
    }
    let english_lists = [
        WordList::Noise,
        WordList::Function,
        WordList::Boundary,
        WordList::Packaging,
        WordList::Unit,
        WordList::Men,
        WordList::Women,
    ];
    let mut foreign: Vec<String> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    let mut english = 0usize;
    for w in words {
        if listed(WordList::Foreign, w) {
            foreign.push(w.to_string());
        } else if english_lists.iter().any(|l| listed(*l, w)) || known(w) {
            english += 1;
        } else if w.chars().any(|c| c.is_alphabetic() && !c.is_ascii()) {
            foreign.push(w.to_string());
        } else {
            unknown.push(w.to_string());
        }
    }
    let against = foreign.len() + unknown.len();
    Reading {
        english: !(against >= 2 && against > english),
        foreign,
        unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::language_words;

    /// A small English vocabulary standing in for the nomenclature's.
    const KNOWN: &[&str] = &[
        "cotton",
        "shirt",
        "tshirt",
        "shoes",
        "leather",
        "women",
        "men",
        "coffee",
        "maker",
        "machine",
        "bread",
        "flour",
        "frozen",
        "wheat",
        "dress",
        "eau",
        "toilette",
        "perfume",
        "spray",
        "ml",
        "skin",
        "cream",
        "sunscreen",
        "pan",
        "cast",
        "iron",
        "steel",
        "pot",
        "rice",
        "beans",
        "robe",
        "silk",
        "wrap",
        "chicken",
        "printer",
    ];

    fn read(text: &str) -> Reading {
        read_language(&language_words(text), |w| KNOWN.contains(&w))
    }

    #[test]
    fn spanish_french_german_portuguese_italian_read_as_foreign() {
        for t in [
            "camiseta de algodón para hombre",
            "chaussures en cuir pour femmes",
            "Herren T-Shirt aus Baumwolle",
            "Damenschuhe aus Leder mit Absatz",
            "camisa de algodão para homem",
            "scarpe da donna in pelle",
            "pantalones vaqueros de mezclilla",
            "sac à main en cuir",
        ] {
            let r = read(t);
            assert!(!r.english, "{t}: {r:?}");
            assert!(!r.foreign.is_empty(), "{t}: {r:?}");
        }
        let r = read("camiseta de algodón para hombre");
        assert_eq!(r.foreign, ["de", "algodón", "para"]);
        assert_eq!(r.unknown, ["camiseta", "hombre"]);
    }

    #[test]
    fn other_scripts_read_as_foreign_unless_outnumbered() {
        for t in [
            "хлопковая футболка мужская",
            "قميص قطني للرجال",
            "חולצת כותנה לגברים",
            "男士棉质T恤",
            "βαμβακερό μπλουζάκι",
        ] {
            let r = read(t);
            assert!(!r.english, "{t}: {r:?}");
            assert!(!r.foreign.is_empty(), "{t}: {r:?}");
        }
        // One word of another script among English words: English.
        assert!(read("cotton tshirt 棉").english);
    }

    #[test]
    fn english_titles_with_brands_units_and_loanwords_read_as_english() {
        for t in [
            "espresso coffee maker",
            "frozen tortilla wheat flour",
            "croissant",
            "butter croissant frozen",
            "silk kimono robe",
            "eau de toilette spray 100ml",
            "Le Creuset cast iron pan",
            "La Roche-Posay sunscreen 50ml",
            "crème brûlée",
            "jalapeño",
            "café table",
            "Nike Air Max 90 shoes",
            "23 BAGS X 11KGS JASMINE RICE",
            "Samsung 4K TV 55 inch",
            "3D printer",
            "pour over coffee maker",
            "de-icer spray",
            "bts para 500 cplt",
            "foaming cleanser le",
            "",
        ] {
            let r = read(t);
            assert!(r.english, "{t}: {r:?}");
        }
    }

    #[test]
    fn a_description_without_foreign_function_words_asks_no_lookup() {
        let mut asked = 0;
        let r = read_language(&language_words("zzyzx qwv"), |_| {
            asked += 1;
            false
        });
        assert!(r.english && asked == 0, "{r:?} {asked}");
        // A function word that ends the text (a cut word) is not asked about.
        let r = read_language(&language_words("shower gel le"), |_| {
            asked += 1;
            false
        });
        assert!(r.english && asked == 0, "{r:?} {asked}");
    }
}
