//! The project's own tables (`hs-data/*.csv`): one reader for all of them
//! and the parsed set the loaded data holds.
//!
//! Every table goes through [`read`]: `#` lines are comments, the header is
//! checked by name (every column the table needs, no unknown one, any
//! order), quoted cells are read as CSV quotes them, cells are trimmed, a
//! row must have as many cells as the header, a cell never spans lines, and
//! the columns a [`Spec`] marks required (the `source` or `reason` of each
//! row) must not be empty. Every error is a [`TableError`] naming the file,
//! the line and, where there is one, the column.
//!
//! [`Tables`] is every built-in table parsed. [`crate::load::Dataset`] holds
//! it (a load fails with the table's error), and the free look-ups the front
//! ends and the ranking call (`tariff::country`, `flags::code_flags`,
//! `alias::synonyms`, the word lists of [`crate::text`]) read the same
//! parsed copy through [`builtin`]: those are public functions without a
//! data handle, used by every front end and deep in the ranking, so the one
//! parsed copy stays process-wide until they take the loaded data as an
//! argument. The tables are compiled in: parsing them cannot depend on
//! anything at run time, and a test checks that they load.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use rustc_hash::FxHashSet;
use serde::de::DeserializeOwned;

/// A table's name and the columns it needs.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// File name in `hs-data/` (`aliases.csv`).
    pub file: &'static str,
    /// Every column, by name; a header may list them in any order.
    pub columns: &'static [&'static str],
    /// Columns that must be filled on every row (the row's source).
    pub required: &'static [&'static str],
}

/// A table that cannot be read: the file, the line (1 = the first line of
/// the file), the column when one is at fault, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct TableError {
    pub file: String,
    pub line: u64,
    pub column: Option<String>,
    pub message: String,
}

impl TableError {
    /// The line, the column when one is at fault, and what is wrong, for
    /// messages that name the file themselves.
    pub fn within_file(&self) -> String {
        match &self.column {
            Some(c) => format!("line {}, column `{c}`: {}", self.line, self.message),
            None => format!("line {}: {}", self.line, self.message),
        }
    }
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "hs-data/{}, {}", self.file, self.within_file())
    }
}

/// One row of a table, its cells in the [`Spec`]'s column order.
#[derive(Debug, Clone)]
pub struct Row {
    /// File line of the row.
    pub line: u64,
    file: &'static str,
    columns: &'static [&'static str],
    cells: Vec<String>,
}

impl Row {
    /// The cell of `column` (trimmed); empty for a column the spec lacks.
    pub fn get(&self, column: &str) -> &str {
        self.columns
            .iter()
            .position(|c| *c == column)
            .and_then(|i| self.cells.get(i))
            .map_or("", String::as_str)
    }

    /// An error at this row, in `column`.
    pub fn error(&self, column: &str, message: impl fmt::Display) -> TableError {
        TableError {
            file: self.file.to_string(),
            line: self.line,
            column: Some(column.to_string()),
            message: message.to_string(),
        }
    }

    /// The cell of `column`, which must not be empty.
    pub fn filled(&self, column: &str) -> Result<&str, TableError> {
        let v = self.get(column);
        if v.is_empty() {
            Err(self.error(column, "is empty"))
        } else {
            Ok(v)
        }
    }

    /// The cell of `column` parsed as a `T`.
    pub fn parse<T: FromStr>(&self, column: &str) -> Result<T, TableError>
    where
        T::Err: fmt::Display,
    {
        let v = self.get(column);
        v.parse()
            .map_err(|e| self.error(column, format!("`{v}`: {e}")))
    }

    /// The cell of `column` as space-separated `T`s (none when empty).
    pub fn list<T: FromStr>(&self, column: &str) -> Result<Vec<T>, TableError>
    where
        T::Err: fmt::Display,
    {
        self.get(column)
            .split_whitespace()
            .map(|v| {
                v.parse()
                    .map_err(|e| self.error(column, format!("`{v}`: {e}")))
            })
            .collect()
    }
}

fn at(spec: &Spec, line: u64, column: Option<&str>, message: impl fmt::Display) -> TableError {
    TableError {
        file: spec.file.to_string(),
        line,
        column: column.map(str::to_string),
        message: message.to_string(),
    }
}

