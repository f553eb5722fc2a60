//! Quantities: the numeric ranges tariff texts set ("cylinder capacity over
//! 1000 but not over 1500cc", "exceeding 50 cc but not exceeding 250 cc")
//! and the quantities a description states ("CC: 125", "1800cc", "7.5 kW"),
//! so a stated quantity can choose among sibling subheadings.

/// Units understood, in canonical form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Cylinder capacity in cubic centimetres.
    Cc,
    /// Power in kilowatts.
    Kw,
}

/// A range a tariff text sets on a quantity (bounds exclusive below,
/// inclusive above, as "over A but not over B" reads).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub unit: Unit,
    pub over: Option<f64>,
    pub up_to: Option<f64>,
}

impl Range {
    pub fn contains(&self, v: f64) -> bool {
        self.over.is_none_or(|lo| v > lo) && self.up_to.is_none_or(|hi| v <= hi)
    }
}

fn unit_of(word: &str) -> Option<Unit> {
    match word {
        "cc" | "cm3" | "cm³" | "cu.cm" | "ccm" => Some(Unit::Cc),
        "kw" => Some(Unit::Kw),
        _ => None,
    }
}

/// Splits "1500cc" into ("1500", "cc"); words stay whole.
fn tokens(text: &str) -> Vec<String> {
    glued_tokens(text).into_iter().map(|(t, _)| t).collect()
}

/// Tokens, each with whether it was glued to the one before ("1500cc").
fn glued_tokens(text: &str) -> Vec<(String, bool)> {
    let lower = text.to_lowercase().replace("cm³", "cm3");
    let mut out = Vec::new();
    for raw in lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '(' | ')' | '/' | '='))
    {
        if raw.is_empty() {
            continue;
        }
        let split = raw.char_indices().find(|(i, c)| {
            *i > 0 && c.is_alphabetic() && raw[..*i].chars().all(|d| d.is_ascii_digit() || d == '.')
        });
        match split {
            Some((i, _)) => {
                out.push((raw[..i].to_string(), false));
                out.push((raw[i..].to_string(), true));
            }
            None => out.push((raw.to_string(), false)),
        }
    }
    out
}

fn number(tok: &str) -> Option<f64> {
    let t = tok.trim_end_matches('.');
    if t.is_empty() || !t.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// Ranges in a tariff text: "over A", "exceeding A", "not over B",
/// "not exceeding B", with the unit after either number.
pub fn ranges(text: &str) -> Vec<Range> {
    let t = tokens(text);
    let mut out = Vec::new();
    let mut over: Option<f64> = None;
    let mut up_to: Option<f64> = None;
    let mut i = 0;
    while i < t.len() {
        let w = t[i].as_str();
        let negated = i > 0 && t[i - 1] == "not";
        if matches!(w, "over" | "exceeding")
            && let Some(v) = t.get(i + 1).and_then(|x| number(x))
        {
            if negated {
                up_to = Some(v);
            } else {
                over = Some(v);
            }
            if let Some(u) = t.get(i + 2).and_then(|x| unit_of(x)) {
                out.push(Range {
                    unit: u,
                    over,
                    up_to,
                });
                over = None;
                up_to = None;
            }
            i += 2;
            continue;
        }
        if !matches!(w, "but" | "not" | "over" | "exceeding") && number(w).is_none() {
            over = None;
            up_to = None;
        }
        i += 1;
    }
    // "exceeding 50cc but not exceeding 250cc": one range, not two.
    let mut merged: Vec<Range> = Vec::with_capacity(out.len());
    for r in out {
        match merged.last_mut() {
            Some(prev)
                if prev.unit == r.unit
                    && prev.up_to.is_none()
                    && r.over.is_none()
                    && prev.over.is_some() =>
            {
                prev.up_to = r.up_to;
            }
            _ => merged.push(r),
        }
    }
    merged
}

/// Least cylinder capacity read as an engine's ("CC: 00" and "CC: 01" are
/// placeholders).
const ENGINE_CC: f64 = 20.0;

/// Whether a description states an engine's cylinder capacity as vehicle
/// declarations do, the unit before its number ("CC: 125", "CC 1800",
/// "CC 3.5"): such goods have an engine. A number before the unit ("50cc
/// syringe", "500 cc bottle") may be a volume, and says nothing.
pub fn states_engine(text: &str) -> bool {
    engine_in(&glued_tokens(text))
}

/// [`states_engine`] of a text's [`glued_tokens`].
fn engine_in(t: &[(String, bool)]) -> bool {
    t.iter().enumerate().any(|(i, (w, glued))| {
        !glued
            && unit_of(w) == Some(Unit::Cc)
            && t.get(i + 1).filter(|x| !x.1).is_some_and(|x| {
                // Litres ("CC 3.5") are written with a decimal point.
                number(&x.0).is_some_and(|v| {
                    v >= ENGINE_CC
                        || ((0.5..10.0).contains(&v) && x.0.trim_end_matches('.').contains('.'))
                })
            })
    })
}

/// Quantities a description states: "CC: 125", "1800cc", "CC 3.5"
/// (litres, read as 3,500 cc), "7.5 kW".
pub fn quantities(text: &str) -> Vec<(Unit, f64)> {
    quantities_in(&glued_tokens(text))
}

/// What a description states with numbers: see [`stated`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stated {
    /// Its [`quantities`].
    pub quantities: Vec<(Unit, f64)>,
    /// Whether it [`states_engine`].
    pub engine: bool,
    /// Whether it states a net content by mass or volume ("bbq sauce
    /// 500ml", "paracetamol 500mg", "12x85g"): the goods are then sold by
    /// weight or volume, as substances are (foods, drinks, cosmetics,
    /// medicines, chemicals), where articles are sold by count. A weight
    /// per area ("80 g/m2", "80gsm") is a paper's or a fabric's, and says
    /// nothing; so do the mobile network generations ("4G", "5G").
    pub net_content: bool,
    /// Whether it states an electrical or power rating ("12V", "60
    /// watts", "5000mAh", "50Hz", "1.5HP"): the goods then work by
    /// electricity or an engine.
    pub power_rating: bool,
}

