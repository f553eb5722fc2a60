//! Loaders: find the reference data folder and read its files (HS 2022,
//! US HTS, section titles, notes, UK search references) into one [`Dataset`]
//! whose [`Tree`] is the model every other module works from.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use thiserror::Error;

use crate::code::Code;
use crate::notes::Notes;
use crate::tree::{DutyText, Level, NodeId, Tree};

/// Files read, relative to the data folder.
pub const HS2022_CSV: &str = "hs2022/harmonized-system.csv";
pub const HS2017_CSV: &str = "hs2017/harmonized-system.csv";
pub const HTS_CSV: &str = "us-hts/hts_2026_revision_4.csv";
pub const NOTES_MD: &str = "us-hts/section-chapter-notes.md";
pub const GRI_MD: &str = "us-hts/general-rules-of-interpretation.md";
pub const SECTIONS_JSON: &str = "us-hts/sections-and-chapters.json";
pub const UK_REFS_JSON: &str = "uk/search_references.json";

/// The files that define the model (and so the index fingerprint).
pub const MODEL_FILES: &[&str] = &[
    HS2022_CSV,
    HTS_CSV,
    NOTES_MD,
    GRI_MD,
    SECTIONS_JSON,
    UK_REFS_JSON,
];

/// The folder the build recorded (`../shared/hs-data` beside the sources).
pub const BUILTIN_DATA_DIR: &str = env!("HS_BUILTIN_DATA_DIR");

#[derive(Debug, Error)]
pub enum LoadError {
    #[error(
        "reference data folder not found; looked in: {}. Pass --data DIR or set HS_DATA_DIR to the folder holding hs2022/ and us-hts/",
        .looked.join(", ")
    )]
    NoDataDir { looked: Vec<String> },
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {msg}")]
    Format { path: PathBuf, msg: String },
}

/// Where the data folder comes from, in the documented order.
pub fn resolve_data_dir(cli: Option<&Path>) -> Result<PathBuf, LoadError> {
    let mut looked = Vec::new();
    let mut candidates: Vec<(PathBuf, &str)> = Vec::new();
    if let Some(p) = cli {
        candidates.push((p.to_path_buf(), "--data"));
    } else if let Some(p) = std::env::var_os("HS_DATA_DIR").filter(|p| !p.is_empty()) {
        candidates.push((PathBuf::from(p), "HS_DATA_DIR"));
    } else {
        candidates.push((PathBuf::from(BUILTIN_DATA_DIR), "built-in default"));
    }
    for (path, why) in candidates {
        if path.join(HS2022_CSV).is_file() {
            return Ok(path);
        }
        looked.push(format!("{} ({why})", path.display()));
    }
    Err(LoadError::NoDataDir { looked })
}

/// Reads a data file as text (lossy UTF-8, byte-order mark dropped).
pub fn read(dir: &Path, rel: &str) -> Result<String, LoadError> {
    let path = dir.join(rel);
    let bytes = fs::read(&path).map_err(|source| LoadError::Io {
        path: path.clone(),
        source,
    })?;
    let mut text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// Every reference file the loader reads to build the dataset the index
/// is made from, as paths in `dir` (the index fingerprint hashes their
/// content, so a file added here is covered by it).
pub fn input_files(dir: &Path) -> Vec<PathBuf> {
    MODEL_FILES.iter().map(|rel| dir.join(rel)).collect()
}

/// An everyday phrase that points at a code (UK search references, the
/// project's alias table).
#[derive(Debug, Clone)]
pub struct Alias {
    pub phrase: String,
    /// Digits of the code it points to (6 digits or more).
    pub code: String,
    pub source: &'static str,
}

impl Alias {
    /// The subheading (or, for a four-digit alias, the heading) it points to.
    pub fn target<'t>(&self, tree: &'t Tree) -> Option<&'t crate::tree::Node> {
        let key = self.code.get(..6).unwrap_or(&self.code);
        tree.get_digits(key)
            .filter(|n| matches!(n.level, Level::Subheading | Level::Heading))
    }
}

/// Everything loaded: the tree, the notes and the aliases.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub dir: PathBuf,
    pub tree: Tree,
    pub notes: Notes,
    pub aliases: Vec<Alias>,
}