/// Reads a table: see the module's documentation for the rules.
pub fn read(spec: &Spec, text: &str) -> Result<Vec<Row>, TableError> {
    let mut order: Option<Vec<usize>> = None;
    let mut width = 0;
    let mut rows = Vec::new();
    for item in records(text, true) {
        let (line, record) =
            item.map_err(|(line, e)| at(spec, line, None, format!("not readable as CSV: {e}")))?;
        let Some(order) = &order else {
            order = Some(header(spec, line, &record)?);
            width = record.len();
            continue;
        };
        if record.len() != width {
            return Err(at(
                spec,
                line,
                None,
                format!("{} cells, the header has {width}", record.len()),
            ));
        }
        let mut cells = Vec::with_capacity(order.len());
        for (&i, name) in order.iter().zip(spec.columns) {
            let cell = record.get(i).unwrap_or_default().trim();
            if cell.contains(['\n', '\r']) {
                return Err(at(spec, line, Some(name), "a cell spans lines"));
            }
            if cell.is_empty() && spec.required.contains(name) {
                return Err(at(spec, line, Some(name), "is empty (every row needs one)"));
            }
            cells.push(cell.to_string());
        }
        rows.push(Row {
            line,
            file: spec.file,
            columns: spec.columns,
            cells,
        });
    }
    if order.is_none() {
        return Err(at(spec, 1, None, "no header"));
    }
    Ok(rows)
}

/// The records of CSV text, each with the file line it starts on; see
/// [`records`].
pub struct Records<'a> {
    reader: csv::Reader<&'a [u8]>,
    lines: Lines<'a>,
    record: csv::StringRecord,
}

/// The records of CSV `text` that hold something (rows of empty cells
/// left out), each with the file line it starts on (1 = the first line,
/// blank lines counted, which the CSV reader's own count leaves out), a
/// byte-order mark dropped; with `comments`, lines starting with `#` are
/// skipped. An unreadable record is its line and the CSV error.
pub fn records(text: &str, comments: bool) -> Records<'_> {
    let text = text.trim_start_matches('\u{feff}');
    Records {
        reader: csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .comment(comments.then_some(b'#'))
            .from_reader(text.as_bytes()),
        lines: Lines {
            text,
            byte: 0,
            line: 1,
            comments,
        },
        record: csv::StringRecord::new(),
    }
}

impl Iterator for Records<'_> {
    type Item = Result<(u64, csv::StringRecord), (u64, csv::Error)>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let guess = self.lines.at(self.reader.position().byte());
            match self.reader.read_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => return None,
                Err(e) => {
                    let line = e.position().map_or(guess, |p| self.lines.at(p.byte()));
                    return Some(Err((line, e)));
                }
            }
            let line = self
                .record
                .position()
                .map_or(guess, |p| self.lines.at(p.byte()));
            if self.record.iter().any(|f| !f.trim().is_empty()) {
                return Some(Ok((line, self.record.clone())));
            }
        }
    }
}

/// Line numbers of byte offsets, counted forward.
struct Lines<'a> {
    text: &'a str,
    byte: usize,
    line: u64,
    /// `#` lines are comments the reader skips.
    comments: bool,
}

impl Lines<'_> {
    /// The line (from 1) of the record that starts at byte `byte` (the
    /// reader may give the offset of blank or comment lines before it);
    /// offsets only grow.
    fn at(&mut self, byte: u64) -> u64 {
        let bytes = self.text.as_bytes();
        let mut byte = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        loop {
            match bytes.get(byte) {
                Some(b'\n' | b'\r') => byte += 1,
                Some(b'#')
                    if self.comments && (byte == 0 || bytes.get(byte - 1) == Some(&b'\n')) =>
                {
                    byte = bytes
                        .get(byte..)
                        .and_then(|rest| rest.iter().position(|b| *b == b'\n'))
                        .map_or(bytes.len(), |p| byte + p + 1);
                }
                _ => break,
            }
        }
        if byte > self.byte {
            let newlines = self
                .text
                .as_bytes()
                .get(self.byte..byte)
                .map_or(0, |s| s.iter().filter(|b| **b == b'\n').count());
            self.line += u64::try_from(newlines).unwrap_or(0);
            self.byte = byte;
        }
        self.line
    }
}

