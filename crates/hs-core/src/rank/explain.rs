//! Stage 6, explaining: which query words matched where (the subheading's
//! own text, its ancestors, the line chosen, an alias), through which
//! synonym, alias or correction, and how confident the ranking is.

use serde::Serialize;
use tantivy::tokenizer::TextAnalyzer;

use crate::tree::{Level, NodeId, Tree};

use super::Prepared;
use super::understand::Query;

/// A word of the query and where it matched.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Matched {
    pub word: String,
    /// `description`, `ancestor`, `line`, `eu_line` (a word only the EU CN
    /// lines under the subheading use), `alias`, `note`.
    pub sources: Vec<&'static str>,
    /// What the word came through, when not as typed: a synonym (the
    /// tariff's words it expands to), an alias phrase, a correction (the
    /// word as typed).
    pub via: Vec<Via>,
}

/// One way a query word reached a candidate.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Via {
    /// `synonym`, `alias` or `correction`.
    pub kind: &'static str,
    pub text: String,
}

/// Which query words matched where, for the reasons shown to a broker.
pub fn explain(
    an: &mut TextAnalyzer,
    tree: &Tree,
    prep: &Prepared,
    q: &Query,
    sub: NodeId,
    line: NodeId,
) -> Vec<Matched> {
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
    let u = &q.understood;
    let mut out = Vec::new();
    for (typed, corrected, terms, _) in &u.terms {
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
        if prep
            .eu_terms
            .get(&sub)
            .is_some_and(|eu| terms.iter().any(|t| eu.binary_search(t).is_ok()))
        {
            sources.push("eu_line");
        }
        let mut via = Vec::new();
        for a in alias_ids
            .iter()
            .filter_map(|&i| prep.aliases.get(i as usize))
        {
            if terms.iter().any(|t| a.terms.contains(t)) {
                if !sources.contains(&"alias") {
                    sources.push("alias");
                }
                if !via.iter().any(|v: &Via| v.text == a.phrase) {
                    via.push(Via {
                        kind: "alias",
                        text: a.phrase.clone(),
                    });
                }
            }
        }
        if sources.is_empty() {
            continue;
        }
        if let Some((_, exp)) = u.expansions.iter().find(|(k, _)| k == typed) {
            via.extend(exp.iter().map(|e| Via {
                kind: "synonym",
                text: e.clone(),
            }));
        }
        if corrected.is_some() {
            via.push(Via {
                kind: "correction",
                text: typed.clone(),
            });
        }
        out.push(Matched {
            word: corrected.clone().unwrap_or_else(|| typed.clone()),
            sources,
            via,
        });
    }
    out
}

/// Confidences: a softmax over the candidates' scores, relative to the
/// best so that they do not depend on the query's length.
pub struct Softmax {
    best: f32,
    t: f32,
    z: f32,
}

impl Softmax {
    /// Over scores sorted best first; `temperature` is a share of the best.
    pub fn new(sorted: &[f32], temperature: f32) -> Softmax {
        let best = sorted.first().copied().unwrap_or(0.0);
        let t = (temperature * best).max(0.01);
        let z: f32 = sorted.iter().map(|s| ((s - best) / t).exp()).sum();
        Softmax { best, t, z }
    }

    pub fn confidence(&self, score: f32) -> f32 {
        (((score - self.best) / self.t).exp() / self.z.max(f32::MIN_POSITIVE)).clamp(0.0, 1.0)
    }
}

