//! Controlled-goods flags: the built-in table `hs-data/controlled.csv`, which maps
//! HS code ranges to control categories (arms, narcotics, CITES, ...), and the
//! look-ups that tell which flags apply to a code.
//!
//! Flags are advice to check, never a legal verdict: see [`DISCLAIMER`].
//! Front ends get the table once with [`builtin_table`] and report a code's
//! flags with [`code_flags`] ([`FlagTable::report`]: one row per category,
//! the most specific) and what is flagged only under it with
//! [`flags_under`]; `hs show` and the UI's detail pane call the same two.

use std::fmt;
use std::sync::OnceLock;

use serde::Serialize;

use crate::code::Code;
use crate::tables::{Row, Spec, TableError};

/// Shown wherever flags are shown.
pub const DISCLAIMER: &str = "Flags are advice to check, not a legal verdict: they mark HS codes under which \
some goods are commonly controlled (licences, permits, bans). Whether a shipment is controlled depends on \
the exact goods, their destination and the law of the countries involved; check with the competent authority.";

/// The disclaimer in one line, for narrow places (the UI's detail pane)
/// that show flags; [`DISCLAIMER`] says it in full.
pub const DISCLAIMER_SHORT: &str = "Flags are advice to check, not a legal verdict: check the exact goods, destination and law with the competent authority.";

/// Known categories as `(slug, one-line description)`; slugs are stable and used as `--flag CATEGORY`.
pub const CATEGORIES: &[(&str, &str)] = &[
    ("arms", "Arms, ammunition and military equipment"),
    ("explosives", "Explosives, detonators and pyrotechnics"),
    ("radioactive", "Radioactive and nuclear materials"),
    (
        "narcotics",
        "Narcotic drugs, psychotropic substances and their precursors",
    ),
    (
        "ozone",
        "Ozone-depleting substances and HFCs (Montreal Protocol) and equipment that may contain them",
    ),
    ("waste", "Hazardous and other wastes (Basel Convention)"),
    (
        "cites",
        "Endangered species of wild fauna and flora (CITES)",
    ),
    (
        "dual-use",
        "Dual-use goods: nuclear, chemical, biological, missile and other sensitive items",
    ),
    ("pharmaceuticals", "Medicines and pharmaceutical goods"),
    (
        "pesticides",
        "Pesticides and hazardous chemicals (Rotterdam and Stockholm Conventions)",
    ),
];

const CONTROLLED: Spec = Spec {
    file: "controlled.csv",
    columns: &["category", "from", "to", "reason", "source"],
    required: &["category", "from", "to", "reason", "source"],
};

/// The category a `--flag` filter may also name: any flag at all.
pub const ANY: &str = "any";

/// True when `name` is a known category slug.
pub fn is_category(name: &str) -> bool {
    CATEGORIES.iter().any(|(slug, _)| *slug == name)
}

/// The ASCII digits of `code`, so `"2939.41"` and `"293941"` look alike.
fn digits_of(code: &str) -> String {
    code.chars().filter(char::is_ascii_digit).collect()
}

/// An inclusive range of HS code prefixes of one length (2, 4 or 6 digits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeRange {
    /// First prefix, digits only.
    pub from: String,
    /// Last prefix, digits only; same length as `from`.
    pub to: String,
}

impl CodeRange {
    /// Number of digits of the range's prefixes.
    pub fn prefix_len(&self) -> usize {
        self.from.len()
    }

    /// True when `code` (any length, non-digits ignored) has a prefix in the range.
    /// A code shorter than the range's prefixes is not contained.
    pub fn contains(&self, code: &str) -> bool {
        self.contains_digits(&digits_of(code))
    }

    /// As [`CodeRange::contains`] for a code already reduced to its digits.
    fn contains_digits(&self, digits: &str) -> bool {
        match digits.get(..self.prefix_len()) {
            Some(prefix) => self.from.as_str() <= prefix && prefix <= self.to.as_str(),
            None => false,
        }
    }

    /// True when `code` is shorter than the range's prefixes and some codes under it are in the range.
    pub fn partly_under(&self, code: &str) -> bool {
        let code = digits_of(code);
        let k = code.len();
        if k == 0 || k >= self.prefix_len() {
            return false;
        }
        match (self.from.get(..k), self.to.get(..k)) {
            (Some(lo), Some(hi)) => lo <= code.as_str() && code.as_str() <= hi,
            _ => false,
        }
    }
}