/// For each column of `spec`, its place in the header.
fn header(spec: &Spec, line: u64, record: &csv::StringRecord) -> Result<Vec<usize>, TableError> {
    let names: Vec<&str> = record.iter().map(str::trim).collect();
    let expected = spec.columns.join(",");
    for (i, n) in names.iter().enumerate() {
        if !spec.columns.contains(n) || names[..i].contains(n) {
            return Err(at(
                spec,
                line,
                None,
                format!("header column `{n}` is unknown or repeated (expected `{expected}`)"),
            ));
        }
    }
    spec.columns
        .iter()
        .map(|c| {
            names.iter().position(|n| n == c).ok_or_else(|| {
                at(
                    spec,
                    line,
                    None,
                    format!("header lacks column `{c}` (expected `{expected}`)"),
                )
            })
        })
        .collect()
}

/// Reads a table into `T`s through serde (field names = column names).
pub fn deserialize<T: DeserializeOwned>(spec: &Spec, text: &str) -> Result<Vec<T>, TableError> {
    let header = csv::StringRecord::from(spec.columns.to_vec());
    read(spec, text)?
        .into_iter()
        .map(|row| {
            let record = csv::StringRecord::from(row.cells.clone());
            record.deserialize(Some(&header)).map_err(|e| {
                let column = match e.kind() {
                    csv::ErrorKind::Deserialize { err, .. } => err
                        .field()
                        .and_then(|i| spec.columns.get(usize::try_from(i).ok()?)),
                    _ => None,
                };
                let message = match e.kind() {
                    csv::ErrorKind::Deserialize { err, .. } => err.kind().to_string(),
                    _ => e.to_string(),
                };
                at(spec, row.line, column.copied(), message)
            })
        })
        .collect()
}

/// The word lists of query reading (`hs-data/words.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WordList {
    /// Never carry a class: quantities, packaging after a count, marketing, filler.
    Noise,
    /// Never name goods, even when nothing else is left.
    Function,
    /// Packaging: noise when it follows a count ("23 bags").
    Packaging,
    /// End the product's name and start its material, use or make-up.
    Boundary,
    /// Head words too generic to name the goods ("parts", "device").
    Generic,
    /// Units and counters glued to numbers ("500ml", "10pcs"): never goods.
    Unit,
    /// Say the goods are for men or boys.
    Men,
    /// Say the goods are for women or girls.
    Women,
    /// Make a chemical-looking text a polymer's or an article's.
    Polymer,
    /// Tokens mixing digits and letters that name goods or a property of
    /// them ("3d", "4k", "18650"): kept whole, never read as a count.
    Term,
    /// Function words of other languages that are not English words
    /// ("de", "pour", "und"): signs of a description not in English.
    Foreign,
    /// Say the goods are parts or accessories of other goods ("spare
    /// parts"): classified with those goods' parts.
    Part,
    /// Name a component of machines, vehicles or apparatus that has no
    /// heading of its own ("bushing", "bracket"): beside other goods
    /// named, the description is read as parts of those goods.
    Component,
    /// Name a colour ("black", "navy"): say what the goods look like,
    /// never what they are, so never the head noun.
    Colour,
    /// Say the animals are alive ("live", "breeding"): chapter 1 and
    /// heading 03.01 hold only live animals.
    Live,
    /// Label a field of a declaration when a colon or `#` follows
    /// ("CHASSIS: ...", "MAKE: ...", "VIN: ..."): the field's value
    /// follows; the label names no goods.
    Label,
    /// Name a part of a chemical's structure or a class of elements in
    /// the texts of chapters 28, 29 and 31 ("a pyrimidine ring",
    /// "radioactive elements"): left out of those chapters' indexed texts, so a ring or
    /// a filter element is not read as a chemical.
    Structure,
    /// Name arms or ammunition ("gun", "rifle", "ammunition"): chapter 93
    /// is weighed down without one (see hs-core rank/signals/rare_goods.rs).
    Arms,
    /// Name explosives or pyrotechnics ("detonator", "fireworks"):
    /// headings 36.01-36.04 are weighed down without one.
    Explosives,
    /// Name nuclear goods ("nuclear", "reactor", "uranium"): heading 84.01
    /// is weighed down without one.
    Nuclear,
    /// Name the salt, ester or hydrate form of the compound named before
    /// them ("morphine sulfate", "ephedrine hydrochloride", "hydrazine
    /// hydrate"): the goods are that compound's, which the texts name with
    /// "and its salts" or "salts thereof".
    Salt,
    /// Name a metal, ammonium or a non-metal element: before a word of the
    /// salt list they name an inorganic salt ("sodium sulfate", "copper
    /// chloride"), whose own texts name the salt word.
    Cation,
    /// Name an alkyl or aryl group: before a word of the salt list they
    /// name an ester ("methyl salicylate"), whose texts name the salt word.
    Alkyl,
    /// Say the garments are babies' ("baby", "infant"): headings 61.11 and
    /// 62.09 take them before any other heading of their chapter (Note
    /// 6 (b) to chapter 61, Note 4 to chapter 62).
    Babies,
    /// Noise words that are also goods nouns ("net"): kept after a word
    /// that is not noise, unless a noise word, a unit or a measure's name
    /// follows ("fishing net"); noise elsewhere ("net wt").
    Noun,
    /// Say the goods work by electricity ("electric", "cordless",
    /// "rechargeable"), as a stated power rating does: goods of chapters
    /// 1-83 that do not name electricity weigh less (see hs-core
    /// rank/signals/power.rs).
    Powered,
    /// Name the form goods come in ("leaves", "flakes"), never the goods:
    /// the goods are the word before ("tea leaves" are tea, "chili
    /// flakes" chili), so never the head noun.
    Form,
}

