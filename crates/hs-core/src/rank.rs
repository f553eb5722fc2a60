//! Ranking: turns a cleaned description into a tantivy query over the
//! subheading documents (each word weighted, each field boosted), then
//! re-ranks with the hierarchy (evidence adds up at the heading), picks the
//! best national line under each subheading, and explains each suggestion
//! with a confidence and the words and sources that matched.

use std::collections::HashMap;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use serde::Serialize;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Term};

use crate::alias::{
    material_chapter_set, material_chapters, predominant_material, process_chapters, synonyms,
};
use crate::code::Code;
use crate::index::{OpenIndex, TEXT_FIELDS, TextField, analyze, analyzer};
use crate::load::Dataset;
use crate::measure::{Range, quantities, ranges};
use crate::text::{QueryWord, letter_mask, normalize, read_query, strip_exclusions};
use crate::tree::{Level, NodeId, Tree};

/// How much a match in each field counts.
#[derive(Debug, Clone)]
pub struct Weights {
    pub own: f32,
    pub heading: f32,
    pub chapter: f32,
    pub lines: f32,
    pub alias: f32,
    pub notes: f32,
    /// Share of the heading's other evidence added to a subheading.
    pub heading_share: f32,
    /// Bonus for an alias phrase wholly in the query, as a share of the
    /// best text score, times the share of the query it covers.
    pub alias_phrase: f32,
    /// Factor added for a candidate in a chapter of a material the query names.
    pub material_boost: f32,
    /// Factor taken off a candidate in another material's chapter.
    pub material_penalty: f32,
    /// Factor up for chapters a process word ("knitted") favours.
    pub process_boost: f32,
    /// Factor down for chapters it disfavours ("knitted": chapter 62).
    pub process_penalty: f32,
    /// Factor down for a material in a raw form ("in primary forms",
    /// "unwrought", scrap, ores) when the query's head noun, an article,
    /// is not in its texts: PVC tiles are tiles, not PVC.
    pub raw_form_penalty: f32,
    /// Factor added to (taken from) a candidate whose text sets a range
    /// the stated quantity falls in (outside).
    pub quantity_fit: f32,
    /// Weight of two adjacent query words found as a phrase, relative to
    /// the field's weight.
    pub phrase: f32,
    /// Weight of a synonym's expansion relative to the word it expands.
    pub synonym: f32,
    /// Bonus, as a share of the best text score, for the chapter 29 heading
    /// a chemical name's functions point to (see [`crate::chem`]).
    pub chemistry: f32,
    /// Factor down for a subheading whose own material words name none of
    /// the materials the query names.
    pub material_clash: f32,
    /// Factor down for a men's or boys' garment when the query does not say
    /// whom the garment is for (the notes send those to women's or girls').
    pub unstated_gender: f32,
    /// Factor down for a garment for the other sex than the one the query
    /// names.
    pub gender_clash: f32,
    /// Power of the share of the description's words a candidate's texts
    /// name, as a factor on its score (0: not used).
    pub coverage: f32,
    /// Whether a word's synonyms count towards [`Weights::coverage`].
    pub coverage_synonyms: bool,
    /// Candidates fetched from the index before re-ranking.
    pub candidates: usize,
    /// Softmax temperature for confidences, as a share of the best score.
    pub temperature: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            own: 3.0,
            heading: 1.5,
            chapter: 0.6,
            lines: 1.5,
            alias: 2.0,
            notes: 0.3,
            heading_share: 0.15,
            alias_phrase: 2.0,
            material_boost: 0.15,
            synonym: 0.5,
            phrase: 0.25,
            quantity_fit: 0.5,
            material_penalty: 0.15,
            process_boost: 0.15,
            process_penalty: 0.3,
            raw_form_penalty: 0.5,
            chemistry: 1.5,
            material_clash: 0.3,
            unstated_gender: 0.2,
            gender_clash: 0.5,
            coverage: 1.6,
            coverage_synonyms: true,
            candidates: 200,
            temperature: 0.12,
        }
    }
}

impl Weights {
    fn field(&self, f: TextField) -> f32 {
        match f {
            TextField::Own => self.own,
            TextField::Heading => self.heading,
            TextField::Chapter => self.chapter,
            TextField::Lines => self.lines,
            TextField::Alias => self.alias,
            TextField::Notes => self.notes,
        }
    }
}

/// A word of the query and where it matched.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Matched {
    pub word: String,
    /// `description`, `ancestor`, `line`, `alias`, `note`.
    pub sources: Vec<&'static str>,
}

