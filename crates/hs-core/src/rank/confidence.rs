//! Stage 6b, confidence: the estimated probability that a suggestion's six
//! digits are right. A small logistic model reads evidence available at
//! query time ([`Evidence`]: the score's margin over the next subheading,
//! its share of belief, how much of the query it covers, whether the head
//! noun matched, how much of the query was understood, how many of the
//! leading candidates share its heading and chapter, an alias) and gives a
//! probability. Its weights are a versioned data file,
//! `hs-data/confidence.csv`, fitted by `examples/calibrate.rs` on labelled
//! sets. When precedents are in use a second model,
//! `hs-data/confidence-precedents.csv`, reads the vote's evidence too
//! ([`VOTE_INPUTS`]; fitted on cross-validated folds). A suggestion no
//! query word matched and no precedent voted for gets at most
//! [`NO_EVIDENCE`], whatever the model says. The ranking order is not
//! touched: confidence only describes it.

use std::fmt;
use std::sync::OnceLock;

use thiserror::Error;

use crate::tree::{Level, NodeId, Tree};

use super::combine::Combined;
use super::explain::Matched;
use super::signals::{Feature, Features};
use super::{Understood, WordTerms};

const CONFIDENCE_CSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../hs-data/confidence.csv"
));

const CONFIDENCE_VOTE_CSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../hs-data/confidence-precedents.csv"
));

/// The model's inputs, in vector order (the rows of the data file).
pub const INPUTS: [&str; 14] = [
    "share_logit",
    "margin",
    "relative",
    "covered",
    "coverage",
    "head",
    "known",
    "corrected",
    "words",
    "heading_peers",
    "chapter_peers",
    "alias",
    "rank",
    "bias",
];

/// Number of inputs.
pub const N: usize = INPUTS.len();

/// What the model used when precedents vote reads besides [`INPUTS`]
/// (0 where the vote names nothing), in vector order after them: the
/// precedent feature of the suggestion's subheading, its share of the
/// votes, its best voter's similarity, whether the vote puts it first, the
/// best similarity of the vote's first code, and whether near-exact
/// precedents conflict.
pub const VOTE_INPUTS: [&str; V] = [
    "vote_feature",
    "vote_strength",
    "vote_best",
    "vote_first",
    "vote_first_best",
    "vote_conflict",
];

/// Number of vote inputs.
pub const V: usize = 6;

/// Number of inputs of the model used when precedents vote.
pub const NV: usize = N + V;

/// The names of a model's `K` inputs: [`INPUTS`], then as many of
/// [`VOTE_INPUTS`] as `K` holds beyond them.
fn input_names<const K: usize>() -> impl Iterator<Item = &'static str> {
    INPUTS.iter().chain(VOTE_INPUTS.iter()).copied().take(K)
}

/// Understood words counted by the `words` input: beyond four, more words
/// say little more (and long texts, as in rulings, would otherwise lift
/// the confidence far beyond what short texts taught the model).
const WORDS_CAP: usize = 4;

/// The highest confidence of a suggestion no query word matched (unless
/// precedents voted for it).
pub const NO_EVIDENCE: f32 = 0.02;

/// The highest confidence of a suggestion for a description that does not
/// read as English ([`crate::lang`]): the words `hs` knows are English, so
/// such a match is by chance (on the three labelled sets, the few rows
/// read as not English are rarely right; README, "Confidence and review").
pub const NOT_ENGLISH: f32 = 0.05;

/// A row whose top confidence is under this goes to a person (`review`).
/// One half: review what is estimated more likely wrong than right; on
/// held-out predictions this sends 84-93% of the wrong top suggestions to
/// review (README, "Confidence and review").
pub const REVIEW_BELOW: f32 = 0.5;

/// The length of the lists the models were fitted on (`hs eval`'s ten
/// suggestions): confidences are shared out over the first ten shown, so
/// showing more does not change them.
pub const FITTED_LIST: usize = 10;

/// The file formats' names (the model without and with the vote's inputs)
/// and the version this build reads.
const FORMAT: &str = "hs-confidence";
const FORMAT_VOTE: &str = "hs-confidence-precedents";
const VERSION: u32 = 1;

