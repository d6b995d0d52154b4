//! Precision and recall of predicted duplicate pairs against a labelled set.

use serde::Serialize;
use std::collections::BTreeSet;

/// An unordered pair as an ordered tuple.
pub fn pair(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

/// Every pair within each group of ids known to be one person.
pub fn pairs_from_groups<S: AsRef<str>>(groups: &[Vec<S>]) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for g in groups {
        for (i, a) in g.iter().enumerate() {
            for b in &g[i + 1..] {
                out.insert(pair(a.as_ref(), b.as_ref()));
            }
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PrecisionRecall {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
    /// Share of predicted pairs that are true; 1 when nothing was predicted.
    pub precision: f64,
    /// Share of true pairs that were predicted; 1 when there are none.
    pub recall: f64,
}

impl std::fmt::Display for PrecisionRecall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "precision {:.2} ({} of {} predicted pairs), recall {:.2} ({} of {} true pairs)",
            self.precision,
            self.true_positives,
            self.true_positives + self.false_positives,
            self.recall,
            self.true_positives,
            self.true_positives + self.false_negatives
        )
    }
}

/// Compares predicted pairs with true pairs (order within a pair does not matter).
pub fn precision_recall<I, J, A, B>(predicted: I, truth: J) -> PrecisionRecall
where
    I: IntoIterator<Item = (A, B)>,
    J: IntoIterator<Item = (A, B)>,
    A: AsRef<str>,
    B: AsRef<str>,
{
    let norm = |it: &mut dyn Iterator<Item = (A, B)>| -> BTreeSet<(String, String)> {
        it.map(|(a, b)| pair(a.as_ref(), b.as_ref())).collect()
    };
    let predicted = norm(&mut predicted.into_iter());
    let truth = norm(&mut truth.into_iter());
    let tp = predicted.intersection(&truth).count();
    let fp = predicted.len() - tp;
    let fn_ = truth.len() - tp;
    let ratio = |n: usize, d: usize| if d == 0 { 1.0 } else { n as f64 / d as f64 };
    PrecisionRecall {
        true_positives: tp,
        false_positives: fp,
        false_negatives: fn_,
        precision: ratio(tp, tp + fp),
        recall: ratio(tp, tp + fn_),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_unordered_pairs() {
        let truth = pairs_from_groups(&[vec!["1", "2", "3"], vec!["7", "8"]]);
        assert_eq!(truth.len(), 4);
        let predicted = vec![pair("2", "1"), pair("3", "2"), pair("5", "6")];
        let pr = precision_recall(predicted, truth);
        assert_eq!(
            (pr.true_positives, pr.false_positives, pr.false_negatives),
            (2, 1, 2)
        );
        assert!((pr.precision - 2.0 / 3.0).abs() < 1e-9);
        assert!((pr.recall - 0.5).abs() < 1e-9);
    }
}
