//! The bank's side in the console: the risk lookups banks made about a session (on its
//! page), and what a bank would be told about a simulated call as it stands (in the
//! simulator), decoded.

use super::{view, PageError};
use crate::state::AppState;
use maud::{html, Markup};
use scamguard_core::assertion::{self, CallClock, Risk, RiskClaims};
use scamguard_core::CallSession;
use scamguard_store::{now_ms, EventRecord, RiskLookupQuery, SessionRecord};

/// Most lookups listed on a session's page.
const LOOKUPS_SHOWN: i64 = 50;

/// The card listing the risk lookups answered about session `id`, newest first.
pub async fn lookups(state: &AppState, id: &str) -> Result<Markup, PageError> {
    let found = state
        .store()
        .risk_lookups(&RiskLookupQuery {
            session_id: Some(id.to_string()),
            limit: LOOKUPS_SHOWN,
            ..RiskLookupQuery::default()
        })
        .await?;
    let now = now_ms();
    Ok(html! {
        section.card data-testid="risk-lookups" {
            h2 { "Bank lookups 银行查询" }
            @if found.is_empty() {
                p.muted { "No bank has asked about this call's user." }
            } @else {
                table {
                    thead { tr { th { "when" } th { "bank key" } th { "answered" } th { "call on" } th { "assertion id" } } }
                    tbody {
                        @for l in &found {
                            tr data-testid="risk-lookup" {
                                td { (view::time(l.at)) " (" (view::ago(l.at, now)) ")" }
                                td.mono { (l.key_id) }
                                td { (view::badge(&l.action)) }
                                td { @if l.active { "yes" } @else { "no (ended)" } }
                                td.mono { (view::shorten(&l.jti, 12)) }
                            }
                        }
                    }
                }
            }
        }
    })
}

/// What a bank asking about this session's user would be told now: the claims of the
/// assertion, decoded. Shown, not signed: only a real lookup makes an assertion, and every
/// lookup is audited.
pub fn would_be_told(state: &AppState, rec: &SessionRecord, events: &[EventRecord]) -> Markup {
    let Ok(session) = serde_json::from_str::<CallSession>(&rec.state) else {
        return html! { p.error { "The stored session could not be read." } };
    };
    let now = now_ms() / 1000;
    let times = |kind: &str| -> Vec<i64> {
        events
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.at / 1000)
            .collect()
    };
    let clock = CallClock {
        now,
        started: times("call_offer")
            .into_iter()
            .min()
            .unwrap_or(rec.created / 1000),
        ended: times("call_ended").into_iter().max(),
        grace_secs: state.config().risk_grace.as_secs() as i64,
    };
    let verdict = state.engine().verdict_of(&session);
    let risk = assertion::assess(&session, &verdict, &clock).unwrap_or_else(Risk::none);
    let claims = RiskClaims::new(
        &state.config().assertion_issuer,
        "<the bank's key id>",
        "<keyed hash of the user>",
        "<random>",
        now,
        state.config().assertion_ttl.as_secs() as i64,
        risk,
    );
    let json = serde_json::to_string_pretty(&claims).unwrap_or_default();
    html! {
        section data-testid="bank-view" {
            h3 { "What a bank would be told 银行会看到" }
            p.muted { "The claims of the signed assertion that "
                code { "POST /v1/risk/lookup" } " would answer now about this call's user." }
            pre.mono data-testid="bank-claims" { (json) }
        }
    }
}