/// Formats a digit code the HS way: `293941` as `2939.41`.
fn dotted(code: &str) -> String {
    match (code.get(..4), code.get(4..)) {
        (Some(head), Some(rest)) if !rest.is_empty() => format!("{head}.{rest}"),
        _ => code.to_string(),
    }
}

impl fmt::Display for CodeRange {
    /// `2939.41` for one prefix, `2939.41-2939.42` for a range.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.from == self.to {
            write!(f, "{}", dotted(&self.from))
        } else {
            write!(f, "{}-{}", dotted(&self.from), dotted(&self.to))
        }
    }
}

/// One row of the table: a category, why, according to what, and which codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// Category slug, one of [`CATEGORIES`].
    pub category: String,
    /// One-line reason.
    pub reason: String,
    /// Public source the row is based on.
    pub source: String,
    /// Codes the row covers.
    pub range: CodeRange,
}

/// Errors from reading a controlled-goods table; row numbers are file lines (header = 1).
/// The table is read by [`crate::tables::read`], whose errors are [`FlagError::Table`];
/// the other variants are kept for callers that match on them.
#[derive(Debug, thiserror::Error)]
pub enum FlagError {
    /// A row or the header cannot be read (file, line, column named).
    #[error(transparent)]
    Table(#[from] TableError),
    /// The CSV itself could not be read.
    #[error("controlled-goods table, row {row}: {source}")]
    Csv {
        /// File line of the row.
        row: u64,
        /// Underlying CSV error.
        #[source]
        source: csv::Error,
    },
    /// The header is not `category,from,to,reason,source`.
    #[error(
        "controlled-goods table: header must be `category,from,to,reason,source`, found `{found}`"
    )]
    Header {
        /// Header as found.
        found: String,
    },
    /// A row does not have five fields.
    #[error("controlled-goods table, row {row}: expected 5 fields, found {found}")]
    FieldCount {
        /// File line of the row.
        row: u64,
        /// Number of fields found.
        found: usize,
    },
    /// A field that must not be empty is empty or spans lines.
    #[error("controlled-goods table, row {row}: `{field}` must be one non-empty line")]
    BadText {
        /// File line of the row.
        row: u64,
        /// Column name.
        field: &'static str,
    },
    /// The category is not one of [`CATEGORIES`].
    #[error("controlled-goods table, row {row}: unknown category `{category}`")]
    UnknownCategory {
        /// File line of the row.
        row: u64,
        /// Category as found.
        category: String,
    },
    /// `from` or `to` is not a 2-, 4- or 6-digit code.
    #[error(
        "controlled-goods table, row {row}: `{field}` value `{value}` is not a 2-, 4- or 6-digit HS code"
    )]
    BadCode {
        /// File line of the row.
        row: u64,
        /// Column name.
        field: &'static str,
        /// Value as found.
        value: String,
    },
    /// `from` and `to` differ in length, or `from` comes after `to`.
    #[error(
        "controlled-goods table, row {row}: range `{from}`-`{to}` mixes code lengths or runs backwards"
    )]
    BadRange {
        /// File line of the row.
        row: u64,
        /// `from` as found.
        from: String,
        /// `to` as found.
        to: String,
    },
}

/// The controlled-goods table.
#[derive(Debug, Clone, Default)]
pub struct FlagTable {
    rows: Vec<Flag>,
    /// For each chapter 00-99, the rows whose range reaches into it (in
    /// table order), so a lookup reads a handful of rows, not all of them.
    by_chapter: Vec<Vec<usize>>,
}

/// The rows of `rows` reaching into each chapter.
fn chapter_index(rows: &[Flag]) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); 100];
    for (i, f) in rows.iter().enumerate() {
        let chapter = |c: &str| c.get(..2).and_then(|p| p.parse::<usize>().ok());
        if let (Some(lo), Some(hi)) = (chapter(&f.range.from), chapter(&f.range.to)) {
            for list in out.iter_mut().take(hi.min(99) + 1).skip(lo) {
                list.push(i);
            }
        }
    }
    out
}

