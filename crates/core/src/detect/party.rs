//! Party: who is on the other end, as far as the platform knows.
//!
//! A handle tells more than the name: a +1 number or a personal mailbox cannot belong to a
//! Chinese police station, and a message from the short code 95588 is the bank's own channel.

use super::identity::NameClaim;
use crate::event::{Locale, Party};
use crate::lexicon::{identities::digits_of, Lexicons, Tier};
use crate::signal::{codes, Params, SignalSet};
use crate::text::Normalised;

/// What kind of handle a party has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandleKind {
    /// A phone number written with an international prefix (`+`, `00`); `digits` start with the
    /// country code.
    International {
        /// Digits after the prefix.
        digits: String,
    },
    /// A phone number without a country code.
    National {
        /// Its digits.
        digits: String,
    },
    /// A carrier short code or enterprise SMS port (95588, 10086, 106980095588).
    ShortCode {
        /// Its digits.
        digits: String,
    },
    /// An alphanumeric SMS sender ID ("RoyalMail", "NHSApp"): up to 11 letters and digits, at
    /// least one a letter, registered with the carrier by the sender.
    SenderId,
    /// An e-mail address (an account e-mail on iMessage-like services).
    Email {
        /// The part after `@`, lower case.
        domain: String,
    },
    /// Anything else.
    Other,
}

/// Classifies a handle.
pub fn classify_handle(handle: &str) -> HandleKind {
    let h = handle.trim();
    // Hong Kong's SMS Sender Registration Scheme: only a registered sender may use a sender ID
    // that starts with "#" ("#HSBC", "#18222"); the networks drop any other message so named.
    if let Some(id) = h.strip_prefix('#') {
        if (1..=11).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric()) {
            return if id.chars().all(|c| c.is_ascii_digit()) {
                HandleKind::ShortCode {
                    digits: id.to_string(),
                }
            } else {
                HandleKind::SenderId
            };
        }
    }
    if let Some((_, domain)) = h.rsplit_once('@') {
        return HandleKind::Email {
            domain: domain.trim().to_ascii_lowercase(),
        };
    }
    if (3..=11).contains(&h.len())
        && h.chars().all(|c| c.is_ascii_alphanumeric())
        && h.chars().any(|c| c.is_ascii_alphabetic())
    {
        return HandleKind::SenderId;
    }
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '.');
    if h.is_empty() || !h.chars().all(allowed) {
        return HandleKind::Other;
    }
    let digits = digits_of(h);
    if digits.is_empty() {
        return HandleKind::Other;
    }
    if h.starts_with('+') {
        return HandleKind::International { digits };
    }
    if let Some(rest) = digits.strip_prefix("00") {
        if rest.len() >= 7 {
            return HandleKind::International {
                digits: rest.to_string(),
            };
        }
    }
    if digits.len() <= 6 || digits.starts_with("106") {
        return HandleKind::ShortCode { digits };
    }
    HandleKind::National { digits }
}

/// Country calling codes of the regions in the identity lexicon.
fn calling_code(region: &str) -> Option<&'static str> {
    Some(match region {
        "CN" => "86",
        "HK" => "852",
        "TW" => "886",
        "SG" => "65",
        "US" | "CA" => "1",
        "UK" => "44",
        "AU" => "61",
        _ => return None,
    })
}

/// Mail domains only a region's government may register: a tax office's or police force's mail
/// from under one of them is the body's own, whatever its exact host.
fn government_mail_suffixes(region: &str) -> &'static [&'static str] {
    match region {
        "CN" => &["gov.cn"],
        "HK" => &["gov.hk"],
        "TW" => &["gov.tw"],
        "SG" => &["gov.sg"],
        "US" => &["gov", "mil"],
        "CA" => &["gc.ca", "canada.ca"],
        "UK" => &["gov.uk", "police.uk"],
        "AU" => &["gov.au"],
        _ => &[],
    }
}

/// Whether mail from `domain` is the identity's own: one of its domains, or a domain of its
/// region's government when it is a public body.
fn mail_is_from(domain: &str, idt: &crate::lexicon::identities::ProtectedIdentity) -> bool {
    idt.owns_domain(domain)
        || (idt.tier == Tier::A
            && government_mail_suffixes(&idt.region)
                .iter()
                .any(|g| domain != *g && crate::url::is_within(domain, g)))
}

/// The home calling codes of readers of a locale, for "is this caller abroad?".
fn home_codes(locale: Locale) -> &'static [&'static str] {
    match locale {
        Locale::ZhHans => &["86"],
        Locale::ZhHant => &["852", "853", "886"],
        Locale::En => &[],
    }
}

