//! `hs show CODE`: the node, its path, children, units, duty (parsed, with
//! the Special programs spelled out), notes and controlled-goods flags; a
//! code HS 2022 deleted is explained with its closest HS 2022 codes;
//! `--all-schedules` shows the national lines side by side and
//! `--schedule eu` the EU CN lines instead of the US ones (see `show_eu`).

use std::io::Write;

use crate::cn::CnSchedule;
use crate::code::{Code, parse_section};
use crate::editions::{DeletedCode, Editions};
use crate::engine::{Engine, Lookup, load_dataset, load_dataset_scoped, lookup};
use crate::flags::{DISCLAIMER, ranges_by_category};
use crate::load::Dataset;
use crate::load::Scope;
use crate::schedules::{EU_CN, US_HTS};
use crate::successors::{Successor, successors};
use crate::tariff::{self, Date, kind_label};
use crate::tree::NodeId;
use crate::view::node::{DeletedView, NodeDuty, NodeView, UnknownCode};

use super::args::{Global, ScheduleArg, ShowArgs};
use super::output::{
    code_flags, flag_table, flags_under, notices, options, safe_stderr, stdout, text_stdout, wrap,
};
use super::{EXIT_NONE, EXIT_OK, Failure};
use crate::view::node::dotted;

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
        Target::Section(n) => match ds.tree.section_any(n) {
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
    let view = NodeView::new(&ds, id, a.notes, Date::today());
    let mut out = text_stdout(a.json);
    if a.json {
        serde_json::to_writer_pretty(&mut out, &view)?;
        writeln!(out)?;
    } else {
        write_text(&mut out, &view)?;
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
        let v = DeletedView::new(&engine.data, code, deleted, &found);
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

fn not_found(ds: &Dataset, code: &Code, nearest: &[NodeId], json: bool) -> anyhow::Result<i32> {
    let mut out = stdout();
    if json {
        serde_json::to_writer_pretty(&mut out, &UnknownCode::new(ds, code, nearest))?;
        writeln!(out)?;
    }
    out.flush()?;
    let mut err = safe_stderr();
    writeln!(err, "hs: {code} is not in HS 2022 or the US schedule")?;
    if let Some(note) = special_chapter_note(ds, code) {
        writeln!(err, "{note}")?;
    }
    if !nearest.is_empty() {
        writeln!(err, "did you mean:")?;
        for &n in nearest {
            let node = ds.tree.node(n);
            writeln!(err, "  {:<14} {}", node.label(), clip(&node.full_text, 100))?;
        }
    }
    Ok(EXIT_NONE)
}

/// Chapters 98 and 99 have no headings or subheadings of their own (their
/// lines are numbered from 9801.00.10 on): for a shorter code of theirs,
/// how many lines start with it and where to see them.
fn special_chapter_note(ds: &Dataset, code: &Code) -> Option<String> {
    if !crate::tree::is_special_chapter(code.chapter()) || code.len() >= 8 {
        return None;
    }
    let lines: Vec<&Code> = ds
        .tree
        .nodes()
        .filter_map(|n| n.code.as_ref())
        .filter(|c| c.len() == 8 && c.digits().starts_with(code.digits()))
        .collect();
    let chapter = code.chapter();
    let listed = format!("`hs show {chapter}` lists the chapter's lines");
    Some(match (lines.first(), lines.last()) {
        (Some(first), Some(last)) => format!(
            "hs: chapter {chapter} of the US schedule has no 4- or 6-digit codes: its lines have 8 digits; {} start with {code} ({first} to {last}); {listed}",
            lines.len()
        ),
        _ => format!(
            "hs: chapter {chapter} of the US schedule has no 4- or 6-digit codes: its lines have 8 digits; none starts with {code}; {listed}"
        ),
    })
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

/// The text view: renders the node's view.
fn write_text(out: &mut impl Write, v: &NodeView) -> std::io::Result<()> {
    writeln!(out, "{}  ({})", v.label, v.level)?;
    writeln!(out, "{}", v.description)?;
    let code = v.code.as_deref().and_then(|c| Code::parse(c).ok());
    write_flags(out, code.as_ref())?;
    writeln!(out)?;
    writeln!(out, "Path")?;
    for (depth, p) in v.path.iter().enumerate() {
        let label = if p.label.is_empty() { "·" } else { &p.label };
        writeln!(
            out,
            "  {}{:<14} {}",
            "  ".repeat(depth.min(8)),
            label,
            clip(&p.text, 90)
        )?;
    }
    if !v.children.is_empty() {
        writeln!(out)?;
        writeln!(out, "Children ({})", v.children.len())?;
        for c in v.children.iter().take(60) {
            let label = if c.brief.label.is_empty() {
                "·"
            } else {
                &c.brief.label
            };
            let rate = c
                .general
                .as_ref()
                .map(|g| format!("  [{g}]"))
                .unwrap_or_default();
            writeln!(out, "  {:<14} {}{}", label, clip(&c.brief.text, 80), rate)?;
        }
        if v.children.len() > 60 {
            writeln!(out, "  … {} more", v.children.len() - 60)?;
        }
    }
    if !v.units.is_empty() {
        writeln!(out)?;
        writeln!(out, "Units     {}", v.units.join(", "))?;
    }
    if let Some(d) = &v.duty {
        writeln!(out)?;
        let note = if d.own {
            String::new()
        } else {
            format!("  (rates of {})", d.from)
        };
        writeln!(out, "Duty{note}")?;
        write_duty(out, d)?;
        writeln!(out, "  Schedule  {}", v.schedule_name)?;
    }
    if !v.footnotes.is_empty() {
        writeln!(out)?;
        writeln!(out, "Footnotes")?;
        for f in &v.footnotes {
            let columns = if f.columns.is_empty() {
                String::new()
            } else {
                format!("  ({})", f.columns)
            };
            writeln!(out, "  {}{columns}", f.text)?;
        }
    }
    writeln!(out)?;
    let n = &v.notes;
    match (&n.section_text, &n.chapter_text) {
        (Some(section), Some(chapter)) => {
            if let Some(t) = section {
                writeln!(out, "Section {} notes", v.section)?;
                writeln!(out, "{t}")?;
                writeln!(out)?;
            }
            if let (Some(c), Some(t)) = (n.chapter, chapter) {
                writeln!(out, "Chapter {c} notes")?;
                writeln!(out, "{t}")?;
            }
        }
        _ => {
            let mut have = Vec::new();
            if n.section_has_notes && n.section > 0 {
                have.push(format!("section {}", v.section));
            }
            if let Some(c) = n.chapter
                && n.chapter_has_notes
            {
                have.push(format!("chapter {c}"));
            }
            if !have.is_empty() {
                let arg = if v.label.is_empty() {
                    String::new()
                } else {
                    format!(" {}", v.label)
                };
                writeln!(out, "Notes: {} (hs show{arg} --notes)", have.join(" and "))?;
            }
        }
    }
    Ok(())
}

/// The three cells, each with its parsed form; each Special group with its
/// programs spelled out (indicator, name, in force or not).
fn write_duty(out: &mut impl Write, d: &NodeDuty) -> std::io::Result<()> {
    let Some(p) = &d.parsed else {
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
