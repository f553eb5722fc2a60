//! Chapter 99 measures: the project's table of additional duties
//! (`hs-data/measures.csv`: Section 301, 232, 122, IEEPA, Brazil; each row
//! with its heading, origins, goods, rate, dates, stacking group, exemptions
//! and source), the product lists the rows name (read at load time from the
//! shared data folder, never copied into the repository), and the rules that
//! decide which measures apply to a line from an origin on a date.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::TariffError;
use super::program::{Date, optional_date};
use crate::code::Code;
use crate::tables::{self, Spec, TableError};

/// The newest day the measures data speaks for (HTS 2026 Revision 12 and
/// the CBP metals list fetched in July 2026).
pub const DATA_THROUGH: &str = "2026-07-31";

/// Section 122 Annex II list, relative to the data folder.
const ANNEX2: &str = "us-ch99/cbp/section122-annex2.json";
const CBP_METALS: &str = "us-ch99/cbp/metals-hts-list-2026-06-08.json";
const YALE: &str = "us-ch99/yale/resources";

/// The CAFTA-DR parties (General Note 29(a)).
const CAFTA_DR: &[&str] = &["CR", "DO", "SV", "GT", "HN", "NI"];

/// Who a measure applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "countries")]
pub enum Origins {
    /// Every country but those listed.
    All(Vec<String>),
    /// Only the listed countries.
    Only(Vec<String>),
}

impl Origins {
    fn parse(text: &str) -> Origins {
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.first() == Some(&"*") {
            Origins::All(
                words[1..]
                    .iter()
                    .map(|w| w.trim_start_matches('-').to_string())
                    .collect(),
            )
        } else {
            Origins::Only(words.iter().map(|w| (*w).to_string()).collect())
        }
    }

    /// Whether goods of `origin` (upper-case alpha-2) are covered.
    pub fn covers(&self, origin: &str) -> bool {
        match self {
            Origins::All(except) => !except.iter().any(|c| c == origin),
            Origins::Only(list) => list.iter().any(|c| c == origin),
        }
    }

    /// `CN`, `all`, `all but GB`.
    pub fn label(&self) -> String {
        match self {
            Origins::All(except) if except.is_empty() => "all".to_string(),
            Origins::All(except) => format!("all but {}", except.join(" ")),
            Origins::Only(list) => list.join(" "),
        }
    }
}

/// Which goods a measure covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
pub enum Goods {
    All,
    /// HTS codes (digits) starting with one of these.
    Prefix {
        prefixes: Vec<String>,
    },
    /// A product list from the shared data folder.
    List {
        list: String,
        key: String,
    },
}

impl Goods {
    fn parse(text: &str) -> Result<Goods, String> {
        let text = text.trim();
        if text == "all" {
            return Ok(Goods::All);
        }
        if let Some(rest) = text.strip_prefix("prefix:") {
            return Ok(Goods::Prefix {
                prefixes: rest.split_whitespace().map(str::to_string).collect(),
            });
        }
        if let Some(rest) = text.strip_prefix("list:") {
            let (list, key) = rest.split_once(':').unwrap_or((rest, "*"));
            return Ok(Goods::List {
                list: list.to_string(),
                key: key.to_string(),
            });
        }
        Err(format!(
            "goods {text:?}: expected all, prefix:... or list:NAME:KEY"
        ))
    }

    /// `all goods`, `HTS 8703...`, `list s301 9903.88.15`.
    pub fn label(&self) -> String {
        match self {
            Goods::All => "all goods".to_string(),
            Goods::Prefix { prefixes } => format!("lines starting {}", prefixes.join(" ")),
            Goods::List { list, key } => format!("list {list} {key}"),
        }
    }
}

/// How a measure's rate works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureRate {
    /// Percent of the value, added to the line's duty.
    Add(Decimal),
    /// Percent of the value that replaces the line's own rate: the measure
    /// adds the difference, never less than nothing.
    Replace(Decimal),
    /// Nothing charged.
    Zero,
}

impl MeasureRate {
    fn parse(text: &str) -> Result<MeasureRate, String> {
        let t = text.trim();
        if t == "0" {
            return Ok(MeasureRate::Zero);
        }
        let pct = |s: &str| -> Result<Decimal, String> {
            s.trim_end_matches('%')
                .parse::<Decimal>()
                .map_err(|_| format!("rate {text:?}: expected +N%, =N% or 0"))
        };
        if let Some(rest) = t.strip_prefix('+') {
            Ok(MeasureRate::Add(pct(rest)?))
        } else if let Some(rest) = t.strip_prefix('=') {
            Ok(MeasureRate::Replace(pct(rest)?))
        } else {
            Err(format!("rate {text:?}: expected +N%, =N% or 0"))
        }
    }

    /// `+7.5%`, `15% (replaces the line's rate)`, `0`.
    pub fn label(&self) -> String {
        match self {
            MeasureRate::Add(p) => format!("+{}%", p.normalize()),
            MeasureRate::Replace(p) => format!("{}% in place of the line's rate", p.normalize()),
            MeasureRate::Zero => "0".to_string(),
        }
    }
}

/// What a row does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Charged,
    Suspended,
    MayExclude,
    /// Applies only to some goods of the lines it names, which the code
    /// cannot tell (ship-to-shore gantry cranes within 8426.19.00):
    /// reported as "may apply: see CODE", never charged.
    MayApply,
    NotComputed,
    Ended,
}

