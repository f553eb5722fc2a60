//! Across schedules: one HS subheading with the national lines under it in
//! each schedule loaded, so a broker declaring in several countries sees
//! them together: the US HTS (grouping lines, 8-digit tariff lines with
//! their general rate, 10-digit statistical lines with units) and the EU
//! Combined Nomenclature (8-digit CN lines with their supplementary units;
//! the CN files carry no duty rates and no grouping lines). The HS six
//! digits are common to both. Each schedule is one provider ([`us_hts`],
//! [`eu_cn`]); [`across`] lists them in a fixed order.

use serde::Serialize;

use crate::cn::{CN_EDITION, CN_LINE_LEVEL, CN_NO_RATES, CnSchedule};
use crate::code::Code;
use crate::load::Dataset;
use crate::tree::{Level, NodeId};

/// Identifier of the US schedule in [`ScheduleLines::schedule`].
pub const US_HTS: &str = "us-hts";
/// Identifier of the EU schedule in [`ScheduleLines::schedule`].
pub const EU_CN: &str = "eu-cn";

/// One line of a national schedule under an HS subheading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NationalLine {
    /// The line's code; None for an un-coded grouping line ("Of cotton:").
    pub code: Option<Code>,
    /// The code as the schedule prints it: `6109.10.00.12` in the US HTS,
    /// `6109 10 00` in the CN; None for a grouping line.
    pub label: Option<String>,
    /// `group`, `tariff-line` or `statistical-line` (US); `cn-line` (EU).
    pub level: &'static str,
    /// Depth under the subheading (1 = its children).
    pub depth: usize,
    /// The line's own text, as the schedule writes it (may be indent-relative).
    pub text: String,
    /// General duty rate as written on the line (US 8-digit lines), or
    /// empty (US statistical lines and groups; every CN line, see
    /// [`ScheduleLines::duty_note`]).
    pub general: String,
    /// Units of quantity (US) or the supplementary unit as the CN prints
    /// it (`p/st`); empty for a CN line declared by net mass only.
    pub units: Vec<String>,
    /// The CN supplementary unit as the CN file codes it (`PST`); absent
    /// for US lines and for CN lines without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplementary_unit: Option<String>,
    /// The tree node (for front ends that link to it); None for CN lines,
    /// which are not in the code tree.
    #[serde(skip)]
    pub node: Option<NodeId>,
}

/// The lines one schedule has under one HS subheading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduleLines {
    /// Stable identifier: [`US_HTS`] or [`EU_CN`].
    pub schedule: &'static str,
    /// Human name of the schedule and its edition, as loaded ("US HTS
    /// 2026 Revision 12").
    pub name: String,
    /// Digits of the schedule's most detailed codes (10 US, 8 EU).
    pub digits: usize,
    /// Lines in schedule order.
    pub lines: Vec<NationalLine>,
    /// What the lines leave out (the CN data has no duty rates); absent
    /// when nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duty_note: Option<&'static str>,
}

/// Every loaded schedule's lines under HS subheading `hs6` (a six-digit
/// code), in a fixed order: the US HTS, then the EU CN when `cn` is given.
/// Schedules with no lines there are left out.
///
/// Extension point: each schedule is one provider returning
/// `Option<ScheduleLines>`; a new schedule adds its provider here.
pub fn across(ds: &Dataset, cn: Option<&CnSchedule>, hs6: &Code) -> Vec<ScheduleLines> {
    [us_hts(ds, hs6), cn.and_then(|cn| eu_cn(ds, cn, hs6))]
        .into_iter()
        .flatten()
        .collect()
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
                label: n.code.as_ref().map(Code::to_string),
                level: n.level.name(),
                depth,
                text: n.text.clone(),
                general: n.duty.general.clone(),
                units: n.units.clone(),
                supplementary_unit: None,
                node: Some(id),
            });
        }
        stack.extend(n.children.iter().rev().map(|&c| (c, depth + 1)));
    }
    (!lines.is_empty()).then_some(ScheduleLines {
        schedule: US_HTS,
        name: ds.schedule.name(),
        digits: 10,
        lines,
        duty_note: None,
    })
}

