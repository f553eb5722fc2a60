//! The quiz: goods descriptions with their right codes; for each, the
//! learner narrows down the section, the chapter, the heading and the
//! subheading, is told at each level whether the choice was right (and
//! carries on from the right answer), and gets a score per level at the end.

use crate::code::Code;
use crate::load::Dataset;
use crate::tree::{Level, NodeId, Tree};

/// The levels asked, in order.
pub const LEVELS: [Level; 4] = [
    Level::Section,
    Level::Chapter,
    Level::Heading,
    Level::Subheading,
];

/// A level's name for people.
pub fn level_name(l: Level) -> &'static str {
    match l {
        Level::Section => "section",
        Level::Chapter => "chapter",
        Level::Heading => "heading",
        Level::Subheading => "subheading",
        _ => "line",
    }
}

/// One question: a description and the path of its right answer.
#[derive(Debug, Clone)]
pub struct QuizItem {
    pub description: String,
    /// The right code as given.
    pub gold: Code,
    /// The right node at each level asked (section first; as deep as the
    /// code goes, at most the subheading).
    pub path: Vec<NodeId>,
}

/// A description as the quiz shows it: runs of whitespace (tabs, line
/// ends) as one space, other control characters as `?` (the terminal
/// would drop them, gluing the words beside them).
fn shown(description: &str) -> String {
    description
        .split_whitespace()
        .map(|w| {
            w.chars()
                .map(|c| if c.is_control() { '?' } else { c })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl QuizItem {
    /// The item for a description and a code, if the code (or a shorter
    /// prefix of it, down to the heading) is in the tree.
    pub fn new(tree: &Tree, description: &str, gold: &str) -> Option<QuizItem> {
        let description = description.trim();
        if description.is_empty() {
            return None;
        }
        let mut digits: String = gold.chars().filter(char::is_ascii_digit).collect();
        if digits.len() % 2 == 1 && digits.len() < 10 {
            // A leading zero lost by a spreadsheet.
            digits.insert(0, '0');
        }
        let gold = Code::parse(&digits).ok()?;
        let mut n = gold.len().min(6);
        let node = loop {
            if n < 4 {
                return None;
            }
            if let Some(node) = gold.prefix(n).and_then(|p| tree.get(&p)) {
                break node;
            }
            n -= 2;
        };
        let path: Vec<NodeId> = LEVELS
            .iter()
            .filter_map(|&l| tree.ancestor_at(node.id, l).map(|n| n.id))
            .collect();
        (path.len() >= 3).then(|| QuizItem {
            description: shown(description),
            gold,
            path,
        })
    }
}

/// Quiz items from the everyday phrases of the reference data (UK search
/// references: a shopper's words and the code they go to).
pub fn builtin_items(ds: &Dataset) -> Vec<QuizItem> {
    ds.aliases
        .iter()
        .filter(|a| a.source == "uk" && a.phrase.split_whitespace().count() >= 2)
        .filter_map(|a| QuizItem::new(&ds.tree, &a.phrase, &a.code))
        .filter(|it| it.path.len() == 4)
        .collect()
}

/// A quiz of `count` everyday phrases drawn at random.
pub fn builtin_quiz(ds: &Dataset, count: usize, rng: &mut Rng) -> Quiz {
    let mut items = builtin_items(ds);
    rng.shuffle(&mut items);
    items.truncate(count);
    Quiz::new(items, "everyday phrases")
}

/// A small random number generator (xorshift64*), enough to shuffle.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng((seed ^ 0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// Seeded from the clock.
    pub fn from_time() -> Rng {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64);
        Rng::new(t)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Where the learner is in the quiz.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Choosing at `level` (an index into the item's path).
    Asking { level: usize },
    /// Told whether `chosen` was right at `level`.
    Feedback { level: usize, chosen: NodeId },
    /// Every item answered.
    Done,
}

/// Right answers and questions asked at one level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    pub right: usize,
    pub asked: usize,
}

/// A quiz in progress.
#[derive(Debug, Clone)]
pub struct Quiz {
    pub items: Vec<QuizItem>,
    pub index: usize,
    pub phase: Phase,
    /// One score a level of [`LEVELS`].
    pub scores: [Score; 4],
    /// Where the items came from (a file name, or "everyday phrases").
    pub source: String,
}

impl Quiz {
    pub fn new(items: Vec<QuizItem>, source: impl Into<String>) -> Quiz {
        let phase = if items.is_empty() {
            Phase::Done
        } else {
            Phase::Asking { level: 0 }
        };
        Quiz {
            items,
            index: 0,
            phase,
            scores: [Score::default(); 4],
            source: source.into(),
        }
    }

    pub fn item(&self) -> Option<&QuizItem> {
        self.items.get(self.index)
    }

    /// The level being asked or told about.
    pub fn level(&self) -> Option<usize> {
        match self.phase {
            Phase::Asking { level } | Phase::Feedback { level, .. } => Some(level),
            Phase::Done => None,
        }
    }

    /// The choices at the current level: the nodes of that level under the
    /// right answer of the level above.
    pub fn choices(&self, tree: &Tree) -> Vec<NodeId> {
        let (Some(item), Some(level)) = (self.item(), self.level()) else {
            return Vec::new();
        };
        let want = LEVELS[level];
        if level == 0 {
            return tree.sections().map(|n| n.id).collect();
        }
        let parent = item.path[level - 1];
        if want == Level::Subheading {
            return tree
                .descendants(parent)
                .into_iter()
                .filter(|n| n.level == want)
                .map(|n| n.id)
                .collect();
        }
        tree.children(parent)
            .filter(|n| n.level == want)
            .map(|n| n.id)
            .collect()
    }

    /// Answers the current question; true when right.
    pub fn answer(&mut self, chosen: NodeId) -> bool {
        let Phase::Asking { level } = self.phase else {
            return false;
        };
        let Some(item) = self.item() else {
            return false;
        };
        let right = item.path[level] == chosen;
        self.scores[level].asked += 1;
        if right {
            self.scores[level].right += 1;
        }
        self.phase = Phase::Feedback { level, chosen };
        right
    }

    /// After feedback: the next level, or the next item, or the end.
    pub fn next(&mut self) {
        let Phase::Feedback { level, .. } = self.phase else {
            return;
        };
        let depth = self.item().map_or(0, |i| i.path.len());
        if level + 1 < depth {
            self.phase = Phase::Asking { level: level + 1 };
        } else {
            self.skip_item();
        }
    }

    /// Moves to the next item (or the end) without answering the rest.
    pub fn skip_item(&mut self) {
        self.index += 1;
        self.phase = if self.index < self.items.len() {
            Phase::Asking { level: 0 }
        } else {
            Phase::Done
        };
    }

    /// Starts again with the same items.
    pub fn restart(&mut self) {
        *self = Quiz::new(std::mem::take(&mut self.items), self.source.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffles_deterministically() {
        let mut a: Vec<u32> = (0..20).collect();
        let mut b = a.clone();
        Rng::new(7).shuffle(&mut a);
        Rng::new(7).shuffle(&mut b);
        assert_eq!(a, b);
        let mut s = a.clone();
        s.sort();
        assert_eq!(s, (0..20).collect::<Vec<_>>());
    }
}
