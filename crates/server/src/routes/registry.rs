//! Registry endpoints (scope `admin`): enrol organisations and their keys, suspend or revoke
//! them, and exchange the registry with other operators as a signed document.
//!
//! Every change is recorded in the store's registry audit trail under the API key's id, and
//! put in force at once (the engine gets a new registry snapshot; its policy is kept).

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{from_value, AppJson, Query};
use crate::registry::reload;
use crate::state::AppState;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use scamguard_core::event::kind_of;
use scamguard_core::passport::{
    key_validity, open_document, sign_document, FieldProblem, Names, OrgKey, OrgStatus,
    Organisation, RegistryDocument,
};
use scamguard_store::{
    enrol, now_ms, Actor, EnrolError, KeyRevocation, OrganisationRecord, RegistryAuditRecord,
    StatusChange, StoreError,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Audit records shown with one organisation.
const AUDIT_WITH_ORGANISATION: i64 = 100;

/// Who is making a change: the API key's id from the auth middleware.
#[derive(Debug, Clone)]
pub struct Who(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Who {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Who(parts
            .extensions
            .get::<Caller>()
            .map(|c| c.key_id.to_string())
            .unwrap_or_else(|| "unknown".into())))
    }
}

impl Who {
    fn now(&self) -> Actor<'_> {
        Actor {
            who: &self.0,
            at: now_ms(),
        }
    }
}

/// Every enrolled organisation.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrganisationList {
    /// By id.
    pub organisations: Vec<OrganisationRecord>,
}

/// One organisation and its recent audit trail.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrganisationDetail {
    /// The record, with every key.
    pub organisation: OrganisationRecord,
    /// Its changes, newest first.
    pub audit: Vec<RegistryAuditRecord>,
}

/// The outcome of a status change.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StatusChanged {
    /// The organisation.
    pub id: String,
    /// Its status now.
    pub status: OrgStatus,
    /// Its status before.
    pub previous: OrgStatus,
    /// Whether anything changed.
    pub changed: bool,
}

/// A revoked key.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct KeyRevoked {
    /// The key id.
    pub kid: String,
    /// Its organisation.
    pub org: String,
    /// Always true.
    pub revoked: bool,
}

/// What an import did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Imported {
    /// When the document was exported (Unix seconds).
    pub exported_at: i64,
    /// Organisations that were new.
    pub added: Vec<String>,
    /// Organisations that were updated.
    pub updated: Vec<String>,
    /// Keys that were new.
    pub keys_added: usize,
    /// Keys that the document revoked.
    pub keys_revoked: usize,
}

/// Registry audit records, newest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RegistryAuditPage {
    /// The records.
    pub records: Vec<RegistryAuditRecord>,
}

/// Every enrolled organisation, by id.
#[utoipa::path(get, path = "/v1/admin/registry/organisations", tag = "registry",
    responses((status = 200, description = "Every organisation, by id", body = OrganisationList)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<OrganisationList>, ApiError> {
    Ok(Json(OrganisationList {
        organisations: state.store().registry_list().await?,
    }))
}

/// Enrols an organisation with its names, handles, call-back numbers and keys.
#[utoipa::path(post, path = "/v1/admin/registry/organisations", tag = "registry",
    request_body = OrganisationInput,
    responses(
        (status = 201, description = "Enrolled and in force", body = OrganisationRecord),
        (status = 409, description = "conflict: the id or a key id is taken", body = ErrorBody)
    ))]
pub async fn create(
    State(state): State<AppState>,
    who: Who,
    AppJson(body): AppJson,
) -> Result<(StatusCode, Json<OrganisationRecord>), ApiError> {
    let input: OrganisationInput = from_value(&body)?;
    let now = now_ms();
    let org = input.into_organisation(now / 1000)?;
    enrol(state.store(), &org, who.now())
        .await
        .map_err(enrol_error)?;
    reload(&state).await?;
    let record = state
        .store()
        .registry_get(&org.id)
        .await?
        .ok_or_else(|| ApiError::Internal("an added organisation is missing".into()))?;
    Ok((StatusCode::CREATED, Json(record)))
}

/// One organisation and its recent audit trail.
#[utoipa::path(get, path = "/v1/admin/registry/organisations/{id}", tag = "registry",
    params(("id" = String, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "The organisation and its changes, newest first", body = OrganisationDetail),
        (status = 404, description = "organisation_not_found", body = ErrorBody)
    ))]
pub async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<OrganisationDetail>, ApiError> {
    let organisation = state
        .store()
        .registry_get(&id)
        .await?
        .ok_or(ApiError::OrganisationNotFound(id.clone()))?;
    let audit = state
        .store()
        .registry_audit(Some(&id), AUDIT_WITH_ORGANISATION)
        .await?;
    Ok(Json(OrganisationDetail {
        organisation,
        audit,
    }))
}