/// The codes of a range cell: 2, 4 or 6 digits, dots allowed.
fn parse_code(row: &Row, field: &str) -> Result<String, TableError> {
    let value = row.get(field);
    let code: String = value.chars().filter(|c| *c != '.').collect();
    let ok = matches!(code.len(), 2 | 4 | 6) && code.chars().all(|c| c.is_ascii_digit());
    if ok {
        Ok(code)
    } else {
        Err(row.error(
            field,
            format!("`{value}` is not a 2-, 4- or 6-digit HS code"),
        ))
    }
}

fn parse_row(row: &Row) -> Result<Flag, TableError> {
    let category = row.get("category");
    if !is_category(category) {
        return Err(row.error("category", format!("unknown category `{category}`")));
    }
    let from = parse_code(row, "from")?;
    let to = parse_code(row, "to")?;
    if from.len() != to.len() || from > to {
        return Err(row.error(
            "to",
            format!(
                "range `{}`-`{}` mixes code lengths or runs backwards",
                row.get("from"),
                row.get("to")
            ),
        ));
    }
    Ok(Flag {
        category: category.to_string(),
        reason: row.get("reason").to_string(),
        source: row.get("source").to_string(),
        range: CodeRange { from, to },
    })
}

/// The built-in table, parsed once per process with the other project
/// tables ([`crate::tables::builtin`]). The table is compiled in and a test
/// checks that it loads, so the error is a build defect, reported rather
/// than panicked on.
pub fn builtin_table() -> Result<&'static FlagTable, &'static FlagError> {
    static ERROR: OnceLock<FlagError> = OnceLock::new();
    match crate::tables::builtin() {
        Ok(t) => Ok(&t.flags),
        Err(e) => Err(ERROR.get_or_init(|| FlagError::Table(e.clone()))),
    }
}

/// The flags reported for a code (one per category, the most specific:
/// [`FlagTable::report`]); none when the built-in table cannot be read
/// (front ends call [`builtin_table`] first to report that).
pub fn code_flags(code: &Code) -> Vec<&'static Flag> {
    builtin_table()
        .map(|t| t.report(code.digits()))
        .unwrap_or_default()
}

/// The flags that cover only some codes under a chapter or heading
/// ([`FlagTable::flags_within`]); none when the table cannot be read.
pub fn flags_under(code: &Code) -> Vec<&'static Flag> {
    builtin_table()
        .map(|t| t.flags_within(code.digits()))
        .unwrap_or_default()
}

