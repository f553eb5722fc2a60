//! Rate text: one cell of the General, Special or Column 2 column parsed into
//! a structured [`Rate`] (free, ad valorem, specific, compound, sliding
//! scale, with any minimum, maximum or proviso), or kept verbatim as a
//! reference to other provisions, never guessed. A Special cell is a list of
//! [`SpecialGroup`]s: a rate and the program indicators it applies to.

use std::fmt;

use serde::Serialize;

/// What a rate is, once parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RateKind {
    /// The cell is empty (rates are often given only on the 8-digit line).
    Empty,
    /// `Free`, possibly with a proviso (`Free, under bond, ...`).
    Free,
    /// One percentage of a value: `6.8%`, `3 percent of the fair retail value`.
    AdValorem,
    /// One amount per unit: `1¢/kg`, `$1.05/doz.`, `25¢ each`.
    Specific,
    /// Two or more terms added up: `46.3¢/kg + 14.9%`.
    Compound,
    /// A base amount reduced per degree, with a floor (raw sugar by polarity).
    SlidingScale,
    /// Text that refers elsewhere (`See additional U.S. note 1`, `The rate
    /// applicable to the article of which it is a part or accessory`, `No
    /// change`): kept verbatim, never computed.
    Reference,
    /// Text that fits none of the above.
    Unparsed,
}

impl RateKind {
    /// Parsed into a form whose arithmetic is known (not empty, not a
    /// reference, not unparsed).
    pub fn is_structured(self) -> bool {
        matches!(
            self,
            RateKind::Free
                | RateKind::AdValorem
                | RateKind::Specific
                | RateKind::Compound
                | RateKind::SlidingScale
        )
    }
}

/// One additive term of a rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Term {
    /// A percentage of a value. `basis` is what the percentage is of when
    /// the text says (`on the case`, `of the fair retail value`); without
    /// one it is the customs value of the goods.
    AdValorem {
        text: String,
        percent: f64,
        #[serde(skip_serializing_if = "Option::is_none")]
        basis: Option<String>,
    },
    /// An amount in USD per unit. `unit` is normalized (`kg`, `doz.`,
    /// `pf.liter`, `each`, `head`, `thousand`...); `qualifier` is the text
    /// after the unit (`on drained weight`, `on lead content`).
    Specific {
        text: String,
        usd: f64,
        unit: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        qualifier: Option<String>,
    },
}

impl Term {
    /// The term as the schedule writes it.
    pub fn text(&self) -> &str {
        match self {
            Term::AdValorem { text, .. } | Term::Specific { text, .. } => text,
        }
    }
}

/// The reduction of a sliding-scale rate: `less` for each `per` (e.g.
/// `0.020668¢/kg` for each `degree under 100 degrees`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlidingScale {
    pub less: Term,
    pub per: String,
}

/// A parsed rate. `text` is always the cell (or Special group) text as
/// given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rate {
    pub text: String,
    pub kind: RateKind,
    /// The additive terms (empty for free, reference, unparsed and empty
    /// rates). For a sliding scale, the single base term.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<Term>,
    /// `... but not less than X`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<Term>,
    /// `... but not more than X`, `... maximum X`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<Term>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sliding: Option<SlidingScale>,
    /// Conditions kept verbatim: `under bond, as prescribed in U.S. note 1
    /// to this subchapter`, `but if consisting in part of a plate ...`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proviso: Option<String>,
}

impl Rate {
    fn bare(text: &str, kind: RateKind) -> Rate {
        Rate {
            text: text.to_string(),
            kind,
            terms: Vec::new(),
            minimum: None,
            maximum: None,
            sliding: None,
            proviso: None,
        }
    }