/// What a suggestion's confidence is estimated from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    /// In the order of [`INPUTS`].
    pub x: [f32; N],
    /// In the order of [`VOTE_INPUTS`]; all 0 without precedents.
    pub vote: [f32; V],
    /// No query word matched the suggestion (and no precedent voted for
    /// it: the ranker clears this where one did).
    pub none: bool,
    /// The description does not read as English ([`crate::lang`]); cleared
    /// where precedents voted for the suggestion.
    pub foreign: bool,
    /// Position in the list shown (0: the top suggestion).
    pub position: usize,
}

impl Evidence {
    /// Evidence for each suggestion shown: `scored` holds every candidate
    /// sorted by score, best first; `shown` the suggestions' entries in
    /// list order with the words that matched each; `share` each shown
    /// suggestion's softmax share of belief.
    pub fn gather(
        tree: &Tree,
        u: &Understood,
        features: &[Features],
        scored: &[Combined],
        shown: &[(Combined, &[Matched], f32)],
    ) -> Vec<Evidence> {
        let words: Vec<&WordTerms> = u.own_words().collect();
        let n_words = words.len();
        let known = words.iter().filter(|t| !t.2.is_empty()).count();
        let corrected = words.iter().filter(|t| t.1.is_some()).count();
        let head = u
            .words
            .iter()
            .find(|w| w.head)
            .and_then(|h| words.iter().find(|t| t.0 == h.word))
            .map(|t| shown_word(t));
        let best = scored.first().map_or(0.0, |c| c.score);
        let ancestor = |id: NodeId, l: Level| tree.ancestor_at(id, l).map(|n| n.id);
        let lead: Vec<(Option<NodeId>, Option<NodeId>)> = scored
            .iter()
            .take(5)
            .map(|c| {
                (
                    ancestor(c.id, Level::Heading),
                    ancestor(c.id, Level::Chapter),
                )
            })
            .collect();
        let share_of = |k: usize| k as f32 / n_words.max(1) as f32;
        shown
            .iter()
            .enumerate()
            .map(|(position, (c, matched, share))| {
                let next = scored
                    .iter()
                    .position(|s| s.id == c.id)
                    .and_then(|i| scored.get(i + 1))
                    .map_or(0.0, |s| s.score);
                let covered = words
                    .iter()
                    .filter(|t| {
                        let w = shown_word(t);
                        matched
                            .iter()
                            .any(|m| m.word == w || m.word.strip_suffix('~') == Some(w.as_str()))
                    })
                    .count();
                let head_hit = head.as_ref().is_some_and(|h| {
                    matched
                        .iter()
                        .any(|m| m.word == *h || m.word.strip_suffix('~') == Some(h.as_str()))
                });
                let (h, ch) = (
                    ancestor(c.id, Level::Heading),
                    ancestor(c.id, Level::Chapter),
                );
                let peers_h = lead.iter().filter(|l| h.is_some() && l.0 == h).count();
                let peers_c = lead.iter().filter(|l| ch.is_some() && l.1 == ch).count();
                let f = features.get(c.at);
                let p = share.clamp(1e-4, 1.0 - 1e-4);
                let x = [
                    (p / (1.0 - p)).ln(),
                    if c.score > 0.0 {
                        ((c.score - next) / c.score).clamp(0.0, 1.0)
                    } else {
                        0.0
                    },
                    if best > 0.0 {
                        (c.score / best).clamp(0.0, 1.0)
                    } else {
                        0.0
                    },
                    share_of(covered),
                    f.map_or(1.0, |f| f.get(Feature::Coverage)).clamp(0.0, 1.0),
                    f32::from(u8::from(head_hit)),
                    share_of(known),
                    share_of(corrected),
                    known.min(WORDS_CAP) as f32 / WORDS_CAP as f32,
                    peers_h as f32 / 5.0,
                    peers_c as f32 / 5.0,
                    f32::from(u8::from(f.is_some_and(|f| f.get(Feature::Alias) > 0.0))),
                    (1.0 + position as f32).ln(),
                    1.0,
                ];
                Evidence {
                    x,
                    vote: [0.0; V],
                    none: matched.is_empty(),
                    foreign: !u.reading.english,
                    position,
                }
            })
            .collect()
    }
}

