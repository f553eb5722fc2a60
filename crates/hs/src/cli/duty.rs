//! `hs duty CODE --origin CC [--value AMOUNT] [--quantity Q]`: the US rate
//! that applies to goods of an origin, why, and the duty arithmetic.
//!
//! Exit codes: 0 the rate (and, when asked, the duty) was found; 1 the duty
//! cannot be computed from any input (the rate refers to another provision,
//! depends on facts the command does not take); 2 bad input: a malformed or
//! unknown code, a code that is not a tariff line, an unknown country, a
//! bad number or date, or a value or quantity the rate needs and that was
//! not given.

use std::io::Write;

use serde_json::{Value, json};

use crate::code::Code;
use crate::engine::{Lookup, load_dataset, lookup};
use crate::load::resolve_data_dir;
use crate::tariff::Decimal;
use crate::tariff::{
    self, Additional, Basis, Date, DutyResult, Entry, Fees, LineRates, Measures, Needed, Query,
    Transport, de_minimis, is_tariff_line, kind_label, line_rates, usd, usd_f64,
};
use crate::tree::Level;

use super::args::{DutyArgs, EntryArg, Global, TransportArg};
use super::output::{options, text_stdout};
use super::{EXIT_ERROR, EXIT_NONE, EXIT_OK, Failure};

pub fn run(g: &Global, a: &DutyArgs) -> anyhow::Result<i32> {
    let input = a.code.join(" ");
    // Everything that can be checked without the data is checked first.
    let code = Code::parse(&input).map_err(|e| Failure::usage(e.to_string()))?;
    if code.len() < 8 {
        let level = Level::of_digits(code.len()).map_or("code", Level::name);
        return Err(Failure::usage(format!(
            "{code} is a {level}, not a tariff line: US rates are set on 8-digit tariff lines \
             and their 10-digit statistical lines. See the lines under it with `hs show {code}`, \
             then give one of them"
        )));
    }
    let origin = tariff::country(&a.origin).map_err(|e| {
        Failure::usage(format!(
            "--origin: {e}. The origin is the country where the goods were produced"
        ))
    })?;
    let date = match &a.date {
        Some(d) => Date::parse(d).map_err(|e| Failure::usage(format!("--date: {e}")))?,
        None => Date::today(),
    };
    let ds = load_dataset(&options(g))?;
    let id = match lookup(&ds, &code) {
        Lookup::Found(id) => id,
        Lookup::Unknown { code, nearest } => {
            let near: Vec<String> = nearest
                .iter()
                .map(|&n| ds.tree.node(n))
                .filter(|n| is_tariff_line(n.level))
                .map(|n| format!("  {:<14} {}", n.label(), clip(&n.full_text, 90)))
                .collect();
            let hint = if near.is_empty() {
                String::new()
            } else {
                format!("; nearest lines:\n{}", near.join("\n"))
            };
            return Err(Failure::usage(format!(
                "{code} is not a line of the US schedule{hint}"
            )));
        }
    };
    let node = ds.tree.node(id);
    let Some(rates) = line_rates(&ds.tree, id) else {
        return Err(Failure::usage(if is_tariff_line(node.level) {
            format!("{code} carries no rates in the US schedule")
        } else {
            format!("{code} is a {}, not a tariff line", node.level.name())
        }));
    };
    let mut req = rates.request(&origin.code).on(date);
    if let Some(v) = a.value {
        req = req.with_value(v);
    }
    if let Some(q) = a.quantity {
        req = match &a.unit {
            Some(u) => req.with_quantity_in(u, q),
            None => req.with_quantity(q),
        };
    }
    let result = tariff::compute_duty(&req).map_err(|e| Failure::usage(format!("{code}: {e}")))?;
    let quantity_unit = a
        .unit
        .clone()
        .or_else(|| rates.units.first().cloned())
        .unwrap_or_default();

    let extra = extras(g, a, &code, &result, ds.schedule.name())?;

    let mut out = text_stdout(a.json);
    if a.json {
        let mut v = duty_json(&code, &rates, a, &quantity_unit, &result);
        add_extras_json(&mut v, &extra);
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
    } else {
        write_text(&mut out, &code, &rates, a, &quantity_unit, &result)?;
        write_extras(&mut out, &extra)?;
    }
    out.flush()?;

    if result.duty.is_some() {
        return Ok(EXIT_OK);
    }
    let asked = a.value.is_some() || a.quantity.is_some();
    if !asked {
        // A rate look-up: the rate is the answer.
        return Ok(EXIT_OK);
    }
    let reason = result.reason.clone().unwrap_or_default();
    if !result.needs.is_empty() {
        let flags: Vec<&str> = result
            .needs
            .iter()
            .map(|n| match n {
                Needed::Value => "--value AMOUNT",
                Needed::Quantity => {
                    "--quantity Q (with --unit UNIT if it is not the line's first unit)"
                }
            })
            .collect();
        let _ = writeln!(
            std::io::stderr(),
            "hs: cannot compute the duty of {code}: {reason} Give {}.",
            flags.join(" and ")
        );
        return Ok(EXIT_ERROR);
    }
    if !g.quiet {
        let _ = writeln!(
            std::io::stderr(),
            "hs: the duty of {code} is not computed: {reason}"
        );
    }
    Ok(EXIT_NONE)
}

