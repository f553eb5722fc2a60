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

use crate::engine::load_dataset;
use crate::load::resolve_data_dir;
use crate::tariff::{
    Basis, Entry, Measures, Needed, Transport, is_tariff_line, kind_label, usd, usd_f64,
};
use crate::view::{DutyError, DutyQuery, DutyView};

use super::args::{DutyArgs, EntryArg, Global, TransportArg};
use super::output::{options, text_stdout};
use super::{EXIT_ERROR, EXIT_NONE, EXIT_OK, Failure};

pub fn run(g: &Global, a: &DutyArgs) -> anyhow::Result<i32> {
    // Everything that can be checked without the data is checked first.
    let mut q = DutyQuery::parse(&a.code.join(" "), &a.origin, a.date.as_deref()).map_err(|e| {
        Failure::usage(match e {
            DutyError::Origin(_) => format!("--origin: {e}"),
            DutyError::Date(_) => format!("--date: {e}"),
            _ => e.to_string(),
        })
    })?;
    q.value = a.value;
    q.quantity = a.quantity;
    q.unit = a.unit.clone();
    q.transport = a.transport.map(transport);
    q.entry = a.entry.map(|e| match e {
        EntryArg::Formal => Entry::Formal,
        EntryArg::Informal => Entry::Informal,
    });
    q.no_fees = a.no_fees;
    let ds = load_dataset(&options(g))?;
    let measures = load_measures(g)?;
    let view = DutyView::new(&ds, &measures, &q).map_err(|e| match &e {
        DutyError::Unknown { nearest, .. } => {
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
            Failure::usage(format!("{e}{hint}"))
        }
        _ => Failure::usage(e.to_string()),
    })?;

    let mut out = text_stdout(a.json);
    if a.json {
        // Through a JSON value, so the keys come out sorted at every depth
        // as they always have.
        serde_json::to_writer_pretty(&mut out, &serde_json::to_value(&view)?)?;
        writeln!(out)?;
    } else {
        write_text(&mut out, &view)?;
    }
    out.flush()?;

    if view.duty.is_some() {
        return Ok(EXIT_OK);
    }
    let asked = a.value.is_some() || a.quantity.is_some();
    if !asked {
        // A rate look-up: the rate is the answer.
        return Ok(EXIT_OK);
    }
    let code = &view.code;
    let reason = view.reason_text().unwrap_or_default();
    if !view.needs.is_empty() {
        let flags: Vec<&str> = view
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

/// `--transport` as the core's [`Transport`].
pub fn transport(t: TransportArg) -> Transport {
    match t {
        TransportArg::Sea => Transport::Sea,
        TransportArg::Air => Transport::Air,
        TransportArg::Land => Transport::Land,
        TransportArg::Mail => Transport::Mail,
    }
}

/// The plain output: renders the view.
fn write_text(out: &mut impl Write, v: &DutyView) -> std::io::Result<()> {
    writeln!(out, "{}  ({})", v.code, v.level)?;
    writeln!(out, "{}", v.description)?;
    if v.inherited {
        writeln!(
            out,
            "Rates of {} (the 10-digit line takes its 8-digit line's rates)",
            v.rates_from
        )?;
    }
    writeln!(out)?;
    writeln!(out, "Origin    {}  {}", v.origin, v.origin_name)?;
    if let Some(value) = v.value {
        writeln!(out, "Value     {}", usd_f64(value))?;
    }
    if let Some(q) = &v.quantity {
        writeln!(out, "Quantity  {} {}", q.amount, q.unit)?;
    }
    writeln!(
        out,
        "Rate      {}  ({}; {})",
        or_dash(&v.rate),
        basis_label(v),
        kind_label(&v.rate_detail)
    )?;
    writeln!(out, "Why       {}", v.basis_reason)?;
    match v.duty {
        Some(d) => {
            writeln!(out, "Duty      {}", usd(d))?;
            for s in &v.steps {
                writeln!(out, "          {s}")?;
            }
        }
        None => {
            writeln!(out, "Duty      not computed")?;
            for s in &v.steps {
                writeln!(out, "          {s}")?;
            }
            if let Some(reason) = v.reason_text() {
                writeln!(out, "          {reason}")?;
            }
        }
    }
    if !v.notes.is_empty() {
        writeln!(out)?;
        writeln!(out, "Notes")?;
        for n in &v.notes {
            writeln!(out, "  - {n}")?;
        }
    }
    writeln!(out)?;
    writeln!(out, "Not included, and conditions")?;
    for c in &v.caveats {
        writeln!(out, "  - {c}")?;
    }
    write_extras(out, v)
}

/// `special: AU, United States-Australia Free Trade Agreement`, `general`,
/// `column 2`.
pub fn basis_label(v: &DutyView) -> String {
    match (v.basis, &v.program, &v.program_name) {
        (Basis::Special, Some(p), Some(name)) => format!("special: {p}, {name}"),
        (Basis::Special, _, _) => "special".to_string(),
        (Basis::General, _, _) => "general".to_string(),
        (Basis::Column2, _, _) => "column 2".to_string(),
    }
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

/// Loads the measures table and its product lists from the data folder.
pub fn load_measures(g: &Global) -> anyhow::Result<Measures> {
    let dir = resolve_data_dir(options(g).data_dir.as_deref())?;
    Ok(Measures::load(&dir)?)
}

/// The chapter 99 measures, the fees, the total and what was found on the
/// way.
fn write_extras(out: &mut impl Write, v: &DutyView) -> std::io::Result<()> {
    writeln!(out)?;
    writeln!(out, "Date      {}  (schedule: {})", v.date, v.schedule)?;
    writeln!(out, "Additional duties (chapter 99)")?;
    if v.additional.is_empty() {
        writeln!(out, "  none")?;
    }
    for m in &v.additional {
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
    if let Some(d) = v.additional_duty {
        writeln!(out, "  Additional duty {}", usd(d))?;
    }
    for n in &v.measure_notes {
        writeln!(out, "  - {n}")?;
    }
    if let Some(notes) = &v.fee_notes {
        writeln!(out, "Fees")?;
        for fee in &v.fees {
            writeln!(out, "  {}  {}  {}", fee.name, fee.rate, usd(fee.amount))?;
            writeln!(out, "      {}", fee.note)?;
        }
        for n in notes {
            writeln!(out, "  - {n}")?;
        }
    }
    if let Some(t) = v.total {
        writeln!(out, "Total     {}", usd(t))?;
    }
    writeln!(out, "De minimis  {}", v.de_minimis)?;
    for w in &v.warnings {
        writeln!(out, "Warning: {w}")?;
    }
    Ok(())
}
