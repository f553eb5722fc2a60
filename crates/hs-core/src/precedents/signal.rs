//! The precedent signal: how the vote of [`super::vote`] enters the
//! ranking of subheadings (a contribution per candidate, zero without
//! precedents), chooses the US line under a subheading when precedents
//! name one, and explains a suggestion by the precedents behind it.

use crate::rank::Suggestion;
use crate::tree::{Level, NodeId, Tree};

use super::vote::Vote;

/// The signal's own weights, fitted by cross-validation (see the README).
#[derive(Debug, Clone)]
pub struct SignalWeights {
    /// A code's vote strength, in units of the best candidate's score.
    pub vote: f32,
    /// Added to `vote` when a near-exact precedent votes for the code.
    pub exact: f32,
    /// Share of a subheading's votes a US line needs to be chosen.
    pub line_share: f32,
}

impl Default for SignalWeights {
    fn default() -> Self {
        SignalWeights {
            vote: 1.0,
            exact: 1.0,
            line_share: 0.5,
        }
    }
}

/// Each candidate's contribution: the strength of the votes for its
/// subheading, scaled to the best candidate's score; subheadings only the
/// precedents name become candidates. With an empty vote nothing changes.
pub fn apply(
    tree: &Tree,
    scored: &mut Vec<(NodeId, f32)>,
    vote: &Vote,
    near_exact: f32,
    w: &SignalWeights,
) {
    if vote.is_empty() {
        return;
    }
    let best = scored.iter().map(|x| x.1).fold(0.0f32, f32::max).max(1.0);
    for c in &vote.codes {
        let Some(node) = tree
            .get_digits(&c.hs6)
            .filter(|n| n.level == Level::Subheading)
        else {
            continue;
        };
        let exact = if c.best >= near_exact { w.exact } else { 0.0 };
        let bonus = best * c.strength * (w.vote + exact);
        match scored.iter_mut().find(|(id, _)| *id == node.id) {
            Some((_, s)) => *s += bonus,
            None => scored.push((node.id, bonus)),
        }
    }
}

/// Adds the supporting precedents to each suggestion, and moves a
/// suggestion to the US line its precedents name when they agree on one.
pub fn explain(tree: &Tree, suggestions: &mut [Suggestion], vote: &Vote, w: &SignalWeights) {
    for s in suggestions.iter_mut() {
        let Some(cv) = vote.get(s.hs6.digits()) else {
            continue;
        };
        s.precedents = cv.support.clone();
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
