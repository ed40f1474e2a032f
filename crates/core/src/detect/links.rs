//! Links: every link in a text, judged one by one.

use crate::lexicon::{words, Lexicons};
use crate::signal::{codes, Params, SignalSet};
use crate::url::{analyse_url, borrows_named_brand, find_links};

/// Finds and judges the links in `text`; returns how many there were.
pub fn detect_links(text: &str, lex: &Lexicons, out: &mut SignalSet) -> usize {
    let links = find_links(text);
    let mut names: Option<Vec<String>> = None;
    for l in &links {
        let mut report = analyse_url(&l.url, l.obfuscated, lex);
        let judged = [
            codes::LINK_OFFICIAL_DOMAIN,
            codes::LINK_BRAND_IMPERSONATION,
            codes::LINK_LOOKALIKE_DOMAIN,
            codes::LINK_CONTENT_HOST,
        ]
        .iter()
        .any(|c| report.signals.has(c));
        if !judged {
            let names = names.get_or_insert_with(|| names_in_text(text));
            if let Some(name) = borrows_named_brand(&report, names) {
                let reg = report.registrable.clone().unwrap_or_default();
                report.signals.add_with(
                    codes::LINK_BRAND_IMPERSONATION,
                    0.9,
                    format!("{reg} uses the name {name} of the text"),
                    Params::domain(&report.host),
                );
            }
        }
        out.merge(&report.signals);
    }
    links.len()
}

/// The brand names a text may carry that the lexicon does not list: capitalised Latin words
/// of four letters or more ("Disney+", "HULU"), outside its links, lower-cased. Service words
/// ("Login", "Update") and sentence openers are no names.
fn names_in_text(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for token in text.split_whitespace() {
        // Chinese runs into its links without a space ("【Booking.com】您的…请点击https://…"):
        // the words before a link's scheme or "www." are still the text's.
        let token = token
            .find("://")
            .map(|at| token[..at].trim_end_matches(|c: char| c.is_ascii_alphabetic()))
            .unwrap_or(token);
        let token = token.find("www.").map_or(token, |at| &token[..at]);
        for word in token.split(|c: char| !c.is_ascii_alphanumeric()) {
            let starts_upper = word.chars().next().is_some_and(|c| c.is_ascii_uppercase());
            if word.len() < 4 || !starts_upper || !word.chars().all(|c| c.is_ascii_alphabetic()) {
                continue;
            }
            let lower = word.to_ascii_lowercase();
            if words::not_brand_names().contains(&lower.as_str())
                || words::link_lure_words().contains(&lower.as_str())
                || names.contains(&lower)
            {
                continue;
            }
            names.push(lower);
        }
    }
    names
}

/// Judges one link the user opened or an app was downloaded from.
pub fn detect_link(url: &str, lex: &Lexicons, out: &mut SignalSet) {
    out.merge(&analyse_url(url, false, lex).signals);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signals(text: &str) -> SignalSet {
        let mut out = SignalSet::new();
        detect_links(text, &Lexicons::builtin().expect("lexicons"), &mut out);
        out
    }

    #[test]
    fn a_brand_named_in_the_text_and_glued_to_service_words_in_the_host() {
        let s =
            signals("Disney+ 通知：付款失敗，請登入 https://disneyplus-tw-billing.top/login 更新");
        assert!(s.has(codes::LINK_BRAND_IMPERSONATION));
        let s = signals("Hulu: your payment failed. Update it at https://hulubilling.top/card");
        assert!(s.has(codes::LINK_BRAND_IMPERSONATION));
        // Chinese text with no space before the link still names the brand.
        let s = signals(
            "【Booking.com】信用卡验证未通过，请点击https://booking-card-confirm.top/r/1重新验证",
        );
        assert!(s.has(codes::LINK_BRAND_IMPERSONATION));
    }

    #[test]
    fn the_brands_own_site_and_unnamed_hosts_are_not_read_as_borrowed() {
        for text in [
            "Disney+: your plan renews on 3 May. Manage it at https://www.disneyplus.com/account",
            "Disney+ 付款已完成 https://help.disneyplus.com/billing",
            // The host's words are not named in the text.
            "Your payment failed, update it at https://stream-billing.top/login",
            // Named, but the host adds no service word.
            "Hulu night at ours? Menu at https://hulu-pizza.top",
        ] {
            assert!(
                !signals(text).has(codes::LINK_BRAND_IMPERSONATION),
                "{text}"
            );
        }
    }
}
