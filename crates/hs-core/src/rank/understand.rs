//! Stage 1, understanding the query: the description cleaned into weighted
//! words (spelling repaired, cut-off words completed, synonyms added), and
//! what the signals read from it once (materials and their shares, the
//! sex a garment is for, stated quantities, processes, the head noun).

use rustc_hash::FxHashMap;
use tantivy::Term;
use tantivy::tokenizer::TextAnalyzer;

use crate::alias::{material_chapters, predominant_material, process_chapters, synonyms};
use crate::index::{OpenIndex, TEXT_FIELDS, analyze};
use crate::measure::{Unit, stated};
use crate::tables::WordList;
use crate::text::{QueryWord, language_words, read_normalized};

use super::repair::{COMPLETION_TRUST, SEGMENT_TRUST, complete, join, repair};
use super::{Prepared, RankError, Ranker, Understood, WordTerms};

/// Weight left to a material stated with a share smaller than another's.
pub const MINOR_MATERIAL: f32 = 0.3;

/// Whether the query names men or boys, and women or girls.
pub fn named_sexes(words: &[QueryWord]) -> (bool, bool) {
    let lists = &crate::tables::get().words;
    let names = |list| words.iter().any(|w| lists.contains(list, &w.word));
    (names(WordList::Men), names(WordList::Women))
}

/// The query as every later stage reads it: the understood words and
/// what they say about the goods.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// The description as given.
    pub text: String,
    pub understood: Understood,
    /// Index term -> the highest weight of a query word it came from.
    pub term_weight: FxHashMap<String, f32>,
    /// Chapters of the materials the query names (a stated composition's
    /// minor materials left out).
    pub materials: Vec<u8>,
    /// The query names men or boys; women or girls.
    pub men: bool,
    pub women: bool,
    /// The query says the garments are babies' (the `babies` word list;
    /// not "baby" before a colour, "baby pink").
    pub babies: bool,
    /// Quantities stated ("125 cc").
    pub quantities: Vec<(Unit, f64)>,
    /// The query states a net content by mass or volume ("130g", "50ml"):
    /// the goods are sold as a substance ([`crate::measure::Stated`]).
    pub net_content: bool,
    /// The query states an electrical or power rating ("12V", "5000mAh",
    /// "1.5HP") or says the goods are electric (the `powered` word list):
    /// the goods work by electricity or an engine ([`crate::measure::Stated`]).
    pub power_rating: bool,
    /// The query states an engine's capacity ("CC: 125"): the goods have
    /// an engine ([`crate::measure::states_engine`]).
    pub engine: bool,
    /// Chapters a process word favours and disfavours ("knitted").
    pub favour: Vec<u8>,
    pub disfavour: Vec<u8>,
    /// The head noun's index terms, when it has any.
    pub head_terms: Option<Vec<String>>,
    /// The head noun names a material ("cotton"), not an article.
    pub head_is_material: bool,
    /// The query says the animals are alive (the `live` word list).
    pub live: bool,
    /// The query names arms or ammunition (the `arms` word list).
    pub arms: bool,
    /// The query names explosives or pyrotechnics (the `explosives` word
    /// list).
    pub explosives: bool,
    /// The query names nuclear goods (the `nuclear` word list).
    pub nuclear: bool,
}