/// The EU CN 2026 lines under an HS subheading: its 8-digit lines in code
/// order, each with its supplementary unit. The CN files have neither duty
/// rates nor grouping lines, so every line is at depth 1 and the schedule
/// carries [`CN_NO_RATES`] as its duty note.
pub fn eu_cn(ds: &Dataset, cn: &CnSchedule, hs6: &Code) -> Option<ScheduleLines> {
    ds.tree.get(hs6).filter(|n| n.level == Level::Subheading)?;
    let lines: Vec<NationalLine> = cn
        .under_subheading(hs6)
        .into_iter()
        .map(|l| NationalLine {
            code: Some(l.code.clone()),
            label: Some(l.cn_code.clone()),
            level: CN_LINE_LEVEL,
            depth: 1,
            text: l.text.clone(),
            general: String::new(),
            units: l.unit_label().into_iter().collect(),
            supplementary_unit: l.supplementary_unit.clone(),
            node: None,
        })
        .collect();
    (!lines.is_empty()).then_some(ScheduleLines {
        schedule: EU_CN,
        name: CN_EDITION.to_string(),
        digits: 8,
        lines,
        duty_note: Some(CN_NO_RATES),
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
                    .subheadings(h.id)
                    .into_iter()
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
            schedule: Default::default(),
            tables: crate::tables::get(),
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
        let views = across(&ds, None, &code("6109.10"));
        assert_eq!(views.len(), 1);
        let us = &views[0];
        assert_eq!((us.schedule, us.digits), ("us-hts", 10));
        // Named after the revision loaded, never a fixed label.
        assert_eq!(us.name, ds.schedule.name());
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
        assert_eq!(us.lines[2].label.as_deref(), Some("6109.10.00.04"));
        assert_eq!(us.lines[1].label, None);
        assert_eq!(us.duty_note, None);
        // A subheading with no US lines has no schedule entry.
        assert!(across(&ds, None, &code("6109.90")).is_empty());
        // Not a subheading: nothing.
        assert!(us_hts(&ds, &code("6109")).is_none());
    }

    const CN: &str = r#"[
      {"code":"61091000","rawCode":"6109 10 00","name":"Of cotton","supplementaryUnit":"PST"},
      {"code":"61099020","rawCode":"6109 90 20","name":"Of wool or fine animal hair or man-made fibres","supplementaryUnit":"PST"},
      {"code":"61099090","rawCode":"6109 90 90","name":"Of other textile materials","supplementaryUnit":null}
    ]"#;

    fn cn(ds: &Dataset) -> CnSchedule {
        CnSchedule::parse(CN, &ds.tree, Path::new("cn")).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn eu_lines_follow_the_us_lines() {
        let ds = dataset();
        let cn = cn(&ds);
        let views = across(&ds, Some(&cn), &code("6109.10"));
        let ids: Vec<&str> = views.iter().map(|v| v.schedule).collect();
        assert_eq!(ids, [US_HTS, EU_CN]);
        let eu = &views[1];
        assert_eq!((eu.digits, eu.name.as_str()), (8, CN_EDITION));
        assert_eq!(eu.duty_note, Some(CN_NO_RATES));
        assert_eq!(eu.lines.len(), 1);
        let l = &eu.lines[0];
        assert_eq!(l.label.as_deref(), Some("6109 10 00"));
        assert_eq!(
            l.code.as_ref().map(Code::to_string).as_deref(),
            Some("6109.10.00")
        );
        assert_eq!(
            (l.level, l.depth, l.text.as_str()),
            (CN_LINE_LEVEL, 1, "Of cotton")
        );
        assert_eq!(l.units, ["p/st"]);
        assert_eq!(l.supplementary_unit.as_deref(), Some("PST"));
        assert!(l.general.is_empty() && l.node.is_none());

        // A subheading with CN lines only: the EU schedule alone.
        let views = across(&ds, Some(&cn), &code("6109.90"));
        assert_eq!(views.len(), 1);
        assert_eq!(views[0].schedule, EU_CN);
        let units: Vec<&[String]> = views[0].lines.iter().map(|l| l.units.as_slice()).collect();
        assert_eq!(units, [&["p/st".to_string()][..], &[][..]]);
        // Not a subheading: nothing.
        assert!(eu_cn(&ds, &cn, &code("6109")).is_none());

        // JSON: new fields are added; a US line has no supplementary_unit.
        let v = serde_json::to_value(across(&ds, Some(&cn), &code("6109.10")))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v[1]["lines"][0]["supplementary_unit"], "PST");
        assert_eq!(v[1]["duty_note"], CN_NO_RATES);
        assert!(v[0]["lines"][0].get("supplementary_unit").is_none());
        assert!(v[0].get("duty_note").is_none());
        for k in [
            "code", "level", "depth", "text", "general", "units", "label",
        ] {
            assert!(v[0]["lines"][0].get(k).is_some(), "{k}");
            assert!(v[1]["lines"][0].get(k).is_some(), "{k}");
        }
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
