//! Duty arithmetic: for one line's three rate cells and an origin, choose the
//! basis (a special program covering the origin, Column 2, or General),
//! then compute the duty from a customs value and quantities, showing every
//! step. Nothing is guessed: a rate that cannot be computed from what is
//! given leaves the duty absent with a reason.

use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use serde::Serialize;

use super::TariffError;
use super::country::country;
use super::program::{Date, Program, Scope, column2_country, program};
use super::rate::{Rate, RateKind, Term, parse_rate, parse_special};
use super::unit::{Dim, Measure, line_measure, rate_measure};

/// Which column's rate applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    General,
    Special,
    Column2,
}

/// A quantity of the goods. `unit` is one of the line's units of quantity;
/// `None` means the line's first unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantity {
    pub amount: f64,
    pub unit: Option<String>,
}

/// What the duty is computed from. Build with [`DutyRequest::new`] and the
/// `with_*` methods.
#[derive(Debug, Clone, PartialEq)]
pub struct DutyRequest<'a> {
    pub general: &'a str,
    pub special: &'a str,
    pub column2: &'a str,
    /// The line's units of quantity, e.g. `["doz.", "kg"]`.
    pub units: &'a [String],
    /// ISO 3166-1 alpha-2 code of the country of origin.
    pub origin: &'a str,
    /// Customs value in USD.
    pub value: Option<f64>,
    pub quantities: Vec<Quantity>,
    /// The day whose program statuses apply; today when `None`.
    pub date: Option<Date>,
}

impl<'a> DutyRequest<'a> {
    pub fn new(
        general: &'a str,
        special: &'a str,
        column2: &'a str,
        units: &'a [String],
        origin: &'a str,
    ) -> DutyRequest<'a> {
        DutyRequest {
            general,
            special,
            column2,
            units,
            origin,
            value: None,
            quantities: Vec::new(),
            date: None,
        }
    }

    /// The customs value in USD.
    pub fn with_value(mut self, usd: f64) -> Self {
        self.value = Some(usd);
        self
    }

    /// A quantity in the line's first unit of quantity.
    pub fn with_quantity(mut self, amount: f64) -> Self {
        self.quantities.push(Quantity { amount, unit: None });
        self
    }

    /// A quantity in another of the line's units (`"kg"` on a `["doz.",
    /// "kg"]` line), for rates charged per that unit.
    pub fn with_quantity_in(mut self, unit: &str, amount: f64) -> Self {
        self.quantities.push(Quantity {
            amount,
            unit: Some(unit.to_string()),
        });
        self
    }

    /// Judge program statuses as of `date` instead of today.
    pub fn on(mut self, date: Date) -> Self {
        self.date = Some(date);
        self
    }
}

/// The answer: which rate applies to the origin, and the duty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DutyResult {
    /// The day whose programs, Column 2 status and measures apply.
    pub date: Date,
    /// The origin's ISO 3166-1 alpha-2 code, upper case.
    pub origin: String,
    pub origin_name: String,
    pub basis: Basis,
    /// Why this basis: which program covers the origin, which listed
    /// program does not apply and why (lapsed, superseded, conditional).
    pub basis_reason: String,
    /// The program indicator used (`S`, `AU`), for the special basis.
    pub program: Option<String>,
    pub program_name: Option<String>,
    /// The rate as the schedule writes it.
    pub rate: String,
    /// The same rate, parsed.
    pub rate_detail: Rate,
    /// USD, rounded to cents (decimal arithmetic; a JSON number when
    /// serialised); absent when it cannot be computed.
    pub duty: Option<Decimal>,
    /// Why the duty is absent.
    pub reason: Option<String>,
    /// Inputs that were not given and that the rate needs (empty when the
    /// duty was computed, or when it cannot be computed from any input,
    /// e.g. a rate that refers to another provision).
    pub needs: Vec<Needed>,
    /// The arithmetic, one line per step (`14.9% x $1,000.00 = $149.00`).
    pub steps: Vec<String>,
    /// Other observations: programs that would need more than the origin,
    /// unknown indicators, a special rate passed over for a lower one.
    pub notes: Vec<String>,
    /// What the duty leaves out.
    pub caveats: Vec<String>,
}

