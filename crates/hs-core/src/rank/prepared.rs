//! What every ranker of one engine shares, worked out once: the alias
//! phrases analysed, index documents mapped to subheadings, and per-node
//! facts filled lazily (analysed terms, quantity ranges, material chapters,
//! raw-form headings).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::FxHashMap;
use tantivy::DocAddress;
use tantivy::tokenizer::TextAnalyzer;

use crate::alias::material_chapters;
use crate::index::{OpenIndex, analyze, analyzer};
use crate::load::Dataset;
use crate::measure::{Range, ranges};
use crate::text::{normalize, strip_exclusions};
use crate::tree::{Level, NodeId, Tree};

use super::signals::{MachineTerms, TermUses};

use super::lines::LineText;
use super::repair::Vocab;

/// Per-engine precomputed material shared by every ranker: analyzed
/// terms of node texts (filled lazily) and the alias phrases.
pub struct Prepared {
    pub(crate) vocab: Vocab,
    /// (segment, doc) -> subheading node, so hits need no code lookup.
    doc_node: Vec<Vec<Option<NodeId>>>,
    node_terms: Vec<OnceLock<Box<[String]>>>,
    /// Quantity ranges a node's own text sets ("exceeding 50 cc"), read once.
    node_ranges: Vec<OnceLock<Box<[Range]>>>,
    /// The material chapters (`hs-data/materials.csv`) a subheading's own
    /// words name beyond what its heading shares with all its subheadings:
    /// "of cotton" under 61.09 -> 52; "of leather" under 42.02 -> 41 though
    /// the heading lists leather among its materials.
    node_materials: Vec<OnceLock<Box<[u8]>>>,
    /// The words of a node's own text outside its exclusions, as
    /// [`Prepared::materials`] and [`Prepared::excluded_materials`] read
    /// them, read once.
    node_words: Vec<OnceLock<Box<[String]>>>,
    /// By heading: the words its text shares with all its subheadings,
    /// worked out once.
    heading_shared: Vec<OnceLock<Box<[String]>>>,
    /// The material chapters a subheading's own text excludes ("of textile
    /// materials (other than wool or fine animal hair, cotton ...)").
    node_excluded: Vec<OnceLock<Box<[u8]>>>,
    /// The conditions a national line's own text sets (see [`super::lines`]).
    node_line: Vec<OnceLock<Arc<LineText>>>,
    /// The [`LineText`]s read so far by text: many lines share a text
    /// ("Other" alone heads some 5,800 US lines), read once.
    line_by_text: Mutex<HashMap<Box<str>, Arc<LineText>>>,
    /// Per node (chapters 84-85): the terms its texts (its own and its
    /// heading's) name as what it is, and as what it works on only
    /// ([`super::signals::MachineFor`]); read once.
    node_machine: Vec<OnceLock<MachineTerms>>,
    /// How each node's own text uses its terms ([`TermUses`]), read once.
    node_uses: Vec<OnceLock<TermUses>>,
    /// Headings of a material in a raw form (see [`is_raw_form`]), by node.
    pub(crate) raw_form: Vec<bool>,
    /// The terms the EU CN lines under a subheading add to its texts
    /// ([`crate::index::TextField::EuLines`]), sorted.
    pub(crate) eu_terms: HashMap<NodeId, Box<[String]>>,
    pub(crate) aliases: Vec<AliasEntry>,
    pub(crate) alias_by_term: FxHashMap<String, Vec<u32>>,
    pub(crate) alias_by_sub: HashMap<NodeId, Vec<u32>>,
    /// The parts subheadings of each heading's goods.
    pub(crate) parts: super::signals::PartsMap,
}

/// An alias phrase, analyzed, and the node it points to.
#[derive(Debug, Clone)]
pub(crate) struct AliasEntry {
    /// The phrase as `hs-data/aliases.csv` writes it (for explanations).
    pub phrase: String,
    /// Sorted, each once.
    pub terms: Vec<String>,
    /// The same terms in the phrase's order, each once.
    pub written: Vec<String>,
    /// A subheading, or a heading when the alias names only the heading.
    pub target: NodeId,
}

