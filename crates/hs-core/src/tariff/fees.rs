//! Entry fees: the Merchandise Processing Fee (MPF, 19 U.S.C. 58c, 19 CFR
//! 24.23) by fiscal year, formal or informal entry, with the exemptions of
//! trade agreements; and the Harbor Maintenance Fee (HMF, 19 CFR 24.24),
//! charged on cargo arriving by sea.

use rust_decimal::Decimal;
use serde::Serialize;

use super::duty::cents;
use super::program::Date;

/// How the goods arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    Sea,
    Air,
    Land,
    Mail,
}

/// The kind of entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Entry {
    Formal,
    Informal,
}

/// Informal entry up to this value (USD) inclusive, formal above: 19 CFR
/// 143.21(a) allows informal entry for shipments "not exceeding $2,500".
pub const FORMAL_FROM: Decimal = Decimal::from_parts(2500, 0, 0, false, 0);

/// MPF figures of one fiscal year (1 October to 30 September).
struct MpfYear {
    from: (i32, u32, u32),
    until: (i32, u32, u32),
    /// Percent, ad valorem, formal entries.
    rate: Decimal,
    min: Decimal,
    max: Decimal,
    /// Informal entry, filed electronically (no CBP preparation).
    informal: Decimal,
    source: &'static str,
}

const MPF_YEARS: &[MpfYear] = &[
    MpfYear {
        from: (2024, 10, 1),
        until: (2025, 9, 30),
        rate: Decimal::from_parts(3464, 0, 0, false, 4),
        min: Decimal::from_parts(3271, 0, 0, false, 2),
        max: Decimal::from_parts(63462, 0, 0, false, 2),
        informal: Decimal::from_parts(262, 0, 0, false, 2),
        source: "89 FR 59126 (2024-07-22), customs user fees for fiscal year 2025; informal entry, automated and not prepared by CBP (class code 311a): $2.62 (CBP CSMS #61572319)",
    },
    MpfYear {
        from: (2025, 10, 1),
        until: (2026, 9, 30),
        rate: Decimal::from_parts(3464, 0, 0, false, 4),
        min: Decimal::from_parts(3358, 0, 0, false, 2),
        max: Decimal::from_parts(65150, 0, 0, false, 2),
        informal: Decimal::from_parts(269, 0, 0, false, 2),
        source: "CBP Dec. 25-10, 90 FR 34665 (2025-07-23), customs user fees for fiscal year 2026; informal entry, automated and not prepared by CBP (class code 311a): $2.69 (CBP CSMS #65741993)",
    },
];

/// HMF: 0.125% of the value of cargo arriving by sea, no minimum or maximum.
const HMF_RATE: Decimal = Decimal::from_parts(125, 0, 0, false, 3);

/// Special programs whose goods are exempt from the MPF (19 U.S.C.
/// 58c(b)(7)-(10), 19 CFR 24.23(c)): USMCA, Israel, CBERA and CBTPA,
/// least-developed GSP beneficiaries, and the free trade agreements that
/// exempt originating goods.
const MPF_EXEMPT: &[&str] = &[
    "S", "S+", "IL", "E", "E*", "R", "A+", "AU", "BH", "CL", "CO", "KR", "MA", "OM", "P", "P+",
    "PA", "PE", "SG",
];

/// One fee.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Fee {
    /// `MPF` or `HMF`.
    pub name: &'static str,
    /// `0.3464%`, `flat`.
    pub rate: String,
    /// USD.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub amount: Decimal,
    pub note: String,
}

/// The fees of one line's entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Fees {
    pub fees: Vec<Fee>,
    pub entry: Option<Entry>,
    pub notes: Vec<String>,
    pub warnings: Vec<String>,
}

fn day((y, m, d): (i32, u32, u32)) -> Option<Date> {
    Date::new(y, m, d).ok()
}

