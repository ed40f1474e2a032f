//! `/registry`: the organisations enrolled to sign their calls — names they may show, the
//! handles they call from, their call-back numbers and domains, their keys and status — for
//! analysts signed in with an admin key. Read-only: changes go through `scamguard registry` or
//! the admin API, which audit them.

use super::{shell, view, PageError};
use crate::state::AppState;
use axum::extract::State;
use maud::{html, Markup};
use scamguard_core::passport::{KeyStatus, OrgStatus};
use scamguard_store::now_ms;
use scamguard_store::registry::OrganisationRecord;

/// `GET /registry`.
pub async fn page(State(state): State<AppState>) -> Result<Markup, PageError> {
    let orgs = state.store().registry_list().await?;
    let now = now_ms();
    let count = |s: OrgStatus| orgs.iter().filter(|o| o.organisation.status == s).count();
    Ok(view::page(
        shell(&state, "Registry", view::Section::Registry),
        html! {
            h1 { "Registry 机构登记" }
            p.muted data-testid="registry-summary" {
                (orgs.len()) " organisation" @if orgs.len() != 1 { "s" } " enrolled: "
                (count(OrgStatus::Active)) " active, " (count(OrgStatus::Suspended)) " suspended, "
                (count(OrgStatus::Revoked)) " revoked. Their names are shown as verified only on a call they signed; anyone else who shows them is labelled unverified. "
                "Changes: " code { "scamguard registry" } " or " code { "/v1/admin/registry" } "."
            }
            @if orgs.is_empty() {
                p.card data-testid="no-organisations" {
                    "No organisation is enrolled. " code { "scamguard registry add --data-dir DIR …" } " enrols one (README: Verified callers)."
                }
            }
            @for o in &orgs { (organisation(o, now)) }
        },
    ))
}

fn organisation(rec: &OrganisationRecord, now: i64) -> Markup {
    let o = &rec.organisation;
    let names: Vec<(&str, &Vec<String>)> = vec![
        ("zh-Hans", &o.names.zh_hans),
        ("zh-Hant", &o.names.zh_hant),
        ("en", &o.names.en),
    ];
    let now_secs = now.div_euclid(1000);
    html! {
        section.card data-org=(o.id) data-status=(o.status.as_str()) {
            h2 {
                (view::untrusted(&o.legal_name)) " "
                span.mono.muted { (o.id) } " "
                (view::badge_as(o.status.as_str(), status_class(o.status)))
            }
            dl.kv {
                dt { "category" } dd { (o.category) }
                dt { "status" } dd data-testid="org-status" { (o.status.as_str()) }
                @for (lang, list) in &names {
                    @if !list.is_empty() {
                        dt { "names (" (lang) ")" }
                        dd lang=(lang) { @for (i, n) in list.iter().enumerate() { @if i > 0 { ", " } (view::untrusted(n)) } }
                    }
                }
                dt { "calls from" } dd { (list(&o.handles)) }
                dt { "call-back numbers" } dd { (list(&o.callback_numbers)) }
                dt { "domains" } dd { (list(&o.domains)) }
                dt { "enrolled" } dd { (view::time(rec.created)) " UTC" }
                dt { "changed" } dd { (view::time(rec.updated)) " UTC (" (view::ago(rec.updated, now)) ")" }
            }
            @if o.keys.is_empty() {
                p.muted { "No keys." }
            } @else {
                table.keys {
                    tr { th { "key" } th { "status" } th { "valid from (UTC)" } th { "until (UTC)" } }
                    @for k in &o.keys {
                        @let status = key_status(k.status_at(now_secs));
                        tr data-kid=(k.kid) data-key-status=(status) {
                            td.mono { (view::untrusted(&k.kid)) }
                            td { (status) }
                            td { (view::time(k.not_before.saturating_mul(1000))) }
                            td { (view::time(k.not_after.saturating_mul(1000))) }
                        }
                    }
                }
            }
        }
    }
}

fn list(items: &[String]) -> Markup {
    html! {
        @if items.is_empty() { span.muted { "—" } }
        @for (i, x) in items.iter().enumerate() { @if i > 0 { ", " } (view::untrusted(x)) }
    }
}

/// The badge for an organisation's status.
fn status_class(s: OrgStatus) -> &'static str {
    match s {
        OrgStatus::Active => "open",
        OrgStatus::Suspended => "warn",
        OrgStatus::Revoked => "expired",
    }
}

fn key_status(s: KeyStatus) -> &'static str {
    match s {
        KeyStatus::Valid => "valid",
        KeyStatus::NotYetValid => "not yet valid",
        KeyStatus::Expired => "expired",
        KeyStatus::Revoked => "revoked",
    }
}