/// One ranked suggestion.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    /// The most specific code (a national line where one exists).
    pub code: Code,
    pub level: &'static str,
    /// Self-contained description of `code`.
    pub description: String,
    /// The HS six-digit subheading it lies under.
    pub hs6: Code,
    /// Codes from the chapter down to `code`.
    pub path: Vec<String>,
    pub score: f32,
    /// In [0, 1]: the share of belief among the candidates.
    pub confidence: f32,
    pub matched: Vec<Matched>,
    /// The precedents behind it, at most three (none without precedents).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub precedents: Vec<crate::precedents::Support>,
    #[serde(skip)]
    pub node: NodeId,
}

/// The cleaned query: the words kept and the terms each became.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Understood {
    pub words: Vec<QueryWord>,
    /// Trade names in the description and the goods each was read as
    /// (`hs-data/brands.csv`).
    pub brands: Vec<(String, String)>,
    /// (word as typed after cleaning, corrected word if any, terms)
    #[serde(skip)]
    pub terms: Vec<(String, Option<String>, Vec<String>, f32)>,
}

/// Per-engine precomputed material shared by every ranker: analyzed
/// terms of node texts (filled lazily) and the alias phrases.
pub struct Prepared {
    vocab: Vocab,
    /// (segment, doc) -> subheading node, so hits need no code lookup.
    doc_node: Vec<Vec<Option<NodeId>>>,
    node_terms: Vec<OnceLock<Box<[String]>>>,
    /// Quantity ranges a node's own text sets ("exceeding 50 cc"), read once.
    node_ranges: Vec<OnceLock<Box<[Range]>>>,
    /// The material chapters (`hs-data/materials.csv`) a subheading's own
    /// words name beyond its heading's: "of cotton" under 61.09 -> 52.
    node_materials: Vec<OnceLock<Box<[u8]>>>,
    /// Headings of a material in a raw form (see [`is_raw_form`]), by node.
    raw_form: Vec<bool>,
    aliases: Vec<AliasEntry>,
    alias_by_term: HashMap<String, Vec<u32>>,
    alias_by_sub: HashMap<NodeId, Vec<u32>>,
}

/// An alias phrase, analyzed, and the node it points to.
#[derive(Debug, Clone)]
struct AliasEntry {
    terms: Vec<String>,
    /// A subheading, or a heading when the alias names only the heading.
    target: NodeId,
}

impl Prepared {
    pub fn new(ds: &Dataset, idx: &OpenIndex) -> Prepared {
        let mut an = analyzer();
        let tree = &ds.tree;
        let mut aliases = Vec::new();
        let mut alias_by_term: HashMap<String, Vec<u32>> = HashMap::new();
        let mut alias_by_sub: HashMap<NodeId, Vec<u32>> = HashMap::new();
        for a in &ds.aliases {
            let Some(node) = a.target(tree) else {
                continue;
            };
            let mut terms = analyze(&mut an, &normalize(&a.phrase));
            terms.sort();
            terms.dedup();
            if terms.is_empty() {
                continue;
            }
            let i = aliases.len() as u32;
            for t in &terms {
                alias_by_term.entry(t.clone()).or_default().push(i);
            }
            alias_by_sub.entry(node.id).or_default().push(i);
            aliases.push(AliasEntry {
                terms,
                target: node.id,
            });
        }
        let doc_node = idx
            .doc_sub
            .iter()
            .map(|seg| {
                seg.iter()
                    .map(|d| tree.get_digits(&format!("{d:06}")).map(|n| n.id))
                    .collect()
            })
            .collect();
        Prepared {
            vocab: Vocab::new(&idx.vocab),
            doc_node,
            node_terms: (0..tree.len()).map(|_| OnceLock::new()).collect(),
            node_ranges: (0..tree.len()).map(|_| OnceLock::new()).collect(),
            node_materials: (0..tree.len()).map(|_| OnceLock::new()).collect(),
            raw_form: tree
                .nodes()
                .map(|n| n.level == Level::Heading && is_raw_form(&n.text))
                .collect(),
            aliases,
            alias_by_term,
            alias_by_sub,
        }
    }

    /// Analyzed terms of a node's own text (exclusions removed).
    fn terms(&self, an: &mut TextAnalyzer, tree: &Tree, id: NodeId) -> &[String] {
        match self.node_terms.get(id as usize) {
            Some(cell) => cell.get_or_init(|| {
                analyze(an, &normalize(&strip_exclusions(&tree.node(id).text))).into_boxed_slice()
            }),
            None => &[],
        }
    }