impl Query {
    /// Reads what the signals need from the understood words. Stated
    /// shares: the goods are classified as the predominant material (Note
    /// 2 (A) to Section XI), so the others' words count little.
    pub fn new(text: &str, mut u: Understood) -> Query {
        let shares = predominant_material(text);
        let stated = stated(text);
        if let Some((keep, others)) = &shares {
            for (w, _, _, weight) in u.terms.iter_mut() {
                let chapters = material_chapters([w.trim_end_matches('~')]);
                if !chapters.is_empty()
                    && chapters.iter().all(|c| others.contains(c))
                    && !chapters.iter().any(|c| keep.contains(c))
                {
                    *weight *= MINOR_MATERIAL;
                }
            }
        }
        let mut term_weight: FxHashMap<String, f32> = FxHashMap::default();
        for (_, _, terms, weight) in &u.terms {
            for term in terms {
                let w = term_weight.entry(term.clone()).or_insert(0.0);
                *w = w.max(*weight);
            }
        }
        // A material said only in a "with ..." clause is a component's
        // ("nylon handbag with leather straps" is not of leather), unless
        // no other material is named.
        let mut materials = material_chapters(
            u.words
                .iter()
                .map(|w| w.word.as_str())
                .filter(|w| !u.components.iter().any(|c| c == w)),
        );
        if materials.is_empty() {
            materials = material_chapters(u.words.iter().map(|w| w.word.as_str()));
        }
        if let Some((keep, others)) = shares {
            materials.retain(|c| keep.contains(c) || !others.contains(c));
            materials.extend(keep);
            materials.sort_unstable();
            materials.dedup();
        }
        let (men, women) = named_sexes(&u.words);
        let lists = &crate::tables::get().words;
        // Whether a word of the query is on `list`.
        let names = |list: WordList| u.words.iter().any(|w| lists.contains(list, &w.word));
        let babies = u.words.iter().enumerate().any(|(i, w)| {
            lists.contains(WordList::Babies, &w.word)
                && !u
                    .words
                    .get(i + 1)
                    .is_some_and(|n| lists.contains(WordList::Colour, &n.word))
        });
        let live = names(WordList::Live);
        let arms = names(WordList::Arms);
        let explosives = names(WordList::Explosives);
        let nuclear = names(WordList::Nuclear);
        let (favour, disfavour) = process_chapters(u.words.iter().map(|w| w.word.as_str()));
        let head_terms = u.words.iter().find(|w| w.head).and_then(|h| {
            u.terms
                .iter()
                .find(|(w, _, t, _)| *w == h.word && !t.is_empty())
                .map(|(_, _, t, _)| t.clone())
        });
        let head_is_material = u
            .words
            .iter()
            .any(|w| w.head && !material_chapters([w.word.as_str()]).is_empty());
        Query {
            text: text.to_string(),
            term_weight,
            materials,
            men,
            women,
            babies,
            quantities: stated.quantities,
            net_content: stated.net_content,
            power_rating: stated.power_rating || names(WordList::Powered),
            engine: stated.engine,
            favour,
            disfavour,
            head_terms,
            head_is_material,
            live,
            arms,
            explosives,
            nuclear,
            understood: u,
        }
    }

    /// The query's words as the explanation reads them: (word shown, its
    /// index terms).
    pub fn shown_terms(&self) -> Vec<(String, Vec<String>)> {
        self.understood
            .terms
            .iter()
            .map(|(w, c, terms, _)| (c.clone().unwrap_or_else(|| w.clone()), terms.clone()))
            .collect()
    }
}

