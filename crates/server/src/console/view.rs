//! The console's shared HTML: the page shell, badges, times, verdicts, and the one way to show
//! text that someone else chose.
//!
//! maud escapes every interpolation, so markup in a display name stays text. Escaping is not
//! enough for names, though: a right-to-left override or a zero-width character can make a
//! name read differently from what it is, and can reorder the page around it. So every string
//! from outside (display names, app names, evidence, URLs) goes through [`untrusted`], which
//! isolates it in a `<bdi>` and shows each invisible or direction-changing character as a
//! visible `⟨U+202E⟩` marker. The phone mock-up instead shows names as a user would see them
//! ([`as_user_sees`]).

use maud::{html, Markup, DOCTYPE};
use scamguard_core::event::EventKind;
use scamguard_core::verdict::{Action, Directive, Verdict};
use scamguard_core::CallSession;

/// Which top-level section a page belongs to, for the navigation bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The front page and session pages.
    Live,
    /// The call simulator.
    Simulator,
    /// The audit search.
    Audit,
    /// The organisation registry.
    Registry,
    /// Campaigns.
    Campaigns,
    /// The login page (no navigation).
    Login,
}

/// What the shell needs besides the body.
#[derive(Debug, Clone, Copy)]
pub struct Shell<'a> {
    /// The page title.
    pub title: &'a str,
    /// The section for the navigation bar.
    pub section: Section,
    /// Reload the page every this many seconds.
    pub refresh: Option<u32>,
    /// Show a log-out button (the console requires a login).
    pub logout: bool,
}

/// The page shell: head, navigation, body.
pub fn page(shell: Shell<'_>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(secs) = shell.refresh {
                    meta http-equiv="refresh" content=(secs);
                }
                title { (shell.title) " · scamguard" }
                link rel="stylesheet" href="/console.css";
            }
            body {
                header.top {
                    a.brand href="/" { "scamguard 反诈" }
                    @if shell.section != Section::Login {
                        a.here[shell.section == Section::Live] href="/" { "Live 实时" }
                        a.here[shell.section == Section::Simulator] href="/simulator" { "Simulator 模拟来电" }
                        a.here[shell.section == Section::Audit] href="/audit" { "Audit 审计" }
                        a.here[shell.section == Section::Registry] href="/registry" { "Registry 机构" }
                        a.here[shell.section == Section::Campaigns] href="/campaigns" { "Campaigns 团伙" }
                        a href="/openapi.json" { "API" }
                        a href="/metrics" { "Metrics" }
                        @if shell.logout {
                            form method="post" action="/logout" {
                                button type="submit" { "Log out" }
                            }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// An action or a session's status as a coloured badge.
pub fn badge(action: &str) -> Markup {
    let class = match action {
        "allow" | "warn" | "block" | "open" | "ended" | "expired" => action,
        _ => "",
    };
    html! { span class={ "badge " (class) } data-action=(action) { (action) } }
}

/// A coloured badge that reads `text` in the colours of `class` (see [`badge`]).
pub fn badge_as(text: &str, class: &str) -> Markup {
    html! { span class={ "badge " (class) } data-status=(text) { (text) } }
}

/// A verdict's action as a badge.
pub fn action_badge(action: Action) -> Markup {
    badge(action.as_str())
}

/// Whether `c` is invisible or changes the direction of text around it, wherever it stands:
/// the characters text normalisation ignores (bidi controls, zero-width spaces and joiners,
/// word joiners and invisible operators, the byte-order mark, soft hyphens, fillers, variation
/// selectors, tag characters), control characters, line and paragraph separators and the
/// blank Braille pattern, which renders as a space.
fn is_invisible(c: char) -> bool {
    scamguard_core::text::is_ignorable(c)
        || c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{2800}')
}

/// Whether `c`, invisible on its own, is doing its job inside an emoji sequence that began at
/// the last visible emoji: a zero-width joiner between two emoji (👮‍♂), a variation selector
/// after an emoji or a keycap's digit (♂️, 1️⃣), or the tag characters of a subdivision flag
/// (🏴 followed by tags). Anywhere else these hide text and are shown.
fn in_emoji_sequence(c: char, emoji_run: bool, prev: Option<char>, next: Option<char>) -> bool {
    use scamguard_core::text::is_emoji;
    match c {
        '\u{200d}' => emoji_run && next.is_some_and(is_emoji),
        '\u{fe00}'..='\u{fe0f}' => {
            emoji_run || prev.is_some_and(|p| p.is_ascii_digit() || p == '#' || p == '*')
        }
        '\u{e0020}'..='\u{e007f}' => emoji_run,
        _ => false,
    }
}

/// Text someone else chose, for an analyst: escaped, isolated from the surrounding direction,
/// with invisible and direction-changing characters shown as `⟨U+XXXX⟩`.
pub fn untrusted(s: &str) -> Markup {
    html! {
        bdi.untrusted {
            @for seg in segments(s) {
                @match seg {
                    Seg::Text(t) => (t),
                    Seg::Hidden(c) => span.cp title="invisible or direction-changing character" {
                        "⟨U+" (format!("{:04X}", c as u32)) "⟩"
                    },
                }
            }
        }
    }
}

enum Seg<'a> {
    Text(&'a str),
    Hidden(char),
}

/// `s` cut into runs of text that shows as itself and the invisible characters between them.
fn segments(s: &str) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    // Whether the text since the last visible character continues an emoji sequence.
    let mut emoji_run = false;
    let mut prev = None;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if is_invisible(c) {
            if in_emoji_sequence(c, emoji_run, prev, next) {
                prev = Some(c);
                continue;
            }
            if start < i {
                out.push(Seg::Text(&s[start..i]));
            }
            out.push(Seg::Hidden(c));
            start = i + c.len_utf8();
            emoji_run = false;
        } else {
            emoji_run = scamguard_core::text::is_emoji(c);
        }
        prev = Some(c);
    }
    if start < s.len() {
        out.push(Seg::Text(&s[start..]));
    }
    out
}

/// A display name as the user's phone shows it: invisible characters dropped, a right-to-left
/// override applied, isolated from the page's direction.
pub fn as_user_sees(name: &str) -> Markup {
    html! { bdi.untrusted { (scamguard_core::text::display_form(name)) } }
}

/// Engine text (explanations, labels) with any invisible or direction-changing character
/// removed, so nothing it quotes can reorder the page.
pub fn clean(s: &str) -> String {
    segments(s)
        .into_iter()
        .filter_map(|seg| match seg {
            Seg::Text(t) => Some(t),
            Seg::Hidden(_) => None,
        })
        .collect()
}

/// Shortens `s` to at most `max` characters, with an ellipsis.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        s.chars().take(max.saturating_sub(1)).collect::<String>() + "…"
    }
}

