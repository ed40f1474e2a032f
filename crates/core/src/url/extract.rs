//! Finding links in running text, including the disguised forms scam texts use to slip past
//! filters: "hxxp://", "example[.]com", "example(dot)com", a full stop written "。", links
//! glued to Chinese text, and bare domains without a scheme.

use crate::lexicon::words;
use regex::Regex;
use std::sync::OnceLock;

/// Most links taken from one text; the rest are ignored.
pub const MAX_LINKS: usize = 16;

/// A link found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLink {
    /// The link as a URL with a scheme, ready to parse.
    pub url: String,
    /// Whether it was written in a disguised form.
    pub obfuscated: bool,
}

fn link_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Host characters: letters and digits of any script except CJK ideographs (Chinese text
        // runs straight into links), plus hyphen. A link is a scheme URL, a www. host, an IPv4
        // host with a port or path, or a bare domain whose suffix is checked afterwards.
        // Host characters: Latin (with accents), Greek, Cyrillic letters and digits, plus
        // hyphen; not CJK, because Chinese text runs straight into links. Small classes keep
        // the pattern inside the fast DFA engines.
        let label = r"[a-zA-Z0-9\u{00C0}-\u{024F}\u{0370}-\u{03FF}\u{0400}-\u{04FF}]";
        let label_inner = r"[a-zA-Z0-9\u{00C0}-\u{024F}\u{0370}-\u{03FF}\u{0400}-\u{04FF}\-]";
        let stop = r#"\s<>"'\u{3000}-\u{303F}\u{4E00}-\u{9FFF}\u{FF00}-\u{FFEF}"#;
        let host = format!(r"(?:{label}(?:{label_inner}{{0,62}})?\.)+(?:[a-zA-Z]{{2,24}}|[xX][nN]--[a-zA-Z0-9-]{{1,59}})");
        let tail = format!(r"(?::\d{{1,5}})?(?:[/?#][^{stop}]*)?");
        let ip = r"(?-u:\b)\d{1,3}(?:\.\d{1,3}){3}";
        // Chinese in a host name ("https://youxi淘.top", "yx淘.top"): after a scheme, labels may
        // hold Chinese characters when a Latin suffix follows; without one, only a label that
        // starts in Latin letters, so that the Chinese text before it is not taken in.
        let han = r"\u{4E00}-\u{9FFF}";
        let idn_scheme = format!(
            r"(?i:https?)://(?:[{han}a-zA-Z0-9\-]+\.)*[a-zA-Z0-9\-]*[{han}][{han}a-zA-Z0-9\-]*(?:\.[{han}a-zA-Z0-9\-]+)*\.[a-zA-Z]{{2,24}}{tail}"
        );
        let idn_bare = format!(r"[a-zA-Z0-9][a-zA-Z0-9\-]*[{han}]{{1,4}}\.[a-zA-Z]{{2,24}}{tail}");
        let pattern = format!(
            r"(?:{idn_scheme})|(?:(?i:https?|itms-services)://[^{stop}]+)|(?:{ip}(?::\d{{1,5}})?[/?#][^{stop}]*)|(?:{ip}:\d{{1,5}})|(?:{idn_bare})|(?:{host}{tail})"
        );
        Regex::new(&pattern).expect("link pattern compiles")
    })
}

/// The disguised spellings of `data/link_disguises.txt`, compiled once.
fn disguises() -> &'static aho_corasick::AhoCorasick {
    static AC: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        aho_corasick::AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(words::link_disguises().iter().map(|(d, _)| d))
            .expect("disguise patterns compile")
    })
}

/// Undoes the usual disguises. Returns the text and whether anything was undone.
fn deobfuscate(text: &str) -> (String, bool) {
    let ac = disguises();
    let mut changed = ac.is_match(text);
    let mut out = if changed {
        let to: Vec<&str> = words::link_disguises().iter().map(|(_, t)| *t).collect();
        ac.replace_all(text, &to)
    } else {
        text.to_string()
    };
    // Full-width and ideographic stops inside a link ("icbc。com"): only between ASCII letters.
    if out.contains(['。', '．', '｡']) {
        let chars: Vec<char> = out.chars().collect();
        let mut fixed = String::with_capacity(out.len());
        for (i, &c) in chars.iter().enumerate() {
            let between = i > 0
                && chars[i - 1].is_ascii_alphanumeric()
                && chars.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic());
            if matches!(c, '。' | '．' | '｡') && between {
                fixed.push('.');
                changed = true;
            } else {
                fixed.push(c);
            }
        }
        out = fixed;
    }
    (out, changed)
}

/// Every link in `text`, up to [`MAX_LINKS`].
pub fn find_links(text: &str) -> Vec<FoundLink> {
    // Quick exit: no dot, no link.
    let dotted = text.contains(['.', '。', '．', '｡', '点', '點']);
    let spelt_dot = text.contains(['[', '(']) && text.contains("dot");
    if !dotted && !spelt_dot {
        return Vec::new();
    }
    let (clean, obfuscated) = deobfuscate(text);
    let mut out: Vec<FoundLink> = Vec::new();
    for m in link_regex().find_iter(&clean) {
        if out.len() >= MAX_LINKS {
            break;
        }
        // An e-mail address is not a link.
        if clean[..m.start()].ends_with('@') {
            continue;
        }
        let file = app_file_named_in_chinese(m.as_str(), &clean[m.end()..]);
        let raw = match &file {
            Some(whole) => whole.as_str(),
            None => m
                .as_str()
                .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '}', '\'', '"', '-']),
        };
        if raw.is_empty() {
            continue;
        }
        let lower = raw.to_ascii_lowercase();
        let has_scheme = lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("itms-services://");
        if !has_scheme && !bare_domain_is_plausible(raw) {
            continue;
        }
        let url = if has_scheme {
            raw.to_string()
        } else {
            format!("http://{raw}")
        };
        let was_disguised = obfuscated && !text.contains(raw);
        if !out.iter().any(|l| l.url == url) {
            out.push(FoundLink {
                url,
                obfuscated: was_disguised,
            });
        }
    }
    out
}

