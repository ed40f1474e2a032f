//! Judging one link: what its registrable domain really is (by the public suffix list), and
//! whether it dresses up as a protected brand, hides behind an IP address or a shortener,
//! downloads an app, or mixes scripts in its host name.

use crate::lexicon::lists::brand_label;
use crate::lexicon::words;
use crate::lexicon::Lexicons;
use crate::signal::{codes, Params, SignalSet};
use crate::text::latin_key;
use unicode_security::MixedScript;
use url::{Host, Url};

/// What one link turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkReport {
    /// The host as written (Unicode for internationalised names).
    pub host: String,
    /// The registrable domain, when the host is a name under a known suffix.
    pub registrable: Option<String>,
    /// What was found.
    pub signals: SignalSet,
}

/// Judges `raw` (with or without a scheme). `obfuscated` says the text disguised it.
pub fn analyse_url(raw: &str, obfuscated: bool, lex: &Lexicons) -> LinkReport {
    analyse(raw, obfuscated, lex, MAX_HOPS)
}

/// Most redirectors followed in a chain.
const MAX_HOPS: u8 = 3;

/// The web address a link forwards to through one of its query parameters, when that is
/// another site.
fn redirect_target(url: &Url, registrable: &str) -> Option<String> {
    url.query_pairs().find_map(|(k, v)| {
        if !words::redirect_params().contains(&k.as_ref()) {
            return None;
        }
        let target = Url::parse(v.trim()).ok()?;
        if !matches!(target.scheme(), "http" | "https") {
            return None;
        }
        let host = target
            .host_str()?
            .trim_end_matches('.')
            .to_ascii_lowercase();
        let elsewhere = !super::is_within(&host, registrable);
        elsewhere.then(|| target.to_string())
    })
}

