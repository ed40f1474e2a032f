//! The OpenAPI 3.1 document served at `/openapi.json`.
//!
//! The engine's types live in `scamguard-core`, which has no reason to depend on an OpenAPI
//! crate, so the schemas here are documentation mirrors of the wire format. A test checks
//! that every route the router serves is described.

#![allow(dead_code)] // the mirror types and path functions exist only for their derives

use axum::http::header;
use axum::response::IntoResponse;
use std::sync::OnceLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// Serves the document.
pub async fn document() -> impl IntoResponse {
    static JSON: OnceLock<String> = OnceLock::new();
    let body = JSON.get_or_init(|| {
        ApiDoc::openapi()
            .to_pretty_json()
            .unwrap_or_else(|_| "{}".into())
    });
    ([(header::CONTENT_TYPE, "application/json")], body.as_str())
}

/// The document as a value (for tests and tools).
pub fn spec() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "scamguard",
        description = "Stops impersonation scams on video calls, screen sharing and messages. \
Platforms open a session per call or thread, post each event and act on the verdict's action \
and directives. Every error is `{\"error\": {\"code\", \"message\", \"field\"}}`."
    ),
    paths(
        open_session, post_event, get_session, scan_message, scan_urls,
        policy_reload, policy_dry_run, audit, list_sessions,
        registry_list, registry_create, registry_show, registry_status, registry_add_key,
        registry_revoke_key, registry_export, registry_import, registry_audit,
        healthz, readyz, metrics, openapi_json
    ),
    components(schemas(
        ErrorBody, ErrorDetail, Party, EventIn, OpenSession, Verdict, ScoredSignal, Directive,
        FiredRule, ClaimedIdentity, VerifiedIdentity, SessionOpened, EventApplied, Timeline,
        TimelineEntry, MessageScan, MessageScanned, UrlScan, UrlsScanned, UrlVerdict, Reloaded,
        DryRunRequest, DryRunResult, AuditPage, AuditRecord, SessionPage, SessionSummary,
        OrgNames, OrgKey, Organisation, OrganisationList, OrganisationDetail, OrganisationIn,
        KeyIn, StatusIn, StatusChanged, KeyRevoked, ImportIn, Imported, RegistryAuditRecord,
        RegistryAuditPage
    )),
    modifiers(&BearerAuth),
    tags(
        (name = "sessions", description = "Calls and threads, event by event"),
        (name = "scan", description = "Stateless scans"),
        (name = "admin", description = "Policy operations, audit (scope admin)"),
        (name = "registry", description = "Organisations that sign their calls, their keys, \
signed export and import (scope admin; every change audited)"),
        (name = "ops", description = "Health, readiness, metrics")
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A key from `scamguard keys create`: scope `scan` for platform \
                         endpoints, `admin` for everything",
                    ))
                    .build(),
            ),
        );
    }
}

/// An error.
#[derive(ToSchema)]
struct ErrorBody {
    error: ErrorDetail,
}

/// What went wrong.
#[derive(ToSchema)]
struct ErrorDetail {
    /// Stable code: malformed_json, payload_too_large, invalid_field, unsupported_media_type,
    /// missing_key, invalid_key, forbidden, not_found, method_not_allowed, session_not_found,
    /// session_expired, rate_limited, timeout, shutting_down, unavailable, invalid_policy,
    /// policy_unreadable, organisation_not_found, key_not_found, conflict, not_configured,
    /// internal.
    code: String,
    /// For people.
    message: String,
    /// The field at fault, e.g. `events[0].text` or `body`.
    field: Option<String>,
}

/// The remote party.
#[derive(ToSchema)]
struct Party {
    /// Phone number, account e-mail or short code. Stored only as a keyed hash.
    handle: String,
    /// The name the caller chose to show.
    display_name: Option<String>,
    /// Whether the handle is in the user's contacts.
    in_contacts: Option<bool>,
    /// An identity a trusted platform verified for this handle.
    verified_org: Option<String>,
    /// A signed call assertion (PASSporT).
    identity_token: Option<String>,
}

