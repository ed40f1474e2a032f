//! Indicators: what a ring reuses from one call to the next, taken from what a session said.
//!
//! A gang rotates its display names and handles quickly, but the money has to go somewhere and
//! the victim has to be sent somewhere: the "safe account", the number to call back, the
//! phishing domain, the meeting room, the host of the remote-control app, and the script they
//! read from. Those are the [`Indicator`]s. Only what the caller said or sent is read (remote
//! speech, incoming messages), plus the links the user opened and the apps installed during
//! the call: the user's own words are never indicators.

use super::sketch;
use crate::event::EventKind;
use crate::url::find_links;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// What kind of thing an indicator is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// A phone number the caller names (to call back, to add on a chat app).
    CallbackNumber,
    /// A bank card or account number named for a transfer.
    BankAccount,
    /// The registrable domain of a link (`example.top`, never the path), or a bare IP host.
    Domain,
    /// A meeting-room number (腾讯会议, Zoom, "meeting ID").
    MeetingId,
    /// The host an app is downloaded from outside a store.
    DownloadHost,
    /// The caller's handle, as the operator's keyed hash (never the handle itself).
    CallerHandle,
    /// One band of the MinHash signature of the caller's words: near-identical scripts share it.
    Text,
}

impl IndicatorKind {
    /// Every kind, in wire order.
    pub const ALL: [IndicatorKind; 7] = [
        IndicatorKind::CallbackNumber,
        IndicatorKind::BankAccount,
        IndicatorKind::Domain,
        IndicatorKind::MeetingId,
        IndicatorKind::DownloadHost,
        IndicatorKind::CallerHandle,
        IndicatorKind::Text,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorKind::CallbackNumber => "callback_number",
            IndicatorKind::BankAccount => "bank_account",
            IndicatorKind::Domain => "domain",
            IndicatorKind::MeetingId => "meeting_id",
            IndicatorKind::DownloadHost => "download_host",
            IndicatorKind::CallerHandle => "caller_handle",
            IndicatorKind::Text => "text",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<IndicatorKind> {
        IndicatorKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for IndicatorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One indicator: a kind and a canonical value (digits only for numbers, lower-case
/// registrable domains).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Indicator {
    /// What it is.
    pub kind: IndicatorKind,
    /// Its canonical value.
    pub value: String,
}

impl Indicator {
    /// An indicator of `kind` with an already canonical `value`.
    pub fn new(kind: IndicatorKind, value: impl Into<String>) -> Indicator {
        Indicator {
            kind,
            value: value.into(),
        }
    }

    /// The caller-handle indicator for a keyed handle hash.
    pub fn caller(handle_hash: &str) -> Indicator {
        Indicator::new(IndicatorKind::CallerHandle, handle_hash)
    }

    /// `kind:value`, the key campaigns are joined on.
    pub fn key(&self) -> String {
        format!("{}:{}", self.kind.as_str(), self.value)
    }

    /// Parses a key made by [`Indicator::key`].
    pub fn from_key(key: &str) -> Option<Indicator> {
        let (k, v) = key.split_once(':')?;
        Some(Indicator::new(IndicatorKind::parse(k)?, v))
    }
}

/// Most indicators a session keeps: a call that names more is not made more certain by it,
/// and the bound keeps the session's stored state small.
pub const MAX_PER_SESSION: usize = 48;
/// Most texts of one session that are sketched (each adds [`sketch::BANDS`] bands).
pub const MAX_SKETCHED_TEXTS: usize = 3;

/// The indicators one session named so far, sorted and without duplicates. Stored with the
/// session: numbers, accounts and domains the caller gave, never their words.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionIndicators {
    items: Vec<Indicator>,
    /// How many texts were sketched into `Text` bands.
    #[serde(default, skip_serializing_if = "is_zero")]
    sketched: u8,
}

fn is_zero(n: &u8) -> bool {
    *n == 0
}

impl SessionIndicators {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one; false when it was there already or the set is full.
    pub fn insert(&mut self, ind: Indicator) -> bool {
        match self.items.binary_search(&ind) {
            Ok(_) => false,
            Err(_) if self.items.len() >= MAX_PER_SESSION => false,
            Err(at) => {
                self.items.insert(at, ind);
                true
            }
        }
    }

    /// Every indicator, sorted.
    pub fn iter(&self) -> impl Iterator<Item = &Indicator> {
        self.items.iter()
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether `ind` is in the set.
    pub fn contains(&self, ind: &Indicator) -> bool {
        self.items.binary_search(ind).is_ok()
    }

    /// Adds the MinHash bands of `text` unless enough texts were sketched already; returns
    /// how many indicators were new.
    pub fn add_sketch(&mut self, text: &str) -> usize {
        if usize::from(self.sketched) >= MAX_SKETCHED_TEXTS {
            return 0;
        }
        let bands = sketch::bands(text);
        if bands.is_empty() {
            return 0;
        }
        self.sketched += 1;
        bands
            .into_iter()
            .filter(|b| self.insert(Indicator::new(IndicatorKind::Text, b.clone())))
            .count()
    }
}

/// What an event tells about the ring: the indicators it names. `sketch_text` also adds the
/// MinHash bands of the caller's words (done for the events of flagged sessions only: it costs
/// more than the rest). Returns how many indicators were new.
pub fn observe(kind: &EventKind, sketch_text: bool, out: &mut SessionIndicators) -> usize {
    let before = out.len();
    if let Some(text) = kind.received_text() {
        from_text(text, out);
        if sketch_text {
            out.add_sketch(text);
        }
    }
    match kind {
        EventKind::LinkOpened { url } => {
            if let Some(d) = link_domain(url) {
                out.insert(Indicator::new(IndicatorKind::Domain, d));
            }
        }
        EventKind::AppInstall {
            url: Some(url),
            source,
            ..
        } if !matches!(source, crate::event::InstallSource::Store) => {
            if let Some(h) = url_host(url) {
                out.insert(Indicator::new(IndicatorKind::DownloadHost, h));
            }
        }
        _ => {}
    }
    out.len() - before
}

/// Every number, account, link domain, download host and meeting id named in `text`.
pub fn from_text(text: &str, out: &mut SessionIndicators) {
    let links = find_links(text);
    for link in &links {
        if is_download(&link.url) {
            if let Some(h) = url_host(&link.url) {
                out.insert(Indicator::new(IndicatorKind::DownloadHost, h));
            }
        }
        if let Some(d) = link_domain(&link.url) {
            out.insert(Indicator::new(IndicatorKind::Domain, d));
        }
    }
    let text = without_links(text, &links);
    let text = text.as_str();
    if !text.bytes().any(|b| b.is_ascii_digit()) && !text.chars().any(is_wide_digit) {
        return;
    }
    let folded: String = text.chars().map(fold_digit).collect();
    let mut meetings = Vec::new();
    for m in meeting_regex().captures_iter(&folded) {
        let Some(g) = m.get(1) else { continue };
        let digits = digits_of(g.as_str());
        if (6..=12).contains(&digits.len()) {
            out.insert(Indicator::new(IndicatorKind::MeetingId, digits));
        }
        meetings.push(g.range());
    }
    for m in number_regex().find_iter(&folded) {
        let raw = m.as_str();
        // A meeting number is not a phone number.
        if meetings
            .iter()
            .any(|g| g.start <= m.start() && m.end() <= g.end)
        {
            continue;
        }
        let digits = digits_of(raw);
        let plus = raw.trim_start().starts_with('+');
        if let Some(ind) = classify_number(&digits, plus, &folded[..m.start()]) {
            out.insert(ind);
        }
    }
}

/// `text` with each link in it blanked out. Digits in a link's path or query are the victim's
/// number, a token or an order id, not the ring's: they are neither indicators nor kept (only
/// the link's domain is).
fn without_links(text: &str, links: &[crate::url::FoundLink]) -> String {
    let mut out = text.to_string();
    for link in links {
        // A link without a scheme was found as written, without the "http://" put before it.
        let written = if out.contains(&link.url) {
            link.url.as_str()
        } else {
            link.url.strip_prefix("http://").unwrap_or(&link.url)
        };
        if !written.is_empty() {
            out = out.replace(written, " ");
        }
    }
    out
}

/// Decides what a run of digits is: a bank account (16–19 digits, or 12–19 after an account
/// word), a phone number (mobile, landline with area code, international, 400/800 lines, or a
/// short service number right after a "call" word), or nothing (amounts, dates, codes).
fn classify_number(digits: &str, plus: bool, before: &str) -> Option<Indicator> {
    let n = digits.len();
    let tail: String = before
        .chars()
        .rev()
        .take(8)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<String>()
        .to_lowercase();
    let account_word = ["账号", "卡号", "账户", "帐号", "帐户", "account", "acct"]
        .iter()
        .any(|w| tail.contains(w));
    let call_word = [
        "拨打", "致电", "回电", "回拨", "电话", "热线", "号码", "call", "dial", "phone", "tel",
    ]
    .iter()
    .any(|w| tail.contains(w));
    if plus && (8..=15).contains(&n) {
        return Some(Indicator::new(
            IndicatorKind::CallbackNumber,
            canonical_phone(digits),
        ));
    }
    if (16..=19).contains(&n) || (account_word && (12..=19).contains(&n)) {
        return Some(Indicator::new(IndicatorKind::BankAccount, digits));
    }
    let mobile = n == 11 && digits.starts_with('1') && digits.as_bytes()[1] >= b'3';
    let landline = (10..=12).contains(&n) && digits.starts_with('0') && !digits.starts_with("00");
    let hotline = n == 10 && (digits.starts_with("400") || digits.starts_with("800"));
    let intl = n >= 12 && digits.starts_with("00");
    let short_service = (3..=6).contains(&n) && call_word;
    let called = call_word && (7..=15).contains(&n);
    if mobile || landline || hotline || intl || short_service || called {
        return Some(Indicator::new(
            IndicatorKind::CallbackNumber,
            canonical_phone(digits),
        ));
    }
    None
}

/// One spelling for one number: the mainland's country code and the `00` prefix are dropped,
/// so "+86 138 0013 8000", "008613800138000" and "138 0013 8000" agree.
fn canonical_phone(digits: &str) -> String {
    let d = digits.strip_prefix("00").unwrap_or(digits);
    match d.strip_prefix("86") {
        Some(rest) if rest.len() >= 9 => rest.to_string(),
        _ => d.to_string(),
    }
}

fn digits_of(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn is_wide_digit(c: char) -> bool {
    ('０'..='９').contains(&c)
}

/// Full-width digits, plus, hyphen and brackets as their ASCII forms.
fn fold_digit(c: char) -> char {
    match c {
        '０'..='９' => {
            char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
        }
        '＋' => '+',
        '－' | '—' | '–' => '-',
        '（' => '(',
        '）' => ')',
        _ => c,
    }
}

fn number_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // A run of digits that may be grouped by spaces, hyphens or dots, with an optional
        // leading "+" or a bracketed area code: "+86 138-0013-8000", "(213) 555 0147".
        Regex::new(r"\+?\(?\d[\d\s\-.()]{1,28}\d|\d{3,}").expect("number pattern compiles")
    })
}

fn meeting_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)(?:会议号|會議號|会议id|会议室号|房间号|房間號|meeting\s*(?:id|number|no\.?)|room\s*(?:id|number))\s*(?:是|为|：|:|#)?\s*(\d[\d\s\-]{4,16}\d)",
        )
        .expect("meeting pattern compiles")
    })
}