    /// The subheading an index document stands for.
    fn node_of(&self, addr: DocAddress) -> Option<NodeId> {
        self.doc_node
            .get(addr.segment_ord as usize)
            .and_then(|v| v.get(addr.doc_id as usize))
            .copied()
            .flatten()
    }

    /// [`Prepared::node_materials`] of a subheading.
    fn materials(&self, tree: &Tree, id: NodeId) -> &[u8] {
        let Some(cell) = self.node_materials.get(id as usize) else {
            return &[];
        };
        cell.get_or_init(|| {
            let words = |id: NodeId| -> Vec<String> {
                crate::text::tokens(&normalize(&strip_exclusions(&tree.node(id).text)))
            };
            let Some(heading) = tree.ancestor_at(id, Level::Heading) else {
                return Box::default();
            };
            let common = words(heading.id);
            let own: Vec<String> = words(id)
                .into_iter()
                .filter(|w| !common.contains(w))
                .collect();
            let mut out = material_chapters(own.iter().map(String::as_str));
            // The tariff's names for man-made fibres.
            if own
                .iter()
                .any(|w| matches!(w.as_str(), "synthetic" | "artificial" | "manmade"))
            {
                out.extend([54, 55]);
            }
            if own.iter().any(|w| w == "hair") && own.iter().any(|w| w == "animal") {
                out.push(51);
            }
            out.sort_unstable();
            out.dedup();
            out.into_boxed_slice()
        })
    }

    /// [`ranges`] of a node's own text.
    fn ranges(&self, tree: &Tree, id: NodeId) -> &[Range] {
        match self.node_ranges.get(id as usize) {
            Some(cell) => cell.get_or_init(|| ranges(&tree.node(id).text).into_boxed_slice()),
            None => &[],
        }
    }
}

/// Searches a dataset's index.
pub struct Ranker {
    analyzer: TextAnalyzer,
    pub weights: Weights,
    /// Corrections already worked out by this ranker (bulk input repeats).
    /// Unknown word -> its repair and how far to trust it (see [`repair`]).
    corrections: HashMap<String, Option<(String, f32)>>,
    /// Cut-off last word -> its completion (see [`complete`]).
    completions: HashMap<String, Option<String>>,
    /// A query word's terms -> the subheadings whose texts name them (see
    /// [`Ranker::docs_naming`]), bounded by [`NAMING_CACHE`].
    naming: HashMap<String, std::sync::Arc<rustc_hash::FxHashSet<NodeId>>>,
}

/// Weight left to a material stated with a share smaller than another's.
const MINOR_MATERIAL: f32 = 0.3;

/// Most term sets a ranker remembers before starting afresh.
const NAMING_CACHE: usize = 16384;

impl Default for Ranker {
    fn default() -> Self {
        Self::new()
    }
}

impl Ranker {
    pub fn new() -> Ranker {
        Ranker {
            analyzer: analyzer(),
            weights: Weights::default(),
            corrections: HashMap::new(),
            completions: HashMap::new(),
            naming: HashMap::new(),
        }
    }

    /// Cleans the query and maps each word to index terms, correcting
    /// words the index has never seen.
    pub fn understand(&mut self, idx: &OpenIndex, prep: &Prepared, text: &str) -> Understood {
        let (words, brands) = read_query(text);
        let searcher = idx.reader.searcher();
        let mut terms = Vec::new();
        // The text may have been cut inside its last word, as fixed-width
        // fields cut descriptions: an unknown last word is then completed.
        let ends_in_word = text
            .trim_end()
            .chars()
            .last()
            .is_some_and(char::is_alphanumeric);
        for (i, w) in words.iter().enumerate() {
            let cut = ends_in_word && i + 1 == words.len();
            let mut t = analyze(&mut self.analyzer, &w.word);
            let known = |t: &[String]| {
                t.iter().any(|term| {
                    TEXT_FIELDS.iter().any(|f| {
                        searcher
                            .doc_freq(&Term::from_field_text(idx.fields.text[f], term))
                            .is_ok_and(|n| n > 0)
                    })
                })
            };
            let mut corrected = None;
            let mut trust = 1.0;
            if !t.is_empty() && !known(&t) {
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
                let mut et = Vec::new();
                for e in exp {
                    for term in analyze(&mut self.analyzer, e) {
                        if !et.contains(&term) && !terms.iter().any(|x| x.2.contains(&term)) {
                            et.push(term);
                        }
                    }
                }
                if !et.is_empty() {
                    terms.push((
                        format!("{key}~"),
                        None,
                        et,
                        w.weight * trust * self.weights.synonym,
                    ));
                }
            }
        }
        Understood {
            words,
            terms,
            brands,
        }
    }