/// Parses a line's units of quantity as the HTS CSV writes them: a JSON
/// array of strings (`["doz.","kg"]`); blank entries are dropped and an
/// empty text gives no units.
///
/// # Errors
/// [`TariffError::Units`] naming the text when it is not such an array.
pub fn parse_units(json: &str) -> Result<Vec<String>, TariffError> {
    if json.trim().is_empty() {
        return Ok(Vec::new());
    }
    let units: Vec<String> =
        serde_json::from_str(json).map_err(|_| TariffError::Units(json.to_string()))?;
    Ok(units
        .into_iter()
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty())
        .collect())
}

/// Chooses the basis for the request's origin and computes the duty.
///
/// The basis is `special` when an in-force, country-based program listed in
/// the Special cell covers the origin (the lowest such rate when several
/// do, per General Note 3(a)(iii)); else `column2` when the origin is a
/// Column 2 country; else `general`.
///
/// # Errors
/// An unknown origin, a negative or non-finite value or quantity, or a
/// quantity unit that is not one of the line's units.
pub fn compute_duty(req: &DutyRequest<'_>) -> Result<DutyResult, TariffError> {
    let origin = country(req.origin)?;
    let code = origin.code.as_str();
    let date = req.date.unwrap_or_else(Date::today);
    let ctx = Context::new(req)?;

    let general = parse_rate(req.general);
    let mut notes = Vec::new();
    let column2 = match column2_country(code)? {
        Some(c2) if !c2.applies_on(date) => {
            let since = c2.since.map(|d| d.to_string()).unwrap_or_default();
            notes.push(format!(
                "{code} ({}) takes Column 2 rates only from {since} ({}); on {date} it does not.",
                c2.name, c2.source
            ));
            None
        }
        other => other,
    };
    let is_column2 = column2.is_some();
    let mut passed_over = Vec::new();
    let mut candidates: Vec<(Rate, &'static Program)> = Vec::new();
    let mut seen = Vec::new();
    for group in parse_special(req.special) {
        for indicator in &group.programs {
            if seen.contains(indicator) {
                continue;
            }
            seen.push(indicator.clone());
            let Some(p) = program(indicator)? else {
                notes.push(format!(
                    "Program indicator {indicator} is not known; its rate ({}) is not applied.",
                    group.rate.text
                ));
                continue;
            };
            if !p.country_based() {
                if !is_column2 {
                    notes.push(format!(
                        "{indicator} ({}, {}) gives {} only to qualifying goods ({}); not applied from the origin alone.",
                        p.name,
                        p.general_note,
                        group.rate.text,
                        p.notes.trim_end_matches('.')
                    ));
                }
            } else if !p.covers(code) {
                continue;
            } else if !p.in_force_on(date) {
                passed_over.push(format!(
                    "{indicator} ({}) lists {code} but is {} on {date}: {}",
                    p.name,
                    p.status_on(date),
                    p.status
                ));
            } else if p.scope == Scope::CountryConditional {
                notes.push(format!(
                    "{indicator} ({}) lists {code} at \"{}\" but is not applied automatically: {}",
                    p.name, group.rate.text, p.notes
                ));
            } else {
                candidates.push((group.rate.clone(), p));
            }
        }
    }

    let mut caveats = vec![
        "Chapter 99 measures are those of hs-data/measures.csv (Section 301, 232, 122, IEEPA, Brazil), listed apart from the duty; quotas, safeguards and other chapter 99 provisions are not included.".to_string(),
        "Anti-dumping and countervailing duties are not included.".to_string(),
        "Fees: the Merchandise Processing Fee (MPF) and the Harbor Maintenance Fee (HMF, by sea) are listed apart when a value is given; other fees are not included.".to_string(),
    ];

    let scored: Vec<Scored> = candidates
        .into_iter()
        .map(|(rate, program)| {
            let computation = ctx.compute(&rate);
            Scored {
                rate,
                program,
                computation,
            }
        })
        .collect();
    let choice = if let Some(best) = pick(&scored) {
        choose_special(best, &scored, code, general, &ctx, &mut notes)
    } else if let Some(c2) = column2 {
        let rate = parse_rate(req.column2);
        Choice {
            basis: Basis::Column2,
            reason: format!("{code} ({}) takes Column 2 rates: {}.", c2.name, c2.source),
            computation: ctx.compute(&rate),
            rate,
            program: None,
        }
    } else {
        Choice {
            basis: Basis::General,
            reason: "No in-force program in the Special column covers this origin; the General rate applies.".to_string(),
            computation: ctx.compute(&general),
            rate: general,
            program: None,
        }
    };
    let Choice {
        basis,
        reason: basis_reason,
        rate: chosen,
        program: program_used,
        computation,
    } = choice;
    let basis_reason = if passed_over.is_empty() {
        basis_reason
    } else {
        format!("{basis_reason} {}", passed_over.join(" "))
    };

    match program_used {
        Some(p) => caveats.push(format!(
            "The {} rate requires the goods to qualify under the rules of origin of {} ({}) and the claim to be made at entry; otherwise the General rate applies.",
            p.indicator, p.name, p.general_note
        )),
        None => caveats.push(
            "A preference rate requires the goods to qualify under the program's rules of origin; no preference is applied here.".to_string(),
        ),
    }
    caveats.push(
        "The customs value is the value CBP appraises (usually the transaction value); the result is an estimate.".to_string(),
    );

    let reason = computation.reason.map(|r| {
        if chosen.kind != RateKind::Empty {
            return r;
        }
        match basis {
            Basis::General => "The line has no General rate (rates are usually given on the 8-digit line; pass that line's rates).".to_string(),
            Basis::Column2 => "The line has no Column 2 rate (rates are usually given on the 8-digit line; pass that line's rates).".to_string(),
            Basis::Special => "The Special column names the program but gives it no rate.".to_string(),
        }
    });
    Ok(DutyResult {
        date,
        origin: origin.code.clone(),
        origin_name: origin.name.clone(),
        basis,
        basis_reason,
        program: program_used.map(|p| p.indicator.clone()),
        program_name: program_used.map(|p| p.name.clone()),
        rate: chosen.text.clone(),
        rate_detail: chosen,
        duty: computation.duty.map(cents),
        reason,
        needs: computation.needs,
        steps: computation.steps,
        notes,
        caveats,
    })
}

/// A special rate whose program covers the origin, computed.
struct Scored {
    rate: Rate,
    program: &'static Program,
    computation: Computation,
}

/// The basis chosen, its rate and the computation.
struct Choice {
    basis: Basis,
    reason: String,
    rate: Rate,
    program: Option<&'static Program>,
    computation: Computation,
}

/// The candidate with the lowest computed duty; when none can be computed,
/// the first free one, else the first. None when there is no candidate.
fn pick(scored: &[Scored]) -> Option<&Scored> {
    scored
        .iter()
        .filter(|s| s.computation.duty.is_some())
        .min_by(|a, b| {
            let (x, y) = (a.computation.duty, b.computation.duty);
            x.unwrap_or(Decimal::MAX).cmp(&y.unwrap_or(Decimal::MAX))
        })
        .or_else(|| scored.iter().find(|s| s.rate.kind == RateKind::Free))
        .or_else(|| scored.first())
}

/// The special basis for `best`, unless the General rate gives less.
fn choose_special(
    best: &Scored,
    scored: &[Scored],
    code: &str,
    general: Rate,
    ctx: &Context,
    notes: &mut Vec<String>,
) -> Choice {
    let p = best.program;
    let mut reason = format!(
        "{} ({}, {}) covers {code}; the special rate applies to goods that qualify.",
        p.indicator, p.name, p.general_note
    );
    let others: Vec<String> = scored
        .iter()
        .filter(|s| !std::ptr::eq(*s, best))
        .map(|s| format!("{} at {}", s.program.indicator, s.rate.text))
        .collect();
    if !others.is_empty() {
        reason.push_str(&format!(
            " Also listed for {code}: {}; the lowest rate applies (General Note 3(a)(iii)).",
            others.join(", ")
        ));
    }
    let general_computation = ctx.compute(&general);
    match (best.computation.duty, general_computation.duty) {
        (Some(special), Some(g)) if g < special => {
            notes.push(format!(
                "{} gives {} here, more than the General rate; the General rate is used.",
                p.indicator,
                usd(special)
            ));
            Choice {
                basis: Basis::General,
                reason: format!(
                    "{reason} Its duty is higher than the General rate's, so the General rate applies."
                ),
                rate: general,
                program: None,
                computation: general_computation,
            }
        }
        (None, Some(g)) => {
            notes.push(format!(
                "If the goods do not get the {} treatment, the General rate {} gives {}.",
                p.indicator,
                general.text,
                usd(g)
            ));
            Choice {
                basis: Basis::Special,
                reason,
                rate: best.rate.clone(),
                program: Some(p),
                computation: best.computation.clone(),
            }
        }
        _ => Choice {
            basis: Basis::Special,
            reason,
            rate: best.rate.clone(),
            program: Some(p),
            computation: best.computation.clone(),
        },
    }
}

/// A quantity as given, understood.
struct Given {
    amount: Decimal,
    label: String,
    measure: Measure,
}

struct Context {
    value: Option<Decimal>,
    quantities: Vec<Given>,
    line_units: Vec<String>,
}

#[derive(Debug, Clone)]
struct Computation {
    duty: Option<Decimal>,
    reason: Option<String>,
    steps: Vec<String>,
    /// What the caller could give to get a duty.
    needs: Vec<Needed>,
}

impl Computation {
    fn absent(reason: String, steps: Vec<String>) -> Computation {
        Computation {
            duty: None,
            reason: Some(reason),
            steps,
            needs: Vec::new(),
        }
    }
}

/// An input the caller did not give that the rate needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Needed {
    /// The customs value (an ad valorem term).
    Value,
    /// A quantity in a unit the rate is charged in (a specific term).
    Quantity,
}

