//! The EU Combined Nomenclature (CN 2026) beside the US schedule: its
//! 8-digit lines, read from `eu-cn/` in the data folder and attached under
//! their HS subheading as a separate schedule. The code tree, its US lines,
//! the index and the ranking are left exactly as they are; a search is
//! ranked as usual and the best CN line under each suggested subheading is
//! then presented instead of the US line ([`CnSchedule::present`]).

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::code::Code;
use crate::engine::SearchResult;
use crate::index::{analyze, analyzer};
use crate::load::{LoadError, read};
use crate::rank::lines::{LineQuery, LineText, score_siblings};
use crate::rank::understand::Query;
use crate::rank::{Matched, Suggestion};
use crate::text::{normalize, strip_exclusions};
use crate::tree::{Level, NodeId, Tree};

/// The CN file of 8-digit codes, relative to the data folder.
pub const CN_CODES_JSON: &str = "eu-cn/cnCodes_2026.json";
/// The edition, as shown to users.
pub const CN_EDITION: &str = "EU Combined Nomenclature 2026";

/// The level name of a CN line in JSON and CSV output.
pub const CN_LINE_LEVEL: &str = "cn-line";

/// Said wherever CN lines are shown: the CN files carry no duty rates.
pub const CN_NO_RATES: &str = "EU duty rates are not in the reference data (the CN files carry codes, texts and supplementary units); see the EU's TARIC for rates.";

/// Which national lines are shown and suggested under the HS six digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Schedule {
    /// The US HTS (8- and 10-digit lines).
    #[default]
    Us,
    /// The EU Combined Nomenclature (8-digit lines).
    Eu,
}

impl Schedule {
    pub fn name(self) -> &'static str {
        match self {
            Schedule::Us => "us",
            Schedule::Eu => "eu",
        }
    }
}

/// One 8-digit CN line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CnLine {
    pub code: Code,
    /// The code as the CN writes it: `6109 10 00`.
    pub cn_code: String,
    /// The line's own text, relative to its place ("Other").
    pub text: String,
    /// The text read with its HS subheading, understandable alone.
    pub full_text: String,
    /// The HS subheading it lies under.
    pub hs6: Code,
    /// The supplementary unit as the file codes it (`PST`, `L_ALC_100PCT`);
    /// None when only the net mass is declared.
    pub supplementary_unit: Option<String>,
}

impl CnLine {
    /// The supplementary unit as the CN prints it (`p/st`, `l alc. 100 %`).
    pub fn unit_label(&self) -> Option<String> {
        self.supplementary_unit.as_deref().map(unit_label)
    }
}

/// The CN's printed abbreviation of a supplementary unit code of the file
/// (CN Annex, "Supplementary units"); an unknown code is shown as it is.
pub fn unit_label(code: &str) -> String {
    let s = match code {
        "PST" => "p/st",
        "100_PST" => "100 p/st",
        "1000_PST" => "1 000 p/st",
        "PA" => "pa",
        "M" => "m",
        "M2" => "m²",
        "M3" => "m³",
        "1000_M3" => "1 000 m³",
        "L" => "l",
        "L_ALC_100PCT" => "l alc. 100 %",
        "G" => "g",
        "CK" => "c/k",
        "CEEL" => "ce/el",
        "CTL" => "ct/l",
        "TJ" => "TJ",
        "1000_KWH" => "1 000 kWh",
        "GI_FS" => "gi F/S",
        "KG_90PCT_SDT" => "kg 90 % sdt",
        "KG_N" => "kg N",
        "KG_NET_EDA" => "kg/net eda",
        "KG_P2O5" => "kg P2O5",
        "KG_K2O" => "kg K2O",
        "KG_U" => "kg U",
        "KG_NAOH" => "kg NaOH",
        "KG_KOH" => "kg KOH",
        "KG_H2O2" => "kg H2O2",
        "KG_MET_AM" => "kg met.am.",
        other => return other.to_string(),
    };
    s.to_string()
}

#[derive(Debug, Deserialize)]
struct CodeRow {
    code: String,
    #[serde(rename = "rawCode", default)]
    raw_code: String,
    #[serde(default)]
    name: String,
    #[serde(rename = "supplementaryUnit", default)]
    supplementary_unit: Option<String>,
}