/// One row of `hs-data/measures.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub code: String,
    pub authority: String,
    pub description: String,
    pub origins: Origins,
    pub goods: Goods,
    pub rate: MeasureRate,
    pub from: Option<Date>,
    pub until: Option<Date>,
    pub status: Status,
    pub group: String,
    pub exempt: Vec<String>,
    pub note: String,
    pub source: String,
}

impl Measure {
    /// The row as a "may apply" note names it: `CODE (authority,
    /// description, rate)`.
    fn named(&self) -> String {
        format!(
            "{} ({}, {}, {})",
            self.code,
            self.authority,
            self.description,
            self.rate.label()
        )
    }

    /// Whether the row's dates include `date`.
    pub fn in_force_on(&self, date: Date) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date <= u)
    }
}

const MEASURES: Spec = Spec {
    file: "measures.csv",
    columns: &[
        "code",
        "authority",
        "description",
        "origins",
        "goods",
        "rate",
        "from",
        "until",
        "status",
        "group",
        "exempt",
        "note",
        "source",
    ],
    required: &[
        "code",
        "authority",
        "description",
        "origins",
        "goods",
        "rate",
        "status",
        "source",
    ],
};

fn table_error(message: String) -> TariffError {
    TariffError::Table {
        table: "measures.csv",
        message,
    }
}

/// Parses `hs-data/measures.csv`.
pub fn parse_measures(text: &str) -> Result<Vec<Measure>, TableError> {
    tables::read(&MEASURES, text)?
        .iter()
        .map(|r| {
            let status_text = r.get("status");
            let status = Status::deserialize(serde::de::value::StrDeserializer::<
                serde::de::value::Error,
            >::new(status_text))
            .map_err(|e| r.error("status", format!("`{status_text}`: {e}")))?;
            Ok(Measure {
                origins: Origins::parse(r.get("origins")),
                goods: Goods::parse(r.get("goods")).map_err(|m| r.error("goods", m))?,
                rate: MeasureRate::parse(r.get("rate")).map_err(|m| r.error("rate", m))?,
                from: optional_date(r, "from")?,
                until: optional_date(r, "until")?,
                status,
                group: r.get("group").to_string(),
                exempt: exemptions(r.list("exempt")?).map_err(|m| r.error("exempt", m))?,
                note: r.get("note").to_string(),
                source: r.get("source").to_string(),
                authority: r.get("authority").to_string(),
                description: r.get("description").to_string(),
                code: r.get("code").to_string(),
            })
        })
        .collect()
}

/// The exemption column's words, each checked: an unknown word would be
/// an exemption silently never applied.
fn exemptions(words: Vec<String>) -> Result<Vec<String>, String> {
    for w in &words {
        let known = matches!(
            w.as_str(),
            "annex2" | "s232" | "usmca" | "cafta-textiles" | "parts-use"
        ) || w
            .strip_prefix("with:")
            .or_else(|| w.strip_prefix("or:"))
            .is_some_and(|c| Code::parse(c).is_ok_and(|c| c.digits().starts_with("99")));
        if !known {
            return Err(format!(
                "`{w}` is not an exemption (annex2, s232, usmca, cafta-textiles, parts-use, with:CODE, or:CODE with CODE a chapter 99 heading)"
            ));
        }
    }
    Ok(words)
}

/// The parsed table ([`crate::tables::builtin`]).
///
/// # Errors
/// [`TariffError::Table`] naming the line and column that is malformed.
pub fn measure_rows() -> Result<Vec<Measure>, TariffError> {
    Ok(super::tables()?.measures.clone())
}

/// One entry of a product list: an HTS code prefix (digits), with the day
/// it joined the list when the list says.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    digits: String,
    from: Option<Date>,
}

/// The product lists, by list name and key (a heading or an annex).
#[derive(Debug, Default)]
struct Lists {
    lists: BTreeMap<(String, String), Vec<Entry>>,
}

fn digits(code: &str) -> String {
    code.chars().filter(char::is_ascii_digit).collect()
}

impl Lists {
    fn add(&mut self, list: &str, key: &str, code: &str, from: Option<Date>) {
        let d = digits(code);
        if d.len() >= 4 {
            self.lists
                .entry((list.to_string(), key.to_string()))
                .or_default()
                .push(Entry { digits: d, from });
        }
    }

    /// Entries of `list` under `key` (`*` = every key).
    fn entries<'a>(&'a self, list: &'a str, key: &'a str) -> impl Iterator<Item = &'a Entry> {
        self.lists
            .iter()
            .filter(move |((l, k), _)| l == list && (key == "*" || k == key))
            .flat_map(|(_, v)| v.iter())
    }
}

/// How a line matches a list: every statistical line of it, or only some.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hit {
    Whole,
    Part,
}

fn hit(line: &str, entry: &str) -> Option<Hit> {
    if line.starts_with(entry) {
        Some(Hit::Whole)
    } else if entry.starts_with(line) {
        Some(Hit::Part)
    } else {
        None
    }
}

/// The measures table and the product lists it refers to.
#[derive(Debug)]
pub struct Measures {
    pub rows: Vec<Measure>,
    lists: Lists,
    annex2: BTreeSet<String>,
}

