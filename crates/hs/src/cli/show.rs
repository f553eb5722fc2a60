//! `hs show CODE`: the node, its path, children, units, duty (parsed, with
//! the Special programs spelled out), notes and controlled-goods flags; a
//! code HS 2022 deleted is explained with its closest HS 2022 codes;
//! `--all-schedules` shows the national lines side by side and
//! `--schedule eu` the EU CN lines instead of the US ones (see `show_eu`).

use std::io::Write;

use serde_json::{Value, json};

use crate::cn::CnSchedule;
use crate::code::{Code, parse_section};
use crate::editions::{DeletedCode, Editions};
use crate::engine::{Engine, Lookup, load_dataset, load_dataset_scoped, lookup};
use crate::flags::{DISCLAIMER, ranges_by_category};
use crate::load::Dataset;
use crate::load::Scope;
use crate::schedules::{EU_CN, US_HTS};
use crate::successors::{Successor, successors};
use crate::tariff::{self, Date, ParsedRates, kind_label, node_rates};
use crate::tree::{DutyText, Level, Node, NodeId};

use super::args::{Global, ScheduleArg, ShowArgs};
use super::editions_cmd::dotted;
use super::output::{
    code_flags, flag_json, flag_table, flags_under, notices, options, safe_stderr, stdout,
    text_stdout, wrap,
};
use super::{EXIT_NONE, EXIT_OK, Failure};

/// How many HS 2022 codes are suggested for a deleted code.
const SUCCESSORS: usize = 5;

