//! The view of a duty question (what `hs duty --json` prints, `GET
//! /v1/duty` returns and the MCP `duty` tool answers, and what the plain
//! output and the UI's detail pane render): the line, the rate that
//! applies to the origin and why, the duty at that rate with its
//! arithmetic, the chapter 99 measures in force on the date, the fees, the
//! total, the notes, caveats and warnings, and the de minimis status.
//! [`DutyQuery::parse`] checks what can be checked without the data;
//! [`DutyView::new`] answers from the loaded data and measures.

use rust_decimal::Decimal;
use serde::Serialize;
use thiserror::Error;

use crate::code::Code;
use crate::engine::{Lookup, lookup};
use crate::load::Dataset;
use crate::tariff::{
    self, Applied, Basis, Date, Entry, Fee, Measures, Needed, Query, Rate, RateKind, TariffError,
    Transport, de_minimis, is_tariff_line, line_rates,
};
use crate::tree::{Level, NodeId};

/// A duty question: a line, an origin, a date, and what is known about the
/// goods and their entry.
#[derive(Debug, Clone, PartialEq)]
pub struct DutyQuery {
    pub code: Code,
    /// ISO 3166-1 alpha-2, upper case (checked).
    pub origin: String,
    /// Customs value in USD.
    pub value: Option<f64>,
    pub quantity: Option<f64>,
    /// The unit of `quantity` (one of the line's units); the line's first
    /// unit when `None`.
    pub unit: Option<String>,
    /// The date of entry.
    pub date: Date,
    pub transport: Option<Transport>,
    pub entry: Option<Entry>,
    /// Leave the fees out.
    pub no_fees: bool,
}

/// Why a duty question has no answer. Every one is the asker's input
/// (exit 2 on the command line, 400 over HTTP), but [`DutyError::Unknown`]
/// (404: the code is well-formed but not a line of the schedule).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum DutyError {
    /// Not a code (the parser's message).
    #[error("{0}")]
    Malformed(String),
    /// A code above the tariff lines (a heading, a subheading).
    #[error(
        "{code} is not a tariff line: its digits are a {level}'s, and US rates are set on 8-digit tariff lines and their 10-digit statistical lines. `hs show {code}` shows the lines under it (or the nearest codes, if it does not exist); give one of them"
    )]
    NotALine { code: String, level: &'static str },
    /// The origin is not a country code.
    #[error("{0}. The origin is the country where the goods were produced")]
    Origin(TariffError),
    /// The date does not parse.
    #[error("{0}")]
    Date(TariffError),
    /// Well-formed, but not a line of the US schedule.
    #[error("{code} is not a line of the US schedule")]
    Unknown { code: Code, nearest: Vec<NodeId> },
    /// In the schedule, but without rates.
    #[error("{0}")]
    NoRates(String),
    /// A bad value, quantity or unit (the duty arithmetic's message).
    #[error("{code}: {error}")]
    Compute { code: Code, error: TariffError },
}

impl DutyQuery {
    /// Checks the code (a tariff or statistical line), the origin and the
    /// date (today when `None`); the other fields start empty.
    ///
    /// # Errors
    /// [`DutyError::Malformed`], [`DutyError::NotALine`],
    /// [`DutyError::Origin`] or [`DutyError::Date`].
    pub fn parse(code: &str, origin: &str, date: Option<&str>) -> Result<DutyQuery, DutyError> {
        let code = Code::parse(code).map_err(|e| DutyError::Malformed(e.to_string()))?;
        if code.len() < 8 {
            let level = Level::of_digits(code.len()).map_or("code", Level::name);
            return Err(DutyError::NotALine {
                code: code.to_string(),
                level,
            });
        }
        let origin = tariff::country(origin).map_err(DutyError::Origin)?;
        let date = match date {
            Some(d) => Date::parse(d).map_err(DutyError::Date)?,
            None => Date::today(),
        };
        Ok(DutyQuery {
            code,
            origin: origin.code.clone(),
            value: None,
            quantity: None,
            unit: None,
            date,
            transport: None,
            entry: None,
            no_fees: false,
        })
    }
}

