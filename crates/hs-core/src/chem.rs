//! Organic chemical names. A systematic name spells out its functions and
//! ring systems ("4-aminobenzoic acid", "2-tert-butyl-4-methoxyphenol"), and
//! chapter 29 is arranged by exactly those (`hs-data/chemistry.csv`). This
//! module reads a description as a chemical name when it looks like one
//! (a CAS number, locants such as `2,4-`, or words built of several
//! fragments) and names the chapter 29 heading its fragments point to,
//! applying Note 3 to chapter 29: a compound that could fall in two or more
//! headings goes to the one last in numerical order.

use crate::tables::{self, Spec, TableError, WordList};
use crate::text::letter_mask;

const CHEMISTRY: Spec = Spec {
    file: "chemistry.csv",
    columns: &["fragment", "heading", "strong", "note"],
    required: &["fragment", "heading", "strong", "note"],
};

/// One fragment of the table.
#[derive(Debug, Clone)]
pub struct Fragment {
    text: String,
    /// The letters it uses, one bit each, to skip words that lack one.
    mask: u32,
    /// A chapter 29 heading (2901-2942), or 0 for a substituent.
    heading: u16,
    /// Shows by itself that the text is a systematic name.
    strong: bool,
}

/// Parses `hs-data/chemistry.csv` (`fragment,heading,strong,note`): the
/// heading is 0 or 2901-2942, `strong` is `yes` or `no`.
pub fn parse_fragments(text: &str) -> Result<Vec<Fragment>, TableError> {
    tables::read(&CHEMISTRY, text)?
        .into_iter()
        .map(|r| {
            let heading: u16 = r.parse("heading")?;
            if heading != 0 && !(2901..=2942).contains(&heading) {
                return Err(r.error("heading", format!("{heading} is not 0 or 2901-2942")));
            }
            let strong = match r.get("strong") {
                "yes" => true,
                "no" => false,
                other => return Err(r.error("strong", format!("`{other}` is not yes or no"))),
            };
            let text = r.get("fragment").to_lowercase();
            Ok(Fragment {
                mask: letter_mask(&text),
                text,
                heading,
                strong,
            })
        })
        .collect()
}

fn fragments() -> &'static [Fragment] {
    &tables::get().chemistry
}

/// The one-word fragments inside `word`.
fn fragments_in(word: &str) -> impl Iterator<Item = &'static Fragment> + '_ {
    let mask = letter_mask(word);
    fragments().iter().filter(move |f| {
        f.mask & !mask == 0
            && f.text.len() <= word.len()
            && !f.text.contains(' ')
            && word.contains(f.text.as_str())
    })
}

