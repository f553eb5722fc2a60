//! Signal `machine_for`: machines and apparatus (chapters 84 and 85) are
//! often named by what they work on ("machinery for cleaning or drying
//! bottles", "pumps for liquids", "machines for sorting or grading eggs").
//! A candidate of those chapters whose texts name the query's head noun
//! only after "for", as what the machine works on, never as what it is,
//! weighs less: a bottle is not a bottle-washing machine (GRI 1: the
//! heading that names the goods).

use tantivy::tokenizer::TextAnalyzer;

use crate::index::analyze;
use crate::text::{normalize, strip_exclusions};
use crate::tree::{Level, NodeId, Tree};

use super::super::RankError;
use super::super::understand::Query;
use super::{Candidates, Cx, Feature, Signal};

/// See the module doc.
pub struct MachineFor {
    /// Factor taken off.
    pub penalty: f32,
}

/// The terms a subheading of chapter 84 or 85 names, read with its
/// heading: as what it is (`subject`) and only as what it works on
/// (`object`, none of them in `subject`). Both sorted; both empty outside
/// those chapters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MachineTerms {
    pub subject: Box<[String]>,
    pub object: Box<[String]>,
}

/// True for a node of chapters 84-85, machines and apparatus.
fn is_machine(tree: &Tree, id: NodeId) -> bool {
    matches!(tree.chapter_of(id), 84 | 85)
}

impl MachineTerms {
    pub fn new(an: &mut TextAnalyzer, tree: &Tree, id: NodeId) -> MachineTerms {
        if !is_machine(tree, id) {
            return MachineTerms::default();
        }
        let (mut subject, mut object) = subject_and_object(an, &tree.node(id).text);
        if let Some(h) = tree.ancestor_at(id, Level::Heading).filter(|h| h.id != id) {
            let (s, o) = subject_and_object(an, &h.text);
            subject.extend(s);
            object.extend(o);
        }
        subject.sort();
        subject.dedup();
        object.retain(|t| subject.binary_search(t).is_err());
        object.sort();
        object.dedup();
        MachineTerms {
            subject: subject.into_boxed_slice(),
            object: object.into_boxed_slice(),
        }
    }

    /// True when the texts name one of `head` only as what the machine
    /// works on.
    pub fn works_on(&self, head: &[String]) -> bool {
        head.iter().any(|t| self.object.binary_search(t).is_ok())
            && !head.iter().any(|t| self.subject.binary_search(t).is_ok())
    }
}

/// The terms a text names as what something is (before "for" in each of
/// its clauses) and as what it works on (after "for").
pub fn subject_and_object(an: &mut TextAnalyzer, text: &str) -> (Vec<String>, Vec<String>) {
    let (mut subject, mut object) = (Vec::new(), Vec::new());
    let text = normalize(&strip_exclusions(text));
    for clause in text.split([';', ':']) {
        let padded = format!(" {clause} ");
        match padded.find(" for ") {
            // A clause that begins with "for" qualifies the clause before
            // ("Tools; for working in the hand, chain saws"): what it works
            // on runs to the first comma, and what follows names the goods.
            Some(at) if padded[..at].trim().is_empty() => {
                let rest = &padded[at..];
                let end = rest.find(',').unwrap_or(rest.len());
                object.extend(analyze(an, &rest[..end]));
                subject.extend(analyze(an, &rest[end..]));
            }
            Some(at) => {
                subject.extend(analyze(an, &padded[..at]));
                object.extend(analyze(an, &padded[at..]));
            }
            None => subject.extend(analyze(an, clause)),
        }
    }
    (subject, object)
}

impl Signal for MachineFor {
    fn name(&self) -> &'static str {
        Feature::MachineFor.name()
    }

    fn score(&self, q: &Query, cands: &mut Candidates, cx: &mut Cx<'_>) -> Result<(), RankError> {
        let Some(head) = &q.head_terms else {
            return Ok(());
        };
        if self.penalty <= 0.0 {
            return Ok(());
        }
        for (id, f) in cands.iter_mut() {
            // Other chapters are told without touching the cache.
            if is_machine(cx.tree, id)
                && cx
                    .prep
                    .machine_terms(cx.analyzer, cx.tree, id)
                    .works_on(head)
            {
                f.set(Feature::MachineFor, 1.0 - self.penalty);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::analyzer;

    fn parts(text: &str) -> (Vec<String>, Vec<String>) {
        subject_and_object(&mut analyzer(), text)
    }

    #[test]
    fn what_a_machine_works_on_follows_for() {
        let (s, o) = parts("Dish washing machines; machinery for cleaning or drying bottles");
        assert!(o.contains(&"bottl".to_string()) || o.iter().any(|t| t.starts_with("bottl")));
        assert!(!s.iter().any(|t| t.starts_with("bottl")));
        assert!(s.iter().any(|t| t.starts_with("machin")));
    }

    #[test]
    fn a_clause_beginning_with_for_names_the_goods_after_its_comma() {
        let (s, o) = parts("Tools; for working in the hand, chain saws with self-contained motor");
        assert!(s.iter().any(|t| t.starts_with("saw")), "{s:?}");
        assert!(o.iter().any(|t| t.starts_with("hand")), "{o:?}");
        assert!(!o.iter().any(|t| t.starts_with("saw")), "{o:?}");
    }

    #[test]
    fn a_term_named_both_ways_is_what_the_machine_is() {
        let t = MachineTerms {
            subject: vec!["pump".to_string()].into_boxed_slice(),
            object: vec!["liquid".to_string()].into_boxed_slice(),
        };
        assert!(t.works_on(&["liquid".to_string()]));
        assert!(!t.works_on(&["pump".to_string()]));
        assert!(!t.works_on(&["liquid".to_string(), "pump".to_string()]));
        assert!(!MachineTerms::default().works_on(&["bottl".to_string()]));
    }
}