/// What the party check learned besides signals.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartyOutcome {
    /// The identity whose official number or short code the handle is.
    pub official_owner: Option<usize>,
    /// The identity the platform verified, when it is one the lexicon knows.
    pub verified_index: Option<usize>,
}

/// Checks the party of a call or thread. `claim` is what its display name claims.
pub fn detect_party(
    from: &Party,
    locale: Locale,
    claim: Option<&NameClaim>,
    lex: &Lexicons,
    out: &mut SignalSet,
) -> PartyOutcome {
    let mut outcome = PartyOutcome::default();
    if from.in_contacts {
        out.add(codes::IN_CONTACTS, 1.0, "");
    } else {
        out.add(codes::NOT_IN_CONTACTS, 1.0, "");
    }

    if let Some(org) = from
        .verified_org
        .as_deref()
        .filter(|o| !o.trim().is_empty())
    {
        out.add(codes::VERIFIED_CALLER, 1.0, org.to_string());
        let idx = lex.identities.index_of(org).or_else(|| {
            let n = Normalised::new(org);
            lex.identities.match_name(&n, org).first().map(|m| m.index)
        });
        outcome.verified_index = idx;
        if let (Some(c), Some(v)) = (claim, idx) {
            let claimed = lex.identities.get(c.index);
            if c.index != v
                && claimed.tier != Tier::C
                && claimed.category != lex.identities.get(v).category
            {
                out.add_with(
                    codes::VERIFIED_ORG_MISMATCH,
                    1.0,
                    format!("verified as {org}, shows {}", c.matched),
                    Params {
                        name: Some(lex.identities.get(v).name_in(locale).to_string()),
                        shown: from
                            .display_name
                            .as_deref()
                            .map(crate::text::display_form)
                            .filter(|s| !s.is_empty()),
                        ..Params::default()
                    },
                );
            }
        }
    }

    let kind = classify_handle(&from.handle);
    outcome.official_owner = official_owner(&kind, claim, lex);
    if let Some(owner) = outcome.official_owner {
        let consistent =
            claim.is_none_or(|c| c.index == owner || lex.identities.get(c.index).tier == Tier::C);
        if consistent {
            out.add(
                codes::OFFICIAL_SENDER_NUMBER,
                1.0,
                lex.identities.get(owner).name_in(locale).to_string(),
            );
        }
    }

    if matches!(kind, HandleKind::ShortCode { .. } | HandleKind::SenderId)
        && outcome.official_owner.is_none()
    {
        // Short codes, enterprise ports and alphanumeric sender IDs are registered with the
        // carrier; scam texts mostly come from personal or foreign numbers instead.
        out.add(codes::SHORT_CODE_SENDER, 1.0, from.handle.clone());
    }
    let claimed = claim.map(|c| lex.identities.get(c.index));
    match &kind {
        // A contact's name is the user's own label ("Sheriff Woody" for a friend in London): a
        // contact abroad is a friend abroad, not a foreign number posing as a local body.
        HandleKind::International { digits } if !from.in_contacts => {
            if let Some(idt) = claimed.filter(|i| i.tier != Tier::C) {
                if let Some(code) = calling_code(&idt.region) {
                    if !digits.starts_with(code) {
                        out.add_with(
                            codes::FOREIGN_HANDLE_FOR_DOMESTIC_CLAIM,
                            1.0,
                            format!(
                                "+{} number for a {} body",
                                country_prefix(digits),
                                idt.region
                            ),
                            country(digits),
                        );
                    }
                }
            } else if claimed.is_none() {
                let home = home_codes(locale);
                if !home.is_empty() && !home.iter().any(|c| digits.starts_with(c)) {
                    out.add_with(
                        codes::INTERNATIONAL_HANDLE,
                        1.0,
                        format!("+{}", country_prefix(digits)),
                        country(digits),
                    );
                }
            }
        }
        HandleKind::Email { domain } => {
            if let Some(idt) = claimed.filter(|i| i.tier != Tier::C) {
                let own = mail_is_from(domain, idt);
                if lex.mail_providers.contains(domain) {
                    out.add_with(
                        codes::PERSONAL_EMAIL_HANDLE,
                        1.0,
                        format!("@{domain}"),
                        Params::domain(domain),
                    );
                } else if !own && idt.tier == Tier::A {
                    out.add_with(
                        codes::PERSONAL_EMAIL_HANDLE,
                        0.7,
                        format!("@{domain}"),
                        Params::domain(domain),
                    );
                }
            }
        }
        _ => {}
    }
    outcome
}

/// The calling code of an international number, for the user's sentence.
fn country(digits: &str) -> Params {
    Params {
        country: Some(country_prefix(digits).to_string()),
        ..Params::default()
    }
}