impl Prepared {
    pub fn new(ds: &Dataset, idx: &OpenIndex) -> Prepared {
        let tree = &ds.tree;
        let doc_node = idx
            .doc_sub
            .iter()
            .map(|seg| {
                seg.iter()
                    .map(|d| tree.get_digits(&format!("{d:06}")).map(|n| n.id))
                    .collect()
            })
            .collect();
        let aliases = ds
            .aliases
            .iter()
            .filter_map(|a| Some((a.phrase.as_str(), a.target(tree)?.id)));
        let mut prep = Self::from_parts(tree, aliases, doc_node, Vocab::new(&idx.vocab));
        prep.eu_terms = idx
            .eu_terms
            .iter()
            .filter_map(|(sub, terms)| {
                let id = tree.get_digits(&format!("{sub:06}"))?.id;
                Some((id, terms.clone().into_boxed_slice()))
            })
            .collect();
        prep
    }

    /// From its parts: alias phrases with their target nodes, index
    /// documents' subheadings, the index vocabulary. Tests build small
    /// fixtures this way.
    pub(crate) fn from_parts<'a>(
        tree: &Tree,
        alias_phrases: impl IntoIterator<Item = (&'a str, NodeId)>,
        doc_node: Vec<Vec<Option<NodeId>>>,
        vocab: Vocab,
    ) -> Prepared {
        let mut an = analyzer();
        let mut aliases = Vec::new();
        let mut alias_by_term: FxHashMap<String, Vec<u32>> = FxHashMap::default();
        let mut alias_by_sub: HashMap<NodeId, Vec<u32>> = HashMap::new();
        for (phrase, target) in alias_phrases {
            let mut terms = analyze(&mut an, &normalize(phrase));
            let mut written: Vec<String> = Vec::with_capacity(terms.len());
            for t in &terms {
                if !written.contains(t) {
                    written.push(t.clone());
                }
            }
            terms.sort();
            terms.dedup();
            if terms.is_empty() {
                continue;
            }
            let i = aliases.len() as u32;
            for t in &terms {
                alias_by_term.entry(t.clone()).or_default().push(i);
            }
            alias_by_sub.entry(target).or_default().push(i);
            aliases.push(AliasEntry {
                phrase: phrase.to_string(),
                terms,
                written,
                target,
            });
        }
        Prepared {
            vocab,
            doc_node,
            node_terms: (0..tree.len()).map(|_| OnceLock::new()).collect(),
            node_ranges: (0..tree.len()).map(|_| OnceLock::new()).collect(),
            node_materials: (0..tree.len()).map(|_| OnceLock::new()).collect(),
            node_words: (0..tree.len()).map(|_| OnceLock::new()).collect(),
            heading_shared: (0..tree.len()).map(|_| OnceLock::new()).collect(),
            node_excluded: (0..tree.len()).map(|_| OnceLock::new()).collect(),
            node_line: (0..tree.len()).map(|_| OnceLock::new()).collect(),
            line_by_text: Mutex::new(HashMap::new()),
            node_machine: (0..tree.len()).map(|_| OnceLock::new()).collect(),
            node_uses: (0..tree.len()).map(|_| OnceLock::new()).collect(),
            raw_form: tree
                .nodes()
                .map(|n| n.level == Level::Heading && is_raw_form(&n.text))
                .collect(),
            eu_terms: HashMap::new(),
            aliases,
            alias_by_term,
            alias_by_sub,
            parts: super::signals::PartsMap::new(tree),
        }
    }

    /// Analyzed terms of a node's own text (exclusions removed).
    pub(crate) fn terms(&self, an: &mut TextAnalyzer, tree: &Tree, id: NodeId) -> &[String] {
        match self.node_terms.get(id as usize) {
            Some(cell) => cell.get_or_init(|| {
                analyze(an, &normalize(&strip_exclusions(&tree.node(id).text))).into_boxed_slice()
            }),
            None => &[],
        }
    }

