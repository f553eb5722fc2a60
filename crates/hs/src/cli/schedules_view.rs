//! `hs show CODE --all-schedules`: the HS subheading(s) a code stands for,
//! each with its flags and its lines in every national schedule (the US
//! HTS 10-digit lines and the EU CN 8-digit lines: see
//! [`crate::schedules::across`]). Text output puts the schedules side by
//! side when the terminal (or `COLUMNS`) is wide enough, else one after the
//! other; output to a pipe is one after the other unless `COLUMNS` is set.

use std::io::{IsTerminal, Write};

use crate::cn::CnSchedule;
use crate::code::Code;
use crate::load::Dataset;
use crate::schedules::ScheduleLines;
use crate::view::{SchedulesView, SubheadingSchedules};

use super::output::{text_stdout, wrap};
use super::show::{clip, write_flags};
use super::{EXIT_OK, Failure};

/// Narrowest column a schedule is drawn in side by side.
const MIN_COLUMN: usize = 56;
/// Between two columns.
const GUTTER: &str = " │ ";
/// Longest line text in the one-after-the-other layout.
const STACKED_TEXT: usize = 80;

/// Shows the subheadings of `asked` in every schedule. `asked_in` names
/// the schedule the code was found in (`us-hts` or `eu-cn`): its line is
/// marked with `>` there only, since the same digits are a different line
/// in another schedule.
pub fn run(
    ds: &Dataset,
    cn: &CnSchedule,
    asked: &Code,
    asked_in: &str,
    json: bool,
) -> anyhow::Result<i32> {
    let view = SchedulesView::new(ds, Some(cn), asked);
    if view.subheadings.is_empty() {
        // A chapter lists no subheading itself; chapters 98 and 99 are
        // national only (no HS subheadings to set beside each other).
        let why = if asked.chapter() >= 98 {
            format!(
                "{asked} is in chapter {}, which is national (US) only, with no HS subheadings to compare",
                asked.chapter()
            )
        } else {
            format!("{asked} is a chapter (try one of its headings)")
        };
        return Err(Failure::usage(format!(
            "--all-schedules needs a heading, subheading or national code of HS chapters 01-97; {why}"
        )));
    }
    let mut out = text_stdout(json);
    if json {
        serde_json::to_writer_pretty(&mut out, &view)?;
        writeln!(out)?;
    } else {
        let width = output_width();
        for (i, sub) in view.subheadings.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
                writeln!(out, "{}", "-".repeat(72))?;
            }
            let mark = Mark {
                code: asked,
                schedule: asked_in,
            };
            write_subheading(&mut out, sub, &mark, width)?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// The columns text output may use: the terminal's width when stdout is a
/// terminal, else `COLUMNS` when set (so a script or a test can ask for
/// the side-by-side layout); None for a pipe without `COLUMNS`.
fn output_width() -> Option<usize> {
    if std::io::stdout().is_terminal()
        && let Ok((w, _)) = crossterm::terminal::size()
    {
        return Some(usize::from(w));
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&w| w > 0)
}

/// The line to mark: the code asked, in the schedule it was found in.
struct Mark<'a> {
    code: &'a Code,
    schedule: &'a str,
}

/// The width of each column when `n` schedules fit side by side in
/// `width` columns; None when they do not (or there is one schedule).
pub fn column_width(n: usize, width: Option<usize>) -> Option<usize> {
    let width = width?;
    if n < 2 {
        return None;
    }
    let gutters = GUTTER.chars().count() * (n - 1);
    let col = width.saturating_sub(gutters) / n;
    (col >= MIN_COLUMN).then_some(col)
}

fn write_subheading(
    out: &mut impl Write,
    sub: &SubheadingSchedules,
    mark: &Mark,
    width: Option<usize>,
) -> std::io::Result<()> {
    let (hs6, schedules) = (&sub.hs6, &sub.schedules);
    let text = sub.description.as_deref().unwrap_or_default();
    writeln!(out, "HS 2022  {hs6}  {text}")?;
    write_flags(out, Some(&sub.code))?;
    if schedules.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "No national lines under {hs6} in the schedules loaded."
        )?;
        return Ok(());
    }
    match column_width(schedules.len(), width) {
        Some(col) => {
            writeln!(out)?;
            let blocks: Vec<Vec<String>> = schedules
                .iter()
                .map(|s| schedule_rows(s, mark, Some(col)))
                .collect();
            for row in side_by_side(&blocks, col) {
                writeln!(out, "{row}")?;
            }
        }
        None => {
            for s in schedules {
                writeln!(out)?;
                for row in schedule_rows(s, mark, None) {
                    writeln!(out, "{row}")?;
                }
            }
        }
    }
    Ok(())
}

/// Blocks of rows set in columns of `col` characters, row by row.
fn side_by_side(blocks: &[Vec<String>], col: usize) -> Vec<String> {
    let height = blocks.iter().map(Vec::len).max().unwrap_or(0);
    (0..height)
        .map(|i| {
            let cells: Vec<String> = blocks
                .iter()
                .map(|b| pad(b.get(i).map_or("", String::as_str), col))
                .collect();
            cells.join(GUTTER).trim_end().to_string()
        })
        .collect()
}