fn basis_name(b: Basis) -> &'static str {
    match b {
        Basis::General => "general",
        Basis::Special => "special",
        Basis::Column2 => "column2",
    }
}

fn duty_json(
    code: &Code,
    rates: &LineRates<'_>,
    a: &DutyArgs,
    quantity_unit: &str,
    r: &DutyResult,
) -> Value {
    let mut v = json!({
        "code": code.to_string(),
        "level": rates.line.level.name(),
        "description": rates.line.full_text,
        "rates_from": rates.from.label(),
        "units": rates.units,
        "date": r.date,
        "origin": r.origin,
        "origin_name": r.origin_name,
        "basis": basis_name(r.basis),
        "basis_reason": r.basis_reason,
        "program": r.program,
        "program_name": r.program_name,
        "rate": r.rate,
        "rate_kind": r.rate_detail.kind,
        "rate_detail": r.rate_detail,
        "rates": {
            "general": rates.duty.general,
            "special": rates.duty.special,
            "column2": rates.duty.column2,
        },
        "currency": "USD",
        "steps": r.steps,
        "notes": r.notes,
        "caveats": r.caveats,
    });
    if let Some(value) = a.value {
        v["value"] = json!(value);
    }
    if let Some(q) = a.quantity {
        v["quantity"] = json!({ "amount": q, "unit": quantity_unit });
    }
    match r.duty {
        Some(d) => v["duty"] = json!(d),
        None => {
            v["reason"] = json!(r.reason);
            if !r.needs.is_empty() {
                v["needs"] = json!(r.needs);
            }
        }
    }
    v
}

