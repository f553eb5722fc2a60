//! A line of the code tree as the duty arithmetic and the displays need it:
//! the rate cells that apply to it (its own, or its 8-digit parent's when a
//! 10-digit line leaves them empty), its units of quantity, and the three
//! cells parsed with the Special programs spelled out ([`node_rates`]: what
//! `hs show` and the UI's detail pane display).

use serde::Serialize;

use super::TariffError;
use super::duty::DutyRequest;
use super::program::{Date, SpecialGroupInfo, describe_special_on};
use super::rate::{Rate, parse_rate};
use crate::tree::{DutyText, Level, Node, NodeId, Tree};

/// The rates and units that apply to one line.
#[derive(Debug, Clone)]
pub struct LineRates<'a> {
    /// The line asked about.
    pub line: &'a Node,
    /// The line that carries the rate cells (the line itself or an ancestor).
    pub from: &'a Node,
    pub duty: &'a DutyText,
    /// Units of quantity: the line's own; for a line that reports none,
    /// the units every one of its statistical lines shares.
    pub units: Vec<String>,
}

impl LineRates<'_> {
    /// True when the rates were taken from an ancestor.
    pub fn inherited(&self) -> bool {
        self.from.id != self.line.id
    }

    /// A duty request for goods of `origin` from this line's cells and units.
    pub fn request<'b>(&'b self, origin: &'b str) -> DutyRequest<'b> {
        DutyRequest::new(
            &self.duty.general,
            &self.duty.special,
            &self.duty.column2,
            &self.units,
            origin,
        )
    }
}

/// True for the levels that carry US rates: 8-digit tariff lines and
/// 10-digit statistical lines.
pub fn is_tariff_line(level: Level) -> bool {
    matches!(level, Level::TariffLine | Level::StatisticalLine)
}

/// The rates and units of a tariff or statistical line; None for other
/// levels and for lines without rates (see [`Tree::effective_duty`]).
pub fn line_rates(tree: &Tree, id: NodeId) -> Option<LineRates<'_>> {
    let line = tree.node(id);
    if !is_tariff_line(line.level) {
        return None;
    }
    let (from, duty) = tree.effective_duty(id)?;
    let units = if line.units.is_empty() {
        shared_units(tree, id)
    } else {
        line.units.clone()
    };
    Some(LineRates {
        line,
        from,
        duty,
        units,
    })
}

/// The units all the statistical lines under `id` report, when they agree.
fn shared_units(tree: &Tree, id: NodeId) -> Vec<String> {
    let mut found: Option<&Vec<String>> = None;
    for d in tree.descendants(id) {
        if d.level != Level::StatisticalLine || d.units.is_empty() {
            continue;
        }
        match found {
            None => found = Some(&d.units),
            Some(u) if *u == d.units => {}
            Some(_) => return Vec::new(),
        }
    }
    found.cloned().unwrap_or_default()
}

/// The three cells of a line, parsed, with each Special program spelled
/// out (name, in force or not on the given day).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParsedRates {
    pub general: Rate,
    pub special: Vec<SpecialGroupInfo>,
    pub column2: Rate,
}

/// Parses a line's three cells as of `date`.
///
/// # Errors
/// Only when the built-in program table is malformed.
pub fn parsed_rates(duty: &DutyText, date: Date) -> Result<ParsedRates, TariffError> {
    Ok(ParsedRates {
        general: parse_rate(&duty.general),
        special: describe_special_on(&duty.special, date)?,
        column2: parse_rate(&duty.column2),
    })
}

/// The rates a display shows for a node: the cells that apply (its own, or
/// its nearest coded ancestor's below the subheading: a 10-digit line takes
/// its 8-digit parent's), the line they come from, and the cells parsed.
#[derive(Debug, Clone)]
pub struct NodeRates<'a> {
    /// The line that carries the cells (the node itself or an ancestor).
    pub from: &'a Node,
    pub duty: &'a DutyText,
    /// The cells parsed as of the day asked for, each Special program
    /// spelled out; None only when the built-in program table is malformed
    /// (a test guards it), and then a display shows the cells as written.
    pub parsed: Option<ParsedRates>,
}

/// The rates of a node as `hs show` and the UI's detail pane show them;
/// None for a node without rates (sections down to HS subheadings, groups
/// above any line with rates). See [`Tree::effective_duty`].
pub fn node_rates(tree: &Tree, id: NodeId, date: Date) -> Option<NodeRates<'_>> {
    let (from, duty) = tree.effective_duty(id)?;
    Some(NodeRates {
        from,
        duty,
        parsed: parsed_rates(duty, date).ok(),
    })
}

