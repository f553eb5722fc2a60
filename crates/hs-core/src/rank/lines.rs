//! Stage 5, choosing lines: one line scorer, shared by the US lines under
//! a subheading ([`best_line`]) and the EU CN lines ([`crate::cn`]). Each
//! line's own text is read as the conditions it sets (words, material,
//! sex, quantity ranges, exclusions) and scored against what the query
//! states, one choice among siblings at a time: a line whose condition
//! the query states wins; one whose condition the query does not state
//! loses to an "Other" sibling (the remainder, when no sibling's condition
//! is met); one whose conditions the query contradicts ("Of reptile
//! leather" is only unstated, "Not knitted" for knitted goods, "Of wool"
//! for cotton, "For men" for women's goods, "exceeding 250 cc" for 125
//! cc) loses to every sibling that is not.

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::tokenizer::TextAnalyzer;

use crate::code::Code;
use crate::index::analyze;
use crate::measure::{Range, Unit, ranges};
use crate::text::{normalize, strip_exclusions};
use crate::tree::{NodeId, Tree};

use super::Prepared;
use super::understand::Query;

/// Points a line loses when it sets a condition the query does not state.
pub const UNMET: f32 = 1.0;
/// Points a line loses when the query contradicts one of its conditions.
pub const CONTRADICTED: f32 = 3.0;
/// Points an "Other" line gains when no sibling's condition is met.
pub const REMAINDER: f32 = 0.5;
/// Points a stated quantity inside a line's range gains it.
pub const IN_RANGE: f32 = 1.0;
/// Weight of a word of the description the query reading left out.
pub const RAW_WORD: f32 = 0.5;
/// Points a men's or boys' garment line loses when the query names no sex
/// (Note 9 to chapter 61, Note 8 to chapter 62: such garments are women's).
pub const UNSTATED_SEX: f32 = 1.0;
/// Points a garment line for children only ("Boys'", "Girls'") loses when
/// the query names no child (goods not said to be children's are more
/// often adults': "cotton trousers" should not land on girls' lines by the
/// shorter text alone), and a line for adults only when the query names
/// children and no adults ("kids t-shirt": boys', not men's).
pub const UNSTATED_AGE: f32 = 0.5;

/// Analysed words of a line's text that set no condition of their own
/// ("Other (including ...)", "Containing 70 percent or more by weight").
const NOT_CONDITIONS: &[&str] = &[
    "other", "includ", "contain", "percent", "weight", "exceed", "s", "more", "less", "whether",
    "kind", "than", "over", "each", "valu", "class", "type",
];

/// Words a query uses for a condition that the schedule's lines name
/// otherwise (kept here, near the line scorer, as a small list).
const LINE_SYNONYMS: &[(&str, &str)] = &[
    ("lcd", "flat panel screen"),
    ("led", "flat panel screen"),
    ("oled", "flat panel screen"),
    ("plasma", "flat panel screen"),
];

/// Analysed words of the query that say the goods are for men or boys;
/// for women or girls (as a line's text is read).
const MEN_TERMS: &[&str] = &["men", "man", "boy", "male", "gentlemen", "youth"];
const WOMEN_TERMS: &[&str] = &[
    "women", "woman", "ladi", "ladies", "girl", "femal", "female",
];
/// Analysed words that say the goods are for children; for adults.
const CHILD_TERMS: &[&str] = &[
    "boy", "girl", "infant", "babi", "baby", "child", "children", "kid", "toddler", "youth",
    "junior",
];
const ADULT_TERMS: &[&str] = &[
    "men",
    "man",
    "women",
    "woman",
    "ladi",
    "ladies",
    "gentlemen",
    "adult",
];

/// What the query states, as the line scorer reads it.
#[derive(Debug, Clone, Default)]
pub struct LineQuery {
    /// Each query word's terms and weight (synonym entries included).
    words: Vec<(Vec<String>, f32)>,
    /// Every term the query states.
    stated: FxHashSet<String>,
    /// Term -> the words (indices into `words`) that have it.
    word_of: FxHashMap<String, Vec<usize>>,
    materials: Vec<u8>,
    men: bool,
    women: bool,
    /// The query names children ("boys", "kids", "toddler"); adults.
    child: bool,
    adult: bool,
    quantities: Vec<(Unit, f64)>,
}