/// The CN lines, by HS subheading and by code, in code order.
#[derive(Debug, Clone, Default)]
pub struct CnSchedule {
    lines: Vec<CnLine>,
    by_code: HashMap<String, usize>,
    by_hs6: HashMap<String, Vec<usize>>,
}

fn format_err(path: &Path, msg: impl Into<String>) -> LoadError {
    LoadError::Format {
        path: path.to_path_buf(),
        msg: msg.into(),
    }
}

impl CnSchedule {
    /// Reads the CN files from the data folder and attaches each line
    /// under its HS subheading in `tree`.
    ///
    /// # Errors
    /// A missing or unreadable file, or a line whose HS subheading is not
    /// in the tree, named with the file.
    pub fn load(dir: &Path, tree: &Tree) -> Result<CnSchedule, LoadError> {
        let codes = read(dir, CN_CODES_JSON)?;
        let path = dir.join(CN_CODES_JSON);
        let cn = Self::parse(&codes, tree, &path)?;
        // A file cut short (but still a JSON list) loses whole chapters.
        crate::load::check_chapters(&path, "CN lines", |c| {
            cn.lines.iter().any(|l| l.code.chapter() == c)
        })?;
        Ok(cn)
    }

    /// [`CnSchedule::load`] from the files' texts.
    ///
    /// # Errors
    /// As [`CnSchedule::load`].
    pub fn parse(
        codes_json: &str,
        tree: &Tree,
        codes_path: &Path,
    ) -> Result<CnSchedule, LoadError> {
        let rows: Vec<CodeRow> = serde_json::from_str(codes_json).map_err(|e| {
            format_err(
                codes_path,
                format!("not the expected JSON list of CN codes: {e}"),
            )
        })?;
        let mut out = CnSchedule::default();
        for (i, row) in rows.into_iter().enumerate() {
            let code = Code::parse(&row.code)
                .ok()
                .filter(|c| c.len() == 8)
                .ok_or_else(|| {
                    format_err(
                        codes_path,
                        format!("entry {}: code {:?} is not 8 digits", i + 1, row.code),
                    )
                })?;
            let Some(hs6) = code.prefix(6) else {
                continue;
            };
            let Some(sub) = tree.get(&hs6).filter(|n| n.level == Level::Subheading) else {
                return Err(format_err(
                    codes_path,
                    format!(
                        "entry {}: subheading {hs6} of CN code {} is not in HS 2022",
                        i + 1,
                        row.code
                    ),
                ));
            };
            let text = row.name.trim().to_string();
            // The HS text names the six digits common to both schedules (the
            // CN's own subheading names are indent-relative, often "Other");
            // the line's text follows unless it only repeats it.
            let mut full_text = sub.full_text.clone();
            let repeats = full_text.to_lowercase().ends_with(&text.to_lowercase());
            if !text.is_empty() && !repeats {
                full_text.push_str(": ");
                full_text.push_str(&text);
            }
            let cn_code = if row.raw_code.trim().is_empty() {
                spaced(&code)
            } else {
                row.raw_code.trim().to_string()
            };
            let idx = out.lines.len();
            out.by_code.insert(code.digits().to_string(), idx);
            out.by_hs6
                .entry(hs6.digits().to_string())
                .or_default()
                .push(idx);
            out.lines.push(CnLine {
                code,
                cn_code,
                text,
                full_text,
                hs6,
                supplementary_unit: row
                    .supplementary_unit
                    .map(|u| u.trim().to_string())
                    .filter(|u| !u.is_empty()),
            });
        }
        Ok(out)
    }

    /// Number of CN lines.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Every CN line in file order.
    pub fn lines(&self) -> &[CnLine] {
        &self.lines
    }

    /// The CN line with exactly this 8-digit code.
    pub fn get(&self, code: &Code) -> Option<&CnLine> {
        self.by_code.get(code.digits()).map(|&i| &self.lines[i])
    }

    /// The CN lines under an HS subheading.
    pub fn under_subheading(&self, hs6: &Code) -> Vec<&CnLine> {
        self.by_hs6
            .get(hs6.digits())
            .map(|v| v.iter().map(|&i| &self.lines[i]).collect())
            .unwrap_or_default()
    }

