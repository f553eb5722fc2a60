//! Auditing a classified history: how well the evidence (the ranking with
//! the precedent signal, the other rows as precedents) supports each row's
//! declared code, as a risk in [0, 1] with the suggested codes and a reason;
//! and the groups of near-identical descriptions declared under different
//! codes.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::engine::Engine;
use crate::index::{analyze, analyzer};
use crate::rank::{RankError, Ranker};
use crate::text::normalize;

use super::Precedent;

/// How the evidence is weighed into support (risk = 1 - support).
#[derive(Debug, Clone)]
pub struct AuditWeights {
    /// The declared subheading's confidence over the top suggestion's.
    pub ranking: f32,
    /// The declared subheading's vote over the top vote.
    pub precedents: f32,
    /// The share of confidence in the declared code's heading.
    pub heading: f32,
    /// The share of confidence in the declared code's chapter.
    pub chapter: f32,
}

impl Default for AuditWeights {
    fn default() -> Self {
        // Fitted on altered copies of the shared sets (bench/audit.py).
        AuditWeights {
            ranking: 4.0,
            precedents: 4.0,
            heading: 0.5,
            chapter: 0.0,
        }
    }
}

/// Suggestions read for one row.
pub const DEPTH: usize = 100;
/// Rows listed per code of a group.
pub const GROUP_ROWS: usize = 20;

/// The evidence for a declared code, each part in [0, 1].
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Evidence {
    pub ranking: f32,
    pub precedents: f32,
    pub heading: f32,
    pub chapter: f32,
}

/// One audited row.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// In [0, 1]: 1 when nothing supports the declared code.
    pub risk: f32,
    /// The best codes (dotted) with their confidence, at most three.
    pub suggested: Vec<(String, f32)>,
    pub reason: String,
    pub evidence: Evidence,
}

/// Assesses a row's declared subheading (six digits). `skip` leaves the
/// row's own precedent (set, index) out of the vote.
pub fn assess(
    engine: &Engine,
    ranker: &mut Ranker,
    description: &str,
    declared: &str,
    skip: Option<(usize, usize)>,
    w: &AuditWeights,
) -> Result<Assessment, RankError> {
    let vote = engine
        .precedents
        .as_ref()
        .map(|p| p.vote_except(description, skip))
        .transpose()?;
    let result = engine.search_voted(ranker, description, DEPTH, vote.as_ref())?;
    let s = &result.suggestions;
    let conf = |pred: &dyn Fn(&str) -> bool| -> f32 {
        s.iter()
            .filter(|x| pred(x.hs6.digits()))
            .map(|x| x.confidence)
            .sum()
    };
    let total = conf(&|_| true).max(f32::MIN_POSITIVE);
    let top = s
        .first()
        .map_or(0.0, |x| x.confidence)
        .max(f32::MIN_POSITIVE);
    let head = declared.get(..4).unwrap_or(declared);
    let chap = declared.get(..2).unwrap_or(declared);
    let mut e = Evidence {
        ranking: (conf(&|c| c == declared) / top).min(1.0),
        heading: conf(&|c| c.starts_with(head)) / total,
        chapter: conf(&|c| c.starts_with(chap)) / total,
        precedents: 0.0,
    };
    if let Some(v) = &vote
        && let Some(best) = v.codes.first()
    {
        e.precedents = v
            .get(declared)
            .map_or(0.0, |c| c.weight / best.weight.max(f32::MIN_POSITIVE));
    }
    // No negative zeros in the output.
    for x in [
        &mut e.ranking,
        &mut e.precedents,
        &mut e.heading,
        &mut e.chapter,
    ] {
        *x = x.clamp(0.0, 1.0) + 0.0;
    }
    // No precedent near the row (none voted): the precedents say nothing,
    // for or against, and weigh nothing; a vote for other codes counts
    // against the declared one.
    let voted = vote.as_ref().is_some_and(|v| !v.codes.is_empty());
    let w_precedents = if voted { w.precedents } else { 0.0 };
    let weights = w.ranking + w_precedents + w.heading + w.chapter;
    let support = (w.ranking * e.ranking
        + w_precedents * e.precedents
        + w.heading * e.heading
        + w.chapter * e.chapter)
        / weights.max(f32::MIN_POSITIVE);
    let risk = (1.0 - support).clamp(0.0, 1.0);
    let suggested: Vec<(String, f32)> = s
        .iter()
        .take(3)
        .map(|x| (x.hs6.to_string(), (x.confidence * 1000.0).round() / 1000.0))
        .collect();
    let others = vote
        .as_ref()
        .and_then(|v| v.codes.first())
        .filter(|c| c.hs6 != declared);
    let mut reason = match s.iter().position(|x| x.hs6.digits() == declared) {
        None if s.is_empty() => format!(
            "no suggestion to check declared {declared} against (no word of the description is one the tariff or the precedents know)"
        ),
        None if e.chapter == 0.0 => format!(
            "declared {declared} is outside every chapter the top {DEPTH} suggestions reach"
        ),
        None => format!("declared {declared} is not among the top {DEPTH} suggestions"),
        Some(0) => format!("declared {declared} is the top suggestion"),
        Some(i) => format!("declared {declared} is suggestion {} of {DEPTH}", i + 1),
    };
    if let Some(c) = others
        && let Some(p) = engine
            .precedents
            .as_ref()
            .and_then(|p| p.support_of(c).into_iter().next())
    {
        reason.push_str(&format!(
            "; the most similar other rows are declared {} (as row {}: '{}' -> {})",
            c.hs6, p.row, p.description, p.code
        ));
    }
    Ok(Assessment {
        risk: (risk * 100_000.0).round() / 100_000.0,
        suggested,
        reason,
        evidence: e,
    })
}

/// Near-identical descriptions declared under different subheadings.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// The first row's description.
    pub description: String,
    /// (six digits, lines of the rows declaring it, at most [`GROUP_ROWS`],
    /// how many rows), most rows first.
    pub codes: Vec<(String, Vec<u64>, usize)>,
}

/// Rows whose descriptions read the same (the same terms after the query
/// analysis: case, plurals, stop words and word order aside) under more
/// than one subheading, in order of their first row.
pub fn conflicting_groups(rows: &[Precedent]) -> Vec<Group> {
    let mut an = analyzer();
    let mut by_key: BTreeMap<String, (usize, Vec<&Precedent>)> = BTreeMap::new();
    for (i, p) in rows.iter().enumerate() {
        let mut t = analyze(&mut an, &normalize(&p.description));
        t.sort();
        t.dedup();
        if t.is_empty() {
            continue;
        }
        by_key
            .entry(t.join(" "))
            .or_insert((i, Vec::new()))
            .1
            .push(p);
    }
    let mut groups: Vec<(usize, Group)> = by_key
        .into_values()
        .filter_map(|(first, members)| {
            let mut codes: Vec<(String, Vec<u64>, usize)> = Vec::new();
            for p in &members {
                match codes.iter_mut().find(|(c, ..)| c == p.hs6()) {
                    Some(e) => {
                        if e.1.len() < GROUP_ROWS {
                            e.1.push(p.row);
                        }
                        e.2 += 1;
                    }
                    None => codes.push((p.hs6().to_string(), vec![p.row], 1)),
                }
            }
            if codes.len() < 2 {
                return None;
            }
            codes.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
            Some((
                first,
                Group {
                    description: members[0].description.clone(),
                    codes,
                },
            ))
        })
        .collect();
    groups.sort_by_key(|(first, _)| *first);
    groups.into_iter().map(|(_, g)| g).collect()
}