impl LineQuery {
    pub fn new(an: &mut TextAnalyzer, q: &Query) -> LineQuery {
        let mut words: Vec<(Vec<String>, f32)> = Vec::new();
        for (w, corrected, terms, weight) in &q.understood.terms {
            let terms: Vec<String> = terms.iter().filter(|t| !numeric(t)).cloned().collect();
            if !terms.is_empty() {
                words.push((terms, *weight));
            }
            let word = corrected.as_deref().unwrap_or(w);
            for (from, to) in LINE_SYNONYMS {
                if word == *from {
                    words.push((analyze(an, to), *weight));
                }
            }
        }
        // Words the reading left out ("1.4G", codes, numbers with units)
        // still state conditions a line can name.
        let mut stated: FxHashSet<String> =
            words.iter().flat_map(|(t, _)| t.iter().cloned()).collect();
        for t in analyze(an, &normalize(&q.text)) {
            if !numeric(&t) && stated.insert(t.clone()) {
                words.push((vec![t], RAW_WORD));
            }
        }
        let mut word_of: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, (terms, _)) in words.iter().enumerate() {
            for t in terms {
                let at = word_of.entry(t.clone()).or_default();
                if !at.contains(&i) {
                    at.push(i);
                }
            }
        }
        let names = |list: &[&str]| list.iter().any(|t| stated.contains(*t));
        let (child, adult) = (names(CHILD_TERMS), names(ADULT_TERMS));
        LineQuery {
            words,
            stated,
            word_of,
            materials: q.materials.clone(),
            men: q.men,
            women: q.women,
            child,
            adult,
            quantities: q.quantities.clone(),
        }
    }
}

/// The conditions a line's own text sets, read once.
#[derive(Debug, Clone, Default)]
pub struct LineText {
    /// Analysed terms outside exclusions (numbers left out: quantities are
    /// read as ranges).
    terms: Vec<String>,
    /// Terms only inside an exclusion ("other than", "excluding", "not",
    /// "without"): goods the line is not for.
    negated: Vec<String>,
    /// The terms of each alternative the text lists ("Acenaphthene,
    /// chrysene, ... fluorene"; "Bath, shower, sink and lavatory faucets"):
    /// the query meets the line's condition by stating one of them whole.
    segments: Vec<Vec<String>>,
    /// Terms of the headings and subheadings the text refers to ("For
    /// vehicles of heading 8605 or 8606"): stating one of them meets it.
    referenced: Vec<String>,
    /// "Other", "Other:", "Other (including ...)", "Of other materials":
    /// what its siblings leave.
    remainder: bool,
    /// Material chapters its words name outside exclusions.
    materials: Vec<u8>,
    /// Each material word's terms and chapters ("leather" -> 41).
    material_words: Vec<(Vec<String>, Vec<u8>)>,
    men: bool,
    women: bool,
    /// Names children ("Boys'", "Girls'", "Infants'") and no adults; adults
    /// and no children ("Men's", "Women's").
    child_only: bool,
    adult_only: bool,
    ranges: Vec<Range>,
}

