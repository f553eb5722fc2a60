//! Signal `head_as_modifier`: a candidate whose texts name the query's
//! head noun only as a modifier of other goods ("Ball bearings" for a
//! ball, "Coffee or tea makers" for coffee, "Radio remote control
//! apparatus" for a remote) is about those other goods, so it weighs less
//! (GRI 1: the heading that names the goods). A word is read as a modifier
//! where it stands in the singular right before another content word, or
//! before "or"/"and" and a singular word that is itself one ("Ball or
//! roller bearings"), or where it stands in a "with ..." phrase, which
//! names a component ("Vehicles; with only spark-ignition ... engine" for
//! an engine); a word anywhere else names goods, and the parts of a
//! hyphenated word before its last count as neither ("shower-baths"). Not
//! used when the head noun is a material: "cotton yarn" and "cotton" are
//! both about cotton.

use tantivy::tokenizer::TextAnalyzer;

use crate::index::analyze;
use crate::text::{normalize, strip_exclusions};
use crate::tree::{Level, NodeId};

use super::super::RankError;
use super::super::understand::Query;
use super::{Candidates, Cx, Feature, Signal};

/// See the module doc.
pub struct HeadAsModifier {
    /// Factor taken off.
    pub penalty: f32,
}

/// How a node's own text (exclusions removed) uses its terms: `named`,
/// the terms it names as goods somewhere, and `modifier`, those it uses
/// only as modifiers (none of them in `named`). Both sorted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermUses {
    pub named: Box<[String]>,
    pub modifier: Box<[String]>,
    /// One bit per `modifier` term ([`mask`]): a term whose bit is clear is
    /// not among them, told without comparing strings.
    pub modifier_mask: u64,
}

/// A term's bit in a [`TermUses::modifier_mask`].
pub fn mask(term: &str) -> u64 {
    use std::hash::BuildHasher;
    1 << (rustc_hash::FxBuildHasher.hash_one(term) % 64)
}

/// Words after which a word is not a modifier: function words, and words
/// that qualify rather than name ("Leather further prepared"). Sorted.
const NOT_CONTENT: &[&str] = &[
    "a",
    "an",
    "and",
    "as",
    "at",
    "but",
    "by",
    "containing",
    "excluding",
    "for",
    "from",
    "further",
    "in",
    "including",
    "its",
    "nes",
    "not",
    "of",
    "on",
    "or",
    "other",
    "put",
    "so",
    "than",
    "the",
    "their",
    "to",
    "whether",
    "which",
    "with",
    "without",
];