/// A line's three rate cells as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RateCells {
    pub column2: String,
    pub general: String,
    pub special: String,
}

/// The quantity given, in the unit it was given in.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuantityView {
    pub amount: f64,
    /// The unit given, else the line's first unit (empty when it has none).
    pub unit: String,
}

/// Everything known about the duty on goods of one line from one origin
/// on one date. Field names are a public contract (add, never rename);
/// fields are in alphabetical order, as the JSON has always listed them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DutyView {
    /// Chapter 99 measures applied (Section 301, 232, 122...).
    pub additional: Vec<Applied>,
    /// Their amounts' sum in USD; null without a value or when one of
    /// them cannot be computed.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub additional_duty: Option<Decimal>,
    /// Their ad valorem rates' sum in percent; null when one of them is
    /// not simply added (a rate that replaces the line's, one not computed).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub additional_rate: Option<Decimal>,
    /// `general`, `special` or `column2`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub basis: Basis,
    pub basis_reason: String,
    /// What the figures leave out, and the conditions of a preference.
    pub caveats: Vec<String>,
    /// The line asked about (`6109.10.00.12`).
    pub code: String,
    /// `USD`.
    pub currency: &'static str,
    /// The date of entry (YYYY-MM-DD).
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: Date,
    /// The de minimis status on the date.
    pub de_minimis: String,
    /// Self-contained description of the line.
    pub description: String,
    /// USD at the line's own rate; absent when not computed (see `reason`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub duty: Option<Decimal>,
    /// `formal` or `informal`; present with the fees.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub entry: Option<Entry>,
    /// Present with the fees (a fee left out and why).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fee_notes: Option<Vec<String>>,
    /// MPF and HMF; empty without a value or with `no_fees`.
    pub fees: Vec<Fee>,
    /// `tariff-line` or `statistical-line`.
    pub level: &'static str,
    /// Headings of measures that apply only to some goods of the lines
    /// they name, which the query cannot tell (`9903.92.10`, ship-to-shore
    /// gantry cranes): "may apply: see ...", not charged.
    pub may_apply: Vec<String>,
    /// Headings of exclusions that depend on facts the query cannot know
    /// (`9903.88.69`): "may be excluded: see ...".
    pub may_be_excluded: Vec<String>,
    /// Measures not applied and why, exclusions that may apply.
    pub measure_notes: Vec<String>,
    /// Inputs the rate needs that were not given (`value`, `quantity`);
    /// present only when the duty is not computed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub needs: Vec<Needed>,
    /// Other observations on the rate (programs passed over...).
    pub notes: Vec<String>,
    pub origin: String,
    pub origin_name: String,
    /// The Special program used (`AU`, `S`), for the special basis.
    pub program: Option<String>,
    pub program_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<QuantityView>,
    /// The rate applied, as the schedule writes it.
    pub rate: String,
    /// The same rate, parsed.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub rate_detail: Rate,
    /// `free`, `ad_valorem`, `specific`, `compound`...
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub rate_kind: RateKind,
    pub rates: RateCells,
    /// The line that carries the rate cells (the line or its 8-digit parent).
    pub rates_from: String,
    /// Why the duty is not computed; present (possibly null) only then.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub reason: Option<Option<String>>,
    /// The US schedule (`US HTS 2026 Revision 12`).
    pub schedule: String,
    /// The duty's arithmetic, one line per step.
    pub steps: Vec<String>,
    /// Duty + additional duty + fees in USD; null when a part is not computed.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub total: Option<Decimal>,
    /// The line's units of quantity.
    pub units: Vec<String>,
    /// The customs value given (USD).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// A date past the data, fiscal-year figures not in the data.
    pub warnings: Vec<String>,
    /// True when the rates come from the 8-digit parent line.
    #[serde(skip)]
    pub inherited: bool,
}