    /// The CN lines under any code of up to 8 digits (a chapter, heading,
    /// subheading or the line itself), in code order.
    pub fn under(&self, code: &Code) -> Vec<&CnLine> {
        let mut v: Vec<&CnLine> = self
            .lines
            .iter()
            .filter(|l| l.code.starts_with(code))
            .collect();
        v.sort_by(|a, b| a.code.cmp(&b.code));
        v
    }

    /// The CN lines nearest to an 8-digit code that is not in the CN: the
    /// lines of its subheading, closest first.
    pub fn nearest(&self, code: &Code, max: usize) -> Vec<&CnLine> {
        let target: u64 = code.digits().parse().unwrap_or(0);
        let mut v = code
            .prefix(6)
            .map(|hs6| self.under_subheading(&hs6))
            .unwrap_or_default();
        v.sort_by_key(|l| l.code.digits().parse::<u64>().unwrap_or(0).abs_diff(target));
        v.truncate(max);
        v
    }

    /// A suggestion presenting a CN line, scored as the subheading it
    /// stands for.
    fn suggestion(&self, tree: &Tree, sub: NodeId, line: &CnLine, base: &Suggestion) -> Suggestion {
        let mut path: Vec<String> = tree
            .path(sub)
            .iter()
            .filter_map(|n| n.code.as_ref().map(|c| c.to_string()))
            .collect();
        path.push(line.code.to_string());
        Suggestion {
            code: line.code.clone(),
            level: CN_LINE_LEVEL,
            description: line.full_text.clone(),
            hs6: line.hs6.clone(),
            path,
            score: base.score,
            confidence: base.confidence,
            matched: base.matched.clone(),
            signals: base.signals.clone(),
            precedents: base.precedents.clone(),
            node: sub,
            goods_evidence: base.goods_evidence,
            language: base.language.clone(),
        }
    }

    /// Presents a search result in this schedule: each suggestion's HS
    /// subheading keeps its rank, score and confidence, and the best CN
    /// line under it (by the line scorer shared with the US lines,
    /// [`crate::rank::lines`]; ties go to code order) replaces the US line. A code query lists the code, the
    /// HS levels under it and the CN lines under each subheading.
    pub fn present(&self, tree: &Tree, result: SearchResult, top: usize) -> SearchResult {
        if result.kind == "code" {
            let query = result.query.clone();
            let suggestions = Code::parse(&query)
                .map(|c| self.code_suggestions(tree, &c, top))
                .unwrap_or_default();
            return SearchResult {
                suggestions,
                ..result
            };
        }
        let q = Query::new(&result.query, result.understood.clone());
        let query = q.shown_terms();
        let mut analyzer = analyzer();
        let line_query = LineQuery::new(&mut analyzer, &q);
        let suggestions = result
            .suggestions
            .iter()
            .map(|s| {
                let Some(sub) = tree.get(&s.hs6).filter(|n| n.level == Level::Subheading) else {
                    return s.clone();
                };
                // The shared line scorer ([`crate::rank::lines`]): the CN's
                // lines are one choice among siblings under the subheading;
                // ties go to code order.
                let lines = self.under_subheading(&s.hs6);
                let texts: Vec<LineText> = lines
                    .iter()
                    .map(|l| LineText::new(&mut analyzer, &l.text, tree))
                    .collect();
                let refs: Vec<&LineText> = texts.iter().collect();
                let context = analyze(&mut analyzer, &normalize(&strip_exclusions(&sub.full_text)));
                let garments = matches!(s.hs6.chapter(), 61 | 62);
                let scores = score_siblings(&line_query, &refs, &context, garments);
                let mut best: Option<(&CnLine, f32)> = None;
                for (line, score) in lines.into_iter().zip(scores) {
                    if best.is_none_or(|(_, b)| score > b) {
                        best = Some((line, score));
                    }
                }
                let Some((line, _)) = best else {
                    // No CN line under this subheading: show the subheading.
                    let mut out = s.clone();
                    out.code = s.hs6.clone();
                    out.level = Level::Subheading.name();
                    out.description = tree.node(sub.id).full_text.clone();
                    out.node = sub.id;
                    out.path = tree
                        .path(sub.id)
                        .iter()
                        .filter_map(|n| n.code.as_ref().map(|c| c.to_string()))
                        .collect();
                    out.matched = without_line(&s.matched, &query, &[]);
                    return out;
                };
                let line_terms = analyze(&mut analyzer, &normalize(&strip_exclusions(&line.text)));
                let mut out = self.suggestion(tree, sub.id, line, s);
                out.matched = without_line(&s.matched, &query, &line_terms);
                out
            })
            .collect();
        SearchResult {
            suggestions,
            ..result
        }
    }