/// True when `text` holds a CAS registry number (`100929-45-1`).
fn has_cas_number(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_digit() || c == '-'))
        .any(|w| {
            let parts: Vec<&str> = w.split('-').collect();
            parts.len() == 3
                && (2..=7).contains(&parts[0].len())
                && parts[1].len() == 2
                && parts[2].len() == 1
                && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// True when `text` holds a locant before a name part: `2-methyl`,
/// `2,4-diamino`, `4,4'-oxybis`, `N-(`.
fn has_locant(lower: &str) -> bool {
    let b = lower.as_bytes();
    for i in 0..b.len() {
        if b[i] != b'-' || i == 0 {
            continue;
        }
        let next_alpha = b
            .get(i + 1)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'(');
        if !next_alpha {
            continue;
        }
        // Walk back over digits, commas and primes.
        let mut j = i;
        let mut digits = 0;
        while j > 0 && matches!(b[j - 1], b'0'..=b'9' | b',' | b'\'') {
            if b[j - 1].is_ascii_digit() {
                digits += 1;
            }
            j -= 1;
        }
        let starts_word = j == 0 || !b[j - 1].is_ascii_alphanumeric();
        // A lone number before a hyphen is a locant only when short
        // ("2-methyl", not "2024-model" or "100-piece").
        if digits > 0 && digits <= 3 && starts_word && i - j <= 7 {
            let word: String = lower[i + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect();
            if fragments_in(&word).next().is_some() {
                return true;
            }
        }
    }
    false
}

/// The chapter 29 heading (four digits) a description names when it reads
/// as an organic chemical name, by the functions its name spells out and
/// Note 3 to chapter 29; None when it does not read as one.
pub fn heading(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3 && !w.starts_with("poly"))
        .collect();
    // Polymers and articles of them are chapter 39's, whatever their
    // monomers' names say ("polyethylene terephthalate film").
    let polymer = lower.split(|c: char| !c.is_ascii_alphabetic()).any(|w| {
        (w.starts_with("poly") && w.len() > 6)
            || crate::tables::get().words.contains(WordList::Polymer, w)
            || w.ends_with("polymer")
    });
    if polymer {
        return None;
    }
    let mut found: Vec<u16> = Vec::new();
    let mut named = false;
    for w in &words {
        let hits: Vec<&Fragment> = fragments_in(w).collect();
        // A word built of two fragments or more is a systematic name.
        named |= hits.len() >= 2 || hits.iter().any(|f| f.strong && w.len() > f.text.len());
        found.extend(hits.iter().map(|f| f.heading).filter(|&h| h > 0));
    }
    // Fragments of two words ("acrylic acid").
    for f in fragments().iter().filter(|f| f.text.contains(' ')) {
        if lower.contains(f.text.as_str()) {
            found.push(f.heading);
        }
    }
    if !(named || has_cas_number(&lower) || has_locant(&lower)) || found.is_empty() {
        return None;
    }
    // Amino-compounds with an oxygen function have their own heading
    // (29.22), as do carboxylic acids with another oxygen function (29.18).
    let oxygen = |h: &u16| (2905..=2914).contains(h);
    if found.contains(&2921) && found.iter().any(|h| (2905..=2918).contains(h)) {
        found.retain(|&h| h != 2921);
        found.push(2922);
    }
    if found.iter().any(|h| (2915..=2917).contains(h)) && found.iter().any(oxygen) {
        found.push(2918);
    }
    found.into_iter().max().map(|h| h.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_heading_among_the_functions_wins() {
        // A heterocycle outranks the amine and the acid (Note 3).
        assert_eq!(
            heading("2-(4-methylpiperazin-1-yl)benzoic acid").as_deref(),
            Some("2933")
        );
        // An amine with a carboxylic acid is an amino-acid (29.22).
        assert_eq!(heading("4-aminobenzoic acid").as_deref(), Some("2922"));
        // An ether-phenol is an ether (29.09), after phenols (29.07).
        assert_eq!(heading("4-methoxyphenol").as_deref(), Some("2909"));
        // A hydroxy acid is a carboxylic acid with oxygen function (29.18).
        assert_eq!(
            heading("2-hydroxypropanoic acid, lactic").as_deref(),
            Some("2918")
        );
    }

    #[test]
    fn cas_numbers_and_locants_show_a_chemical() {
        assert!(has_cas_number("sorbitol (cas 50-70-4)"));
        assert!(!has_cas_number("model 2024-10-1234"));
        assert!(has_locant("2,4-diaminotoluene"));
        assert!(has_locant("4,4'-oxybisbenzene"));
        assert!(!has_locant("a 2-piece suit"));
        assert!(!has_locant("2024-model car"));
    }

    #[test]
    fn everyday_descriptions_are_not_chemicals() {
        assert_eq!(heading("men's cotton knitted t-shirt"), None);
        assert_eq!(heading("polyethylene film for packaging"), None);
        assert_eq!(heading("vinyl acetate flooring"), None);
        assert_eq!(heading("methylated spirit"), None);
        assert_eq!(heading("amino acid supplement capsules"), None);
        // Polymers are chapter 39's whatever their monomers' names.
        assert_eq!(
            heading("maleic anhydride modified propylene copolymer"),
            None
        );
        assert_eq!(heading("polyethylene terephthalate film"), None);
    }
}