/// One event. `type` decides which other fields apply; unknown fields are ignored.
#[derive(ToSchema)]
struct EventIn {
    /// call_offer, speech, message, screen_share_request, screen_share_started,
    /// screen_share_ended, remote_control_request, app_install, app_foreground, otp_received,
    /// link_opened, payment, call_ended.
    #[schema(rename = "type")]
    kind: String,
    /// Your id for the event: a repeat gets the stored verdict and is not counted twice.
    id: Option<String>,
    /// When it happened, Unix milliseconds.
    at: Option<i64>,
    /// speech: remote or local.
    speaker: Option<String>,
    /// speech, message, otp_received: the text (at most 64 KiB). Dropped after analysis
    /// unless the server retains text.
    text: Option<String>,
    /// message: in or out.
    direction: Option<String>,
    /// screen_share_request: remote (default) or local.
    initiator: Option<String>,
    /// screen_share_request, app_install, app_foreground: the app.
    app: Option<String>,
    /// app_install: store, link or file.
    source: Option<String>,
    /// app_install, link_opened: the address.
    url: Option<String>,
    /// app_foreground: banking, payment, messages, settings, other.
    category: Option<String>,
    /// otp_received: the sending number.
    sender: Option<String>,
    /// payment: the amount.
    amount: Option<f64>,
    /// payment: ISO 4217 code.
    currency: Option<String>,
    /// payment: new (default) or known.
    payee: Option<String>,
}

/// A case file's opening, with optional first events.
#[derive(ToSchema)]
struct OpenSession {
    /// video_call, audio_call or message.
    channel: String,
    /// zh-Hans (default), zh-Hant or en; regional tags are accepted.
    locale: Option<String>,
    from: Party,
    /// Events that already happened, in order.
    events: Option<Vec<EventIn>>,
}

/// A signal as the policy priced it.
#[derive(ToSchema)]
struct ScoredSignal {
    code: String,
    /// Contribution to the score.
    weight: f64,
    /// What was seen (a lexicon term, a domain; never a whole message).
    evidence: Vec<String>,
}

/// An instruction to the platform; `code` is one of label_caller, deny_screen_share,
/// hide_otp, block_install, hold_payment, offer_official_callback, disable_links.
#[derive(ToSchema)]
struct Directive {
    code: String,
    /// label_caller: the label to show.
    label: Option<String>,
    /// label_caller: whether the name is verified.
    verified: Option<bool>,
    /// hold_payment: minutes.
    minutes: Option<u32>,
    /// offer_official_callback: the identity claimed.
    identity: Option<String>,
    /// offer_official_callback: its official number.
    number: Option<String>,
    /// offer_official_callback: its official website.
    domain: Option<String>,
}

/// A hard rule that fired.
#[derive(ToSchema)]
struct FiredRule {
    name: String,
    action: String,
}

/// Who the caller claims to be.
#[derive(ToSchema)]
struct ClaimedIdentity {
    id: String,
    name: String,
    category: String,
    tier: String,
    matched: String,
}

/// Who the caller was verified to be.
#[derive(ToSchema)]
struct VerifiedIdentity {
    org: String,
    name: String,
}

/// The engine's answer, as `scamguard check` prints it.
#[derive(ToSchema)]
struct Verdict {
    /// allow, warn or block; only rises within a session.
    action: String,
    /// ham, spam or scam: what the verdict says the message or call is.
    class: String,
    score: f64,
    signals: Vec<ScoredSignal>,
    directives: Vec<Directive>,
    rules: Option<Vec<FiredRule>>,
    claimed_identity: Option<ClaimedIdentity>,
    verified_identity: Option<VerifiedIdentity>,
    locale: String,
    /// What is wrong and what to do, for the user.
    explanation: String,
}

/// A session opened.
#[derive(ToSchema)]
struct SessionOpened {
    session_id: String,
    /// Position of the last event applied (0: the opening only).
    seq: i64,
    /// Expiry unless another event arrives, Unix ms.
    expires: i64,
    verdict: Verdict,
}