/// What a description states with numbers, from one reading of its tokens
/// and one of its [`numbers_with_units`].
pub fn stated(text: &str) -> Stated {
    let t = glued_tokens(text);
    let units = numbers_with_units(text);
    Stated {
        quantities: quantities_in(&t),
        engine: engine_in(&t),
        net_content: units.iter().any(|(n, u)| {
            NET_UNITS.contains(&u.as_str())
                && !(u == "g" && matches!(n.as_str(), "2" | "3" | "4" | "5"))
        }),
        power_rating: units.iter().any(|(_, u)| POWER_UNITS.contains(&u.as_str())),
    }
}

/// [`quantities`] of a text's [`glued_tokens`].
fn quantities_in(t: &[(String, bool)]) -> Vec<(Unit, f64)> {
    let mut out = Vec::new();
    for (i, (w, glued)) in t.iter().enumerate() {
        let Some(unit) = unit_of(w) else { continue };
        let before = i.checked_sub(1).and_then(|j| number(&t[j].0));
        let after = t.get(i + 1).and_then(|x| number(&x.0));
        // "125cc" reads the number before; "CC: 125" the one after.
        let v = if *glued { before } else { after.or(before) };
        if let Some(mut v) = v {
            if unit == Unit::Cc && v < 10.0 {
                v *= 1000.0;
            }
            out.push((unit, v));
        }
    }
    out
}

/// Units of a content's mass or volume, written after a number ("250g",
/// "1.5 l", "12 fl oz").
pub(crate) const CONTENT_UNITS: [&str; 26] = [
    "g", "gr", "gm", "gms", "gram", "grams", "kg", "kgs", "mg", "ml", "cl", "l", "lt", "ltr",
    "ltrs", "litre", "litres", "liter", "liters", "oz", "floz", "lb", "lbs", "kilo", "kilos",
    "mls",
];

/// Units of a net content by mass or volume as a retail package states it
/// ("130g", "50 ml", "200mg"): of [`CONTENT_UNITS`], grams and smaller,
/// millilitres and centilitres, with the spellings of micrograms and
/// "grs". Kilograms, litres and ounces are left out: they state a
/// machine's or a container's weight or capacity as often ("8kg washing
/// machine", "80l fridge", "24oz tumbler").
const NET_UNITS: [&str; 13] = [
    "g", "gm", "gms", "gr", "grs", "gram", "grams", "mg", "mcg", "µg", "ml", "mls", "cl",
];

/// Units of an electrical or power rating ("12V", "60 watts", "5000mAh",
/// "50Hz", "1.5HP"). A bare "W" is left out: it is a waist size as often
/// ("32W").
const POWER_UNITS: [&str; 18] = [
    "v", "vac", "vdc", "volt", "volts", "watt", "watts", "kw", "kva", "mah", "ah", "hz", "khz",
    "mhz", "ghz", "va", "hp", "bhp",
];