fn read_file(dir: &Path, rel: &str) -> Result<String, TariffError> {
    std::fs::read_to_string(dir.join(rel)).map_err(|e| TariffError::Table {
        table: "measures.csv",
        message: format!("cannot read {}: {e}", dir.join(rel).display()),
    })
}

fn csv_rows(dir: &Path, rel: &str) -> Result<Vec<Vec<String>>, TariffError> {
    let text = read_file(dir, rel)?;
    let mut out = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    for rec in reader.records() {
        let rec = rec.map_err(|e| table_error(format!("{rel}: {e}")))?;
        out.push(rec.iter().map(str::to_string).collect());
    }
    if out.is_empty() {
        return Err(table_error(format!("{rel} has no rows")));
    }
    Ok(out)
}

#[derive(Deserialize)]
struct CbpList {
    entries: Vec<CbpEntry>,
}

#[derive(Deserialize)]
struct CbpEntry {
    chapter99: String,
    hts: String,
}

#[derive(Deserialize)]
struct Annex2 {
    codes: Vec<String>,
}

impl Measures {
    /// Reads the table and the product lists from the data folder `dir`.
    ///
    /// # Errors
    /// A list file that is missing or malformed, named.
    pub fn load(dir: &Path) -> Result<Measures, TariffError> {
        let rows = measure_rows()?;
        let mut lists = Lists::default();
        let cell = |r: &[String], i: usize| r.get(i).cloned().unwrap_or_default();
        for r in csv_rows(dir, &format!("{YALE}/s301_product_lists.csv"))? {
            lists.add("s301", &cell(&r, 2), &cell(&r, 0), None);
        }
        let cbp: CbpList = serde_json::from_str(&read_file(dir, CBP_METALS)?)
            .map_err(|e| table_error(format!("{CBP_METALS}: {e}")))?;
        for e in &cbp.entries {
            lists.add("cbp-metals", &e.chapter99, &e.hts, None);
        }
        for r in csv_rows(dir, &format!("{YALE}/s232_annex_products.csv"))? {
            lists.add("s232-annex", &cell(&r, 1), &cell(&r, 0), None);
        }
        for r in csv_rows(dir, &format!("{YALE}/s232_derivative_products.csv"))? {
            let from = Date::parse(&cell(&r, 3)).ok();
            lists.add("s232-derivative", &cell(&r, 1), &cell(&r, 0), from);
        }
        for r in csv_rows(dir, &format!("{YALE}/s232_copper_products.csv"))? {
            lists.add("s232-copper", &cell(&r, 1), &cell(&r, 0), None);
        }
        for r in csv_rows(dir, &format!("{YALE}/s232_semi_products.csv"))? {
            lists.add("s232-semi", &cell(&r, 1), &cell(&r, 0), None);
        }
        for (name, file) in [
            ("s232-auto-parts", "s232_auto_parts.txt"),
            ("s232-mhd-parts", "s232_mhd_parts.txt"),
        ] {
            let text = read_file(dir, &format!("{YALE}/{file}"))?;
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                lists.add(name, "*", line, None);
            }
        }
        let annex: Annex2 = serde_json::from_str(&read_file(dir, ANNEX2)?)
            .map_err(|e| table_error(format!("{ANNEX2}: {e}")))?;
        let annex2: BTreeSet<String> = annex.codes.iter().map(|c| digits(c)).collect();
        if annex2.is_empty() {
            return Err(table_error(format!("{ANNEX2} lists no codes")));
        }
        for m in &rows {
            if let Goods::List { list, key } = &m.goods
                && lists.entries(list, key).next().is_none()
            {
                return Err(table_error(format!(
                    "{}: the product list {list} {key} is empty or missing",
                    m.code
                )));
            }
        }
        Ok(Measures {
            rows,
            lists,
            annex2,
        })
    }

    /// How the line (its code's digits) falls under a row's goods on `date`.
    fn goods_hit(&self, m: &Measure, line: &str, date: Date) -> Option<Hit> {
        match &m.goods {
            Goods::All => Some(Hit::Whole),
            Goods::Prefix { prefixes } => prefixes
                .iter()
                .filter_map(|p| hit(line, p))
                .min_by_key(|h| *h as u8),
            Goods::List { list, key } => self
                .lists
                .entries(list, key)
                .filter(|e| e.from.is_none_or(|f| f <= date))
                .filter_map(|e| hit(line, &e.digits))
                .min_by_key(|h| *h as u8),
        }
    }

    /// The lines (digits) a row's list names, for `hs measures CODE --lines`.
    pub fn listed(&self, m: &Measure) -> Vec<String> {
        self.listed_on(m, None)
    }

    /// The lines a row's list names on `date` (an entry with its own
    /// effective date, as the derivative lists have, only from that day);
    /// every entry when `None`.
    pub fn listed_on(&self, m: &Measure, date: Option<Date>) -> Vec<String> {
        let mut out: Vec<String> = match &m.goods {
            Goods::All => Vec::new(),
            Goods::Prefix { prefixes } => prefixes.clone(),
            Goods::List { list, key } => self
                .lists
                .entries(list, key)
                .filter(|e| match (date, e.from) {
                    (Some(d), Some(f)) => f <= d,
                    _ => true,
                })
                .map(|e| e.digits.clone())
                .collect(),
        };
        out.sort();
        out.dedup();
        out
    }

    /// Rows whose dates include `date` and whose origins include `origin`
    /// (any origin when `None`).
    pub fn in_force(&self, date: Date, origin: Option<&str>) -> Vec<&Measure> {
        self.rows
            .iter()
            .filter(|m| m.in_force_on(date) && m.status != Status::Ended)
            .filter(|m| origin.is_none_or(|o| m.origins.covers(o)))
            .collect()
    }

    /// The measures that apply to a line from an origin on a date.
    pub fn apply(&self, q: &Query<'_>) -> Additional {
        let line = digits(q.line);
        let mut out = Additional::default();
        let mut may = Vec::new();
        let mut groups: BTreeSet<&str> = BTreeSet::new();
        let mut under_232 = false;
        let mut rate_sum = Some(Decimal::ZERO);
        let mut amount_sum = Some(Decimal::ZERO);
        // Headings a row's `with:` exemption names, that apply to these
        // goods: their notes set the row's goods apart (auto parts owe no
        // metals duty, U.S. note 33; semiconductors neither, note 39).
        let named: BTreeSet<&str> = self
            .rows
            .iter()
            .flat_map(|m| m.exempt.iter().filter_map(|e| e.strip_prefix("with:")))
            .collect();
        let displacing: BTreeSet<&str> = self
            .rows
            .iter()
            .filter(|m| named.contains(m.code.as_str()))
            .filter(|m| matches!(m.status, Status::Charged | Status::NotComputed))
            .filter(|m| m.origins.covers(q.origin) && m.in_force_on(q.date))
            .filter(|m| self.goods_hit(m, &line, q.date).is_some())
            .filter(|m| !by_use_only(m, &line))
            .map(|m| m.code.as_str())
            .collect();
        for m in &self.rows {
            if !m.origins.covers(q.origin) {
                continue;
            }
            let Some(h) = self.goods_hit(m, &line, q.date) else {
                continue;
            };
            if m.status == Status::Ended {
                if m.until.is_some_and(|u| q.date > u) && m.from.is_none_or(|f| f <= q.date) {
                    out.notes.push(format!(
                        "{} ({}, {}) is not applied: collection of IEEPA duties ended on 2026-02-24 after the Supreme Court's decision in Learning Resources v. Trump (2026-02-20); EO 14389 and CBP CSMS #67834313.",
                        m.code, m.authority, m.description
                    ));
                } else if m.in_force_on(q.date) {
                    out.notes.push(format!(
                        "{} ({}, {}, {}) applied to these goods on {} but is not computed here ({}).",
                        m.code,
                        m.authority,
                        m.description,
                        m.rate.label(),
                        q.date,
                        m.source
                    ));
                }
                continue;
            }
            if !m.in_force_on(q.date) {
                continue;
            }
            let part = if h == Hit::Part {
                format!(
                    " Only some statistical lines of {} are listed: give the 10-digit line to be sure.",
                    q.line
                )
            } else {
                String::new()
            };
            match m.status {
                Status::Suspended => out.notes.push(format!(
                    "{} ({}) lists these goods but is suspended: not charged. {}",
                    m.code, m.description, m.note
                )),
                Status::MayApply => {
                    out.may_apply.push(m.code.clone());
                    out.notes.push(format!(
                        "may apply: see {}, not charged: {}",
                        m.named(),
                        m.note.trim()
                    ));
                }
                Status::MayExclude => {
                    out.may_be_excluded.push(m.code.clone());
                    out.notes.push(format!(
                        "may be excluded: see {}. {}",
                        m.code,
                        m.note.trim()
                    ));
                }
                Status::NotComputed => {
                    if m.authority == "Section 232" {
                        under_232 = true;
                    }
                    rate_sum = None;
                    amount_sum = None;
                    out.notes.push(format!(
                        "{} ({}, {}) applies: {}{part}",
                        m.code, m.authority, m.description, m.note
                    ));
                }
                Status::Charged | Status::Ended => {
                    if !m.group.is_empty() && groups.contains(m.group.as_str()) {
                        continue;
                    }
                    let settled = Settled {
                        under_232,
                        displacing: &displacing,
                        charged: &out.applied,
                    };
                    match self.exempt(m, q, &line, &settled, &mut out.notes, &mut may) {
                        Some(Exemption::NotApplied(why)) => {
                            out.notes.push(why);
                            continue;
                        }
                        Some(Exemption::Instead(why)) => {
                            out.may_apply.push(m.code.clone());
                            out.notes.push(why);
                            // The group's later rows are alternatives of
                            // this one: not reported beside it.
                            if !m.group.is_empty() {
                                groups.insert(m.group.as_str());
                            }
                            continue;
                        }
                        None => {}
                    }
                    if !m.group.is_empty() {
                        groups.insert(m.group.as_str());
                    }
                    if m.authority == "Section 232" {
                        under_232 = true;
                    }
                    let (amount, reason) = amount_of(m.rate, q);
                    match (m.rate, amount) {
                        (MeasureRate::Add(p), _) => {
                            rate_sum = rate_sum.map(|s| s + p);
                        }
                        _ => rate_sum = None,
                    }
                    amount_sum = match (amount_sum, amount) {
                        (Some(s), Some(a)) => s.checked_add(a),
                        _ => None,
                    };
                    let mut note = m.note.trim().to_string();
                    note.push_str(&part);
                    if let Some(r) = reason {
                        note = format!("{r} {note}").trim().to_string();
                    }
                    out.applied.push(Applied {
                        code: m.code.clone(),
                        authority: m.authority.clone(),
                        description: m.description.clone(),
                        rate: m.rate.label(),
                        amount,
                        source: m.source.clone(),
                        note,
                    });
                }
            }
        }
        out.may_be_excluded.extend(may);
        out.additional_rate = rate_sum;
        out.additional_duty = if q.value.is_some() {
            amount_sum.map(super::duty::cents)
        } else {
            None
        };
        if let Ok(through) = Date::parse(DATA_THROUGH)
            && q.date > through
        {
            out.warnings.push(format!(
                "{} is after the newest measures data ({DATA_THROUGH}: HTS 2026 Revision 12, CBP metals list of 2026-06-08); later changes are not known.",
                q.date
            ));
        }
        out
    }

    /// Why `m` does not apply to these goods, when an exemption of its row
    /// settles it; notes an exemption the query cannot settle.
    fn exempt(
        &self,
        m: &Measure,
        q: &Query<'_>,
        line: &str,
        settled: &Settled<'_>,
        notes: &mut Vec<String>,
        may: &mut Vec<String>,
    ) -> Option<Exemption> {
        for e in &m.exempt {
            if let Some(c) = e.strip_prefix("with:")
                && settled.displacing.contains(c)
            {
                return Some(Exemption::NotApplied(format!(
                    "{} ({}) does not apply: the goods are under heading {c}, whose U.S. note sets them apart from it.",
                    m.code, m.authority
                )));
            }
            if let Some(c) = e.strip_prefix("or:")
                && let Some(other) = settled.charged.iter().find(|a| a.code == c)
            {
                return Some(Exemption::Instead(format!(
                    "may apply instead of {c}: see {}, not charged: the line is listed for both; {} is charged ({}). {}",
                    m.named(),
                    other.code,
                    other.description,
                    m.note.trim()
                )));
            }
            match e.as_str() {
                "parts-use" if by_use_only(m, line) => {
                    return Some(Exemption::Instead(format!(
                        "may apply: see {}, not charged: a line outside chapter 87 owes it only when the goods are vehicle parts, which the code does not say. {}",
                        m.named(),
                        m.note.trim()
                    )));
                }
                "annex2" => {
                    // Annex II names 8-digit lines and some whole 6-digit
                    // subheadings (note 2(aa)(ii): everything under them).
                    let listed = [6, 8, 10]
                        .iter()
                        .any(|&n| line.get(..n).is_some_and(|p| self.annex2.contains(p)));
                    if listed {
                        return Some(Exemption::NotApplied(format!(
                            "{} ({}) does not apply: {} is in Annex II (heading 9903.03.03).",
                            m.code, m.authority, q.line
                        )));
                    }
                }
                "s232" if settled.under_232 => {
                    return Some(Exemption::NotApplied(format!(
                        "{} ({}) does not apply: the goods are subject to Section 232 ({}).",
                        m.code,
                        m.authority,
                        if m.code.starts_with("9903.05") {
                            "heading 9903.05.07"
                        } else {
                            "heading 9903.03.06"
                        }
                    )));
                }
                "usmca" if q.origin == "CA" || q.origin == "MX" => {
                    let heading = if q.origin == "CA" {
                        "9903.03.07"
                    } else {
                        "9903.03.08"
                    };
                    if matches!(q.program, Some("S" | "S+")) {
                        return Some(Exemption::NotApplied(format!(
                            "{} ({}) does not apply: USMCA goods of {} (heading {heading}).",
                            m.code, m.authority, q.origin
                        )));
                    }
                    may.push(heading.to_string());
                    notes.push(format!(
                        "may be excluded: see {heading} (USMCA-originating goods of {} are exempt from {}).",
                        q.origin, m.code
                    ));
                }
                "cafta-textiles" if CAFTA_DR.contains(&q.origin) && is_textile(line) => {
                    if matches!(q.program, Some("P" | "P+")) {
                        return Some(Exemption::NotApplied(format!(
                            "{} ({}) does not apply: CAFTA-DR textiles and apparel (heading 9903.03.09).",
                            m.code, m.authority
                        )));
                    }
                    may.push("9903.03.09".to_string());
                    notes.push(format!(
                        "may be excluded: see 9903.03.09 (CAFTA-DR-originating textiles and apparel are exempt from {}).",
                        m.code
                    ));
                }
                _ => {}
            }
        }
        None
    }
}