    /// Ranked suggestions for a description (not a code).
    pub fn search(
        &mut self,
        ds: &Dataset,
        idx: &OpenIndex,
        prep: &Prepared,
        text: &str,
        top: usize,
    ) -> (Understood, Vec<Suggestion>) {
        self.search_voted(ds, idx, prep, text, top, None)
    }

    /// As [`Ranker::search`], with the precedents' vote as one more signal
    /// (see [`crate::precedents::signal`]).
    pub fn search_voted(
        &mut self,
        ds: &Dataset,
        idx: &OpenIndex,
        prep: &Prepared,
        text: &str,
        top: usize,
        vote: Option<(&crate::precedents::Vote, &crate::precedents::Precedents)>,
    ) -> (Understood, Vec<Suggestion>) {
        let mut u = self.understand(idx, prep, text);
        // Stated shares: the goods are classified as the predominant
        // material (Note 2 (A) to Section XI), so the others' words count
        // little.
        let shares = predominant_material(text);
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
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut term_weight: FxHashMap<&str, f32> = FxHashMap::default();
        for (_, _, terms, weight) in &u.terms {
            for term in terms {
                let w = term_weight.entry(term.as_str()).or_insert(0.0);
                *w = w.max(*weight);
                for f in TEXT_FIELDS {
                    let field = idx.fields.text[&f];
                    let q = TermQuery::new(
                        Term::from_field_text(field, term),
                        IndexRecordOption::WithFreqs,
                    );
                    clauses.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(q), self.weights.field(f) * weight)),
                    ));
                }
            }
        }
        // Adjacent words of the description matched as a phrase (with one
        // word of slack) count extra: "brake pads", "ink cartridges".
        if self.weights.phrase > 0.0 {
            let seq: Vec<(&str, f32)> = u
                .terms
                .iter()
                .filter(|(w, ..)| !w.ends_with('~'))
                .filter_map(|(_, _, t, w)| t.first().map(|t| (t.as_str(), *w)))
                .collect();
            for pair in seq.windows(2) {
                let ((a, wa), (b, wb)) = (pair[0], pair[1]);
                if a == b {
                    continue;
                }
                for f in [
                    TextField::Own,
                    TextField::Heading,
                    TextField::Lines,
                    TextField::Alias,
                ] {
                    let field = idx.fields.text[&f];
                    let mut q = PhraseQuery::new(vec![
                        Term::from_field_text(field, a),
                        Term::from_field_text(field, b),
                    ]);
                    q.set_slop(1);
                    let boost = self.weights.phrase * self.weights.field(f) * (wa + wb) / 2.0;
                    clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost))));
                }
            }
        }
        if clauses.is_empty() || top == 0 {
            return (u, Vec::new());
        }
        let query = BooleanQuery::new(clauses);
        let searcher = idx.reader.searcher();
        let hits: Vec<(f32, DocAddress)> = searcher
            .search(
                &query,
                &TopDocs::with_limit(self.weights.candidates).order_by_score(),
            )
            .unwrap_or_default();
        let tree = &ds.tree;
        let mut scores: FxHashMap<NodeId, f32> = FxHashMap::default();
        for (s, addr) in hits {
            if let Some(id) = prep.node_of(addr) {
                scores.insert(id, s);
            }
        }
        // Alias phrases wholly present in the query are strong evidence.
        let best_bm25 = scores.values().copied().fold(0.0f32, f32::max);
        for (target, cover) in alias_matches(prep, &term_weight) {
            let bonus = self.weights.alias_phrase * cover * best_bm25.max(1.0);
            let node = tree.node(target);
            if node.level == Level::Heading {
                for d in tree.descendants(target) {
                    if d.level == Level::Subheading {
                        let e = scores.entry(d.id).or_default();
                        *e += bonus * 0.5;
                    }
                }
            } else {
                *scores.entry(target).or_default() += bonus;
            }
        }
        // A description that reads as an organic chemical name points to the
        // chapter 29 heading of its functions, when the text search already
        // looks among chemicals.
        if self.weights.chemistry > 0.0
            && let Some(h) = crate::chem::heading(text)
            && let Some(heading) = tree.get_digits(&h)
        {
            let mut best: Vec<(f32, u8)> = scores
                .iter()
                .map(|(id, s)| (*s, tree.node(*id).code.as_ref().map_or(0, Code::chapter)))
                .collect();
            best.sort_by(|a, b| b.0.total_cmp(&a.0));
            if best
                .iter()
                .take(10)
                .any(|(_, ch)| matches!(ch, 28 | 29 | 38))
            {
                let bonus = self.weights.chemistry * best_bm25.max(1.0);
                for d in tree.descendants(heading.id) {
                    if d.level == Level::Subheading {
                        *scores.entry(d.id).or_default() += bonus;
                    }
                }
            }
        }
        let mut scored: Vec<(NodeId, f32)> = scores.into_iter().collect();
        // A stated quantity (engine capacity, power) chooses among siblings
        // whose texts set ranges on it.
        let stated = quantities(text);
        if !stated.is_empty() {
            for (id, s) in scored.iter_mut() {
                let mut fits = None;
                for r in prep.ranges(tree, *id) {
                    for &(unit, v) in &stated {
                        if r.unit == unit {
                            fits = Some(fits.unwrap_or(true) && r.contains(v));
                        }
                    }
                }
                match fits {
                    Some(true) => *s *= 1.0 + self.weights.quantity_fit,
                    Some(false) => *s *= 1.0 - self.weights.quantity_fit,
                    None => {}
                }
            }
        }
        // Materials named in the query favour the chapters of that material
        // and disfavour other materials' chapters.
        let mut wanted = material_chapters(u.words.iter().map(|w| w.word.as_str()));
        if let Some((keep, others)) = shares {
            wanted.retain(|c| keep.contains(c) || !others.contains(c));
            wanted.extend(keep);
            wanted.sort_unstable();
            wanted.dedup();
        }
        if !wanted.is_empty() {
            let all = material_chapter_set();
            for (id, s) in scored.iter_mut() {
                let ch = tree.node(*id).code.as_ref().map_or(0, Code::chapter);
                if wanted.contains(&ch) {
                    *s *= 1.0 + self.weights.material_boost;
                } else if all.contains(&ch) {
                    *s *= 1.0 - self.weights.material_penalty;
                }
            }
        }
        // A subheading set apart by a material the query does not name,
        // when the query names another ("of wool" for a cotton cape),
        // gives way to its siblings.
        if !wanted.is_empty() && self.weights.material_clash > 0.0 {
            for (id, s) in scored.iter_mut() {
                let own = prep.materials(tree, *id);
                if !own.is_empty() && !own.iter().any(|c| wanted.contains(c)) {
                    *s *= 1.0 - self.weights.material_clash;
                }
            }
        }
        // An article is not its raw material (GRI 1: the heading that names
        // the article): raw forms that miss the head noun weigh less.
        let head_terms: Option<&Vec<String>> = u.words.iter().find(|w| w.head).and_then(|h| {
            u.terms
                .iter()
                .find(|(w, _, t, _)| *w == h.word && !t.is_empty())
                .map(|(_, _, t, _)| t)
        });
        let head_is_material = u
            .words
            .iter()
            .any(|w| w.head && !material_chapters([w.word.as_str()]).is_empty());
        if let Some(head_terms) = head_terms
            && !head_is_material
            && self.weights.raw_form_penalty > 0.0
        {
            for (id, s) in scored.iter_mut() {
                let Some(heading) = tree.ancestor_at(*id, Level::Heading).map(|h| h.id) else {
                    continue;
                };
                if !prep
                    .raw_form
                    .get(heading as usize)
                    .copied()
                    .unwrap_or(false)
                {
                    continue;
                }
                let names_head = [*id, heading].iter().any(|&n| {
                    prep.terms(&mut self.analyzer, tree, n)
                        .iter()
                        .any(|t| head_terms.contains(t))
                });
                if !names_head {
                    *s *= 1.0 - self.weights.raw_form_penalty;
                }
            }
        }
        // A candidate whose texts name more of the description's words is
        // the better match, whatever the lengths of its texts: its score is
        // scaled by the weighted share of the words it names (the head noun
        // weighs most, so an article whose texts never name it falls back).
        if self.weights.coverage > 0.0 {
            // A word counts as named when its own terms or the tariff's
            // words it expands to are there.
            let words: Vec<(&String, f32, Vec<&String>)> = u
                .terms
                .iter()
                .filter(|(w, _, t, _)| !w.ends_with('~') && !t.is_empty())
                .map(|(w, _, t, wt)| {
                    let syn = format!("{w}~");
                    let mut all: Vec<&String> = t.iter().collect();
                    if self.weights.coverage_synonyms {
                        all.extend(
                            u.terms
                                .iter()
                                .filter(|(x, ..)| *x == syn)
                                .flat_map(|(_, _, t, _)| t),
                        );
                    }
                    (w, *wt, all)
                })
                .collect();
            let total: f32 = words.iter().map(|(_, wt, _)| wt).sum();
            if words.len() >= 2 && total > 0.0 {
                let naming: Vec<(f32, std::sync::Arc<rustc_hash::FxHashSet<NodeId>>)> = words
                    .iter()
                    .map(|(_, wt, t)| (*wt, self.docs_naming(idx, prep, t)))
                    .collect();
                for (id, s) in scored.iter_mut() {
                    let got: f32 = naming
                        .iter()
                        .filter(|(_, set)| set.contains(id))
                        .map(|(wt, _)| wt)
                        .sum();
                    *s *= (got / total).max(0.05).powf(self.weights.coverage);
                }
            }
        }
        // Garments that cannot be identified as men's or boys' or as women's
        // or girls' go to the women's or girls' headings (Note 9 to chapter
        // 61, Note 8 to chapter 62); garments for the sex the query names
        // beat those for the other, whatever an alias assumed.
        let (men, women) = named_sexes(&u.words);
        for (id, s) in scored.iter_mut() {
            let node = tree.node(*id);
            if !node
                .code
                .as_ref()
                .is_some_and(|c| matches!(c.chapter(), 61 | 62))
            {
                continue;
            }
            let for_men = node.text.contains("men's or boys'");
            let for_women = node.text.contains("women's or girls'");
            if !men && !women && for_men {
                *s *= 1.0 - self.weights.unstated_gender;
            } else if (men && !women && for_women) || (women && !men && for_men) {
                *s *= 1.0 - self.weights.gender_clash;
            }
        }
        // How the goods are made, where the HS splits chapters on it.
        let (favour, disfavour) = process_chapters(u.words.iter().map(|w| w.word.as_str()));
        if !favour.is_empty() || !disfavour.is_empty() {
            for (id, s) in scored.iter_mut() {
                let ch = tree.node(*id).code.as_ref().map_or(0, Code::chapter);
                if favour.contains(&ch) {
                    *s *= 1.0 + self.weights.process_boost;
                } else if disfavour.contains(&ch) {
                    *s *= 1.0 - self.weights.process_penalty;
                }
            }
        }
        // Evidence adds up at the heading.
        let mut heading_sum: FxHashMap<NodeId, f32> = FxHashMap::default();
        let heading_of: Vec<Option<NodeId>> = scored
            .iter()
            .map(|&(id, _)| tree.ancestor_at(id, Level::Heading).map(|h| h.id))
            .collect();
        for (&(_, s), h) in scored.iter().zip(&heading_of) {
            if let Some(h) = h {
                *heading_sum.entry(*h).or_default() += s;
            }
        }
        for ((_, s), h) in scored.iter_mut().zip(&heading_of) {
            if let Some(h) = h {
                let others = heading_sum.get(h).copied().unwrap_or(0.0) - *s;
                *s += self.weights.heading_share * others.min(*s * 3.0);
            }
        }
        if let Some((vote, p)) = vote {
            crate::precedents::signal::apply(
                tree,
                &mut scored,
                vote,
                p.weights.near_exact,
                self.weights.temperature,
                &p.signal,
            );
        }
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let best = scored.first().map_or(0.0, |x| x.1);
        // Scores are relative to the best, so confidence does not depend on
        // query length.
        let t = (self.weights.temperature * best).max(0.01);
        let z: f32 = scored.iter().map(|(_, s)| ((s - best) / t).exp()).sum();
        let query_terms: Vec<(String, Vec<String>)> = u
            .terms
            .iter()
            .map(|(w, c, terms, _)| (c.clone().unwrap_or_else(|| w.clone()), terms.clone()))
            .collect();
        let scored = diversify(tree, scored, top);
        let out = scored
            .into_iter()
            .take(top)
            .filter_map(|(sub, score)| {
                let hs6 = tree.node(sub).code.clone()?;
                let line = self.best_line(tree, prep, sub, &query_terms);
                let node = tree.node(line);
                Some(Suggestion {
                    code: node.code.clone().unwrap_or_else(|| hs6.clone()),
                    level: node.level.name(),
                    description: node.full_text.clone(),
                    hs6,
                    path: tree
                        .path(line)
                        .iter()
                        .filter_map(|n| n.code.as_ref().map(|c| c.to_string()))
                        .collect(),
                    score,
                    confidence: (((score - best) / t).exp() / z.max(f32::MIN_POSITIVE))
                        .clamp(0.0, 1.0),
                    matched: self.explain(ds, prep, sub, line, &query_terms),
                    precedents: Vec::new(),
                    node: line,
                })
            })
            .collect();
        (u, out)
    }

    /// The subheadings whose texts that name goods (their own, their
    /// heading's, their lines', their aliases) hold one of `terms`,
    /// remembered per ranker.
    fn docs_naming(
        &mut self,
        idx: &OpenIndex,
        prep: &Prepared,
        terms: &[&String],
    ) -> std::sync::Arc<rustc_hash::FxHashSet<NodeId>> {
        let key = terms
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(hit) = self.naming.get(&key) {
            return hit.clone();
        }
        if self.naming.len() >= NAMING_CACHE {
            self.naming.clear();
        }
        let found = std::sync::Arc::new(Self::find_naming(idx, prep, terms));
        self.naming.insert(key, found.clone());
        found
    }

    fn find_naming(
        idx: &OpenIndex,
        prep: &Prepared,
        terms: &[&String],
    ) -> rustc_hash::FxHashSet<NodeId> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for t in terms {
            for f in [
                TextField::Own,
                TextField::Heading,
                TextField::Lines,
                TextField::Alias,
            ] {
                let q = TermQuery::new(
                    Term::from_field_text(idx.fields.text[&f], t),
                    IndexRecordOption::Basic,
                );
                clauses.push((Occur::Should, Box::new(q)));
            }
        }
        let docs = idx
            .reader
            .searcher()
            .search(&BooleanQuery::new(clauses), &DocSetCollector)
            .unwrap_or_default();
        docs.into_iter()
            .filter_map(|addr| prep.node_of(addr))
            .collect()
    }

    /// The declarable line under a subheading that best matches the query:
    /// the leaf whose texts below the subheading share the most query
    /// terms; ties go to schedule order.
    fn best_line(
        &mut self,
        tree: &Tree,
        prep: &Prepared,
        sub: NodeId,
        query: &[(String, Vec<String>)],
    ) -> NodeId {
        let mut best = (sub, -1.0f32);
        let mut best_len = usize::MAX;
        for d in tree.descendants(sub) {
            if d.code.is_none() || !d.children.is_empty() {
                continue;
            }
            let mut s = 0.0;
            for (_, qt) in query {
                let mut cur = Some(d.id);
                while let Some(c) = cur {
                    if c == sub {
                        break;
                    }
                    if qt
                        .iter()
                        .any(|t| prep.terms(&mut self.analyzer, tree, c).contains(t))
                    {
                        s += 1.0;
                        break;
                    }
                    cur = tree.node(c).parent;
                }
            }
            // On a tie the line with the shorter text wins: it sets fewer
            // conditions the query did not state ("all white, short hemmed
            // sleeves..." against "Men's").
            let len = d.text.len();
            if s > best.1 || (s == best.1 && len < best_len) {
                best = (d.id, s);
                best_len = len;
            }
        }
        best.0
    }

    /// Which query words matched where, for the reasons shown to a broker.
    fn explain(
        &mut self,
        ds: &Dataset,
        prep: &Prepared,
        sub: NodeId,
        line: NodeId,
        query: &[(String, Vec<String>)],
    ) -> Vec<Matched> {
        let tree = &ds.tree;
        let an = &mut self.analyzer;
        let ancestors: Vec<NodeId> = tree.ancestors(sub).iter().map(|n| n.id).collect();
        let below: Vec<NodeId> = tree
            .path(line)
            .iter()
            .filter(|n| n.level > Level::Subheading)
            .map(|n| n.id)
            .collect();
        let heading = tree.ancestor_at(sub, Level::Heading).map(|h| h.id);
        let alias_ids: Vec<u32> = [Some(sub), heading]
            .into_iter()
            .flatten()
            .flat_map(|id| prep.alias_by_sub.get(&id).cloned().unwrap_or_default())
            .collect();
        let mut out = Vec::new();
        for (word, terms) in query {
            let mut sources = Vec::new();
            let has = |an: &mut TextAnalyzer, ids: &[NodeId]| {
                ids.iter()
                    .any(|&id| terms.iter().any(|t| prep.terms(an, tree, id).contains(t)))
            };
            if has(an, &[sub]) {
                sources.push("description");
            }
            if has(an, &ancestors) {
                sources.push("ancestor");
            }
            if has(an, &below) {
                sources.push("line");
            }
            if alias_ids.iter().any(|&i| {
                prep.aliases
                    .get(i as usize)
                    .is_some_and(|a| terms.iter().any(|t| a.terms.contains(t)))
            }) {
                sources.push("alias");
            }
            if !sources.is_empty() {
                out.push(Matched {
                    word: word.clone(),
                    sources,
                });
            }
        }
        out
    }
}