impl LineText {
    /// A line's text read against the tree its references point into.
    pub fn new(an: &mut TextAnalyzer, text: &str, tree: &Tree) -> LineText {
        let kept = strip_without(&strip_exclusions(text));
        let all = analyze(an, &normalize(text));
        let mut terms = analyze(an, &normalize(&kept));
        terms.retain(|t| !numeric(t));
        let negated = all
            .into_iter()
            .filter(|t| !numeric(t) && !terms.contains(t))
            .collect();
        let lower = text.trim().to_lowercase();
        let rest = ["of other ", "for other ", "other"]
            .iter()
            .find_map(|p| lower.strip_prefix(p));
        let remainder = rest.is_some_and(|r| {
            !r.starts_with(|c: char| c.is_alphanumeric())
                || lower.starts_with("of other ")
                || lower.starts_with("for other ")
        }) && !lower.starts_with("other than");
        let segments = kept
            .to_lowercase()
            .split([',', ';', ':', '(', ')'])
            .flat_map(|p| p.split(" or "))
            .flat_map(|p| p.split(" and "))
            .map(|p| {
                let mut t = analyze(an, &normalize(p));
                t.retain(|t| !numeric(t));
                t
            })
            .filter(|t| !t.is_empty())
            .collect();
        // A material word glued by a hyphen to a word that names no
        // material is part of a compound, not the line's material:
        // "Bent-wood furniture" sets bending, not "of wood".
        let is_material = |w: &str| !crate::alias::material_chapters([w]).is_empty();
        let compound: Vec<String> = kept
            .to_lowercase()
            .split_whitespace()
            .filter(|chunk| chunk.contains('-'))
            .flat_map(|chunk| {
                let parts: Vec<&str> = chunk
                    .split('-')
                    .map(|p| p.trim_matches(|c: char| !c.is_alphanumeric()))
                    .collect();
                parts
                    .windows(2)
                    .filter(|w| !is_material(w[0]) && is_material(w[1]))
                    .map(|w| w[1].to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
        let words: Vec<String> = crate::text::tokens(&normalize(&kept))
            .into_iter()
            .filter(|w| !compound.contains(w))
            .collect();
        let materials = super::prepared::chapters_of_words(&words);
        let material_words = words
            .iter()
            .filter_map(|w| {
                let ch = crate::alias::material_chapters([w.as_str()]);
                (!ch.is_empty()).then(|| (analyze(an, w), ch))
            })
            .collect();
        let has = |list: &[&str]| terms.iter().any(|t| list.contains(&t.as_str()));
        LineText {
            men: has(MEN_TERMS),
            women: has(WOMEN_TERMS),
            child_only: has(CHILD_TERMS) && !has(ADULT_TERMS),
            adult_only: has(ADULT_TERMS) && !has(CHILD_TERMS),
            terms,
            negated,
            segments,
            referenced: references(text)
                .iter()
                .filter_map(|c| tree.get(c))
                .flat_map(|n| analyze(an, &normalize(&strip_exclusions(&n.text))))
                .collect(),
            remainder,
            materials,
            material_words,
            ranges: ranges(text),
        }
    }
}

/// The codes a text refers to: "heading 8605 or 8606", "subheading
/// 8481.20", "heading no. 5806", "subheadings 8471.30 and 8471.41".
pub fn references(text: &str) -> Vec<Code> {
    let lower = text.to_lowercase();
    let mut out = Vec::new();
    for (i, _) in lower.match_indices("heading") {
        let rest = lower[i..].split_whitespace().skip(1);
        for token in rest {
            let token = token.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '(' | ')'));
            if matches!(token, "no." | "nos." | "no" | "nos" | "or" | "and" | "") {
                continue;
            }
            match Code::parse(token) {
                Ok(c)
                    if (4..=10).contains(&c.len())
                        && token.starts_with(|c: char| c.is_ascii_digit()) =>
                {
                    out.push(c);
                }
                _ => break,
            }
        }
    }
    out
}

fn numeric(t: &str) -> bool {
    t.chars().all(|c| c.is_ascii_digit())
}

/// The text without its "without ..." phrases (up to the next `,`, `;`,
/// `)` or `:`).
fn strip_without(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(p) = lower[i..].find("without ") {
        let at = i + p;
        let at_word = at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric();
        if !at_word {
            out.push_str(&text[i..at + 1]);
            i = at + 1;
            continue;
        }
        out.push_str(&text[i..at]);
        i = lower[at..]
            .find([',', ';', ')', ':'])
            .map_or(lower.len(), |e| at + e);
    }
    out.push_str(&text[i..]);
    out
}

/// Scores siblings (one choice of the schedule) against the query.
/// `context` holds the terms of the texts above them (the subheading's,
/// the heading's, the lines' between): words there restate the goods and
/// set no condition. `garments`: chapters 61 and 62, where goods of
/// unstated sex are women's.
pub fn score_siblings<S: AsRef<str>>(
    q: &LineQuery,
    sibs: &[&LineText],
    context: &[S],
    garments: bool,
) -> Vec<f32> {
    // The terms above, as a set: each sibling's words are looked up there.
    let above: FxHashSet<&str> = context.iter().map(AsRef::as_ref).collect();
    score_among(q, sibs, &|t: &str| above.contains(t), garments)
}

/// The terms above a choice, counted, kept up to date while the
/// schedule's tree is walked down (rather than a set made at each choice).
#[derive(Default)]
struct Above<'p>(FxHashMap<&'p str, u32>);

