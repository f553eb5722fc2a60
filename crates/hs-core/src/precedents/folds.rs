//! Cross-validation folds: rows dealt into K folds in an order shuffled by
//! a fixed seed (SplitMix64), so the same file, K and seed give the same
//! folds on every machine.

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 2022;

/// SplitMix64: a small, well-mixed generator (Steele, Lea, Flood 2014).
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// The fold (0..k) of each of `n` rows: a seeded shuffle dealt round-robin,
/// so fold sizes differ by at most one.
pub fn assign(n: usize, k: usize, seed: u64) -> Vec<usize> {
    let k = k.max(1);
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = SplitMix64::new(seed);
    for i in (1..n).rev() {
        let j = rng.below(i + 1);
        order.swap(i, j);
    }
    let mut fold = vec![0; n];
    for (pos, &row) in order.iter().enumerate() {
        fold[row] = pos % k;
    }
    fold
}

/// The precedents of every fold but `f`: `checked[i]` is row i's
/// precedent (`None`: none usable), `folds[i]` its fold.
pub fn others(
    checked: &[Option<super::Precedent>],
    folds: &[usize],
    f: usize,
) -> Vec<super::Precedent> {
    checked
        .iter()
        .zip(folds)
        .filter(|(_, fold)| **fold != f)
        .filter_map(|(p, _)| p.clone())
        .collect()
}

/// One fold of a cross-validation: its number (0..k), its rows (indices
/// into the file's rows, in order) and the other folds' precedents indexed
/// in memory as a set named `fold-N` (N from 1).
pub struct Fold {
    pub number: usize,
    pub rows: Vec<usize>,
    pub others: super::PrecedentIndex,
}

/// The `k` folds in turn: what `hs eval --cross-validate` and the
/// confidence fitting both walk. `checked[i]` is row i's precedent (`None`:
/// none usable), `folds[i]` its fold ([`assign`]).
pub fn each_fold<'a>(
    checked: &'a [Option<super::Precedent>],
    folds: &'a [usize],
    k: usize,
) -> impl Iterator<Item = Result<Fold, super::PrecedentError>> + 'a {
    (0..k.max(1)).map(move |f| {
        let others = super::PrecedentIndex::in_memory(
            &format!("fold-{}", f + 1),
            "other folds",
            self::others(checked, folds, f),
        )?;
        Ok(Fold {
            number: f,
            rows: (0..folds.len()).filter(|&i| folds[i] == f).collect(),
            others,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Four rows (file lines 2 to 5), the second unusable, in folds 0 1 1 0.
    fn four_rows() -> (Vec<Option<super::super::Precedent>>, Vec<usize>) {
        let p = |r: u64| {
            Some(super::super::Precedent::labelled(
                "t",
                "610910".into(),
                "",
                r,
            ))
        };
        (vec![p(2), None, p(4), p(5)], vec![0, 1, 1, 0])
    }

    #[test]
    fn others_are_every_usable_row_outside_the_fold() {
        let (checked, folds) = four_rows();
        let rows = |f| -> Vec<u64> { others(&checked, &folds, f).iter().map(|x| x.row).collect() };
        assert_eq!(rows(0), vec![4]);
        assert_eq!(rows(1), vec![2, 5]);
        assert_eq!(rows(2), vec![2, 4, 5]);
    }

    #[test]
    fn each_fold_holds_its_rows_and_the_others_precedents() {
        let (checked, folds) = four_rows();
        let got: Vec<(usize, Vec<usize>, usize, String)> = each_fold(&checked, &folds, 2)
            .map(|f| {
                let f = f.expect("fold");
                (f.number, f.rows, f.others.len(), f.others.name.clone())
            })
            .collect();
        assert_eq!(
            got,
            [
                (0, vec![0, 3], 1, "fold-1".to_string()),
                (1, vec![1, 2], 2, "fold-2".to_string()),
            ]
        );
    }

    #[test]
    fn folds_are_balanced_and_repeat() {
        let a = assign(103, 5, DEFAULT_SEED);
        assert_eq!(a, assign(103, 5, DEFAULT_SEED));
        assert_ne!(a, assign(103, 5, DEFAULT_SEED + 1));
        let mut sizes = [0; 5];
        for f in &a {
            sizes[*f] += 1;
        }
        assert!(sizes.iter().all(|&s| s == 20 || s == 21), "{sizes:?}");
    }
}