/// A score with at most one decimal.
pub fn score(s: f64) -> String {
    if s.fract() == 0.0 {
        format!("{s:.0}")
    } else {
        format!("{s:.1}")
    }
}

/// Unix milliseconds as `YYYY-MM-DD HH:MM:SS` UTC.
pub fn time(ms: i64) -> String {
    scamguard_store::utc(ms)
}

/// A time as `<time>` with how long ago it was.
pub fn when(ms: i64, now: i64) -> Markup {
    html! {
        time datetime=(time(ms)) title={ (time(ms)) " UTC" } { (ago(ms, now)) }
    }
}

/// A UTC time as an analyst types it — `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM`, or with seconds,
/// a space for the `T` and a final `Z` — as Unix milliseconds; `None` when it is not one (or
/// is before 1970). The calendar is humantime's.
pub fn parse_utc(s: &str) -> Option<i64> {
    let s = s.trim().trim_end_matches('Z');
    // humantime reads `YYYY-MM-DD[T ]HH:MM:SS`: fill in what an analyst may leave out.
    let full = match s.len() {
        10 => format!("{s} 00:00:00"),
        16 => format!("{s}:00"),
        19 => s.to_string(),
        _ => return None,
    };
    let t = humantime::parse_rfc3339_weak(&full).ok()?;
    let ms = t.duration_since(std::time::UNIX_EPOCH).ok()?.as_millis();
    i64::try_from(ms).ok()
}

/// How long before `now` the time `ms` was, in words.
pub fn ago(ms: i64, now: i64) -> String {
    let s = (now - ms).max(0) / 1000;
    match s {
        0..=4 => "just now".to_string(),
        5..=59 => format!("{s} s ago"),
        60..=3599 => format!("{} min ago", s / 60),
        3600..=86_399 => format!("{} h ago", s / 3600),
        _ => format!("{} d ago", s / 86_400),
    }
}

/// Where a session stands, as the console shows it: `ended` once its call has ended (whether
/// or not the store has closed it yet), `expired` when it is closed or past its expiry
/// otherwise, else `open`.
pub fn session_status(
    channel: &str,
    session: Option<&CallSession>,
    closed: bool,
    expires: i64,
    now: i64,
) -> &'static str {
    let call_ended =
        channel != "message" && session.is_some_and(|s| s.state.call_seen && !s.state.call_active);
    if call_ended {
        "ended"
    } else if closed || expires <= now {
        "expired"
    } else {
        "open"
    }
}

/// Whether an event ended the call.
pub fn ends_call(kind: &EventKind) -> bool {
    matches!(kind, EventKind::CallEnded)
}