/// Most characters of a Chinese file name read on past where the link pattern stopped.
const MAX_FILE_NAME_CHARS: usize = 40;

/// The link with its file name when a path runs into Chinese characters that end in an app's
/// file ending ("http://103.45.67.89/请柬.apk", "…/相簿.apk"): the pattern stops links at
/// Chinese text, which usually follows a link, but a Chinese file name is the lure itself.
fn app_file_named_in_chinese(link: &str, rest: &str) -> Option<String> {
    let after_host = link.split_once("://").map_or(link, |(_, r)| r);
    let has_path = after_host.contains('/');
    if !has_path || !rest.chars().next().is_some_and(crate::text::is_cjk) {
        return None;
    }
    let run: String = rest
        .chars()
        .take(MAX_FILE_NAME_CHARS)
        .take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    let lower = run.to_ascii_lowercase();
    let end = words::download_endings()
        .iter()
        .filter_map(|e| {
            lower
                .match_indices(*e)
                .map(|(at, _)| at + e.len())
                .find(|&end| {
                    !lower[end..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphanumeric())
                })
        })
        .min()?;
    Some(format!("{link}{}", &run[..end]))
}

/// A bare "word.word" is a link only if its suffix is a real public suffix and it does not look
/// like an abbreviation or a number ("e.g", "3.14", "Mr.Smith").
fn bare_domain_is_plausible(raw: &str) -> bool {
    let host = raw.split(['/', '?', '#', ':']).next().unwrap_or("");
    if host.chars().next().is_some_and(|c| c.is_ascii_digit())
        && host
            .split('.')
            .all(|l| l.chars().all(|c| c.is_ascii_digit()))
    {
        return true; // IPv4 with port or path, already checked by the pattern
    }
    let lower = host.to_lowercase();
    let ascii = match idna::domain_to_ascii(&lower) {
        Ok(a) => a,
        Err(_) => return false,
    };
    let Some(sfx) = psl::suffix(ascii.as_bytes()) else {
        return false;
    };
    if sfx.typ().is_none() {
        return false;
    }
    let first = ascii.split('.').next().unwrap_or("");
    first.len() >= 2 && ascii.len() > sfx.as_bytes().len() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<String> {
        find_links(text).into_iter().map(|l| l.url).collect()
    }

    #[test]
    fn finds_plain_and_bare_links() {
        assert_eq!(
            urls("点击 https://icbc-verify.com/login 立即处理"),
            vec!["https://icbc-verify.com/login"]
        );
        assert_eq!(
            urls("登录icbc-verify.com领取"),
            vec!["http://icbc-verify.com"]
        );
        assert_eq!(
            urls("visit www.example.co.uk/path?a=1."),
            vec!["http://www.example.co.uk/path?a=1"]
        );
        assert_eq!(
            urls("下载 http://104.221.196.227/app.apk"),
            vec!["http://104.221.196.227/app.apk"]
        );
        assert_eq!(
            urls("see 61.222.251.66/my/mybank now"),
            vec!["http://61.222.251.66/my/mybank"]
        );
        assert_eq!(
            urls("我们结婚啦，请柬：http://103.45.67.89/请柬.apk，快来"),
            vec!["http://103.45.67.89/请柬.apk"]
        );
        assert_eq!(
            urls("這是不是你？https://photo-share.cc/相簿.apk"),
            vec!["https://photo-share.cc/相簿.apk"]
        );
        // Chinese in a host name, with a scheme or after Latin letters.
        assert_eq!(
            urls("走这个交易网站 https://youxi淘.top/trade 我已经付款"),
            vec!["https://youxi淘.top/trade"]
        );
        assert_eq!(urls("上yx淘.top注册"), vec!["http://yx淘.top"]);
        assert_eq!(urls("打开https://abc.com请点击"), vec!["https://abc.com"]);
        // Chinese after a link that names no app file stays outside it.
        assert_eq!(
            urls("详情见 https://example.com/notice/查看全文"),
            vec!["https://example.com/notice/"]
        );
        assert_eq!(
            urls("usps.com-track.xyz/pay"),
            vec!["http://usps.com-track.xyz/pay"]
        );
    }

    #[test]
    fn undoes_disguises() {
        let found = find_links("open hxxp://evil[.]top/x");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].url, "http://evil.top/x");
        assert!(found[0].obfuscated);
        assert_eq!(urls("网址icbc-vip。com"), vec!["http://icbc-vip.com"]);
        assert_eq!(
            urls("打开 etc-renzheng点com"),
            vec!["http://etc-renzheng.com"]
        );
    }

    #[test]
    fn ignores_non_links() {
        assert!(urls("e.g. this is fine").is_empty());
        assert!(urls("pi is 3.14 and version 1.2.3").is_empty());
        assert!(urls("mail me at someone@example.com").is_empty());
        assert!(urls("你好。今天天气不错。").is_empty());
        assert!(urls("").is_empty());
    }

    #[test]
    fn caps_the_number_of_links() {
        let text: String = (0..100).map(|i| format!("https://a{i}.com ")).collect();
        assert_eq!(find_links(&text).len(), MAX_LINKS);
    }

    #[test]
    fn finds_unicode_hosts() {
        assert_eq!(
            urls("login at https://аpple.com/id"),
            vec!["https://аpple.com/id"]
        );
        assert_eq!(urls("аpple.com"), vec!["http://аpple.com"]);
    }
}