/// Query words that say the goods are for men or boys.
const MEN: &[&str] = &[
    "men",
    "man",
    "mens",
    "mans",
    "boy",
    "boys",
    "male",
    "gents",
    "gent",
    "gentlemen",
];
/// Query words that say the goods are for women or girls.
const WOMEN: &[&str] = &[
    "women", "woman", "womens", "womans", "ladies", "lady", "girl", "girls", "female",
];

/// Whether the query names men or boys, and women or girls.
fn named_sexes(words: &[QueryWord]) -> (bool, bool) {
    let names = |list: &[&str]| words.iter().any(|w| list.contains(&w.word.as_str()));
    (names(MEN), names(WOMEN))
}

/// True for a heading of a material in a raw form: plastics "in primary
/// forms" (39.01-39.14), unwrought metals, waste and scrap, ores.
fn is_raw_form(heading_text: &str) -> bool {
    let t = heading_text.to_lowercase();
    [
        "primary forms",
        "unwrought",
        "waste and scrap",
        "ores and concentrates",
    ]
    .iter()
    .any(|p| t.contains(p))
}

/// How many suggestions keep their order by score before the list starts
/// preferring headings not yet shown.
pub const BY_SCORE: usize = 5;

/// Orders scored subheadings for the list shown: the first [`BY_SCORE`] by
/// score; after them, subheadings of headings not yet listed first (by
/// score), then the rest, so a long list offers other headings to consider
/// rather than more lines of the same one.
fn diversify(tree: &Tree, scored: Vec<(NodeId, f32)>, top: usize) -> Vec<(NodeId, f32)> {
    if top <= BY_SCORE || scored.len() <= BY_SCORE {
        return scored;
    }
    let heading = |id: NodeId| tree.ancestor_at(id, Level::Heading).map(|h| h.id);
    let mut seen: Vec<Option<NodeId>> = scored[..BY_SCORE]
        .iter()
        .map(|&(id, _)| heading(id))
        .collect();
    let mut out: Vec<(NodeId, f32)> = scored[..BY_SCORE].to_vec();
    let mut rest = Vec::new();
    for &(id, sc) in &scored[BY_SCORE..] {
        let h = heading(id);
        if out.len() < top && !seen.contains(&h) {
            seen.push(h);
            out.push((id, sc));
        } else {
            rest.push((id, sc));
        }
    }
    out.extend(rest);
    out
}

