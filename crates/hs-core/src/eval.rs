//! Measuring: top-1 and top-5 accuracy at 2, 4, 6 (and 8, 10) digits of a
//! ranked list of codes against gold codes, with the same definitions as
//! `shared/eval/score.py` (first k distinct n-digit prefixes; a row is a hit
//! when one of them is the first n digits of a gold code).

use std::collections::BTreeMap;

use serde::Serialize;

/// Digits of a code as written (dots, spaces and anything else dropped).
pub fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Gold codes of a row: `;`-joined.
pub fn gold_codes(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(digits)
        .filter(|g| !g.is_empty())
        .collect()
}

/// Every `;`-separated part of a gold cell as digits, empty parts kept:
/// what `score.py` reads (a part without digits keeps a row out of the 8-
/// and 10-digit figures, as there).
pub fn gold_parts(cell: &str) -> Vec<String> {
    cell.split(';').map(digits).collect()
}

/// True when one of the first `k` distinct `n`-digit prefixes of `ranked`
/// is the first `n` digits of a gold code (gold codes shorter than `n`
/// do not count).
pub fn hit(ranked: &[String], gold: &[String], n: usize, k: usize) -> bool {
    let gold: Vec<&str> = gold
        .iter()
        .filter(|g| g.len() >= n)
        .map(|g| &g[..n])
        .collect();
    if gold.is_empty() {
        return false;
    }
    let mut seen: Vec<&str> = Vec::new();
    for c in ranked {
        if c.len() >= n && !seen.contains(&&c[..n]) {
            seen.push(&c[..n]);
            if seen.len() == k {
                break;
            }
        }
    }
    seen.iter().any(|p| gold.contains(p))
}

/// Accumulates hits over rows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Scores {
    pub rows: usize,
    /// "hs6@1" -> percent
    pub figures: BTreeMap<String, f64>,
    #[serde(skip)]
    counts: BTreeMap<(usize, usize), (usize, usize)>,
}

pub const DIGITS: [usize; 5] = [2, 4, 6, 8, 10];
pub const KS: [usize; 2] = [1, 5];

impl Scores {
    /// Adds one row. Levels 8 and 10 count only rows whose gold codes all
    /// have them, and their top-1 reads the first suggestion as it is (as
    /// score.py does: a first suggestion shorter than the level is a miss).
    pub fn add(&mut self, ranked: &[String], gold: &[String]) {
        self.rows += 1;
        for n in DIGITS {
            let eligible = n <= 6 || (!gold.is_empty() && gold.iter().all(|g| g.len() >= n));
            for k in KS {
                let e = self.counts.entry((n, k)).or_default();
                if eligible {
                    e.1 += 1;
                    let ok = if n > 6 && k == 1 {
                        ranked
                            .first()
                            .is_some_and(|c| c.len() >= n && gold.iter().any(|g| g[..n] == c[..n]))
                    } else {
                        hit(ranked, gold, n, k)
                    };
                    if ok {
                        e.0 += 1;
                    }
                }
            }
        }
    }

    /// Finalises percentages (one decimal, as score.py rounds).
    pub fn finish(&mut self) {
        self.figures.clear();
        for (&(n, k), &(h, total)) in &self.counts {
            if total == 0 {
                continue;
            }
            // One decimal, rounded as Python's round() does (half to even
            // on the exact value: 53.25 -> 53.2), which Rust's formatting
            // matches.
            let pct = format!("{:.1}", 100.0 * h as f64 / total as f64)
                .parse::<f64>()
                .unwrap_or(f64::NAN);
            self.figures.insert(format!("hs{n}@{k}"), pct);
        }
    }

    pub fn get(&self, key: &str) -> Option<f64> {
        self.figures.get(key).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn distinct_prefixes_like_score_py() {
        let ranked = s(&["6109100012", "6109100004", "6109900000", "6110", "620520"]);
        assert!(hit(&ranked, &s(&["610910"]), 6, 1));
        assert!(hit(&ranked, &s(&["610990"]), 6, 5));
        assert!(!hit(&ranked, &s(&["610990"]), 6, 1));
        assert!(hit(&ranked, &s(&["6110"]), 4, 5));
        // A gold shorter than n is not a hit.
        assert!(!hit(&ranked, &s(&["6109"]), 6, 5));
    }

    #[test]
    fn scores_percentages_and_eligibility() {
        let mut sc = Scores::default();
        sc.add(&s(&["6109100012"]), &s(&["6109100012"]));
        sc.add(&s(&["620520"]), &s(&["610910"]));
        sc.finish();
        assert_eq!(sc.get("hs6@1"), Some(50.0));
        assert_eq!(sc.get("hs10@1"), Some(100.0));
        assert_eq!(sc.get("hs2@1"), Some(50.0));
    }

    #[test]
    fn long_levels_count_rows_whose_gold_codes_all_have_them() {
        let mut sc = Scores::default();
        // One gold code of six digits: not a row for hs8 or hs10.
        sc.add(&s(&["6109100012"]), &s(&["610910", "6109100012"]));
        sc.finish();
        assert_eq!(sc.get("hs10@1"), None);
        let mut sc = Scores::default();
        // A first suggestion of six digits is a miss at 8 digits, even
        // when the next one is right.
        sc.add(&s(&["610910", "6109100012"]), &s(&["6109100012"]));
        sc.add(&s(&["6109100012"]), &s(&["6109100012"]));
        sc.finish();
        assert_eq!(sc.get("hs8@1"), Some(50.0));
        assert_eq!(sc.get("hs8@5"), Some(100.0));
        // An empty part keeps a row out of the long levels.
        let mut sc = Scores::default();
        sc.add(&s(&["6109100012"]), &gold_parts("6109100012;"));
        sc.finish();
        assert_eq!(sc.get("hs8@1"), None);
        assert_eq!(sc.get("hs6@1"), Some(100.0));
    }

    #[test]
    fn percentages_round_half_to_even_as_score_py() {
        let mut sc = Scores::default();
        for i in 0..16 {
            let gold = if i == 0 { "610910" } else { "620520" };
            sc.add(&s(&["610910"]), &s(&[gold]));
        }
        sc.finish();
        // 1/16 = 6.25%: Python's round gives 6.2.
        assert_eq!(sc.get("hs6@1"), Some(6.2));
    }
}