/// An event applied (or replayed).
#[derive(ToSchema)]
struct EventApplied {
    session_id: String,
    seq: i64,
    event_id: Option<String>,
    /// True when the id was seen before: the stored verdict is returned.
    replayed: bool,
    verdict: Verdict,
}

/// One event of a timeline.
#[derive(ToSchema)]
struct TimelineEntry {
    seq: i64,
    id: Option<String>,
    #[schema(rename = "type")]
    kind: String,
    at: i64,
    /// The event as stored: text removed unless retention is on (`redacted` lists what).
    event: serde_json::Value,
    verdict: Verdict,
}

/// A session's history.
#[derive(ToSchema)]
struct Timeline {
    session_id: String,
    /// open or expired.
    status: String,
    channel: String,
    locale: String,
    handle_hash: String,
    created: i64,
    updated: i64,
    expires: i64,
    max_action: String,
    events: Vec<TimelineEntry>,
}

/// A message to scan.
#[derive(ToSchema)]
struct MessageScan {
    text: String,
    from: Option<Party>,
    locale: Option<String>,
}

/// A message's verdict.
#[derive(ToSchema)]
struct MessageScanned {
    verdict: Verdict,
}

/// URLs to scan (1 to 100).
#[derive(ToSchema)]
struct UrlScan {
    urls: Vec<String>,
    locale: Option<String>,
}

/// One URL's verdict.
#[derive(ToSchema)]
struct UrlVerdict {
    url: String,
    verdict: Verdict,
}

/// URL verdicts in request order.
#[derive(ToSchema)]
struct UrlsScanned {
    results: Vec<UrlVerdict>,
}

/// The policy now in force.
#[derive(ToSchema)]
struct Reloaded {
    status: String,
    source: String,
    warn: f64,
    block: f64,
    signals: i64,
    rules: i64,
}

/// A candidate policy and what to try it on: a case or a stored session.
#[derive(ToSchema)]
struct DryRunRequest {
    /// The candidate policy, TOML.
    policy: String,
    case: Option<OpenSession>,
    session_id: Option<String>,
}

/// Current against candidate.
#[derive(ToSchema)]
struct DryRunResult {
    changed: bool,
    current: Verdict,
    candidate: Verdict,
    /// action and score ({from, to}) when they change; signals_, directives_ and
    /// rules_added/removed.
    changes: serde_json::Value,
    /// Cases: events whose action differs ({index, type, action: {from, to}}).
    events: Option<Vec<serde_json::Value>>,
}

/// A warn or block verdict on record.
#[derive(ToSchema)]
struct AuditRecord {
    id: i64,
    at: i64,
    /// session, message_scan or url_scan.
    source: String,
    session_id: Option<String>,
    seq: Option<i64>,
    handle_hash: Option<String>,
    action: String,
    score: f64,
    rules: Vec<String>,
    signals: Vec<String>,
    /// The explanation shown to the user.
    reason: String,
}

/// Audit records, newest first.
#[derive(ToSchema)]
struct AuditPage {
    records: Vec<AuditRecord>,
}

/// A stored session, without its engine state.
#[derive(ToSchema)]
struct SessionSummary {
    session_id: String,
    status: String,
    channel: String,
    locale: String,
    handle_hash: String,
    created: i64,
    updated: i64,
    expires: i64,
    max_action: String,
}

/// Sessions, most recently active first.
#[derive(ToSchema)]
struct SessionPage {
    sessions: Vec<SessionSummary>,
}

#[utoipa::path(post, path = "/v1/sessions", tag = "sessions",
    request_body = OpenSession,
    responses(
        (status = 200, description = "Opened", body = SessionOpened),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "A field is missing or wrong", body = ErrorBody),
        (status = 401, description = "No key or a bad key", body = ErrorBody),
        (status = 429, description = "Rate limited", body = ErrorBody),
        (status = 503, description = "Unavailable", body = ErrorBody)
    ),
    security(("api_key" = [])))]
fn open_session() {}