/// The registrable domain of a link (or its IP address), lower case.
pub fn link_domain(url: &str) -> Option<String> {
    let host = url_host(url)?;
    if host.parse::<std::net::IpAddr>().is_ok() {
        return Some(host);
    }
    let ascii = idna::domain_to_ascii(&host).ok()?;
    psl::domain_str(&ascii).map(str::to_string)
}

/// The host of a link, lower case, without a trailing dot.
pub fn url_host(url: &str) -> Option<String> {
    let with_scheme = if url.contains("://") {
        url.trim().to_string()
    } else {
        format!("http://{}", url.trim())
    };
    let u = url::Url::parse(&with_scheme).ok()?;
    let host = u.host_str()?.trim_end_matches('.').to_ascii_lowercase();
    let host = host.trim_matches(['[', ']']).to_string();
    (!host.is_empty()).then_some(host)
}

fn is_download(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("itms-services:") {
        return true;
    }
    let path = lower.split(['?', '#']).next().unwrap_or("");
    [".apk", ".ipa", ".mobileconfig", ".xapk"]
        .iter()
        .any(|e| path.ends_with(e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Direction, Speaker};

    fn of(text: &str) -> Vec<String> {
        let mut s = SessionIndicators::new();
        from_text(text, &mut s);
        s.iter().map(Indicator::key).collect()
    }

    #[test]
    fn digits_inside_links_are_not_numbers() {
        assert_eq!(
            of("您的ETC已失效，请登录 https://etc-rzzx.cc/auth?phone=13800001111 认证"),
            vec!["domain:etc-rzzx.cc"]
        );
        let got = of("退款请访问pay-safe.top/r/13800001111/6222021234567890123，客服 400-820-8820");
        assert_eq!(
            got,
            vec!["callback_number:4008208820", "domain:pay-safe.top"],
            "{got:?}"
        );
    }

    #[test]
    fn numbers_accounts_and_domains_are_named() {
        let got = of("请把钱转到安全账户 6222 0212 3456 7890 123，有问题回电 +86 138-0013-8000，或登录 https://icbc-verify.top/login?id=3");
        assert!(
            got.contains(&"bank_account:6222021234567890123".to_string()),
            "{got:?}"
        );
        assert!(
            got.contains(&"callback_number:13800138000".to_string()),
            "{got:?}"
        );
        assert!(
            got.contains(&"domain:icbc-verify.top".to_string()),
            "{got:?}"
        );
    }

    #[test]
    fn spellings_of_one_number_agree() {
        for t in [
            "call 138 0013 8000",
            "电话：+86 13800138000",
            "拨打008613800138000",
        ] {
            assert_eq!(of(t), vec!["callback_number:13800138000"], "{t}");
        }
        assert_eq!(
            of("请拨打０７３１－８８８８６６６６"),
            vec!["callback_number:073188886666"]
        );
    }

    #[test]
    fn amounts_dates_and_codes_are_not_indicators() {
        assert!(of("转账50000元，2024年10月1日前完成，验证码 123456").is_empty());
        assert!(of("your code is 845512, it expires in 10 minutes").is_empty());
    }

    #[test]
    fn short_numbers_count_only_after_a_call_word() {
        assert_eq!(of("请拨打96110核实"), vec!["callback_number:96110"]);
        assert!(of("罚款 96110 元").is_empty());
    }

    #[test]
    fn meeting_rooms_and_download_hosts() {
        let got = of("下载 http://dl.safe-app.top/police.apk 后进入腾讯会议，会议号：845 123 456");
        assert!(got.contains(&"meeting_id:845123456".to_string()), "{got:?}");
        assert!(
            got.contains(&"download_host:dl.safe-app.top".to_string()),
            "{got:?}"
        );
        assert!(got.contains(&"domain:safe-app.top".to_string()), "{got:?}");
        assert!(
            !got.iter().any(|k| k.starts_with("callback_number")),
            "{got:?}"
        );
        assert_eq!(
            of("Join Zoom meeting ID 812 3456 7890"),
            vec!["meeting_id:81234567890"]
        );
    }

    #[test]
    fn the_local_side_says_nothing_about_the_ring() {
        let mut s = SessionIndicators::new();
        let own = EventKind::Speech {
            speaker: Speaker::Local,
            text: "我的卡号是6222021234567890123".into(),
        };
        assert_eq!(observe(&own, true, &mut s), 0);
        let theirs = EventKind::Message {
            direction: Direction::In,
            text: "转到6222021234567890123".into(),
        };
        assert_eq!(observe(&theirs, false, &mut s), 1);
        let opened = EventKind::LinkOpened {
            url: "https://secure.icbc-verify.top/x".into(),
        };
        assert_eq!(observe(&opened, false, &mut s), 1);
        let install = EventKind::AppInstall {
            app: "AnyDesk".into(),
            source: crate::event::InstallSource::Link,
            url: Some("http://1.2.3.4:8080/a.apk".into()),
        };
        assert_eq!(observe(&install, false, &mut s), 1);
        assert!(s.contains(&Indicator::new(IndicatorKind::DownloadHost, "1.2.3.4")));
    }

    #[test]
    fn the_set_is_bounded_and_round_trips() {
        let mut s = SessionIndicators::new();
        for i in 0..100 {
            s.insert(Indicator::new(IndicatorKind::Domain, format!("d{i}.top")));
        }
        assert_eq!(s.len(), MAX_PER_SESSION);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<SessionIndicators>(&json).unwrap(), s);
        let k = Indicator::new(IndicatorKind::BankAccount, "62220212").key();
        assert_eq!(Indicator::from_key(&k).unwrap().value, "62220212");
        assert!(Indicator::from_key("nonsense").is_none());
    }

    #[test]
    fn hostile_text_is_handled() {
        let mut s = SessionIndicators::new();
        let big = "1".repeat(64 * 1024);
        from_text(&big, &mut s);
        from_text(
            "\u{202e}moc.evil\u{202c} ６２２２０２１２３４５６７８９０１２３",
            &mut s,
        );
        from_text("", &mut s);
        assert!(s.len() <= MAX_PER_SESSION);
    }
}
