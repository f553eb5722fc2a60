//! Preference programs and Column 2: the table of Special-column program
//! indicators (`hs-data/programs.csv`: name, General Note, countries, whether
//! in force), the Column 2 countries (`hs-data/column2.csv`), and a helper
//! that spells out a Special cell for display.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize, Serializer};

use super::TariffError;
use super::rate::{RateKind, parse_special};

const PROGRAMS_CSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../hs-data/programs.csv"
));
const COLUMN2_CSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../hs-data/column2.csv"
));

/// A calendar date (proleptic Gregorian), printed `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u32,
    day: u32,
}

impl Date {
    /// # Errors
    /// [`TariffError::Date`] when the day does not exist.
    pub fn new(year: i32, month: u32, day: u32) -> Result<Date, TariffError> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => 0,
        };
        if (1..=9999).contains(&year) && (1..=days).contains(&day) {
            Ok(Date { year, month, day })
        } else {
            Err(TariffError::Date(format!("{year:04}-{month:02}-{day:02}")))
        }
    }

    /// Parses `YYYY-MM-DD`.
    ///
    /// # Errors
    /// [`TariffError::Date`] naming the input.
    pub fn parse(text: &str) -> Result<Date, TariffError> {
        let bad = || TariffError::Date(text.to_string());
        let mut parts = text.trim().splitn(3, '-');
        let mut next = || parts.next().ok_or_else(bad);
        let (y, m, d) = (next()?, next()?, next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let year = y.parse().map_err(|_| bad())?;
        let month = m.parse().map_err(|_| bad())?;
        let day = d.parse().map_err(|_| bad())?;
        Date::new(year, month, day).map_err(|_| bad())
    }

    /// Today in UTC, from the system clock.
    pub fn today() -> Date {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Date::from_days(i64::try_from(secs / 86_400).unwrap_or(0))
    }

    /// Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: i32::try_from(year).unwrap_or(1970),
            month: u32::try_from(month).unwrap_or(1),
            day: u32::try_from(day).unwrap_or(1),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// How a program decides who gets its rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Granted to originating goods of the listed countries.
    Country,
    /// Country-based, but the indicator's `*` or `+` marks a restriction
    /// that the origin alone cannot settle: never granted automatically.
    CountryConditional,
    /// Depends on the goods or their use (civil aircraft, pharmaceuticals,
    /// dyes, automotive products), not on the origin.
    Product,
}

/// One Special-column program indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Program {
    pub indicator: String,
    pub name: String,
    pub general_note: String,
    pub scope: Scope,
    /// ISO 3166-1 alpha-2 codes; empty for product-scope programs.
    pub countries: Vec<String>,
    /// Whether the program is in force per the table, as of the table's
    /// date (see [`Program::in_force_on`] for another day).
    pub in_force: bool,
    /// First day the program applies (entry into force), when known.
    pub since: Option<Date>,
    /// Last day the program applies (sunset) or applied (lapse).
    pub until: Option<Date>,
    /// One sentence on the program's state (`Lapsed: ...`, `In force since ...`).
    pub status: String,
    /// What the country list covers, restrictions marked by `*` or `+`,
    /// what a product-scope program depends on.
    pub notes: String,
    pub source: String,
}

impl Program {
    /// In force on `date`: on or after its first day and on or before its
    /// last day; a program with no last day is in force when the table
    /// marks it so.
    pub fn in_force_on(&self, date: Date) -> bool {
        if self.since.is_some_and(|since| date < since) {
            return false;
        }
        match self.until {
            Some(until) => date <= until,
            None => self.in_force,
        }
    }

    /// Whether the program is country-based (see [`Scope`]).
    pub fn country_based(&self) -> bool {
        self.scope != Scope::Product
    }

    /// Whether `country` (an upper-case alpha-2 code) is listed.
    pub fn covers(&self, country: &str) -> bool {
        self.countries.iter().any(|c| c == country)
    }

    /// Plain words on whether the program is in force on `date`.
    pub fn status_on(&self, date: Date) -> String {
        if self.in_force_on(date) {
            match self.until {
                Some(until) => format!("in force (until {until})"),
                None => "in force".to_string(),
            }
        } else if let Some(since) = self.since.filter(|since| date < *since) {
            format!("not in force before {since}")
        } else {
            match self.until {
                Some(until) => format!("not in force (ended {until})"),
                None => "not in force".to_string(),
            }
        }
    }
}

