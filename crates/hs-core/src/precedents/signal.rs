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
}

impl Default for SignalWeights {
    fn default() -> Self {
        SignalWeights {
            vote: 4.0,
            exact: 1.0,
            agree: 1.0,
            heading: 1.0,
            rank_order: 1.0,
            vote_order: 0.8,
            line_share: 0.5,
        }
    }
}

/// Each candidate's contribution. The ranking's scores become shares of
/// belief (a softmax at the ranking's own `temperature`, as confidences
/// are computed); the vote gives its own shares (a code's strength); the
/// new score mixes the two, with a term for agreement (the geometric mean
/// of both shares), scaled back to the best score. Subheadings only the
/// precedents name become candidates. With an empty vote nothing changes.
pub fn apply(
    tree: &Tree,
    scored: &mut Vec<(NodeId, f32)>,
    vote: &Vote,
    near_exact: f32,
    temperature: f32,
    w: &SignalWeights,
) {
    if vote.is_empty() {
        return;
    }
    let best = scored.iter().map(|x| x.1).fold(0.0f32, f32::max);
    let scale = best.max(1.0);
    let t = (temperature * best).max(0.01);
    let z: f32 = scored.iter().map(|(_, s)| ((s - best) / t).exp()).sum();
    let mut order: Vec<(NodeId, f32)> = scored.clone();
    order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut shares: Vec<(NodeId, f32, f32)> = order
        .iter()
        .enumerate()
        .map(|(r, &(id, s))| {
            (
                id,
                ((s - best) / t).exp() / z.max(f32::MIN_POSITIVE)
                    + w.rank_order / (2.0 + r as f32),
                0.0,
            )
        })
        .collect();
    for (r, c) in vote.codes.iter().enumerate() {
        let Some(node) = tree
            .get_digits(&c.hs6)
            .filter(|n| n.level == Level::Subheading)
        else {
            continue;
        };
        let exact = if c.best >= near_exact { w.exact } else { 0.0 };
        let v = c.strength * (1.0 + exact) + w.vote_order * c.best.sqrt() / (2.0 + r as f32);
        match shares.iter_mut().find(|(id, ..)| *id == node.id) {
            Some((_, _, pv)) => *pv += v,
            None => shares.push((node.id, 0.0, v)),
        }
    }
    // Precedents that agree on the heading but not the subheading still
    // speak for the heading.
    let mut heading: Vec<(&str, f32)> = Vec::new();
    for c in &vote.codes {
        let h = c.hs6.get(..4).unwrap_or(&c.hs6);
        match heading.iter_mut().find(|(x, _)| *x == h) {
            Some(e) => e.1 += c.strength,
            None => heading.push((h, c.strength)),
        }
    }
    let heading_of = |id: NodeId| -> f32 {
        let Some(code) = &tree.node(id).code else {
            return 0.0;
        };
        let h = code.digits().get(..4).unwrap_or("");
        heading.iter().find(|(x, _)| *x == h).map_or(0.0, |e| e.1)
    };
    scored.clear();
    scored.extend(shares.into_iter().map(|(id, pr, pv)| {
        let ph = heading_of(id);
        (
            id,
            scale * (pr + w.vote * pv + w.agree * (pr * pv).sqrt() + w.heading * ph),
        )
    }));
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