/// What the rows before a row settled about the goods, for its
/// exemptions: whether a Section 232 row applies, which headings that
/// `with:` exemptions name apply to them, and the rows charged so far.
struct Settled<'a> {
    under_232: bool,
    displacing: &'a BTreeSet<&'a str>,
    charged: &'a [Applied],
}

/// True when a row charges vehicle parts by their use (`parts-use`) and
/// the line is outside chapter 87: its goods (computers, motors, bearings,
/// batteries) are vehicle parts only by use, which the code does not say
/// (U.S. note 33(h)(ii): such goods that are not parts of passenger
/// vehicles or light trucks take 9903.94.06, no duty).
fn by_use_only(m: &Measure, line: &str) -> bool {
    m.exempt.iter().any(|e| e == "parts-use") && !line.starts_with("87")
}

/// Why a charged row is left out for these goods.
enum Exemption {
    /// Its goods are set apart from it: a note saying why.
    NotApplied(String),
    /// It and an earlier charged row are alternatives by a fact the
    /// query cannot know (the vehicle a part is for), or it applies only
    /// by a use the code does not say: reported as "may apply", never
    /// charged.
    Instead(String),
}

/// Chapters 50-63: textiles and apparel.
fn is_textile(line: &str) -> bool {
    line.get(..2)
        .and_then(|c| c.parse::<u32>().ok())
        .is_some_and(|c| (50..=63).contains(&c))
}