impl WordList {
    /// Every list, in the order of `hs-data/words.csv`.
    pub const ALL: [WordList; 27] = [
        WordList::Noise,
        WordList::Function,
        WordList::Packaging,
        WordList::Boundary,
        WordList::Generic,
        WordList::Unit,
        WordList::Men,
        WordList::Women,
        WordList::Polymer,
        WordList::Term,
        WordList::Foreign,
        WordList::Part,
        WordList::Component,
        WordList::Colour,
        WordList::Live,
        WordList::Label,
        WordList::Structure,
        WordList::Arms,
        WordList::Explosives,
        WordList::Nuclear,
        WordList::Salt,
        WordList::Cation,
        WordList::Alkyl,
        WordList::Babies,
        WordList::Noun,
        WordList::Powered,
        WordList::Form,
    ];

    /// The list's name in the table.
    pub fn name(self) -> &'static str {
        match self {
            WordList::Noise => "noise",
            WordList::Function => "function",
            WordList::Packaging => "packaging",
            WordList::Boundary => "boundary",
            WordList::Generic => "generic",
            WordList::Unit => "unit",
            WordList::Men => "men",
            WordList::Women => "women",
            WordList::Polymer => "polymer",
            WordList::Term => "term",
            WordList::Foreign => "foreign",
            WordList::Part => "part",
            WordList::Component => "component",
            WordList::Colour => "colour",
            WordList::Live => "live",
            WordList::Label => "label",
            WordList::Structure => "structure",
            WordList::Arms => "arms",
            WordList::Explosives => "explosives",
            WordList::Nuclear => "nuclear",
            WordList::Salt => "salt",
            WordList::Cation => "cation",
            WordList::Alkyl => "alkyl",
            WordList::Babies => "babies",
            WordList::Noun => "noun",
            WordList::Powered => "powered",
            WordList::Form => "form",
        }
    }
}

/// The word lists, by list.
#[derive(Debug, Clone, Default)]
pub struct Words {
    /// By [`WordList::ALL`] order.
    lists: [FxHashSet<String>; WordList::ALL.len()],
}

const WORDS: Spec = Spec {
    file: "words.csv",
    columns: &["list", "word", "reason"],
    required: &["list", "word", "reason"],
};

impl Words {
    /// True when `word` is on `list`.
    pub fn contains(&self, list: WordList, word: &str) -> bool {
        self.lists[list as usize].contains(word)
    }

    /// The words of `list`, in no order.
    pub fn list(&self, list: WordList) -> impl Iterator<Item = &str> {
        self.lists[list as usize].iter().map(String::as_str)
    }

    /// Parses `hs-data/words.csv` (`list,word,reason`): a word is
    /// lowercase letters and digits; every list has words.
    pub fn parse(text: &str) -> Result<Words, TableError> {
        let mut lists: [FxHashSet<String>; WordList::ALL.len()] = Default::default();
        let mut last = 1;
        for row in read(&WORDS, text)? {
            last = row.line;
            let name = row.get("list");
            let Some(list) = WordList::ALL.into_iter().find(|l| l.name() == name) else {
                return Err(row.error("list", format!("unknown list `{name}`")));
            };
            let word = row.get("word");
            if !word.chars().all(|c| c.is_lowercase() || c.is_ascii_digit()) {
                return Err(row.error("word", format!("`{word}` is not one lowercase word")));
            }
            if !lists[list as usize].insert(word.to_string()) {
                return Err(row.error("word", format!("`{word}` is twice on list `{name}`")));
            }
        }
        if let Some(l) = WordList::ALL
            .iter()
            .find(|l| lists[**l as usize].is_empty())
        {
            return Err(at(
                &WORDS,
                last,
                None,
                format!("list `{}` has no words", l.name()),
            ));
        }
        Ok(Words { lists })
    }
}

