//! Session behaviour: the steps of the scam as the phone sees them.
//!
//! The chain that drains accounts is visible without understanding a word: an unknown caller,
//! then screen sharing or remote control, then a one-time passcode arriving while the screen is
//! shared, a banking app in front, and a payment to someone new. This detector keeps the little
//! state that chain needs ([`CallState`]) and raises a signal at each step.

use super::links::detect_link;
use crate::event::{AppCategory, EventKind, InstallSource, Payee, Speaker};
use crate::lexicon::Lexicons;
use crate::signal::{codes, Money, Params, SignalSet};
use crate::text::Normalised;
use serde::{Deserialize, Serialize};

/// Most passcode fingerprints remembered per session.
const MAX_OTPS: usize = 8;

/// What the session remembers between events. Holds no text and no passcode: passcodes are
/// kept only as salted fingerprints, to notice the user reading one out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallState {
    /// A call is ringing or connected.
    pub call_active: bool,
    /// A call happened in this session at some point.
    pub call_seen: bool,
    /// The user's screen is being shared.
    pub sharing: bool,
    /// Remote control was requested.
    pub remote_control: bool,
    /// Fingerprints of passcodes received.
    pub otp_fingerprints: Vec<u64>,
    /// Salt for the fingerprints, chosen when the session opens.
    pub salt: u64,
    /// The call ended (`call_ended`): the session takes no further events.
    #[serde(default)]
    pub ended: bool,
}

/// Updates `state` with `event` and records what it shows.
pub fn detect_behaviour(
    event: &EventKind,
    state: &mut CallState,
    lex: &Lexicons,
    large_payment: f64,
    out: &mut SignalSet,
) {
    match event {
        EventKind::CallOffer => {
            state.call_active = true;
            state.call_seen = true;
        }
        EventKind::CallEnded => {
            state.call_active = false;
            state.sharing = false;
            state.ended = true;
        }
        EventKind::ScreenShareRequest { initiator, app } => {
            let who = match initiator {
                Speaker::Remote => "asked by the caller",
                Speaker::Local => "started by the user",
            };
            let ev = match app {
                Some(a) if !a.is_empty() => format!("{a}, {who}"),
                _ => who.to_string(),
            };
            let strength = if *initiator == Speaker::Remote {
                1.0
            } else {
                0.8
            };
            let named = app.as_deref().and_then(named_app);
            out.add_with(codes::SCREEN_SHARE_REQUESTED, strength, ev, named);
        }
        EventKind::ScreenShareStarted => {
            state.sharing = true;
            out.add(codes::SCREEN_SHARE_ACTIVE, 1.0, "");
        }
        EventKind::ScreenShareEnded => state.sharing = false,
        EventKind::RemoteControlRequest => {
            state.remote_control = true;
            out.add(codes::REMOTE_CONTROL_REQUESTED, 1.0, "");
        }
        EventKind::AppInstall { app, source, url } => {
            let n = Normalised::new(app);
            if let Some(hit) = lex.remote_apps.find_in(&n.compact) {
                out.add_with(
                    codes::APP_INSTALL_REMOTE_ACCESS,
                    1.0,
                    hit.to_string(),
                    named_app(app),
                );
            }
            if *source != InstallSource::Store {
                let src = if *source == InstallSource::Link {
                    "from a link"
                } else {
                    "from a file"
                };
                out.add_with(
                    codes::APP_INSTALL_OFFSTORE,
                    1.0,
                    format!("{app} {src}"),
                    named_app(app),
                );
            }
            if let Some(u) = url.as_deref().filter(|u| !u.is_empty()) {
                detect_link(u, lex, out);
            }
        }
        EventKind::AppForeground { app, category } => {
            if matches!(category, AppCategory::Banking | AppCategory::Payment) {
                let named = named_app(app);
                if state.sharing || state.remote_control {
                    out.add_with(codes::BANKING_APP_WHILE_SHARING, 1.0, app.clone(), named);
                } else if state.call_active {
                    out.add_with(codes::BANKING_APP_DURING_CALL, 1.0, app.clone(), named);
                }
            }
        }
        EventKind::OtpReceived { sender, text } => {
            let from = sender.clone().unwrap_or_default();
            out.add(codes::OTP_RECEIVED, 1.0, from.clone());
            if state.sharing || state.remote_control {
                out.add(codes::OTP_WHILE_SHARING, 1.0, from.clone());
            }
            if state.call_active {
                out.add(codes::OTP_DURING_CALL, 1.0, from);
            }
            if let Some(t) = text {
                for code in passcodes(t) {
                    if state.otp_fingerprints.len() < MAX_OTPS {
                        state.otp_fingerprints.push(fingerprint(state.salt, code));
                    }
                }
            }
        }
        EventKind::Speech {
            speaker: Speaker::Local,
            text,
        }
        | EventKind::Message {
            direction: crate::event::Direction::Out,
            text,
        } => {
            if !state.otp_fingerprints.is_empty()
                && passcodes(text)
                    .any(|c| state.otp_fingerprints.contains(&fingerprint(state.salt, c)))
            {
                out.add(codes::OTP_DISCLOSED, 1.0, "the code just received");
            }
        }
        EventKind::LinkOpened { url } => {
            detect_link(url, lex, out);
            if state.call_active {
                out.add(codes::LINK_OPENED_DURING_CALL, 1.0, "");
            }
        }
        EventKind::Payment {
            amount,
            currency,
            payee,
        } => {
            let strength = (0.5 + 0.5 * amount / large_payment).min(1.0);
            let ev = format!("{amount} {}", currency.as_deref().unwrap_or(""));
            if *payee == Payee::New {
                let amount = Params {
                    amount: Some(Money {
                        value: *amount,
                        currency: currency.clone().filter(|c| !c.trim().is_empty()),
                    }),
                    ..Params::default()
                };
                out.add_with(
                    codes::PAYMENT_NEW_PAYEE,
                    strength,
                    ev.trim().to_string(),
                    amount,
                );
            }
            if state.call_active || state.call_seen {
                let when = if state.call_active {
                    "during the call"
                } else {
                    "after the call"
                };
                out.add(codes::PAYMENT_DURING_CALL, strength, when);
            }
        }
        EventKind::Speech { .. } | EventKind::Message { .. } => {}
    }
}

