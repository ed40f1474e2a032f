//! Property tests for the normaliser: disguises never change what a name or text reads as.

use proptest::prelude::*;
use scamguard_core::lexicon::Lexicons;
use scamguard_core::text::{latin_key, Normalised};
use std::sync::OnceLock;

fn lex() -> &'static Lexicons {
    static L: OnceLock<Lexicons> = OnceLock::new();
    L.get_or_init(|| Lexicons::builtin().unwrap())
}

/// Invisible characters scammers insert: zero-width space/joiner/non-joiner, word joiner,
/// BOM, bidi embeddings and isolates, variation selectors, soft hyphen.
const INVISIBLE: &[char] = &[
    '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}', '\u{202a}', '\u{202b}', '\u{202c}',
    '\u{2066}', '\u{2069}', '\u{fe0f}', '\u{fe0e}', '\u{00ad}',
];
/// Visible separators put between the characters of a word.
const SEPARATORS: &[&str] = &[" ", "-", "·", "_", ".", "*", "⭐", "👮", "、", "　", "/"];

fn interleave(word: &str, fill: &[String]) -> String {
    let mut out = String::new();
    for (i, c) in word.chars().enumerate() {
        out.push(c);
        if let Some(f) = fill.get(i) {
            out.push_str(f);
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_and_views_are_well_formed(s in any::<String>()) {
        let n = Normalised::with_positions(&s);
        prop_assert!(n.compact.chars().all(char::is_alphanumeric));
        prop_assert_eq!(&Normalised::new(&s).compact, &n.compact);
        prop_assert!(n.words.starts_with(' ') && n.words.ends_with(' '));
        prop_assert!(!n.words.contains("  ") || n.words == " ");
        prop_assert_eq!(n.compact_to_folded.len(), n.compact.len() + 1);
        prop_assert_eq!(n.words_to_folded.len(), n.words.len() + 1);
        prop_assert!(!n.folded.starts_with(' ') && !n.folded.ends_with(' '));
        let _ = latin_key(&s);
    }

    #[test]
    fn normalising_twice_changes_nothing(s in "\\PC{0,40}") {
        let once = Normalised::new(&s);
        let twice = Normalised::new(&once.folded);
        prop_assert_eq!(&once.compact, &twice.compact);
        prop_assert_eq!(&once.words, &twice.words);
    }

    #[test]
    fn invisible_characters_change_nothing(s in "[a-z0-9公安局反诈中心银行客服 ]{1,20}", picks in prop::collection::vec(0..INVISIBLE.len(), 20)) {
        let fill: Vec<String> = picks.iter().map(|&i| INVISIBLE[i].to_string()).collect();
        let disguised = interleave(&s, &fill);
        prop_assert_eq!(Normalised::new(&s).compact, Normalised::new(&disguised).compact);
    }

    #[test]
    fn separators_inside_words_change_nothing(s in "[公安局反诈中心检察院银行]{1,10}", picks in prop::collection::vec(0..SEPARATORS.len(), 10)) {
        let fill: Vec<String> = picks.iter().map(|&i| SEPARATORS[i].to_string()).collect();
        prop_assert_eq!(Normalised::new(&s).compact, Normalised::new(&interleave(&s, &fill)).compact);
    }

    #[test]
    fn width_and_case_change_nothing(s in "[A-Za-z0-9]{1,20}") {
        let full: String = s.chars().map(|c| char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap()).collect();
        prop_assert_eq!(Normalised::new(&s).compact, Normalised::new(&full).compact);
        prop_assert_eq!(Normalised::new(&s.to_uppercase()).compact, Normalised::new(&s.to_lowercase()).compact);
        prop_assert_eq!(latin_key(&s.to_uppercase().replace('I', "i")), latin_key(&s.to_lowercase()));
    }

    /// Every Chinese name of a tier-A identity is still found, as the same identity, however
    /// it is padded with invisible characters and separators.
    #[test]
    fn disguised_authority_names_are_still_found(idx in 0usize..10_000, picks in prop::collection::vec(0..(INVISIBLE.len() + SEPARATORS.len()), 12)) {
        let ids = &lex().identities;
        let names: Vec<(usize, &String)> = ids
            .identities()
            .iter()
            .enumerate()
            .filter(|(_, i)| i.tier == scamguard_core::lexicon::Tier::A)
            .flat_map(|(k, i)| i.zh_hans.iter().filter(|n| n.chars().count() >= 3).map(move |n| (k, n)))
            .collect();
        let (_k, name) = names[idx % names.len()];
        let fill: Vec<String> = picks
            .iter()
            .map(|&p| if p < INVISIBLE.len() { INVISIBLE[p].to_string() } else { SEPARATORS[p - INVISIBLE.len()].to_string() })
            .collect();
        let disguised = interleave(name, &fill);
        let plain = ids.match_name(&Normalised::new(name), name);
        let found = ids.match_name(&Normalised::new(&disguised), &disguised);
        prop_assert!(!found.is_empty(), "{:?} (from {:?}) not found", disguised, name);
        let want = ids.get(plain[0].index).tier;
        prop_assert_eq!(ids.get(found[0].index).tier, want, "{:?}", disguised);
    }

    /// Traditional characters read as simplified.
    #[test]
    fn traditional_reads_as_simplified(pick in 0usize..6) {
        let pairs = [("公安局", "公安局"), ("國家反詐中心", "国家反诈中心"), ("檢察院", "检察院"), ("銀行", "银行"), ("醫保局", "医保局"), ("稅務局", "税务局")];
        let (t, s) = pairs[pick];
        prop_assert_eq!(Normalised::new(t).compact, Normalised::new(s).compact);
    }
}
