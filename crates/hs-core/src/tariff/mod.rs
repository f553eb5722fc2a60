//! US tariff arithmetic. This module owns everything between a line's three
//! duty cells (General, Special, Column 2) and a duty amount:
//!
//! - [`rate`]: parsing rate text into structured rates (free, ad valorem,
//!   specific, compound, with minimum/maximum and qualifiers), keeping text
//!   that refers elsewhere verbatim as a reference, and splitting Special
//!   cells into (rate, program indicators) groups;
//! - [`program`](mod@program): the preference-program table (`hs-data/programs.csv`:
//!   indicator, name, General Note, countries, in force or not) and the
//!   Column 2 countries (`hs-data/column2.csv`), plus [`describe_special`];
//! - [`country`](mod@country): the ISO 3166-1 alpha-2 list origins are checked against;
//! - [`duty`]: choosing the basis (special, column 2 or general) for an
//!   origin and computing the duty with its arithmetic spelled out;
//! - [`line`](mod@line): a line of the code tree as these need it (its rates, or
//!   its 8-digit parent's, its units, the cells parsed for display).
//!
//! It prints nothing and never panics on any input; every fact in its
//! tables says where it comes from (`hs-data/programs.md`).

pub mod country;
pub mod duty;
pub mod fees;
pub mod line;
pub mod measures;
pub mod program;
pub mod rate;
mod unit;

#[cfg(test)]
mod tests;

use serde::de::DeserializeOwned;
use thiserror::Error;

pub use country::{Country, countries, country};
pub use duty::{
    Basis, DutyRequest, DutyResult, MAX_AMOUNT, Needed, Quantity, as_f64, cents, compute_duty,
    money, parse_units, usd, usd_f64,
};
pub use fees::{Entry, Fee, Fees, Transport, de_minimis, fees};
pub use line::{
    LineRates, NodeRates, ParsedRates, is_tariff_line, kind_label, line_rates, node_rates,
    parsed_rates,
};
pub use measures::{Additional, Applied, Measure, MeasureRate, Measures, Query, Status};
pub use program::{
    Column2Country, Date, Program, ProgramInfo, Scope, SpecialGroupInfo, column2_countries,
    column2_country, describe_special, describe_special_on, program, programs,
};
pub use rate::{Rate, RateKind, SlidingScale, SpecialGroup, Term, parse_rate, parse_special};
pub use rust_decimal::Decimal;

/// Why a tariff question could not be answered.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum TariffError {
    #[error("unknown country code {0:?}: expected an ISO 3166-1 alpha-2 code such as CN, MX or DE")]
    UnknownCountry(String),
    #[error(
        "invalid customs value {0:?}: expected a finite amount in USD from 0 to 1000000000000000 (10^15); larger amounts cannot be computed exactly"
    )]
    InvalidValue(f64),
    #[error("invalid quantity {0:?}: expected a finite number from 0 to 10^15")]
    InvalidQuantity(f64),
    #[error("unit {unit:?} is not a unit of quantity of this line (it reports {line_units})")]
    QuantityUnit { unit: String, line_units: String },
    #[error(
        "invalid units of quantity {0:?}: expected a JSON array of strings such as [\"doz.\",\"kg\"]"
    )]
    Units(String),
    #[error("invalid date {0:?}: expected YYYY-MM-DD")]
    Date(String),
    #[error("built-in table {table} is malformed: {message}")]
    Table {
        table: &'static str,
        message: String,
    },
}

/// Reads one of the embedded CSV tables (`#` lines are comments).
fn read_table<T: DeserializeOwned>(table: &'static str, text: &str) -> Result<Vec<T>, TariffError> {
    csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, csv::Error>>()
        .map_err(|e| TariffError::Table {
            table,
            message: e.to_string(),
        })
}
