//! Identity: does a display name claim to be a protected body?
//!
//! The name is free text the caller typed, so a claim is never evidence of identity; it is
//! evidence of a claim. Disguising the claim (zero-width characters, look-alike letters,
//! homophones, separators) is a signal of its own: genuine organisations have no reason to.

use crate::lexicon::{words, IdentityMatch, Lexicons, MatchKind, Tier};
use crate::signal::{codes, DisguiseKind, Params, SignalSet};
use crate::text::Normalised;
use unicode_security::MixedScript;

/// What a name claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameClaim {
    /// Index of the claimed identity in the lexicon.
    pub index: usize,
    /// The lexicon term or number that matched.
    pub matched: String,
}

fn badges() -> &'static aho_corasick::AhoCorasick {
    static AC: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    AC.get_or_init(|| {
        aho_corasick::AhoCorasickBuilder::new()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(words::name_badges().iter().map(|(b, _)| b))
            .expect("badge patterns compile")
    })
}

/// Checks a display name; returns the claimed identity, if any.
pub fn detect_name(name: &str, lex: &Lexicons, out: &mut SignalSet) -> Option<NameClaim> {
    if name.trim().is_empty() {
        return None;
    }
    // A right-to-left override shows the characters after it in reverse: "市\u{202e}局安公"
    // reads "市公安局" on screen. Match what the user sees.
    let visual;
    let name = if name.contains('\u{202e}') {
        visual = crate::text::visual_order(name);
        out.add_with(
            codes::DISGUISED_NAME,
            1.0,
            "right-to-left override",
            disguised(DisguiseKind::RightToLeft),
        );
        visual.as_str()
    } else {
        name
    };
    let n = Normalised::new(name);
    // "蝦皮買家-阿哲", "Carousell buyer Jess": a customer who names the platform they use.
    let mut matches = lex.identities.match_name(&n, name);
    if !matches.is_empty() && super::script::names_a_customer(&n, lex) {
        matches.clear();
    }
    let mut claim: Option<NameClaim> = matches.first().map(|m| NameClaim {
        index: m.index,
        matched: m.term.clone(),
    });
    // The name as shown back, made only for a name that claims something.
    let show = || crate::text::display_form(name);
    if let Some(m) = matches.first() {
        let shown = show();
        out.add_with(
            claim_code(lex.identities.get(m.index).tier),
            1.0,
            shown.clone(),
            Params::name(&shown),
        );
        disguise(&n, m, out);
    }

    if let Some(sn) = lex.identities.service_number(&n) {
        let bare = !n.compact.chars().any(|c| !c.is_ascii_digit());
        if bare || claim.is_some() || sn.names_its_owner(&n) {
            out.add_with(
                codes::SERVICE_NUMBER_AS_NAME,
                1.0,
                sn.number.clone(),
                Params::number(&sn.number),
            );
            if claim.is_none() {
                if let Some(i) = sn.index {
                    let tier = lex.identities.get(i).tier;
                    let shown = show();
                    out.add_with(claim_code(tier), 1.0, shown.clone(), Params::name(&shown));
                    claim = Some(NameClaim {
                        index: i,
                        matched: sn.number.clone(),
                    });
                }
            }
        }
    }

    if let Some(m) = badges().find(&n.folded) {
        let (badge, strength) = words::name_badges()[m.pattern().as_usize()];
        // Quoted as the sender wrote it ("Verified", not "verified") where it can be found.
        let written = name
            .to_ascii_lowercase()
            .find(badge)
            .map_or(badge, |at| &name[at..at + badge.len()]);
        out.add_with(
            codes::FAKE_VERIFIED_BADGE,
            strength,
            badge,
            Params::name(written),
        );
    }
    if n.disguise.authority_emoji {
        out.add(codes::FAKE_VERIFIED_BADGE, 0.8, "emoji");
    }

    if !name.is_ascii() {
        for word in name.split_whitespace() {
            if word.is_ascii() || word.chars().any(crate::text::is_cjk) {
                continue;
            }
            let letters: String = word.chars().filter(|c| c.is_alphabetic()).collect();
            if !letters.as_str().is_single_script() {
                out.add_with(codes::MIXED_SCRIPT_NAME, 1.0, word, Params::name(word));
                break;
            }
        }
    }
    claim
}

fn claim_code(tier: Tier) -> &'static str {
    match tier {
        Tier::A => codes::CLAIMS_AUTHORITY,
        Tier::B => codes::CLAIMS_ORGANISATION,
        Tier::C => codes::CLAIMS_SERVICE_ROLE,
    }
}

fn disguise(n: &Normalised, m: &IdentityMatch, out: &mut SignalSet) {
    let how = match m.kind {
        MatchKind::Separated => Some(DisguiseKind::Separators),
        MatchKind::LookAlike => Some(DisguiseKind::LookAlikeLetters),
        MatchKind::Homophone => Some(DisguiseKind::SoundAlike),
        _ => None,
    };
    let how = how.or(if n.disguise.invisible {
        Some(DisguiseKind::Invisible)
    } else if n.disguise.compatibility {
        Some(DisguiseKind::FullWidth)
    } else {
        None
    });
    if let Some(how) = how {
        let evidence = match how {
            DisguiseKind::Separators => "separators inside the name",
            DisguiseKind::LookAlikeLetters => "look-alike letters",
            DisguiseKind::SoundAlike => "sound-alike characters",
            DisguiseKind::Invisible => "invisible characters",
            DisguiseKind::FullWidth => "full-width characters",
            DisguiseKind::RightToLeft => "right-to-left override",
        };
        out.add_with(codes::DISGUISED_NAME, 1.0, evidence, disguised(how));
    }
}