fn analyse(raw: &str, obfuscated: bool, lex: &Lexicons, hops: u8) -> LinkReport {
    let mut signals = SignalSet::new();
    let raw = raw.trim();
    let with_scheme = if raw.contains("://") {
        raw.to_string()
    } else {
        format!("http://{raw}")
    };
    if obfuscated {
        signals.add(codes::LINK_OBFUSCATED, 1.0, host_of(raw));
    }
    let Ok(url) = Url::parse(&with_scheme) else {
        signals.add(codes::LINK_PRESENT, 1.0, host_of(raw));
        return LinkReport {
            host: String::new(),
            registrable: None,
            signals,
        };
    };
    signals.add(codes::LINK_PRESENT, 1.0, host_of(raw));
    if url.scheme() == "itms-services" {
        signals.add(codes::LINK_APP_DOWNLOAD, 1.0, "itms-services://");
    }
    if !url.username().is_empty() || url.password().is_some() {
        signals.add_with(
            codes::LINK_USERINFO,
            1.0,
            format!("{}@…", url.username()),
            Params {
                name: Some(url.username().to_string()).filter(|u| !u.is_empty()),
                domain: url.host_str().map(str::to_string),
                ..Params::default()
            },
        );
    }
    let path = url.path().to_ascii_lowercase();
    if let Some(ending) = words::download_endings()
        .iter()
        .find(|e| path.ends_with(*e))
    {
        signals.add(
            codes::LINK_APP_DOWNLOAD,
            1.0,
            format!("{} file", &ending[1..]),
        );
    }

    let host = match url.host() {
        Some(Host::Ipv4(ip)) => return ip_host(ip.to_string(), signals),
        Some(Host::Ipv6(ip)) => return ip_host(ip.to_string(), signals),
        Some(Host::Domain(d)) => d.trim_end_matches('.').to_string(),
        None => {
            return LinkReport {
                host: String::new(),
                registrable: None,
                signals,
            }
        }
    };
    let (unicode_host, _) = idna::domain_to_unicode(&host);
    let registrable = psl::domain_str(&host).map(str::to_string);

    // Internationalised host names: mixed scripts in one label, and look-alikes of brands.
    if !unicode_host.is_ascii() {
        for label in unicode_host.split('.') {
            if !label.is_ascii() && !label.is_single_script() {
                signals.add_with(
                    codes::LINK_MIXED_SCRIPT_HOST,
                    1.0,
                    unicode_host.clone(),
                    Params::domain(&unicode_host),
                );
            }
        }
    }

    // A link that forwards to another site is judged by where it lands (a few hops at
    // most): a brand's redirector ("google.com/url?q=…") vouches for nothing.
    let forwarded = registrable
        .as_deref()
        .filter(|_| hops > 0)
        .and_then(|r| redirect_target(&url, r));
    if let Some(target) = &forwarded {
        let mut landing = analyse(target, false, lex, hops - 1);
        signals.add_with(
            codes::LINK_REDIRECT,
            1.0,
            format!("{host} → {}", landing.host),
            Params {
                domain: Some(unicode_host.clone()),
                target: Some(landing.host.clone()).filter(|h| !h.is_empty()),
                ..Params::default()
            },
        );
        landing.signals.remove(codes::LINK_PRESENT);
        landing.signals.remove(codes::LINK_OFFICIAL_DOMAIN);
        signals.merge(&landing.signals);
    }

    // Brands' own domains, except their hosts for user content (forms, documents, pages)
    // where anyone can publish a phishing form, and links they forward elsewhere.
    let own = registrable
        .as_deref()
        .is_some_and(|r| lex.brands.is_official(r));
    let content_host = own && lex.content_hosts.contains(&host);
    let official = own && !content_host && forwarded.is_none();
    if official {
        signals.add(
            codes::LINK_OFFICIAL_DOMAIN,
            1.0,
            registrable.clone().unwrap_or_default(),
        );
    }

    if let Some(reg) = &registrable {
        if lex.shorteners.contains(reg) || lex.shorteners.contains(&host) {
            signals.add_with(
                codes::LINK_SHORTENER,
                1.0,
                host.clone(),
                Params::domain(&unicode_host),
            );
        }
        let suffix = psl::suffix_str(&host).unwrap_or("");
        let tld = suffix.rsplit('.').next().unwrap_or(suffix);
        if lex.risky_tlds.contains(tld) {
            signals.add_with(
                codes::LINK_RISKY_TLD,
                1.0,
                format!(".{tld}"),
                Params::domain(&unicode_host),
            );
        }
        // A brand's own host that publishes anyone's pages (www.icloud.com, docs.google.com)
        // is not a look-alike of itself: it is a page the brand does not vouch for.
        if content_host {
            signals.add_with(
                codes::LINK_CONTENT_HOST,
                1.0,
                host.clone(),
                Params::domain(&unicode_host),
            );
        } else if !own {
            brand_checks(&host, &unicode_host, reg, &path, lex, &mut signals);
        }
    }
    LinkReport {
        host: unicode_host,
        registrable,
        signals,
    }
}