/// A token of a [`normalize`]d text (which holds no apostrophes): a word
/// (letters, digits and hyphens) or one mark of punctuation.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let in_word = c.is_alphanumeric() || c == '-';
        match (in_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
        if !in_word && !c.is_whitespace() {
            out.push(&text[i..i + c.len_utf8()]);
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// The last part of a hyphenated word ("lawn-tennis" -> "tennis").
fn last_part(word: &str) -> &str {
    word.rsplit('-').find(|p| !p.is_empty()).unwrap_or(word)
}

/// True for a word in the plural by its ending (balls, bearings, bodies),
/// not a singular ending in s (glass, asbestos is read as plural: it then
/// names goods, the safe side).
fn plural(word: &str) -> bool {
    let w = last_part(word);
    w.len() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
}

/// True for a word that can be the noun a modifier qualifies: letters, not
/// a function word, not a participle ("prepared", "worked").
fn content(word: &str) -> bool {
    let w = last_part(word);
    !w.is_empty()
        && w.chars().all(char::is_alphabetic)
        && NOT_CONTENT.binary_search(&w).is_err()
        && !crate::text::participle(w)
}

/// True when the word at `i` is a modifier: singular, and before a content
/// word, or before "or"/"and", a singular content word and another content
/// word ("Ball or roller bearings"). Longer coordinations ("Ball or roller
/// or needle bearings") read as goods: the safe side.
fn modifies(toks: &[&str], i: usize) -> bool {
    let Some(&w) = toks.get(i) else {
        return false;
    };
    if plural(w) {
        return false;
    }
    match toks.get(i + 1) {
        Some(&"or") | Some(&"and") => toks.get(i + 2).is_some_and(|&n| {
            content(n) && !plural(n) && toks.get(i + 3).is_some_and(|&m| content(m))
        }),
        Some(&n) => content(n),
        None => false,
    }
}

impl TermUses {
    pub fn new(an: &mut TextAnalyzer, text: &str) -> TermUses {
        let text = normalize(&strip_exclusions(text));
        let toks = tokens(&text);
        let (mut named, mut modifier) = (Vec::new(), Vec::new());
        // Inside a "with ..." phrase, up to the next mark of punctuation:
        // its words name a component of the goods, not the goods
        // ("Vehicles; with only spark-ignition ... piston engine").
        let mut with = false;
        for (i, w) in toks.iter().enumerate() {
            // A mark of punctuation has no term.
            if !w.starts_with(char::is_alphanumeric) {
                with = false;
                continue;
            }
            if *w == "with" {
                with = true;
                continue;
            }
            let terms = analyze(an, w);
            // The parts of a hyphenated word before its last are left
            // out: "shower-baths" are showers as much as baths.
            let Some(last) = terms.last() else {
                continue;
            };
            if with || modifies(&toks, i) {
                modifier.push(last.clone());
            } else {
                named.push(last.clone());
            }
        }
        named.sort();
        named.dedup();
        modifier.retain(|t| named.binary_search(t).is_err());
        modifier.sort();
        modifier.dedup();
        TermUses {
            modifier_mask: modifier.iter().fold(0, |m, t| m | mask(t)),
            named: named.into_boxed_slice(),
            modifier: modifier.into_boxed_slice(),
        }
    }
}

/// True when the texts (each a node's [`TermUses`]) use one of `head`
/// only as a modifier: as one somewhere, and named as goods nowhere.
pub fn only_modifies(uses: &[&TermUses], head: &[String]) -> bool {
    let named = |t: &String| uses.iter().any(|u| u.named.binary_search(t).is_ok());
    let modifier = |t: &String| {
        let bit = mask(t);
        uses.iter()
            .any(|u| u.modifier_mask & bit != 0 && u.modifier.binary_search(t).is_ok())
    };
    head.iter().any(modifier) && !head.iter().any(named)
}

impl Signal for HeadAsModifier {
    fn name(&self) -> &'static str {
        Feature::HeadAsModifier.name()
    }

    fn score(&self, q: &Query, cands: &mut Candidates, cx: &mut Cx<'_>) -> Result<(), RankError> {
        let Some(head) = &q.head_terms else {
            return Ok(());
        };
        if q.head_is_material || self.penalty <= 0.0 {
            return Ok(());
        }
        let head_mask = head.iter().fold(0, |m, t| m | mask(t));
        for (id, f) in cands.iter_mut() {
            let heading: Option<NodeId> = cx
                .tree
                .ancestor_at(id, Level::Heading)
                .map(|h| h.id)
                .filter(|&h| h != id);
            let own = cx.prep.term_uses(cx.analyzer, cx.tree, id);
            let of_heading = heading.map(|h| cx.prep.term_uses(cx.analyzer, cx.tree, h));
            // No head term among the modifiers of either text: nothing to say.
            let masks = own.modifier_mask | of_heading.map_or(0, |u| u.modifier_mask);
            if masks & head_mask == 0 {
                continue;
            }
            let fires = match of_heading {
                Some(h) => only_modifies(&[own, h], head),
                None => only_modifies(&[own], head),
            };
            if fires {
                f.set(Feature::HeadAsModifier, 1.0 - self.penalty);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::Fixture;
    use super::*;
    use crate::index::analyzer;

    fn uses(text: &str) -> TermUses {
        TermUses::new(&mut analyzer(), text)
    }

    fn term(word: &str) -> String {
        analyze(&mut analyzer(), word).remove(0)
    }

    #[test]
    fn the_function_words_are_sorted() {
        assert!(NOT_CONTENT.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn a_singular_word_before_a_noun_modifies_it() {
        let u = uses("Ball bearings");
        assert!(u.modifier.contains(&term("ball")), "{u:?}");
        assert!(u.named.contains(&term("bearings")), "{u:?}");
        let u = uses("Ball or roller bearings");
        assert!(u.modifier.contains(&term("ball")), "{u:?}");
        assert!(u.modifier.contains(&term("roller")), "{u:?}");
        // A hyphenated word's first part is neither.
        let u = uses("Baths, shower-baths and wash-basins");
        assert!(!u.modifier.contains(&term("shower")) && !u.named.contains(&term("shower")));
        let u = uses("Coffee or tea makers");
        assert!(u.modifier.contains(&term("coffee")), "{u:?}");
    }

    #[test]
    fn goods_named_in_the_plural_or_before_a_function_word_or_mark_are_named() {
        // Plural: the goods themselves.
        assert!(uses("Lawn-tennis balls").named.contains(&term("balls")));
        // Before a comma, "of", "further" or a participle.
        assert!(uses("Coffee, not roasted").named.contains(&term("coffee")));
        assert!(uses("Wine of fresh grapes").named.contains(&term("wine")));
        let u = uses("Leather further prepared after tanning");
        assert!(u.named.contains(&term("leather")), "{u:?}");
        // "and" followed by a word that ends the clause: both are goods.
        let u = uses("Milk and cream, concentrated");
        assert!(u.named.contains(&term("milk")), "{u:?}");
        assert!(u.named.contains(&term("cream")), "{u:?}");
        // Named once as goods: never only a modifier.
        let u = uses("Iron ore and iron, unwrought");
        assert!(u.named.contains(&term("iron")) && !u.modifier.contains(&term("iron")));
    }

    #[test]
    fn a_word_in_a_with_phrase_names_a_component() {
        let u = uses("Vehicles; with only spark-ignition piston engine, for persons");
        assert!(u.modifier.contains(&term("engine")), "{u:?}");
        assert!(u.named.contains(&term("vehicles")), "{u:?}");
        // After the mark that ends the phrase, words name goods again.
        assert!(u.named.contains(&term("persons")), "{u:?}");
        // Named elsewhere in the text, a word stays named.
        let u = uses("Engines, with engine mounts");
        assert!(u.named.contains(&term("engine")), "{u:?}");
    }

    #[test]
    fn the_mask_holds_every_modifier_term() {
        let u = uses("Ball or roller bearings");
        assert!(u.modifier.iter().all(|t| u.modifier_mask & mask(t) != 0));
        assert_eq!(uses("Bearings").modifier_mask, 0);
    }

    #[test]
    fn a_ball_is_not_a_ball_bearing() {
        let fx = Fixture::new();
        let q = fx.query("ball");
        let mut c = Candidates::default();
        c.entry(fx.id("848210"));
        c.entry(fx.id("950662"));
        HeadAsModifier { penalty: 0.3 }
            .score(&q, &mut c, &mut fx.cx().cx())
            .unwrap();
        let mut get = |code: &str| c.entry(fx.id(code)).get(Feature::HeadAsModifier);
        assert!((get("848210") - 0.7).abs() < 1e-6);
        assert_eq!(get("950662"), 1.0);
    }

    #[test]
    fn a_material_head_noun_is_left_alone() {
        let fx = Fixture::new();
        // "Cotton fabrics, woven" names cotton only as a modifier...
        let u = uses("Cotton fabrics, woven");
        assert!(u.modifier.contains(&term("cotton")), "{u:?}");
        // ...but cotton is a material: its fabrics are about cotton too.
        let q = fx.query("cotton");
        assert!(q.head_is_material, "cotton reads as a material");
        let mut c = Candidates::default();
        c.entry(fx.id("520811"));
        HeadAsModifier { penalty: 0.3 }
            .score(&q, &mut c, &mut fx.cx().cx())
            .unwrap();
        assert_eq!(c.entry(fx.id("520811")).get(Feature::HeadAsModifier), 1.0);
    }
}