/// Why a term cannot be computed, and whether more input would help.
struct Miss {
    why: String,
    needs: Option<Needed>,
}

impl Miss {
    fn schedule(why: String) -> Miss {
        Miss { why, needs: None }
    }
}

/// Ad valorem bases that are simply the customs value of the goods.
const VALUE_BASES: &[&str] = &[
    "on the entire set",
    "on the full value of the imported article",
];

impl Context {
    fn new(req: &DutyRequest<'_>) -> Result<Context, TariffError> {
        let value = match req.value {
            None => None,
            Some(v) if !v.is_finite() || v < 0.0 => return Err(TariffError::InvalidValue(v)),
            Some(v) => Some(bounded(v, "customs value").ok_or(TariffError::InvalidValue(v))?),
        };
        let mut quantities = Vec::new();
        for q in &req.quantities {
            if !q.amount.is_finite() || q.amount < 0.0 {
                return Err(TariffError::InvalidQuantity(q.amount));
            }
            let amount =
                bounded(q.amount, "quantity").ok_or(TariffError::InvalidQuantity(q.amount))?;
            let label = match &q.unit {
                None => match req.units.first() {
                    Some(first) => first.trim().to_string(),
                    None => String::new(),
                },
                Some(unit) => {
                    let unit = unit.trim();
                    let listed = req
                        .units
                        .iter()
                        .any(|u| u.trim().eq_ignore_ascii_case(unit));
                    if !listed && !req.units.is_empty() {
                        return Err(TariffError::QuantityUnit {
                            unit: unit.to_string(),
                            line_units: req.units.join(", "),
                        });
                    }
                    unit.to_string()
                }
            };
            let measure = line_measure(&label);
            quantities.push(Given {
                amount,
                label,
                measure,
            });
        }
        Ok(Context {
            value,
            quantities,
            line_units: req.units.iter().map(|u| u.trim().to_string()).collect(),
        })
    }

