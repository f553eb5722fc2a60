//! What the precedent signal is fitted with and what it does after the
//! ranking: its weights ([`SignalWeights`]; the signal and its combiner are
//! [`crate::rank::signals::precedents`]), the choice of the US line under a
//! subheading when precedents name one, and the explanation of a
//! suggestion by the precedents behind it.

use crate::rank::Suggestion;
use crate::tree::Tree;

use super::vote::{Precedents, Vote};

/// The signal's own weights, fitted by cross-validation (see the README).
#[derive(Debug, Clone)]
pub struct SignalWeights {
    /// A code's vote strength, in units of the best candidate's score.
    pub vote: f32,
    /// A near-exact precedent's code gets its strength times (1 + this).
    pub exact: f32,
    /// Weight of agreement: the geometric mean of both shares.
    pub agree: f32,
    /// Weight of the vote's strength for the candidate's heading.
    pub heading: f32,
    /// Weight of the ranking's order: 1 / (2 + rank) added to its share.
    pub rank_order: f32,
    /// Weight of the vote's order: sqrt(best similarity) / (2 + rank)
    /// added to its share, so weak neighbours say little.
    pub vote_order: f32,
    /// Share of a subheading's votes a US line needs to be chosen.
    pub line_share: f32,
    /// The ranking's shares count times the share of the description's
    /// words the tariff's vocabulary knows, to this power: where the
    /// ranking reads little of the text (brand names, abbreviations), the
    /// precedents weigh more.
    pub trust_known: f32,
    /// ... and times the top candidate's coverage factor (the weighted
    /// share of the description's words its texts name), to this power.
    pub trust_coverage: f32,
    /// After the first suggestion, the others of its heading are ordered
    /// as if their scores were this many times higher: the vote brings in
    /// weakly supported codes of other headings, and the first heading's
    /// other subheadings are the likelier runners-up (1: off).
    pub runners_up: f32,
}

impl Default for SignalWeights {
    fn default() -> Self {
        SignalWeights {
            vote: 2.0,
            exact: 1.0,
            agree: 3.0,
            heading: 1.0,
            rank_order: 2.0,
            vote_order: 0.8,
            line_share: 0.5,
            trust_known: 1.0,
            trust_coverage: 0.5,
            runners_up: 1.6,
        }
    }
}

/// Adds the supporting precedents to each suggestion, and moves a
/// suggestion to the US line its precedents name when they agree on one.
pub fn explain(tree: &Tree, suggestions: &mut [Suggestion], vote: &Vote, p: &Precedents) {
    let w = &p.signal;
    for s in suggestions.iter_mut() {
        let Some(cv) = vote.get(s.hs6.digits()) else {
            continue;
        };
        s.precedents = p.support_of(cv);
        let Some((line, weight)) = cv.lines.first() else {
            continue;
        };
        if *weight < w.line_share * cv.weight || s.code.digits() == line {
            continue;
        }
        if !line.starts_with(s.hs6.digits()) {
            continue;
        }
        let Some(node) = tree.get_digits(line) else {
            continue;
        };
        let Some(code) = node.code.clone() else {
            continue;
        };
        s.level = node.level.name();
        s.description = node.full_text.clone();
        s.path = tree
            .path(node.id)
            .iter()
            .filter_map(|n| n.code.as_ref().map(|c| c.to_string()))
            .collect();
        s.node = node.id;
        s.code = code;
    }
}