    /// The subheading an index document stands for.
    pub(crate) fn node_of(&self, addr: DocAddress) -> Option<NodeId> {
        self.doc_node
            .get(addr.segment_ord as usize)
            .and_then(|v| v.get(addr.doc_id as usize))
            .copied()
            .flatten()
    }

    /// [`Prepared::node_materials`] of a subheading.
    pub(crate) fn materials(&self, tree: &Tree, id: NodeId) -> &[u8] {
        let Some(cell) = self.node_materials.get(id as usize) else {
            return &[];
        };
        cell.get_or_init(|| {
            let Some(heading) = tree.ancestor_at(id, Level::Heading) else {
                return Box::default();
            };
            let all = self.words(tree, id);
            if let Some(uppers) = footwear_uppers(heading, all) {
                return uppers.into_boxed_slice();
            }
            let common = self.heading_shared(tree, heading.id);
            let own: Vec<String> = all
                .iter()
                .filter(|w| !common.contains(w))
                .cloned()
                .collect();
            let mut out = chapters_of_words(&own);
            // Outside the textile section, "of textile materials" names
            // every textile fibre's goods ("with outer surface of plastic
            // sheeting or of textile materials" holds nylon handbags).
            // (The heading names it too, so it is read from the whole
            // text, beside a material the subheading sets apart by.)
            if !out.is_empty() && !(50..=63).contains(&tree.chapter_of(id)) && names_textile(all) {
                out.extend(TEXTILE_FIBRES);
                out.sort_unstable();
                out.dedup();
            }
            out.into_boxed_slice()
        })
    }

    /// [`Prepared::node_words`] of a node.
    fn words(&self, tree: &Tree, id: NodeId) -> &[String] {
        let read = || crate::text::tokens(&normalize(&strip_exclusions(&tree.node(id).text)));
        match self.node_words.get(id as usize) {
            Some(cell) => cell.get_or_init(|| read().into_boxed_slice()),
            None => &[],
        }
    }

    /// [`Prepared::heading_shared`]: the words a heading's text shares with
    /// every subheading of the heading. A material the heading lists ("of
    /// leather, of plastic sheeting, of textile materials") that some
    /// subheadings name and others not still sets those apart.
    fn heading_shared(&self, tree: &Tree, heading: NodeId) -> &[String] {
        let Some(cell) = self.heading_shared.get(heading as usize) else {
            return &[];
        };
        cell.get_or_init(|| {
            let mut common = self.words(tree, heading).to_vec();
            for sub in tree.subheadings(heading) {
                let theirs = self.words(tree, sub.id);
                common.retain(|w| theirs.contains(w));
            }
            common.into_boxed_slice()
        })
    }

    /// The material chapters a subheading's own text names only inside an
    /// exclusion ("other than wool or fine animal hair, cotton or man-made
    /// fibres" -> 51, 52, 54, 55), and not outside it ("alloy steel (other
    /// than stainless)" excludes no chapter), or that the other subheadings
    /// of its heading name when it holds the materials they leave ("of
    /// textile materials n.e.c. in heading no. 6102" -> 51, 52, 54, 55):
    /// goods of those materials are not its.
    pub(crate) fn excluded_materials(&self, tree: &Tree, id: NodeId) -> &[u8] {
        let Some(cell) = self.node_excluded.get(id as usize) else {
            return &[];
        };
        cell.get_or_init(|| {
            let text = &tree.node(id).text;
            let kept = self.words(tree, id);
            let excluded: Vec<String> = crate::text::tokens(&normalize(text))
                .into_iter()
                .filter(|w| !kept.contains(w))
                .collect();
            // "alloy steel (other than stainless)" still names steel.
            let named = chapters_of_words(kept);
            let mut out = chapters_of_words(&excluded);
            if text.contains("materials n.e.c.") || text.contains("fibres n.e.c.") {
                let heading = tree.ancestor_at(id, Level::Heading).map(|h| h.id);
                for sub in heading.map(|h| tree.subheadings(h)).unwrap_or_default() {
                    if sub.id != id {
                        out.extend_from_slice(self.materials(tree, sub.id));
                    }
                }
                out.sort_unstable();
                out.dedup();
            }
            out.retain(|c| !named.contains(c));
            out.into_boxed_slice()
        })
    }