impl DutyView {
    /// Answers `q` from the loaded data and measures.
    ///
    /// # Errors
    /// [`DutyError::Unknown`] for a code not in the schedule,
    /// [`DutyError::NoRates`] for one without rates, [`DutyError::Compute`]
    /// for a bad value, quantity or unit.
    pub fn new(ds: &Dataset, measures: &Measures, q: &DutyQuery) -> Result<DutyView, DutyError> {
        let code = &q.code;
        let id = match lookup(ds, code) {
            Lookup::Found(id) => id,
            Lookup::Unknown { code, nearest } => {
                return Err(DutyError::Unknown { code, nearest });
            }
        };
        let node = ds.tree.node(id);
        let Some(rates) = line_rates(&ds.tree, id) else {
            return Err(DutyError::NoRates(if is_tariff_line(node.level) {
                format!("{code} carries no rates in the US schedule")
            } else {
                format!("{code} is a {}, not a tariff line", node.level.name())
            }));
        };
        let compute = |error: TariffError| DutyError::Compute {
            code: code.clone(),
            error,
        };
        let mut req = rates.request(&q.origin).on(q.date);
        if let Some(v) = q.value {
            req = req.with_value(v);
        }
        if let Some(n) = q.quantity {
            req = match &q.unit {
                Some(u) => req.with_quantity_in(u, n),
                None => req.with_quantity(n),
            };
        }
        let r = tariff::compute_duty(&req).map_err(compute)?;
        let value = match q.value {
            Some(v) => Some(
                tariff::money(v)
                    .ok_or(TariffError::InvalidValue(v))
                    .map_err(compute)?,
            ),
            None => None,
        };
        let code_text = code.to_string();
        let additional = measures.apply(&Query {
            line: &code_text,
            origin: &r.origin,
            date: r.date,
            value,
            line_duty: r.duty,
            program: r.program.as_deref(),
        });
        let fees = match value {
            Some(v) if !q.no_fees => Some(tariff::fees(
                v,
                r.date,
                q.transport,
                q.entry,
                r.program.as_deref(),
            )),
            _ => None,
        };
        let fee_sum: Decimal = fees
            .as_ref()
            .map_or(Decimal::ZERO, |f| f.fees.iter().map(|x| x.amount).sum());
        let total = match (r.duty, additional.additional_duty) {
            (Some(d), Some(x)) => d.checked_add(x).and_then(|t| t.checked_add(fee_sum)),
            _ => None,
        };
        let mut warnings = additional.warnings;
        if let Some(f) = &fees {
            warnings.extend(f.warnings.iter().cloned());
        }
        let quantity = q.quantity.map(|amount| QuantityView {
            amount,
            unit: q
                .unit
                .clone()
                .or_else(|| rates.units.first().cloned())
                .unwrap_or_default(),
        });
        let computed = r.duty.is_some();
        Ok(DutyView {
            additional: additional.applied,
            additional_duty: additional.additional_duty,
            additional_rate: additional.additional_rate,
            basis: r.basis,
            basis_reason: r.basis_reason,
            caveats: r.caveats,
            code: code_text,
            currency: "USD",
            date: r.date,
            de_minimis: de_minimis(r.date),
            description: rates.line.full_text.clone(),
            duty: r.duty,
            entry: fees.as_ref().and_then(|f| f.entry),
            fee_notes: fees.as_ref().map(|f| f.notes.clone()),
            fees: fees.map(|f| f.fees).unwrap_or_default(),
            level: rates.line.level.name(),
            may_apply: additional.may_apply,
            may_be_excluded: additional.may_be_excluded,
            measure_notes: additional.notes,
            needs: if computed { Vec::new() } else { r.needs },
            notes: r.notes,
            origin: r.origin,
            origin_name: r.origin_name,
            program: r.program,
            program_name: r.program_name,
            quantity,
            rate: r.rate,
            rate_kind: r.rate_detail.kind,
            rate_detail: r.rate_detail,
            rates: RateCells {
                column2: rates.duty.column2.clone(),
                general: rates.duty.general.clone(),
                special: rates.duty.special.clone(),
            },
            rates_from: rates.from.label(),
            reason: (!computed).then_some(r.reason),
            schedule: ds.schedule.name(),
            steps: r.steps,
            total,
            units: rates.units.clone(),
            value: q.value,
            warnings,
            inherited: rates.inherited(),
        })
    }

