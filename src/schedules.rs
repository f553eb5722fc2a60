//! Across schedules: one HS subheading with the national lines under it in
//! each schedule the dataset carries, so a broker declaring in several
//! countries sees them together. Today that is the US HTS (8-digit tariff
//! lines and 10-digit statistical lines); the EU CN (8 digits) is the next
//! schedule: add its provider to [`across`].

use serde::Serialize;

use crate::code::Code;
use crate::load::Dataset;
use crate::tree::{Level, NodeId};

/// One line of a national schedule under an HS subheading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NationalLine {
    /// The line's code; None for an un-coded grouping line ("Of cotton:").
    pub code: Option<Code>,
    /// `group`, `tariff-line` or `statistical-line`.
    pub level: &'static str,
    /// Depth under the subheading (1 = its children).
    pub depth: usize,
    /// The line's own text, as the schedule writes it (may be indent-relative).
    pub text: String,
    /// General duty rate as written on the line (US 8-digit lines), or empty.
    pub general: String,
    /// Units of quantity.
    pub units: Vec<String>,
    /// The tree node (for front ends that link to it).
    #[serde(skip)]
    pub node: Option<NodeId>,
}

/// The lines one schedule has under one HS subheading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduleLines {
    /// Stable identifier: `us-hts` (and `eu-cn` once loaded).
    pub schedule: &'static str,
    /// Human name of the schedule and its edition.
    pub name: &'static str,
    /// Digits of the schedule's most detailed codes (10 for the US).
    pub digits: usize,
    /// Lines in schedule order.
    pub lines: Vec<NationalLine>,
}

/// Every schedule's lines under HS subheading `hs6` (a six-digit code), in a
/// fixed schedule order; schedules with no lines there are left out.
///
/// Extension point: each schedule is one provider function returning
/// `Option<ScheduleLines>`; the EU CN provider (8-digit lines from
/// `eu-cn/`) goes into the list below once the dataset carries CN lines.
pub fn across(ds: &Dataset, hs6: &Code) -> Vec<ScheduleLines> {
    let providers: [fn(&Dataset, &Code) -> Option<ScheduleLines>; 1] = [us_hts];
    providers.iter().filter_map(|p| p(ds, hs6)).collect()
}

/// The US HTS lines under an HS subheading: grouping lines, 8-digit tariff
/// lines (with their general rate) and 10-digit statistical lines.
pub fn us_hts(ds: &Dataset, hs6: &Code) -> Option<ScheduleLines> {
    let tree = &ds.tree;
    let node = tree.get(hs6).filter(|n| n.level == Level::Subheading)?;
    let mut lines = Vec::new();
    let mut stack: Vec<(NodeId, usize)> = node.children.iter().rev().map(|&c| (c, 1)).collect();
    while let Some((id, depth)) = stack.pop() {
        let n = tree.node(id);
        if matches!(
            n.level,
            Level::Group | Level::TariffLine | Level::StatisticalLine
        ) {
            lines.push(NationalLine {
                code: n.code.clone(),
                level: n.level.name(),
                depth,
                text: n.text.clone(),
                general: n.duty.general.clone(),
                units: n.units.clone(),
                node: Some(id),
            });
        }
        stack.extend(n.children.iter().rev().map(|&c| (c, depth + 1)));
    }
    (!lines.is_empty()).then_some(ScheduleLines {
        schedule: "us-hts",
        name: "US HTS 2026 Rev. 4",
        digits: 10,
        lines,
    })
}