/// What one event changed: the action moved (or stayed), the signals it added, the rules it
/// fired and the directives it issued, against the verdict before it (`None` for the opening).
pub fn changes(before: Option<&Verdict>, after: &Verdict) -> Markup {
    let had_signal = |code: &str| before.is_some_and(|b| b.has_signal(code));
    let added: Vec<_> = after
        .signals
        .iter()
        .filter(|s| !had_signal(&s.code))
        .collect();
    let fired: Vec<_> = after
        .rules
        .iter()
        .filter(|r| !before.is_some_and(|b| b.rules.iter().any(|x| x.name == r.name)))
        .collect();
    let issued: Vec<_> = after
        .directives
        .iter()
        .filter(|d| !before.is_some_and(|b| b.has_directive(d.code())))
        .collect();
    let moved = before.map(|b| b.action) != Some(after.action);
    html! {
        div.changes data-testid="changes" {
            p.change data-action-to=(after.action.as_str()) {
                @match before {
                    None => { "opened at " (action_badge(after.action)) }
                    Some(b) if moved => {
                        span data-action-from=(b.action.as_str()) { (action_badge(b.action)) }
                        " → " (action_badge(after.action))
                    }
                    Some(_) => { span.muted { "action stays " } (action_badge(after.action)) }
                }
                " " span.muted { "score " (score(after.score)) }
            }
            @if !added.is_empty() {
                p.change {
                    span.muted { "signals added " }
                    @for s in &added {
                        code data-added-signal=(s.code) { (s.code) }
                        " " span.muted { "(" (signed(s.weight)) ")" } " "
                    }
                }
            }
            @if !fired.is_empty() {
                p.change {
                    span.muted { "rules fired " }
                    @for r in &fired { code data-fired-rule=(r.name) { (r.name) } " " }
                }
            }
            @if !issued.is_empty() {
                ul.plain.change {
                    @for d in &issued {
                        li data-directive-code=(d.code()) {
                            span.muted { "directive " } code { (d.code()) } " — " (directive_detail(d))
                        }
                    }
                }
            }
            @if !moved && added.is_empty() && fired.is_empty() && issued.is_empty() {
                p.muted.change { "nothing else changed" }
            }
        }
    }
}

/// A weight with its sign: `+3`, `-4`, `+0.5`.
fn signed(w: f64) -> String {
    if w < 0.0 {
        score(w)
    } else {
        format!("+{}", score(w))
    }
}

/// What a directive asks, for an analyst (English).
pub fn directive_detail(d: &Directive) -> Markup {
    match d {
        Directive::LabelCaller { label, verified } => html! {
            "show “" (untrusted(label)) "”"
            @if *verified { " (verified)" } @else { " (unverified)" }
        },
        Directive::HoldPayment { minutes } => html! { "hold payments for " (minutes) " min" },
        Directive::OfferOfficialCallback {
            identity,
            number,
            domain,
        } => html! {
            "call back " code { (identity) }
            @if let Some(n) = number { " on " strong { (n) } }
            @if let Some(d) = domain { " at " strong { (d) } }
        },
        Directive::DenyScreenShare => html! { "refuse or stop screen sharing and remote control" },
        Directive::HideOtp => html! { "hide one-time passcodes" },
        Directive::BlockInstall => html! { "stop the installation" },
        Directive::DisableLinks => html! { "make links untappable" },
    }
}

/// A verdict in full, for an analyst: action, score, identities, signals with weight and
/// evidence, rules, directives, and the explanation in the verdict's own language.
pub fn verdict_detail(v: &Verdict) -> Markup {
    html! {
        div.verdict {
            p {
                (action_badge(v.action)) " score " strong data-testid="score" { (score(v.score)) }
            }
            @if let Some(c) = &v.claimed_identity {
                p {
                    "Claims to be " strong { (untrusted(&c.name)) } " "
                    span.muted { "(" code { (c.id) } ", " (c.category) ", tier " (c.tier)
                    "; matched “" (untrusted(&c.matched)) "”)" }
                }
            }
            @if let Some(vi) = &v.verified_identity {
                p { "Verified as " strong { (untrusted(&vi.name)) } " " span.muted { "(" code { (vi.org) } ")" } }
            }
            @if !v.headline.is_empty() {
                p.headline lang=(v.locale.as_str()) data-testid="headline" { strong { (clean(&v.headline)) } }
            }
            p.explanation lang=(v.locale.as_str()) data-testid="explanation" { (clean(&v.explanation)) }
            @if !v.signals.is_empty() {
                table.signals {
                    tr { th { "signal" } th { "weight" } th { "evidence" } }
                    @for s in &v.signals {
                        tr.zero[s.weight == 0.0] {
                            td { code { (s.code) } }
                            td { (score(s.weight)) }
                            td {
                                @for (i, e) in s.evidence.iter().enumerate() {
                                    @if i > 0 { ", " }
                                    (untrusted(e))
                                }
                            }
                        }
                    }
                }
            }
            @if !v.rules.is_empty() {
                h3 { "Rules" }
                ul.plain {
                    @for r in &v.rules {
                        li { code { (r.name) } " → " (action_badge(r.action)) }
                    }
                }
            }
            @if !v.directives.is_empty() {
                h3 { "Directives" }
                ul.plain {
                    @for d in &v.directives {
                        li data-directive-code=(d.code()) { code { (d.code()) } " — " (directive_detail(d)) }
                    }
                }
            }
        }
    }
}