    /// See [`RateKind::is_structured`].
    pub fn is_structured(&self) -> bool {
        self.kind.is_structured()
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// One group of a Special cell: a rate and the program indicators written
/// after it in parentheses (empty when the cell names none).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpecialGroup {
    pub rate: Rate,
    pub programs: Vec<String>,
}

/// Parses one General or Column 2 cell, or the rate part of a Special
/// group. Never fails: what is not understood comes back as
/// [`RateKind::Reference`] or [`RateKind::Unparsed`] with its text.
pub fn parse_rate(text: &str) -> Rate {
    let norm = normalize(text);
    if norm.is_empty() {
        return Rate::bare(text, RateKind::Empty);
    }
    let lower = norm.to_lowercase();
    if let Some(rest) = lower.strip_prefix("free") {
        if rest.is_empty() {
            return Rate::bare(text, RateKind::Free);
        }
        if rest.starts_with([',', ' ', '(', ';']) {
            let mut proviso = norm
                .get(4..)
                .unwrap_or_default()
                .trim_start_matches([',', ';', ' '])
                .trim();
            if let Some(inner) = proviso.strip_prefix('(').and_then(|p| p.strip_suffix(')')) {
                proviso = inner.trim();
            }
            let mut rate = Rate::bare(text, RateKind::Free);
            if !proviso.is_empty() {
                rate.proviso = Some(proviso.to_string());
            }
            return rate;
        }
    }
    if lower.contains("for each degree")
        && let Some(rate) = parse_sliding(text, &norm)
    {
        return rate;
    }
    if let Some(rate) = parse_duty(text, &norm) {
        return rate;
    }
    if looks_like_reference(&lower) {
        Rate::bare(text, RateKind::Reference)
    } else {
        Rate::bare(text, RateKind::Unparsed)
    }
}

/// Parses a whole Special cell into its groups, e.g. `Free (A+,AU,BH) 3.2%
/// (KR)` into `Free` for A+, AU, BH and `3.2%` for KR. Stray spaces and line
/// breaks inside the indicator list are ignored. Text with no indicator
/// list (`No change`, `15%`) is one group with no programs. An empty cell
/// gives no groups.
pub fn parse_special(text: &str) -> Vec<SpecialGroup> {
    let mut groups = Vec::new();
    let mut start = 0;
    let mut from = 0;
    while let Some(open) = text.get(from..).and_then(|t| t.find('(')).map(|r| from + r) {
        let after = open + 1;
        from = after;
        // The innermost list: up to the next parenthesis, which must close.
        let Some(close) = text
            .get(after..)
            .and_then(|t| t.find(['(', ')']))
            .map(|r| after + r)
        else {
            break;
        };
        if text.get(close..=close) != Some(")") {
            continue;
        }
        if let Some(programs) = text.get(after..close).and_then(indicator_list) {
            let rate_text = text.get(start..open).unwrap_or_default().trim();
            groups.push(SpecialGroup {
                rate: parse_rate(rate_text),
                programs,
            });
            start = close + 1;
            from = close + 1;
        }
    }
    let tail = text.get(start..).unwrap_or_default().trim();
    if !tail.is_empty() {
        groups.push(SpecialGroup {
            rate: parse_rate(tail),
            programs: Vec::new(),
        });
    }
    groups
}

/// `A+,AU, BH,CL` -> indicators; None when the text in parentheses is not a
/// list of indicators (`see U.S. note 3`, `a`).
fn indicator_list(inner: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for token in inner.split(',') {
        let token = token.trim();
        if token.is_empty() {
            continue;
        }
        if !is_indicator(token) {
            return None;
        }
        out.push(token.to_string());
    }
    if out.is_empty() { None } else { Some(out) }
}

/// One or two capital letters, optionally followed by `*` or `+`.
fn is_indicator(token: &str) -> bool {
    let body = token.strip_suffix(['*', '+']).unwrap_or(token);
    (1..=2).contains(&body.len()) && body.bytes().all(|b| b.is_ascii_uppercase())
}

/// Collapses whitespace (line breaks included) and joins words that a line
/// break had hyphenated (`thou- sand` -> `thousand`).
fn normalize(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars: Vec<char> = collapsed.chars().collect();
    let mut out = String::with_capacity(collapsed.len());
    let mut skip = false;
    for (i, &c) in chars.iter().enumerate() {
        if skip {
            skip = false;
            continue;
        }
        let after_letter = i
            .checked_sub(1)
            .and_then(|j| chars.get(j))
            .is_some_and(|p| p.is_alphabetic());
        let joins = c == '-'
            && after_letter
            && chars.get(i + 1) == Some(&' ')
            && chars.get(i + 2).is_some_and(|n| n.is_lowercase());
        if joins {
            // Drop the hyphen and the space after it.
            skip = true;
            continue;
        }
        out.push(c);
    }
    out
}

fn looks_like_reference(lower: &str) -> bool {
    const STARTS: &[&str] = &["the ", "see ", "no change", "a duty", "duty "];
    const HAS: &[&str] = &[
        "applicable",
        "u.s. note",
        "subheading",
        "heading ",
        "provided",
    ];
    STARTS.iter().any(|s| lower.starts_with(s)) || HAS.iter().any(|s| lower.contains(s))
}

/// `terms [, but if ...] [but not less than X | but not more than X | minimum X | maximum X]`.
fn parse_duty(text: &str, norm: &str) -> Option<Rate> {
    let (body, proviso) = match norm.split_once(", but if ") {
        Some((body, rest)) => (body, Some(format!("but if {}", rest.trim()))),
        None => (norm, None),
    };
    let (body, minimum, maximum) = split_limit(body)?;
    let terms = body
        .split('+')
        .map(parse_term)
        .collect::<Option<Vec<Term>>>()?;
    let kind = match terms.as_slice() {
        [] => return None,
        [Term::AdValorem { .. }] => RateKind::AdValorem,
        [Term::Specific { .. }] => RateKind::Specific,
        _ => RateKind::Compound,
    };
    Some(Rate {
        text: text.to_string(),
        kind,
        terms,
        minimum,
        maximum,
        sliding: None,
        proviso,
    })
}

type Limits<'a> = (&'a str, Option<Term>, Option<Term>);