    /// [`LineText`] of a node's own text, read once.
    pub(crate) fn line_text(&self, an: &mut TextAnalyzer, tree: &Tree, id: NodeId) -> &LineText {
        static EMPTY: OnceLock<LineText> = OnceLock::new();
        match self.node_line.get(id as usize) {
            Some(cell) => cell.get_or_init(|| {
                let text = &tree.node(id).text;
                // A poisoned lock (a panic while reading a text) only loses
                // the sharing: the text is read again.
                let known = self
                    .line_by_text
                    .lock()
                    .ok()
                    .and_then(|m| m.get(text.as_str()).cloned());
                if let Some(line) = known {
                    return line;
                }
                let line = Arc::new(LineText::new(an, text, tree));
                if let Ok(mut m) = self.line_by_text.lock() {
                    m.insert(text.as_str().into(), line.clone());
                }
                line
            }),
            None => EMPTY.get_or_init(LineText::default),
        }
    }

    /// [`MachineTerms`] of a node, read once.
    pub(crate) fn machine_terms(
        &self,
        an: &mut TextAnalyzer,
        tree: &Tree,
        id: NodeId,
    ) -> &MachineTerms {
        static EMPTY: OnceLock<MachineTerms> = OnceLock::new();
        match self.node_machine.get(id as usize) {
            Some(cell) => cell.get_or_init(|| MachineTerms::new(an, tree, id)),
            None => EMPTY.get_or_init(MachineTerms::default),
        }
    }

    /// [`TermUses`] of a node's own text, read once.
    pub(crate) fn term_uses(&self, an: &mut TextAnalyzer, tree: &Tree, id: NodeId) -> &TermUses {
        static EMPTY: OnceLock<TermUses> = OnceLock::new();
        match self.node_uses.get(id as usize) {
            Some(cell) => cell.get_or_init(|| TermUses::new(an, &tree.node(id).text)),
            None => EMPTY.get_or_init(TermUses::default),
        }
    }

    /// [`ranges`] of a node's own text.
    pub(crate) fn ranges(&self, tree: &Tree, id: NodeId) -> &[Range] {
        match self.node_ranges.get(id as usize) {
            Some(cell) => cell.get_or_init(|| ranges(&tree.node(id).text).into_boxed_slice()),
            None => &[],
        }
    }
}

/// The chapters of textile fibres and their yarns and fabrics (HS 2022
/// chapters 50-56: silk, wool, cotton, other vegetable fibres, man-made
/// filaments and staple fibres, wadding and felt).
const TEXTILE_FIBRES: [u8; 7] = [50, 51, 52, 53, 54, 55, 56];

/// True when the words name textile materials ("of textile materials"),
/// which stand for every textile fibre's chapter ([`TEXTILE_FIBRES`]).
fn names_textile(words: &[String]) -> bool {
    words.iter().any(|w| w == "textile" || w == "textiles")
}