/// How much of the US schedule a load attaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everything: what searching, bulk runs and the UI need.
    All,
    /// HS 2022 and the notes in full, the US lines of one chapter only and
    /// no aliases: enough to show a code of that chapter, in a third of the
    /// time. Nothing outside the chapter may be looked up below HS six
    /// digits.
    Chapter(u8),
}

impl Dataset {
    /// Loads every model file from `dir`.
    pub fn load(dir: &Path) -> Result<Dataset, LoadError> {
        Self::load_scoped(dir, Scope::All)
    }

    /// Loads the model files from `dir`, the US schedule as `scope` says.
    pub fn load_scoped(dir: &Path, scope: Scope) -> Result<Dataset, LoadError> {
        // The tree (HS, then the HTS under it) on this thread; the notes and
        // aliases, which do not depend on it, on another.
        let (tree, rest) = std::thread::scope(|s| {
            let rest = s.spawn(|| -> Result<(Notes, Vec<Alias>), LoadError> {
                let mut notes = Notes::parse(&read(dir, NOTES_MD)?);
                notes.gri = read(dir, GRI_MD)?;
                if scope != Scope::All {
                    return Ok((notes, Vec::new()));
                }
                let mut aliases =
                    parse_uk_references(&read(dir, UK_REFS_JSON)?, &dir.join(UK_REFS_JSON))?;
                aliases.extend(crate::alias::builtin());
                Ok((notes, aliases))
            });
            let tree = load_tree(dir, scope);
            (tree, rest.join())
        });
        let tree = tree?;
        let (notes, aliases) = match rest {
            Ok(r) => r?,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        Ok(Dataset {
            dir: dir.to_path_buf(),
            tree,
            notes,
            aliases,
        })
    }
}

/// HS 2022 with the US schedule (or the part `scope` asks for) under it.
fn load_tree(dir: &Path, scope: Scope) -> Result<Tree, LoadError> {
    let sections = parse_sections(&read(dir, SECTIONS_JSON)?, &dir.join(SECTIONS_JSON))?;
    let mut tree = Tree::new();
    tree.reserve(if scope == Scope::All { 40_000 } else { 10_000 });
    build_hs(
        &mut tree,
        &sections,
        &read(dir, HS2022_CSV)?,
        &dir.join(HS2022_CSV),
    )?;
    let only = match scope {
        Scope::All => None,
        Scope::Chapter(c) => Some(c),
    };
    attach_hts_scoped(&mut tree, &read(dir, HTS_CSV)?, &dir.join(HTS_CSV), only)?;
    Ok(tree)
}

#[derive(Debug, Deserialize)]
struct SectionsFile {
    sections: Vec<SectionEntry>,
}

#[derive(Debug, Deserialize)]
struct SectionEntry {
    number: u8,
    description: String,
    #[serde(default)]
    chapters: Vec<ChapterEntry>,
}

#[derive(Debug, Deserialize)]
struct ChapterEntry {
    number: u8,
    description: String,
}

/// Official section titles and the chapters each holds.
#[derive(Debug, Clone, Default)]
pub struct SectionTitles {
    /// (number, title)
    pub sections: Vec<(u8, String)>,
    /// chapter -> (section, title)
    pub chapters: HashMap<u8, (u8, String)>,
}

pub fn parse_sections(text: &str, path: &Path) -> Result<SectionTitles, LoadError> {
    let file: SectionsFile = serde_json::from_str(text).map_err(|e| LoadError::Format {
        path: path.to_path_buf(),
        msg: format!("not the expected sections JSON: {e}"),
    })?;
    let mut out = SectionTitles::default();
    for s in file.sections {
        for c in &s.chapters {
            out.chapters
                .insert(c.number, (s.number, c.description.clone()));
        }
        out.sections.push((s.number, s.description));
    }
    Ok(out)
}

fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// True for rows that are not goods: `TOTAL` and the "not specified" codes.
pub fn is_not_goods(code: &str) -> bool {
    code.eq_ignore_ascii_case("total") || (!code.is_empty() && code.chars().all(|c| c == '9'))
}

/// Builds sections, chapters, headings and subheadings from the HS CSV.
pub fn build_hs(
    tree: &mut Tree,
    titles: &SectionTitles,
    text: &str,
    path: &Path,
) -> Result<(), LoadError> {
    let roman_to_num: HashMap<String, u8> =
        (1..=22u8).map(|n| (crate::code::roman(n), n)).collect();
    let mut section_ids: HashMap<u8, NodeId> = HashMap::new();
    for (n, title) in &titles.sections {
        if *n > 21 {
            continue; // Section XXII: US chapters 98-99, not goods nomenclature.
        }
        let id = tree.add(Tree::ROOT, Level::Section, None, *n, title.clone());
        section_ids.insert(*n, id);
    }
    let mut rdr = csv_reader(text);
    let headers = rdr.headers().map_err(|e| fmt_err(path, e))?.clone();
    let col = |name: &str| column(&headers, name, path);
    let (c_section, c_code, c_desc, c_level) = (
        col("section")?,
        col("hscode")?,
        col("description")?,
        col("level")?,
    );
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| fmt_err(path, e))?;
        let get = |c: usize| rec.get(c).unwrap_or("").trim();
        let raw = get(c_code);
        if is_not_goods(raw) {
            continue;
        }
        let code = Code::parse(raw).map_err(|e| LoadError::Format {
            path: path.to_path_buf(),
            msg: format!("row {}: {e}", i + 2),
        })?;
        let Some(level) =
            Level::of_digits(code.len()).filter(|_| get(c_level) == code.len().to_string())
        else {
            return Err(LoadError::Format {
                path: path.to_path_buf(),
                msg: format!(
                    "row {}: level {} does not match code {raw}",
                    i + 2,
                    get(c_level)
                ),
            });
        };
        let section = roman_to_num.get(get(c_section)).copied().unwrap_or(0);
        let parent = match code.parent() {
            None => match section_ids.get(&section) {
                Some(&id) => id,
                None => {
                    return Err(LoadError::Format {
                        path: path.to_path_buf(),
                        msg: format!("row {}: unknown section '{}'", i + 2, get(c_section)),
                    });
                }
            },
            Some(p) => match tree.get(&p) {
                Some(n) => n.id,
                None => {
                    return Err(LoadError::Format {
                        path: path.to_path_buf(),
                        msg: format!(
                            "row {}: parent {p} of {code} comes later or is missing",
                            i + 2
                        ),
                    });
                }
            },
        };
        let mut desc = get(c_desc).to_string();
        if level == Level::Chapter
            && let Some((_, title)) = titles.chapters.get(&code.chapter())
        {
            desc = title.clone();
        }
        tree.add(parent, level, Some(code), section, desc);
    }
    Ok(())
}

