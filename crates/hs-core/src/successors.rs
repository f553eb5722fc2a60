//! Successors of deleted codes: for an HS 2017 code that HS 2022 deleted,
//! the HS 2022 codes whose text is closest, merging text similarity (strsim,
//! [`crate::editions::nearest_in`]) with the engine's own search run on the
//! HS 2017 description.

use std::collections::HashMap;

use serde::Serialize;

use crate::editions::{DeletedCode, Edition, nearest_in};
use crate::engine::Engine;

/// Weight of the text similarity in the merged score; the rest goes to the
/// engine's confidence.
const TEXT_WEIGHT: f64 = 0.6;
/// How many engine suggestions are read.
const SEARCH_DEPTH: usize = 20;

/// One HS 2022 code suggested for a deleted HS 2017 code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Successor {
    /// HS 2022 code, digits only, at the deleted code's level (4 or 6 digits).
    pub code: String,
    /// Its HS 2022 description.
    pub description: String,
    /// Merged score in [0, 1], best first.
    pub score: f64,
    /// Text similarity with a same-heading prior, in [0, 1].
    pub text_score: f64,
    /// Best confidence of the engine's suggestions under this code, in
    /// [0, 1]; 0 when the search did not reach it.
    pub search_score: f64,
}

/// Up to `n` HS 2022 codes for `deleted`, best first. Every code of the new
/// edition at the deleted code's level is scored for text similarity; the
/// engine's suggestions for the old description add their confidence to the
/// codes they fall under.
pub fn successors(
    engine: &Engine,
    new: &Edition,
    deleted: &DeletedCode,
    n: usize,
) -> Result<Vec<Successor>, crate::rank::RankError> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let level = if deleted.code.len() == 4 { 4 } else { 6 };
    let mut search: HashMap<String, f64> = HashMap::new();
    for s in engine
        .search(&deleted.description, SEARCH_DEPTH)?
        .suggestions
    {
        let Some(key) = s.code.digits().get(..level) else {
            continue;
        };
        let conf = f64::from(s.confidence).clamp(0.0, 1.0);
        let e = search.entry(key.to_string()).or_insert(0.0);
        *e = e.max(conf);
    }
    let mut out: Vec<Successor> = nearest_in(new, &deleted.code, &deleted.description, usize::MAX)
        .into_iter()
        .map(|(code, description, text_score)| {
            let search_score = search.get(&code).copied().unwrap_or(0.0);
            Successor {
                score: TEXT_WEIGHT * text_score + (1.0 - TEXT_WEIGHT) * search_score,
                code,
                description,
                text_score,
                search_score,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.code.cmp(&b.code))
    });
    out.truncate(n);
    Ok(out)
}