#[derive(Deserialize)]
struct ProgramRow {
    indicator: String,
    program: String,
    general_note: String,
    scope: Scope,
    countries: String,
    in_force: String,
    since: String,
    until: String,
    status: String,
    notes: String,
    source: String,
}

/// A country whose goods take the Column 2 rates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column2Country {
    pub code: String,
    pub name: String,
    pub since: Option<Date>,
    pub source: String,
}

impl Column2Country {
    /// Whether the country takes Column 2 rates on `date`.
    pub fn applies_on(&self, date: Date) -> bool {
        self.since.is_none_or(|since| since <= date)
    }
}

#[derive(Deserialize)]
struct Column2Row {
    code: String,
    name: String,
    since: String,
    source: String,
}

struct Tables {
    programs: BTreeMap<String, Program>,
    column2: Vec<Column2Country>,
}

fn optional_date(text: &str, table: &'static str) -> Result<Option<Date>, TariffError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    Date::parse(text).map(Some).map_err(|e| TariffError::Table {
        table,
        message: e.to_string(),
    })
}

fn load() -> Result<Tables, TariffError> {
    let mut programs = BTreeMap::new();
    for row in super::read_table::<ProgramRow>("programs.csv", PROGRAMS_CSV)? {
        let in_force = match row.in_force.trim() {
            "yes" => true,
            "no" => false,
            other => {
                return Err(TariffError::Table {
                    table: "programs.csv",
                    message: format!(
                        "in_force of {} is {other:?}, expected yes or no",
                        row.indicator
                    ),
                });
            }
        };
        let program = Program {
            indicator: row.indicator.trim().to_string(),
            name: row.program,
            general_note: row.general_note,
            scope: row.scope,
            countries: row
                .countries
                .split_whitespace()
                .map(str::to_string)
                .collect(),
            in_force,
            since: optional_date(&row.since, "programs.csv")?,
            until: optional_date(&row.until, "programs.csv")?,
            status: row.status,
            notes: row.notes,
            source: row.source,
        };
        programs.insert(program.indicator.clone(), program);
    }
    let column2 = super::read_table::<Column2Row>("column2.csv", COLUMN2_CSV)?
        .into_iter()
        .map(|row| {
            Ok(Column2Country {
                code: row.code.trim().to_string(),
                name: row.name,
                since: optional_date(&row.since, "column2.csv")?,
                source: row.source,
            })
        })
        .collect::<Result<Vec<_>, TariffError>>()?;
    Ok(Tables { programs, column2 })
}

fn tables() -> Result<&'static Tables, TariffError> {
    static TABLES: OnceLock<Result<Tables, TariffError>> = OnceLock::new();
    TABLES.get_or_init(load).as_ref().map_err(Clone::clone)
}

/// Every program indicator known, ordered by indicator.
pub fn programs() -> Result<Vec<&'static Program>, TariffError> {
    Ok(tables()?.programs.values().collect())
}

/// The program of an indicator (`AU`, `A+`, `S`), if known.
pub fn program(indicator: &str) -> Result<Option<&'static Program>, TariffError> {
    Ok(tables()?.programs.get(indicator.trim()))
}

/// The countries whose goods take Column 2 rates.
pub fn column2_countries() -> Result<&'static [Column2Country], TariffError> {
    Ok(&tables()?.column2)
}

/// The Column 2 entry of `country` (upper-case alpha-2), if it has one.
pub fn column2_country(country: &str) -> Result<Option<&'static Column2Country>, TariffError> {
    Ok(tables()?.column2.iter().find(|c| c.code == country))
}

/// One program indicator of a Special cell, spelled out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgramInfo {
    pub indicator: String,
    /// None for an indicator this table does not know.
    pub name: Option<String>,
    pub in_force: bool,
    /// `in force`, `in force (until 2030-09-30)`, `not in force (ended
    /// 2020-12-31)` or `unknown indicator`.
    pub status: String,
}

/// One group of a Special cell, spelled out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpecialGroupInfo {
    pub rate: String,
    pub kind: RateKind,
    pub programs: Vec<ProgramInfo>,
}

