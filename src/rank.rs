//! Ranking: turns a cleaned description into a tantivy query over the
//! subheading documents (each word weighted, each field boosted), then
//! re-ranks with the hierarchy (evidence adds up at the heading), picks the
//! best national line under each subheading, and explains each suggestion
//! with a confidence and the words and sources that matched.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Term};

use crate::code::Code;
use crate::index::{OpenIndex, TEXT_FIELDS, TextField, analyze, analyzer};
use crate::load::Dataset;
use crate::text::{QueryWord, normalize, query_words, strip_exclusions};
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
            lines: 1.0,
            alias: 2.0,
            notes: 0.3,
            heading_share: 0.15,
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
    #[serde(skip)]
    pub node: NodeId,
}

/// The cleaned query: the words kept and the terms each became.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Understood {
    pub words: Vec<QueryWord>,
    /// (word as typed after cleaning, corrected word if any, terms)
    #[serde(skip)]
    pub terms: Vec<(String, Option<String>, Vec<String>, f32)>,
}

/// Searches a dataset's index.
pub struct Ranker {
    analyzer: TextAnalyzer,
    pub weights: Weights,
}

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
        }
    }

    /// Cleans the query and maps each word to index terms, correcting
    /// words the index has never seen.
    pub fn understand(&mut self, idx: &OpenIndex, text: &str) -> Understood {
        let words = query_words(text);
        let searcher = idx.reader.searcher();
        let own = idx.fields.text[&TextField::Own];
        let mut terms = Vec::new();
        for w in &words {
            let mut t = analyze(&mut self.analyzer, &w.word);
            let known = |t: &[String]| {
                t.iter().any(|term| {
                    TEXT_FIELDS.iter().any(|f| {
                        let field = idx.fields.text[f];
                        let _ = own;
                        searcher
                            .doc_freq(&Term::from_field_text(field, term))
                            .is_ok_and(|n| n > 0)
                    })
                })
            };
            let mut corrected = None;
            if !t.is_empty() && !known(&t) {
                if let Some(c) = correct(&idx.vocab, &w.word) {
                    t = analyze(&mut self.analyzer, &c);
                    corrected = Some(c);
                } else {
                    t.clear();
                }
            }
            terms.push((w.word.clone(), corrected, t, w.weight));
        }
        Understood { words, terms }
    }

    /// Ranked suggestions for a description (not a code).
    pub fn search(
        &mut self,
        ds: &Dataset,
        idx: &OpenIndex,
        text: &str,
        top: usize,
    ) -> (Understood, Vec<Suggestion>) {
        let u = self.understand(idx, text);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (_, _, terms, weight) in &u.terms {
            for term in terms {
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
        let mut scored: Vec<(NodeId, f32)> = hits
            .into_iter()
            .filter_map(|(s, addr)| {
                let digits = idx
                    .doc_sub
                    .get(addr.segment_ord as usize)?
                    .get(addr.doc_id as usize)?;
                let node = tree.get_digits(&format!("{digits:06}"))?;
                Some((node.id, s))
            })
            .collect();
        // Evidence adds up at the heading.
        let mut heading_sum: HashMap<NodeId, f32> = HashMap::new();
        for &(id, s) in &scored {
            if let Some(h) = tree.ancestor_at(id, Level::Heading) {
                *heading_sum.entry(h.id).or_default() += s;
            }
        }
        for (id, s) in scored.iter_mut() {
            if let Some(h) = tree.ancestor_at(*id, Level::Heading) {
                let others = heading_sum.get(&h.id).copied().unwrap_or(0.0) - *s;
                *s += self.weights.heading_share * others.min(*s * 3.0);
            }
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
        let out = scored
            .into_iter()
            .take(top)
            .map(|(sub, score)| {
                let line = self.best_line(tree, sub, &query_terms);
                let node = tree.node(line);
                let code = node.code.clone().unwrap_or_else(|| {
                    tree.node(sub)
                        .code
                        .clone()
                        .unwrap_or_else(|| Code::parse("00").unwrap_or_else(|_| unreachable_code()))
                });
                Suggestion {
                    level: node.level.name(),
                    description: node.full_text.clone(),
                    hs6: tree.node(sub).code.clone().unwrap_or_else(|| code.clone()),
                    path: tree
                        .path(line)
                        .iter()
                        .filter_map(|n| n.code.as_ref().map(|c| c.to_string()))
                        .collect(),
                    score,
                    confidence: (((score - best) / t).exp() / z.max(f32::MIN_POSITIVE))
                        .clamp(0.0, 1.0),
                    matched: self.explain(ds, sub, line, &query_terms),
                    node: line,
                    code,
                }
            })
            .collect();
        (u, out)
    }

    /// The declarable line under a subheading that best matches the query:
    /// the leaf whose own chain of texts (below the subheading) shares the
    /// most query terms; ties go to schedule order.
    fn best_line(&mut self, tree: &Tree, sub: NodeId, query: &[(String, Vec<String>)]) -> NodeId {
        let mut best = (sub, -1.0f32);
        for d in tree.descendants(sub) {
            if d.code.is_none() || !d.children.is_empty() {
                continue;
            }
            let mut text = String::new();
            let mut cur = Some(d.id);
            while let Some(c) = cur {
                if c == sub {
                    break;
                }
                let n = tree.node(c);
                text.push_str(&n.text);
                text.push(' ');
                cur = n.parent;
            }
            let terms = analyze(&mut self.analyzer, &normalize(&strip_exclusions(&text)));
            let mut s = 0.0;
            for (_, qt) in query {
                if qt.iter().any(|t| terms.contains(t)) {
                    s += 1.0;
                }
            }
            if s > best.1 {
                best = (d.id, s);
            }
        }
        best.0
    }

    /// Which query words matched where, for the reasons shown to a broker.
    fn explain(
        &mut self,
        ds: &Dataset,
        sub: NodeId,
        line: NodeId,
        query: &[(String, Vec<String>)],
    ) -> Vec<Matched> {
        let tree = &ds.tree;
        let own_terms = analyze(
            &mut self.analyzer,
            &normalize(&strip_exclusions(&tree.node(sub).text)),
        );
        let mut anc = String::new();
        for a in tree.ancestors(sub) {
            anc.push_str(&a.text);
            anc.push(' ');
        }
        let anc_terms = analyze(&mut self.analyzer, &normalize(&strip_exclusions(&anc)));
        let mut line_text = String::new();
        for d in tree.path(line) {
            if d.level > Level::Subheading {
                line_text.push_str(&d.text);
                line_text.push(' ');
            }
        }
        let line_terms = analyze(
            &mut self.analyzer,
            &normalize(&strip_exclusions(&line_text)),
        );
        let sub_digits = tree
            .node(sub)
            .code
            .as_ref()
            .map(|c| c.digits().to_string())
            .unwrap_or_default();
        let mut alias_text = String::new();
        for a in &ds.aliases {
            if a.code.starts_with(&sub_digits)
                || (a.code.len() == 4 && sub_digits.starts_with(&a.code))
            {
                alias_text.push_str(&a.phrase);
                alias_text.push(' ');
            }
        }
        let alias_terms = analyze(&mut self.analyzer, &normalize(&alias_text));
        let mut out = Vec::new();
        for (word, terms) in query {
            let mut sources = Vec::new();
            let hit = |set: &[String]| terms.iter().any(|t| set.contains(t));
            if hit(&own_terms) {
                sources.push("description");
            }
            if hit(&anc_terms) {
                sources.push("ancestor");
            }
            if hit(&line_terms) {
                sources.push("line");
            }
            if hit(&alias_terms) {
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

fn unreachable_code() -> Code {
    // "00" always parses; this keeps the hot path free of unwrap.
    Code::parse("0000").unwrap_or_else(|_| unreachable_code())
}

/// The closest vocabulary word to an unknown one: Damerau-Levenshtein
/// distance 1 for words of 4-7 letters, 2 from 8, the commoner word on ties.
pub fn correct(vocab: &HashMap<String, u32>, word: &str) -> Option<String> {
    let len = word.chars().count();
    if len < 4 || !word.chars().all(|c| c.is_alphabetic()) {
        return None;
    }
    let max = if len >= 8 { 2 } else { 1 };
    let mut best: Option<(&str, usize, u32)> = None;
    for (w, &n) in vocab {
        let wl = w.chars().count();
        if wl.abs_diff(len) > max {
            continue;
        }
        let d = strsim::damerau_levenshtein(word, w);
        if d == 0 || d > max {
            continue;
        }
        let better = match best {
            None => true,
            Some((bw, bd, bn)) => d < bd || (d == bd && (n > bn || (n == bn && w.as_str() < bw))),
        };
        if better {
            best = Some((w, d, n));
        }
    }
    best.map(|(w, _, _)| w.to_string())
}