impl Ranker {
    /// Cleans the query and maps each word to index terms, correcting
    /// words the index has never seen.
    pub fn understand(
        &mut self,
        idx: &OpenIndex,
        prep: &Prepared,
        text: &str,
    ) -> Result<Understood, RankError> {
        let norm = crate::text::normalize(text);
        let (words, brands) = read_normalized(&norm);
        let searcher = idx.reader.searcher();
        let mut terms = Vec::new();
        let mut expansions = Vec::new();
        // The text may have been cut inside its last word, as fixed-width
        // fields cut descriptions: an unknown last word is then completed.
        let ends_in_word = text
            .trim_end()
            .chars()
            .last()
            .is_some_and(char::is_alphanumeric);
        let known = |t: &[String]| -> Result<bool, RankError> {
            for term in t {
                for f in &TEXT_FIELDS {
                    let n = searcher
                        .doc_freq(&Term::from_field_text(idx.fields.text[f], term))
                        .map_err(RankError::index(idx))?;
                    if n > 0 {
                        return Ok(true);
                    }
                }
            }
            Ok(false)
        };
        for (i, w) in words.iter().enumerate() {
            let cut = ends_in_word && i + 1 == words.len();
            let mut t = analyze(&mut self.analyzer, &w.word);
            let mut corrected = None;
            let mut trust = 1.0;
            // A term with digits ("3d") is not a misspelling to repair.
            let term = crate::text::has_digit(&w.word);
            let unknown = !t.is_empty() && !known(&t)?;
            if unknown && term {
                t.clear();
            } else if unknown {
                let completed = if cut {
                    self.completions
                        .entry(w.word.clone())
                        .or_insert_with(|| complete(&prep.vocab, &w.word))
                        .clone()
                } else {
                    None
                };
                let fix = match completed {
                    Some(c) => Some((c, COMPLETION_TRUST)),
                    None => match self.corrections.get(&w.word) {
                        Some(c) => c.clone(),
                        None => {
                            let c = repair(&prep.vocab, &w.word);
                            self.corrections.insert(w.word.clone(), c.clone());
                            c
                        }
                    },
                };
                if let Some((c, how_sure)) = fix {
                    t = analyze(&mut self.analyzer, &c);
                    corrected = Some(c);
                    trust = how_sure;
                } else {
                    t.clear();
                }
            }
            let key = corrected.clone().unwrap_or_else(|| w.word.clone());
            terms.push((w.word.clone(), corrected, t, w.weight * trust));
            // The tariff's own words for the same goods, at a lower weight.
            let syn = synonyms();
            let expansion = syn
                .get(&key)
                .or_else(|| key.strip_suffix('s').and_then(|k| syn.get(k)));
            if let Some(exp) = expansion {
                let weight = w.weight * trust * self.weights.synonym;
                expand(
                    &mut self.analyzer,
                    (&mut expansions, &mut terms),
                    format!("{key}~"),
                    exp,
                    weight,
                );
            }
        }
        // A salt read as its compound ("morphine sulfate": the head is
        // morphine, and text::weigh marks the salt word): the salt word
        // also names what the texts call it, the compound's "salts" ("and
        // its salts", "salts thereof"), at a synonym's weight. A hydrate is
        // the compound's own goods, not a salt. Only for a compound the
        // texts know: an unknown one's salt ("citrulline malate") would
        // match only salts of anything.
        let head_known = |w: &QueryWord| {
            terms
                .iter()
                .any(|(x, _, t, _)| *x == w.word && !t.is_empty())
        };
        let salt = words
            .iter()
            .find(|w| w.salt && !w.word.ends_with("hydrate"))
            .filter(|_| words.iter().any(|w| w.head && head_known(w)));
        if let Some(s) = salt {
            expand(
                &mut self.analyzer,
                (&mut expansions, &mut terms),
                format!("{}~", s.word),
                &["salts".to_string()],
                s.weight * self.weights.synonym,
            );
        }
        // Two adjacent words of the text the synonym table names together
        // ("3d printer" -> "additive manufacturing"; "used clothing" ->
        // "worn clothing", though "used" alone ends a goods name and is not
        // among the words kept). The phrase weighs as its kept words do.
        // Pairs of the words kept too: a trade name's goods words are
        // among them, not among the text's own.
        let syn = synonyms();
        let raw = crate::text::tokens(&norm);
        let kept: Vec<String> = words.iter().map(|w| w.word.clone()).collect();
        for pair in raw.windows(2).chain(kept.windows(2)) {
            let phrase = format!("{} {}", pair[0], pair[1]);
            let expansion = syn
                .get(&phrase)
                .or_else(|| phrase.strip_suffix('s').and_then(|k| syn.get(k)));
            let Some(exp) = expansion else {
                continue;
            };
            let weight = pair_weight(&words, pair);
            if weight > 0.0 {
                expand(
                    &mut self.analyzer,
                    (&mut expansions, &mut terms),
                    format!("{phrase}~"),
                    exp,
                    weight * self.weights.synonym,
                );
            }
        }
        // Two adjacent words kept that the tariff's texts write as one
        // ("wheel chair", "tool box"): the joined word too, at a guess's
        // trust of the pair's weight, with the joined word's synonyms.
        for pair in kept.windows(2) {
            let Some(joined) = join(&prep.vocab, &pair[0], &pair[1]) else {
                continue;
            };
            let weight = pair_weight(&words, pair) * SEGMENT_TRUST;
            let added = weight > 0.0
                && expand(
                    &mut self.analyzer,
                    (&mut expansions, &mut terms),
                    format!("{} {}~", pair[0], pair[1]),
                    std::slice::from_ref(&joined),
                    weight,
                );
            if let Some(exp) = syn.get(&joined).filter(|_| added) {
                expand(
                    &mut self.analyzer,
                    (&mut expansions, &mut terms),
                    format!("{joined}~"),
                    exp,
                    weight * self.weights.synonym,
                );
            }
        }
        // The language check reads the text again, and asks the index,
        // only when a foreign function word is among the words kept or a
        // letter of another script is in the text.
        let lists = &crate::tables::get().words;
        let foreign = words
            .iter()
            .any(|w| lists.contains(WordList::Foreign, &w.word))
            || text.chars().any(crate::lang::not_latin);
        let mut failed = None;
        let reading = if !foreign {
            crate::lang::Reading::english()
        } else {
            crate::lang::read_language(&language_words(text), |w| {
                let t = analyze(&mut self.analyzer, w);
                // An English stop word ("their", "such") leaves no term.
                if t.is_empty() {
                    return true;
                }
                match known(&t) {
                    Ok(k) => k,
                    Err(e) => {
                        failed = Some(e);
                        false
                    }
                }
            })
        };
        if let Some(e) = failed {
            return Err(e);
        }
        // The words dropped as noise, for alias phrases that hold them.
        let mut dropped = Vec::new();
        for w in raw.iter().filter(|w| !kept.contains(w)) {
            if crate::text::has_digit(w) {
                continue;
            }
            for t in analyze(&mut self.analyzer, w) {
                if !dropped.contains(&t) {
                    dropped.push(t);
                }
            }
        }
        Ok(Understood {
            words,
            terms,
            brands,
            expansions,
            reading,
            dropped,
            components: crate::text::with_clause_words(&norm),
        })
    }
}

