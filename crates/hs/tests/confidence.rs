//! Confidence as a probability, end to end: text with no goods word the
//! tariff knows gets a low confidence and goes to review; a plain
//! description of common goods is trusted more; `hs eval --predictions`
//! writes each suggestion's confidence beside its code.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they set up

mod common;

use common::{hs, stderr, stdout};
use serde_json::Value;

fn classify(lines: &str) -> Vec<Value> {
    let out = hs()
        .args(["classify", "--lines", "--format", "jsonl", "--top", "5"])
        .write_stdin(lines)
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&out)
    );
    stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn top_confidence(row: &Value) -> f64 {
    row["suggestions"][0]["confidence"].as_f64().unwrap()
}

#[test]
fn foreign_text_gets_a_low_confidence_and_review() {
    let rows = classify("chaussures de sport pour enfants\nzapatos de cuero para mujer\n");
    for r in &rows {
        if r["suggestions"].as_array().is_some_and(|s| !s.is_empty()) {
            assert!(top_confidence(r) < 0.2, "{r}");
        }
        assert_eq!(r["review"], true, "{r}");
    }
}

/// Issue 13: Spanish and French descriptions are read as not English: the
/// row says so (`language`), its confidence is under the review threshold
/// and it goes to review.
#[test]
fn a_description_not_in_english_says_so_and_goes_to_review() {
    let rows = classify(
        "camiseta de algodón para hombre\nchaussures en cuir pour femmes\nfrozen shrimp\n",
    );
    for r in &rows[..2] {
        assert!(top_confidence(r) < 0.5, "{r}");
        assert!(top_confidence(r) <= 0.05, "{r}");
        assert_eq!(r["review"], true, "{r}");
        assert_eq!(r["language"]["english"], false, "{r}");
        assert!(
            r["language"]["foreign_words"]
                .as_array()
                .is_some_and(|w| !w.is_empty()),
            "{r}"
        );
    }
    assert!(rows[2].get("language").is_none(), "{}", rows[2]);
    // `hs search --json` says it too.
    let out = hs()
        .args(["search", "--json", "chaussures en cuir pour femmes"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["language"]["english"], false, "{v}");
}

#[test]
fn a_plain_description_is_trusted_more_than_foreign_text() {
    let rows = classify("frozen shrimp\nzapatos de cuero para mujer\n");
    assert!(
        top_confidence(&rows[0]) > top_confidence(&rows[1]) + 0.2,
        "{rows:?}"
    );
    // Confidences fall down the list and share out at most one.
    let c: Vec<f64> = rows[0]["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["confidence"].as_f64().unwrap())
        .collect();
    assert!(c.windows(2).all(|w| w[0] >= w[1]), "{c:?}");
    assert!(c.iter().sum::<f64>() <= 1.0 + 1e-3, "{c:?}");
}

#[test]
fn eval_predictions_carry_each_suggestions_confidence() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("set.csv");
    std::fs::write(
        &csv,
        "description,gold\nfrozen shrimp,030617\nleather handbag,420221\n",
    )
    .unwrap();
    let preds = dir.path().join("p.jsonl");
    let out = hs()
        .args(["eval"])
        .arg(&csv)
        .arg("--predictions")
        .arg(&preds)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&preds).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    for l in &lines {
        let codes = l["codes"].as_array().unwrap();
        let sugg = l["suggestions"].as_array().unwrap();
        assert_eq!(codes.len(), sugg.len(), "{l}");
        for (c, s) in codes.iter().zip(sugg) {
            assert_eq!(c, &s["code"], "{l}");
            let p = s["confidence"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&p), "{l}");
        }
    }
}

/// A row with no suggestion goes to review (nothing a script could take),
/// and text in another script says it does not read as English.
#[test]
fn rows_without_suggestions_and_other_scripts_go_to_review() {
    let rows = classify("хлопковая футболка мужская\n男士棉质T恤\n🙂🙂🙂\n");
    assert_eq!(rows.len(), 3);
    for r in &rows {
        assert_eq!(r["review"], true, "{r}");
    }
    for r in &rows[..2] {
        assert_eq!(r["language"]["english"], false, "{r}");
    }
}