/// Whether the query supports a suggestion's goods, so that its
/// controlled-goods flags are worth showing: the query's head noun (or its
/// synonym) matched the subheading's own text or an alias of it, or the
/// words matched in its own texts (description, line, alias, the heading
/// and grouping lines above it) cover more than half of the query's words. A word met only in an incidental place
/// ("lego star wars set": "wars" in "munitions of war") is not enough.
pub fn goods_evidence(q: &Query, matched: &[Matched]) -> bool {
    let u = &q.understood;
    let shown = |typed: &str, corrected: &Option<String>| {
        corrected.clone().unwrap_or_else(|| typed.to_string())
    };
    let from = |sources: &[&str]| -> Vec<&str> {
        matched
            .iter()
            .filter(|m| m.sources.iter().any(|s| sources.contains(s)))
            .map(|m| m.word.trim_end_matches('~'))
            .collect()
    };
    // The heading's own text counts for coverage (a flag's range is a
    // heading or wider: "ivory carving" names 9601's "animal carving
    // material" there), never alone for the head noun.
    let own = from(&["description", "line", "eu_line", "alias", "ancestor"]);
    let goods = from(&["description", "alias"]);
    let words: Vec<String> = u.own_words().map(|(w, c, _, _)| shown(w, c)).collect();
    let head = u.words.iter().find(|w| w.head).and_then(|h| {
        u.terms
            .iter()
            .find(|(w, _, _, _)| *w == h.word)
            .map(|(w, c, _, _)| shown(w, c))
    });
    if head.is_some_and(|h| goods.contains(&h.as_str())) {
        return true;
    }
    let covered = words.iter().filter(|w| own.contains(&w.as_str())).count();
    !words.is_empty() && covered * 2 > words.len()
}

#[cfg(test)]
mod tests {
    use super::super::signals::fixture::Fixture;
    use super::*;

    #[test]
    fn says_where_and_through_what_each_word_matched() {
        let fx = Fixture::new();
        let q = fx.query("cotton hoodie");
        let sub = fx.id("611020");
        let m = explain(
            &mut crate::index::analyzer(),
            &fx.tree,
            &fx.prep,
            &q,
            sub,
            sub,
        );
        let cotton = m.iter().find(|m| m.word == "cotton").unwrap();
        assert_eq!(cotton.sources, vec!["description"]);
        assert!(cotton.via.is_empty());
        let hoodie = m.iter().find(|m| m.word == "hoodie").unwrap();
        assert_eq!(hoodie.sources, vec!["alias"]);
        assert_eq!(
            hoodie.via,
            vec![Via {
                kind: "alias",
                text: "hoodie".into()
            }]
        );
    }

    #[test]
    fn flags_need_the_goods_matched() {
        let fx = Fixture::new();
        let m = |word: &str, sources: &[&'static str]| Matched {
            word: word.into(),
            sources: sources.to_vec(),
            via: Vec::new(),
        };
        let q = fx.query("lego star wars set");
        // One incidental word met in a line's text: no evidence.
        assert!(!goods_evidence(&q, &[m("wars", &["ancestor", "line"])]));
        assert!(!goods_evidence(&q, &[m("star", &["ancestor"])]));
        // Most of the words met in the suggestion's own texts: evidence.
        let most = [
            m("lego", &["alias"]),
            m("star", &["line"]),
            m("wars", &["line"]),
        ];
        assert!(goods_evidence(&q, &most));
        // The head noun met in the subheading's own text: evidence.
        let q = fx.query("cotton hoodie with zip");
        assert!(goods_evidence(&q, &[m("hoodie", &["alias"])]));
        assert!(!goods_evidence(&q, &[m("zip", &["line"])]));
        // Every word met, one of them in the heading's text only: evidence.
        let q = fx.query("ivory carving");
        assert!(goods_evidence(
            &q,
            &[m("ivory", &["description"]), m("carving", &["ancestor"])]
        ));
        assert!(!goods_evidence(&q, &[m("carving", &["ancestor"])]));
    }

    #[test]
    fn confidences_share_out_belief() {
        let s = Softmax::new(&[10.0, 9.0, 1.0], 0.12);
        let c: Vec<f32> = [10.0, 9.0, 1.0].iter().map(|x| s.confidence(*x)).collect();
        assert!(c[0] > c[1] && c[1] > c[2]);
        assert!((c.iter().sum::<f32>() - 1.0).abs() < 1e-4);
    }
}
