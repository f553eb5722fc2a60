//! `hs show CODE --schedule eu`: the HS levels as usual, with the EU
//! Combined Nomenclature's 8-digit lines (and supplementary units) in place
//! of the US lines; an 8-digit code is read as a CN line.

use std::io::Write;

use serde_json::{Value, json};

use crate::cn::{CN_EDITION, CN_LINE_LEVEL, CN_NO_RATES, CnLine, CnSchedule};
use crate::code::{Code, roman};
use crate::engine::{Lookup, load_dataset, lookup};
use crate::load::Dataset;
use crate::tree::{Level, Node, NodeId};

use super::args::{Global, ShowArgs};
use super::output::{options, stdout};
use super::show::{Target, brief, clip, unknown};
use super::{EXIT_NONE, EXIT_OK, Failure};

/// Most CN lines listed in text output.
const MAX_LINES: usize = 80;

const NO_RATES: &str = CN_NO_RATES;

pub(super) fn run(g: &Global, a: &ShowArgs, target: Target) -> anyhow::Result<i32> {
    if let Target::Code(code) = &target
        && code.len() == 10
    {
        return Err(Failure::usage(format!(
            "{code} has 10 digits: CN lines have 8. Give its first 8 digits ({}) or drop --schedule eu for the US statistical line",
            code.prefix(8).map(|c| c.to_string()).unwrap_or_default()
        )));
    }
    let ds = load_dataset(&options(g))?;
    let cn = CnSchedule::load(&ds.dir, &ds.tree)?;
    let mut out = stdout();
    let id = match target {
        Target::Section(n) => match ds.tree.section(n) {
            Some(s) => s.id,
            None => return Err(Failure::usage(format!("there is no section {n}"))),
        },
        Target::Code(code) if code.len() == 8 => {
            let Some(line) = cn.get(&code) else {
                return unknown_line(&cn, &code, a.json);
            };
            if a.json {
                serde_json::to_writer_pretty(&mut out, &line_json(&ds, line, a.notes))?;
                writeln!(out)?;
            } else {
                write_line(&mut out, &ds, line)?;
            }
            out.flush()?;
            return Ok(EXIT_OK);
        }
        Target::Code(code) => match lookup(&ds, &code) {
            Lookup::Found(id) => id,
            Lookup::Unknown { code, nearest } => return unknown(g, ds, &code, &nearest, a.json),
        },
    };
    if a.json {
        serde_json::to_writer_pretty(&mut out, &node_json(&ds, &cn, id, a.notes))?;
        writeln!(out)?;
    } else {
        write_node(&mut out, &ds, &cn, id)?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// The HS path of a node, without the US schedule's grouping lines.
fn hs_path(ds: &Dataset, id: NodeId) -> Vec<&Node> {
    ds.tree
        .path(id)
        .into_iter()
        .filter(|n| n.level <= Level::Subheading)
        .collect()
}

/// The HS children of a node: for a heading its subheadings (the US
/// schedule may have put grouping lines between them), else its children
/// at HS levels.
fn hs_children(ds: &Dataset, id: NodeId) -> Vec<&Node> {
    let n = ds.tree.node(id);
    match n.level {
        Level::Heading => ds
            .tree
            .descendants(id)
            .into_iter()
            .filter(|d| d.level == Level::Subheading)
            .collect(),
        Level::Subheading => Vec::new(),
        _ => ds
            .tree
            .children(id)
            .filter(|c| c.level <= Level::Subheading)
            .collect(),
    }
}

fn line_brief(line: &CnLine) -> Value {
    json!({
        "code": line.code.to_string(),
        "cn_code": line.cn_code,
        "label": line.cn_code,
        "level": CN_LINE_LEVEL,
        "text": line.text,
        "supplementary_unit": line.supplementary_unit,
        "supplementary_unit_label": line.unit_label(),
    })
}

fn notes_json(ds: &Dataset, section: u8, chapter: Option<u8>, with_notes: bool) -> Value {
    let mut v = json!({
        "section": section,
        "chapter": chapter,
        "section_has_notes": ds.notes.section(section).is_some(),
        "chapter_has_notes": chapter.and_then(|c| ds.notes.chapter(c)).is_some(),
    });
    if with_notes {
        v["section_text"] = json!(ds.notes.section(section));
        v["chapter_text"] = json!(chapter.and_then(|c| ds.notes.chapter(c)));
    }
    v
}

fn node_json(ds: &Dataset, cn: &CnSchedule, id: NodeId, with_notes: bool) -> Value {
    let n = ds.tree.node(id);
    let chapter = n.code.as_ref().map(Code::chapter);
    let children: Vec<Value> = if n.level == Level::Subheading {
        n.code
            .as_ref()
            .map(|c| cn.under_subheading(c).into_iter().map(line_brief).collect())
            .unwrap_or_default()
    } else {
        hs_children(ds, id)
            .into_iter()
            .map(|c| {
                let mut v = brief(ds, c.id);
                if c.level == Level::Subheading
                    && let Some(code) = &c.code
                {
                    v["cn_lines"] = json!(cn.under_subheading(code).len());
                }
                v
            })
            .collect()
    };
    json!({
        "code": n.code.as_ref().map(|c| c.to_string()),
        "label": n.label(),
        "level": n.level.name(),
        "schedule": "eu",
        "edition": CN_EDITION,
        "section": roman(n.section),
        "text": n.text,
        "description": n.full_text,
        "path": hs_path(ds, id).iter().map(|p| brief(ds, p.id)).collect::<Vec<_>>(),
        "children": children,
        "units": Vec::<String>::new(),
        "duty": Value::Null,
        "duty_note": NO_RATES,
        "notes": notes_json(ds, n.section, chapter, with_notes),
    })
}

fn line_json(ds: &Dataset, line: &CnLine, with_notes: bool) -> Value {
    let sub = ds.tree.get(&line.hs6);
    let mut path: Vec<Value> = sub
        .map(|s| hs_path(ds, s.id).iter().map(|p| brief(ds, p.id)).collect())
        .unwrap_or_default();
    path.push(line_brief(line));
    let section = sub.map_or(0, |s| s.section);
    json!({
        "code": line.code.to_string(),
        "cn_code": line.cn_code,
        "label": line.cn_code,
        "level": CN_LINE_LEVEL,
        "schedule": "eu",
        "edition": CN_EDITION,
        "section": roman(section),
        "text": line.text,
        "description": line.full_text,
        "hs6": line.hs6.to_string(),
        "path": path,
        "children": Vec::<Value>::new(),
        "units": line.unit_label().into_iter().collect::<Vec<_>>(),
        "supplementary_unit": line.supplementary_unit,
        "supplementary_unit_label": line.unit_label(),
        "duty": Value::Null,
        "duty_note": NO_RATES,
        "notes": notes_json(ds, section, Some(line.code.chapter()), with_notes),
    })
}

fn write_path(out: &mut impl Write, nodes: &[&Node]) -> std::io::Result<usize> {
    writeln!(out, "Path")?;
    for (depth, p) in nodes.iter().enumerate() {
        writeln!(
            out,
            "  {}{:<14} {}",
            "  ".repeat(depth.min(8)),
            p.label(),
            clip(&p.text, 90)
        )?;
    }
    Ok(nodes.len())
}

fn unit_text(line: &CnLine) -> String {
    line.unit_label()
        .map(|u| format!("  [{u}]"))
        .unwrap_or_default()
}

fn write_node(
    out: &mut impl Write,
    ds: &Dataset,
    cn: &CnSchedule,
    id: NodeId,
) -> std::io::Result<()> {
    let n = ds.tree.node(id);
    writeln!(out, "{}  ({}, {CN_EDITION})", n.label(), n.level.name())?;
    writeln!(out, "{}", n.full_text)?;
    writeln!(out)?;
    write_path(out, &hs_path(ds, id))?;
    writeln!(out)?;
    match n.level {
        Level::Subheading => {
            let lines = n
                .code
                .as_ref()
                .map(|c| cn.under_subheading(c))
                .unwrap_or_default();
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
        Level::Heading => {
            let subs = hs_children(ds, id);
            writeln!(out, "Subheadings ({}) and their CN lines", subs.len())?;
            let mut shown = 0usize;
            for s in subs {
                writeln!(out, "  {:<12} {}", s.label(), clip(&s.text, 80))?;
                let lines = s
                    .code
                    .as_ref()
                    .map(|c| cn.under_subheading(c))
                    .unwrap_or_default();
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
            let children = hs_children(ds, id);
            writeln!(out, "Children ({})", children.len())?;
            for c in children.iter().take(60) {
                writeln!(out, "  {:<14} {}", c.label(), clip(&c.text, 80))?;
            }
            if children.len() > 60 {
                writeln!(out, "  … {} more", children.len() - 60)?;
            }
        }
    }
    writeln!(out)?;
    writeln!(out, "{NO_RATES}")?;
    Ok(())
}

fn write_line(out: &mut impl Write, ds: &Dataset, line: &CnLine) -> std::io::Result<()> {
    writeln!(out, "{}  ({CN_LINE_LEVEL}, {CN_EDITION})", line.cn_code)?;
    writeln!(out, "{}", line.full_text)?;
    writeln!(out)?;
    let depth = match ds.tree.get(&line.hs6) {
        Some(sub) => write_path(out, &hs_path(ds, sub.id))?,
        None => {
            writeln!(out, "Path")?;
            0
        }
    };
    writeln!(
        out,
        "  {}{:<14} {}",
        "  ".repeat(depth.min(8)),
        line.cn_code,
        clip(&line.text, 90)
    )?;
    writeln!(out)?;
    match (&line.supplementary_unit, line.unit_label()) {
        (Some(code), Some(label)) => {
            writeln!(out, "Supplementary unit  {label} ({code})")?;
        }
        _ => writeln!(out, "Supplementary unit  none (net mass in kg only)")?,
    }
    writeln!(out)?;
    writeln!(out, "{NO_RATES}")?;
    Ok(())
}

fn unknown_line(cn: &CnSchedule, code: &Code, json: bool) -> anyhow::Result<i32> {
    let nearest = cn.nearest(code, 8);
    let mut out = stdout();
    if json {
        let v = json!({
            "code": code.to_string(),
            "schedule": "eu",
            "error": "unknown code",
            "did_you_mean": nearest.iter().map(|l| line_brief(l)).collect::<Vec<_>>(),
        });
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
    }
    out.flush()?;
    let mut err = std::io::stderr().lock();
    writeln!(err, "hs: {code} is not a line of the {CN_EDITION}")?;
    if !nearest.is_empty() {
        writeln!(err, "did you mean:")?;
        for l in nearest {
            writeln!(err, "  {:<12} {}", l.cn_code, clip(&l.full_text, 100))?;
        }
    }
    Ok(EXIT_NONE)
}