/// The amount a row adds, or why it cannot be computed.
fn amount_of(rate: MeasureRate, q: &Query<'_>) -> (Option<Decimal>, Option<String>) {
    let Some(value) = q.value else {
        return (None, None);
    };
    let pct = |p: Decimal| value.checked_mul(p).map(|x| x / Decimal::ONE_HUNDRED);
    match rate {
        MeasureRate::Zero => (Some(Decimal::ZERO), None),
        MeasureRate::Add(p) => (pct(p).map(super::duty::cents), None),
        MeasureRate::Replace(p) => match q.line_duty {
            Some(own) => (
                pct(p).map(|x| super::duty::cents((x - own).max(Decimal::ZERO))),
                None,
            ),
            None => (
                None,
                Some("This rate replaces the line's own rate, whose duty is not computed here; the amount it adds is not known.".to_string()),
            ),
        },
    }
}

/// A line, an origin, a date, and what the duty computation found.
#[derive(Debug, Clone)]
pub struct Query<'a> {
    /// The line's code (any punctuation).
    pub line: &'a str,
    /// Upper-case alpha-2.
    pub origin: &'a str,
    pub date: Date,
    pub value: Option<Decimal>,
    /// The duty at the line's own rate, when computed.
    pub line_duty: Option<Decimal>,
    /// The Special-column program the duty used (`S`, `P`), if any.
    pub program: Option<&'a str>,
}