/// A query word as the explanation shows it (the correction if any).
fn shown_word(t: &WordTerms) -> String {
    t.1.clone().unwrap_or_else(|| t.0.clone())
}

/// The logistic model over `K` inputs (the first `K` of [`INPUTS`] and
/// [`VOTE_INPUTS`]): one weight vector for the top suggestion, one for the
/// others. `Model` reads [`INPUTS`]; `Model<NV>` the vote's inputs too.
#[derive(Debug, Clone, PartialEq)]
pub struct Model<const K: usize = N> {
    pub top: [f32; K],
    pub rest: [f32; K],
}

/// A damaged model file: which line and what is wrong.
#[derive(Debug, Clone, Error, PartialEq)]
#[error("{file} line {line}: {message}")]
pub struct ModelError {
    pub file: String,
    /// 1-based; the line after the last for something missing.
    pub line: usize,
    pub message: String,
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

impl Model {
    /// The model compiled into the binary (`hs-data/confidence.csv`).
    pub fn builtin() -> Result<&'static Model, ModelError> {
        static M: OnceLock<Result<Model, ModelError>> = OnceLock::new();
        M.get_or_init(|| Model::parse("hs-data/confidence.csv", CONFIDENCE_CSV))
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl Model<NV> {
    /// The model used when precedents vote, compiled into the binary
    /// (`hs-data/confidence-precedents.csv`).
    pub fn builtin_vote() -> Result<&'static Model<NV>, ModelError> {
        static M: OnceLock<Result<Model<NV>, ModelError>> = OnceLock::new();
        M.get_or_init(|| Model::parse("hs-data/confidence-precedents.csv", CONFIDENCE_VOTE_CSV))
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl<const K: usize> Model<K> {
    /// The file format's name: `hs-confidence` for the model over
    /// [`INPUTS`], `hs-confidence-precedents` for the one reading the
    /// vote's inputs too.
    fn format() -> &'static str {
        if K == N { FORMAT } else { FORMAT_VOTE }
    }

    /// Reads a model file: `#` comments and blank lines skipped; then
    /// `format,NAME,VERSION` (NAME as [`Model::format`]), the header
    /// `input,top,rest` and one row per input (any order, each once,
    /// finite values).
    pub fn parse(file: &str, text: &str) -> Result<Model<K>, ModelError> {
        const {
            assert!(
                K == N || K == NV,
                "a model reads INPUTS, or them and VOTE_INPUTS"
            )
        };
        let names: Vec<&str> = input_names::<K>().collect();
        let format = Self::format();
        let err = |line: usize, message: String| ModelError {
            file: file.to_string(),
            line,
            message,
        };
        let mut top = [f32::NAN; K];
        let mut rest = [f32::NAN; K];
        let mut seen = [false; K];
        let mut stage = 0;
        let mut last = 0;
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            last = line;
            let l = raw.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let cells: Vec<&str> = l.split(',').map(str::trim).collect();
            match stage {
                0 => {
                    let ok = cells.len() == 3 && cells[0] == "format" && cells[1] == format;
                    if !ok {
                        return Err(err(
                            line,
                            format!("expected `format,{format},{VERSION}`, found `{l}`"),
                        ));
                    }
                    if cells[2].parse::<u32>().ok() != Some(VERSION) {
                        return Err(err(
                            line,
                            format!(
                                "format version {} is not the one this build reads ({VERSION})",
                                cells[2]
                            ),
                        ));
                    }
                    stage = 1;
                }
                1 => {
                    if cells != ["input", "top", "rest"] {
                        return Err(err(
                            line,
                            format!("expected the header `input,top,rest`, found `{l}`"),
                        ));
                    }
                    stage = 2;
                }
                _ => {
                    if cells.len() != 3 {
                        return Err(err(
                            line,
                            format!("expected 3 cells (input,top,rest), found {}", cells.len()),
                        ));
                    }
                    let Some(k) = names.iter().position(|n| *n == cells[0]) else {
                        return Err(err(line, format!("unknown input `{}`", cells[0])));
                    };
                    if seen[k] {
                        return Err(err(line, format!("input `{}` given twice", cells[0])));
                    }
                    seen[k] = true;
                    for (cell, out) in [(cells[1], &mut top[k]), (cells[2], &mut rest[k])] {
                        match cell.parse::<f32>() {
                            Ok(v) if v.is_finite() => *out = v,
                            _ => {
                                return Err(err(line, format!("`{cell}` is not a finite number")));
                            }
                        }
                    }
                }
            }
        }
        if stage < 2 {
            return Err(err(
                last + 1,
                "the file ends before its format line and header".into(),
            ));
        }
        if let Some(k) = seen.iter().position(|s| !s) {
            return Err(err(
                last + 1,
                format!("the file ends without input `{}`", names[k]),
            ));
        }
        Ok(Model { top, rest })
    }