#[utoipa::path(post, path = "/v1/sessions/{id}/events", tag = "sessions",
    params(("id" = String, Path, description = "Session id")),
    request_body = EventIn,
    responses(
        (status = 200, description = "The verdict now", body = EventApplied),
        (status = 404, description = "session_not_found or session_expired", body = ErrorBody),
        (status = 422, description = "A field is missing or wrong", body = ErrorBody)
    ),
    security(("api_key" = [])))]
fn post_event() {}

#[utoipa::path(get, path = "/v1/sessions/{id}", tag = "sessions",
    params(("id" = String, Path, description = "Session id")),
    responses(
        (status = 200, description = "Timeline", body = Timeline),
        (status = 404, description = "No such session", body = ErrorBody)
    ),
    security(("api_key" = [])))]
fn get_session() {}

#[utoipa::path(post, path = "/v1/messages/scan", tag = "scan",
    request_body = MessageScan,
    responses(
        (status = 200, description = "Verdict", body = MessageScanned),
        (status = 422, description = "A field is missing or wrong", body = ErrorBody)
    ),
    security(("api_key" = [])))]
fn scan_message() {}

#[utoipa::path(post, path = "/v1/urls/scan", tag = "scan",
    request_body = UrlScan,
    responses(
        (status = 200, description = "Verdicts", body = UrlsScanned),
        (status = 422, description = "A field is missing or wrong", body = ErrorBody)
    ),
    security(("api_key" = [])))]
fn scan_urls() {}

#[utoipa::path(post, path = "/v1/admin/policy/reload", tag = "admin",
    responses(
        (status = 200, description = "Reloaded", body = Reloaded),
        (status = 422, description = "The file is invalid; nothing changed", body = ErrorBody),
        (status = 403, description = "Not an admin key", body = ErrorBody)
    ),
    security(("api_key" = [])))]
fn policy_reload() {}

#[utoipa::path(post, path = "/v1/admin/policy/dry-run", tag = "admin",
    request_body = DryRunRequest,
    responses(
        (status = 200, description = "Comparison", body = DryRunResult),
        (status = 422, description = "Invalid candidate or case", body = ErrorBody)
    ),
    security(("api_key" = [])))]
fn policy_dry_run() {}

#[utoipa::path(get, path = "/v1/admin/audit", tag = "admin",
    params(
        ("session_id" = Option<String>, Query, description = "Only this session"),
        ("handle_hash" = Option<String>, Query, description = "Only this handle hash"),
        ("handle" = Option<String>, Query, description = "Only this handle (hashed by the server)"),
        ("since" = Option<i64>, Query, description = "At or after, Unix ms"),
        ("until" = Option<i64>, Query, description = "Before, Unix ms"),
        ("limit" = Option<i64>, Query, description = "1 to 1000, default 100")
    ),
    responses((status = 200, description = "Records", body = AuditPage)),
    security(("api_key" = [])))]
fn audit() {}

#[utoipa::path(get, path = "/v1/admin/sessions", tag = "admin",
    params(
        ("open" = Option<bool>, Query, description = "Only open sessions"),
        ("before" = Option<i64>, Query, description = "Expiring before, Unix ms: the last `expires` seen (paging)"),
        ("limit" = Option<i64>, Query, description = "1 to 1000, default 100")
    ),
    responses((status = 200, description = "Sessions", body = SessionPage)),
    security(("api_key" = [])))]
fn list_sessions() {}

/// Display names an organisation may show, by language.
#[derive(ToSchema)]
struct OrgNames {
    zh_hans: Vec<String>,
    zh_hant: Vec<String>,
    en: Vec<String>,
}

/// A P-256 public key of an organisation.
#[derive(ToSchema)]
struct OrgKey {
    /// Key id, unique across the registry; the `kid` of the tokens it signs.
    kid: String,
    /// SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
    public_key_pem: String,
    /// Start of validity, Unix seconds.
    not_before: i64,
    /// End of validity, Unix seconds (exclusive).
    not_after: i64,
    revoked: bool,
}