    fn compute(&self, rate: &Rate) -> Computation {
        match rate.kind {
            RateKind::Empty => Computation::absent(
                "The line has no rate in this column.".to_string(),
                Vec::new(),
            ),
            RateKind::Free => {
                let mut steps = vec!["Free: $0.00".to_string()];
                if let Some(p) = &rate.proviso {
                    steps.push(format!("Provided: {p}"));
                }
                Computation {
                    duty: Some(Decimal::ZERO),
                    reason: None,
                    steps,
                    needs: Vec::new(),
                }
            }
            RateKind::Reference => Computation::absent(
                format!(
                    "The rate refers elsewhere and is not computed: \"{}\".",
                    rate.text
                ),
                Vec::new(),
            ),
            RateKind::Unparsed => Computation::absent(
                format!(
                    "The rate text is not understood, so no duty is computed: \"{}\".",
                    rate.text
                ),
                Vec::new(),
            ),
            RateKind::SlidingScale => Computation::absent(
                format!(
                    "The rate \"{}\" depends on the polarity (degrees) of the goods, which is not given; not computed.",
                    rate.text
                ),
                Vec::new(),
            ),
            RateKind::AdValorem | RateKind::Specific | RateKind::Compound => {
                self.compute_terms(rate)
            }
        }
    }