fn disguised(how: DisguiseKind) -> Params {
    Params {
        disguise: Some(how),
        ..Params::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> &'static Lexicons {
        Lexicons::shared_for_tests()
    }

    fn check(name: &str) -> (Option<NameClaim>, SignalSet) {
        let mut s = SignalSet::new();
        let c = detect_name(name, lex(), &mut s);
        (c, s)
    }

    #[test]
    fn authority_names() {
        let (c, s) = check("厦门市公安局");
        assert!(c.is_some());
        assert!(s.has(codes::CLAIMS_AUTHORITY));
        assert!(!s.has(codes::DISGUISED_NAME));
        let (_, s) = check("0731-110");
        assert!(
            s.has(codes::SERVICE_NUMBER_AS_NAME) && s.has(codes::CLAIMS_AUTHORITY),
            "{s:?}"
        );
        let (_, s) = check("微信客服");
        assert!(s.has(codes::CLAIMS_ORGANISATION), "{s:?}");
        // The citizens' hotline named with words claims it; a nickname's digits do not.
        for name in ["12345热线", "12345 hotline"] {
            let (c, s) = check(name);
            assert!(
                c.is_some() && s.has(codes::SERVICE_NUMBER_AS_NAME),
                "{name}: {s:?}"
            );
        }
    }

    #[test]
    fn disguises_are_signals() {
        for name in ["公\u{200b}安局", "p0lice", "公按局", "公 安 局", "ＦＢＩ"] {
            let (_, s) = check(name);
            assert!(s.has(codes::DISGUISED_NAME), "{name}: {s:?}");
        }
        let (_, s) = check("\u{0420}\u{043e}lice");
        assert!(s.has(codes::MIXED_SCRIPT_NAME), "{s:?}");
        let (_, s) = check("抖音客服(已认证)");
        assert!(s.has(codes::FAKE_VERIFIED_BADGE));
        let (_, s) = check("👮反诈中心");
        assert!(s.has(codes::FAKE_VERIFIED_BADGE));
    }

    #[test]
    fn a_platform_named_by_its_customer_is_no_claim() {
        for name in ["蝦皮買家-小芸", "淘宝买家 小周", "Carousell buyer Jess"] {
            let (c, s) = check(name);
            assert!(c.is_none() && s.is_empty(), "{name}: {s:?}");
        }
        for name in ["蝦皮客服", "淘宝会员中心", "Carousell Support"] {
            let (c, _) = check(name);
            assert!(c.is_some(), "{name}");
        }
    }

    #[test]
    fn a_brand_spelt_with_its_own_hyphen_is_not_disguised() {
        for name in ["T-Mobile", "7-ELEVEN交貨便", "E-ZPass New York"] {
            let (c, s) = check(name);
            assert!(c.is_some(), "{name}: {s:?}");
            assert!(!s.has(codes::DISGUISED_NAME), "{name}: {s:?}");
        }
        for name in ["T-Mob-ile", "E-Z-Pass"] {
            let (_, s) = check(name);
            assert!(s.has(codes::DISGUISED_NAME), "{name}: {s:?}");
        }
    }

    #[test]
    fn name_like_pinyin_claims_only_when_no_person_would_write_it() {
        for name in [
            "gongan110",
            "110gongan",
            "ＧＯＮＧＡＮ",
            "gongan 110",
            "fayuan12368",
        ] {
            let (c, s) = check(name);
            assert!(
                c.is_some() && s.has(codes::CLAIMS_AUTHORITY),
                "{name}: {s:?}"
            );
        }
        for name in ["Gong An", "gongan", "Gongan Li", "Fay Yuan", "fayuan"] {
            let (c, s) = check(name);
            assert!(c.is_none() && s.is_empty(), "{name}: {s:?}");
        }
    }

    #[test]
    fn right_to_left_overrides_are_read_as_shown() {
        assert_eq!(
            crate::text::visual_order("杭州市\u{202e}局安公\u{202c}"),
            "杭州市公安局"
        );
        assert_eq!(crate::text::visual_order("a\u{202e}cb"), "abc");
        let (c, s) = check("杭州市\u{202e}局安公\u{202c}");
        assert!(
            c.is_some() && s.has(codes::CLAIMS_AUTHORITY) && s.has(codes::DISGUISED_NAME),
            "{s:?}"
        );
    }

    #[test]
    fn ordinary_names_are_quiet() {
        for name in [
            "王建国",
            "Mom",
            "John Smith",
            "",
            "   ",
            "Room 110 study group",
            "张伟 🎉",
            "Tom 12345",
            "老爸(警察)",
        ] {
            let (c, s) = check(name);
            assert!(c.is_none() && s.is_empty(), "{name}: {s:?}");
        }
    }
}