/// Aliases whose every term is in the query: (target node, share of the
/// query's weight the alias covers), the best per target.
fn alias_matches(prep: &Prepared, query: &FxHashMap<&str, f32>) -> Vec<(NodeId, f32)> {
    let total: f32 = query.values().sum();
    if total <= 0.0 {
        return Vec::new();
    }
    let mut seen: rustc_hash::FxHashSet<u32> = rustc_hash::FxHashSet::default();
    let mut best: FxHashMap<NodeId, f32> = FxHashMap::default();
    for t in query.keys() {
        for &i in prep.alias_by_term.get(*t).map_or(&[][..], Vec::as_slice) {
            if !seen.insert(i) {
                continue;
            }
            let Some(a) = prep.aliases.get(i as usize) else {
                continue;
            };
            if !a.terms.iter().all(|t| query.contains_key(t.as_str())) {
                continue;
            }
            let cover: f32 = a
                .terms
                .iter()
                .filter_map(|t| query.get(t.as_str()))
                .sum::<f32>()
                / total;
            let e = best.entry(a.target).or_default();
            *e = e.max(cover);
        }
    }
    best.into_iter().collect()
}

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
/// ties. Only words sharing the first or the second letter are compared
/// (typos rarely hit both), which keeps a correction well under a
/// millisecond.
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
            if c[0] != w[0] && c.get(1) != w.get(1) {
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
    fn raw_forms_are_told_from_articles() {
        assert!(is_raw_form(
            "Vinyl chloride, other halogenated olefin polymers; in primary forms"
        ));
        assert!(is_raw_form("Aluminium; unwrought"));
        assert!(is_raw_form("Copper; waste and scrap"));
        assert!(!is_raw_form(
            "Floor, wall or ceiling coverings; of plastics, in the form of tiles"
        ));
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
        assert_eq!(correct(&vocab, "abc"), None);
    }
}