/// The position of a named column, or an error listing the columns found.
fn column(headers: &csv::StringRecord, name: &str, path: &Path) -> Result<usize, LoadError> {
    headers
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| LoadError::Format {
            path: path.to_path_buf(),
            msg: format!(
                "missing column '{name}' (found: {})",
                headers.iter().collect::<Vec<_>>().join(", ")
            ),
        })
}

fn fmt_err(path: &Path, e: impl std::fmt::Display) -> LoadError {
    LoadError::Format {
        path: path.to_path_buf(),
        msg: e.to_string(),
    }
}

/// Attaches the US HTS lines under their HS subheadings, rebuilding the
/// hierarchy from `Indent` and keeping un-coded grouping lines as nodes.
/// Chapters 98 and 99 (US special provisions and temporary modifications)
/// are not goods nomenclature and are left out.
pub fn attach_hts(tree: &mut Tree, text: &str, path: &Path) -> Result<(), LoadError> {
    attach_hts_scoped(tree, text, path, None)
}

/// [`attach_hts`], keeping only the lines of chapter `only` when given.
pub fn attach_hts_scoped(
    tree: &mut Tree,
    text: &str,
    path: &Path,
    only: Option<u8>,
) -> Result<(), LoadError> {
    let mut rdr = csv_reader(text);
    let headers = rdr.headers().map_err(|e| fmt_err(path, e))?.clone();
    let col = |name: &str| column(&headers, name, path);
    let c_code = col("HTS Number")?;
    let c_indent = col("Indent")?;
    let c_desc = col("Description")?;
    let c_units = col("Unit of Quantity")?;
    let c_gen = col("General Rate of Duty")?;
    let c_spec = col("Special Rate of Duty")?;
    let c_col2 = col("Column 2 Rate of Duty")?;

    // (indent, node) of the open ancestors of the current row.
    let mut stack: Vec<(u32, NodeId)> = Vec::new();
    let mut placed: HashSet<NodeId> = HashSet::new();
    let mut in_scope = false;
    let mut rec = csv::StringRecord::new();
    for row in 2.. {
        if !rdr.read_record(&mut rec).map_err(|e| fmt_err(path, e))? {
            break;
        }
        let get = |c: usize| rec.get(c).unwrap_or("").trim();
        let raw = get(c_code);
        // Another chapter's line, when one chapter is asked for: skipped
        // before any work (its un-coded lines follow it, out of scope too).
        if let Some(c) = only
            && !raw.is_empty()
            && raw.get(..2).and_then(|p| p.parse::<u8>().ok()) != Some(c)
        {
            in_scope = false;
            stack.clear();
            continue;
        }
        let desc = get(c_desc).trim_end_matches(':').trim().to_string();
        let indent: u32 = get(c_indent).parse().map_err(|_| LoadError::Format {
            path: path.to_path_buf(),
            msg: format!("row {row}: indent '{}' is not a number", get(c_indent)),
        })?;
        while stack.last().is_some_and(|&(ind, _)| ind >= indent) {
            stack.pop();
        }
        if raw.is_empty() {
            // An un-coded grouping line.
            if !in_scope {
                continue;
            }
            let Some(&(_, parent)) = stack.last() else {
                continue;
            };
            let section = tree.node(parent).section;
            let full = full_text_under(tree, parent, &desc);
            let id = tree.add_full(parent, Level::Group, None, section, desc, full);
            stack.push((indent, id));
            continue;
        }
        let code = Code::parse(raw).map_err(|e| LoadError::Format {
            path: path.to_path_buf(),
            msg: format!("row {row}: {e}"),
        })?;
        in_scope = !matches!(code.chapter(), 98 | 99);
        if !in_scope || is_not_goods(code.digits()) {
            continue;
        }
        let Some(heading) = code.prefix(4).and_then(|h| tree.get(&h)).map(|n| n.id) else {
            return Err(LoadError::Format {
                path: path.to_path_buf(),
                msg: format!("row {row}: heading of {code} is not in HS 2022"),
            });
        };
        if code.len() == 4 {
            stack.clear();
            stack.push((indent, heading));
            continue;
        }
        // Rows of a heading without subdivisions may start at indent 0.
        if stack.is_empty() || !tree_has_ancestor(tree, stack[stack.len() - 1].1, heading) {
            stack.clear();
            stack.push((0, heading));
            if indent == 0 {
                stack[0].0 = 0;
            }
        }
        let Some(&(_, top)) = stack.last() else {
            continue;
        };
        let sub_code = code
            .prefix(6)
            .ok_or_else(|| fmt_err(path, format!("row {row}: short code")))?;
        let Some(sub) = tree.get(&sub_code).map(|n| n.id) else {
            return Err(LoadError::Format {
                path: path.to_path_buf(),
                msg: format!("row {row}: subheading {sub_code} of {code} is not in HS 2022"),
            });
        };
        if code.len() == 6 {
            if !placed.contains(&sub) && top != sub {
                tree.reparent(sub, top);
                placed.insert(sub);
            }
            stack.push((indent, sub));
            continue;
        }
        let parent = if tree_has_ancestor(tree, top, sub) {
            top
        } else {
            if placed.insert(sub) && top != sub {
                tree.reparent(sub, top);
            }
            sub
        };
        let level = if code.len() == 8 {
            Level::TariffLine
        } else {
            Level::StatisticalLine
        };
        let section = tree.node(parent).section;
        let full = full_text_under(tree, parent, &desc);
        let id = tree.add_full(parent, level, Some(code), section, desc, full);
        let units = parse_units(get(c_units));
        let node = tree.node_mut(id);
        node.units = units;
        node.duty = DutyText {
            general: get(c_gen).to_string(),
            special: get(c_spec).to_string(),
            column2: get(c_col2).to_string(),
        };
        stack.push((indent.max(if stack.is_empty() { 0 } else { indent }), id));
    }
    Ok(())
}