/// An app's name as the user's sentence shows it: invisible and bidi characters removed.
fn named_app(app: &str) -> Option<Params> {
    let shown = crate::text::display_form(app);
    (!shown.is_empty()).then(|| Params::app(shown))
}

/// Runs of 4 to 8 digits (speech transcripts may space them out: "3 9 2 8 1 7").
fn passcodes(text: &str) -> impl Iterator<Item = String> + '_ {
    let n = Normalised::new(text);
    let mut runs: Vec<String> = n
        .folded
        .split(|c: char| !c.is_ascii_digit())
        .filter(|r| (4..=8).contains(&r.len()))
        .map(str::to_string)
        .collect();
    let spaced: String = n.folded.chars().filter(|c| c.is_ascii_digit()).collect();
    if (4..=8).contains(&spaced.len()) && !runs.contains(&spaced) {
        runs.push(spaced);
    }
    runs.into_iter()
}

/// FNV-1a over the salt and the digits.
fn fingerprint(salt: u64, code: String) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ salt;
    for b in code.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> &'static Lexicons {
        Lexicons::shared_for_tests()
    }

    fn run(events: &[EventKind]) -> SignalSet {
        let mut st = CallState {
            salt: 7,
            ..CallState::default()
        };
        let mut out = SignalSet::new();
        for e in events {
            detect_behaviour(e, &mut st, lex(), 5000.0, &mut out);
        }
        out
    }

    #[test]
    fn the_chain_is_seen() {
        let s = run(&[
            EventKind::CallOffer,
            EventKind::ScreenShareRequest {
                initiator: Speaker::Remote,
                app: Some("facetime".into()),
            },
            EventKind::ScreenShareStarted,
            EventKind::AppForeground {
                app: "工商银行".into(),
                category: AppCategory::Banking,
            },
            EventKind::OtpReceived {
                sender: Some("95588".into()),
                text: Some("验证码：392817".into()),
            },
            EventKind::Speech {
                speaker: Speaker::Local,
                text: "三九二，哦是 3 9 2 8 1 7".into(),
            },
            EventKind::Payment {
                amount: 50000.0,
                currency: Some("CNY".into()),
                payee: Payee::New,
            },
        ]);
        for c in [
            codes::SCREEN_SHARE_REQUESTED,
            codes::SCREEN_SHARE_ACTIVE,
            codes::BANKING_APP_WHILE_SHARING,
            codes::OTP_WHILE_SHARING,
            codes::OTP_DURING_CALL,
            codes::OTP_DISCLOSED,
            codes::PAYMENT_NEW_PAYEE,
            codes::PAYMENT_DURING_CALL,
        ] {
            assert!(s.has(c), "missing {c}: {s:?}");
        }
    }

    #[test]
    fn no_call_no_chain() {
        let s = run(&[
            EventKind::OtpReceived {
                sender: Some("95588".into()),
                text: Some("验证码 123456".into()),
            },
            EventKind::AppForeground {
                app: "bank".into(),
                category: AppCategory::Banking,
            },
            EventKind::Payment {
                amount: 10.0,
                currency: None,
                payee: Payee::Known,
            },
        ]);
        let codes: Vec<&str> = s.iter().map(|(c, _)| c).collect();
        assert_eq!(
            codes,
            vec![codes::OTP_RECEIVED],
            "only the passcode's arrival is noted"
        );
    }

    #[test]
    fn installs() {
        let s = run(&[EventKind::AppInstall {
            app: "AnyDesk".into(),
            source: InstallSource::Link,
            url: Some("http://1.2.3.4/a.apk".into()),
        }]);
        assert!(s.has(codes::APP_INSTALL_REMOTE_ACCESS));
        assert!(s.has(codes::APP_INSTALL_OFFSTORE));
        assert!(s.has(codes::LINK_IP_HOST));
        assert!(s.has(codes::LINK_APP_DOWNLOAD));
    }
}