/// One measure applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Applied {
    /// The chapter 99 heading (`9903.88.15`).
    pub code: String,
    /// `Section 301`, `Section 232`, `Section 122`...
    pub authority: String,
    pub description: String,
    /// `+7.5%`, or `15% in place of the line's rate`.
    pub rate: String,
    /// USD; null without a value or when it cannot be computed.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub amount: Option<Decimal>,
    pub source: String,
    /// Conditions, limits (empty when none).
    pub note: String,
}

/// The measures applied to a line and what could not be settled.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Additional {
    pub applied: Vec<Applied>,
    /// Sum of the amounts (USD), when every one is computed.
    pub additional_duty: Option<Decimal>,
    /// Sum of the ad valorem rates (percent), when every measure applied
    /// simply adds a percentage.
    pub additional_rate: Option<Decimal>,
    /// Exclusions that may apply, measures not computed, measures that ended.
    pub notes: Vec<String>,
    /// The headings of exclusions that depend on facts the query cannot
    /// know (`9903.88.69`), in the order the notes name them.
    pub may_be_excluded: Vec<String>,
    /// The headings of measures that apply only to some goods of the
    /// lines they name, which the query cannot tell (`9903.92.10`).
    pub may_apply: Vec<String>,
    pub warnings: Vec<String>,
}

/// The result of checking the table's Section 301 headings against the
/// footnotes of a schedule export (`See 9903.88.15.`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FootnoteCheck {
    /// 8-digit lines whose footnotes cite a heading the table assigns by
    /// list (9903.88.01-.04, .15, .16, 9903.91.xx).
    pub lines: usize,
    /// Of those, lines where the table assigns every cited heading.
    pub agree: usize,
    /// `(line, cited heading)` the table does not assign.
    pub missing: Vec<(String, String)>,
    /// `(line, heading)` the table assigns but the footnotes do not cite.
    pub extra: Vec<(String, String)>,
}

impl FootnoteCheck {
    /// Agreement in percent of [`FootnoteCheck::lines`].
    pub fn rate(&self) -> f64 {
        if self.lines == 0 {
            return 0.0;
        }
        // usize -> f64 is exact for any count of lines.
        #[allow(clippy::cast_precision_loss)]
        let r = self.agree as f64 * 100.0 / self.lines as f64;
        r
    }
}

#[derive(Deserialize)]
struct ExportLine {
    htsno: String,
    #[serde(default)]
    footnotes: Vec<ExportNote>,
}

#[derive(Deserialize)]
struct ExportNote {
    #[serde(default)]
    value: String,
}