    fn compute_terms(&self, rate: &Rate) -> Computation {
        let mut steps = Vec::new();
        let mut missing: Vec<Miss> = Vec::new();
        let mut amounts = Vec::new();
        for term in &rate.terms {
            match self.term(term) {
                Ok((amount, term_steps)) => {
                    steps.extend(term_steps);
                    amounts.push(amount);
                }
                Err(why) => missing.push(why),
            }
        }
        if !missing.is_empty() {
            let why: Vec<&str> = missing.iter().map(|m| m.why.as_str()).collect();
            let mut c = Computation::absent(why.join(" "), steps);
            for n in missing.iter().filter_map(|m| m.needs) {
                if !c.needs.contains(&n) {
                    c.needs.push(n);
                }
            }
            return c;
        }
        let mut total = Decimal::ZERO;
        for a in &amounts {
            match total.checked_add(*a) {
                Some(t) => total = t,
                None => return Computation::absent(too_large(), steps),
            }
        }
        if amounts.len() > 1 {
            let parts: Vec<String> = amounts.iter().map(|a| usd(*a)).collect();
            steps.push(format!("Total: {} = {}", parts.join(" + "), usd(total)));
        }
        for (limit, is_min) in [(&rate.minimum, true), (&rate.maximum, false)] {
            let Some(limit) = limit else { continue };
            let word = if is_min { "Minimum" } else { "Maximum" };
            match self.term(limit) {
                Ok((bound, limit_steps)) => {
                    steps.extend(limit_steps);
                    let applies = if is_min { total < bound } else { total > bound };
                    if applies {
                        steps.push(format!(
                            "{word} {} applies instead of {}",
                            usd(bound),
                            usd(total)
                        ));
                        total = bound;
                    } else {
                        steps.push(format!("{word} {} does not apply", usd(bound)));
                    }
                }
                Err(miss) => {
                    let mut c = Computation::absent(format!("{word}: {}", miss.why), steps);
                    c.needs.extend(miss.needs);
                    return c;
                }
            }
        }
        if let Some(p) = &rate.proviso {
            steps.push(format!("Not applied (needs facts not given): {p}"));
        }
        Computation {
            duty: Some(total),
            reason: None,
            steps,
            needs: Vec::new(),
        }
    }