/// Activates, suspends or revokes an organisation (revoking is final).
#[utoipa::path(post, path = "/v1/admin/registry/organisations/{id}/status", tag = "registry",
    params(("id" = String, Path, description = "Organisation id")),
    request_body = StatusInput,
    responses(
        (status = 200, description = "Changed, or already so", body = StatusChanged),
        (status = 404, description = "organisation_not_found", body = ErrorBody),
        (status = 409, description = "conflict: the organisation is revoked, which is final", body = ErrorBody)
    ))]
pub async fn set_status(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    AppJson(body): AppJson,
) -> Result<Json<StatusChanged>, ApiError> {
    let input: StatusInput = from_value(&body)?;
    let status = OrgStatus::parse(&input.status).ok_or_else(|| {
        ApiError::field(
            "status",
            format!(
                "expected active, suspended or revoked, found {:?}",
                input.status
            ),
        )
    })?;
    let outcome = state
        .store()
        .registry_set_status(&id, status, input.reason.as_deref(), who.now())
        .await?;
    let previous = match outcome {
        StatusChange::NotFound => return Err(ApiError::OrganisationNotFound(id)),
        StatusChange::Refused => {
            return Err(ApiError::Conflict {
                field: "status".into(),
                message: format!(
                    "organisation {id:?} is revoked, which is final; enrol it again under a new id"
                ),
            })
        }
        StatusChange::Unchanged => status,
        StatusChange::Changed { from } => {
            reload(&state).await?;
            from
        }
    };
    Ok(Json(StatusChanged {
        id,
        status,
        previous,
        changed: previous != status,
    }))
}

/// Adds a public key to an organisation.
#[utoipa::path(post, path = "/v1/admin/registry/organisations/{id}/keys", tag = "registry",
    params(("id" = String, Path, description = "Organisation id")),
    request_body = KeyInput,
    responses(
        (status = 201, description = "Added and in force", body = OrganisationRecord),
        (status = 404, description = "organisation_not_found", body = ErrorBody),
        (status = 409, description = "conflict: the key id is taken", body = ErrorBody)
    ))]
pub async fn add_key(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    AppJson(body): AppJson,
) -> Result<(StatusCode, Json<OrganisationRecord>), ApiError> {
    let input: KeyInput = from_value(&body)?;
    let key = input.into_key(now_ms() / 1000, "")?;
    scamguard_store::add_key(state.store(), &id, &key, who.now())
        .await
        .map_err(enrol_error)?;
    reload(&state).await?;
    let record = state
        .store()
        .registry_get(&id)
        .await?
        .ok_or(ApiError::OrganisationNotFound(id))?;
    Ok((StatusCode::CREATED, Json(record)))
}

/// Revokes a key: tokens it signed fail from now on.
#[utoipa::path(post, path = "/v1/admin/registry/keys/{kid}/revoke", tag = "registry",
    params(("kid" = String, Path, description = "Key id")),
    responses(
        (status = 200, description = "Revoked; tokens it signed fail with key_not_valid", body = KeyRevoked),
        (status = 404, description = "key_not_found", body = ErrorBody),
        (status = 409, description = "conflict: already revoked", body = ErrorBody)
    ))]
pub async fn revoke_key(
    State(state): State<AppState>,
    who: Who,
    Path(kid): Path<String>,
) -> Result<Json<KeyRevoked>, ApiError> {
    match state.store().registry_revoke_key(&kid, who.now()).await? {
        KeyRevocation::NotFound => Err(ApiError::RegistryKeyNotFound(kid)),
        KeyRevocation::AlreadyRevoked => Err(ApiError::Conflict {
            field: "kid".into(),
            message: format!("key {kid:?} is already revoked"),
        }),
        KeyRevocation::Revoked { org_id } => {
            reload(&state).await?;
            Ok(Json(KeyRevoked {
                kid,
                org: org_id,
                revoked: true,
            }))
        }
    }
}

/// The registry as a compact JWS signed with the operator's key.
#[utoipa::path(get, path = "/v1/admin/registry/export", tag = "registry",
    responses(
        (status = 200, description = "A compact JWS (ES256, typ scamguard-registry) over \
{\"version\": 1, \"exported_at\", \"organisations\"}, signed with the operator key",
            content_type = "application/jose", body = String),
        (status = 409, description = "not_configured: this server has no operator key", body = ErrorBody)
    ))]