fn write_text(
    out: &mut impl Write,
    code: &Code,
    rates: &LineRates<'_>,
    a: &DutyArgs,
    quantity_unit: &str,
    r: &DutyResult,
) -> std::io::Result<()> {
    writeln!(out, "{code}  ({})", rates.line.level.name())?;
    writeln!(out, "{}", rates.line.full_text)?;
    if rates.inherited() {
        writeln!(
            out,
            "Rates of {} (the 10-digit line takes its 8-digit line's rates)",
            rates.from.label()
        )?;
    }
    writeln!(out)?;
    writeln!(out, "Origin    {}  {}", r.origin, r.origin_name)?;
    if let Some(v) = a.value {
        writeln!(out, "Value     {}", usd_f64(v))?;
    }
    if let Some(q) = a.quantity {
        writeln!(out, "Quantity  {q} {quantity_unit}")?;
    }
    let basis = match (r.basis, &r.program, &r.program_name) {
        (Basis::Special, Some(p), Some(name)) => format!("special: {p}, {name}"),
        (Basis::Special, _, _) => "special".to_string(),
        (Basis::General, _, _) => "general".to_string(),
        (Basis::Column2, _, _) => "column 2".to_string(),
    };
    writeln!(
        out,
        "Rate      {}  ({basis}; {})",
        or_dash(&r.rate),
        kind_label(&r.rate_detail)
    )?;
    writeln!(out, "Why       {}", r.basis_reason)?;
    match r.duty {
        Some(d) => {
            writeln!(out, "Duty      {}", usd(d))?;
            for s in &r.steps {
                writeln!(out, "          {s}")?;
            }
        }
        None => {
            writeln!(out, "Duty      not computed")?;
            for s in &r.steps {
                writeln!(out, "          {s}")?;
            }
            if let Some(reason) = &r.reason {
                writeln!(out, "          {reason}")?;
            }
        }
    }
    if !r.notes.is_empty() {
        writeln!(out)?;
        writeln!(out, "Notes")?;
        for n in &r.notes {
            writeln!(out, "  - {n}")?;
        }
    }
    writeln!(out)?;
    writeln!(out, "Not included, and conditions")?;
    for c in &r.caveats {
        writeln!(out, "  - {c}")?;
    }
    Ok(())
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() { "-" } else { s }
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// What `hs duty` adds to the line's own duty: chapter 99 measures, fees,
/// the total, and what was found on the way.
struct Extras {
    date: Date,
    schedule: String,
    additional: Additional,
    fees: Option<Fees>,
    total: Option<Decimal>,
    de_minimis: String,
}

/// Loads the measures table and its product lists from the data folder.
pub fn load_measures(g: &Global) -> anyhow::Result<Measures> {
    let dir = resolve_data_dir(options(g).data_dir.as_deref())?;
    Ok(Measures::load(&dir)?)
}

fn extras(
    g: &Global,
    a: &DutyArgs,
    code: &Code,
    r: &DutyResult,
    schedule: String,
) -> anyhow::Result<Extras> {
    let measures = load_measures(g)?;
    let value = match a.value {
        Some(v) => Some(tariff::money(v).ok_or(tariff::TariffError::InvalidValue(v))?),
        None => None,
    };
    let code_text = code.to_string();
    let q = Query {
        line: &code_text,
        origin: &r.origin,
        date: r.date,
        value,
        line_duty: r.duty,
        program: r.program.as_deref(),
    };
    let additional = measures.apply(&q);
    let fees = match value {
        Some(v) if !a.no_fees => Some(tariff::fees(
            v,
            r.date,
            a.transport.map(|t| match t {
                TransportArg::Sea => Transport::Sea,
                TransportArg::Air => Transport::Air,
                TransportArg::Land => Transport::Land,
                TransportArg::Mail => Transport::Mail,
            }),
            a.entry.map(|e| match e {
                EntryArg::Formal => Entry::Formal,
                EntryArg::Informal => Entry::Informal,
            }),
            r.program.as_deref(),
        )),
        _ => None,
    };
    let fee_sum = fees
        .as_ref()
        .map_or(Decimal::ZERO, |f| f.fees.iter().map(|x| x.amount).sum());
    let total = match (r.duty, additional.additional_duty) {
        (Some(d), Some(x)) => d.checked_add(x).and_then(|t| t.checked_add(fee_sum)),
        _ => None,
    };
    Ok(Extras {
        date: r.date,
        schedule,
        additional,
        fees,
        total,
        de_minimis: de_minimis(r.date),
    })
}

fn add_extras_json(v: &mut Value, x: &Extras) {
    v["date"] = json!(x.date);
    v["schedule"] = json!(x.schedule);
    v["additional"] = json!(
        x.additional
            .applied
            .iter()
            .map(|m| json!({
                "code": m.code,
                "authority": m.authority,
                "description": m.description,
                "rate": m.rate,
                "amount": m.amount,
                "source": m.source,
                "note": m.note,
            }))
            .collect::<Vec<_>>()
    );
    v["additional_duty"] = json!(x.additional.additional_duty);
    v["additional_rate"] = json!(x.additional.additional_rate);
    v["measure_notes"] = json!(x.additional.notes);
    if let Some(f) = &x.fees {
        v["fees"] = json!(f.fees);
        v["entry"] = json!(f.entry);
        v["fee_notes"] = json!(f.notes);
    } else {
        v["fees"] = json!([]);
    }
    v["total"] = json!(x.total);
    v["de_minimis"] = json!(x.de_minimis);
    let mut warnings: Vec<String> = x.additional.warnings.clone();
    if let Some(f) = &x.fees {
        warnings.extend(f.warnings.iter().cloned());
    }
    v["warnings"] = json!(warnings);
}

fn write_extras(out: &mut impl Write, x: &Extras) -> std::io::Result<()> {
    writeln!(out)?;
    writeln!(out, "Date      {}  (schedule: {})", x.date, x.schedule)?;
    writeln!(out, "Additional duties (chapter 99)")?;
    if x.additional.applied.is_empty() {
        writeln!(out, "  none")?;
    }
    for m in &x.additional.applied {
        let amount = m.amount.map_or_else(|| "-".to_string(), usd);
        writeln!(
            out,
            "  {}  {}  {}  {}  {amount}",
            m.code, m.authority, m.description, m.rate
        )?;
        writeln!(out, "      source: {}", m.source)?;
        if !m.note.is_empty() {
            writeln!(out, "      {}", m.note)?;
        }
    }
    if let Some(d) = x.additional.additional_duty {
        writeln!(out, "  Additional duty {}", usd(d))?;
    }
    for n in &x.additional.notes {
        writeln!(out, "  - {n}")?;
    }
    if let Some(f) = &x.fees {
        writeln!(out, "Fees")?;
        for fee in &f.fees {
            writeln!(out, "  {}  {}  {}", fee.name, fee.rate, usd(fee.amount))?;
            writeln!(out, "      {}", fee.note)?;
        }
        for n in &f.notes {
            writeln!(out, "  - {n}")?;
        }
    }
    if let Some(t) = x.total {
        writeln!(out, "Total     {}", usd(t))?;
    }
    writeln!(out, "De minimis  {}", x.de_minimis)?;
    let warnings = x
        .additional
        .warnings
        .iter()
        .chain(x.fees.iter().flat_map(|f| f.warnings.iter()));
    for w in warnings {
        writeln!(out, "Warning: {w}")?;
    }
    Ok(())
}