    /// One term's amount and steps, or why it cannot be computed.
    fn term(&self, term: &Term) -> Result<(Decimal, Vec<String>), Miss> {
        match term {
            Term::AdValorem {
                text,
                percent,
                basis,
            } => {
                if let Some(b) = basis
                    && !VALUE_BASES.contains(&b.as_str())
                {
                    return Err(Miss::schedule(format!(
                        "{text} is charged {b}, not on the customs value of the goods; that value is not given."
                    )));
                }
                let Some(value) = self.value else {
                    return Err(Miss {
                        why: format!("{text} needs the customs value; none was given."),
                        needs: Some(Needed::Value),
                    });
                };
                let amount = Decimal::from_f64(*percent)
                    .and_then(|p| value.checked_mul(p))
                    .map(|x| x / Decimal::ONE_HUNDRED)
                    .ok_or_else(|| Miss::schedule(too_large()))?;
                Ok((
                    amount,
                    vec![format!("{text} x {} = {}", usd(value), usd(amount))],
                ))
            }
            Term::Specific {
                text,
                usd: per_unit,
                unit,
                qualifier,
            } => {
                let Some((measure, rest)) = rate_measure(unit, qualifier.as_deref()) else {
                    return Err(Miss::schedule(format!(
                        "{text}: the unit \"{unit}\" is not understood."
                    )));
                };
                if let Some(rest) = rest {
                    return Err(Miss::schedule(format!(
                        "{text} is charged per {unit} {rest}; a quantity measured that way is not given."
                    )));
                }
                let wanted = describe(&measure);
                let Some((given, count)) = self.quantities.iter().find_map(|g| {
                    measure.per(&g.measure)?;
                    // Decimal factors, so 120 pieces are exactly 10 dozen.
                    let to = Decimal::from_f64(g.measure.factor)?;
                    let from = Decimal::from_f64(measure.factor)?;
                    g.amount
                        .checked_mul(to)
                        .and_then(|x| x.checked_div(from))
                        .map(|count| (g, count))
                }) else {
                    return Err(self.no_quantity(text, &measure, &wanted));
                };
                let mut steps = Vec::new();
                let shown = shown_unit(&measure, &given.label);
                let same = given.measure.dim == measure.dim
                    && (given.measure.factor - measure.factor).abs() < f64::EPSILON;
                if !same {
                    steps.push(format!(
                        "{} {} = {} {}",
                        qty(given.amount),
                        given.label,
                        qty(count),
                        shown
                    ));
                }
                let amount = Decimal::from_f64(*per_unit)
                    .and_then(|u| u.checked_mul(count))
                    .ok_or_else(|| Miss::schedule(too_large()))?;
                steps.push(format!("{text} x {} {shown} = {}", qty(count), usd(amount)));
                Ok((amount, steps))
            }
        }
    }

    fn no_quantity(&self, text: &str, measure: &Measure, wanted: &str) -> Miss {
        let fits: Vec<&String> = self
            .line_units
            .iter()
            .filter(|u| measure.per(&line_measure(u)).is_some())
            .collect();
        let hint = match fits.first() {
            Some(u) => format!(" Give the quantity in {u} (a unit of this line)."),
            None => String::new(),
        };
        if self.quantities.is_empty() {
            return Miss {
                why: format!("{text} needs a quantity in {wanted}; none was given.{hint}"),
                needs: Some(Needed::Quantity),
            };
        }
        let given: Vec<String> = self
            .quantities
            .iter()
            .map(|g| {
                if g.label.is_empty() {
                    "no unit (the line lists none)".to_string()
                } else {
                    g.label.clone()
                }
            })
            .collect();
        // Another quantity helps only when the line has a unit it could be
        // given in (or lists none, so any unit may be named).
        let fixable = !fits.is_empty() || self.line_units.is_empty();
        Miss {
            why: format!(
                "{text} needs a quantity in {wanted}; the quantity given is in {}, which does not convert to it.{hint}",
                given.join(", ")
            ),
            needs: fixable.then_some(Needed::Quantity),
        }
    }
}

/// `kg`, `kg of lead content`, `pf.liter`, `pieces (No.)`, `doz.`.
fn describe(m: &Measure) -> String {
    let base = match m.dim {
        // Pieces by one; a dozen, a gross or hundreds by their own name.
        Dim::Count if (m.factor - 1.0).abs() < f64::EPSILON => "pieces (No.)".to_string(),
        _ => m.label.clone(),
    };
    match &m.of {
        Some(of) => format!("{base} of {of}"),
        None => base,
    }
}

/// The unit to print after a converted quantity.
fn shown_unit(m: &Measure, given: &str) -> String {
    match m.label.as_str() {
        "each" | "article" | "No." => "No.".to_string(),
        "kg" | "g" | "t" if m.of.is_some() => {
            format!("{} {}", m.label, m.of.as_deref().unwrap_or_default())
        }
        _ if m.dim == Dim::Other => given.to_string(),
        other => other.to_string(),
    }
}

