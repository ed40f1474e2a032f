//! The small built-in word lists the detectors match against: negations, name badges,
//! self-introductions, link lure words and the like.
//!
//! Each is a reviewable text file in `crates/core/data/` (one entry a line, `#` comments),
//! compiled in with `include_str!` and parsed once, on first use. They are declared once, in
//! the table below, which also lists them for the test that every file parses.

use std::sync::OnceLock;

/// Entries of a one-per-line list: `#` starts a comment, surrounding spaces are trimmed and
/// blank lines skipped.
pub fn entries(text: &str) -> Vec<&str> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .collect()
}

/// Entries of a two-column list ("entry value", separated by spaces). The error names the first
/// line that does not have exactly two columns.
pub fn pairs(text: &str) -> Result<Vec<(&str, &str)>, String> {
    entries(text)
        .into_iter()
        .map(|l| {
            let mut cols = l.split_whitespace();
            match (cols.next(), cols.next(), cols.next()) {
                (Some(a), Some(b), None) => Ok((a, b)),
                _ => Err(format!("{l:?} is not two columns")),
            }
        })
        .collect()
}

macro_rules! word_lists {
    ($($(#[$doc:meta])* $name:ident => $file:literal,)*) => {
        /// Every built-in list: (file name in `crates/core/data/`, its text).
        pub const FILES: &[(&str, &str)] = &[$(($file, include_str!(concat!("../../data/", $file))),)*];

        $(
            $(#[$doc])*
            pub fn $name() -> &'static [&'static str] {
                static LIST: OnceLock<Vec<&'static str>> = OnceLock::new();
                LIST.get_or_init(|| entries(include_str!(concat!("../../data/", $file))))
            }
        )*
    };
}

word_lists! {
    /// Words that introduce the speaker ("我是", "calling from"), `intro_markers.txt`.
    intro_markers => "intro_markers.txt",
    /// Words that make a self-introduced speaker a body's customer ("我是淘宝买家"),
    /// `intro_customer_words.txt`.
    intro_customer_words => "intro_customer_words.txt",
    /// Negations that turn a scam phrase into advice, `negations.txt`.
    negations => "negations.txt",
    /// Words after a negation that make it reassurance ("担心", "worry"), `reassurance.txt`.
    reassurance => "reassurance.txt",
    /// Categories a protected identity may have, `identity_categories.txt`.
    identity_categories => "identity_categories.txt",
    /// Words scam domains glue to a brand name ("verify", "kefu"), `link_lure_words.txt`.
    link_lure_words => "link_lure_words.txt",
    /// Capitalised words that name no brand ("Dear", "Click"), `not_brand_names.txt`.
    not_brand_names => "not_brand_names.txt",
    /// Path segments of login and payment pages, `link_path_words.txt`.
    link_path_words => "link_path_words.txt",
    /// File endings of apps installed outside an app store, `download_endings.txt`.
    download_endings => "download_endings.txt",
    /// Query parameters that forward a visitor to another site, `redirect_params.txt`.
    redirect_params => "redirect_params.txt",
    /// Badges typed into a display name, with their strength, `name_badges.txt` (read with
    /// [`name_badges`]).
    name_badge_lines => "name_badges.txt",
    /// Disguised link spellings and their plain form, `link_disguises.txt` (read with
    /// [`link_disguises`]).
    link_disguise_lines => "link_disguises.txt",
    /// Phrases in which a protected name is part of something else ("公安大学", "police fan"),
    /// `name_innocent.txt`.
    name_innocent => "name_innocent.txt",
    /// Words that, right after a protected name, make it a place, a market, a group, a band or
    /// a school ("公安县", "海关新村", "Police Tribute Band"), `name_settings.txt`.
    name_settings => "name_settings.txt",
    /// Kinship words that open a relative's display name ("老爸", "表姐", "Dad", "Cousin"),
    /// `name_kin.txt`.
    name_kin => "name_kin.txt",
    /// Words that, right before a protected name, make it someone's past workplace ("ex",
    /// "former", "退休"), `name_former.txt`.
    name_former => "name_former.txt",
    /// Service words beside a body's pinyin or after its English name ("kefu", "support"),
    /// `name_service_words.txt`.
    name_service_words => "name_service_words.txt",
    /// Desk words that, after a brand's own name, make it the brand's desk ("Norton Renewal",
    /// "Apple 支援", "圆通理赔部"), `name_desks.txt`.
    name_desks => "name_desks.txt",
    /// Words that name which of a brand's services is meant ("bank", "prime"), beside which a
    /// brand typed one slip away is read, `name_brand_services.txt`.
    name_brand_services => "name_brand_services.txt",
    /// Words for friends, neighbours, classmates and colleagues ("friend", "同学"),
    /// `name_acquaintances.txt`.
    name_acquaintances => "name_acquaintances.txt",
    /// Words that, second in a name after a first name, describe that person ("Ann the UPS
    /// driver"), `name_epithets.txt`.
    name_epithets => "name_epithets.txt",
    /// Words that say someone works at a place ("works at", "上班"), `name_work_words.txt`.
    name_work_words => "name_work_words.txt",
    /// Last words of a group's, a club's or an outing's name ("crew", "club", "群"),
    /// `name_groups.txt`.
    name_groups => "name_groups.txt",
    /// Pinyin of China's provinces and larger cities ("hangzhou"), `name_places.txt`.
    name_places => "name_places.txt",
    /// Openers of a warning about someone else's request ("如有人", "if anyone"),
    /// `warning_openers.txt`.
    warning_openers => "warning_openers.txt",
    /// What a warning says to do about that request ("请举报", "hang up"),
    /// `warning_closers.txt`.
    warning_closers => "warning_closers.txt",
    /// Closing words that call every such request a scam ("都是诈骗"), `warning_verdicts.txt`.
    warning_verdicts => "warning_verdicts.txt",
    /// Frames of a retelling ("据报道", "被害人", "she was told"), `retell_frames.txt`.
    retell_frames => "retell_frames.txt",
    /// The victim in the third person ("被害人", "the victim"), `retell_victims.txt`.
    retell_victims => "retell_victims.txt",
    /// Scammers named in the third person ("骗子", "the caller"), `retell_speakers.txt`.
    retell_speakers => "retell_speakers.txt",
    /// Verbs of reported speech after such a speaker ("自称", "claimed"), `retell_verbs.txt`.
    retell_verbs => "retell_verbs.txt",
    /// Words that speak to the reader ("你", "您", "you"), `retell_address.txt`.
    retell_address => "retell_address.txt",
    /// Common Chinese surnames, several a line, `surnames.txt`.
    surname_lines => "surnames.txt",
}

/// Badges that mimic a platform's verification mark, with their strength (0–1), in file order.
pub fn name_badges() -> &'static [(&'static str, f64)] {
    static LIST: OnceLock<Vec<(&'static str, f64)>> = OnceLock::new();
    LIST.get_or_init(|| {
        pairs(include_str!("../../data/name_badges.txt"))
            .expect("name_badges.txt has two columns")
            .into_iter()
            .map(|(b, s)| (b, s.parse().expect("name_badges.txt strength is a number")))
            .collect()
    })
}

/// Ranks that claim a body when they lead a two-word name ("Officer Smith"): (rank, identity
/// id), in file order, `name_titles.txt`.
pub fn name_titles() -> &'static [(&'static str, &'static str)] {
    static LIST: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    LIST.get_or_init(|| {
        pairs(include_str!("../../data/name_titles.txt")).expect("name_titles.txt has two columns")
    })
}