fn brand_checks(
    host: &str,
    unicode_host: &str,
    reg: &str,
    path: &str,
    lex: &Lexicons,
    signals: &mut SignalSet,
) {
    let suffix_len = psl::suffix_str(host).map_or(0, str::len);
    let before_suffix = &host[..host.len().saturating_sub(suffix_len + 1)];
    // Brand names used as words of the host: "icbc-verify.com", "usps.com-track.xyz",
    // "paypal.secure-login.top".
    let mut tokens: Vec<&str> = before_suffix
        .split(['.', '-'])
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.first() == Some(&"www") {
        tokens.remove(0);
    }
    for t in &tokens {
        if let Some(brand) = lex.brands.by_label(t) {
            signals.add_with(
                codes::LINK_BRAND_IMPERSONATION,
                1.0,
                format!("{reg} uses the name of {brand}"),
                imitates(unicode_host, brand),
            );
            return;
        }
        // A brand glued to service words on either side: "icbcpay", "amazonsupportcenter",
        // "myappleidverify", or to its own domain's suffix: "openseaio", "curvefi-airdrop".
        for (label, brand) in lex.brands.labels_within(t) {
            if t.len() > label.len() && glued_to_lure_words(t, label, brand) {
                signals.add_with(
                    codes::LINK_BRAND_IMPERSONATION,
                    0.9,
                    format!("{reg} uses the name of {brand}"),
                    imitates(unicode_host, brand),
                );
                return;
            }
        }
    }
    // A brand split by hyphens or dots: "pay-pal-login.com", "wells-fargo.alerts.top".
    for n in [2, 3] {
        for w in tokens.windows(n) {
            if w.iter().any(|t| t.len() < 2) {
                continue;
            }
            let joined = w.concat();
            if joined.len() < 5 {
                continue;
            }
            let brand = lex
                .brands
                .by_label(&joined)
                .or_else(|| lex.brands.by_key(&joined));
            if let Some(brand) = brand {
                if joined != brand_label(reg) {
                    signals.add_with(
                        codes::LINK_LOOKALIKE_DOMAIN,
                        0.9,
                        format!("{reg} spells {brand} in pieces"),
                        imitates(unicode_host, brand),
                    );
                    return;
                }
            }
        }
    }
    // Look-alikes: the same key after undoing look-alike letters ("paypa1", "1cbc", Cyrillic
    // "аpple"), or one edit away from a longer brand name ("amazom").
    let reg_label = brand_label(reg);
    let unicode_label = unicode_host
        .rsplit('.')
        .nth(reg.matches('.').count())
        .unwrap_or(reg_label);
    for candidate in [unicode_label, reg_label]
        .into_iter()
        .chain(tokens.iter().copied())
    {
        if candidate.len() < 4 || lex.brands.by_label(candidate).is_some() {
            continue;
        }
        if let Some(brand) = lex.brands.by_key(candidate) {
            signals.add_with(
                codes::LINK_LOOKALIKE_DOMAIN,
                1.0,
                format!("{unicode_host} looks like {brand}"),
                imitates(unicode_host, brand),
            );
            return;
        }
    }
    // Six letters at least: shorter names are one edit away from ordinary words
    // ("chase"/"phase", "apple"/"apply"). Letters are compared as written too: the key spells
    // "m" as "rn", so a swap beside an "m" ("arbitrmu") is one edit only in the letters.
    if reg_label.len() >= 6 {
        let key = latin_key(reg_label);
        for (label, label_key, brand) in lex.brands.label_keys() {
            if label.len() >= 6
                && label != reg_label
                && (edit_distance_is_one(&key, label_key) || edit_distance_is_one(reg_label, label))
            {
                signals.add_with(
                    codes::LINK_LOOKALIKE_DOMAIN,
                    0.8,
                    format!("{reg} looks like {brand}"),
                    imitates(unicode_host, brand),
                );
                return;
            }
        }
    }
    // A brand name as a folder of an unrelated site: "evil.top/icbc/login". Articles mention
    // brands in their paths all the time, so a brand folder alone is weak; with a login-like word
    // beside it, it reads like a phishing kit.
    let segments: Vec<&str> = path
        .split(['/', '-', '_', '.', '?', '=', '&'])
        .filter(|s| !s.is_empty())
        .collect();
    let login_like = segments
        .iter()
        .any(|s| words::link_path_words().contains(s));
    for seg in segments.iter().filter(|s| s.len() >= 4) {
        if let Some(brand) = lex.brands.by_label(seg) {
            let strength = if login_like { 0.8 } else { 0.3 };
            signals.add_with(
                codes::LINK_BRAND_IMPERSONATION,
                strength,
                format!("{reg} puts {brand} in its path"),
                imitates(unicode_host, brand),
            );
            return;
        }
    }
}

