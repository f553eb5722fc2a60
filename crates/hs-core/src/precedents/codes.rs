//! Checking a precedent's code against the nomenclature: the first six
//! digits must be an HS 2022 subheading (a code HS 2022 deleted is reported
//! with its HS 2022 successors); a longer code from another schedule (a UK
//! or EU 8/10-digit code) keeps its six digits, and its further digits only
//! where they name a line of the US schedule.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::editions::Editions;
use crate::engine::Engine;
use crate::successors::successors;
use crate::tree::{Level, Tree};

/// How many successors a deleted code's report names.
const SUCCESSORS: usize = 3;

/// Why a code was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeProblem {
    /// Not digits of a code (letters, too short, too long, odd length).
    Malformed(String),
    /// Well-formed, but its six digits are no HS 2022 subheading.
    NotSubheading(String),
    /// Deleted by HS 2022: the successors (digits) to use instead.
    Deleted {
        code: String,
        successors: Vec<String>,
    },
}

impl std::fmt::Display for CodeProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CodeProblem::Malformed(m) => write!(f, "malformed code: {m}"),
            CodeProblem::NotSubheading(c) => {
                write!(f, "code {c}: its six digits are not an HS 2022 subheading")
            }
            CodeProblem::Deleted { code, successors } => {
                write!(f, "code {code} was deleted by HS 2022")?;
                if !successors.is_empty() {
                    write!(f, "; its HS 2022 successors: {}", successors.join(", "))?;
                }
                Ok(())
            }
        }
    }
}

/// Checks codes against one engine's tree (and HS 2017 for deleted ones).
pub struct CodeCheck<'e> {
    engine: &'e Engine,
    editions: Editions,
    deleted: Mutex<HashMap<String, Option<Vec<String>>>>,
}

impl<'e> CodeCheck<'e> {
    pub fn new(engine: &'e Engine) -> CodeCheck<'e> {
        CodeCheck {
            engine,
            editions: Editions::for_dataset(&engine.data),
            deleted: Mutex::new(HashMap::new()),
        }
    }

    /// A row of a labelled file as a precedent (cross-validation folds):
    /// its first gold code (codes are separated by `;`) checked; `None`
    /// when that code is unusable.
    pub fn labelled(&self, description: &str, gold: &str, row: u64) -> Option<super::Precedent> {
        let code = self.check(gold.split(';').next().unwrap_or("")).ok()?;
        Some(super::Precedent::labelled(description, code, gold, row))
    }

    /// The checked code (6, 8 or 10 digits) of a declared code.
    pub fn check(&self, declared: &str) -> Result<String, CodeProblem> {
        let digits = digits_of(declared)?;
        let tree = &self.engine.data.tree;
        let six = &digits[..6];
        if !is_subheading(tree, six) {
            return Err(match self.successors_of(six) {
                Some(successors) => CodeProblem::Deleted {
                    code: six.to_string(),
                    successors,
                },
                None => CodeProblem::NotSubheading(six.to_string()),
            });
        }
        Ok(us_line(tree, &digits))
    }

    fn successors_of(&self, six: &str) -> Option<Vec<String>> {
        let mut cache = self.deleted.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = cache.get(six) {
            return hit.clone();
        }
        let found = match (self.editions.deleted(six), self.editions.hs2022()) {
            (Ok(Some(d)), Ok(new)) => Some(match successors(self.engine, new, &d, SUCCESSORS) {
                Ok(found) => found.into_iter().map(|s| s.code).collect(),
                Err(e) => vec![format!("(none found: {e})")],
            }),
            _ => None,
        };
        cache.insert(six.to_string(), found.clone());
        found
    }
}

/// The digits of a declared code: dots, spaces and hyphens ignored; 6, 8
/// or 10 digits.
pub fn digits_of(declared: &str) -> Result<String, CodeProblem> {
    let t = declared.trim();
    if t.is_empty() {
        return Err(CodeProblem::Malformed("empty".into()));
    }
    // Messages quote at most 40 characters of the cell.
    let shown = crate::text::cut_short(t, 40);
    let mut digits = String::with_capacity(10);
    for ch in t.chars() {
        match ch {
            '0'..='9' => digits.push(ch),
            '.' | ' ' | '-' | '_' => {}
            _ => {
                return Err(CodeProblem::Malformed(format!(
                    "'{shown}': '{ch}' is not a digit"
                )));
            }
        }
    }
    match digits.len() {
        6 | 8 | 10 => Ok(digits),
        n if n < 6 => Err(CodeProblem::Malformed(format!(
            "'{shown}' has {n} digits; a precedent needs at least the six of an HS subheading{}",
            if n == 5 {
                " (a leading zero lost by a spreadsheet?)"
            } else {
                ""
            }
        ))),
        n => Err(CodeProblem::Malformed(format!(
            "'{shown}' has {n} digits; codes have 6, 8 or 10{}",
            if n % 2 == 1 && n < 10 {
                " (a leading zero lost by a spreadsheet?)"
            } else {
                ""
            }
        ))),
    }
}

/// True when `six` digits are an HS 2022 subheading in the tree.
pub fn is_subheading(tree: &Tree, six: &str) -> bool {
    tree.get_digits(six)
        .is_some_and(|n| n.level == Level::Subheading)
}

/// The code kept: the 10 or 8 digits when the US schedule has that line
/// under the subheading, else the six.
pub fn us_line(tree: &Tree, digits: &str) -> String {
    for n in [10, 8] {
        if digits.len() >= n && tree.get_digits(&digits[..n]).is_some() {
            return digits[..n].to_string();
        }
    }
    digits[..6].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_of_accepts_dotted_and_rejects_junk() {
        assert_eq!(digits_of("6109.10.00.12").as_deref(), Ok("6109100012"));
        assert_eq!(digits_of(" 610910 ").as_deref(), Ok("610910"));
        assert!(matches!(digits_of("6109"), Err(CodeProblem::Malformed(_))));
        assert!(matches!(
            digits_of("61091x"),
            Err(CodeProblem::Malformed(_))
        ));
        assert!(matches!(
            digits_of("6109100"),
            Err(CodeProblem::Malformed(_))
        ));
        assert!(matches!(
            digits_of("610910001234"),
            Err(CodeProblem::Malformed(_))
        ));
        assert!(matches!(digits_of(""), Err(CodeProblem::Malformed(_))));
    }
}