/// Splits a trailing minimum or maximum off the terms. None when a limit is
/// written but is not a single term.
fn split_limit(body: &str) -> Option<Limits<'_>> {
    const KEYS: &[(&str, bool)] = &[
        (" but not less than ", true),
        (" but not more than ", false),
        (" but not to exceed ", false),
        (" minimum ", true),
        (" maximum ", false),
    ];
    for (key, is_min) in KEYS {
        let Some((main, limit)) = body.split_once(key) else {
            continue;
        };
        let main = main.trim_end_matches([',', ';', ' ', '(']);
        let limit = limit.trim().trim_end_matches(')').trim();
        let term = parse_term(limit)?;
        return Some(if *is_min {
            (main, Some(term), None)
        } else {
            (main, None, Some(term))
        });
    }
    Some((body, None, None))
}

/// `3.6606¢/kg less 0.020668¢/kg for each degree under 100 degrees (...)
/// but not less than 3.143854¢/kg`.
fn parse_sliding(text: &str, norm: &str) -> Option<Rate> {
    let (base, rest) = norm.split_once(" less ")?;
    let (less, rest) = rest.split_once(" for each ")?;
    let (per, floor) = rest
        .split_once(" but not less than ")
        .or_else(|| rest.split_once(" but not less "))?;
    let base = parse_term(base)?;
    let less = parse_term(less)?;
    let floor = parse_term(floor)?;
    let all_specific = [&base, &less, &floor]
        .iter()
        .all(|t| matches!(t, Term::Specific { .. }));
    if !all_specific {
        return None;
    }
    Some(Rate {
        text: text.to_string(),
        kind: RateKind::SlidingScale,
        terms: vec![base],
        minimum: Some(floor),
        maximum: None,
        sliding: Some(SlidingScale {
            less,
            per: per.trim().to_string(),
        }),
        proviso: None,
    })
}

/// One term: `14.9%`, `33 1/3%`, `5% on the case`, `3 percent of the fair
/// retail value`, `46.3¢/kg`, `$1.05/doz.`, `25¢ each`, `0.2¢ for each other
/// piece or part`, `1.7¢/kg on lead content`.
fn parse_term(raw: &str) -> Option<Term> {
    let t = raw.trim();
    let text = t.to_string();
    if let Some((n, rest)) = parse_number(t) {
        let rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix('%') {
            return Some(Term::AdValorem {
                text,
                percent: n,
                basis: non_empty(after.trim_start_matches(',')),
            });
        }
        if let Some(after) = rest.strip_prefix("percent of ") {
            return Some(Term::AdValorem {
                text,
                percent: n,
                basis: non_empty(&format!("of {}", after.trim())),
            });
        }
    }
    let (usd, rest) = parse_amount(t)?;
    let rest = rest.trim_start();
    let (unit, qualifier) = if let Some(after) = rest.strip_prefix('/') {
        let (unit, after) = parse_unit(after.trim_start())?;
        (unit, non_empty(after.trim_start_matches([',', ' '])))
    } else if let Some(after) = rest.strip_prefix("for each ") {
        ("each", non_empty(after))
    } else if rest == "each" {
        ("each", None)
    } else {
        return None;
    };
    Some(Term::Specific {
        text,
        usd,
        unit: unit.to_string(),
        qualifier,
    })
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        None
    } else {
        Some(s.to_string())
    }
}