    /// The duty's reason text when it is not computed.
    pub fn reason_text(&self) -> Option<&str> {
        self.reason.as_ref().and_then(|r| r.as_deref())
    }
}

/// A line's rates for an origin on a date, as percentages of the value,
/// for costing a catalogue in bulk (`classify --with-rates --origin`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OriginRates {
    /// The chapter 99 measures' rate, percent; None when one is not ad
    /// valorem or not computed.
    pub additional_rate: Option<Decimal>,
    /// The line's rate for the origin plus `additional_rate`; None when
    /// either is not ad valorem (a specific or compound rate needs a value
    /// and a quantity).
    pub total_rate: Option<Decimal>,
    /// Why a rate is None.
    pub note: Option<String>,
}

/// The value the percentages are worked on: cents of it are 1/10,000 of
/// a percent.
const RATE_BASE: i64 = 1_000_000;

/// The ad valorem rates of node `id` for goods of `origin` (checked,
/// upper case) entered on `date`: the line's own (for the origin's basis)
/// and the chapter 99 measures', from the same computation `hs duty` makes.
pub fn origin_rates(
    ds: &Dataset,
    measures: &Measures,
    id: NodeId,
    origin: &str,
    date: Date,
) -> OriginRates {
    let none = |note: String| OriginRates {
        additional_rate: None,
        total_rate: None,
        note: Some(note),
    };
    let Some(rates) = line_rates(&ds.tree, id) else {
        return none("not a US tariff line with rates".to_string());
    };
    let base = Decimal::from(RATE_BASE);
    let req = rates.request(origin).on(date).with_value(RATE_BASE as f64);
    let r = match tariff::compute_duty(&req) {
        Ok(r) => r,
        Err(e) => return none(e.to_string()),
    };
    let code = rates
        .line
        .code
        .as_ref()
        .map(Code::to_string)
        .unwrap_or_default();
    let add = measures.apply(&Query {
        line: &code,
        origin: &r.origin,
        date: r.date,
        value: Some(base),
        line_duty: r.duty,
        program: r.program.as_deref(),
    });
    let pct = |x: Decimal| (x * Decimal::ONE_HUNDRED / base).normalize();
    let additional = add.additional_duty.map(pct);
    let total = r
        .duty
        .zip(additional)
        .map(|(d, a)| (pct(d) + a).normalize());
    let note = match (r.duty, additional) {
        (Some(_), Some(_)) => None,
        (None, _) => Some(format!(
            "the line's rate ({}) is not ad valorem: hs duty {code} --origin {origin} --value V --quantity Q computes it",
            r.rate
        )),
        (Some(_), None) => Some(format!(
            "a chapter 99 measure's rate is not a percentage of the value here: hs duty {code} --origin {origin} --value V shows it"
        )),
    };
    OriginRates {
        additional_rate: additional,
        total_rate: total,
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Scope, resolve_data_dir};

    #[test]
    fn the_question_is_checked_before_any_data_is_read() {
        let q = DutyQuery::parse("6109.10.00.12", "cn", Some("2026-03-15"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(q.origin, "CN");
        assert_eq!(q.date.to_string(), "2026-03-15");
        let err = |c: &str, o: &str, d: Option<&str>| match DutyQuery::parse(c, o, d) {
            Ok(q) => panic!("{q:?} accepted"),
            Err(e) => e,
        };
        assert!(matches!(err("61x9", "CN", None), DutyError::Malformed(_)));
        let e = err("6109.10", "CN", None);
        assert!(
            matches!(
                e,
                DutyError::NotALine {
                    level: "subheading",
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(matches!(
            err("6109.10.00.12", "XX", None),
            DutyError::Origin(_)
        ));
        assert!(matches!(
            err("6109.10.00.12", "CN", Some("2026-13-01")),
            DutyError::Date(_)
        ));
    }

    /// The view of a T-shirt from China: the line's duty, Section 301 and
    /// 122 on 2026-03-15, MPF and HMF by sea, the total, and the keys the
    /// JSON has always had.
    #[test]
    fn the_view_holds_the_duty_the_measures_the_fees_and_the_total() {
        let dir = resolve_data_dir(None).unwrap_or_else(|e| panic!("{e}"));
        let ds = Dataset::load_scoped(&dir, Scope::Chapter(61)).unwrap_or_else(|e| panic!("{e}"));
        let measures = Measures::load(&dir).unwrap_or_else(|e| panic!("{e}"));
        let mut q = DutyQuery::parse("6109.10.00.12", "CN", Some("2026-03-15"))
            .unwrap_or_else(|e| panic!("{e}"));
        q.value = Some(100_000.0);
        q.transport = Some(Transport::Sea);
        let v = DutyView::new(&ds, &measures, &q).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.duty, Some(Decimal::from(16_500)));
        assert_eq!(v.additional_duty, Some(Decimal::from(17_500)));
        let heads: Vec<&str> = v.additional.iter().map(|a| a.code.as_str()).collect();
        assert_eq!(heads, ["9903.88.15", "9903.03.01"]);
        let fees: Vec<&str> = v.fees.iter().map(|f| f.name).collect();
        assert_eq!(fees, ["MPF", "HMF"]);
        assert_eq!(v.total, Some(Decimal::new(3_447_140, 2)));
        assert!(v.may_be_excluded.contains(&"9903.88.69".to_string()));
        assert!(v.inherited);
        let json = serde_json::to_value(&v).unwrap_or_else(|e| panic!("{e}"));
        for key in [
            "code",
            "rate",
            "duty",
            "date",
            "schedule",
            "additional",
            "additional_duty",
            "fees",
            "total",
            "de_minimis",
            "caveats",
            "measure_notes",
            "entry",
            "fee_notes",
        ] {
            assert!(json.get(key).is_some(), "{key} missing: {json}");
        }
        assert!(json.get("reason").is_none() && json.get("needs").is_none());

        // Without a value: no duty, the reason and what is needed; no fees.
        q.value = None;
        let v = DutyView::new(&ds, &measures, &q).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.duty, None);
        assert_eq!(v.needs, vec![Needed::Value]);
        assert!(v.reason_text().is_some());
        assert!(v.fees.is_empty() && v.fee_notes.is_none() && v.total.is_none());

        // Rates for bulk costing: 16.5% + 7.5% + 10% on that date.
        let id = ds
            .tree
            .get(&q.code)
            .map(|n| n.id)
            .unwrap_or_else(|| panic!("6109.10.00.12"));
        let r = origin_rates(&ds, &measures, id, "CN", q.date);
        assert_eq!(r.additional_rate, Some(Decimal::new(175, 1)));
        assert_eq!(r.total_rate, Some(Decimal::from(34)));
        assert_eq!(r.note, None);
        let vn = origin_rates(&ds, &measures, id, "VN", q.date);
        assert_eq!(vn.total_rate, Some(Decimal::new(265, 1)), "{vn:?}");

        // A code not in the schedule, a code without rates.
        let q = DutyQuery::parse("6109.10.00.99", "CN", None).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            DutyView::new(&ds, &measures, &q),
            Err(DutyError::Unknown { .. })
        ));
    }
}
