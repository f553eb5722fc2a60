//! Units of quantity: the ones specific rates are expressed in (`¢/kg`,
//! `each`, `/doz.`, `/pf.liter`, `on lead content`...) and the ones schedule
//! lines report (`kg`, `No.`, `doz.`, `Pb kg`...), and the conversion between
//! two of them when they measure the same thing.

/// What a unit measures. Two units convert only when their dimension and
/// their measured content ([`Measure::of`]) agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dim {
    Mass,
    Volume,
    ProofVolume,
    Area,
    Length,
    Count,
    Pairs,
    Jewels,
    Packs,
    LineGross,
    /// Anything else: converts only to a unit with the very same label.
    Other,
}

/// A unit understood: its dimension, its size in the dimension's base unit
/// (kg, liter, proof liter, m², m, piece, pair...), what it measures the
/// content of (`None` for the goods themselves) and a label to print.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Measure {
    pub dim: Dim,
    pub factor: f64,
    pub of: Option<String>,
    pub label: String,
}

impl Measure {
    fn new(dim: Dim, factor: f64, label: &str) -> Measure {
        Measure {
            dim,
            factor,
            of: None,
            label: label.to_string(),
        }
    }

    fn of(mut self, content: &str) -> Measure {
        self.of = Some(content.to_string());
        self
    }

    /// How many of `self` make one `other`, when the two measure the same
    /// thing.
    pub fn per(&self, other: &Measure) -> Option<f64> {
        if self.dim != other.dim || self.of != other.of {
            return None;
        }
        if self.dim == Dim::Other && !self.label.eq_ignore_ascii_case(&other.label) {
            return None;
        }
        if self.factor > 0.0 && other.factor > 0.0 {
            Some(other.factor / self.factor)
        } else {
            None
        }
    }
}

/// US oil barrel (42 US gallons) in liters.
const BARREL_LITERS: f64 = 158.987_294_928;

/// Chemical symbols used in line units such as `Pb kg`, with the content
/// they name in rate text (`1.7¢/kg on lead content`).
const CONTENTS: &[(&str, &str)] = &[
    ("pb", "lead content"),
    ("cu", "copper content"),
    ("zn", "zinc content"),
    ("w", "tungsten content"),
    ("mo", "molybdenum content"),
    ("mg", "magnesium content"),
    ("mn", "manganese content"),
    ("si", "silicon content"),
    ("cr", "chromium content"),
    ("ni", "nickel content"),
    ("co", "cobalt content"),
    ("v", "vanadium content"),
    ("sb", "antimony content"),
    ("sn", "tin content"),
    ("au", "gold content"),
    ("ag", "silver content"),
    ("pt", "platinum content"),
    ("pd", "palladium content"),
    ("rh", "rhodium content"),
    ("ir", "iridium content"),
    ("os", "osmium content"),
    ("ru", "ruthenium content"),
];

/// A unit of quantity as a schedule line reports it (`kg`, `No.`,
/// `doz. prs.`, `Pb kg`, `m²`...). Never fails: an unknown unit is kept as
/// [`Dim::Other`] and converts only to itself.
pub(crate) fn line_measure(label: &str) -> Measure {
    let norm = label.split_whitespace().collect::<Vec<_>>().join(" ");
    let low = norm.to_lowercase();
    match low.as_str() {
        "kg" => Measure::new(Dim::Mass, 1.0, "kg"),
        "g" => Measure::new(Dim::Mass, 0.001, "g"),
        "t" => Measure::new(Dim::Mass, 1000.0, "t"),
        "carat" => Measure::new(Dim::Mass, 0.0002, "carat"),
        "no." | "no" | "pcs" | "no. and kg" => Measure::new(Dim::Count, 1.0, "No."),
        "doz." | "dz pcs" => Measure::new(Dim::Count, 12.0, "doz."),
        "gross" => Measure::new(Dim::Count, 144.0, "gross"),
        "hundreds" => Measure::new(Dim::Count, 100.0, "hundreds"),
        "thousands" => Measure::new(Dim::Count, 1000.0, "thousands"),
        "prs." => Measure::new(Dim::Pairs, 1.0, "prs."),
        "doz. prs." => Measure::new(Dim::Pairs, 12.0, "doz. prs."),
        "liters" => Measure::new(Dim::Volume, 1.0, "liters"),
        "m3" => Measure::new(Dim::Volume, 1000.0, "m3"),
        "thousand m3" => Measure::new(Dim::Volume, 1_000_000.0, "thousand m3"),
        "bbl" => Measure::new(Dim::Volume, BARREL_LITERS, "bbl"),
        "pf.liters" => Measure::new(Dim::ProofVolume, 1.0, "pf.liters"),
        "m2" | "m²" => Measure::new(Dim::Area, 1.0, "m2"),
        "cm2" => Measure::new(Dim::Area, 0.0001, "cm2"),
        "m" | "lin. m" => Measure::new(Dim::Length, 1.0, "m"),
        "thousand m" => Measure::new(Dim::Length, 1000.0, "thousand m"),
        "jwls." => Measure::new(Dim::Jewels, 1.0, "jewels"),
        "pack" => Measure::new(Dim::Packs, 1.0, "pack"),
        "gr.lines" => Measure::new(Dim::LineGross, 1.0, "gross lines"),
        "kg ttl sug" => Measure::new(Dim::Mass, 1.0, "kg").of("total sugars"),
        "cy kg" => Measure::new(Dim::Mass, 1.0, "kg").of("clean yield"),
        "kg amc" => Measure::new(Dim::Mass, 1.0, "kg").of("anhydrous morphine content"),
        _ => content_measure(&norm, &low).unwrap_or_else(|| Measure::new(Dim::Other, 1.0, &norm)),
    }
}

