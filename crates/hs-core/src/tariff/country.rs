//! Countries: the built-in list of ISO 3166-1 alpha-2 codes (from
//! `hs-data/countries.csv`) that every origin is checked against.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::TariffError;

const COUNTRIES_CSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../hs-data/countries.csv"
));

/// One ISO 3166-1 country or territory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Country {
    pub code: String,
    pub name: String,
}

type Table = BTreeMap<String, Country>;

fn table() -> Result<&'static Table, TariffError> {
    static TABLE: OnceLock<Result<Table, TariffError>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            let mut out = Table::new();
            for country in super::read_table::<Country>("countries.csv", COUNTRIES_CSV)? {
                out.insert(country.code.clone(), country);
            }
            Ok(out)
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Every known country, ordered by code.
pub fn countries() -> Result<Vec<&'static Country>, TariffError> {
    Ok(table()?.values().collect())
}

/// Looks up an ISO 3166-1 alpha-2 code, in any letter case and with
/// surrounding spaces ignored (`cn`, ` MX `).
///
/// # Errors
/// [`TariffError::UnknownCountry`] naming the input when it is not a
/// known code.
pub fn country(code: &str) -> Result<&'static Country, TariffError> {
    let key = code.trim().to_ascii_uppercase();
    table()?
        .get(&key)
        .ok_or_else(|| TariffError::UnknownCountry(code.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_iso_codes() -> Result<(), TariffError> {
        assert_eq!(country("cn")?.code, "CN");
        assert_eq!(country(" MX ")?.name, "Mexico");
        assert!(countries()?.len() >= 249);
        Ok(())
    }

    #[test]
    fn rejects_unknown_codes() {
        for bad in ["", "XX", "EU", "CHN", "c", "🇨🇳"] {
            assert_eq!(
                country(bad),
                Err(TariffError::UnknownCountry(bad.to_string())),
                "{bad}"
            );
        }
    }
}