impl<'p> Above<'p> {
    fn add(&mut self, terms: &'p [String]) {
        for t in terms {
            *self.0.entry(t.as_str()).or_default() += 1;
        }
    }

    fn remove(&mut self, terms: &'p [String]) {
        for t in terms {
            if let Some(n) = self.0.get_mut(t.as_str()) {
                *n -= 1;
                if *n == 0 {
                    self.0.remove(t.as_str());
                }
            }
        }
    }

    fn contains(&self, t: &str) -> bool {
        self.0.contains_key(t)
    }
}

/// [`score_siblings`] with the terms above given as a lookup.
fn score_among<'a>(
    q: &LineQuery,
    sibs: &[&'a LineText],
    above: &dyn Fn(&str) -> bool,
    garments: bool,
) -> Vec<f32> {
    let in_context = |t: &String| above(t.as_str());
    // Per sibling: (points for the query's words it names, its condition
    // stated, a condition set, the stated quantity in or out of its ranges).
    let read: Vec<(f32, bool, bool, Option<bool>)> = sibs
        .iter()
        .map(|s| {
            // The query's words whose terms the line names, in query order.
            let mut named: Vec<usize> = s
                .terms
                .iter()
                .filter_map(|t| q.word_of.get(t))
                .flatten()
                .copied()
                .collect();
            named.sort_unstable();
            named.dedup();
            let hits: f32 = named.iter().map(|&i| q.words[i].1.min(1.0)).sum();
            let mut fits = None;
            for r in &s.ranges {
                for &(unit, v) in &q.quantities {
                    if r.unit == unit {
                        fits = Some(fits.unwrap_or(true) && r.contains(v));
                    }
                }
            }
            // A condition is set by words that neither restate the goods
            // above nor only frame a condition; it is stated when the query
            // states one alternative's such words whole (or two of them).
            let conditions = |seg: &'a Vec<String>| {
                seg.iter().filter(|t| {
                    t.len() > 1 && !in_context(t) && !NOT_CONDITIONS.contains(&t.as_str())
                })
            };
            let (mut set, mut stated) = (false, false);
            for seg in &s.segments {
                let (mut n, mut said) = (0, 0);
                for t in conditions(seg) {
                    n += 1;
                    said += usize::from(q.stated.contains(t));
                }
                set |= n > 0;
                // Whole, or two words of a longer condition ("in immediate
                // packings of a net content").
                stated |= n > 0 && (said == n || said >= 2);
            }
            for t in s.referenced.iter().filter(|t| !in_context(t)) {
                set = true;
                stated |= q.stated.contains(t);
            }
            // The material the query names is the line's (brass: copper).
            // A material already named above ("of leather") is no condition.
            stated |= s.material_words.iter().any(|(terms, ch)| {
                !terms.iter().all(in_context) && ch.iter().any(|c| q.materials.contains(c))
            });
            let met = !s.remainder && (stated || (!set && hits > 0.0) || fits == Some(true));
            (hits, met, set, fits)
        })
        .collect();
    sibs.iter()
        .zip(&read)
        .enumerate()
        .map(|(i, (s, &(hits, met, set, fits)))| {
            let mut score = hits;
            if !s.remainder && !met && set {
                score -= UNMET;
            }
            if s.remainder && !read.iter().enumerate().any(|(j, r)| r.1 && j != i) {
                score += REMAINDER;
            }
            // Framing words and units ("not exceeding 2,5 kg") negate nothing.
            let negated = s.negated.iter().any(|t| {
                t.len() > 2 && !NOT_CONDITIONS.contains(&t.as_str()) && q.stated.contains(t)
            });
            let material = !s.materials.is_empty()
                && !q.materials.is_empty()
                && !s.materials.iter().any(|c| q.materials.contains(c));
            let sex = (s.men && !s.women && q.women && !q.men)
                || (s.women && !s.men && q.men && !q.women);
            if negated || material || sex || fits == Some(false) {
                score -= CONTRADICTED;
            }
            if fits == Some(true) {
                score += IN_RANGE;
            }
            if garments && s.men && !s.women && !q.men && !q.women {
                score -= UNSTATED_SEX;
            }
            // Of the lines for one age, the one the query's age is (adults'
            // when it names none).
            if garments && ((s.child_only && !q.child) || (s.adult_only && q.child && !q.adult)) {
                score -= UNSTATED_AGE;
            }
            score
        })
        .collect()
}