pub fn run(g: &Global, a: &ShowArgs) -> anyhow::Result<i32> {
    let input = a.code.join(" ");
    // Parse before loading anything: a malformed code is a usage error.
    let target = match parse_section(&input) {
        Some(n) if !Code::looks_like_code(&input) => Target::Section(n),
        _ => Target::Code(Code::parse(&input).map_err(|e| Failure::usage(e.to_string()))?),
    };
    if a.all_schedules && matches!(target, Target::Section(_)) {
        return Err(Failure::usage(format!(
            "--all-schedules needs a heading, subheading or national code, not section {input}"
        )));
    }
    flag_table()?;
    if a.all_schedules
        && let Target::Code(code) = target
    {
        return all_schedules(g, a, code);
    }
    if a.schedule == ScheduleArg::Eu {
        return super::show_eu::run(g, a, target);
    }
    // A code needs only its own chapter's US lines; an unknown code (its
    // nearest codes, HS 2017, successors) needs everything.
    let scope = match &target {
        Target::Code(code) => Scope::Chapter(code.chapter()),
        Target::Section(_) => Scope::All,
    };
    let mut ds = load_dataset_scoped(&options(g), scope)?;
    let id = match target {
        Target::Section(n) => match ds.tree.section(n) {
            Some(s) => s.id,
            None => return Err(Failure::usage(format!("there is no section {input}"))),
        },
        Target::Code(code) => {
            let mut found = lookup(&ds, &code);
            if matches!(found, Lookup::Unknown { .. }) && scope != Scope::All {
                ds = load_dataset(&options(g))?;
                found = lookup(&ds, &code);
            }
            match found {
                Lookup::Found(id) => id,
                Lookup::Unknown { code, nearest } => {
                    return unknown(g, ds, &code, &nearest, a.json);
                }
            }
        }
    };
    let mut out = text_stdout(a.json);
    if a.json {
        serde_json::to_writer_pretty(&mut out, &node_json(&ds, id, a.notes))?;
        writeln!(out)?;
    } else {
        write_text(&mut out, &ds, id, a.notes)?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// `--all-schedules`: the code's subheadings with their US and EU lines.
/// The code is looked up in the US schedule (only its chapter is loaded),
/// and an 8-digit code the US does not have in the EU CN (`--schedule eu`
/// reads an 8-digit code as a CN line first). A code in neither is
/// explained as `hs show` explains it (deleted in HS 2022, or the nearest
/// codes), from the full schedule.
fn all_schedules(g: &Global, a: &ShowArgs, code: Code) -> anyhow::Result<i32> {
    let ds = load_dataset_scoped(&options(g), Scope::Chapter(code.chapter()))?;
    let cn = CnSchedule::load(&ds.dir, &ds.tree)?;
    let in_cn = code.len() == 8 && cn.get(&code).is_some();
    if in_cn && a.schedule == ScheduleArg::Eu {
        return super::schedules_view::run(&ds, &cn, &code, EU_CN, a.json);
    }
    if let Lookup::Found(id) = lookup(&ds, &code) {
        let asked = ds.tree.node(id).code.clone().unwrap_or(code);
        return super::schedules_view::run(&ds, &cn, &asked, US_HTS, a.json);
    }
    if in_cn {
        return super::schedules_view::run(&ds, &cn, &code, EU_CN, a.json);
    }
    let ds = load_dataset(&options(g))?;
    match lookup(&ds, &code) {
        Lookup::Found(id) => {
            let asked = ds.tree.node(id).code.clone().unwrap_or(code);
            super::schedules_view::run(&ds, &cn, &asked, US_HTS, a.json)
        }
        Lookup::Unknown { code, nearest } => unknown(g, ds, &code, &nearest, a.json),
    }
}

pub(super) enum Target {
    Section(u8),
    Code(Code),
}

/// An unknown code: explained as deleted by HS 2022 when HS 2017 had it,
/// else the nearest existing codes. Exit 1 either way.
pub(super) fn unknown(
    g: &Global,
    ds: Dataset,
    code: &Code,
    nearest: &[NodeId],
    json: bool,
) -> anyhow::Result<i32> {
    let editions = Editions::for_dataset(&ds);
    match editions.deleted(code.digits()) {
        Ok(Some(deleted)) => return deleted_code(g, ds, &editions, code, &deleted, json),
        Ok(None) => {}
        // A damaged HS 2017 file is a data error, never "unknown code".
        Err(e) => return Err(e.into()),
    }
    not_found(&ds, code, nearest, json)
}

/// A code HS 2022 deleted: its HS 2017 text and the closest HS 2022 codes
/// (text similarity merged with the engine's search). Exit 1.
fn deleted_code(
    g: &Global,
    ds: Dataset,
    editions: &Editions,
    code: &Code,
    deleted: &DeletedCode,
    json: bool,
) -> anyhow::Result<i32> {
    let new = editions.hs2022()?;
    let (engine, events) = Engine::with_dataset(ds, &options(g))?;
    notices(g.quiet, &events);
    let found: Vec<Successor> = successors(&engine, new, deleted, SUCCESSORS)?;
    let old_code = dotted(&deleted.code);
    let mut out = stdout();
    if json {
        let suggestions: Vec<Value> = found
            .iter()
            .map(|s| {
                let node = Code::parse(&s.code)
                    .ok()
                    .and_then(|c| engine.data.tree.get(&c).map(|n| n.id));
                let mut v = match node {
                    Some(id) => brief(&engine.data, id),
                    None => json!({"code": dotted(&s.code), "label": dotted(&s.code)}),
                };
                v["description"] = json!(s.description);
                v["score"] = json!(round3(s.score));
                v["text_score"] = json!(round3(s.text_score));
                v["search_score"] = json!(round3(s.search_score));
                v
            })
            .collect();
        let v = json!({
            "code": code.to_string(),
            "error": "deleted in HS 2022",
            "status": crate::editions::DELETED_2022,
            "hs2017": {"code": old_code, "description": deleted.description},
            "did_you_mean": suggestions,
        });
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
    }
    out.flush()?;
    let mut err = safe_stderr();
    let whose = if old_code == code.to_string() {
        String::new()
    } else {
        format!(" (its HS subheading {old_code})")
    };
    writeln!(
        err,
        "hs: {code}{whose} was deleted in HS 2022; HS 2017 text: {}",
        clip(&deleted.description, 160)
    )?;
    if !found.is_empty() {
        writeln!(err, "closest HS 2022 codes:")?;
        for s in &found {
            writeln!(
                err,
                "  {:<10} {:>3.0}%  {}",
                dotted(&s.code),
                s.score * 100.0,
                clip(&s.description, 100)
            )?;
        }
    }
    Ok(EXIT_NONE)
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn not_found(ds: &Dataset, code: &Code, nearest: &[NodeId], json: bool) -> anyhow::Result<i32> {
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
    let mut err = safe_stderr();
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
pub fn brief(ds: &Dataset, id: NodeId) -> Value {
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
    let duty = node_rates(&ds.tree, id, Date::today()).map(|r| {
        let d = r.duty;
        let mut v = json!({
            "general": d.general,
            "special": d.special,
            "column2": d.column2,
            "from": r.from.label(),
        });
        if let Some(p) = r.parsed {
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
        "footnotes": n.footnotes,
        "schedule_name": ds.schedule.name(),
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
    let (flags, under) = match &n.code {
        Some(c) => (code_flags(c), flags_under(c)),
        None => (Vec::new(), Vec::new()),
    };
    v["flags"] = json!(flags.into_iter().map(flag_json).collect::<Vec<_>>());
    v["flags_within"] = json!(under.into_iter().map(flag_json).collect::<Vec<_>>());
    v["flags_disclaimer"] = json!(DISCLAIMER);
    v
}

/// The flags section of the text view: the code's own flags, then what is
/// flagged only under it, then the disclaimer; nothing when neither.
pub fn write_flags(out: &mut impl Write, code: Option<&Code>) -> std::io::Result<()> {
    let Some(code) = code else {
        return Ok(());
    };
    let (flags, under) = (code_flags(code), flags_under(code));
    if flags.is_empty() && under.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "Flags (advice to check, not a legal verdict)")?;
    for f in &flags {
        writeln!(out, "  {:<16} {}", f.category, f.reason)?;
        writeln!(out, "  {:<16} range {}; source: {}", "", f.range, f.source)?;
    }
    if !under.is_empty() {
        writeln!(out, "  Some codes under {code} are flagged:")?;
        for (c, ranges) in ranges_by_category(&under) {
            writeln!(out, "  {:<16} {}", c, clip(&ranges.join(", "), 100))?;
        }
    }
    write!(out, "{}", wrap(DISCLAIMER, 86, "  "))?;
    Ok(())
}

pub fn clip(s: &str, max: usize) -> String {
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
    write_flags(out, n.code.as_ref())?;
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
    if let Some(r) = node_rates(&ds.tree, id, Date::today()) {
        writeln!(out)?;
        let note = if r.from.id == id {
            String::new()
        } else {
            format!("  (rates of {})", r.from.label())
        };
        writeln!(out, "Duty{note}")?;
        write_duty(out, r.duty, r.parsed.as_ref())?;
        writeln!(out, "  Schedule  {}", ds.schedule.name())?;
    }
    if !n.footnotes.is_empty() {
        writeln!(out)?;
        writeln!(out, "Footnotes")?;
        for f in &n.footnotes {
            let columns = if f.columns.is_empty() {
                String::new()
            } else {
                format!("  ({})", f.columns)
            };
            writeln!(out, "  {}{columns}", f.text)?;
        }
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
fn write_duty(
    out: &mut impl Write,
    d: &DutyText,
    parsed: Option<&ParsedRates>,
) -> std::io::Result<()> {
    let Some(p) = parsed else {
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
        let rate = group.rate_shown();
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