/// An enrolled organisation.
#[derive(ToSchema)]
struct Organisation {
    id: String,
    legal_name: String,
    /// A lexicon category: police, court, bank, …; authority categories weigh as tier A.
    category: String,
    names: OrgNames,
    /// Handles it calls and messages from.
    handles: Vec<String>,
    /// Official call-back numbers; the first is offered as `offer_official_callback`.
    callback_numbers: Vec<String>,
    domains: Vec<String>,
    keys: Vec<OrgKey>,
    /// active, suspended or revoked (final).
    status: String,
    /// Enrolled, Unix ms.
    created: i64,
    /// Last change, Unix ms.
    updated: i64,
}

/// Every organisation.
#[derive(ToSchema)]
struct OrganisationList {
    organisations: Vec<Organisation>,
}

/// One organisation and its audit trail.
#[derive(ToSchema)]
struct OrganisationDetail {
    organisation: Organisation,
    audit: Vec<RegistryAuditRecord>,
}

/// A key to enrol. Validity defaults to now for 365 days.
#[derive(ToSchema)]
struct KeyIn {
    kid: String,
    public_key_pem: String,
    not_before: Option<i64>,
    /// Unix seconds; or give `valid_days`.
    not_after: Option<i64>,
    valid_days: Option<i64>,
}

/// An organisation to enrol. Unknown fields are refused.
#[derive(ToSchema)]
struct OrganisationIn {
    /// Letters, digits, `_`, `-`, `.`; its names become protected as `reg:ID`.
    id: String,
    legal_name: String,
    category: String,
    /// `{"zh_hans": […], "zh_hant": […], "en": […]}`, or a list whose languages are detected.
    names: serde_json::Value,
    handles: Vec<String>,
    callback_numbers: Option<Vec<String>>,
    domains: Option<Vec<String>>,
    keys: Option<Vec<KeyIn>>,
    /// Default active.
    status: Option<String>,
}

/// A status change.
#[derive(ToSchema)]
struct StatusIn {
    /// active, suspended or revoked.
    status: String,
    /// Kept in the audit trail.
    reason: Option<String>,
}

/// The outcome of a status change.
#[derive(ToSchema)]
struct StatusChanged {
    id: String,
    status: String,
    previous: String,
    changed: bool,
}

/// A revoked key.
#[derive(ToSchema)]
struct KeyRevoked {
    kid: String,
    org: String,
    revoked: bool,
}

/// A registry export of a trusted operator.
#[derive(ToSchema)]
struct ImportIn {
    /// The compact JWS from `GET /v1/admin/registry/export` or `scamguard registry export`.
    document: String,
}

/// What an import changed.
#[derive(ToSchema)]
struct Imported {
    exported_at: i64,
    added: Vec<String>,
    updated: Vec<String>,
    keys_added: i64,
    keys_revoked: i64,
}

/// One change to the registry.
#[derive(ToSchema)]
struct RegistryAuditRecord {
    id: i64,
    /// Unix ms.
    at: i64,
    /// The API key id, or `cli`.
    who: String,
    /// add_organisation, update_organisation, set_status, add_key, revoke_key, import_add,
    /// import_update.
    action: String,
    org_id: Option<String>,
    kid: Option<String>,
    detail: serde_json::Value,
}

/// Registry changes, newest first.
#[derive(ToSchema)]
struct RegistryAuditPage {
    records: Vec<RegistryAuditRecord>,
}

#[utoipa::path(get, path = "/v1/admin/registry/organisations", tag = "registry",
    responses((status = 200, description = "Every organisation, by id", body = OrganisationList)),
    security(("api_key" = [])))]
fn registry_list() {}

#[utoipa::path(post, path = "/v1/admin/registry/organisations", tag = "registry",
    request_body = OrganisationIn,
    responses(
        (status = 201, description = "Enrolled and in force", body = Organisation),
        (status = 409, description = "The id or a key id is taken", body = ErrorBody),
        (status = 422, description = "A field is missing or wrong; `field` names it", body = ErrorBody)
    ),
    security(("api_key" = [])))]