/// The first one to three digits of an international number, for evidence.
fn country_prefix(digits: &str) -> &str {
    for code in [
        "852", "853", "886", "855", "856", "880", "971", "63", "60", "65", "66", "84", "95", "44",
        "81", "82", "86", "1", "7",
    ] {
        if digits.starts_with(code) {
            return &digits[..code.len()];
        }
    }
    &digits[..digits.len().min(3)]
}

/// The identity whose service number, SMS port or mail domain this handle is. A mail domain
/// (not a free-mail provider's) is first tried against the claimed body (a government body owns its region's government
/// domains), then against every body's own domains.
fn official_owner(kind: &HandleKind, claim: Option<&NameClaim>, lex: &Lexicons) -> Option<usize> {
    let ids = &lex.identities;
    match kind {
        // A free-mail domain (qq.com, icloud.com) is anyone's, even where a body lists it.
        HandleKind::Email { domain } if lex.mail_providers.contains(domain) => None,
        HandleKind::Email { domain } => claim
            .map(|c| c.index)
            .filter(|&i| ids.get(i).tier != Tier::C && mail_is_from(domain, ids.get(i)))
            .or_else(|| ids.identities().iter().position(|i| i.owns_domain(domain))),
        HandleKind::ShortCode { digits } => ids.owner_of_number(digits).or_else(|| {
            // Enterprise SMS ports end in the sender's service number: 1069 8009 5588.
            if digits.starts_with("106") {
                (5..=6)
                    .filter(|&n| digits.len() > n + 3)
                    .find_map(|n| ids.owner_of_number(&digits[digits.len() - n..]))
            } else {
                None
            }
        }),
        HandleKind::International { digits } | HandleKind::National { digits } => {
            let national = match kind {
                HandleKind::International { .. } => digits.strip_prefix("86")?,
                _ => digits.as_str(),
            };
            let national = national.trim_start_matches('0');
            if let Some(i) = ids.owner_of_number(national) {
                return Some(i);
            }
            // Area code + service number, as genuine 96110 calls show ("0571-96110").
            (5..=6).filter(|&n| national.len() > n).find_map(|n| {
                let (area, number) = national.split_at(national.len() - n);
                (2..=3)
                    .contains(&area.len())
                    .then(|| ids.owner_of_number(number))
                    .flatten()
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> &'static Lexicons {
        Lexicons::shared_for_tests()
    }

    #[test]
    fn handles_are_classified() {
        assert_eq!(
            classify_handle("+1 213 555 0147"),
            HandleKind::International {
                digits: "12135550147".into()
            }
        );
        assert_eq!(
            classify_handle("0086 138 0000 0000"),
            HandleKind::International {
                digits: "8613800000000".into()
            }
        );
        assert_eq!(
            classify_handle("95588"),
            HandleKind::ShortCode {
                digits: "95588".into()
            }
        );
        assert_eq!(
            classify_handle("106980095588"),
            HandleKind::ShortCode {
                digits: "106980095588".into()
            }
        );
        assert_eq!(
            classify_handle("someone@ICLOUD.com"),
            HandleKind::Email {
                domain: "icloud.com".into()
            }
        );
        assert_eq!(
            classify_handle("0532-88881234"),
            HandleKind::National {
                digits: "053288881234".into()
            }
        );
        assert_eq!(classify_handle("RoyalMail"), HandleKind::SenderId);
        assert_eq!(classify_handle("NHSvaccine"), HandleKind::SenderId);
        assert_eq!(classify_handle("line:myship_service"), HandleKind::Other);
        assert_eq!(
            classify_handle("ThisIsFarTooLongForAnId"),
            HandleKind::Other
        );
        assert_eq!(classify_handle(""), HandleKind::Other);
        // Hong Kong's registered senders carry a "#".
        assert_eq!(classify_handle("#HSBC"), HandleKind::SenderId);
        assert_eq!(
            classify_handle("#18222"),
            HandleKind::ShortCode {
                digits: "18222".into()
            }
        );
        assert_eq!(classify_handle("#"), HandleKind::Other);
        assert_eq!(classify_handle("#not a sender"), HandleKind::Other);
    }

    /// The party signals of a stranger with `handle` and display name `name`, read in `locale`.
    fn party_in(locale: Locale, handle: &str, name: &str) -> SignalSet {
        let from = Party {
            handle: handle.into(),
            display_name: Some(name.into()),
            ..Party::default()
        };
        let mut s = SignalSet::new();
        let claim = crate::detect::detect_name(name, lex(), &mut s);
        detect_party(&from, locale, claim.as_ref(), lex(), &mut s);
        s
    }

    fn party(handle: &str, name: &str) -> SignalSet {
        party_in(Locale::ZhHans, handle, name)
    }

    fn party_en(handle: &str, name: &str) -> SignalSet {
        party_in(Locale::En, handle, name)
    }

    #[test]
    fn handles_that_cannot_belong_to_the_claim() {
        assert!(
            party("+1 213 555 0147", "厦门市公安局").has(codes::FOREIGN_HANDLE_FOR_DOMESTIC_CLAIM)
        );
        assert!(
            !party("+86 592 1234567", "厦门市公安局").has(codes::FOREIGN_HANDLE_FOR_DOMESTIC_CLAIM)
        );
        assert!(party("jingguan110@icloud.com", "反诈中心").has(codes::PERSONAL_EMAIL_HANDLE));
        assert!(party("+63 912 345 6789", "").has(codes::INTERNATIONAL_HANDLE));
    }

    #[test]
    fn a_contact_abroad_is_no_foreign_claim() {
        let from = Party {
            handle: "+44 7700 900123".into(),
            display_name: Some("Sheriff Woody".into()),
            in_contacts: true,
            ..Party::default()
        };
        let mut s = SignalSet::new();
        let claim = crate::detect::detect_name("Sheriff Woody", lex(), &mut s);
        assert!(claim.is_some(), "the name still reads as a claim");
        detect_party(&from, Locale::En, claim.as_ref(), lex(), &mut s);
        assert!(!s.has(codes::FOREIGN_HANDLE_FOR_DOMESTIC_CLAIM));
        assert!(!s.has(codes::INTERNATIONAL_HANDLE));
        let stranger = party("+44 7700 900123", "Sheriff Woody");
        assert!(stranger.has(codes::FOREIGN_HANDLE_FOR_DOMESTIC_CLAIM));
    }

    #[test]
    fn a_bodys_own_mail_domain_is_its_own_sender() {
        // Listed domains, and their hosts.
        assert!(party_en("noreply@actionfraud.police.uk", "Action Fraud")
            .has(codes::OFFICIAL_SENDER_NUMBER));
        assert!(
            party_en("alerts@notify.ato.gov.au", "Australian Taxation Office")
                .has(codes::OFFICIAL_SENDER_NUMBER)
        );
        // A public body's mail from its region's government domains.
        let cra = party_en("notification@cra-arc.gc.ca", "Canada Revenue Agency");
        assert!(cra.has(codes::OFFICIAL_SENDER_NUMBER));
        assert!(!cra.has(codes::PERSONAL_EMAIL_HANDLE));
        // Another region's government, a look-alike, a free mailbox: not its own.
        for handle in [
            "notification@cra.gov.uk",
            "refund@cra-arc.gc.ca.refund.top",
            "refund@gc.ca-refund.com",
            "cra.refunds@gmail.com",
        ] {
            let s = party_en(handle, "Canada Revenue Agency");
            assert!(!s.has(codes::OFFICIAL_SENDER_NUMBER), "{handle}");
        }
        // A company does not own its country's government domains.
        assert!(
            !party_en("support@service.gov.uk", "Lloyds Bank").has(codes::OFFICIAL_SENDER_NUMBER)
        );
        // Without a name, the domain alone names its owner.
        assert!(party_en("noreply@actionfraud.police.uk", "").has(codes::OFFICIAL_SENDER_NUMBER));
    }

    #[test]
    fn hong_kong_registered_senders() {
        assert!(party("#18222", "").has(codes::OFFICIAL_SENDER_NUMBER));
        assert!(party("#HSBC", "").has(codes::SHORT_CODE_SENDER));
        assert!(!party("+852 5412 3398", "").has(codes::SHORT_CODE_SENDER));
    }

    #[test]
    fn official_numbers_are_recognised() {
        assert!(party("95588", "").has(codes::OFFICIAL_SENDER_NUMBER));
        assert!(party("106980095588", "").has(codes::OFFICIAL_SENDER_NUMBER));
        assert!(party("+86 571 96110", "").has(codes::OFFICIAL_SENDER_NUMBER));
        assert!(party("0571-96110", "").has(codes::OFFICIAL_SENDER_NUMBER));
        assert!(!party("+86 138 0000 0000", "").has(codes::OFFICIAL_SENDER_NUMBER));
        assert!(!party("0532-1102345", "").has(codes::OFFICIAL_SENDER_NUMBER));
        assert!(party("10691888123456", "").has(codes::SHORT_CODE_SENDER));
        assert!(!party("+86 138 0000 0000", "").has(codes::SHORT_CODE_SENDER));
        // A bank's short code does not vouch for a police name.
        assert!(!party("95588", "公安局").has(codes::OFFICIAL_SENDER_NUMBER));
    }
}