    /// The model's probability from the evidence alone (before the caps of
    /// [`Model::confidences`]).
    pub fn probability(&self, e: &Evidence) -> f32 {
        let w = if e.position == 0 {
            &self.top
        } else {
            &self.rest
        };
        let x = e.x.iter().chain(&e.vote);
        sigmoid(w.iter().zip(x).map(|(w, x)| w * x).sum())
    }

    /// Confidences for a list of suggestions: the model's probability,
    /// at most [`NO_EVIDENCE`] when no query word matched, at most
    /// [`NOT_ENGLISH`] for a description not in English, never more than
    /// the suggestion above, and the list's total at most 1 (at most one
    /// subheading is right).
    pub fn confidences(&self, ev: &[Evidence]) -> Vec<f32> {
        let mut out: Vec<f32> = Vec::with_capacity(ev.len());
        for e in ev {
            let mut p = self.probability(e);
            if e.none {
                p = p.min(NO_EVIDENCE);
            }
            if e.foreign {
                p = p.min(NOT_ENGLISH);
            }
            if let Some(above) = out.last() {
                p = p.min(*above);
            }
            out.push(p.clamp(0.0, 1.0));
        }
        // The share out is worked on the first [`FITTED_LIST`] (the list
        // the model was fitted on), so a longer list (`--top 50`) never
        // lowers the confidences of the first ten; past them, each takes
        // at most what the ones above left.
        let head = out.len().min(FITTED_LIST);
        let first = out.first().copied().unwrap_or(0.0);
        let others: f32 = out.iter().take(head).skip(1).sum();
        let k = if others > 0.0 && first + others > 1.0 {
            (1.0 - first) / others
        } else {
            1.0
        };
        let mut total = 0.0f32;
        for (i, p) in out.iter_mut().enumerate() {
            if i > 0 {
                *p *= k;
            }
            if i >= head {
                *p = p.min((1.0 - total).max(0.0));
            }
            total += *p;
        }
        out
    }

    /// Writes the model in the file format [`Model::parse`] reads, after
    /// the comment lines of `header`.
    pub fn to_file(&self, header: &str) -> String {
        let mut s = String::new();
        for l in header.lines() {
            s.push_str(&format!("# {l}\n"));
        }
        s.push_str(&format!(
            "format,{},{VERSION}\ninput,top,rest\n",
            Self::format()
        ));
        for (k, name) in input_names::<K>().enumerate() {
            s.push_str(&format!("{name},{},{}\n", self.top[k], self.rest[k]));
        }
        s
    }
}

impl<const K: usize> fmt::Display for Model<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, name) in input_names::<K>().enumerate() {
            writeln!(f, "{name:<14} {:>9.4} {:>9.4}", self.top[k], self.rest[k])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Evidence of a typical top suggestion: half the query covered, a
    /// middling margin, three of four words understood.
    fn typical() -> Evidence {
        let mut x = [0.0; N];
        let set = |x: &mut [f32; N], name: &str, v: f32| {
            let k = INPUTS.iter().position(|n| *n == name).unwrap();
            x[k] = v;
        };
        for (name, v) in [
            ("share_logit", 0.5),
            ("margin", 0.3),
            ("relative", 1.0),
            ("covered", 0.5),
            ("coverage", 0.4),
            ("head", 1.0),
            ("known", 0.75),
            ("words", 0.75),
            ("heading_peers", 0.4),
            ("chapter_peers", 0.6),
            ("bias", 1.0),
        ] {
            set(&mut x, name, v);
        }
        Evidence {
            x,
            vote: [0.0; V],
            none: false,
            foreign: false,
            position: 0,
        }
    }