/// True when `ancestor` is `id` or one of its ancestors.
fn tree_has_ancestor(tree: &Tree, id: NodeId, ancestor: NodeId) -> bool {
    let mut cur = Some(id);
    while let Some(c) = cur {
        if c == ancestor {
            return true;
        }
        cur = tree.node(c).parent;
    }
    false
}

/// A national line's self-contained text: its parent's, then its own.
fn full_text_under(tree: &Tree, parent: NodeId, own: &str) -> String {
    let p = tree.node(parent);
    if p.level == Level::Root {
        return own.to_string();
    }
    if own.is_empty() {
        return p.full_text.clone();
    }
    let mut full = String::with_capacity(p.full_text.len() + 2 + own.len());
    full.push_str(&p.full_text);
    full.push_str(": ");
    full.push_str(own);
    full
}

/// Units of quantity as the HTS writes them: a JSON array in a string.
pub fn parse_units(cell: &str) -> Vec<String> {
    if cell.is_empty() {
        return Vec::new();
    }
    serde_json::from_str::<Vec<String>>(cell).unwrap_or_else(|_| vec![cell.to_string()])
}

/// UK search references: `{"phrase": "8525810000", ...}`.
pub fn parse_uk_references(text: &str, path: &Path) -> Result<Vec<Alias>, LoadError> {
    let map: HashMap<String, String> =
        serde_json::from_str(text).map_err(|e| LoadError::Format {
            path: path.to_path_buf(),
            msg: format!("not a JSON object of phrase -> code: {e}"),
        })?;
    let mut out: Vec<Alias> = map
        .into_iter()
        .filter_map(|(phrase, code)| {
            let digits: String = code.chars().filter(|c| c.is_ascii_digit()).collect();
            (digits.len() >= 6).then_some(Alias {
                phrase,
                code: digits,
                source: "uk",
            })
        })
        .collect();
    out.sort_by(|a, b| a.phrase.cmp(&b.phrase));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECTIONS: &str = r#"{"sections":[{"number":1,"description":"Live Animals; Animal Products","chapters":[{"number":1,"description":"Live animals"},{"number":2,"description":"Meat"}]},{"number":11,"description":"Textiles","chapters":[{"number":61,"description":"Apparel, knitted"}]}]}"#;
    const HS: &str = "section,hscode,description,parent,level\nI,01,Animals; live,TOTAL,2\nI,0101,\"Horses, asses, mules and hinnies; live\",01,4\nI,010121,\"Horses; live, pure-bred breeding animals\",0101,6\nI,010129,\"Horses; live, other than pure-bred breeding animals\",0101,6\nI,010130,Asses; live,0101,6\nI,02,Meat,TOTAL,2\nI,0205,Meat of horses,02,4\nI,020500,Meat of horses,0205,6\nXI,61,Apparel,TOTAL,2\nXI,6109,T-shirts,61,4\nXI,610910,\"T-shirts; of cotton, knitted\",6109,6\nI,99,Not specified,TOTAL,2\n";
    const HTS: &str = "\u{feff}HTS Number,Indent,Description,Unit of Quantity,General Rate of Duty,Special Rate of Duty,Column 2 Rate of Duty,Quota Quantity,Additional Duties\n\"0101\",\"0\",\"Live horses:\",\"\",\"\",\"\",\"\",\"\",\"\"\n\"\",\"1\",\"Horses:\",\"\",\"\",\"\",\"\",\"\",\"\"\n\"0101.21.00\",\"2\",\"Purebred breeding animals\",\"\",\"Free\",\"\",\"Free\",\"\",\"\"\n\"0101.21.00.10\",\"3\",\"Males\",\"[\"\"No.\"\"]\",\"\",\"\",\"\",\"\",\"\"\n\"0101.29.00\",\"2\",\"Other\",\"\",\"Free\",\"\",\"20%\",\"\",\"\"\n\"0101.30.00.00\",\"1\",\"Asses\",\"[\"\"No.\"\"]\",\"6.8%\",\"Free (A+,AU)\",\"15%\",\"\",\"\"\n\"0205.00.00.00\",\"0\",\"Meat of horses\",\"[\"\"kg\"\"]\",\"Free\",\"\",\"2.2¢/kg\",\"\",\"\"\n\"6109\",\"0\",\"T-shirts:\",\"\",\"\",\"\",\"\",\"\",\"\"\n\"6109.10.00\",\"03\",\"Of cotton\",\"\",\"16.5%\",\"Free (AU)\",\"90%\",\"\",\"\"\n\"\",\"4\",\"Men's or boys':\",\"\",\"\",\"\",\"\",\"\",\"\"\n\"6109.10.00.04\",\"5\",\"T-shirts, all white\",\"[\"\"doz.\"\",\"\"kg\"\"]\",\"\",\"\",\"\",\"\",\"\"\n\"9801.00.10\",\"0\",\"Returned goods\",\"\",\"Free\",\"\",\"\",\"\",\"\"\n\"\",\"1\",\"Group in 98\",\"\",\"\",\"\",\"\",\"\",\"\"\n";

    fn sample() -> Tree {
        let p = Path::new("test");
        let titles = parse_sections(SECTIONS, p).unwrap();
        let mut tree = Tree::new();
        build_hs(&mut tree, &titles, HS, p).unwrap();
        attach_hts(&mut tree, HTS.trim_start_matches('\u{feff}'), p).unwrap();
        tree
    }

    fn node<'a>(t: &'a Tree, c: &str) -> &'a crate::tree::Node {
        t.get(&Code::parse(c).unwrap())
            .unwrap_or_else(|| panic!("{c} missing"))
    }

    #[test]
    fn builds_hs_levels_and_skips_not_goods() {
        let t = sample();
        assert_eq!(node(&t, "01").level, Level::Chapter);
        assert_eq!(node(&t, "01").text, "Live animals");
        assert_eq!(node(&t, "0101").level, Level::Heading);
        assert_eq!(node(&t, "010121").section, 1);
        assert!(t.get_digits("99").is_none());
        assert_eq!(t.sections().count(), 2);
    }

    #[test]
    fn rebuilds_hierarchy_from_indent_with_groups() {
        let t = sample();
        let line = node(&t, "0101.21.00.10");
        let path: Vec<String> = t.path(line.id).iter().map(|n| n.label()).collect();
        // Section > chapter > heading > group "Horses" > subheading > line > stat line
        assert_eq!(
            path,
            vec![
                "Section I",
                "01",
                "0101",
                "",
                "0101.21",
                "0101.21.00",
                "0101.21.00.10"
            ]
        );
        let group = t.ancestors(line.id)[3];
        assert_eq!(group.level, Level::Group);
        assert_eq!(group.text, "Horses");
        assert_eq!(line.units, vec!["No."]);
        // Asses hang under their subheading, not under the group.
        let asses = node(&t, "0101.30.00.00");
        assert_eq!(t.node(asses.parent.unwrap()).label(), "0101.30");
        assert_eq!(asses.duty.general, "6.8%");
    }

    #[test]
    fn headings_without_subdivisions_attach_and_zero_padded_indents_parse() {
        let t = sample();
        let meat = node(&t, "0205.00.00.00");
        assert_eq!(t.node(meat.parent.unwrap()).label(), "0205.00");
        let stat = node(&t, "6109.10.00.04");
        let parents: Vec<String> = t.ancestors(stat.id).iter().map(|n| n.label()).collect();
        assert_eq!(
            parents,
            vec!["Section XI", "61", "6109", "6109.10", "6109.10.00", ""]
        );
        assert_eq!(
            stat.full_text,
            "T-shirts; of cotton, knitted: Of cotton: Men's or boys': T-shirts, all white"
        );
        assert_eq!(stat.units, vec!["doz.", "kg"]);
    }

    #[test]
    fn special_chapters_are_left_out() {
        let t = sample();
        assert!(t.get_digits("98010010").is_none());
        assert!(t.nodes().all(|n| n.text != "Group in 98"));
    }

    #[test]
    fn bad_indent_is_an_error_naming_the_row() {
        let p = Path::new("x.csv");
        let titles = parse_sections(SECTIONS, p).unwrap();
        let mut tree = Tree::new();
        build_hs(&mut tree, &titles, HS, p).unwrap();
        let bad = "HTS Number,Indent,Description,Unit of Quantity,General Rate of Duty,Special Rate of Duty,Column 2 Rate of Duty\n0101,zero,x,,,,\n";
        let err = attach_hts(&mut tree, bad, p).unwrap_err().to_string();
        assert!(err.contains("row 2") && err.contains("zero"), "{err}");
    }
}