macro_rules! table_text {
    ($file:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../hs-data/",
            $file
        ))
    };
}

/// The text of every built-in table, by file name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("aliases.csv", table_text!("aliases.csv")),
    ("brands.csv", table_text!("brands.csv")),
    ("chemistry.csv", table_text!("chemistry.csv")),
    ("column2.csv", table_text!("column2.csv")),
    ("controlled.csv", table_text!("controlled.csv")),
    ("countries.csv", table_text!("countries.csv")),
    ("materials.csv", table_text!("materials.csv")),
    ("measures.csv", table_text!("measures.csv")),
    ("processes.csv", table_text!("processes.csv")),
    ("programs.csv", table_text!("programs.csv")),
    ("spellings.csv", table_text!("spellings.csv")),
    ("synonyms.csv", table_text!("synonyms.csv")),
    ("words.csv", table_text!("words.csv")),
];

/// The text of the built-in table `file` (empty for an unknown name).
pub fn builtin_text(file: &str) -> &'static str {
    BUILTIN
        .iter()
        .find(|(f, _)| *f == file)
        .map_or("", |(_, t)| t)
}

/// Every project table, parsed.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    /// `aliases.csv`: everyday words -> codes.
    pub aliases: Vec<crate::load::Alias>,
    /// `spellings.csv`: variant -> the tariff's spelling.
    pub spellings: crate::alias::Spellings,
    /// `synonyms.csv`: word -> the tariff's words for the same goods.
    pub synonyms: HashMap<String, Vec<String>>,
    /// `brands.csv`: trade names -> goods.
    pub brands: crate::alias::Brands,
    /// `materials.csv`: material word -> chapters.
    pub materials: HashMap<String, Vec<u8>>,
    /// Every chapter some material points to, sorted.
    pub material_chapters: Vec<u8>,
    /// `processes.csv`: word -> (chapters favoured, disfavoured).
    pub processes: HashMap<String, (Vec<u8>, Vec<u8>)>,
    /// `chemistry.csv`: name fragments -> chapter 29 headings.
    pub chemistry: Vec<crate::chem::Fragment>,
    /// `controlled.csv`: the controlled-goods flags.
    pub flags: crate::flags::FlagTable,
    /// `countries.csv`: ISO 3166-1 alpha-2 code -> country.
    pub countries: BTreeMap<String, crate::tariff::Country>,
    /// `programs.csv`: Special-column indicator -> program.
    pub programs: BTreeMap<String, crate::tariff::Program>,
    /// `column2.csv`: countries that pay Column 2 rates.
    pub column2: Vec<crate::tariff::Column2Country>,
    /// `measures.csv`: chapter 99 measures.
    pub measures: Vec<crate::tariff::Measure>,
    /// `words.csv`: the word lists of query reading.
    pub words: Words,
}

impl Tables {
    /// Parses the tables built into the binary.
    pub fn parse_builtin() -> Result<Tables, TableError> {
        Tables::parse_with(builtin_text)
    }

    /// Parses the tables whose text `text` gives by file name (tests
    /// damage one table and keep the others).
    pub fn parse_with<'t>(text: impl Fn(&str) -> &'t str) -> Result<Tables, TableError> {
        let aliases = crate::alias::parse_aliases(text("aliases.csv"))?;
        let spellings = crate::alias::parse_spellings(text("spellings.csv"))?;
        let brands = crate::alias::parse_brands(text("brands.csv"), &aliases, &spellings)?;
        let materials = crate::alias::parse_materials(text("materials.csv"))?;
        let mut material_chapters: Vec<u8> = materials.values().flatten().copied().collect();
        material_chapters.sort_unstable();
        material_chapters.dedup();
        let (programs, column2) =
            crate::tariff::program::parse_tables(text("programs.csv"), text("column2.csv"))?;
        Ok(Tables {
            synonyms: crate::alias::parse_synonyms(text("synonyms.csv"))?,
            processes: crate::alias::parse_processes(text("processes.csv"))?,
            chemistry: crate::chem::parse_fragments(text("chemistry.csv"))?,
            flags: crate::flags::FlagTable::parse(text("controlled.csv"))?,
            countries: crate::tariff::country::parse_countries(text("countries.csv"))?,
            measures: crate::tariff::measures::parse_measures(text("measures.csv"))?,
            words: Words::parse(text("words.csv"))?,
            aliases,
            spellings,
            brands,
            materials,
            material_chapters,
            programs,
            column2,
        })
    }
}