fn registry_create() {}

#[utoipa::path(get, path = "/v1/admin/registry/organisations/{id}", tag = "registry",
    params(("id" = String, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "The organisation and its audit trail", body = OrganisationDetail),
        (status = 404, description = "organisation_not_found", body = ErrorBody)
    ),
    security(("api_key" = [])))]
fn registry_show() {}

#[utoipa::path(post, path = "/v1/admin/registry/organisations/{id}/status", tag = "registry",
    params(("id" = String, Path, description = "Organisation id")),
    request_body = StatusIn,
    responses(
        (status = 200, description = "Changed (or already so)", body = StatusChanged),
        (status = 404, description = "organisation_not_found", body = ErrorBody),
        (status = 409, description = "The organisation is revoked, which is final", body = ErrorBody),
        (status = 422, description = "Unknown status", body = ErrorBody)
    ),
    security(("api_key" = [])))]
fn registry_status() {}

#[utoipa::path(post, path = "/v1/admin/registry/organisations/{id}/keys", tag = "registry",
    params(("id" = String, Path, description = "Organisation id")),
    request_body = KeyIn,
    responses(
        (status = 201, description = "Added and in force", body = Organisation),
        (status = 404, description = "organisation_not_found", body = ErrorBody),
        (status = 409, description = "The key id is taken", body = ErrorBody),
        (status = 422, description = "Not a P-256 SPKI PEM, a bad kid or validity", body = ErrorBody)
    ),
    security(("api_key" = [])))]
fn registry_add_key() {}

#[utoipa::path(post, path = "/v1/admin/registry/keys/{kid}/revoke", tag = "registry",
    params(("kid" = String, Path, description = "Key id")),
    responses(
        (status = 200, description = "Revoked; tokens it signed fail with key_not_valid", body = KeyRevoked),
        (status = 404, description = "key_not_found", body = ErrorBody),
        (status = 409, description = "Already revoked", body = ErrorBody)
    ),
    security(("api_key" = [])))]
fn registry_revoke_key() {}

#[utoipa::path(get, path = "/v1/admin/registry/export", tag = "registry",
    responses(
        (status = 200, description = "A compact JWS (ES256, typ scamguard-registry) over \
{\"version\": 1, \"exported_at\", \"organisations\"}, signed with the operator key",
            content_type = "application/jose", body = String),
        (status = 503, description = "not_configured: no operator key", body = ErrorBody)
    ),
    security(("api_key" = [])))]
fn registry_export() {}

#[utoipa::path(post, path = "/v1/admin/registry/import", tag = "registry",
    request_body = ImportIn,
    responses(
        (status = 200, description = "Imported and in force", body = Imported),
        (status = 409, description = "A key id belongs to another organisation or key here", body = ErrorBody),
        (status = 422, description = "Bad signature, untrusted signer, or invalid organisations (all listed)", body = ErrorBody),
        (status = 503, description = "not_configured: no trusted operator key", body = ErrorBody)
    ),
    security(("api_key" = [])))]
fn registry_import() {}

#[utoipa::path(get, path = "/v1/admin/registry/audit", tag = "registry",
    params(
        ("org" = Option<String>, Query, description = "Only this organisation"),
        ("limit" = Option<i64>, Query, description = "1 to 1000, default 100")
    ),
    responses((status = 200, description = "Changes, newest first", body = RegistryAuditPage)),
    security(("api_key" = [])))]
fn registry_audit() {}

#[utoipa::path(get, path = "/healthz", tag = "ops",
    responses((status = 200, description = "The process answers")))]
fn healthz() {}

#[utoipa::path(get, path = "/readyz", tag = "ops",
    responses(
        (status = 200, description = "Ready"),
        (status = 503, description = "Not ready", body = ErrorBody)
    ))]
fn readyz() {}

#[utoipa::path(get, path = "/metrics", tag = "ops",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain")))]
fn metrics() {}

#[utoipa::path(get, path = "/openapi.json", tag = "ops",
    responses((status = 200, description = "This document")))]
fn openapi_json() {}
