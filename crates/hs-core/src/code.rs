//! Codes: the one parser for everything a user types as an HS or national
//! tariff code (`6109.10`, `610910`, `6109 10`, `6109.10.00.12`), and their
//! canonical printed form.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};
use thiserror::Error;

/// A well-formed code: 2 (chapter), 4 (heading), 6 (HS subheading),
/// 8 (national tariff line) or 10 (statistical line) digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Code(String);

/// Why a piece of text is not a code.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CodeError {
    #[error("empty code: type 2 to 10 digits, e.g. 6109.10")]
    Empty,
    #[error(
        "'{input}' is not a code: '{ch}' is not a digit (codes are 2, 4, 6, 8 or 10 digits, e.g. 6109.10.00.12)"
    )]
    NotDigit { input: String, ch: char },
    #[error(
        "'{input}' is not a code: '{group}' cannot stand there (codes are written 61, 6109, 6109.10, 6109.10.00 or 6109.10.00.12)"
    )]
    Malformed { input: String, group: String },
    #[error("'{input}' has {len} digits; codes have 2, 4, 6, 8 or 10{hint}")]
    BadLength {
        input: String,
        len: usize,
        hint: String,
    },
}

impl Code {
    /// Parses user text. Dots, spaces, hyphens and underscores may separate
    /// groups of digits, as codes are written, between pairs of digits: every
    /// group has an even number of digits (`6109.10`, `61.09`,
    /// `6109.10.0012`, `6109 10 00 12`); so `6109.1` and `5.5` are malformed,
    /// not `610901` and chapter 55. A single group may have any length (an
    /// odd one gets the "leading zero lost?" hint). Anything else is an error.
    pub fn parse(input: &str) -> Result<Code, CodeError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(CodeError::Empty);
        }
        let mut digits = String::with_capacity(10);
        let mut groups: Vec<&str> = Vec::new();
        let mut start = None;
        for (i, ch) in trimmed.char_indices() {
            match ch {
                '0'..='9' => {
                    digits.push(ch);
                    start.get_or_insert(i);
                }
                '.' | ' ' | '\t' | '-' | '_' => {
                    if let Some(s) = start.take() {
                        groups.push(&trimmed[s..i]);
                    }
                }
                _ => {
                    return Err(CodeError::NotDigit {
                        input: trimmed.to_string(),
                        ch,
                    });
                }
            }
        }
        if let Some(s) = start {
            groups.push(&trimmed[s..]);
        }
        // Separators stand between groups of digits, one at a time: a code
        // never starts or ends with one ("-6109", ".6109", "6109.10.") nor
        // doubles one ("6109..10"); spaces around one are only spacing.
        if !digits.is_empty() {
            let runs: Vec<&str> = trimmed
                .split(|c: char| c.is_ascii_digit())
                .enumerate()
                .filter(|(i, r)| *i == 0 || !r.is_empty())
                .map(|(_, r)| r)
                .collect();
            let last = runs.len().saturating_sub(1);
            let marks = |r: &str| r.chars().filter(|c| matches!(c, '.' | '-' | '_')).count();
            let bad = runs.iter().enumerate().find(|(i, r)| {
                let edge = (*i == 0
                    || (*i == last && !trimmed.ends_with(|c: char| c.is_ascii_digit())))
                    && !r.is_empty();
                edge || marks(r) > 1
            });
            if let Some((_, run)) = bad {
                return Err(CodeError::Malformed {
                    input: trimmed.to_string(),
                    group: run.trim().to_string(),
                });
            }
        }
        if groups.len() > 1
            && let Some(g) = groups.iter().find(|g| !g.len().is_multiple_of(2))
        {
            return Err(CodeError::Malformed {
                input: trimmed.to_string(),
                group: g.to_string(),
            });
        }
        Self::from_digits(trimmed, digits)
    }

    fn from_digits(input: &str, digits: String) -> Result<Code, CodeError> {
        let len = digits.len();
        match len {
            0 => Err(CodeError::Empty),
            2 | 4 | 6 | 8 | 10 => Ok(Code(digits)),
            _ => {
                let hint = if len % 2 == 1 && len < 10 {
                    format!(" (a leading zero lost by a spreadsheet? try 0{digits})")
                } else if len > 10 {
                    " (at most 10)".to_string()
                } else {
                    String::new()
                };
                Err(CodeError::BadLength {
                    input: input.to_string(),
                    len,
                    hint,
                })
            }
        }
    }

    /// True when `text` reads as a code (digits with optional separators)
    /// rather than words; used to route `search 6109` to a code lookup.
    pub fn looks_like_code(text: &str) -> bool {
        let t = text.trim();
        !t.is_empty()
            && crate::text::has_digit(t)
            && t.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | ' '))
    }

    /// The digits, without separators.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// Number of digits (2, 4, 6, 8 or 10).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Never true: a code has at least two digits (for clippy's sake).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The code cut to `n` digits, if it has at least that many.
    pub fn prefix(&self, n: usize) -> Option<Code> {
        (n >= 2 && n <= self.0.len() && n.is_multiple_of(2)).then(|| Code(self.0[..n].to_string()))
    }

    /// The chapter number (first two digits).
    pub fn chapter(&self) -> u8 {
        self.0[..2].parse().unwrap_or(0)
    }

    /// The code one level up (6109.10 -> 6109), or None for a chapter.
    pub fn parent(&self) -> Option<Code> {
        (self.0.len() > 2).then(|| Code(self.0[..self.0.len() - 2].to_string()))
    }

    /// True when `self` is `other` or lies under it.
    pub fn starts_with(&self, other: &Code) -> bool {
        self.0.starts_with(&other.0)
    }
}