/// The greater weight of a pair of the description's words.
fn pair_weight(words: &[QueryWord], pair: &[String]) -> f32 {
    words
        .iter()
        .filter(|w| pair.contains(&w.word))
        .map(|w| w.weight)
        .fold(0.0f32, f32::max)
}

/// Adds the expansion `exp` named `name` (the words it expands, then `~`)
/// at `weight`: its terms no word of the query has yet ([`new_terms`]),
/// once per name. False when it added nothing.
fn expand(
    an: &mut TextAnalyzer,
    (expansions, terms): (&mut Vec<(String, Vec<String>)>, &mut Vec<WordTerms>),
    name: String,
    exp: &[String],
    weight: f32,
) -> bool {
    if expansions.iter().any(|(n, _)| *n == name) {
        return false;
    }
    let et = new_terms(an, exp, terms);
    if et.is_empty() {
        return false;
    }
    expansions.push((name.clone(), exp.to_vec()));
    terms.push((name, None, et, weight));
    true
}

/// The terms of a synonym's expansion that no word of the query has yet,
/// each once.
fn new_terms(an: &mut TextAnalyzer, expansion: &[String], terms: &[WordTerms]) -> Vec<String> {
    let mut out = Vec::new();
    for e in expansion {
        for term in analyze(an, e) {
            if !out.contains(&term) && !terms.iter().any(|x| x.2.contains(&term)) {
                out.push(term);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn understood(words: &[(&str, bool)]) -> Understood {
        Understood {
            words: words
                .iter()
                .map(|(w, head)| QueryWord {
                    word: w.to_string(),
                    weight: 1.0,
                    head: *head,
                    salt: false,
                })
                .collect(),
            terms: words
                .iter()
                .map(|(w, _)| (w.to_string(), None, vec![w.to_string()], 1.0))
                .collect(),
            ..Understood::default()
        }
    }

    #[test]
    fn reads_sex_material_and_head_once() {
        let q = Query::new(
            "girls cotton dress",
            understood(&[("girls", false), ("cotton", false), ("dress", true)]),
        );
        assert!(q.women && !q.men);
        assert!(q.materials.contains(&52), "{:?}", q.materials);
        assert_eq!(q.head_terms.as_deref(), Some(&["dress".to_string()][..]));
        assert!(!q.head_is_material);
        assert_eq!(q.term_weight.get("cotton"), Some(&1.0));
    }

    #[test]
    fn a_minor_material_of_a_stated_composition_weighs_little() {
        let q = Query::new(
            "80% cotton 20% polyester",
            understood(&[("cotton", false), ("polyester", true)]),
        );
        assert_eq!(q.term_weight.get("polyester"), Some(&MINOR_MATERIAL));
        assert_eq!(q.term_weight.get("cotton"), Some(&1.0));
        assert!(q.materials.contains(&52));
    }
}
