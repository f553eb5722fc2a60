//! `hs show CODE --all-schedules`: the HS subheading(s) a code stands for,
//! each with its flags and its lines in every national schedule loaded
//! (US 10-digit lines today; EU CN 8-digit lines once the dataset has them:
//! see [`crate::schedules::across`]).

use std::io::Write;

use serde_json::{Value, json};

use crate::code::Code;
use crate::flags::DISCLAIMER;
use crate::load::Dataset;
use crate::schedules::{ScheduleLines, across, subheadings_for};
use crate::tree::NodeId;

use super::output::{code_flags, flag_json, stdout};
use super::show::{clip, write_flags};
use super::{EXIT_OK, Failure};

pub fn run(ds: &Dataset, id: NodeId, json: bool) -> anyhow::Result<i32> {
    let node = ds.tree.node(id);
    let Some(code) = node.code.clone() else {
        return Err(Failure::usage(
            "--all-schedules needs a heading, subheading or national code",
        ));
    };
    let subs = subheadings_for(ds, &code);
    if subs.is_empty() {
        return Err(Failure::usage(format!(
            "--all-schedules needs a heading, subheading or national code; {code} is a chapter (try one of its headings)"
        )));
    }
    let views: Vec<(Code, Vec<ScheduleLines>)> = subs
        .into_iter()
        .map(|s| (s.clone(), across(ds, &s)))
        .collect();
    let mut out = stdout();
    if json {
        let subheadings: Vec<Value> = views
            .iter()
            .map(|(hs6, schedules)| {
                let text = ds.tree.get(hs6).map(|n| n.full_text.clone());
                json!({
                    "hs6": hs6.to_string(),
                    "description": text,
                    "flags": code_flags(hs6).into_iter().map(flag_json).collect::<Vec<_>>(),
                    "schedules": schedules,
                })
            })
            .collect();
        let v = json!({
            "code": code.to_string(),
            "subheadings": subheadings,
            "flags_disclaimer": DISCLAIMER,
        });
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
    } else {
        for (i, (hs6, schedules)) in views.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
                writeln!(out, "{}", "-".repeat(72))?;
            }
            write_subheading(&mut out, ds, &code, hs6, schedules)?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

fn write_subheading(
    out: &mut impl Write,
    ds: &Dataset,
    asked: &Code,
    hs6: &Code,
    schedules: &[ScheduleLines],
) -> std::io::Result<()> {
    let text = ds
        .tree
        .get(hs6)
        .map(|n| n.full_text.clone())
        .unwrap_or_default();
    writeln!(out, "HS 2022  {hs6}  {text}")?;
    write_flags(out, Some(hs6))?;
    if schedules.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "No national lines under {hs6} in the schedules loaded."
        )?;
    }
    for s in schedules {
        writeln!(out)?;
        writeln!(out, "{} ({}-digit lines)", s.name, s.digits)?;
        for l in &s.lines {
            let label = l
                .code
                .as_ref()
                .map_or_else(|| "·".to_string(), |c| c.to_string());
            let mark = if l.code.as_ref() == Some(asked) {
                "> "
            } else {
                "  "
            };
            let indent = "  ".repeat(l.depth.saturating_sub(1).min(6));
            let mut extra = String::new();
            if !l.general.is_empty() {
                extra.push_str(&format!("  [{}]", l.general));
            }
            if !l.units.is_empty() {
                extra.push_str(&format!("  ({})", l.units.join(", ")));
            }
            writeln!(
                out,
                "{mark}{indent}{label:<14} {}{extra}",
                clip(&l.text, 80)
            )?;
        }
    }
    Ok(())
}