impl fmt::Display for Code {
    /// `61`, `6109`, `6109.10`, `6109.10.00`, `6109.10.00.12`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        if d.len() <= 4 {
            return f.write_str(d);
        }
        f.write_str(&d[..4])?;
        let mut i = 4;
        while i < d.len() {
            f.write_str(".")?;
            f.write_str(&d[i..(i + 2).min(d.len())])?;
            i += 2;
        }
        Ok(())
    }
}

impl FromStr for Code {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Code::parse(s)
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Roman numeral of a section number (1..=21 and beyond).
pub fn roman(n: u8) -> String {
    const TABLE: [(u8, &str); 7] = [
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (value, sym) in TABLE {
        while n >= value {
            out.push_str(sym);
            n -= value;
        }
    }
    out
}

/// Parses a section reference: `XI`, `xi`, `Section XI`, `section 11`.
pub fn parse_section(text: &str) -> Option<u8> {
    let t = text.trim();
    let t = t
        .strip_prefix("section")
        .or_else(|| t.strip_prefix("Section"))
        .or_else(|| t.strip_prefix("SECTION"))
        .unwrap_or(t)
        .trim();
    if t.is_empty() {
        return None;
    }
    if let Ok(n) = t.parse::<u8>() {
        return (1..=22).contains(&n).then_some(n);
    }
    let upper = t.to_ascii_uppercase();
    (1..=22u8).find(|&n| roman(n) == upper)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_written_form() {
        for input in ["6109.10", "610910", "6109 10", " 6109.10 "] {
            assert_eq!(Code::parse(input).unwrap().digits(), "610910", "{input}");
        }
        for input in [
            "6109.10.00.12",
            "6109100012",
            "6109 10 00 12",
            "6109.10.0012",
        ] {
            assert_eq!(Code::parse(input).unwrap().digits(), "6109100012");
        }
        assert_eq!(Code::parse("61").unwrap().len(), 2);
        assert_eq!(Code::parse("0101.21.00").unwrap().to_string(), "0101.21.00");
    }

    #[test]
    fn rejects_non_codes() {
        assert!(matches!(Code::parse(""), Err(CodeError::Empty)));
        assert!(matches!(Code::parse("  "), Err(CodeError::Empty)));
        assert!(matches!(Code::parse("..."), Err(CodeError::Empty)));
        assert!(matches!(
            Code::parse("61a9"),
            Err(CodeError::NotDigit { ch: 'a', .. })
        ));
        let err = Code::parse("10121").unwrap_err();
        assert!(err.to_string().contains("try 010121"), "{err}");
        assert!(matches!(
            Code::parse("6"),
            Err(CodeError::BadLength { len: 1, .. })
        ));
        assert!(Code::parse("610910001234").is_err());
    }

    #[test]
    fn rejects_misplaced_separators() {
        for input in [
            "6109.1",
            "5.5",
            "610.910",
            "6109.10.0",
            "6109.123",
            "-6109",
            ".6109",
            "6109.10.",
            "6109..10",
            "6109.-10",
            "_61",
        ] {
            let err = Code::parse(input).unwrap_err();
            assert!(matches!(err, CodeError::Malformed { .. }), "{input}: {err}");
        }
        for (input, digits) in [
            ("61.09", "6109"),
            ("6109.10.0012", "6109100012"),
            ("6109 10 00 12", "6109100012"),
            ("0101-21", "010121"),
            ("6109.100012", "6109100012"),
            ("6109 - 10", "610910"),
            ("6109  10", "610910"),
        ] {
            assert_eq!(Code::parse(input).unwrap().digits(), digits, "{input}");
        }
    }

    #[test]
    fn prints_canonically() {
        let cases = [
            ("61", "61"),
            ("6109", "6109"),
            ("610910", "6109.10"),
            ("61091000", "6109.10.00"),
            ("6109100012", "6109.10.00.12"),
        ];
        for (digits, printed) in cases {
            assert_eq!(Code::parse(digits).unwrap().to_string(), printed);
        }
    }

    #[test]
    fn navigation() {
        let c = Code::parse("6109.10.00.12").unwrap();
        assert_eq!(c.parent().unwrap().digits(), "61091000");
        assert_eq!(c.prefix(6).unwrap().digits(), "610910");
        assert_eq!(c.chapter(), 61);
        assert!(c.starts_with(&Code::parse("6109").unwrap()));
        assert!(Code::parse("61").unwrap().parent().is_none());
    }

    #[test]
    fn sections() {
        assert_eq!(roman(11), "XI");
        assert_eq!(roman(21), "XXI");
        assert_eq!(roman(4), "IV");
        assert_eq!(parse_section("XI"), Some(11));
        assert_eq!(parse_section("section xiv"), Some(14));
        assert_eq!(parse_section("Section 2"), Some(2));
        assert_eq!(parse_section("XXX"), None);
        assert_eq!(parse_section("6109"), None);
    }

    #[test]
    fn looks_like_code() {
        assert!(Code::looks_like_code("6109"));
        assert!(Code::looks_like_code("6109.10 00"));
        assert!(!Code::looks_like_code("cotton 6109"));
        assert!(!Code::looks_like_code(""));
    }
}