/// The declarable line under a subheading that best matches the query:
/// each choice among siblings scored by [`score_siblings`], a line's
/// score the sum along its path; ties go to the shorter text (it sets
/// fewer conditions the query did not state), then schedule order. The
/// subheading itself when nothing lies under it.
pub fn best_line(
    an: &mut TextAnalyzer,
    tree: &Tree,
    prep: &Prepared,
    sub: NodeId,
    q: &LineQuery,
) -> NodeId {
    let garments = matches!(tree.chapter_of(sub), 61 | 62);
    let mut context = Above::default();
    for n in tree.path(sub) {
        context.add(prep.terms(an, tree, n.id));
    }
    let mut best = Best {
        id: sub,
        score: f32::NEG_INFINITY,
        len: usize::MAX,
    };
    descend(
        an,
        tree,
        prep,
        q,
        sub,
        0.0,
        &mut context,
        garments,
        &mut best,
    );
    best.id
}

struct Best {
    id: NodeId,
    score: f32,
    len: usize,
}

#[allow(clippy::too_many_arguments)]
fn descend<'p>(
    an: &mut TextAnalyzer,
    tree: &Tree,
    prep: &'p Prepared,
    q: &LineQuery,
    parent: NodeId,
    above: f32,
    context: &mut Above<'p>,
    garments: bool,
    best: &mut Best,
) {
    let children = &tree.node(parent).children;
    if children.is_empty() {
        return;
    }
    let texts: Vec<&LineText> = children
        .iter()
        .map(|&c| prep.line_text(an, tree, c))
        .collect();
    let scores = score_among(q, &texts, &|t: &str| context.contains(t), garments);
    for (&c, s) in children.iter().zip(scores) {
        let node = tree.node(c);
        let score = above + s;

        if node.children.is_empty() {
            let len = node.text.len();
            if node.code.is_some()
                && (score > best.score || (score == best.score && len < best.len))
            {
                *best = Best { id: c, score, len };
            }
            continue;
        }
        let terms = prep.terms(an, tree, c);
        context.add(terms);
        descend(an, tree, prep, q, c, score, context, garments, best);
        context.remove(terms);
    }
}

#[cfg(test)]
mod tests {
    use super::super::signals::fixture::Fixture;
    use super::*;
    use crate::index::analyzer;

    /// The sibling the query chooses among `texts`, under a subheading
    /// text, by [`score_siblings`] (ties to the first).
    fn choose(fx: &Fixture, query: &str, above: &str, texts: &[&str]) -> String {
        let mut an = analyzer();
        let q = LineQuery::new(&mut an, &fx.query(query));
        let lines: Vec<LineText> = texts
            .iter()
            .map(|t| LineText::new(&mut an, t, &fx.tree))
            .collect();
        let refs: Vec<&LineText> = lines.iter().collect();
        let context = analyze(&mut an, &normalize(above));
        let scores = score_siblings(&q, &refs, &context, above.contains("garment"));
        let mut best = 0;
        for (i, s) in scores.iter().enumerate() {
            if *s > scores[best] {
                best = i;
            }
        }
        texts[best].to_string()
    }