/// The fees for goods of `value` on `date`: MPF (unless the program used
/// exempts it) and HMF by sea.
pub fn fees(
    value: Decimal,
    date: Date,
    transport: Option<Transport>,
    entry: Option<Entry>,
    program: Option<&str>,
) -> Fees {
    let mut out = Fees::default();
    if entry == Some(Entry::Informal) && value > FORMAL_FROM {
        out.warnings.push(format!(
            "Informal entry was asked for goods valued at {}: 19 CFR 143.21(a) allows it only for shipments not exceeding {} (the section lists the exceptions); the informal MPF is shown as asked.",
            super::duty::usd(value),
            super::duty::usd(FORMAL_FROM)
        ));
    }
    let entry = entry.unwrap_or(if value > FORMAL_FROM {
        Entry::Formal
    } else {
        Entry::Informal
    });
    out.entry = Some(entry);
    let year = MPF_YEARS.iter().find(|y| {
        day(y.from).is_some_and(|f| f <= date) && day(y.until).is_some_and(|u| date <= u)
    });
    let year = match year {
        Some(y) => y,
        None => {
            let (y, which) = match MPF_YEARS.first() {
                Some(first) if day(first.from).is_some_and(|f| date < f) => (first, "earliest"),
                _ => match MPF_YEARS.last() {
                    Some(last) => (last, "latest"),
                    None => return out,
                },
            };
            out.warnings.push(format!(
                "The MPF figures for the fiscal year of {date} are not in the data; the {which} known ({}) are used.",
                y.source
            ));
            y
        }
    };
    match program.filter(|p| MPF_EXEMPT.contains(p)) {
        Some(p) => out.notes.push(format!(
            "No MPF: goods entered under {p} are exempt (19 U.S.C. 58c(b); 19 CFR 24.23(c))."
        )),
        None => match entry {
            Entry::Formal => {
                let raw = value * year.rate / Decimal::ONE_HUNDRED;
                let amount = cents(raw.clamp(year.min, year.max));
                let bound = if raw < year.min {
                    format!(" (the minimum, {})", super::duty::usd(year.min))
                } else if raw > year.max {
                    format!(" (the maximum, {})", super::duty::usd(year.max))
                } else {
                    String::new()
                };
                out.fees.push(Fee {
                    name: "MPF",
                    rate: format!("{}%", year.rate.normalize()),
                    amount,
                    note: format!(
                        "Formal entry{bound}: {}% of the value, at least {} and at most {} per entry ({}); the minimum and maximum apply to the whole entry, so for one line of an entry this is an estimate.",
                        year.rate.normalize(),
                        super::duty::usd(year.min),
                        super::duty::usd(year.max),
                        year.source
                    ),
                });
            }
            Entry::Informal => out.fees.push(Fee {
                name: "MPF",
                rate: "flat".to_string(),
                amount: year.informal,
                note: format!(
                    "Informal entry, filed electronically: a flat fee per entry ({}); more when CBP prepares the entry.",
                    year.source
                ),
            }),
        },
    }
    match transport {
        Some(Transport::Sea) => out.fees.push(Fee {
            name: "HMF",
            rate: "0.125%".to_string(),
            amount: cents(value * HMF_RATE / Decimal::ONE_HUNDRED),
            note: "Harbor Maintenance Fee: 0.125% of the value of cargo arriving by sea, no minimum or maximum (19 CFR 24.24).".to_string(),
        }),
        Some(_) => {}
        None => out.notes.push(
            "No HMF: the transport is not stated (--transport sea adds the Harbor Maintenance Fee, 0.125%).".to_string(),
        ),
    }
    out
}

/// The de minimis status on `date`, as the primary sources give it.
pub fn de_minimis(date: Date) -> String {
    let eo = Date::new(2026, 2, 20).ok();
    if eo.is_some_and(|d| date >= d) {
        "Duty-free de minimis treatment (19 U.S.C. 1321) is suspended for all countries: the Executive Order of 2026-02-20 \"Continuing the Suspension of Duty-Free De Minimis Treatment for All Countries\", left unaffected by EO 14389.".to_string()
    } else {
        "De minimis status before 2026-02-20 is not stated by the sources here (the suspension for all countries is continued by an Executive Order of 2026-02-20, cited in EO 14389).".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry_of(value: i64, entry: Option<Entry>) -> Fees {
        let date = Date::new(2026, 3, 1).unwrap_or_else(|e| panic!("{e}"));
        fees(Decimal::new(value, 0), date, None, entry, None)
    }

    #[test]
    fn informal_up_to_2500_inclusive_formal_above() {
        assert_eq!(entry_of(2500, None).entry, Some(Entry::Informal));
        assert_eq!(entry_of(2501, None).entry, Some(Entry::Formal));
        assert_eq!(
            entry_of(100, Some(Entry::Formal)).entry,
            Some(Entry::Formal)
        );
    }

    #[test]
    fn informal_entry_over_the_limit_is_warned_about() {
        let f = entry_of(10_000, Some(Entry::Informal));
        assert_eq!(f.entry, Some(Entry::Informal));
        assert!(
            f.warnings.iter().any(|w| w.contains("143.21(a)")),
            "{:?}",
            f.warnings
        );
        assert!(entry_of(2500, Some(Entry::Informal)).warnings.is_empty());
    }
}