impl SpecialGroupInfo {
    /// The group's rate as shown: `-` when the cell gave none.
    pub fn rate_shown(&self) -> &str {
        if self.rate.is_empty() {
            "-"
        } else {
            &self.rate
        }
    }
}

/// Spells out a Special cell for display as of today: for each group, the
/// rate and each indicator with its program name and in-force status.
pub fn describe_special(cell: &str) -> Result<Vec<SpecialGroupInfo>, TariffError> {
    describe_special_on(cell, Date::today())
}

/// [`describe_special`] as of `date`.
pub fn describe_special_on(cell: &str, date: Date) -> Result<Vec<SpecialGroupInfo>, TariffError> {
    let tables = tables()?;
    Ok(parse_special(cell)
        .into_iter()
        .map(|group| SpecialGroupInfo {
            programs: group
                .programs
                .iter()
                .map(|indicator| match tables.programs.get(indicator) {
                    Some(p) => ProgramInfo {
                        indicator: indicator.clone(),
                        name: Some(p.name.clone()),
                        in_force: p.in_force_on(date),
                        status: p.status_on(date),
                    },
                    None => ProgramInfo {
                        indicator: indicator.clone(),
                        name: None,
                        in_force: false,
                        status: "unknown indicator".to_string(),
                    },
                })
                .collect(),
            rate: group.rate.text,
            kind: group.rate.kind,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        match Date::parse(text) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn dates() {
        assert_eq!(day("2026-03-01").to_string(), "2026-03-01");
        assert!(Date::parse("2026-02-29").is_err());
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("26-3-1").is_err());
        assert!(Date::parse("").is_err());
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(20_454).to_string(), "2026-01-01");
        assert!(Date::today() >= day("2026-01-01"));
    }

    #[test]
    fn table_loads_and_is_consistent() -> Result<(), TariffError> {
        let all = programs()?;
        assert!(all.len() >= 33);
        for p in all {
            assert_eq!(
                p.countries.is_empty(),
                !p.country_based(),
                "{}",
                p.indicator
            );
            for c in &p.countries {
                super::super::country::country(c)?;
            }
            assert!(
                !p.source.is_empty() && !p.status.is_empty(),
                "{}",
                p.indicator
            );
        }
        for c in column2_countries()? {
            super::super::country::country(&c.code)?;
        }
        Ok(())
    }

    #[test]
    fn statuses() -> Result<(), TariffError> {
        let on = day("2026-03-01");
        let get = |i: &str| match program(i) {
            Ok(Some(p)) => p,
            other => panic!("{i}: {other:?}"),
        };
        assert!(!get("A").in_force_on(on));
        assert!(!get("A+").in_force_on(on));
        assert!(!get("CA").in_force_on(on));
        assert!(!get("MX").in_force_on(on));
        assert!(!get("NP").in_force_on(on));
        // AGOA lapsed on 30 Sept 2025; a reauthorization reported in Feb
        // 2026 is not verified, so D is not granted.
        assert!(!get("D").in_force_on(on));
        assert!(get("D").status.contains("reported in Feb 2026"));
        assert!(get("S").in_force_on(on) && get("S").covers("MX"));
        assert!(get("R").in_force_on(on));
        assert!(!get("R").in_force_on(day("2030-10-01")));
        assert!(!get("C").country_based());
        assert!(!get("K").country_based());
        assert!(!get("L").country_based());
        assert!(!get("B").country_based());
        let codes: Vec<&str> = column2_countries()?
            .iter()
            .map(|c| c.code.as_str())
            .collect();
        assert_eq!(codes, ["CU", "KP", "RU", "BY"]);
        Ok(())
    }

    #[test]
    fn describes_a_special_cell() -> Result<(), TariffError> {
        let groups = describe_special_on("Free (A+,AU,ZZ) 3.2% (KR)", day("2026-03-01"))?;
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].rate, "Free");
        let a = &groups[0].programs[0];
        assert_eq!(a.indicator, "A+");
        assert!(!a.in_force);
        assert!(a.status.contains("2020-12-31"));
        assert!(groups[0].programs[1].in_force);
        assert_eq!(groups[0].programs[2].status, "unknown indicator");
        assert_eq!(
            groups[1].programs[0].name.as_deref(),
            Some("United States-Korea Free Trade Agreement (KORUS)")
        );
        Ok(())
    }
}