/// The built-in tables, parsed once per process (see the module's
/// documentation for why this copy is process-wide).
pub fn builtin() -> Result<&'static Tables, &'static TableError> {
    static TABLES: OnceLock<Result<Tables, TableError>> = OnceLock::new();
    TABLES.get_or_init(Tables::parse_builtin).as_ref()
}

/// [`builtin`] for the look-ups that cannot return an error: empty tables
/// when they do not parse. That error stops every data load
/// ([`crate::load::Dataset::load`]) and every command that reads a table
/// with a `Result`, and a test checks that the built-in tables parse.
pub fn get() -> &'static Tables {
    static EMPTY: OnceLock<Tables> = OnceLock::new();
    match builtin() {
        Ok(t) => t,
        Err(_) => EMPTY.get_or_init(Tables::default),
    }
}

/// A hash of every built-in table's text, for the index fingerprint.
pub fn fingerprint(files: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for f in files {
        for b in builtin_text(f).bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Spec = Spec {
        file: "t.csv",
        columns: &["word", "count", "source"],
        required: &["source"],
    };

    fn err(text: &str) -> TableError {
        match read(&T, text) {
            Ok(rows) => panic!("should fail: {rows:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn reads_rows_by_header_name_with_quotes_and_comments() -> Result<(), TableError> {
        let text = "\u{feff}# a comment\nsource,word,count\n\n\"A, B\", tyre ,3\n# more\nC,\"x \"\"y\"\"\",4\n";
        let rows = read(&T, text)?;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 4);
        assert_eq!(rows[0].get("word"), "tyre");
        assert_eq!(rows[0].get("source"), "A, B");
        assert_eq!(rows[0].parse::<u32>("count")?, 3);
        assert_eq!(rows[1].line, 6);
        assert_eq!(rows[1].get("word"), "x \"y\"");
        Ok(())
    }

    #[test]
    fn damaged_rows_name_file_line_and_column() {
        let head = "word,count,source\n";
        let e = err(&format!("{head}a,1,S\nb,2\n"));
        assert_eq!((e.file.as_str(), e.line), ("t.csv", 3));
        assert!(e.message.contains("2 cells"), "{e}");
        let e = err(&format!("{head}a,1,S\nb,2,\n"));
        assert_eq!((e.line, e.column.as_deref()), (3, Some("source")));
        assert!(
            e.to_string()
                .starts_with("hs-data/t.csv, line 3, column `source`")
        );
        let e = err(&format!("{head}a,\"1\n2\",S\n"));
        assert_eq!((e.line, e.column.as_deref()), (2, Some("count")));
        let e = err("word,source\na,S\n");
        assert!(e.message.contains("lacks column `count`"), "{e}");
        let e = err("word,count,source,extra\n");
        assert!(e.message.contains("`extra`"), "{e}");
        let e = err("# only a comment\n");
        assert!(e.message.contains("no header"), "{e}");
        let rows = read(&T, "word,count,source\na,x,S\n");
        let e = match rows.as_deref().map(|r| r[0].parse::<u32>("count")) {
            Ok(Err(e)) => e,
            other => panic!("{other:?}"),
        };
        assert_eq!((e.line, e.column.as_deref()), (2, Some("count")));
        assert!(e.message.contains("`x`"), "{e}");
    }

    #[test]
    fn deserialize_names_the_column() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct R {
            word: String,
            count: u32,
            source: String,
        }
        let e = match deserialize::<R>(&T, "word,count,source\na,1,S\nb,two,S\n") {
            Ok(r) => panic!("{r:?}"),
            Err(e) => e,
        };
        assert_eq!((e.line, e.column.as_deref()), (3, Some("count")), "{e}");
    }

    #[test]
    fn builtin_tables_parse() {
        let t = match builtin() {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        };
        assert!(t.aliases.len() > 3000 && t.synonyms.len() > 400);
        assert!(t.countries.len() >= 249 && !t.programs.is_empty());
        for l in WordList::ALL {
            assert!(t.words.list(l).next().is_some(), "{}", l.name());
        }
    }

    /// A goods noun is never dropped as noise: no one-word alias is a
    /// noise or function word, and no synonym's word a function word (a
    /// noise word is still read, and expanded, when nothing else is left:
    /// "cartons" alone; "carton" is noise beside other words because
    /// declarations say "in cartons" far more often than they ship cartons).
    #[test]
    fn no_goods_noun_is_a_noise_word() {
        let t = get();
        let on = |list, w: &&str| t.words.contains(list, w);
        let mut dropped: Vec<&str> = t
            .aliases
            .iter()
            .map(|a| a.phrase.as_str())
            .filter(|p| !p.contains([' ', '-']))
            .filter(|w| on(WordList::Noise, w) || on(WordList::Function, w))
            .chain(
                t.synonyms
                    .keys()
                    .map(String::as_str)
                    .filter(|w| on(WordList::Function, w)),
            )
            .collect();
        dropped.sort_unstable();
        dropped.dedup();
        assert!(
            dropped.is_empty(),
            "goods nouns on the noise lists: {dropped:?}"
        );
    }

    /// Every synonym word with digits ("3d printer") is a term that query
    /// reading keeps, and no foreign function word is a one-word alias or
    /// a synonym's word (it would be English goods).
    #[test]
    fn synonym_terms_survive_and_foreign_words_are_not_goods() {
        let t = get();
        let mut lost: Vec<&str> = t
            .synonyms
            .keys()
            .flat_map(|k| k.split_whitespace())
            .filter(|w| crate::text::has_digit(w))
            .filter(|w| !t.words.contains(WordList::Term, w))
            .collect();
        lost.extend(
            t.aliases
                .iter()
                .map(|a| a.phrase.as_str())
                .chain(t.synonyms.keys().map(String::as_str))
                .filter(|p| !p.contains(' ') && t.words.contains(WordList::Foreign, p)),
        );
        assert!(lost.is_empty(), "{lost:?}");
    }

    /// The built-in tables with `file`'s text replaced.
    pub(crate) fn damaged(file: &str, text: &str) -> TableError {
        match Tables::parse_with(|f| if f == file { text } else { builtin_text(f) }) {
            Ok(_) => panic!("{file} should be rejected:\n{text}"),
            Err(e) => e,
        }
    }

    /// The built-in text of `file` with a row appended after its last one.
    pub(crate) fn with_row(file: &str, row: &str) -> (String, u64) {
        let mut text = builtin_text(file).trim_end().to_string();
        text.push('\n');
        let line = text.lines().count() as u64 + 1;
        text.push_str(row);
        text.push('\n');
        (text, line)
    }

    /// A damaged row of each table is an error naming its file and line.
    #[test]
    fn a_damaged_row_of_each_table_names_file_and_line() {
        let cases: &[(&str, &str, &str)] = &[
            // (file, damaged row, what the message says)
            ("aliases.csv", "hoodie,61102x,note", "code"),
            ("aliases.csv", "hoodie,611020", "cells"),
            ("aliases.csv", "hoodie,611020,", "note"),
            ("brands.csv", "acme,,maker", "goods"),
            ("brands.csv", "acme,anvils", "cells"),
            ("chemistry.csv", "zzyl,29x1,no,ring", "heading"),
            ("chemistry.csv", "zzyl,2901,maybe,ring", "strong"),
            ("chemistry.csv", "zzyl,2901,no,", "note"),
            ("column2.csv", "ZZ,Nowhere,2022-13-01,Law", "since"),
            ("column2.csv", "ZZ,Nowhere,,", "source"),
            ("controlled.csv", "arms,93,9x,Arms,Wassenaar", "to"),
            ("controlled.csv", "arms,93,93,Arms,", "source"),
            ("countries.csv", "ZZ", "cells"),
            ("countries.csv", "Z1,Nowhere", "code"),
            (
                "measures.csv",
                "9903.99.99,Law,Duty,*,all,+x%,2025-01-01,,charged,,,,Notice",
                "rate",
            ),
            (
                "measures.csv",
                "9903.99.99,Law,Duty,*,all,+25%,2025-01-01,,charged,,,,",
                "source",
            ),
            (
                "measures.csv",
                "9903.99.99,Law,Duty,*,all,+25%,2025-01-01,,charged,,",
                "cells",
            ),
            (
                "programs.csv",
                "ZZ,Prog,GN 9,country,MX,maybe,,,In force,,Note 9",
                "in_force",
            ),
            (
                "programs.csv",
                "ZZ,Prog,GN 9,country,MX,yes,,,In force,,",
                "source",
            ),
            (
                "programs.csv",
                "ZZ,Prog,GN 9,country,MX,yes,2020-02-30,,In force,,Note 9",
                "since",
            ),
            ("materials.csv", "zinc,7x", "chapters"),
            ("materials.csv", "zinc,79,extra", "cells"),
            ("processes.csv", "braided,6o,", "favour"),
            ("spellings.csv", "colour,", "canonical"),
            ("synonyms.csv", "jumper,jerseys,", "note"),
            ("words.csv", "noise,gizmo,", "reason"),
            ("words.csv", "nonsense,gizmo,a reason", "list"),
            ("words.csv", "noise,gizmo", "cells"),
        ];
        for (file, row, what) in cases {
            let (text, line) = with_row(file, row);
            let e = damaged(file, &text);
            assert_eq!((e.file.as_str(), e.line), (*file, line), "{row}: {e}");
            assert!(e.to_string().contains(what), "{file} {row}: {e}");
        }
    }
}

/// Invariants of the word tables against the nomenclature (read from the
/// reference data folder).
#[cfg(test)]
mod invariants {
    use std::collections::HashSet;

    use crate::index::{analyze, analyzer};

    /// The words and index terms of the nomenclature, and the words of
    /// every alias (the UK search references and `aliases.csv`).
    fn words_and_terms() -> (HashSet<String>, HashSet<String>, HashSet<String>) {
        let dir = crate::editions::test_data::dir();
        let ds = crate::load::Dataset::load(&dir).unwrap_or_else(|e| panic!("{e}"));
        let mut words = HashSet::new();
        let mut terms = HashSet::new();
        let mut a = analyzer();
        for n in ds.tree.nodes() {
            // The words as written (HS 2022 spells "aluminium") and as
            // normalised (spellings applied).
            let norm = crate::text::normalize(&n.text);
            words.extend(crate::text::tokens(&n.text.to_lowercase()));
            words.extend(crate::text::tokens(&norm));
            terms.extend(analyze(&mut a, &norm));
        }
        // The HTS export's own texts (a heading's full wording, which the
        // tree shows as HS 2022 words it).
        let hts = std::fs::read_to_string(dir.join("us-hts/hts_2026_revision_12.json"))
            .unwrap_or_else(|e| panic!("{e}"));
        let rows: Vec<serde_json::Value> =
            serde_json::from_str(&hts).unwrap_or_else(|e| panic!("{e}"));
        for r in rows {
            if let Some(d) = r.get("description").and_then(|d| d.as_str()) {
                words.extend(crate::text::tokens(&d.to_lowercase()));
            }
        }
        let aliases = ds
            .aliases
            .iter()
            .flat_map(|a| crate::text::tokens(&crate::text::normalize(&a.phrase)))
            .collect();
        (words, terms, aliases)
    }

    /// Every synonym's expansion word is a word of the HS 2022 or HTS
    /// texts.
    #[test]
    fn synonym_targets_occur_in_the_nomenclature() {
        let (words, _, _) = words_and_terms();
        let mut missing: Vec<String> = super::get()
            .synonyms
            .iter()
            .flat_map(|(w, exp)| exp.iter().map(move |e| (w, e)))
            .filter(|(_, e)| !words.contains(e.as_str()))
            .map(|(w, e)| format!("synonyms.csv: {w} -> {e}"))
            .collect();
        missing.sort();
        assert!(
            missing.is_empty(),
            "{} targets not in the nomenclature:\n{}",
            missing.len(),
            missing.join("\n")
        );
    }

    /// Every spelling's target is a word hs can match: a word of the
    /// HS 2022 or HTS texts, a form of one (its index term occurs), a word
    /// of an alias or a synonym.
    #[test]
    fn spelling_targets_occur_in_the_nomenclature() {
        let (mut words, terms, aliases) = words_and_terms();
        let t = super::get();
        words.extend(aliases);
        words.extend(t.synonyms.keys().cloned());
        let mut a = analyzer();
        let mut missing: Vec<String> = t
            .spellings
            .iter()
            .filter(|(_, target)| {
                !words.contains(target.as_str())
                    && !analyze(&mut a, target).iter().all(|s| terms.contains(s))
            })
            .map(|(variant, target)| format!("{variant},{target}"))
            .collect();
        missing.sort();
        assert!(
            missing.is_empty(),
            "{} spellings.csv targets hs cannot match:\n{}",
            missing.len(),
            missing.join("\n")
        );
    }
}