/// The largest customs value or quantity accepted (10^15): every amount
/// computed from it fits the decimal type with room to spare.
pub const MAX_AMOUNT: f64 = 1e15;

/// `x` as a decimal when it is finite, not negative and at most
/// [`MAX_AMOUNT`].
fn bounded(x: f64, _what: &str) -> Option<Decimal> {
    if !x.is_finite() || !(0.0..=MAX_AMOUNT).contains(&x) {
        return None;
    }
    Decimal::from_f64(x)
}

/// An amount given in USD as a decimal; `None` when it is not finite,
/// negative or larger than [`MAX_AMOUNT`].
pub fn money(x: f64) -> Option<Decimal> {
    bounded(x, "amount")
}

fn too_large() -> String {
    "The amount is too large to compute.".to_string()
}

/// Rounds to cents (half away from zero, as money is rounded).
pub fn cents(x: Decimal) -> Decimal {
    x.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// An amount in USD as the steps print it: `$1,234.50`.
pub fn usd(x: Decimal) -> String {
    let c = cents(x);
    let sign = if c.is_sign_negative() && !c.is_zero() {
        "-"
    } else {
        ""
    };
    let fixed = format!("{:.2}", c.abs());
    let (int, frac) = fixed.split_once('.').unwrap_or((&fixed, "00"));
    format!("{sign}${}.{frac}", group(int))
}

/// An amount in USD given as a float (a value from the command line).
pub fn usd_f64(x: f64) -> String {
    match Decimal::from_f64(x) {
        Some(d) => usd(d),
        None => format!("${x}"),
    }
}

/// A decimal amount as a float, for JSON numbers (exact for cents of any
/// amount below 2^53 cents).
pub fn as_f64(x: Decimal) -> f64 {
    x.to_f64().unwrap_or(f64::NAN)
}

/// A quantity: thousands grouped, up to six decimals, no trailing zeros.
fn qty(x: Decimal) -> String {
    let fixed = format!("{:.6}", x.abs());
    let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
    let (int, frac) = trimmed.split_once('.').unwrap_or((trimmed, ""));
    let sign = if x.is_sign_negative() && !x.is_zero() {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{}", group(int))
    } else {
        format!("{sign}{}.{frac}", group(int))
    }
}

fn group(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(x: f64) -> Decimal {
        Decimal::from_f64(x).unwrap_or_default()
    }

    #[test]
    fn money_and_quantities_print_plainly() {
        assert_eq!(usd(d(1000.0)), "$1,000.00");
        assert_eq!(usd(d(46.300000000000004)), "$46.30");
        assert_eq!(usd(d(0.004)), "$0.00");
        assert_eq!(usd(d(0.005)), "$0.01");
        assert_eq!(usd(d(1234567.891)), "$1,234,567.89");
        assert_eq!(qty(d(100.0)), "100");
        assert_eq!(qty(d(2.5)), "2.5");
        assert_eq!(qty(d(12345.0)), "12,345");
        assert_eq!(qty(Decimal::ONE / Decimal::from(3)), "0.333333");
    }

    #[test]
    fn decimal_money_has_no_float_error() {
        // 0.1 + 0.2 in floats is 0.30000000000000004; cents stay exact.
        assert_eq!(cents(d(0.1) + d(0.2)), Decimal::new(30, 2));
        assert!(money(1e308).is_none());
        assert!(money(f64::INFINITY).is_none());
        assert!(money(-1.0).is_none());
        assert_eq!(money(1e15), Some(Decimal::from(1_000_000_000_000_000_i64)));
    }

    #[test]
    fn units_parse_from_json() -> Result<(), TariffError> {
        assert_eq!(parse_units(r#"["doz.","kg"]"#)?, vec!["doz.", "kg"]);
        assert_eq!(parse_units(r#"["No."," kg"]"#)?, vec!["No.", "kg"]);
        assert_eq!(parse_units(r#"["","\n"]"#)?, Vec::<String>::new());
        assert_eq!(parse_units("")?, Vec::<String>::new());
        assert_eq!(parse_units("kg"), Err(TariffError::Units("kg".to_string())));
        Ok(())
    }
}