impl Measures {
    /// Compares the headings the table's `s301` lists give each 8-digit line
    /// with the headings the schedule's footnotes cite (`json` is the text of
    /// a USITC JSON export).
    ///
    /// # Errors
    /// The export does not parse.
    pub fn check_footnotes(&self, json: &str) -> Result<FootnoteCheck, TariffError> {
        let lines: Vec<ExportLine> =
            serde_json::from_str(json).map_err(|e| table_error(format!("schedule export: {e}")))?;
        // The headings the table assigns by the s301 list.
        let headings: BTreeSet<&str> = self
            .rows
            .iter()
            .filter_map(|m| match &m.goods {
                Goods::List { list, key } if list == "s301" && key != "*" => Some(key.as_str()),
                _ => None,
            })
            .collect();
        let mut assigned: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for h in &headings {
            for e in self.lists.entries("s301", h) {
                assigned
                    .entry(e.digits.clone())
                    .or_default()
                    .insert((*h).to_string());
            }
        }
        // The headings cited by each 8-digit line or any of its 10-digit
        // lines (the export prints most footnotes on the 10-digit lines).
        let mut cited: BTreeMap<String, (String, BTreeSet<String>)> = BTreeMap::new();
        for line in &lines {
            let d = digits(&line.htsno);
            if d.len() < 8 || d.starts_with("99") {
                continue;
            }
            let eight = d.get(..8).unwrap_or(&d).to_string();
            let entry = cited.entry(eight).or_insert_with(|| {
                (
                    line.htsno.get(..10).unwrap_or(&line.htsno).to_string(),
                    BTreeSet::new(),
                )
            });
            entry.1.extend(
                line.footnotes
                    .iter()
                    .flat_map(|n| cited_headings(&n.value))
                    .filter(|h| headings.contains(h.as_str())),
            );
        }
        let mut out = FootnoteCheck::default();
        for (eight, (shown, cites)) in &cited {
            let ours = assigned.get(eight).cloned().unwrap_or_default();
            for h in ours.difference(cites) {
                out.extra.push((shown.clone(), h.clone()));
            }
            if cites.is_empty() {
                continue;
            }
            out.lines += 1;
            let missing: Vec<&String> = cites.difference(&ours).collect();
            if missing.is_empty() {
                out.agree += 1;
            }
            for h in missing {
                out.missing.push((shown.clone(), h.clone()));
            }
        }
        Ok(out)
    }
}