/// Disguised link spellings ("hxxps://", "[.]") and what each stands for, in file order.
pub fn link_disguises() -> &'static [(&'static str, &'static str)] {
    static LIST: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    LIST.get_or_init(|| {
        pairs(include_str!("../../data/link_disguises.txt"))
            .expect("link_disguises.txt has two columns")
    })
}

/// Negated requests that govern a list ("不会…要求您A、B或C"): (negation, request verb), in
/// file order, `never_ask.txt`.
pub fn never_ask() -> &'static [(&'static str, &'static str)] {
    static LIST: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    LIST.get_or_init(|| {
        pairs(include_str!("../../data/never_ask.txt")).expect("never_ask.txt has two columns")
    })
}

/// Whether a list entry is English (matched as whole words) rather than Chinese (matched in
/// the compact text); the mixed lists hold both.
pub fn is_english(entry: &str) -> bool {
    entry.is_ascii()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_parses_and_is_not_empty() {
        assert!(FILES.len() >= 10);
        for (file, text) in FILES {
            let list = entries(text);
            assert!(!list.is_empty(), "{file} is empty");
            let mut seen = std::collections::HashSet::new();
            for e in &list {
                assert!(seen.insert(*e), "{file}: {e:?} listed twice");
            }
        }
        for (badge, strength) in name_badges() {
            assert!((0.0..=1.0).contains(strength), "{badge}: {strength}");
        }
        assert!(!link_disguises().is_empty());
        // The two-column lists, each line once.
        for (file, list) in [
            ("never_ask.txt", never_ask()),
            ("name_titles.txt", name_titles()),
        ] {
            assert!(!list.is_empty(), "{file} is empty");
            let mut seen = std::collections::HashSet::new();
            for e in list {
                assert!(seen.insert(*e), "{file}: {e:?} listed twice");
            }
        }
        for list in [
            intro_markers(),
            intro_customer_words(),
            negations(),
            reassurance(),
            identity_categories(),
            link_lure_words(),
            not_brand_names(),
            link_path_words(),
            download_endings(),
            redirect_params(),
        ] {
            assert!(!list.is_empty());
        }
    }

    #[test]
    fn lists_hold_what_the_detectors_rely_on() {
        assert!(negations().contains(&"不要") && negations().contains(&"never"));
        assert!(reassurance().contains(&"担心") && reassurance().contains(&"worry"));
        assert!(identity_categories().contains(&"police"));
        assert!(link_lure_words().contains(&"verify"));
        assert!(download_endings().iter().all(|e| e.starts_with('.')));
        assert_eq!(link_disguises()[0], ("hxxps://", "https://"));
        assert_eq!(name_badges()[0], ("已认证", 1.0));
    }

    #[test]
    fn malformed_pairs_are_named() {
        let err = pairs("a b\nonly\n").unwrap_err();
        assert!(err.contains("only"), "{err}");
        assert!(pairs("a b c").is_err());
        assert_eq!(pairs("# c\n x  y \n").unwrap(), vec![("x", "y")]);
    }
}
