//! The views of `hs eval`: the report (rows, figures, seconds, the figures
//! by chapter) and a row's line of `--predictions`. Fields are written in
//! the order the report has always had (alphabetical).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::eval::{Scores, digits};
use crate::rank::Suggestion;

use super::round;

/// The report of a run over a labelled file (`hs eval --json`).
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    /// The figures of each chapter of the first gold code, when asked for
    /// (null otherwise).
    pub by_chapter: Option<BTreeMap<String, EvalFigures>>,
    /// "hs6@1" -> percent of rows (one decimal), as `score.py` computes them.
    pub figures: BTreeMap<String, f64>,
    /// The file as named on the command line.
    pub file: String,
    pub rows: usize,
    pub seconds: f64,
}

/// The rows and figures of one chapter.
#[derive(Debug, Clone, Serialize)]
pub struct EvalFigures {
    pub figures: BTreeMap<String, f64>,
    pub rows: usize,
}

impl EvalFigures {
    pub fn new(s: &Scores) -> EvalFigures {
        EvalFigures {
            figures: s.figures.clone(),
            rows: s.rows,
        }
    }
}

impl EvalReport {
    /// The report of finished scores; `by_chapter` when the run kept them.
    pub fn new(
        file: &str,
        all: &Scores,
        by_chapter: Option<&BTreeMap<String, Scores>>,
        seconds: f64,
    ) -> EvalReport {
        EvalReport {
            by_chapter: by_chapter.map(|m| {
                m.iter()
                    .map(|(k, s)| (k.clone(), EvalFigures::new(s)))
                    .collect()
            }),
            figures: all.figures.clone(),
            file: file.to_string(),
            rows: all.rows,
            seconds,
        }
    }
}

/// A row's line of `hs eval --predictions FILE` (what `score.py` reads).
#[derive(Debug, Clone, Serialize)]
pub struct EvalPrediction {
    /// The suggested codes, digits only, best first.
    pub codes: Vec<String>,
    /// The same codes (as the ranking writes them) with their confidence.
    pub suggestions: Vec<PredictedCode>,
}

/// A suggested code and its confidence (four decimals).
#[derive(Debug, Clone, Serialize)]
pub struct PredictedCode {
    pub code: String,
    pub confidence: f64,
}

impl EvalPrediction {
    pub fn new(suggestions: &[Suggestion]) -> EvalPrediction {
        EvalPrediction {
            codes: suggestions
                .iter()
                .map(|s| digits(s.code.digits()))
                .collect(),
            suggestions: suggestions
                .iter()
                .map(|s| PredictedCode {
                    code: s.code.digits().to_string(),
                    confidence: round(s.confidence, 4),
                })
                .collect(),
        }
    }
}