    /// A code and what lies under it in this schedule: HS levels, and the
    /// CN lines under each subheading; an 8-digit code is a CN line.
    pub fn code_suggestions(&self, tree: &Tree, code: &Code, top: usize) -> Vec<Suggestion> {
        let seed =
            |code: Code, level: &'static str, description: String, node: NodeId| Suggestion {
                hs6: code.prefix(6).unwrap_or_else(|| code.clone()),
                code,
                level,
                description,
                path: Vec::new(),
                score: 1.0,
                confidence: 1.0,
                matched: Vec::new(),
                signals: Default::default(),
                precedents: Vec::new(),
                node,
                goods_evidence: true,
                language: None,
            };
        if code.len() > 6 {
            let Some(line) = self.get(code) else {
                return Vec::new();
            };
            let Some(sub) = tree.get(&line.hs6) else {
                return Vec::new();
            };
            let base = seed(code.clone(), CN_LINE_LEVEL, String::new(), sub.id);
            return vec![self.suggestion(tree, sub.id, line, &base)];
        }
        // Chapters 98/99 are the US schedule's own: never suggested.
        let Some(node) = tree
            .get(code)
            .filter(|_| !crate::tree::is_special_chapter(code.chapter()))
        else {
            return Vec::new();
        };
        let confidence = tree.code_query_confidence(node.id);
        let mut hs_nodes = vec![node];
        hs_nodes.extend(
            tree.descendants(node.id).into_iter().filter(|n| {
                n.code.is_some() && matches!(n.level, Level::Heading | Level::Subheading)
            }),
        );
        hs_nodes.sort_by(|a, b| a.code.cmp(&b.code));
        let mut out = Vec::new();
        for n in hs_nodes {
            let Some(c) = n.code.clone() else { continue };
            let share = confidence(n.id);
            let mut s = seed(c, n.level.name(), n.full_text.clone(), n.id);
            s.confidence = share;
            s.path = tree
                .path(n.id)
                .iter()
                .filter_map(|p| p.code.as_ref().map(|c| c.to_string()))
                .collect();
            let sub_code = s.code.clone();
            out.push(s);
            if n.level == Level::Subheading {
                for line in self.under_subheading(&sub_code) {
                    let mut base = seed(line.code.clone(), CN_LINE_LEVEL, String::new(), n.id);
                    base.confidence = share;
                    out.push(self.suggestion(tree, n.id, line, &base));
                }
            }
            if out.len() >= top {
                break;
            }
        }
        out.truncate(top);
        out
    }
}

/// The matched words with the US line's evidence replaced by the CN
/// line's: `line` is kept for a word only when it matches the CN line, and
/// a word that matches only the CN line is added, in query order.
fn without_line(
    matched: &[Matched],
    query: &[(String, Vec<String>)],
    line_terms: &[String],
) -> Vec<Matched> {
    query
        .iter()
        .filter_map(|(word, terms)| {
            let before = matched.iter().find(|m| m.word == *word);
            let mut sources: Vec<&'static str> = before
                .map(|m| m.sources.iter().copied().filter(|s| *s != "line").collect())
                .unwrap_or_default();
            if terms.iter().any(|t| line_terms.contains(t)) {
                sources.push("line");
            }
            (!sources.is_empty()).then(|| Matched {
                word: word.clone(),
                sources,
                via: before.map(|m| m.via.clone()).unwrap_or_default(),
            })
        })
        .collect()
}

