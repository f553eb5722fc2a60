//! `hs show CODE --schedule eu`: the HS levels as usual, with the EU
//! Combined Nomenclature's 8-digit lines (and supplementary units) in place
//! of the US lines; an 8-digit code is read as a CN line. Renders the core's
//! views (`view::eu`).

use std::io::Write;

use crate::cn::{CN_EDITION, CN_NO_RATES, CnSchedule};
use crate::code::Code;
use crate::engine::{Lookup, load_dataset, lookup};
use crate::view::eu::EuItem;
use crate::view::node::Brief;
use crate::view::{CnLineBrief, EuLineView, EuNodeView, EuUnknown};

use super::args::{Global, ShowArgs};
use super::output::{options, safe_stderr, text_stdout};
use super::show::{Target, clip, unknown};
use super::{EXIT_NONE, EXIT_OK, Failure};

/// Most CN lines listed in text output.
const MAX_LINES: usize = 80;

/// Nearest lines offered for an unknown CN code.
const NEAREST: usize = 8;

pub(super) fn run(g: &Global, a: &ShowArgs, target: Target) -> anyhow::Result<i32> {
    if let Target::Code(code) = &target
        && code.len() == 10
    {
        return Err(Failure::usage(format!(
            "{code} has 10 digits: CN lines have 8. Give its first 8 digits ({}) or drop --schedule eu for the US statistical line",
            code.prefix(8).map(|c| c.to_string()).unwrap_or_default()
        )));
    }
    if let Target::Code(code) = &target
        && crate::tree::is_special_chapter(code.chapter())
    {
        return Err(Failure::usage(format!(
            "{code} is in chapter {:02}, a chapter of the US schedule only (Section XXII): the EU CN has no such chapter; drop --schedule eu to show it",
            code.chapter()
        )));
    }
    super::output::flag_table()?;
    let ds = load_dataset(&options(g))?;
    let cn = CnSchedule::load(&ds.dir, &ds.tree)?;
    let mut out = text_stdout(a.json);
    let id = match target {
        Target::Section(n) => match ds.tree.section(n) {
            Some(s) => s.id,
            None if n == 22 => {
                return Err(Failure::usage(
                    "Section XXII (chapters 98 and 99) is the US schedule's own: the EU CN has no such section; drop --schedule eu to show it",
                ));
            }
            None => return Err(Failure::usage(format!("there is no section {n}"))),
        },
        Target::Code(code) if code.len() == 8 => {
            let Some(line) = cn.get(&code) else {
                return unknown_line(&cn, &code, a.json);
            };
            let view = EuLineView::new(&ds, line, a.notes);
            if a.json {
                serde_json::to_writer_pretty(&mut out, &view)?;
                writeln!(out)?;
            } else {
                write_line(&mut out, &view)?;
                // Flags as `hs show` gives them: never lost in this view.
                super::show::write_flags(&mut out, Some(&line.code))?;
            }
            out.flush()?;
            return Ok(EXIT_OK);
        }
        Target::Code(code) => match lookup(&ds, &code) {
            Lookup::Found(id) => id,
            Lookup::Unknown { code, nearest } => return unknown(g, ds, &code, &nearest, a.json),
        },
    };
    let view = EuNodeView::new(&ds, &cn, id, a.notes);
    if a.json {
        serde_json::to_writer_pretty(&mut out, &view)?;
        writeln!(out)?;
    } else {
        write_node(&mut out, &view)?;
        super::show::write_flags(&mut out, ds.tree.node(id).code.as_ref())?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}

fn write_path(out: &mut impl Write, nodes: &[&Brief]) -> std::io::Result<usize> {
    writeln!(out, "Path")?;
    for (depth, p) in nodes.iter().enumerate() {
        writeln!(
            out,
            "  {}{:<14} {}",
            "  ".repeat(depth.min(8)),
            p.label,
            clip(&p.text, 90)
        )?;
    }
    Ok(nodes.len())
}

fn unit_text(line: &CnLineBrief) -> String {
    line.supplementary_unit_label
        .as_ref()
        .map(|u| format!("  [{u}]"))
        .unwrap_or_default()
}

fn write_node(out: &mut impl Write, v: &EuNodeView) -> std::io::Result<()> {
    writeln!(out, "{}  ({}, {CN_EDITION})", v.label, v.level)?;
    writeln!(out, "{}", v.description)?;
    writeln!(out)?;
    write_path(out, &v.path.iter().collect::<Vec<_>>())?;
    writeln!(out)?;
    match v.level {
        "subheading" => {
            let lines: Vec<&CnLineBrief> = v
                .children
                .iter()
                .filter_map(|c| match c {
                    EuItem::Line(l) => Some(l),
                    EuItem::Node { .. } => None,
                })
                .collect();
            writeln!(out, "CN lines ({})", lines.len())?;
            for l in lines.iter().take(MAX_LINES) {
                writeln!(
                    out,
                    "  {:<12} {}{}",
                    l.cn_code,
                    clip(&l.text, 80),
                    unit_text(l)
                )?;
            }
            if lines.len() > MAX_LINES {
                writeln!(out, "  … {} more", lines.len() - MAX_LINES)?;
            }
            writeln!(out)?;
            writeln!(
                out,
                "Supplementary units in brackets; lines without one declare the net mass (kg) only."
            )?;
        }
        "heading" => {
            writeln!(out, "Subheadings ({}) and their CN lines", v.children.len())?;
            let mut shown = 0usize;
            for c in &v.children {
                let EuItem::Node { brief, lines, .. } = c else {
                    continue;
                };
                writeln!(out, "  {:<12} {}", brief.label, clip(&brief.text, 80))?;
                for l in lines {
                    if shown < MAX_LINES {
                        writeln!(
                            out,
                            "    {:<12} {}{}",
                            l.cn_code,
                            clip(&l.text, 76),
                            unit_text(l)
                        )?;
                    }
                    shown += 1;
                }
            }
            if shown > MAX_LINES {
                writeln!(out, "  … {} more CN lines", shown - MAX_LINES)?;
            }
        }
        _ => {
            writeln!(out, "Children ({})", v.children.len())?;
            for c in v.children.iter().take(60) {
                let (label, text) = match c {
                    EuItem::Node { brief, .. } => (&brief.label, &brief.text),
                    EuItem::Line(l) => (&l.cn_code, &l.text),
                };
                writeln!(out, "  {:<14} {}", label, clip(text, 80))?;
            }
            if v.children.len() > 60 {
                writeln!(out, "  … {} more", v.children.len() - 60)?;
            }
        }
    }
    writeln!(out)?;
    writeln!(out, "{CN_NO_RATES}")?;
    Ok(())
}

fn write_line(out: &mut impl Write, v: &EuLineView) -> std::io::Result<()> {
    writeln!(out, "{}  ({}, {CN_EDITION})", v.cn_code, v.level)?;
    writeln!(out, "{}", v.description)?;
    writeln!(out)?;
    let hs: Vec<&Brief> = v
        .path
        .iter()
        .filter_map(|p| match p {
            EuItem::Node { brief, .. } => Some(brief),
            EuItem::Line(_) => None,
        })
        .collect();
    let depth = write_path(out, &hs)?;
    writeln!(
        out,
        "  {}{:<14} {}",
        "  ".repeat(depth.min(8)),
        v.cn_code,
        clip(&v.text, 90)
    )?;
    writeln!(out)?;
    match (&v.supplementary_unit, &v.supplementary_unit_label) {
        (Some(code), Some(label)) => {
            writeln!(out, "Supplementary unit  {label} ({code})")?;
        }
        _ => writeln!(out, "Supplementary unit  none (net mass in kg only)")?,
    }
    writeln!(out)?;
    writeln!(out, "{CN_NO_RATES}")?;
    Ok(())
}

fn unknown_line(cn: &CnSchedule, code: &Code, json: bool) -> anyhow::Result<i32> {
    let view = EuUnknown::new(cn, code, NEAREST);
    let mut out = text_stdout(json);
    if json {
        serde_json::to_writer_pretty(&mut out, &view)?;
        writeln!(out)?;
    }
    out.flush()?;
    let mut err = safe_stderr();
    writeln!(err, "hs: {code} is not a line of the {CN_EDITION}")?;
    if !view.did_you_mean.is_empty() {
        writeln!(err, "did you mean:")?;
        for l in cn.nearest(code, NEAREST) {
            writeln!(err, "  {:<12} {}", l.cn_code, clip(&l.full_text, 100))?;
        }
    }
    Ok(EXIT_NONE)
}