/// The name of a brand the lexicon does not list, read from the message: a link whose
/// registrable label puts one of `names` (capitalised words of the text, lower-cased) beside
/// service words ("Disney+ …" and "disneyplus-tw-billing.top", "Hulu" and "hulubilling.top").
/// The brand's own site carries its name alone ("disneyplus.com") and is not flagged; nor is a
/// host under a listed brand, which the lexicon already judged.
pub fn borrows_named_brand(report: &LinkReport, names: &[String]) -> Option<String> {
    let reg = report.registrable.as_deref()?;
    if names.is_empty() || !reg.is_ascii() {
        return None;
    }
    let label = brand_label(reg);
    let parts: Vec<&str> = label.split('-').filter(|p| !p.is_empty()).collect();
    names.iter().find_map(|name| {
        let named = parts.iter().enumerate().any(|(i, part)| {
            let Some(rest) = part.strip_prefix(name.as_str()) else {
                return false;
            };
            // Glued ("hulubilling") or beside a service word ("disneyplus-tw-billing").
            let glued = !rest.is_empty() && lure_compound(rest);
            let beside = parts
                .iter()
                .enumerate()
                .any(|(j, other)| j != i && other.len() > 1 && lure_compound(other));
            glued || beside
        });
        named.then(|| name.clone())
    })
}

/// Whether `token` is `label` with service words (or digits) glued before or after it, and
/// something glued at all. Right after the label, the suffix of the brand's own domain
/// `brand` may come first, written without its dots ("openseaio", "pancakeswapfinance").
fn glued_to_lure_words(token: &str, label: &str, brand: &str) -> bool {
    let own_suffix = brand.get(label.len() + 1..).unwrap_or("").replace('.', "");
    token.match_indices(label).any(|(at, _)| {
        let (before, after) = (&token[..at], &token[at + label.len()..]);
        lure_compound(before)
            && (lure_compound(after)
                || after
                    .strip_prefix(own_suffix.as_str())
                    .is_some_and(lure_compound))
    })
}

/// Whether `s` is empty, a run of digits, or a sequence of link lure words
/// (`data/link_lure_words.txt`): "supportcenter".
fn lure_compound(s: &str) -> bool {
    if s.is_empty() || s.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    // Breaks reachable from the start; short strings, so a simple table.
    let mut ok = vec![false; s.len() + 1];
    ok[0] = true;
    for i in 0..s.len() {
        if !ok[i] {
            continue;
        }
        for w in words::link_lure_words() {
            if s[i..].starts_with(w) {
                ok[i + w.len()] = true;
            }
        }
        let digits = s[i..].bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            ok[i + digits] = true;
        }
    }
    ok[s.len()]
}

/// The user's sentence for a link that dresses up as `brand`: the host they see and the
/// brand's own domain.
fn imitates(host: &str, brand: &str) -> Params {
    Params {
        domain: Some(host.to_string()),
        brand: Some(brand.to_string()),
        ..Params::default()
    }
}

/// Whether `a` and `b` differ by exactly one insertion, deletion, substitution or swap of
/// neighbours.
fn edit_distance_is_one(a: &str, b: &str) -> bool {
    // Every brand is compared with every host: labels are ASCII, so compare their bytes
    // without allocating; other scripts go by characters.
    if a.is_ascii() && b.is_ascii() {
        return one_edit(a.as_bytes(), b.as_bytes());
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    one_edit(&a, &b)
}

/// Whether `a` and `b` differ by exactly one insertion, deletion, substitution or swap of
/// neighbours.
fn one_edit<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    if a == b || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    if ra.len() == rb.len() {
        // substitution, or a swap of two neighbours
        ra[1..] == rb[1..]
            || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
    } else if ra.len() > rb.len() {
        ra[1..] == *rb
    } else {
        *ra == rb[1..]
    }
}

/// The host part of a link as written, for evidence: never its path, query or fragment,
/// which can carry a victim's token or identity (`?token=…`), and never a user name.
fn host_of(raw: &str) -> String {
    let rest = raw.split_once("://").map_or(raw, |(_, r)| r);
    let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    short(host)
}