/// `s` clipped or padded with spaces to exactly `w` characters.
fn pad(s: &str, w: usize) -> String {
    let c = clip(s, w);
    let n = c.chars().count();
    format!("{c}{}", " ".repeat(w.saturating_sub(n)))
}

/// One schedule as rows of text: its title, its lines (label indented by
/// depth, text, general rate in brackets, units in parentheses) and its
/// duty note. With a column width every row fits it (the text is clipped
/// first, then the units); without one the text is clipped at 80.
fn schedule_rows(s: &ScheduleLines, mark: &Mark, col: Option<usize>) -> Vec<String> {
    let mut rows = vec![format!("{} ({}-digit lines)", s.name, s.digits)];
    let label_w = s
        .lines
        .iter()
        .filter_map(|l| l.label.as_ref().map(|c| c.chars().count()))
        .max()
        .unwrap_or(1)
        + 1;
    for l in &s.lines {
        let label = l.label.clone().unwrap_or_else(|| "·".to_string());
        let marked = s.schedule == mark.schedule && l.code.as_ref() == Some(mark.code);
        let m = if marked { "> " } else { "  " };
        let indent = "  ".repeat(l.depth.saturating_sub(1).min(6));
        let head = format!("{m}{indent}{label:<label_w$}");
        let mut extra = String::new();
        if !l.general.is_empty() {
            extra.push_str(&format!("  [{}]", l.general));
        }
        if !l.units.is_empty() {
            extra.push_str(&format!("  ({})", l.units.join(", ")));
        }
        let row = match col {
            None => format!("{head}{}{extra}", clip(&l.text, STACKED_TEXT)),
            Some(w) => {
                let room = w
                    .saturating_sub(head.chars().count() + extra.chars().count())
                    .max(12);
                clip(&format!("{head}{}{extra}", clip(&l.text, room)), w)
            }
        };
        rows.push(row);
    }
    if let Some(note) = s.duty_note {
        rows.push(String::new());
        let w = col.map_or(86, |w| w.saturating_sub(2));
        rows.extend(wrap(note, w, "  ").lines().map(str::to_string));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedules::NationalLine;

    fn code(c: &str) -> Code {
        Code::parse(c).unwrap_or_else(|e| panic!("{e}"))
    }

    fn line(label: &str, depth: usize, text: &str, general: &str, units: &[&str]) -> NationalLine {
        NationalLine {
            code: Code::parse(label).ok(),
            label: Some(label.to_string()),
            level: "tariff-line",
            depth,
            text: text.to_string(),
            general: general.to_string(),
            units: units.iter().map(|u| u.to_string()).collect(),
            supplementary_unit: None,
            node: None,
        }
    }

    fn schedules() -> Vec<ScheduleLines> {
        vec![
            ScheduleLines {
                schedule: "us-hts",
                name: "US HTS".to_string(),
                digits: 10,
                lines: vec![
                    line("6109.10.00", 1, "Of cotton", "16.5%", &[]),
                    line(
                        "6109.10.00.12",
                        2,
                        "Men's (338) ".repeat(8).trim(),
                        "",
                        &["doz.", "kg"],
                    ),
                ],
                duty_note: None,
            },
            ScheduleLines {
                schedule: "eu-cn",
                name: "EU CN".to_string(),
                digits: 8,
                lines: vec![line("6109 10 00", 1, "Of cotton", "", &["p/st"])],
                duty_note: Some("No EU rates here."),
            },
        ]
    }

    #[test]
    fn columns_only_when_two_fit() {
        assert_eq!(column_width(2, None), None);
        assert_eq!(column_width(1, Some(300)), None);
        assert_eq!(column_width(2, Some(100)), None);
        assert_eq!(column_width(2, Some(121)), Some(59));
    }

    #[test]
    fn side_by_side_rows_fit_their_columns_and_mark_one_schedule() {
        let asked = code("6109.10.00");
        let mark = Mark {
            code: &asked,
            schedule: "us-hts",
        };
        let s = schedules();
        let blocks: Vec<Vec<String>> = s
            .iter()
            .map(|s| schedule_rows(s, &mark, Some(58)))
            .collect();
        for b in &blocks {
            assert!(b.iter().all(|r| r.chars().count() <= 58), "{b:#?}");
        }
        let rows = side_by_side(&blocks, 58);
        assert!(rows[0].starts_with("US HTS (10-digit lines)"), "{rows:#?}");
        assert!(rows[0].contains(" │ EU CN (8-digit lines)"), "{rows:#?}");
        assert!(rows[1].starts_with("> 6109.10.00"), "{rows:#?}");
        assert!(
            rows[1].contains(" │   6109 10 00 Of cotton  (p/st)"),
            "{rows:#?}"
        );
        // The long text is clipped, its units kept.
        assert!(rows[2].contains("…  (doz., kg)"), "{rows:#?}");
        assert!(
            rows.iter().any(|r| r.contains("│   No EU rates here.")),
            "{rows:#?}"
        );

        // Stacked: the same rows without a width.
        let us = schedule_rows(&s[0], &mark, None);
        assert_eq!(us[1], "> 6109.10.00    Of cotton  [16.5%]");
        let eu = schedule_rows(&s[1], &mark, None);
        assert_eq!(eu[1], "  6109 10 00 Of cotton  (p/st)");
    }
}