/// A short name of a rate's form for display: `ad valorem`, `specific`,
/// `compound`, `free`, `sliding scale`, `reference (not computed)`.
pub fn kind_label(rate: &Rate) -> &'static str {
    use super::rate::RateKind;
    match rate.kind {
        RateKind::Empty => "empty",
        RateKind::Free => "free",
        RateKind::AdValorem => "ad valorem",
        RateKind::Specific => "specific",
        RateKind::Compound => "compound",
        RateKind::SlidingScale => "sliding scale",
        RateKind::Reference => "reference (not computed)",
        RateKind::Unparsed => "not understood",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::Code;

    fn code(c: &str) -> Option<Code> {
        Some(Code::parse(c).unwrap_or_else(|e| panic!("{e}")))
    }

    /// Subheading 6109.10 > 8-digit line with rates > two statistical
    /// lines without (one with units, one under a group).
    fn tree() -> (Tree, NodeId, NodeId, NodeId, NodeId) {
        let mut t = Tree::new();
        let sub = t.add(
            Tree::ROOT,
            Level::Subheading,
            code("6109.10"),
            11,
            "Tees".into(),
        );
        let line = t.add(
            sub,
            Level::TariffLine,
            code("6109.10.00"),
            11,
            "Of cotton".into(),
        );
        t.node_mut(line).duty = DutyText {
            general: "16.5%".into(),
            special: "Free (AU,S)".into(),
            column2: "90%".into(),
        };
        let stat = t.add(
            line,
            Level::StatisticalLine,
            code("6109.10.00.12"),
            11,
            "Men's".into(),
        );
        t.node_mut(stat).units = vec!["doz.".into(), "kg".into()];
        let group = t.add(line, Level::Group, None, 11, "Other".into());
        let stat2 = t.add(
            group,
            Level::StatisticalLine,
            code("6109.10.00.14"),
            11,
            "Boys'".into(),
        );
        t.node_mut(stat2).units = vec!["doz.".into(), "kg".into()];
        (t, sub, line, stat, stat2)
    }

    #[test]
    fn statistical_lines_take_their_tariff_lines_rates() {
        let (t, sub, line, stat, stat2) = tree();
        let Some(r) = line_rates(&t, stat) else {
            panic!("a statistical line has rates");
        };
        assert_eq!(r.from.id, line);
        assert!(r.inherited());
        assert_eq!(r.duty.general, "16.5%");
        assert_eq!(r.units, vec!["doz.", "kg"]);
        let Some(r) = line_rates(&t, stat2) else {
            panic!("a line under a group has rates");
        };
        assert_eq!(r.from.id, line);
        assert!(
            line_rates(&t, sub).is_none(),
            "a subheading is not a tariff line"
        );
        assert!(t.effective_duty(sub).is_none());
    }

    #[test]
    fn a_tariff_line_uses_the_units_its_statistical_lines_share() {
        let (mut t, _, line, _, stat2) = tree();
        let Some(r) = line_rates(&t, line) else {
            panic!("an 8-digit line has rates");
        };
        assert!(!r.inherited());
        assert_eq!(r.units, vec!["doz.", "kg"]);
        t.node_mut(stat2).units = vec!["No.".into()];
        let Some(r) = line_rates(&t, line) else {
            panic!("an 8-digit line has rates");
        };
        assert!(r.units.is_empty(), "units that differ are not guessed");
    }

    #[test]
    fn node_rates_come_from_the_8_digit_parent() -> Result<(), TariffError> {
        let (t, sub, line, stat, _) = tree();
        let on = Date::parse("2026-03-01")?;
        let Some(r) = node_rates(&t, stat, on) else {
            panic!("a statistical line has rates");
        };
        assert_eq!(r.from.id, line);
        assert_eq!(r.duty.general, "16.5%");
        let p = r.parsed.unwrap_or_else(|| panic!("parsed"));
        assert_eq!(p.general.text, "16.5%");
        assert_eq!(p.special[0].programs[0].indicator, "AU");
        assert!(node_rates(&t, sub, on).is_none());
        Ok(())
    }

    #[test]
    fn parsed_rates_spell_out_programs() -> Result<(), TariffError> {
        let (t, _, line, _, _) = tree();
        let on = Date::parse("2026-03-01")?;
        let p = parsed_rates(&t.node(line).duty, on)?;
        assert_eq!(kind_label(&p.general), "ad valorem");
        assert_eq!(p.special.len(), 1);
        let s = &p.special[0].programs[1];
        assert_eq!(s.indicator, "S");
        assert!(s.in_force);
        assert!(s.name.as_deref().is_some_and(|n| n.contains("USMCA")));
        Ok(())
    }
}