    fn with(e: Evidence, name: &str, v: f32) -> Evidence {
        let mut e = e;
        let k = INPUTS.iter().position(|n| *n == name).unwrap();
        e.x[k] = v;
        e
    }

    #[test]
    fn the_shipped_model_loads() {
        let m = Model::builtin().unwrap();
        let p = m.probability(&typical());
        assert!((0.0..=1.0).contains(&p), "{p}");
    }

    #[test]
    fn more_evidence_means_more_confidence() {
        let m = Model::builtin().unwrap();
        for name in ["margin", "covered", "share_logit"] {
            let lo = m.probability(&with(typical(), name, 0.1));
            let hi = m.probability(&with(typical(), name, 0.9));
            assert!(hi > lo, "{name}: {lo} at 0.1, {hi} at 0.9");
        }
        // More of the query understood (share and count together).
        let few = with(with(typical(), "known", 0.25), "words", 0.25);
        let all = with(with(typical(), "known", 1.0), "words", 1.0);
        assert!(m.probability(&all) > m.probability(&few));
        // A clear margin over a weak one, the whole query covered, the head
        // noun matched.
        let weak = with(with(typical(), "margin", 0.0), "covered", 0.2);
        let strong = with(with(typical(), "margin", 0.9), "covered", 1.0);
        assert!(m.probability(&strong) > m.probability(&weak) + 0.2);
    }

    #[test]
    fn a_suggestion_no_word_matched_gets_little_confidence_and_review() {
        let m = Model::builtin().unwrap();
        let mut e = with(with(typical(), "margin", 1.0), "share_logit", 9.0);
        assert!(m.probability(&e) > NO_EVIDENCE);
        e.none = true;
        let c = m.confidences(&[e]);
        assert!(c[0] <= NO_EVIDENCE, "{c:?}");
        assert!(c[0] < REVIEW_BELOW);
    }

    #[test]
    fn a_description_not_in_english_gets_little_confidence_and_review() {
        let m = Model::builtin().unwrap();
        let mut e = with(with(typical(), "margin", 1.0), "share_logit", 9.0);
        assert!(m.probability(&e) > REVIEW_BELOW);
        e.foreign = true;
        let c = m.confidences(&[e, Evidence { position: 1, ..e }]);
        assert!(c[0] <= NOT_ENGLISH && c[1] <= c[0], "{c:?}");
        const { assert!(NOT_ENGLISH < REVIEW_BELOW) };
    }

    #[test]
    fn confidences_fall_down_the_list_and_sum_to_at_most_one() {
        let m = Model::builtin().unwrap();
        let list: Vec<Evidence> = (0..10)
            .map(|i| Evidence {
                position: i,
                ..with(typical(), "rank", (1.0 + i as f32).ln())
            })
            .collect();
        let c = m.confidences(&list);
        assert!(c.windows(2).all(|w| w[0] >= w[1]), "{c:?}");
        assert!(c.iter().sum::<f32>() <= 1.0 + 1e-5, "{c:?}");
        let hi = Model {
            top: [0.0; N],
            rest: [5.0; N],
        };
        let c = hi.confidences(&list);
        assert!(c.iter().sum::<f32>() <= 1.0 + 1e-5, "{c:?}");
        assert!((c[0] - 0.5).abs() < 1e-6, "the top keeps its own: {c:?}");
    }

    #[test]
    fn a_longer_list_keeps_the_first_ten_confidences() {
        let hi = Model {
            top: [0.0; N],
            rest: [5.0; N],
        };
        let list = |n: usize| -> Vec<Evidence> {
            (0..n)
                .map(|i| Evidence {
                    position: i,
                    ..with(typical(), "rank", (1.0 + i as f32).ln())
                })
                .collect()
        };
        let ten = hi.confidences(&list(10));
        let fifty = hi.confidences(&list(50));
        assert_eq!(ten[..], fifty[..10]);
        assert!(fifty.iter().sum::<f32>() <= 1.0 + 1e-5, "{fifty:?}");
        assert!(fifty.windows(2).all(|w| w[0] >= w[1]), "{fifty:?}");
    }

