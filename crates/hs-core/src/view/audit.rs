//! The views of `hs audit`: a row of a classified history (its declared
//! code, the risk that the evidence does not support it, the suggested
//! codes and the reason) and a group of near-identical descriptions
//! declared under different codes. The JSON lines, CSV and TSV outputs all
//! render these. Fields are written in the order the output has always had
//! (alphabetical); `risk` and `evidence` carry the assessment's values
//! widened to f64 as they always have.

use serde::Serialize;

use crate::precedents::audit::{Assessment, Evidence, Group};

use super::round;

/// One audited row.
#[derive(Debug, Clone, Serialize)]
pub struct AuditRowView {
    /// The code cell as written.
    pub declared: String,
    pub description: String,
    /// The parts of the evidence for a declared code that is a code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<AuditEvidence>,
    /// Always "row".
    pub kind: &'static str,
    pub reason: String,
    /// In [0, 1]: 1 when nothing supports the declared code (or it is no
    /// code); null when the row was not read (no description).
    pub risk: Option<f64>,
    /// The line of the row in the file (the header is line 1).
    pub row: u64,
    /// The best codes, at most three.
    pub suggested: Vec<AuditSuggested>,
}

/// The evidence for a declared code, each part in [0, 1].
#[derive(Debug, Clone, Copy, Serialize)]
pub struct AuditEvidence {
    pub chapter: f64,
    pub heading: f64,
    pub precedents: f64,
    pub ranking: f64,
}

impl From<&Evidence> for AuditEvidence {
    fn from(e: &Evidence) -> AuditEvidence {
        AuditEvidence {
            chapter: round(e.chapter, 5),
            heading: round(e.heading, 5),
            precedents: round(e.precedents, 5),
            ranking: round(e.ranking, 5),
        }
    }
}

/// A suggested code (dotted) and its confidence (four decimals).
#[derive(Debug, Clone, Serialize)]
pub struct AuditSuggested {
    pub code: String,
    pub confidence: f64,
}

fn suggested(a: &Assessment) -> Vec<AuditSuggested> {
    a.suggested
        .iter()
        .map(|(c, p)| AuditSuggested {
            code: c.clone(),
            confidence: round(*p, 4),
        })
        .collect()
}

impl AuditRowView {
    fn new(row: u64, description: &str, declared: &str) -> AuditRowView {
        AuditRowView {
            declared: declared.to_string(),
            description: description.to_string(),
            evidence: None,
            kind: "row",
            reason: String::new(),
            risk: None,
            row,
            suggested: Vec::new(),
        }
    }

    /// A row whose declared code was assessed.
    pub fn assessed(row: u64, description: &str, declared: &str, a: &Assessment) -> AuditRowView {
        AuditRowView {
            evidence: Some(AuditEvidence::from(&a.evidence)),
            reason: a.reason.clone(),
            risk: Some(round(a.risk, 5)),
            suggested: suggested(a),
            ..AuditRowView::new(row, description, declared)
        }
    }

    /// A row whose declared code is no code (`why`): risk 1, the codes the
    /// description suggests.
    pub fn not_a_code(
        row: u64,
        description: &str,
        declared: &str,
        why: &str,
        a: &Assessment,
    ) -> AuditRowView {
        AuditRowView {
            reason: why.to_string(),
            risk: Some(1.0),
            suggested: suggested(a),
            ..AuditRowView::new(row, description, declared)
        }
    }

    /// A row that could not be read (`problem`): no risk, no suggestion.
    pub fn unread(row: u64, description: &str, declared: &str, problem: &str) -> AuditRowView {
        AuditRowView {
            reason: problem.to_string(),
            ..AuditRowView::new(row, description, declared)
        }
    }
}

/// Near-identical descriptions declared under different subheadings.
#[derive(Debug, Clone, Serialize)]
pub struct AuditGroupView {
    /// Most rows first.
    pub codes: Vec<AuditGroupCode>,
    /// The first row's description.
    pub description: String,
    /// Always "group".
    pub kind: &'static str,
}

/// A subheading of a group and the rows declaring it.
#[derive(Debug, Clone, Serialize)]
pub struct AuditGroupCode {
    /// Six digits.
    pub code: String,
    /// How many rows declare it.
    pub count: usize,
    /// The lines of the first of them.
    pub rows: Vec<u64>,
}

impl From<&Group> for AuditGroupView {
    fn from(g: &Group) -> AuditGroupView {
        AuditGroupView {
            codes: g
                .codes
                .iter()
                .map(|(code, rows, count)| AuditGroupCode {
                    code: code.clone(),
                    count: *count,
                    rows: rows.clone(),
                })
                .collect(),
            description: g.description.clone(),
            kind: "group",
        }
    }
}
