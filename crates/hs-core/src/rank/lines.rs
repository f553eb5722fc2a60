//! Stage 5, choosing lines: the declarable national line under a chosen
//! subheading that best matches the query.

use tantivy::tokenizer::TextAnalyzer;

use crate::tree::{NodeId, Tree};

use super::Prepared;

/// The declarable line under a subheading that best matches the query:
/// the leaf whose texts below the subheading share the most query terms;
/// ties go to the shorter text, then schedule order. The subheading itself
/// when nothing lies under it.
pub fn best_line(
    an: &mut TextAnalyzer,
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
                if qt.iter().any(|t| prep.terms(an, tree, c).contains(t)) {
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