    #[test]
    fn the_vote_model_loads_and_vote_support_raises_confidence() {
        let m = Model::builtin_vote().unwrap();
        let e = typical();
        let no_vote = m.probability(&e);
        let mut backed = e;
        for (name, v) in [
            ("vote_feature", 1.5),
            ("vote_strength", 0.8),
            ("vote_best", 1.0),
            ("vote_first", 1.0),
            ("vote_first_best", 1.0),
        ] {
            let k = VOTE_INPUTS.iter().position(|n| *n == name).unwrap();
            backed.vote[k] = v;
        }
        assert!(m.probability(&backed) > no_vote + 0.2, "{no_vote}");
        // The plain model never reads the vote's inputs.
        let plain = Model::builtin().unwrap();
        assert_eq!(plain.probability(&backed), plain.probability(&e));
    }

    #[test]
    fn a_written_vote_model_reads_back_and_names_its_own_format() {
        let m = Model::builtin_vote().unwrap().clone();
        let text = m.to_file("t");
        assert!(text.contains("format,hs-confidence-precedents,1"));
        assert_eq!(Model::<NV>::parse("t.csv", &text).unwrap(), m);
        // A plain model's file is not a vote model's, nor the reverse.
        let plain = file(Model::builtin().unwrap());
        assert!(Model::<NV>::parse("p.csv", &plain).is_err());
        assert!(Model::<N>::parse("t.csv", &text).is_err());
        // Without a vote input, it names the one missing.
        let cut: String = text
            .lines()
            .filter(|l| !l.starts_with("vote_conflict"))
            .map(|l| format!("{l}\n"))
            .collect();
        let e = Model::<NV>::parse("t.csv", &cut).unwrap_err();
        assert!(e.message.contains("vote_conflict"), "{e}");
    }

    fn file(m: &Model) -> String {
        m.to_file("test model")
    }

    #[test]
    fn a_written_model_reads_back() {
        let m = Model::builtin().unwrap().clone();
        assert_eq!(Model::<N>::parse("t.csv", &file(&m)).unwrap(), m);
    }

    #[test]
    fn a_damaged_model_file_is_an_error_naming_its_line() {
        let good = file(Model::builtin().unwrap());
        let lines: Vec<&str> = good.lines().collect();
        // The line of input `margin` (1-based).
        let at = lines.iter().position(|l| l.starts_with("margin,")).unwrap() + 1;
        let damage = |f: &dyn Fn(&str) -> String| -> String {
            lines
                .iter()
                .enumerate()
                .map(|(i, l)| if i + 1 == at { f(l) } else { l.to_string() })
                .collect::<Vec<_>>()
                .join("\n")
        };
        for (text, line, what) in [
            (
                damage(&|_| "margin,0.5,abc".into()),
                at,
                "not a finite number",
            ),
            (
                damage(&|_| "margin,NaN,1".into()),
                at,
                "not a finite number",
            ),
            (damage(&|_| "margin,0.5".into()), at, "expected 3 cells"),
            (
                damage(&|_| "margn,0.5,1".into()),
                at,
                "unknown input `margn`",
            ),
            (damage(&|l| format!("{l}\n{l}")), at + 1, "given twice"),
            (
                damage(&|_| String::new()),
                lines.len() + 1,
                "without input `margin`",
            ),
            (
                good.replace("hs-confidence,1", "hs-confidence,2"),
                lines.iter().position(|l| l.starts_with("format")).unwrap() + 1,
                "version 2",
            ),
            ("# nothing\n".to_string(), 2, "ends before"),
        ] {
            let e = Model::<N>::parse("m.csv", &text).unwrap_err();
            assert_eq!(e.line, line, "{e}");
            assert!(e.to_string().contains(what), "{e}");
            assert!(
                e.to_string().starts_with(&format!("m.csv line {line}:")),
                "{e}"
            );
        }
    }
}
