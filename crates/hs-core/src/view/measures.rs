//! The views of the chapter 99 measures table (what `hs measures --json`
//! prints): the measures in force on a date (for an origin), one heading's
//! rows, and the lines a measure's product lists cover.

use serde::Serialize;

use crate::tariff::measures::DATA_THROUGH;
use crate::tariff::{Date, Measure, Measures, Status};

/// One row of the measures table as shown.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeasureView {
    /// The chapter 99 heading (`9903.88.15`).
    pub code: String,
    /// `Section 301`, `Section 232`, `Section 122`, `IEEPA`...
    pub authority: String,
    pub description: String,
    /// Who it applies to: `CN`, `all`, `all but GB`.
    pub origins: String,
    /// Which goods: `all goods`, `HTS 8703...`, `list s301 9903.88.15`.
    pub goods: String,
    /// `+7.5%`, `15% in place of the line's rate`, `0`.
    pub rate: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub from: Option<Date>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub until: Option<Date>,
    /// `charged`, `suspended`, `may-exclude`, `not-computed`, `ended`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub status: Status,
    /// In force on the asked date and not ended.
    pub in_force: bool,
    /// Rows of one group exclude each other (at most one applies).
    pub group: String,
    pub note: String,
    pub source: String,
}

impl MeasureView {
    /// The row as shown, judged on `date`.
    pub fn new(m: &Measure, date: Date) -> MeasureView {
        MeasureView {
            code: m.code.clone(),
            authority: m.authority.clone(),
            description: m.description.clone(),
            origins: m.origins.label(),
            goods: m.goods.label(),
            rate: m.rate.label(),
            from: m.from,
            until: m.until,
            status: m.status,
            in_force: m.in_force_on(date) && m.status != Status::Ended,
            group: m.group.clone(),
            note: m.note.clone(),
            source: m.source.clone(),
        }
    }

    /// The dates as one short text: `a..b`, `from a`, `until b` or empty.
    pub fn when(&self) -> String {
        match (self.from, self.until) {
            (Some(f), Some(u)) => format!("{f}..{u}"),
            (Some(f), None) => format!("from {f}"),
            (None, Some(u)) => format!("until {u}"),
            (None, None) => String::new(),
        }
    }

    /// A short status word for a column: `charged`, `excludes`, `not-comp`...
    pub fn status_word(&self) -> &'static str {
        match self.status {
            Status::Charged => "charged",
            Status::Suspended => "suspended",
            Status::MayExclude => "excludes",
            Status::MayApply => "may-apply",
            Status::NotComputed => "not-comp",
            Status::Ended => "ended",
        }
    }
}

/// Measures as listed: in force on a date, or one heading's rows.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeasuresView {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub date: Date,
    /// The origin asked for (ISO 3166-1 alpha-2), if any.
    pub origin: Option<String>,
    /// The last day the measures data is known to be complete for.
    pub data_through: &'static str,
    pub measures: Vec<MeasureView>,
}

impl MeasuresView {
    /// The view of `rows` (from [`select`]) judged on `date`.
    pub fn new(rows: &[&Measure], date: Date, origin: Option<&str>) -> MeasuresView {
        MeasuresView {
            date,
            origin: origin.map(str::to_string),
            data_through: DATA_THROUGH,
            measures: rows.iter().map(|m| MeasureView::new(m, date)).collect(),
        }
    }
}

/// The rows asked for: heading `code`'s rows whatever their dates, or with
/// no heading the measures in force on `date`; for `origin` when given.
pub fn select<'a>(
    table: &'a Measures,
    code: Option<&str>,
    date: Date,
    origin: Option<&str>,
) -> Vec<&'a Measure> {
    match code {
        Some(c) => table
            .rows
            .iter()
            .filter(|m| m.code == c)
            .filter(|m| origin.is_none_or(|o| m.origins.covers(o)))
            .collect(),
        None => table.in_force(date, origin),
    }
}

/// The lines the product lists of some measures name.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeasureLinesView {
    /// The heading asked for (null when the measures in force were listed).
    pub code: Option<String>,
    /// HTS codes, dotted (`6109.10.00`, `7616.99.51.60`), sorted, once each;
    /// a measure set on a heading or subheading lists that code (every
    /// line under it).
    pub lines: Vec<String>,
    /// True when one of the measures covers all goods: every line of the
    /// schedule, none listed.
    pub all_goods: bool,
}

/// The rows whose lines `--lines` lists, and the day whose list entries
/// they name: [`select`]'s rows, and for a heading with an asked date only
/// its periods in force that day (the metals lists changed on 2026-04-06
/// and 2026-06-08; no rows when none is); a heading without an asked date
/// names every period's entries (day `None`), otherwise those in effect on
/// `date` (a derivative list's entries have their own dates).
pub fn select_for_lines<'a>(
    table: &'a Measures,
    code: Option<&str>,
    date: Date,
    asked_date: bool,
    origin: Option<&str>,
) -> (Vec<&'a Measure>, Option<Date>) {
    let rows = select(table, code, date, origin);
    match code {
        Some(_) if asked_date => (
            rows.into_iter().filter(|m| m.in_force_on(date)).collect(),
            Some(date),
        ),
        Some(_) => (rows, None),
        None => (rows, Some(date)),
    }
}

impl MeasureLinesView {
    /// The lines named by the product lists of `rows` (from
    /// [`select_for_lines`]); with `date`, only the entries in force that
    /// day (an entry of a derivative list has its own effective date).
    pub fn new(
        table: &Measures,
        code: Option<&str>,
        rows: &[&Measure],
        date: Option<Date>,
    ) -> MeasureLinesView {
        let mut all: Vec<String> = rows.iter().flat_map(|m| table.listed_on(m, date)).collect();
        all.sort();
        all.dedup();
        MeasureLinesView {
            code: code.map(str::to_string),
            lines: all.iter().map(|d| dotted(d)).collect(),
            all_goods: rows
                .iter()
                .any(|m| matches!(m.goods, crate::tariff::measures::Goods::All)),
        }
    }
}

/// `61091000` -> `6109.10.00`, `7616995160` -> `7616.99.51.60`.
fn dotted(d: &str) -> String {
    let mut out = String::new();
    for (i, c) in d.chars().enumerate() {
        if i >= 4 && i % 2 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_dotted_by_pairs_after_the_heading() {
        assert_eq!(dotted("61091000"), "6109.10.00");
        assert_eq!(dotted("7616995160"), "7616.99.51.60");
        assert_eq!(dotted("6109"), "6109");
    }
}