/// Each number a text states with a unit after it ("130g", "50 ml"), as
/// (number, unit) in lower case. The number must stand on its own, not
/// inside a model code ("m3-80l", "a53"), save a count before it
/// ("12x85g"); the unit is the letters right after it (one space
/// allowed) and must end the word. A weight per area ("80 g/m2") is left
/// out; "100ml/3.4floz" keeps its millilitres.
fn numbers_with_units(text: &str) -> Vec<(String, String)> {
    let b: Vec<char> = text.to_lowercase().chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        let before = start.checked_sub(1).map(|j| b[j]);
        let count_x = before == Some('x')
            && start >= 2
            && (b[start - 2].is_ascii_digit() || b[start - 2] == ' ');
        let free = match before {
            None => true,
            Some(c) => count_x || !(c.is_alphanumeric() || matches!(c, '-' | '.' | '_')),
        };
        while i < b.len()
            && (b[i].is_ascii_digit()
                || (b[i] == '.' && b.get(i + 1).is_some_and(char::is_ascii_digit)))
        {
            i += 1;
        }
        let number: String = b[start..i].iter().collect();
        let mut j = i;
        if b.get(j) == Some(&' ') {
            j += 1;
        }
        let unit_start = j;
        while b.get(j).is_some_and(|c| c.is_alphabetic()) {
            j += 1;
        }
        let unit: String = b[unit_start..j].iter().collect();
        let per_area = b.get(j) == Some(&'/') && b.get(j + 1) == Some(&'m');
        let ends = b.get(j).is_none_or(|c| !c.is_alphanumeric());
        if free && ends && !per_area && !unit.is_empty() {
            out.push((number, unit));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_power_rating_is_a_unit_of_electricity_or_power_after_a_number() {
        for t in [
            "cordless drill 18v",
            "LED BULB 9 WATT",
            "power bank 10000mAh",
            "220-240V 50Hz",
            "corn mill 3hp",
        ] {
            assert!(stated(t).power_rating, "{t}");
        }
        for t in [
            "vitamin c 500mg",
            "jeans 32w 30l",
            "v-neck sweater",
            "model 5w30 oil",
        ] {
            assert!(!stated(t).power_rating, "{t}");
        }
    }

    #[test]
    fn a_net_content_is_a_mass_or_volume_after_a_number() {
        for t in [
            "beef jerky 70g",
            "CHILLI SAUCE 500 ML X 12",
            "paracetamol 500mg tablets",
            "wet cat food 12x85g",
            "6 x 750ml",
            "50cl gin",
            "(100ml)",
            "eau de parfum 50ml/1.7floz",
        ] {
            assert!(stated(t).net_content, "{t}");
        }
        for t in [
            "cotton fabric 80 g/m2",
            "printing paper 80gsm",
            "5g router",
            "GEAR MOTOR M3-80L-2",
            "slow cooker 6l",
            "chest freezer 200 litres",
            "travel tumbler 20oz",
            "washing machine 8kg",
            "gloves size 10",
            "steel pipe a53 gr b",
        ] {
            assert!(!stated(t).net_content, "{t}");
        }
    }

    #[test]
    fn an_engine_is_stated_by_its_capacity_before_the_number() {
        assert!(states_engine("SCOOTER CHASSIS: X1 CC: 125 AGE: 2004"));
        assert!(states_engine("USED COROLLA CC 1800"));
        assert!(states_engine("HIGHLANDER CC: 3.5"));
        // Placeholders, volumes and other words are not engines.
        assert!(!states_engine("TRACTOR CC: 01"));
        assert!(!states_engine("EXCAVATOR CC: 00"));
        assert!(!states_engine("50cc syringe"));
        assert!(!states_engine("bottle 500 cc"));
        assert!(!states_engine("cc cream 30ml"));
    }

    #[test]
    fn reads_ranges_of_tariff_texts() {
        let r = ranges("cylinder capacity over 1000 but not over 1500cc");
        assert_eq!(
            r,
            vec![Range {
                unit: Unit::Cc,
                over: Some(1000.0),
                up_to: Some(1500.0)
            }]
        );
        let r =
            ranges("of cylinder capacity exceeding 50cc but not exceeding 250cc, with or without");
        assert_eq!(
            r,
            vec![Range {
                unit: Unit::Cc,
                over: Some(50.0),
                up_to: Some(250.0)
            }]
        );
        let r = ranges("cylinder capacity not over 1000cc");
        assert_eq!(
            r,
            vec![Range {
                unit: Unit::Cc,
                over: None,
                up_to: Some(1000.0)
            }]
        );
        let r = ranges("cylinder capacity over 3000cc");
        assert_eq!(
            r,
            vec![Range {
                unit: Unit::Cc,
                over: Some(3000.0),
                up_to: None
            }]
        );
        assert!(ranges("weighing over 90 kg").is_empty());
        assert!(ranges("Other").is_empty());
    }

    #[test]
    fn reads_stated_quantities() {
        assert_eq!(
            quantities("USED YAMAHA CC: 125 YEAR: 2004"),
            vec![(Unit::Cc, 125.0)]
        );
        assert_eq!(
            quantities("TOYOTA COROLLA CC: 1800"),
            vec![(Unit::Cc, 1800.0)]
        );
        assert_eq!(
            quantities("HIGHLANDER CC: 3.5 AGE"),
            vec![(Unit::Cc, 3500.0)]
        );
        assert_eq!(quantities("150CC engine"), vec![(Unit::Cc, 150.0)]);
        assert_eq!(quantities("motor 7.5 kW"), vec![(Unit::Kw, 7.5)]);
        assert_eq!(
            quantities("AGE :2023 CC:125 CHASSIS"),
            vec![(Unit::Cc, 125.0)]
        );
        assert!(quantities("cotton shirt").is_empty());
    }

    #[test]
    fn contains_reads_bounds() {
        let r = Range {
            unit: Unit::Cc,
            over: Some(50.0),
            up_to: Some(250.0),
        };
        assert!(r.contains(125.0) && r.contains(250.0));
        assert!(!r.contains(50.0) && !r.contains(251.0));
    }
}
