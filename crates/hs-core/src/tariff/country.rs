//! Countries: the built-in list of ISO 3166-1 alpha-2 codes (from
//! `hs-data/countries.csv`) that every origin is checked against.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::TariffError;
use crate::tables::{self, Spec, TableError};

const COUNTRIES: Spec = Spec {
    file: "countries.csv",
    columns: &["code", "name"],
    required: &["code", "name"],
};

/// One ISO 3166-1 country or territory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Country {
    pub code: String,
    pub name: String,
}

type Table = BTreeMap<String, Country>;

/// Parses `hs-data/countries.csv` (`code,name`): two capital letters,
/// each code once.
pub fn parse_countries(text: &str) -> Result<Table, TableError> {
    let mut out = Table::new();
    for row in tables::read(&COUNTRIES, text)? {
        let code = row.get("code");
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(row.error("code", format!("`{code}` is not two capital letters")));
        }
        let country = Country {
            code: code.to_string(),
            name: row.get("name").to_string(),
        };
        if out.insert(country.code.clone(), country).is_some() {
            return Err(row.error("code", format!("`{code}` appears twice")));
        }
    }
    Ok(out)
}

fn table() -> Result<&'static Table, TariffError> {
    Ok(&super::tables()?.countries)
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