    #[test]
    fn a_material_glued_into_a_compound_is_no_material_condition() {
        let fx = Fixture::new();
        let mut an = analyzer();
        let bent = LineText::new(&mut an, "Bent-wood furniture", &fx.tree);
        assert!(bent.material_words.is_empty() && bent.materials.is_empty());
        let brass = LineText::new(&mut an, "Of copper-zinc base alloys", &fx.tree);
        assert!(!brass.material_words.is_empty());
        assert_eq!(
            choose(
                &fx,
                "wooden wardrobe",
                "Furniture; wooden, for bedroom use",
                &["Bent-wood furniture", "Other"]
            ),
            "Other"
        );
    }

    #[test]
    fn an_unstated_condition_loses_to_the_remainder() {
        let fx = Fixture::new();
        let bags = ["Of reptile leather", "Other"];
        let above = "Handbags, with outer surface of leather";
        assert_eq!(
            choose(&fx, "women's leather handbag", above, &bags),
            "Other"
        );
        assert_eq!(
            choose(&fx, "python reptile leather handbag", above, &bags),
            "Of reptile leather"
        );
        let helmets = ["Motorcycle helmets", "Other"];
        let above = "Headgear; safety: Of reinforced or laminated plastics";
        assert_eq!(choose(&fx, "bicycle helmet", above, &helmets), "Other");
        assert_eq!(
            choose(&fx, "motorcycle helmet", above, &helmets),
            "Motorcycle helmets"
        );
        let towels = ["Dish (369)", "Other (369)"];
        assert_eq!(
            choose(
                &fx,
                "cotton bath towel",
                "Terry toilet linen: Towels",
                &towels
            ),
            "Other (369)"
        );
    }

    #[test]
    fn a_stated_sibling_condition_beats_the_other() {
        let fx = Fixture::new();
        let fireworks = [
            "Display or special fireworks (Class 1.3G)",
            "Other (including Class 1.4G)",
        ];
        let above = "Pyrotechnic products; fireworks";
        assert_eq!(
            choose(&fx, "consumer fireworks 1.4G", above, &fireworks),
            "Other (including Class 1.4G)"
        );
        let consumer = ["Class 1.4G (Class C)", "Other"];
        assert_eq!(
            choose(&fx, "consumer fireworks 1.4G", above, &consumer),
            "Class 1.4G (Class C)"
        );
        assert_eq!(
            choose(&fx, "display fireworks class 1.3G", above, &fireworks),
            "Display or special fireworks (Class 1.3G)"
        );
    }