/// Chapter 99 headings cited in a footnote: `See 9903.88.03 and 9903.88.56.`
fn cited_headings(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("9903.") {
        let cand = rest.get(i..i + 10).unwrap_or("");
        let ok = cand.len() == 10
            && cand.chars().enumerate().all(|(j, c)| {
                if j == 4 || j == 7 {
                    c == '.'
                } else {
                    c.is_ascii_digit()
                }
            });
        if ok {
            out.push(cand.to_string());
        }
        rest = rest.get(i + 5..).unwrap_or("");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data_dir() -> std::path::PathBuf {
        match std::env::var_os("HS_DATA_DIR") {
            Some(d) => d.into(),
            None => crate::load::BUILTIN_DATA_DIR.into(),
        }
    }

    fn measures() -> Measures {
        Measures::load(&data_dir()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn apply(m: &Measures, line: &str, origin: &str, date: &str) -> Additional {
        m.apply(&Query {
            line,
            origin,
            date: day(date),
            value: Some(Decimal::from(1000)),
            line_duty: Some(Decimal::from(25)),
            program: None,
        })
    }

    fn codes(a: &Additional) -> Vec<&str> {
        a.applied.iter().map(|x| x.code.as_str()).collect()
    }

    #[test]
    fn exclusions_the_query_cannot_settle_are_listed_by_heading() {
        let m = measures();
        let a = apply(&m, "6109100012", "CN", "2026-08-01");
        assert_eq!(a.may_be_excluded, vec!["9903.88.69", "9903.88.70"], "{a:?}");
        for h in &a.may_be_excluded {
            assert!(
                a.notes
                    .iter()
                    .any(|n| n.starts_with(&format!("may be excluded: see {h}"))),
                "{a:?}"
            );
        }
        assert!(
            apply(&m, "6109100012", "VN", "2026-08-01")
                .may_be_excluded
                .is_empty()
        );
    }

    #[test]
    fn every_row_parses_with_a_source_and_a_list() {
        let m = measures();
        assert!(m.rows.len() >= 40);
        assert!(m.rows.iter().all(|r| !r.source.trim().is_empty()));
        assert!(!m.listed(&m.rows[0]).is_empty());
    }

    #[test]
    fn a_part_listed_for_both_kinds_of_vehicle_is_charged_once() {
        let m = measures();
        let auto: Vec<String> = m
            .lists
            .entries("s232-auto-parts", "*")
            .map(|e| e.digits.clone())
            .collect();
        let mhd: Vec<String> = m
            .lists
            .entries("s232-mhd-parts", "*")
            .map(|e| e.digits.clone())
            .collect();
        assert!(
            auto.len() > 100 && mhd.len() > 100,
            "{} {}",
            auto.len(),
            mhd.len()
        );
        let mut both = 0;
        for line in auto.iter().chain(&mhd) {
            let line = format!("{line:0<10}");
            let a = apply(&m, &line, "IN", "2026-08-01");
            let parts: Vec<&str> = codes(&a)
                .into_iter()
                .filter(|c| *c == "9903.94.05" || *c == "9903.74.08")
                .collect();
            if !line.starts_with("87") {
                // Vehicle parts only by use: never charged, said.
                assert!(parts.is_empty() && !a.may_apply.is_empty(), "{line}: {a:?}");
                continue;
            }
            assert_eq!(parts.len(), 1, "{line}: {a:?}");
            if a.may_apply.iter().any(|c| c == "9903.74.08") {
                both += 1;
                assert_eq!(parts, ["9903.94.05"], "{line}");
                assert!(
                    a.notes
                        .iter()
                        .any(|n| n.starts_with("may apply instead of 9903.94.05: see 9903.74.08")),
                    "{a:?}"
                );
            }
        }
        // 8708.10.30 (bumpers) is on both lists; a line only on the
        // medium- and heavy-duty list is charged that heading.
        assert!(both > 30, "{both}");
        let a = apply(&m, "8708103000", "IN", "2026-08-01");
        assert_eq!(a.may_apply, ["9903.74.08"], "{a:?}");
        // Of the EU, the part's own heading is the one charged.
        let a = apply(&m, "8708103000", "DE", "2026-08-01");
        assert_eq!(a.may_apply, ["9903.74.08"], "{a:?}");
        assert!(codes(&a).contains(&"9903.94.53"), "{a:?}");
        let only_mhd = mhd
            .iter()
            .map(|l| format!("{l:0<10}"))
            .find(|l| apply(&m, l, "IN", "2026-08-01").may_apply.is_empty())
            .unwrap_or_default();
        assert!(codes(&apply(&m, &only_mhd, "IN", "2026-08-01")).contains(&"9903.74.08"));
    }

    #[test]
    fn an_unknown_exemption_word_is_an_error() {
        let head = "code,authority,description,origins,goods,rate,from,until,status,group,exempt,note,source\n";
        let row = |exempt: &str| format!("{head}9903.01.01,X,d,*,all,+1%,,,charged,,{exempt},,s\n");
        assert!(parse_measures(&row("usmca or:9903.94.05")).is_ok());
        for bad in ["usmac", "or:8708.10", "with:", "or:x"] {
            let e = parse_measures(&row(bad)).expect_err(bad).to_string();
            assert!(e.contains("exempt") && e.contains(bad), "{e}");
        }
    }

    #[test]
    fn list_4b_is_never_charged_and_301_rows_are_exclusive() {
        let m = measures();
        // A List 4B line: noted as suspended, nothing charged.
        let line = m
            .lists
            .entries("s301", "9903.88.16")
            .next()
            .map(|e| e.digits.clone())
            .unwrap_or_default();
        let a = apply(&m, &line, "CN", "2026-08-01");
        assert!(!codes(&a).contains(&"9903.88.16"), "{a:?}");
        assert!(a.notes.iter().any(|n| n.contains("suspended")), "{a:?}");
        // At most one Section 301 heading per line.
        for e in m.lists.entries("s301", "*").take(3000) {
            let a = apply(&m, &e.digits, "CN", "2026-08-01");
            let n = a
                .applied
                .iter()
                .filter(|x| x.authority == "Section 301")
                .count();
            assert!(n <= 1, "{}: {a:?}", e.digits);
        }
    }

    #[test]
    fn section_232_metals_take_one_heading_and_replace_rates_never_go_negative() {
        let m = measures();
        for e in m.lists.entries("cbp-metals", "*") {
            for origin in ["DE", "GB", "JP", "RU", "CN"] {
                let a = apply(&m, &e.digits, origin, "2026-07-01");
                let metals = a
                    .applied
                    .iter()
                    .filter(|x| x.code.starts_with("9903.82") || x.code.starts_with("9903.85"))
                    .count();
                assert!(metals <= 1, "{} {origin}: {a:?}", e.digits);
                assert!(
                    a.applied
                        .iter()
                        .all(|x| x.amount.is_none_or(|v| !v.is_sign_negative())),
                    "{a:?}"
                );
                assert!(!codes(&a).contains(&"9903.03.01"));
            }
        }
    }

    #[test]
    fn section_122_window_annex_ii_and_usmca() {
        let m = measures();
        let annex = m.annex2.iter().next().cloned().unwrap_or_default();
        let a = apply(&m, &annex, "VN", "2026-03-01");
        assert!(!codes(&a).contains(&"9903.03.01"), "{a:?}");
        let a = apply(&m, "61091000", "VN", "2026-03-01");
        assert_eq!(codes(&a), ["9903.03.01"]);
        let a = apply(&m, "61091000", "VN", "2026-02-23");
        assert!(codes(&a).is_empty());
        let a = apply(&m, "61091000", "VN", "2026-07-24");
        assert!(codes(&a).is_empty());
        let mut q = Query {
            line: "61091000",
            origin: "MX",
            date: day("2026-03-01"),
            value: Some(Decimal::from(1000)),
            line_duty: Some(Decimal::ZERO),
            program: Some("S"),
        };
        assert!(m.apply(&q).applied.is_empty());
        q.program = None;
        let a = m.apply(&q);
        assert_eq!(codes(&a), ["9903.03.01"]);
        assert!(
            a.notes
                .iter()
                .any(|n| n.contains("may be excluded: see 9903.03.08"))
        );
    }

    #[test]
    fn footnotes_cited_headings() {
        assert_eq!(
            cited_headings("See 9903.88.03 and 9903.88.56."),
            ["9903.88.03", "9903.88.56"]
        );
        assert!(cited_headings("See chapter 99 statistical note 1.").is_empty());
    }

    /// Issue 15 item 8: the Revision 12 footnotes against the table.
    #[test]
    fn the_table_agrees_with_the_revision_12_footnotes() {
        let m = measures();
        let path = data_dir().join("us-hts/hts_2026_revision_12.json");
        let Ok(text) = std::fs::read_to_string(&path) else {
            panic!("{} is missing", path.display());
        };
        let c = m.check_footnotes(&text).unwrap_or_else(|e| panic!("{e}"));
        assert!(c.lines > 10_000, "{c:?}");
        assert!(
            c.rate() >= 99.0,
            "agreement {:.2}% {:?}",
            c.rate(),
            c.missing
        );
    }
}