/// `Pb kg`, `kg Pb`, `Au g`, `Sn t`: a mass of some content.
fn content_measure(norm: &str, low: &str) -> Option<Measure> {
    let words: Vec<&str> = low.split(' ').collect();
    let [a, b] = words.as_slice() else {
        return None;
    };
    let (sym, mass) = if matches!(*b, "kg" | "g" | "t") {
        (*a, *b)
    } else if matches!(*a, "kg" | "g" | "t") {
        (*b, *a)
    } else {
        return None;
    };
    let base = line_measure(mass);
    let content = CONTENTS
        .iter()
        .find(|(s, _)| *s == sym)
        .map(|(_, c)| (*c).to_string())
        .unwrap_or_else(|| format!("{norm} content"));
    Some(base.of(&content))
}

/// A unit as rate text writes it after the amount (`kg`, `head`, `doz.`,
/// `pf. liter`, `1,000`...), with the words that follow it (`on lead
/// content`, `of total sugars`). Returns the measure and the part of the
/// qualifier it could not absorb, which makes the term uncomputable from a
/// plain line quantity; `None` when the unit is not known.
pub(crate) fn rate_measure(
    unit: &str,
    qualifier: Option<&str>,
) -> Option<(Measure, Option<String>)> {
    let m = match unit {
        "kg" => Measure::new(Dim::Mass, 1.0, "kg"),
        "g" => Measure::new(Dim::Mass, 0.001, "g"),
        "t" => Measure::new(Dim::Mass, 1000.0, "t"),
        "clean kg" => Measure::new(Dim::Mass, 1.0, "clean kg").of("clean yield"),
        "each" | "head" | "article" | "No." => Measure::new(Dim::Count, 1.0, unit),
        "doz." => Measure::new(Dim::Count, 12.0, "doz."),
        "gross" => Measure::new(Dim::Count, 144.0, "gross"),
        "1,000" | "thousand" => Measure::new(Dim::Count, 1000.0, "thousand"),
        "pr." => Measure::new(Dim::Pairs, 1.0, "pr."),
        "doz. pr." => Measure::new(Dim::Pairs, 12.0, "doz. pr."),
        "liter" => Measure::new(Dim::Volume, 1.0, "liter"),
        "m3" => Measure::new(Dim::Volume, 1000.0, "m3"),
        "bbl" => Measure::new(Dim::Volume, BARREL_LITERS, "bbl"),
        "pf.liter" => Measure::new(Dim::ProofVolume, 1.0, "pf.liter"),
        "m2" => Measure::new(Dim::Area, 1.0, "m2"),
        "m" => Measure::new(Dim::Length, 1.0, "m"),
        "jewel" => Measure::new(Dim::Jewels, 1.0, "jewel"),
        "pack" => Measure::new(Dim::Packs, 1.0, "pack"),
        "line/gross" => Measure::new(Dim::LineGross, 1.0, "line/gross"),
        _ => return None,
    };
    let Some(q) = qualifier else {
        return Some((m, None));
    };
    let low = q.to_lowercase();
    let content = low
        .strip_prefix("on ")
        .or_else(|| low.strip_prefix("of "))
        .unwrap_or(&low)
        .trim();
    if m.dim == Dim::ProofVolume && content == "ethyl alcohol content" {
        // A proof liter measures the alcohol content by definition.
        return Some((m, None));
    }
    if m.dim == Dim::Mass && m.of.is_none() {
        let known = CONTENTS.iter().any(|(_, c)| *c == content)
            || matches!(content, "total sugars" | "anhydrous morphine content");
        if known {
            return Some((m.of(content), None));
        }
    }
    Some((m, Some(q.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_within_a_dimension() {
        let kg = rate_measure("kg", None).map(|x| x.0);
        let t = line_measure("t");
        let per = kg.as_ref().and_then(|kg| kg.per(&t));
        assert_eq!(per, Some(1000.0));
        let doz = rate_measure("doz.", None).map(|x| x.0);
        let no = line_measure("No.");
        assert_eq!(doz.and_then(|d| d.per(&no)), Some(1.0 / 12.0));
    }

    #[test]
    fn contents_match_only_their_own_content() {
        let lead = rate_measure("kg", Some("on lead content"));
        let Some((lead, rest)) = lead else {
            panic!("kg on lead content should be understood");
        };
        assert_eq!(rest, None);
        assert_eq!(lead.per(&line_measure("Pb kg")), Some(1.0));
        assert_eq!(lead.per(&line_measure("kg")), None);
        assert_eq!(lead.per(&line_measure("Cu kg")), None);
    }

    #[test]
    fn unknown_qualifiers_are_kept() {
        let Some((_, rest)) = rate_measure("kg", Some("on drained weight")) else {
            panic!("kg is a known unit");
        };
        assert_eq!(rest.as_deref(), Some("on drained weight"));
        assert!(rate_measure("furlong", None).is_none());
    }

    #[test]
    fn pairs_are_not_pieces() {
        let pr = rate_measure("pr.", None).map(|x| x.0);
        assert_eq!(pr.as_ref().and_then(|p| p.per(&line_measure("No."))), None);
        assert_eq!(
            pr.and_then(|p| p.per(&line_measure("doz. prs."))),
            Some(12.0)
        );
    }
}