/// The HS subheadings a code stands for in an across-schedules view: a
/// subheading itself, the subheading a national line lies under, or every
/// subheading of a heading. Chapters and sections give none (too broad).
pub fn subheadings_for(ds: &Dataset, code: &Code) -> Vec<Code> {
    match code.len() {
        4 => match ds.tree.get(code) {
            Some(h) => {
                let mut subs: Vec<Code> = ds
                    .tree
                    .descendants(h.id)
                    .into_iter()
                    .filter(|c| c.level == Level::Subheading)
                    .filter_map(|c| c.code.clone())
                    .collect();
                subs.sort();
                subs
            }
            None => Vec::new(),
        },
        n if n >= 6 => code
            .prefix(6)
            .filter(|c| ds.tree.get(c).is_some())
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::load::{attach_hts, build_hs, parse_sections};
    use crate::notes::Notes;
    use crate::tree::Tree;

    const SECTIONS: &str = r#"{"sections":[{"number":11,"description":"Textiles","chapters":[{"number":61,"description":"Apparel, knitted"}]}]}"#;
    const HS: &str = "section,hscode,description,parent,level\nXI,61,Apparel,TOTAL,2\nXI,6109,T-shirts,61,4\nXI,610910,\"T-shirts; of cotton\",6109,6\nXI,610990,\"T-shirts; of other materials\",6109,6\n";
    const HTS: &str = "HTS Number,Indent,Description,Unit of Quantity,General Rate of Duty,Special Rate of Duty,Column 2 Rate of Duty,Quota Quantity,Additional Duties\n\"6109\",\"0\",\"T-shirts:\",\"\",\"\",\"\",\"\",\"\",\"\"\n\"6109.10.00\",\"1\",\"Of cotton\",\"\",\"16.5%\",\"\",\"90%\",\"\",\"\"\n\"\",\"2\",\"Men's or boys':\",\"\",\"\",\"\",\"\",\"\",\"\"\n\"6109.10.00.04\",\"3\",\"T-shirts, all white\",\"[\"\"doz.\"\",\"\"kg\"\"]\",\"\",\"\",\"\",\"\",\"\"\n";

    fn dataset() -> Dataset {
        let p = Path::new("test");
        let mut tree = Tree::new();
        let built = parse_sections(SECTIONS, p)
            .and_then(|titles| build_hs(&mut tree, &titles, HS, p))
            .and_then(|()| attach_hts(&mut tree, HTS, p));
        if let Err(e) = built {
            panic!("sample data: {e}");
        }
        Dataset {
            dir: p.to_path_buf(),
            tree,
            notes: Notes::default(),
            aliases: Vec::new(),
        }
    }

    fn code(c: &str) -> Code {
        match Code::parse(c) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn us_lines_under_a_subheading_in_order_with_depth() {
        let ds = dataset();
        let views = across(&ds, &code("6109.10"));
        assert_eq!(views.len(), 1);
        let us = &views[0];
        assert_eq!((us.schedule, us.digits), ("us-hts", 10));
        let got: Vec<(Option<String>, &str, usize)> = us
            .lines
            .iter()
            .map(|l| (l.code.as_ref().map(|c| c.to_string()), l.level, l.depth))
            .collect();
        assert_eq!(
            got,
            [
                (Some("6109.10.00".to_string()), "tariff-line", 1),
                (None, "group", 2),
                (Some("6109.10.00.04".to_string()), "statistical-line", 3),
            ]
        );
        assert_eq!(us.lines[0].general, "16.5%");
        assert_eq!(us.lines[2].units, ["doz.", "kg"]);
        // A subheading with no US lines has no schedule entry.
        assert!(across(&ds, &code("6109.90")).is_empty());
        // Not a subheading: nothing.
        assert!(us_hts(&ds, &code("6109")).is_none());
    }

    #[test]
    fn subheadings_for_codes_of_each_length() {
        let ds = dataset();
        let s = |c: &str| -> Vec<String> {
            subheadings_for(&ds, &code(c))
                .iter()
                .map(|c| c.to_string())
                .collect()
        };
        assert_eq!(s("6109"), ["6109.10", "6109.90"]);
        assert_eq!(s("6109.10"), ["6109.10"]);
        assert_eq!(s("6109.10.00.04"), ["6109.10"]);
        assert!(s("61").is_empty());
        assert!(s("6110").is_empty());
    }
}