/// Footwear (headings 64.01-64.05) is classified by the material of its
/// uppers (Note 4 (a) to chapter 64): a subheading's materials are those
/// its text names after "uppers" ("outer soles of rubber ... and uppers of
/// textile materials" is textile footwear, not rubber), or, where nothing
/// follows, all it names ("rubber or plastic outer soles and uppers").
/// `None` outside those headings or for a text without uppers.
fn footwear_uppers(heading: &crate::tree::Node, words: &[String]) -> Option<Vec<u8>> {
    let code = heading.code.as_ref()?.digits();
    if !matches!(code, "6401" | "6402" | "6403" | "6404" | "6405") {
        return None;
    }
    let at = words.iter().rposition(|w| w == "uppers")?;
    let after = &words[at + 1..];
    let mut out = chapters_of_words(after);
    if names_textile(after) {
        out.extend(TEXTILE_FIBRES);
    }
    if out.is_empty() {
        out = chapters_of_words(words);
    }
    out.sort_unstable();
    out.dedup();
    Some(out)
}

/// The material chapters some words of a text name, with the tariff's
/// names for man-made fibres and animal hair.
pub(crate) fn chapters_of_words(words: &[String]) -> Vec<u8> {
    let mut out = material_chapters(words.iter().map(String::as_str));
    if words
        .iter()
        .any(|w| matches!(w.as_str(), "synthetic" | "artificial" | "manmade"))
    {
        out.extend([54, 55]);
    }
    if words.iter().any(|w| w == "hair") && words.iter().any(|w| w == "animal") {
        out.push(51);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// True for a heading of a material in a raw form: plastics "in primary
/// forms" (39.01-39.14), unwrought metals, waste and scrap, ores, and the
/// semi-finished forms of metals (ingots, bars and rods, angles, shapes
/// and sections, flat-rolled products).
pub(crate) fn is_raw_form(heading_text: &str) -> bool {
    let t = heading_text.to_lowercase();
    [
        "primary forms",
        "unwrought",
        "waste and scrap",
        "ores and concentrates",
        "bars and rods",
        "angles, shapes and sections",
        "flat-rolled products",
        "semi-finished products",
        "ingots",
    ]
    .iter()
    .any(|p| t.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_one_text_share_its_reading() {
        use crate::code::Code;
        let mut tree = Tree::new();
        let ch = tree.add(
            Tree::ROOT,
            Level::Chapter,
            Code::parse("61").ok(),
            1,
            "Apparel".into(),
        );
        let h = tree.add(
            ch,
            Level::Heading,
            Code::parse("6109").ok(),
            1,
            "T-shirts".into(),
        );
        let sub = tree.add(
            h,
            Level::Subheading,
            Code::parse("610910").ok(),
            1,
            "Of cotton".into(),
        );
        let mut line = |code: &str, text: &str| {
            tree.add(
                sub,
                Level::StatisticalLine,
                Code::parse(code).ok(),
                1,
                text.into(),
            )
        };
        let a = line("6109100040", "Other");
        let b = line("6109100060", "Other");
        let c = line("6109100070", "Tank tops");
        let prep = Prepared::from_parts(
            &tree,
            Vec::new(),
            Vec::new(),
            super::super::repair::Vocab::new(&HashMap::new()),
        );
        let mut an = analyzer();
        let first = prep.line_text(&mut an, &tree, a) as *const LineText;
        assert!(std::ptr::eq(prep.line_text(&mut an, &tree, b), first));
        assert!(!std::ptr::eq(prep.line_text(&mut an, &tree, c), first));
        // Read once more, each node keeps its reading.
        assert!(std::ptr::eq(prep.line_text(&mut an, &tree, a), first));
    }

    #[test]
    fn raw_forms_are_told_from_articles() {
        assert!(is_raw_form(
            "Vinyl chloride, other halogenated olefin polymers; in primary forms"
        ));
        assert!(is_raw_form("Aluminium; unwrought"));
        assert!(is_raw_form("Copper; waste and scrap"));
        assert!(is_raw_form(
            "Stainless steel; bars and rods, other than of heading no. 7222"
        ));
        assert!(!is_raw_form(
            "Table, kitchen or other household articles and parts thereof, of iron or steel"
        ));
        assert!(!is_raw_form(
            "Floor, wall or ceiling coverings; of plastics, in the form of tiles"
        ));
    }
}