pub async fn export(State(state): State<AppState>) -> Result<Response, ApiError> {
    let key = state.config().operator_key.clone().ok_or_else(|| {
        ApiError::NotConfigured(
            "no operator key to sign the export with: create one with `scamguard signing-key generate \
             --out DATA_DIR/operator` or start the server with --operator-key FILE"
                .into(),
        )
    })?;
    let orgs = state
        .store()
        .registry_list()
        .await?
        .into_iter()
        .map(|r| r.organisation)
        .collect();
    let doc = RegistryDocument::new(orgs, now_ms() / 1000);
    let jws = sign_document(&doc, &key.kid, key.private_pem.as_bytes())
        .map_err(|e| ApiError::NotConfigured(format!("operator key: {e}")))?;
    Ok(([(header::CONTENT_TYPE, "application/jose")], jws).into_response())
}

/// Imports a registry export of an operator this server trusts. Nothing is imported unless
/// the signature and every organisation are valid.
#[utoipa::path(post, path = "/v1/admin/registry/import", tag = "registry",
    request_body = ImportInput,
    responses(
        (status = 200, description = "What the import changed", body = Imported),
        (status = 409, description = "not_configured (no operator is trusted) or conflict (the document clashes)", body = ErrorBody)
    ))]
pub async fn import(
    State(state): State<AppState>,
    who: Who,
    AppJson(body): AppJson,
) -> Result<Json<Imported>, ApiError> {
    let input: ImportInput = from_value(&body)?;
    let trust: Vec<&str> = state
        .config()
        .registry_trust
        .iter()
        .map(String::as_str)
        .collect();
    if trust.is_empty() {
        return Err(ApiError::NotConfigured(
            "no operator is trusted for imports: start the server with --registry-trust \
             FILE (their public key) or put it in DATA_DIR/trust/NAME.pem"
                .into(),
        ));
    }
    let doc = open_document(&input.document, &trust)
        .map_err(|e| ApiError::field("document", e.to_string()))?;
    let summary = state
        .store()
        .registry_import(&doc.organisations, "api import", who.now())
        .await
        .map_err(|e| conflict(e, "document", "the document clashes with the registry"))?;
    reload(&state).await?;
    Ok(Json(Imported {
        exported_at: doc.exported_at,
        added: summary.added,
        updated: summary.updated,
        keys_added: summary.keys_added,
        keys_revoked: summary.keys_revoked,
    }))
}

/// Which registry changes to list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegistryAuditParams {
    /// Only this organisation.
    pub org: Option<String>,
    /// At most this many (1 to 1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// Registry changes, newest first.
#[utoipa::path(get, path = "/v1/admin/registry/audit", tag = "registry",
    params(RegistryAuditParams),
    responses(
        (status = 200, description = "Changes, newest first", body = RegistryAuditPage),
        (status = 422, description = "invalid_field: a parameter is wrong", body = ErrorBody)
    ))]
pub async fn audit(
    State(state): State<AppState>,
    Query(params): Query<RegistryAuditParams>,
) -> Result<Json<RegistryAuditPage>, ApiError> {
    let limit = crate::routes::admin::limit(params.limit)?;
    Ok(Json(RegistryAuditPage {
        records: state
            .store()
            .registry_audit(params.org.as_deref(), limit)
            .await?,
    }))
}

/// A new organisation, as posted.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationInput {
    /// Stable id: 1 to 64 letters, digits, `_`, `-`, `.` (e.g. `hz-police`).
    #[schema(pattern = "^[A-Za-z0-9_.-]{1,64}$")]
    id: String,
    /// Legal name.
    legal_name: String,
    /// One of the lexicon's categories (police, court, bank, …); authority categories weigh
    /// most when impersonated.
    category: String,
    /// Names it may show: `{"zh_hans": […], "zh_hant": […], "en": […]}`, or a list whose
    /// languages are detected.
    #[serde(default)]
    names: NamesInput,
    /// Handles it calls or messages from (at least one).
    #[serde(default)]
    handles: Vec<String>,
    /// Official call-back numbers; the first is offered to users who get a fake call.
    #[serde(default)]
    callback_numbers: Vec<String>,
    /// Official domains.
    #[serde(default)]
    domains: Vec<String>,
    /// Its public keys.
    #[serde(default)]
    keys: Vec<KeyInput>,
    /// Its status (default active).
    #[serde(default)]
    status: Option<OrgStatus>,
}

impl OrganisationInput {
    fn into_organisation(self, now_secs: i64) -> Result<Organisation, ApiError> {
        let keys = self
            .keys
            .into_iter()
            .enumerate()
            .map(|(i, k)| k.into_key(now_secs, &format!("keys[{i}].")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Organisation {
            id: self.id,
            legal_name: self.legal_name,
            category: self.category,
            names: self.names.0,
            handles: self.handles,
            callback_numbers: self.callback_numbers,
            domains: self.domains,
            keys,
            status: self.status.unwrap_or_default(),
        })
    }
}

/// Display names: `{"zh_hans": […], "zh_hant": […], "en": […]}`, or a list whose languages
/// are detected.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "Value")]
#[schema(value_type = Object)]
pub struct NamesInput(Names);

impl TryFrom<Value> for NamesInput {
    type Error = String;