/// `$1.05` or `46.3¢` (also `46.3 ¢`), in USD.
fn parse_amount(t: &str) -> Option<(f64, &str)> {
    if let Some(after) = t.strip_prefix('$') {
        let (n, rest) = parse_decimal(after)?;
        return Some((n, rest));
    }
    let (n, rest) = parse_decimal(t)?;
    let rest = rest.trim_start().strip_prefix('¢')?;
    // Round away the binary noise of the division (46.3 / 100).
    Some(((n / 100.0 * 1e10).round() / 1e10, rest))
}

/// A decimal number, optionally followed by a fraction (`33 1/3`).
fn parse_number(t: &str) -> Option<(f64, &str)> {
    let (n, rest) = parse_decimal(t)?;
    if let Some(after) = rest.strip_prefix(' ')
        && let Some((num, after)) = parse_digits(after)
        && let Some(after) = after.strip_prefix('/')
        && let Some((den, after)) = parse_digits(after)
        && den > 0.0
        && after.trim_start().starts_with(['%', 'p'])
    {
        return Some((n + num / den, after));
    }
    Some((n, rest))
}

fn parse_digits(t: &str) -> Option<(f64, &str)> {
    let end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    if end == 0 {
        return None;
    }
    let (digits, rest) = t.split_at_checked(end)?;
    Some((digits.parse().ok()?, rest))
}

fn parse_decimal(t: &str) -> Option<(f64, &str)> {
    let end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (mut num, mut rest) = t.split_at_checked(end)?;
    // A trailing period belongs to the sentence, not the number.
    if let Some(shorter) = num.strip_suffix('.') {
        (num, rest) = t.split_at_checked(shorter.len())?;
    }
    if !crate::text::has_digit(num) {
        return None;
    }
    let value: f64 = num.parse().ok()?;
    value.is_finite().then_some((value, rest))
}

/// Units as rate text writes them after `/`, longest first, with the
/// normalized name each stands for.
const UNITS: &[(&str, &str)] = &[
    ("pf. liter", "pf.liter"),
    ("pf.liter", "pf.liter"),
    ("clean kg", "clean kg"),
    ("line/ gross", "line/gross"),
    ("line/gross", "line/gross"),
    ("lin. m", "m"),
    ("doz. pr.", "doz. pr."),
    ("doz.", "doz."),
    ("pr.", "pr."),
    ("No.", "No."),
    ("1,000 pins", "1,000"),
    ("1,000", "1,000"),
    ("1000", "1,000"),
    ("thousand", "thousand"),
    ("liter", "liter"),
    ("head", "head"),
    ("bbl", "bbl"),
    ("m2", "m2"),
    ("m3", "m3"),
    ("kg", "kg"),
    ("gross", "gross"),
    ("jewel", "jewel"),
    ("article", "article"),
    ("pack", "pack"),
    ("m", "m"),
    ("t", "t"),
    ("g", "g"),
];

