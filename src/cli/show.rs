//! `hs show CODE`: the node, its path, children, units, duty (parsed, with
//! the Special programs spelled out) and notes. `--schedule eu` shows the
//! EU CN lines instead of the US ones (see `show_eu`).

use std::io::Write;

use serde_json::{Value, json};

use crate::code::{Code, parse_section};
use crate::engine::{Lookup, load_dataset, lookup};
use crate::load::Dataset;
use crate::tariff::{self, Date, ParsedRates, kind_label};
use crate::tree::{DutyText, Level, Node, NodeId};

use super::args::{Global, ScheduleArg, ShowArgs};
use super::output::{options, stdout};
use super::{EXIT_NONE, EXIT_OK, Failure};

pub fn run(g: &Global, a: &ShowArgs) -> anyhow::Result<i32> {
    let input = a.code.join(" ");
    // Parse before loading anything: a malformed code is a usage error.
    let target = match parse_section(&input) {
        Some(n) if !Code::looks_like_code(&input) => Target::Section(n),
        _ => Target::Code(Code::parse(&input).map_err(|e| Failure::usage(e.to_string()))?),
    };
    if a.schedule == ScheduleArg::Eu {
        return super::show_eu::run(g, a, target);
    }
    let ds = load_dataset(&options(g))?;
    let id = match target {
        Target::Section(n) => match ds.tree.section(n) {
            Some(s) => s.id,
            None => return Err(Failure::usage(format!("there is no section {input}"))),
        },
        Target::Code(code) => match lookup(&ds, &code) {
            Lookup::Found(id) => id,
            Lookup::Unknown { code, nearest } => return unknown(&ds, &code, &nearest, a.json),
        },
    };
    let mut out = stdout();
    if a.json {
        serde_json::to_writer_pretty(&mut out, &node_json(&ds, id, a.notes))?;
        writeln!(out)?;
    } else {
        write_text(&mut out, &ds, id, a.notes)?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}

pub(super) enum Target {
    Section(u8),
    Code(Code),
}

pub(super) fn unknown(
    ds: &Dataset,
    code: &Code,
    nearest: &[NodeId],
    json: bool,
) -> anyhow::Result<i32> {
    let mut out = stdout();
    if json {
        let v = json!({
            "code": code.to_string(),
            "error": "unknown code",
            "did_you_mean": nearest.iter().map(|&n| brief(ds, n)).collect::<Vec<_>>(),
        });
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
    }
    out.flush()?;
    let mut err = std::io::stderr().lock();
    writeln!(err, "hs: {code} is not in HS 2022 or the US schedule")?;
    if !nearest.is_empty() {
        writeln!(err, "did you mean:")?;
        for &n in nearest {
            let node = ds.tree.node(n);
            writeln!(err, "  {:<14} {}", node.label(), clip(&node.full_text, 100))?;
        }
    }
    Ok(EXIT_NONE)
}

/// A node in brief: code, level, text.
pub(super) fn brief(ds: &Dataset, id: NodeId) -> Value {
    let n = ds.tree.node(id);
    json!({
        "code": n.code.as_ref().map(|c| c.to_string()),
        "label": n.label(),
        "level": n.level.name(),
        "text": n.text,
    })
}

pub fn node_json(ds: &Dataset, id: NodeId, with_notes: bool) -> Value {
    let tree = &ds.tree;
    let n = tree.node(id);
    let path: Vec<Value> = tree.path(id).iter().map(|p| brief(ds, p.id)).collect();
    let children: Vec<Value> = tree
        .children(id)
        .map(|c| {
            let mut v = brief(ds, c.id);
            if !c.duty.general.is_empty() {
                v["general"] = json!(c.duty.general);
            }
            v
        })
        .collect();
    let duty = ds.tree.effective_duty(id).map(|(from, d)| {
        let mut v = json!({
            "general": d.general,
            "special": d.special,
            "column2": d.column2,
            "from": from.label(),
        });
        if let Some(p) = parsed(d) {
            v["parsed"] = json!(p);
        }
        v
    });
    let chapter = tree
        .ancestor_at(id, Level::Chapter)
        .and_then(|c| c.code.as_ref())
        .map(Code::chapter);
    let mut v = json!({
        "code": n.code.as_ref().map(|c| c.to_string()),
        "label": n.label(),
        "level": n.level.name(),
        "section": crate::code::roman(n.section),
        "text": n.text,
        "description": n.full_text,
        "path": path,
        "children": children,
        "units": n.units,
        "duty": duty,
        "notes": {
            "section": n.section,
            "chapter": chapter,
            "section_has_notes": ds.notes.section(n.section).is_some(),
            "chapter_has_notes": chapter.and_then(|c| ds.notes.chapter(c)).is_some(),
        },
    });
    if with_notes {
        v["notes"]["section_text"] = json!(ds.notes.section(n.section));
        v["notes"]["chapter_text"] = json!(chapter.and_then(|c| ds.notes.chapter(c)));
    }
    v
}

/// The three cells parsed as of today; None only if the built-in program
/// table were malformed (a test guards it).
fn parsed(d: &DutyText) -> Option<ParsedRates> {
    tariff::parsed_rates(d, Date::today()).ok()
}

pub(super) fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

fn write_text(
    out: &mut impl Write,
    ds: &Dataset,
    id: NodeId,
    with_notes: bool,
) -> std::io::Result<()> {
    let tree = &ds.tree;
    let n = tree.node(id);
    writeln!(out, "{}  ({})", n.label(), n.level.name())?;
    writeln!(out, "{}", n.full_text)?;
    writeln!(out)?;
    writeln!(out, "Path")?;
    for (depth, p) in tree.path(id).iter().enumerate() {
        let label = if p.label().is_empty() {
            "·".to_string()
        } else {
            p.label()
        };
        writeln!(
            out,
            "  {}{:<14} {}",
            "  ".repeat(depth.min(8)),
            label,
            clip(&p.text, 90)
        )?;
    }
    let children: Vec<&Node> = tree.children(id).collect();
    if !children.is_empty() {
        writeln!(out)?;
        writeln!(out, "Children ({})", children.len())?;
        for c in children.iter().take(60) {
            let label = if c.label().is_empty() {
                "·".to_string()
            } else {
                c.label()
            };
            let rate = if c.duty.general.is_empty() {
                String::new()
            } else {
                format!("  [{}]", c.duty.general)
            };
            writeln!(out, "  {:<14} {}{}", label, clip(&c.text, 80), rate)?;
        }
        if children.len() > 60 {
            writeln!(out, "  … {} more", children.len() - 60)?;
        }
    }
    if !n.units.is_empty() {
        writeln!(out)?;
        writeln!(out, "Units     {}", n.units.join(", "))?;
    }
    if let Some((from, d)) = ds.tree.effective_duty(id) {
        writeln!(out)?;
        let note = if from.id == id {
            String::new()
        } else {
            format!("  (rates of {})", from.label())
        };
        writeln!(out, "Duty{note}")?;
        write_duty(out, d)?;
    }
    let chapter = tree
        .ancestor_at(id, Level::Chapter)
        .and_then(|c| c.code.as_ref())
        .map(Code::chapter);
    writeln!(out)?;
    if with_notes {
        if let Some(t) = ds.notes.section(n.section) {
            writeln!(out, "Section {} notes", crate::code::roman(n.section))?;
            writeln!(out, "{t}")?;
            writeln!(out)?;
        }
        if let Some(c) = chapter
            && let Some(t) = ds.notes.chapter(c)
        {
            writeln!(out, "Chapter {c} notes")?;
            writeln!(out, "{t}")?;
        }
    } else {
        let mut have = Vec::new();
        if ds.notes.section(n.section).is_some() && n.section > 0 {
            have.push(format!("section {}", crate::code::roman(n.section)));
        }
        if let Some(c) = chapter
            && ds.notes.chapter(c).is_some()
        {
            have.push(format!("chapter {c}"));
        }
        if !have.is_empty() {
            let arg = if n.label().is_empty() {
                String::new()
            } else {
                format!(" {}", n.label())
            };
            writeln!(out, "Notes: {} (hs show{arg} --notes)", have.join(" and "))?;
        }
    }
    Ok(())
}

/// The three cells, each with its parsed form; each Special group with its
/// programs spelled out (indicator, name, in force or not).
fn write_duty(out: &mut impl Write, d: &DutyText) -> std::io::Result<()> {
    let Some(p) = parsed(d) else {
        writeln!(out, "  General   {}", or_dash(&d.general))?;
        writeln!(out, "  Special   {}", or_dash(&d.special))?;
        writeln!(out, "  Column 2  {}", or_dash(&d.column2))?;
        return Ok(());
    };
    let kind = |r: &tariff::Rate| {
        if r.text.trim().is_empty() {
            String::new()
        } else {
            format!("  [{}]", kind_label(r))
        }
    };
    writeln!(
        out,
        "  General   {}{}",
        or_dash(&d.general),
        kind(&p.general)
    )?;
    writeln!(out, "  Special   {}", or_dash(&d.special))?;
    for group in &p.special {
        let rate = if group.rate.is_empty() {
            "-"
        } else {
            group.rate.as_str()
        };
        if group.programs.is_empty() {
            writeln!(out, "            {rate}  (no program named)")?;
            continue;
        }
        writeln!(out, "            {rate} for:")?;
        for prog in &group.programs {
            writeln!(
                out,
                "              {:<4} {}  ({})",
                prog.indicator,
                prog.name.as_deref().unwrap_or("unknown indicator"),
                prog.status
            )?;
        }
    }
    writeln!(
        out,
        "  Column 2  {}{}",
        or_dash(&d.column2),
        kind(&p.column2)
    )?;
    let column2: Vec<String> = tariff::column2_countries()
        .map(|v| v.iter().map(|c| c.name.clone()).collect())
        .unwrap_or_default();
    writeln!(
        out,
        "  (Column 2 applies to goods of {}; `hs duty CODE --origin CC` picks the rate for an origin)",
        column2.join(", ")
    )?;
    Ok(())
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() { "-" } else { s }
}