/// Flags grouped by category, in first-seen order, each with the ranges
/// that carry it (as `hs show` and the UI list the flags under a heading).
pub fn ranges_by_category<'a>(flags: &[&'a Flag]) -> Vec<(&'a str, Vec<String>)> {
    let mut out: Vec<(&'a str, Vec<String>)> = Vec::new();
    for f in flags {
        let range = f.range.to_string();
        match out.iter_mut().find(|(c, _)| *c == f.category) {
            Some((_, ranges)) => ranges.push(range),
            None => out.push((&f.category, vec![range])),
        }
    }
    out
}

/// True when `flags` satisfy a `--flag` filter: some flag's category is one
/// of `wanted`, or `wanted` holds [`ANY`] and there is a flag. An empty
/// filter keeps everything.
pub fn matches_filter(flags: &[&Flag], wanted: &[String]) -> bool {
    wanted.is_empty()
        || flags
            .iter()
            .any(|f| wanted.iter().any(|w| w == ANY || *w == f.category))
}

impl FlagTable {
    /// The table built into the binary (`hs-data/controlled.csv`); see
    /// [`builtin_table`] for the shared, parsed-once copy.
    pub fn builtin() -> Result<FlagTable, FlagError> {
        FlagTable::from_csv(crate::tables::builtin_text(CONTROLLED.file))
    }

    /// Parses a table with the header `category,from,to,reason,source`.
    pub fn from_csv(text: &str) -> Result<FlagTable, FlagError> {
        Ok(FlagTable::parse(text)?)
    }

    /// [`FlagTable::from_csv`], with the project tables' error.
    pub fn parse(text: &str) -> Result<FlagTable, TableError> {
        let rows = crate::tables::read(&CONTROLLED, text)?
            .iter()
            .map(parse_row)
            .collect::<Result<Vec<Flag>, TableError>>()?;
        let by_chapter = chapter_index(&rows);
        Ok(FlagTable { rows, by_chapter })
    }

    /// Every row, in table order.
    pub fn rows(&self) -> &[Flag] {
        &self.rows
    }

    /// Category slugs that have rows, in [`CATEGORIES`] order.
    pub fn categories(&self) -> Vec<&str> {
        CATEGORIES
            .iter()
            .map(|(slug, _)| *slug)
            .filter(|slug| self.rows.iter().any(|r| r.category == *slug))
            .collect()
    }

    /// Flags whose range holds a prefix of `code` (non-digits ignored; 10-digit codes work).
    /// A code shorter than a range's prefixes is not flagged by it: see [`FlagTable::flags_within`].
    pub fn flags_for(&self, code: &str) -> Vec<&Flag> {
        let digits = digits_of(code);
        let Some(chapter) = digits.get(..2).and_then(|c| c.parse::<usize>().ok()) else {
            return Vec::new();
        };
        self.by_chapter
            .get(chapter)
            .into_iter()
            .flatten()
            .map(|&i| &self.rows[i])
            .filter(|f| f.range.contains_digits(&digits))
            .collect()
    }

    /// The flags to report for `code`: [`FlagTable::flags_for`] reduced to one
    /// row per category (the most specific: longest prefix, then table
    /// order), in [`CATEGORIES`] order. 3808.52 is covered by both the 3808
    /// and the 3808.52-3808.59 pesticide rows; only the latter is reported.
    pub fn report(&self, code: &str) -> Vec<&Flag> {
        let all = self.flags_for(code);
        let mut out = Vec::new();
        for (slug, _) in CATEGORIES {
            let mut best: Option<&Flag> = None;
            for f in all.iter().filter(|f| f.category == *slug) {
                // Longest prefix wins; on a tie the earlier row stays.
                if best.is_none_or(|b| f.range.prefix_len() > b.range.prefix_len()) {
                    best = Some(f);
                }
            }
            out.extend(best);
        }
        out
    }

    /// Flags that cover only some codes under `code` (e.g. heading 2939 holds flagged 2939.41).
    pub fn flags_within(&self, code: &str) -> Vec<&Flag> {
        self.rows
            .iter()
            .filter(|f| f.range.partly_under(code))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editions::{Edition, test_data};

    fn table() -> FlagTable {
        match FlagTable::builtin() {
            Ok(t) => t,
            Err(e) => panic!("built-in table does not load: {e}"),
        }
    }

    fn cats(flags: &[&Flag]) -> Vec<String> {
        flags.iter().map(|f| f.category.clone()).collect()
    }

    /// Asserts `inside` is flagged with `category` and `outside` is not.
    fn check(t: &FlagTable, category: &str, inside: &[&str], outside: &[&str]) {
        for code in inside {
            assert!(
                cats(&t.flags_for(code)).iter().any(|c| c == category),
                "{code} should be flagged `{category}`, got {:?}",
                cats(&t.flags_for(code))
            );
        }
        for code in outside {
            assert!(
                !cats(&t.flags_for(code)).iter().any(|c| c == category),
                "{code} should not be flagged `{category}`"
            );
        }
    }

    #[test]
    fn builtin_table_loads_with_every_category() {
        let t = table();
        println!("controlled.csv rows: {}", t.rows().len());
        for (slug, _) in CATEGORIES {
            let n = t.rows().iter().filter(|r| r.category == *slug).count();
            println!("  {slug}: {n}");
        }
        assert_eq!(t.rows().len(), 175);
        let all: Vec<&str> = CATEGORIES.iter().map(|(s, _)| *s).collect();
        assert_eq!(t.categories(), all);
    }

    #[test]
    fn every_range_end_exists_in_hs2022() {
        let path = test_data::edition_file(2022);
        let hs2022 = match Edition::load(&path) {
            Ok(e) => e,
            Err(e) => panic!("cannot load {}: {e}", path.display()),
        };
        let mut missing = Vec::new();
        for (i, f) in table().rows().iter().enumerate() {
            for code in [&f.range.from, &f.range.to] {
                if !hs2022.codes.contains_key(code.as_str()) {
                    missing.push(format!("row {}: {code}", i + 2));
                }
            }
        }
        assert!(missing.is_empty(), "codes not in HS 2022: {missing:?}");
    }

    #[test]
    fn arms() {
        let t = table();
        check(
            &t,
            "arms",
            &["930110", "9301", "9306", "930700", "871000"],
            &["9201", "9208", "9401", "871100"],
        );
    }

    #[test]
    fn explosives() {
        let t = table();
        check(
            &t,
            "explosives",
            &["3601", "360200", "360360", "360410"],
            &["3605", "360500", "3606"],
        );
    }

    #[test]
    fn radioactive() {
        let t = table();
        check(
            &t,
            "radioactive",
            &["284410", "284450", "261210"],
            &["2846", "284610", "2843", "261300"],
        );
    }

    #[test]
    fn narcotics() {
        let t = table();
        check(
            &t,
            "narcotics",
            &[
                "293941", "293942", "291431", "291524", "293292", "130211", "121130", "284161",
                "293295",
            ],
            &[
                "293930", "291439", "291529", "130212", "121120", "284169", "2939", "293299",
            ],
        );
    }

    #[test]
    fn ozone() {
        let t = table();
        check(
            &t,
            "ozone",
            &["290371", "290376", "382711", "841582", "841869"],
            &["290351", "290369", "841583", "841590", "841899", "382790"],
        );
    }

    #[test]
    fn waste() {
        let t = table();
        check(
            &t,
            "waste",
            &["391510", "854911", "262110", "271099", "300692"],
            &["3916", "854800", "262190", "271020", "300693"],
        );
    }

    #[test]
    fn cites() {
        let t = table();
        check(
            &t,
            "cites",
            &["050710", "960110", "430110", "010632", "440721", "020850"],
            &["050610", "9602", "010633", "440722", "4304", "020860"],
        );
    }

    #[test]
    fn dual_use() {
        let t = table();
        check(
            &t,
            "dual-use",
            &["840110", "901320", "880260", "852610", "281211"],
            &["8402", "901380", "880240", "852692", "281290"],
        );
    }

    #[test]
    fn pharmaceuticals() {
        let t = table();
        check(
            &t,
            "pharmaceuticals",
            &["300490", "3002", "30"],
            &["3101", "2941", "29"],
        );
    }

    #[test]
    fn pesticides() {
        let t = table();
        check(
            &t,
            "pesticides",
            &[
                "380891", "380852", "290392", "290394", "293296", "382481", "382489",
            ],
            &[
                "3809", "3807", "290391", "290399", "293299", "382460", "382491",
            ],
        );
    }

    #[test]
    fn long_and_dotted_codes() {
        let t = table();
        assert_eq!(cats(&t.flags_for("9301100000")), ["arms"]);
        assert_eq!(cats(&t.flags_for("2939.41")), ["narcotics"]);
        assert_eq!(cats(&t.flags_for("2939.41.00.10")), ["narcotics"]);
        assert!(t.flags_for("").is_empty());
        assert!(t.flags_for("TOTAL").is_empty());
    }

    #[test]
    fn shorter_codes_are_only_partly_covered() {
        let t = table();
        assert!(t.flags_for("29").is_empty());
        assert!(t.flags_for("2939").is_empty());
        let within = cats(&t.flags_within("2939"));
        assert!(within.iter().all(|c| c == "narcotics"), "{within:?}");
        assert!(!within.is_empty());
        let chapter = cats(&t.flags_within("29"));
        for c in ["narcotics", "dual-use", "ozone", "pesticides"] {
            assert!(
                chapter.iter().any(|x| x == c),
                "29 should hold {c}: {chapter:?}"
            );
        }
        // A fully covered code is not also "within".
        assert!(t.flags_within("9301").is_empty());
        assert!(t.flags_within("930110").is_empty());
        assert!(t.flags_within("").is_empty());
    }

    #[test]
    fn report_keeps_one_row_per_category() {
        let t = table();
        // 3808.52 lies under both the 3808 row and the 3808.52-3808.59 row.
        assert_eq!(cats(&t.flags_for("380852")), ["pesticides", "pesticides"]);
        let r = t.report("3808.52.00.00");
        assert_eq!(cats(&r), ["pesticides"]);
        assert_eq!(r[0].range.to_string(), "3808.52-3808.59");
        let r = t.report("380891");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].range.to_string(), "3808");
        // Different categories all stay, in category order.
        assert_eq!(cats(&t.report("284410")), ["radioactive", "dual-use"]);
        assert!(t.report("610910").is_empty());
    }

    #[test]
    fn filters_match_categories_or_any() {
        let t = table();
        let arms = t.report("930110");
        let none = t.report("610910");
        let want = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(matches_filter(&arms, &want(&["arms"])));
        assert!(matches_filter(&arms, &want(&["cites", "arms"])));
        assert!(matches_filter(&arms, &want(&[ANY])));
        assert!(!matches_filter(&arms, &want(&["cites"])));
        assert!(!matches_filter(&none, &want(&[ANY])));
        assert!(matches_filter(&none, &[]));
        match builtin_table() {
            Ok(shared) => assert_eq!(shared.rows().len(), t.rows().len()),
            Err(e) => panic!("{e}"),
        }
        assert!(!is_category(ANY), "`any` must not be a real category");
    }

    #[test]
    fn range_edges() {
        let r = CodeRange {
            from: "8456".into(),
            to: "8460".into(),
        };
        assert!(r.contains("8456") && r.contains("846090") && r.contains("8458110000"));
        assert!(!r.contains("8455") && !r.contains("8461") && !r.contains("84"));
        assert!(r.partly_under("84") && !r.partly_under("85") && !r.partly_under("8456"));
        assert_eq!(r.to_string(), "8456-8460");
        let one = CodeRange {
            from: "293941".into(),
            to: "293941".into(),
        };
        assert_eq!(one.to_string(), "2939.41");
    }

    fn err(text: &str) -> String {
        match FlagTable::from_csv(text) {
            Ok(_) => panic!("table should be rejected: {text}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn bad_rows_are_named() {
        let head = "category,from,to,reason,source\n";
        let good = "arms,93,93,Arms,Wassenaar\n";
        let e = err(&format!("{head}{good}guns,93,93,Arms,Wassenaar\n"));
        assert!(
            e.contains("controlled.csv, line 3") && e.contains("unknown category `guns`"),
            "{e}"
        );
        let e = err(&format!("{head}{good}{good}arms,930,930,Arms,Wassenaar\n"));
        assert!(e.contains("line 4") && e.contains("`930`"), "{e}");
        let e = err(&format!("{head}arms,9301,930110,Arms,Wassenaar\n"));
        assert!(e.contains("line 2") && e.contains("range"), "{e}");
        let e = err(&format!("{head}arms,9306,9301,Arms,Wassenaar\n"));
        assert!(e.contains("line 2") && e.contains("backwards"), "{e}");
        let e = err(&format!("{head}arms,93,93,Arms, and more,Wassenaar\n"));
        assert!(e.contains("line 2") && e.contains("6 cells"), "{e}");
        let e = err(&format!("{head}arms,93,93, ,Wassenaar\n"));
        assert!(e.contains("line 2") && e.contains("`reason`"), "{e}");
        let e = err("category,code,reason\narms,93,Arms\n");
        assert!(e.contains("header"), "{e}");
    }

    #[test]
    fn accepts_dotted_codes_blank_lines_and_bom() {
        let t = FlagTable::from_csv(
            "\u{feff}category,from,to,reason,source\narms,9301.10,9301.20,Arms,Wassenaar\n,,,,\n",
        );
        let t = match t {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(t.rows().len(), 1);
        assert_eq!(t.rows()[0].range.from, "930110");
        assert_eq!(t.categories(), ["arms"]);
    }

    #[test]
    fn flags_serialize_and_slugs_are_known() {
        let t = table();
        let json = match serde_json::to_string(&t.flags_for("930110")) {
            Ok(j) => j,
            Err(e) => panic!("{e}"),
        };
        assert!(
            json.contains("\"category\":\"arms\"") && json.contains("\"from\":\"9301\""),
            "{json}"
        );
        assert!(is_category("dual-use") && !is_category("Dual-use") && !is_category("guns"));
        for (slug, _) in CATEGORIES {
            let ok = slug.chars().all(|c| c.is_ascii_lowercase() || c == '-');
            assert!(ok, "{slug}");
        }
        assert!(DISCLAIMER.contains("not a legal verdict"));
    }
}