/// A code as the CN prints it: `6109 10 00`.
pub fn spaced(code: &Code) -> String {
    let d = code.digits();
    let mut out = String::new();
    for (i, ch) in d.chars().enumerate() {
        if i >= 4 && i % 2 == 0 {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(c: &str) -> Code {
        Code::parse(c).unwrap_or_else(|e| panic!("{e}"))
    }

    fn tree() -> Tree {
        let mut t = Tree::new();
        let h = t.add(
            Tree::ROOT,
            Level::Heading,
            Some(code("0402")),
            1,
            "Milk".into(),
        );
        t.add(
            h,
            Level::Subheading,
            Some(code("040299")),
            1,
            "Milk and cream; concentrated, sweetened, other than in powder".into(),
        );
        let h2 = t.add(
            Tree::ROOT,
            Level::Heading,
            Some(code("6109")),
            11,
            "T-shirts".into(),
        );
        t.add(
            h2,
            Level::Subheading,
            Some(code("610910")),
            11,
            "T-shirts, singlets and other vests; of cotton, knitted or crocheted".into(),
        );
        t
    }

    const CODES: &str = r#"[
      {"code":"04029910","rawCode":"0402 99 10","name":"Of a fat content, by weight, not exceeding 9,5 %","subheading":"040299","supplementaryUnit":null},
      {"code":"04029939","rawCode":"0402 99 39","name":"Other","subheading":"040299","supplementaryUnit":null},
      {"code":"61091000","rawCode":"6109 10 00","name":"Of cotton","subheading":null,"supplementaryUnit":"PST"}
    ]"#;
    fn schedule(t: &Tree) -> CnSchedule {
        CnSchedule::parse(CODES, t, Path::new("codes")).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn lines_attach_under_their_subheading() {
        let t = tree();
        let cn = schedule(&t);
        assert_eq!(cn.len(), 3);
        let tees = cn.under_subheading(&code("6109.10"));
        assert_eq!(tees.len(), 1);
        assert_eq!(tees[0].cn_code, "6109 10 00");
        assert_eq!(tees[0].unit_label().as_deref(), Some("p/st"));
        assert_eq!(
            tees[0].full_text,
            "T-shirts, singlets and other vests; of cotton, knitted or crocheted: Of cotton"
        );
        let milk = cn
            .get(&code("0402.99.39"))
            .unwrap_or_else(|| panic!("missing"));
        assert_eq!(
            milk.full_text,
            "Milk and cream; concentrated, sweetened, other than in powder: Other"
        );
        assert_eq!(milk.unit_label(), None);
        assert_eq!(cn.under(&code("0402")).len(), 2);
        assert_eq!(cn.nearest(&code("0402.99.31"), 1)[0].cn_code, "0402 99 39");
    }

    #[test]
    fn a_line_under_an_unknown_subheading_is_an_error_naming_it() {
        let t = tree();
        let bad = r#"[{"code":"01012100","rawCode":"0101 21 00","name":"x"}]"#;
        let err = CnSchedule::parse(bad, &t, Path::new("codes.json"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("codes.json") && err.contains("0101.21"),
            "{err}"
        );
        let err = CnSchedule::parse("{", &t, Path::new("codes.json"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("codes.json"), "{err}");
    }

    #[test]
    fn code_queries_list_hs_levels_then_cn_lines() {
        let t = tree();
        let cn = schedule(&t);
        let s = cn.code_suggestions(&t, &code("0402"), 10);
        let got: Vec<(String, &str)> = s.iter().map(|s| (s.code.to_string(), s.level)).collect();
        assert_eq!(
            got,
            vec![
                ("0402".to_string(), "heading"),
                ("0402.99".to_string(), "subheading"),
                ("0402.99.10".to_string(), CN_LINE_LEVEL),
                ("0402.99.39".to_string(), CN_LINE_LEVEL),
            ]
        );
        let one = cn.code_suggestions(&t, &code("6109.10.00"), 10);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].path, vec!["6109", "6109.10", "6109.10.00"]);
        assert!(
            cn.code_suggestions(&t, &code("6109.10.00.12"), 10)
                .is_empty()
        );
        assert_eq!(cn.code_suggestions(&t, &code("0402"), 2).len(), 2);
    }

    /// The real CN 2026 files: every line attaches under an HS 2022
    /// subheading, and nearly every subheading gets CN lines.
    #[test]
    fn real_cn_attaches_every_line() {
        let dir = crate::load::resolve_data_dir(None).unwrap_or_else(|e| panic!("{e}"));
        let ds = crate::load::Dataset::load(&dir).unwrap_or_else(|e| panic!("{e}"));
        let cn = CnSchedule::load(&dir, &ds.tree).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cn.len(), 9791);
        let subs: Vec<&Code> = ds
            .tree
            .nodes()
            .filter(|n| n.level == Level::Subheading)
            .filter_map(|n| n.code.as_ref())
            .collect();
        let without: Vec<String> = subs
            .iter()
            .filter(|c| cn.under_subheading(c).is_empty())
            .map(|c| c.to_string())
            .collect();
        assert!(
            without.is_empty(),
            "subheadings without CN lines: {without:?}"
        );
        let known = cn
            .lines()
            .iter()
            .filter_map(|l| l.supplementary_unit.as_deref())
            .all(|u| unit_label(u) != u || u == "TJ");
        assert!(known, "a supplementary unit has no printed label");
    }

    /// `hs show --all-schedules` loads one chapter of the US schedule; every
    /// HS subheading is still in that tree, so the whole CN attaches, with
    /// the same texts as over the full tree.
    #[test]
    fn real_cn_attaches_to_a_one_chapter_tree() {
        let dir = crate::load::resolve_data_dir(None).unwrap_or_else(|e| panic!("{e}"));
        let ds = crate::load::Dataset::load_scoped(&dir, crate::load::Scope::Chapter(61))
            .unwrap_or_else(|e| panic!("{e}"));
        let cn = CnSchedule::load(&dir, &ds.tree).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cn.len(), 9791);
        let tees = cn.under_subheading(&code("6109.10"));
        assert_eq!(tees.len(), 1);
        assert_eq!(
            tees[0].full_text,
            "T-shirts, singlets and other vests; of cotton, knitted or crocheted: Of cotton"
        );
        assert_eq!(cn.under_subheading(&code("0402.99")).len(), 5);
    }

    /// The CN line is chosen by the line scorer shared with the US lines: a
    /// line setting a condition the query does not state gives way to
    /// "Other"; one the query states wins.
    #[test]
    fn the_cn_line_is_scored_against_the_query() {
        let t = tree();
        let cn = schedule(&t);
        let present = |q: &str| {
            let mut an = analyzer();
            let (words, brands) = crate::text::read_query(q);
            let terms = words
                .iter()
                .map(|w| (w.word.clone(), None, analyze(&mut an, &w.word), w.weight))
                .collect();
            let sub = t.get(&code("0402.99")).map(|n| n.id).unwrap_or(0);
            let base = Suggestion {
                code: code("0402.99"),
                level: "subheading",
                description: String::new(),
                hs6: code("0402.99"),
                path: Vec::new(),
                score: 1.0,
                confidence: 1.0,
                matched: Vec::new(),
                signals: Default::default(),
                node: sub,
                goods_evidence: true,
                precedents: Vec::new(),
                language: None,
            };
            let result = SearchResult {
                query: q.to_string(),
                kind: "text",
                suggestions: vec![base],
                understood: crate::rank::Understood {
                    words,
                    brands,
                    terms,
                    expansions: Vec::new(),
                    reading: crate::lang::Reading::english(),
                    dropped: Vec::new(),
                    components: crate::text::with_clause_words(&crate::text::normalize(q)),
                },
                conflict: None,
            };
            cn.present(&t, result, 1).suggestions[0].code.to_string()
        };
        assert_eq!(present("sweetened condensed milk"), "0402.99.39");
        assert_eq!(
            present("condensed milk, fat content 8% by weight"),
            "0402.99.10"
        );
    }

    #[test]
    fn unit_labels() {
        assert_eq!(unit_label("L_ALC_100PCT"), "l alc. 100 %");
        assert_eq!(unit_label("M2"), "m²");
        assert_eq!(unit_label("NEW"), "NEW");
    }
}