fn short(s: &str) -> String {
    if s.chars().count() > 80 {
        s.chars().take(79).collect::<String>() + "…"
    } else {
        s.to_string()
    }
}

/// The report on a link to a bare IP address: no name to judge, and that is the signal.
fn ip_host(ip: String, mut signals: SignalSet) -> LinkReport {
    signals.add_with(
        codes::LINK_IP_HOST,
        1.0,
        ip.clone(),
        Params::domain(ip.clone()),
    );
    LinkReport {
        host: ip,
        registrable: None,
        signals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> &'static Lexicons {
        Lexicons::shared_for_tests()
    }

    #[test]
    fn evidence_keeps_the_host_not_the_path_or_query() {
        for raw in [
            "https://icbc-verify.com/login?token=s3cret&id=13800000000#frag",
            "icbc-verify.com/login?token=s3cret",
            "http://user:pw@icbc-verify.com:8080/x?token=s3cret",
            "hxxp://icbc-verify[.]com/a?token=s3cret",
        ] {
            let report = analyse_url(raw, raw.starts_with("hxxp"), lex());
            for s in report.signals.iter() {
                for e in &s.1.evidence {
                    assert!(!e.contains("s3cret") && !e.contains("/login"), "{raw}: {e}");
                    // The user name stays: it is the lure ("paypal.com@evil.example").
                    assert!(
                        !e.contains("pw") && !e.contains("13800000000"),
                        "{raw}: {e}"
                    );
                }
            }
        }
    }

    fn codes_of(url: &str) -> Vec<String> {
        analyse_url(url, false, lex())
            .signals
            .iter()
            .map(|(c, _)| c.to_string())
            .collect()
    }

    #[test]
    fn official_domains_are_recognised() {
        let c = codes_of("https://www.icbc.com.cn/login");
        assert!(c.contains(&"link_official_domain".into()), "{c:?}");
        assert!(!c.contains(&"link_brand_impersonation".into()));
    }

    #[test]
    fn brand_impersonation_and_lookalikes() {
        for u in [
            "http://icbc-verify.com",
            "https://usps.com-track.xyz/pay",
            "http://paypal.secure-login.top",
            "http://appleid-secure.com",
        ] {
            assert!(
                codes_of(u).contains(&"link_brand_impersonation".into()),
                "{u}: {:?}",
                codes_of(u)
            );
        }
        for u in [
            "http://paypa1.com",
            "http://1cbc.com.cn",
            "https://аpple.com",
            "http://amazom.com",
        ] {
            assert!(
                codes_of(u).contains(&"link_lookalike_domain".into()),
                "{u}: {:?}",
                codes_of(u)
            );
        }
        assert!(codes_of("https://аpple.com").contains(&"link_lookalike_domain".into()));
        assert!(!codes_of("http://applebees.com").contains(&"link_brand_impersonation".into()));
        for u in ["http://phase.com", "http://apply.com", "http://chair.com"] {
            assert!(
                !codes_of(u).contains(&"link_lookalike_domain".into()),
                "{u}"
            );
        }
        assert!(!codes_of("https://docs.qq.com/form/x").contains(&"link_official_domain".into()));
        for u in [
            "https://www.icloud.com/iclouddrive/0abc",
            "https://docs.google.com/forms/d/x",
        ] {
            expect(
                u,
                &["link_content_host"],
                &["link_official_domain", "link_brand_impersonation"],
            );
        }
        assert!(codes_of("http://evil.top/icbc/login").contains(&"link_brand_impersonation".into()));
        for u in [
            "http://wellsfargoalerts.net",
            "http://uspsredelivery.info/a",
        ] {
            expect(u, &["link_brand_impersonation"], &[]);
        }
    }

    /// Asserts that `url` raises every code of `has` and none of `lacks`.
    fn expect(url: &str, has: &[&str], lacks: &[&str]) {
        let c = codes_of(url);
        for code in has {
            assert!(c.iter().any(|x| x == code), "{url}: no {code} in {c:?}");
        }
        for code in lacks {
            assert!(!c.iter().any(|x| x == code), "{url}: {code} in {c:?}");
        }
    }

    #[test]
    fn a_redirect_is_judged_by_where_it_lands() {
        expect(
            "https://www.google.com.mx/url?sa=t&url=http%3A%2F%2Fpaypal-verify.top%2Flogin",
            &[
                "link_redirect",
                "link_brand_impersonation",
                "link_risky_tld",
            ],
            &["link_official_domain"],
        );
        expect(
            "https://l.facebook.com/l.php?u=https%3A%2F%2Ffacebook-security-check.com%2F&h=x",
            &["link_redirect", "link_brand_impersonation"],
            &[],
        );
        // The redirector is not a content host: a harmless landing adds nothing but the hop.
        expect(
            "https://www.google.com/url?q=https%3A%2F%2Fexample.org%2Fx",
            &["link_redirect"],
            &["link_content_host", "link_official_domain"],
        );
        // Search terms, links within the same site and non-web targets are not forwarding.
        for u in [
            "https://www.google.com.br/search?q=suporte+itau",
            "https://www.amazon.com/ap/signin?return_to=x&next=https%3A%2F%2Fwww.amazon.com%2Fgp",
            "https://www.google.com/url?q=javascript:alert(1)",
        ] {
            expect(u, &["link_official_domain"], &["link_redirect"]);
        }
        // A chain of redirectors is followed to its end, a few hops at most.
        expect(
            "https://www.google.com/url?q=https%3A%2F%2Fwww.google.de%2Furl%3Fq%3Dhttp%3A%2F%2Fevil.top",
            &["link_redirect", "link_risky_tld"],
            &[],
        );
    }

    #[test]
    fn letter_pairs_split_names_and_glued_service_words() {
        for u in [
            "http://vvellsfargo.com/login",
            "http://arnazon.co/signin",
            "http://lloyclsbank.com",
            "http://paypaI.com",
        ] {
            expect(u, &["link_lookalike_domain"], &["link_official_domain"]);
        }
        for u in [
            "http://pay-pal-login.com/",
            "http://wells-fargo.alerts.top/",
            "http://secure.apple.id-verify.top",
        ] {
            let c = codes_of(u);
            assert!(
                c.iter()
                    .any(|x| x == "link_lookalike_domain" || x == "link_brand_impersonation"),
                "{u}: {c:?}"
            );
        }
        for u in [
            "http://amazonsupportcenter.top/",
            "http://myappleidverify.com/",
            "http://icbcpay2024.cc/",
        ] {
            expect(u, &["link_brand_impersonation"], &[]);
        }
        // Ordinary words that hold a brand's letters, and brands' own names, stay quiet.
        for u in [
            "http://www.clearwater.com/",
            "http://paypalace.com/",
            "https://www.wellsfargo.com/",
            "http://the-app.com/",
        ] {
            expect(
                u,
                &[],
                &["link_lookalike_domain", "link_brand_impersonation"],
            );
        }
    }

    #[test]
    fn crypto_lookalikes_wallet_words_own_suffixes_and_swaps() {
        // Wallet and airdrop words glued to a brand, the brand glued to its own domain's
        // suffix, and a swap beside an "m" (one edit in letters, two in the look-alike key).
        for u in [
            "http://ledgerwallet-support.com/",
            "http://metamasksync.netlify.app/",
            "http://openseadrop.net/",
            "http://trezorwallet-sync.com/",
            "http://openseaio.com/",
            "http://curvefi-airdrop.org/",
            "http://pancakeswapfinance.org/",
            "http://uniswaporg.com/",
        ] {
            expect(u, &["link_brand_impersonation"], &["link_official_domain"]);
        }
        expect("http://arbitrmu.io/", &["link_lookalike_domain"], &[]);
        // Real sites that share a brand's word with something that is no service word, and
        // the brands' own hosts, stay quiet.
        for u in [
            "https://openseamap.org/",
            "https://phantombuster.com/",
            "https://krakenjs.com/",
            "https://coinledger.io/",
            "https://ethereumclassic.org/",
            "https://aavegotchi.com/",
            "https://lidl.com/",
            "https://app.uniswap.org/swap",
            "https://docs.pancakeswap.finance/",
            "https://curve.finance/",
        ] {
            expect(
                u,
                &[],
                &["link_lookalike_domain", "link_brand_impersonation"],
            );
        }
        // The suffix counts only after the brand it belongs to.
        assert!(glued_to_lure_words("openseaio", "opensea", "opensea.io"));
        assert!(glued_to_lure_words(
            "openseaioclaim",
            "opensea",
            "opensea.io"
        ));
        assert!(!glued_to_lure_words("openseafi", "opensea", "opensea.io"));
        assert!(!glued_to_lure_words("ioopensea", "opensea", "opensea.io"));
    }

    #[test]
    fn lure_compounds() {
        assert!(lure_compound("supportcenter"));
        assert!(lure_compound("2024"));
        assert!(lure_compound(""));
        assert!(!lure_compound("ace"));
        assert!(!lure_compound("bees"));
    }

    #[test]
    fn a_brands_listed_national_sites_are_its_own() {
        for u in [
            "https://www.amazon.de/gp/your-orders",
            "https://www.google.com.hk/",
            "https://www.dhl.de/track",
            "https://www.paypal.me/someone",
        ] {
            expect(
                u,
                &[],
                &["link_brand_impersonation", "link_lookalike_domain"],
            );
        }
        // Its name under any other country's domain is a look-alike: scam sites register
        // "paypal.sl" and "royalmail.ca".
        for u in [
            "http://amazon.tk/login",
            "http://amazon.shop-deals.de/x",
            "http://paypal.sl/",
            "https://royalmail.ca",
        ] {
            expect(u, &["link_brand_impersonation"], &[]);
        }
    }

    #[test]
    fn hosts_that_hide() {
        assert!(codes_of("http://61.222.251.66/my/mybank/").contains(&"link_ip_host".into()));
        assert!(codes_of("http://[::1]/x").contains(&"link_ip_host".into()));
        assert!(codes_of("https://t.cn/abc").contains(&"link_shortener".into()));
        assert!(codes_of("https://bit.ly/abc").contains(&"link_shortener".into()));
        assert!(codes_of("http://x.example.com/app.apk").contains(&"link_app_download".into()));
        assert!(codes_of("itms-services://?action=download-manifest")
            .contains(&"link_app_download".into()));
        assert!(codes_of("http://www.icbc.com.cn@evil.top/").contains(&"link_userinfo".into()));
        assert!(codes_of("http://pozmns.top/").contains(&"link_risky_tld".into()));
        let mixed = codes_of("http://xn--pple-43d.com/");
        assert!(mixed.contains(&"link_lookalike_domain".into()), "{mixed:?}");
    }

    #[test]
    fn broken_links_do_not_panic() {
        for u in [
            "",
            "http://",
            "::::",
            "http://%zz",
            "http://a b.com",
            &"x".repeat(10_000),
        ] {
            let _ = analyse_url(u, false, lex());
        }
    }

    #[test]
    fn one_edit() {
        assert!(edit_distance_is_one("amazom", "amazon"));
        assert!(edit_distance_is_one("amazn", "amazon"));
        assert!(edit_distance_is_one("amazoon", "amazon"));
        assert!(edit_distance_is_one("amzaon", "amazon"));
        assert!(!edit_distance_is_one("amazon", "amazon"));
        assert!(!edit_distance_is_one("ebay", "amazon"));
    }
}