    #[test]
    fn contradicted_conditions_lose() {
        let fx = Fixture::new();
        let tv = [
            "Incomplete or unfinished, presented without a display device",
            "With a flat panel screen",
            "Other",
        ];
        let above = "Reception apparatus for television";
        assert_eq!(
            choose(&fx, "LCD television", above, &tv),
            "With a flat panel screen"
        );
        assert_eq!(
            choose(
                &fx,
                "television with display device",
                above,
                &tv[..1].iter().chain(&tv[2..]).copied().collect::<Vec<_>>()
            ),
            "Other"
        );
        let knit = ["Not knitted or crocheted", "Other"];
        assert_eq!(
            choose(&fx, "knitted scarf", "Shawls, scarves", &knit),
            "Other"
        );
        let metals = ["Of copper", "Of iron or steel", "Of other materials"];
        // Brass is a copper alloy (its material's chapter).
        assert_eq!(choose(&fx, "brass valve", "Valves", &metals), "Of copper");
        assert_eq!(
            choose(&fx, "plastic valve", "Valves", &metals),
            "Of other materials"
        );
        assert_eq!(
            choose(&fx, "valve", "Valves", &metals),
            "Of other materials"
        );
        let fibres = ["Of wool", "Of cotton", "Other"];
        assert_eq!(
            choose(&fx, "cotton sweater", "Sweaters", &fibres),
            "Of cotton"
        );
        assert_eq!(choose(&fx, "silk sweater", "Sweaters", &fibres), "Other");
        let sexes = ["Men's or boys'", "Women's or girls'"];
        assert_eq!(
            choose(&fx, "mens cotton shirt", "garment: shirts", &sexes),
            "Men's or boys'"
        );
        assert_eq!(
            choose(&fx, "ladies shirt", "garment: shirts", &sexes),
            "Women's or girls'"
        );
        // Unstated: the women's line (the chapter notes).
        assert_eq!(
            choose(&fx, "cotton shirt", "garment: shirts", &sexes),
            "Women's or girls'"
        );
        // Age: the adults' line when the query names no child, whichever
        // comes first (the shorter "Girls'" text won the tie before); the
        // children's when it names children and no adults; not outside the
        // garment chapters.
        let (girls, boys) = (
            ["Girls' (339)", "Women's (339)"],
            ["Men's (338)", "Boys' (338)"],
        );
        for (query, above, texts, chosen) in [
            (
                "cotton t-shirt",
                "garment: t-shirts",
                girls,
                "Women's (339)",
            ),
            (
                "cotton t-shirt for toddlers",
                "garment: t-shirts",
                girls,
                "Girls' (339)",
            ),
            (
                "ladies and girls t-shirt",
                "garment: t-shirts",
                girls,
                "Girls' (339)",
            ),
            ("kids t-shirt", "garment: t-shirts", boys, "Boys' (338)"),
            ("boys t-shirt", "garment: t-shirts", boys, "Boys' (338)"),
            ("cotton thing", "t-shirts", girls, "Girls' (339)"),
        ] {
            assert_eq!(choose(&fx, query, above, &texts), chosen, "{query}");
        }
        let engines = [
            "Of a cylinder capacity not exceeding 50 cc",
            "Of a cylinder capacity exceeding 50 cc but not exceeding 250 cc",
            "Other",
        ];
        assert_eq!(
            choose(&fx, "motorcycle 125cc", "Motorcycles", &engines),
            "Of a cylinder capacity exceeding 50 cc but not exceeding 250 cc"
        );
    }

    #[test]
    fn a_reference_states_its_headings_words() {
        let fx = Fixture::new();
        let parts = ["For goods of subheading 8711.10", "Other"];
        assert_eq!(
            choose(&fx, "piston engine parts", "Parts", &parts),
            "For goods of subheading 8711.10"
        );
        assert_eq!(choose(&fx, "bicycle parts", "Parts", &parts), "Other");
        let codes = |t: &str| {
            references(t)
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            codes("For vehicles of heading 8605 or 8606"),
            ["8605", "8606"]
        );
        assert_eq!(codes("Of valves of subheading 8481.20:"), ["8481.20"]);
        assert_eq!(
            codes("excluding narrow fabrics of heading no. 5806"),
            ["5806"]
        );
        assert!(codes("Other headgear").is_empty());
    }

    #[test]
    fn the_best_us_line_sums_its_path() {
        let fx = Fixture::new();
        let mut an = analyzer();
        let pick = |an: &mut TextAnalyzer, text: &str| {
            let q = LineQuery::new(an, &fx.query(text));
            let id = best_line(an, &fx.tree, &fx.prep, fx.id("610910"), &q);
            fx.tree.node(id).code.as_ref().map(|c| c.to_string())
        };
        // Unstated sex: the women's lines; the line naming the goods.
        assert_eq!(
            pick(&mut an, "cotton t-shirt").as_deref(),
            Some("6109.10.00.40")
        );
        // "All white, short hemmed sleeves" is not stated: other T-shirts.
        assert_eq!(
            pick(&mut an, "mens cotton t-shirt").as_deref(),
            Some("6109.10.00.07")
        );
        assert_eq!(
            pick(&mut an, "boys cotton underwear").as_deref(),
            Some("6109.10.00.18")
        );
        assert_eq!(
            pick(&mut an, "girls tank top").as_deref(),
            Some("6109.10.00.45")
        );
    }
}