    fn try_from(v: Value) -> Result<Self, Self::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct ByLanguage {
            #[serde(default)]
            zh_hans: Vec<String>,
            #[serde(default)]
            zh_hant: Vec<String>,
            #[serde(default)]
            en: Vec<String>,
        }
        match v {
            Value::Array(_) => {
                let list: Vec<String> = serde_json::from_value(v)
                    .map_err(|_| "expected a list of names (strings)".to_string())?;
                let mut names = Names::default();
                for n in &list {
                    names.push_detected(n);
                }
                Ok(NamesInput(names))
            }
            Value::Object(_) => {
                let b: ByLanguage = serde_json::from_value(v)
                    .map_err(|e| format!("expected lists under zh_hans, zh_hant and en: {e}"))?;
                Ok(NamesInput(Names {
                    zh_hans: b.zh_hans,
                    zh_hant: b.zh_hant,
                    en: b.en,
                }))
            }
            other => Err(format!(
                "expected an object with zh_hans, zh_hant and en, or a list of names, found {}",
                kind_of(&other)
            )),
        }
    }
}

/// A public key, as posted.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyInput {
    /// The key's id, unique across the registry: what its tokens carry as `kid` (1 to 128 of
    /// letters, digits, `_`, `-`, `.`, `:`).
    #[schema(pattern = "^[A-Za-z0-9_.:-]{1,128}$")]
    kid: String,
    /// A P-256 public key in PEM (SPKI, `BEGIN PUBLIC KEY`).
    public_key_pem: String,
    /// Start of validity, Unix seconds (default now).
    #[serde(default)]
    not_before: Option<i64>,
    /// End of validity, Unix seconds; not with `valid_days`.
    #[serde(default)]
    not_after: Option<i64>,
    /// Days of validity from `not_before` (1 to 36,500, default 365); not with `not_after`.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 36500)]
    valid_days: Option<i64>,
}

impl KeyInput {
    /// The key, valid from `not_before` (default now) for `valid_days` (default 365) unless
    /// `not_after` is given. `at` prefixes field names in errors.
    fn into_key(self, now_secs: i64, at: &str) -> Result<OrgKey, ApiError> {
        let (not_before, not_after) =
            key_validity(now_secs, self.not_before, self.not_after, self.valid_days)
                .map_err(|p| ApiError::field(format!("{at}{}", p.field), p.message))?;
        Ok(OrgKey {
            kid: self.kid,
            public_key_pem: self.public_key_pem,
            not_before,
            not_after,
            revoked: false,
        })
    }
}

/// A new status for an organisation.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusInput {
    /// `active`, `suspended` or `revoked` (final).
    #[schema(value_type = OrgStatus)]
    status: String,
    /// Why, for the audit trail.
    #[serde(default)]
    reason: Option<String>,
}

/// A registry export of an operator this server trusts.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportInput {
    /// The compact JWS from `GET /v1/admin/registry/export` or `scamguard registry export`.
    document: String,
}

/// A 422 naming the first problem's field and listing every problem, or nothing.
fn refuse_problems(problems: Vec<FieldProblem>) -> Result<(), ApiError> {
    match problems.as_slice() {
        [] => Ok(()),
        [one] => Err(ApiError::field(one.field.clone(), one.message.clone())),
        [first, ..] => Err(ApiError::field(
            first.field.clone(),
            format!(
                "{} problems: {}",
                problems.len(),
                problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        )),
    }
}

/// What the registry's rules refused, as the API answers it.
fn enrol_error(e: EnrolError) -> ApiError {
    match e {
        EnrolError::Invalid(problems) => match refuse_problems(problems) {
            Err(e) => e,
            Ok(()) => ApiError::Internal("an empty list of problems".into()),
        },
        EnrolError::IdTaken(id) => ApiError::Conflict {
            field: "id".into(),
            message: format!(
                "organisation {id:?} is already enrolled; add keys with POST \
                 /v1/admin/registry/organisations/{id}/keys"
            ),
        },
        EnrolError::KidTaken { field, kid } => ApiError::Conflict {
            field: field.into(),
            message: format!("key id {kid:?} is already enrolled; pick another"),
        },
        EnrolError::NotFound(id) => ApiError::OrganisationNotFound(id),
        EnrolError::Store(e) => e.into(),
    }
}

/// A store conflict as a 409 on `field`; anything else as usual.
fn conflict(e: StoreError, field: &str, message: &str) -> ApiError {
    match e {
        StoreError::Conflict(detail) => ApiError::Conflict {
            field: field.into(),
            message: if detail.contains("registry_") {
                message.to_string()
            } else {
                detail
            },
        },
        e => e.into(),
    }
}