fn parse_unit(t: &str) -> Option<(&'static str, &str)> {
    for (written, unit) in UNITS {
        let Some(rest) = t.strip_prefix(written) else {
            continue;
        };
        let ends_word = written.ends_with(|c: char| c.is_ascii_digit() || c == '.');
        let bounded = ends_word || !rest.starts_with(|c: char| c.is_alphanumeric());
        if bounded {
            return Some((unit, rest));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> RateKind {
        parse_rate(text).kind
    }

    fn specific(text: &str) -> (f64, String, Option<String>) {
        match parse_rate(text).terms.as_slice() {
            [
                Term::Specific {
                    usd,
                    unit,
                    qualifier,
                    ..
                },
            ] => (*usd, unit.clone(), qualifier.clone()),
            other => panic!("{text:?} should be one specific term, got {other:?}"),
        }
    }

    #[test]
    fn free_and_ad_valorem() {
        assert_eq!(kind("Free"), RateKind::Free);
        assert_eq!(kind(""), RateKind::Empty);
        let r = parse_rate("6.8%");
        assert_eq!(r.kind, RateKind::AdValorem);
        assert_eq!(
            r.terms,
            vec![Term::AdValorem {
                text: "6.8%".into(),
                percent: 6.8,
                basis: None
            }]
        );
        let third = parse_rate("33 1/3%");
        let Some(Term::AdValorem { percent, .. }) = third.terms.first() else {
            panic!("33 1/3% should parse: {third:?}");
        };
        assert!((percent - 100.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn free_with_proviso() {
        let r = parse_rate("Free, under bond, as prescribed in U.S. note 1 to this subchapter");
        assert_eq!(r.kind, RateKind::Free);
        assert_eq!(
            r.proviso.as_deref(),
            Some("under bond, as prescribed in U.S. note 1 to this subchapter")
        );
    }

    #[test]
    fn specific_units() {
        assert_eq!(specific("1¢/kg"), (0.01, "kg".into(), None));
        assert_eq!(specific("68¢/head"), (0.68, "head".into(), None));
        assert_eq!(specific("$1.05/doz."), (1.05, "doz.".into(), None));
        assert_eq!(specific("4.4¢/liter").1, "liter");
        assert_eq!(specific("23.7¢/pf.liter").1, "pf.liter");
        assert_eq!(specific("4.5¢/ liter").1, "liter");
        assert_eq!(specific("90¢/pr.").1, "pr.");
        assert_eq!(specific("14.5¢/m2").1, "m2");
        assert_eq!(specific("6.5¢/gross").1, "gross");
        assert_eq!(specific("$2.50/thou- sand").1, "thousand");
        assert_eq!(specific("38.4¢/1000").1, "1,000");
        assert_eq!(specific("0.9¢ each").1, "each");
        assert_eq!(specific("$4 each").0, 4.0);
        assert_eq!(specific("18.7¢/clean kg").1, "clean kg");
        assert_eq!(specific("3.3¢/lin. m").1, "m");
        assert_eq!(specific("39.7¢/t").1, "t");
        assert_eq!(specific("10.6¢/g").1, "g");
    }

    #[test]
    fn specific_qualifiers() {
        assert_eq!(
            specific("3.7¢/kg on drained weight").2.as_deref(),
            Some("on drained weight")
        );
        assert_eq!(
            specific("$1.32/t, including weight of container")
                .2
                .as_deref(),
            Some("including weight of container")
        );
        assert_eq!(
            specific("86.1¢/m2of recording surface").2.as_deref(),
            Some("of recording surface")
        );
        assert_eq!(specific("2.8¢/jewel over 7").2.as_deref(), Some("over 7"));
    }

    #[test]
    fn compound() {
        let r = parse_rate("46.3¢/kg + 14.9%");
        assert_eq!(r.kind, RateKind::Compound);
        assert_eq!(r.terms.len(), 2);
        assert_eq!(r.terms[0].text(), "46.3¢/kg");
        assert_eq!(r.terms[1].text(), "14.9%");
        assert_eq!(kind("$1.104/kg + 14.9%"), RateKind::Compound);
        assert_eq!(kind("5.7¢/kg on drained weight +8%"), RateKind::Compound);
        let watch = parse_rate(
            "44¢ each + 6% on the case + 14% on the strap, band or bracelet + 5.3% on the battery",
        );
        assert_eq!(watch.terms.len(), 4);
        assert_eq!(
            watch.terms[2],
            Term::AdValorem {
                text: "14% on the strap, band or bracelet".into(),
                percent: 14.0,
                basis: Some("on the strap, band or bracelet".into())
            }
        );
    }

    #[test]
    fn limits_and_provisos() {
        let sugar = parse_rate(
            "3.6606¢/kg less 0.020668¢/kg for each degree under 100 degrees (and fractions of a degree in proportion) but not less than 3.143854¢/kg",
        );
        assert_eq!(sugar.kind, RateKind::SlidingScale);
        assert_eq!(sugar.minimum.as_ref().map(Term::text), Some("3.143854¢/kg"));
        let sloppy = parse_rate(
            "4.3817¢/kg less 0.0622005¢ /kg for each degree under 100 degrees (and fractions of a degree in proportion) but not less 2.831562¢ /kg",
        );
        assert_eq!(sloppy.kind, RateKind::SlidingScale);

        let min = parse_rate("5% but not less than 2¢/kg");
        assert_eq!(min.kind, RateKind::AdValorem);
        assert_eq!(min.minimum.as_ref().map(Term::text), Some("2¢/kg"));
        let max = parse_rate("10¢/kg, maximum 5%");
        assert_eq!(max.kind, RateKind::Specific);
        assert_eq!(max.maximum.as_ref().map(Term::text), Some("5%"));

        let movement = parse_rate(
            "4.3% + 1.7¢/jewel + 0.2¢ for each other piece or part, but if consisting in part of a plate or a set of plates the total duty shall not exceed the duty for the complete movement",
        );
        assert_eq!(movement.kind, RateKind::Compound);
        assert_eq!(movement.terms.len(), 3);
        assert!(
            movement
                .proviso
                .as_deref()
                .is_some_and(|p| p.starts_with("but if"))
        );
    }

    #[test]
    fn references_are_kept_verbatim() {
        for text in [
            "The rate applicable to the natural juice in heading 2009",
            "See additional U.S. note 1",
            "The rate applicable to the article of which it is a part or accessory",
            "The duty provided in the applicable subheading + 25%",
            "No change",
            "A duty upon the value of the repairs or alterations (see U.S. note 3 of this subchapter)",
        ] {
            let r = parse_rate(text);
            assert_eq!(r.kind, RateKind::Reference, "{text}");
            assert_eq!(r.text, text);
            assert!(r.terms.is_empty());
        }
        assert_eq!(kind("lorem ipsum"), RateKind::Unparsed);
    }

    #[test]
    fn special_groups() {
        let g = parse_special("Free (A+,AU,BH,CL,CO,D,E, IL,JO,KR,MA,OM,P,PA,PE,S, SG)");
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].rate.kind, RateKind::Free);
        assert_eq!(g[0].programs.len(), 17);
        assert!(g[0].programs.iter().all(|p| !p.contains(' ')));
        assert_eq!(g[0].programs[0], "A+");

        let g = parse_special("5% (AU) 3.2% (KR)");
        assert_eq!(g.len(), 2);
        assert_eq!(
            (g[0].rate.text.as_str(), g[0].programs.clone()),
            ("5%", vec!["AU".to_string()])
        );
        assert_eq!(
            (g[1].rate.text.as_str(), g[1].programs.clone()),
            ("3.2%", vec!["KR".to_string()])
        );

        let g = parse_special("Free (A,AU,BH)2.9%(JP)");
        assert_eq!(g.len(), 2);
        assert_eq!(g[1].rate.kind, RateKind::AdValorem);

        let g = parse_special("Free \n(A, AU, BH, CL)");
        assert_eq!(g[0].programs, vec!["A", "AU", "BH", "CL"]);

        let g = parse_special(
            "Free (AU,BH) A duty upon the value of the repairs or alterations (see U.S. note 3 of this subchapter) (B,C,)",
        );
        assert_eq!(g.len(), 2);
        assert_eq!(g[1].rate.kind, RateKind::Reference);
        assert_eq!(g[1].programs, vec!["B", "C"]);

        let g = parse_special("No change (A) Free (CA,IL, MX) See U.S. note 3(e) (CO,PE)");
        assert_eq!(g.len(), 3);
        assert_eq!(g[0].rate.kind, RateKind::Reference);
        assert_eq!(g[2].rate.text, "See U.S. note 3(e)");

        assert!(parse_special("").is_empty());
        let g = parse_special("No change");
        assert_eq!(g.len(), 1);
        assert!(g[0].programs.is_empty());
        let g = parse_special("Free (See U.S. note 4 of this subchapter)");
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].rate.kind, RateKind::Free);
        assert_eq!(
            g[0].rate.proviso.as_deref(),
            Some("See U.S. note 4 of this subchapter")
        );
        let r = parse_rate("Free, under the terms of U.S. note 1(b) to this subchapter");
        assert_eq!(
            r.proviso.as_deref(),
            Some("under the terms of U.S. note 1(b) to this subchapter")
        );
    }
}