/// The stylesheet, served at `/console.css`.
pub const CSS: &str = include_str!("console.css");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_utc_civil_dates() {
        assert_eq!(time(0), "1970-01-01 00:00:00");
        assert_eq!(time(951_782_400_000), "2000-02-29 00:00:00");
        assert_eq!(time(1_795_628_635_878), "2026-11-25 17:43:55");
        assert_eq!(ago(0, 90_000), "1 min ago");
    }

    #[test]
    fn typed_times_are_read_as_utc() {
        assert_eq!(parse_utc("1970-01-01"), Some(0));
        assert_eq!(parse_utc("2000-02-29T00:00"), Some(951_782_400_000));
        assert_eq!(parse_utc("2026-11-25 17:43:55"), Some(1_795_628_635_000));
        assert_eq!(parse_utc(" 2026-11-25T17:43Z "), Some(1_795_628_580_000));
        for bad in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-02-30",
            "2026-1-1",
            "2026-01-01T24:00",
            "2026-01-01T10",
            "1969-12-31",
        ] {
            assert_eq!(parse_utc(bad), None, "{bad}");
        }
        for ms in [0, 951_782_400_000, 1_795_628_635_000] {
            let t = time(ms);
            assert_eq!(parse_utc(&t), Some(ms), "{t}");
        }
    }

    #[test]
    fn hidden_characters_are_shown_and_markup_is_escaped() {
        let m = untrusted("市\u{202e}局安公<b>").into_string();
        assert!(m.contains("⟨U+202E⟩"), "{m}");
        assert!(m.contains("&lt;b&gt;") && !m.contains("<b>"), "{m}");
        assert!(m.starts_with("<bdi"), "{m}");
        // Emoji sequences keep their joiners.
        assert_eq!(
            untrusted("👮\u{200d}♂\u{fe0f}")
                .into_string()
                .matches("U+")
                .count(),
            0
        );
        assert_eq!(clean("a\u{202e}b\u{200b}c"), "abc");
        // The invisible characters besides bidi controls, each shown between visible text.
        for c in [
            '\u{200b}',
            '\u{200c}',
            '\u{200d}',
            '\u{200e}',
            '\u{200f}',
            '\u{2060}',
            '\u{2061}',
            '\u{2062}',
            '\u{2063}',
            '\u{2064}',
            '\u{feff}',
            '\u{00ad}',
            '\u{034f}',
            '\u{180e}',
            '\u{3164}',
            '\u{115f}',
            '\u{ffa0}',
            '\u{2028}',
            '\u{2800}',
            '\u{e0001}',
            '\u{e0041}',
            '\u{e007f}',
            '\u{fe0f}',
            '\u{fe00}',
            '\u{0007}',
        ] {
            let m = untrusted(&format!("公安{c}局")).into_string();
            let marker = format!("⟨U+{:04X}⟩", c as u32);
            assert!(m.contains(&marker), "{marker}: {m}");
            assert_eq!(clean(&format!("公安{c}局")), "公安局", "{marker}");
        }
        // A joiner after an emoji but before text, and one at the end, hide nothing useful.
        assert!(untrusted("👮\u{200d}公安")
            .into_string()
            .contains("⟨U+200D⟩"));
        assert!(untrusted("👮\u{200d}").into_string().contains("⟨U+200D⟩"));
        // Emoji sequences that need these characters are left whole: a keycap, a subdivision
        // flag (tags after 🏴), a family joined three times, a skin tone with a joiner.
        for seq in [
            "1\u{fe0f}\u{20e3}",
            "\u{1f3f4}\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}",
            "👨\u{200d}👩\u{200d}👧\u{200d}👦",
            "👮\u{1f3fd}\u{200d}♀\u{fe0f}",
        ] {
            let m = untrusted(seq).into_string();
            assert!(!m.contains("U+"), "{m}");
            assert!(m.contains(seq), "{m}");
            assert_eq!(clean(seq), seq);
        }
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(score(7.0), "7");
        assert_eq!(score(42.5), "42.5");
    }
}
