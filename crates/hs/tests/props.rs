//! Property tests (proptest) over what users type: code parsing round-trips
//! and never panics; query cleaning and the whole search never panic on
//! arbitrary text.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they set up

mod common;

use hs::code::Code;
use proptest::prelude::*;

/// Digits of a valid code length (2, 4, 6, 8 or 10).
fn code_digits() -> impl Strategy<Value = String> {
    prop::sample::select(vec![2usize, 4, 6, 8, 10])
        .prop_flat_map(|n| proptest::string::string_regex(&format!("[0-9]{{{n}}}")).unwrap())
}

/// Text that is mostly code-like: digits, separators and a few odd bytes.
fn codeish() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[0-9 .\\-_\\tA-Za-z\u{feff}é]{0,16}").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn code_parse_print_round_trips(digits in code_digits()) {
        let c = Code::parse(&digits).unwrap();
        prop_assert_eq!(c.digits(), digits.as_str());
        let printed = c.to_string();
        prop_assert_eq!(Code::parse(&printed).unwrap(), c.clone());
        // Printing is canonical: dots only, after the heading.
        prop_assert!(printed.chars().all(|ch| ch.is_ascii_digit() || ch == '.'));
        prop_assert_eq!(printed.replace('.', ""), digits);
    }

    #[test]
    fn code_parse_ignores_separators(digits in code_digits(), seps in prop::collection::vec(prop::sample::select(vec!["", ".", " ", "-", "_"]), 10)) {
        let mut written = String::new();
        // Separators stand between pairs of digits (`6109.10`, `61 09 10`),
        // never after the last one.
        let last = digits.len() - 1;
        for (i, d) in digits.chars().enumerate() {
            written.push(d);
            if i % 2 == 1 && i < last {
                written.push_str(seps[i]);
            }
        }
        let c = Code::parse(&written).unwrap();
        prop_assert_eq!(c.digits(), digits.as_str());
        // A mark before the first digit or after the last is malformed
        // ("-6109", "6109.10."); spaces around a code are not.
        for mark in [".", "-", "_"] {
            let after = format!("{written}{mark}");
            let before = format!("{mark}{written}");
            prop_assert!(Code::parse(&after).is_err());
            prop_assert!(Code::parse(&before).is_err());
        }
        let spaced = format!(" {written} ");
        prop_assert_eq!(Code::parse(&spaced).unwrap(), c);
    }

    #[test]
    fn code_parse_never_panics(s in any::<String>()) {
        match Code::parse(&s) {
            Ok(c) => {
                prop_assert!(matches!(c.len(), 2 | 4 | 6 | 8 | 10));
                prop_assert_eq!(Code::parse(&c.to_string()).unwrap(), c);
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        let _ = Code::looks_like_code(&s);
        let _ = hs::code::parse_section(&s);
    }

    #[test]
    fn code_parse_never_panics_on_codeish_text(s in codeish()) {
        let _ = Code::parse(&s).map(|c| c.to_string());
    }

    #[test]
    fn query_words_never_panic(s in any::<String>()) {
        let words = hs::text::query_words(&s);
        for w in words {
            prop_assert!(w.weight.is_finite());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn search_never_panics(s in any::<String>()) {
        let r = common::engine().search(&s, 5).expect("search");
        prop_assert!(r.suggestions.len() <= 5);
        for sug in &r.suggestions {
            prop_assert!((0.0..=1.0).contains(&sug.confidence));
        }
    }

    #[test]
    fn search_never_panics_on_query_syntax(s in proptest::string::string_regex("[a-z \"':()\\[\\]*~^+\\-!&|{}0-9.]{0,40}|(AND|OR|NOT|TO) [a-z]{1,8}").unwrap()) {
        let r = common::engine().search(&s, 5).expect("search");
        prop_assert!(r.suggestions.len() <= 5);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The first [`hs::rank::BY_SCORE`] suggestions keep score order; after them, a suggestion
    /// repeating a heading already listed comes only after every suggestion
    /// that brings a new heading.
    #[test]
    fn long_lists_offer_new_headings_after_the_first_by_score(
        q in prop::sample::select(vec![
            "cotton", "steel tube", "frozen fish", "plastic box", "wooden chair",
            "leather bag", "electric motor", "glass bottle", "rubber tyre", "paper",
        ])
    ) {
        let r = common::engine().search(q, 10).expect("search");
        let s = &r.suggestions;
        let by_score = s.len().min(hs::rank::BY_SCORE);
        for w in s[..by_score].windows(2) {
            prop_assert!(w[0].score >= w[1].score);
        }
        let heading = |c: &hs::code::Code| c.digits()[..4].to_string();
        let mut seen: Vec<String> = s[..by_score].iter().map(|x| heading(&x.code)).collect();
        let mut repeated = false;
        for x in &s[by_score..] {
            let h = heading(&x.code);
            if seen.contains(&h) {
                repeated = true;
            } else {
                prop_assert!(!repeated, "{q}: new heading {h} after a repeat");
                seen.push(h);
            }
        }
    }
}
