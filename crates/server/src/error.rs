//! The API's one error type and its JSON shape.
//!
//! Every failure a client can see is an [`ApiError`] and leaves as
//! `{"error": {"code": "...", "message": "...", "field": "events[0].text"}}` with the status
//! its kind implies ([`ApiError::status`]). Internal details (database errors, panics) are
//! logged and never returned: the client gets a code and a generic message.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use scamguard_core::InputError;
use scamguard_store::StoreError;
use serde::Serialize;

/// Something the API refuses or cannot do.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not JSON at all (400 `malformed_json`).
    #[error("{message}")]
    MalformedJson {
        /// Where and what.
        message: String,
    },
    /// The body ended before its `Content-Length`, or paused for longer than the server
    /// waits (400 `incomplete_body`).
    #[error("the request body ended early or stalled ({detail}); send the whole body at once")]
    IncompleteBody {
        /// What the server saw.
        detail: String,
    },
    /// The body is larger than the configured limit (413 `payload_too_large`).
    #[error("the request body is larger than {limit} bytes")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// A field is missing, of the wrong type or out of range (422 `invalid_field`).
    #[error("{field}: {message}")]
    InvalidField {
        /// The field's path, e.g. `events[0].text`.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// A request that is not JSON where JSON is expected (415 `unsupported_media_type`).
    #[error("expected Content-Type: application/json")]
    UnsupportedMediaType,
    /// No API key was presented (401 `missing_key`).
    #[error("missing API key: send Authorization: Bearer KEY")]
    MissingKey,
    /// The key is unknown or revoked (401 `invalid_key`).
    #[error("the API key is unknown or revoked")]
    InvalidKey,
    /// The key lacks the scope (403 `forbidden`).
    #[error("this API key lacks the {needed:?} scope")]
    Forbidden {
        /// The scope the endpoint needs.
        needed: &'static str,
    },
    /// No such route (404 `not_found`).
    #[error("no such endpoint")]
    RouteNotFound,
    /// Wrong method for the route (405 `method_not_allowed`).
    #[error("method not allowed")]
    MethodNotAllowed,
    /// No such session (404 `session_not_found`).
    #[error("no session with this id")]
    SessionNotFound,
    /// The session expired (404 `session_expired`): open a new one.
    #[error("the session has expired; open a new one")]
    SessionExpired,
    /// The call ended (`call_ended`): the session takes no more events (409 `session_closed`).
    #[error("the call has ended and its session is closed; open a new session for a new call")]
    SessionClosed,
    /// The session has taken as many events as one session may (409 `session_event_limit`).
    #[error(
        "the session has reached {limit} events, the most one session takes; open a new session"
    )]
    SessionEventLimit {
        /// The limit.
        limit: u64,
    },
    /// What the request changes was changed at the same moment by another request or node
    /// (409 `conflict`); retrying is safe.
    #[error("the resource changed at the same moment; retry")]
    Stale,
    /// Too many requests for this key (429 `rate_limited`).
    #[error("rate limit exceeded; retry in {retry_after_secs} s")]
    RateLimited {
        /// When to retry.
        retry_after_secs: u64,
    },
    /// The request took longer than the configured timeout (503 `timeout`).
    #[error("the request timed out")]
    Timeout,
    /// The server is shutting down (503 `shutting_down`).
    #[error("the server is shutting down")]
    ShuttingDown,
    /// The database is unavailable (503 `unavailable`).
    #[error("storage is unavailable; retry later")]
    Unavailable(#[source] StoreError),
    /// A policy that failed validation (422 `invalid_policy`).
    #[error("{message}")]
    InvalidPolicy {
        /// The field that carried it (`policy`) or the file.
        field: String,
        /// Every problem found.
        message: String,
    },
    /// The configured policy file could not be read (503 `policy_unreadable`).
    #[error("{0}")]
    PolicyUnreadable(String),
    /// No registry organisation has this id (404 `organisation_not_found`).
    #[error("no organisation with id {0:?} is enrolled")]
    OrganisationNotFound(String),
    /// No campaign has this id (404 `campaign_not_found`).
    #[error("no campaign with id {0:?}")]
    CampaignNotFound(String),
    /// No registry key has this id (404 `key_not_found`).
    #[error("no key with id {0:?} is enrolled")]
    RegistryKeyNotFound(String),
    /// No guardian in force has this id for this key (404 `guardian_not_found`).
    #[error("no guardian with this id is registered by this key")]
    GuardianNotFound,
    /// The request contradicts what exists: a duplicate id, a final state (409 `conflict`).
    #[error("{message}")]
    Conflict {
        /// The field at fault.
        field: String,
        /// What clashes, and what to do instead.
        message: String,
    },
    /// The server lacks the configuration this request needs (409 `not_configured`): the
    /// request cannot succeed until an operator configures it, so retrying is pointless.
    #[error("{0}")]
    NotConfigured(String),
    /// A bug: logged, reported as 500 `internal` without detail.
    #[error("internal error")]
    Internal(String),
}

/// The JSON body of every error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `invalid_field`, `session_not_found`.
    pub code: &'static str,
    /// For people: what is wrong and what to do.
    pub message: String,
    /// The field at fault, e.g. `events[0].text` or `body`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    /// A 422 for `field`.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::InvalidField {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::MalformedJson { .. } | ApiError::IncompleteBody { .. } => {
                StatusCode::BAD_REQUEST
            }
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::InvalidField { .. } | ApiError::InvalidPolicy { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::MissingKey | ApiError::InvalidKey => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::RouteNotFound
            | ApiError::SessionNotFound
            | ApiError::SessionExpired
            | ApiError::OrganisationNotFound(_)
            | ApiError::CampaignNotFound(_)
            | ApiError::RegistryKeyNotFound(_)
            | ApiError::GuardianNotFound => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. }
            | ApiError::NotConfigured(_)
            | ApiError::SessionClosed
            | ApiError::SessionEventLimit { .. }
            | ApiError::Stale => StatusCode::CONFLICT,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Timeout
            | ApiError::ShuttingDown
            | ApiError::Unavailable(_)
            | ApiError::PolicyUnreadable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::MalformedJson { .. } => "malformed_json",
            ApiError::IncompleteBody { .. } => "incomplete_body",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::InvalidField { .. } => "invalid_field",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::MissingKey => "missing_key",
            ApiError::InvalidKey => "invalid_key",
            ApiError::Forbidden { .. } => "forbidden",
            ApiError::RouteNotFound => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::SessionNotFound => "session_not_found",
            ApiError::SessionExpired => "session_expired",
            ApiError::SessionClosed => "session_closed",
            ApiError::SessionEventLimit { .. } => "session_event_limit",
            ApiError::Stale => "conflict",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Timeout => "timeout",
            ApiError::ShuttingDown => "shutting_down",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::InvalidPolicy { .. } => "invalid_policy",
            ApiError::PolicyUnreadable(_) => "policy_unreadable",
            ApiError::OrganisationNotFound(_) => "organisation_not_found",
            ApiError::RegistryKeyNotFound(_) => "key_not_found",
            ApiError::GuardianNotFound => "guardian_not_found",
            ApiError::CampaignNotFound(_) => "campaign_not_found",
            ApiError::Conflict { .. } => "conflict",
            ApiError::NotConfigured(_) => "not_configured",
            ApiError::Internal(_) => "internal",
        }
    }

    fn field_name(&self) -> Option<&str> {
        match self {
            ApiError::MalformedJson { .. }
            | ApiError::IncompleteBody { .. }
            | ApiError::PayloadTooLarge { .. } => Some("body"),
            ApiError::InvalidField { field, .. }
            | ApiError::InvalidPolicy { field, .. }
            | ApiError::Conflict { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The code, message and field of this error, as its JSON body carries them.
    pub fn detail(&self) -> ErrorDetail {
        ErrorDetail {
            code: self.code(),
            message: self.message(),
            field: self.field_name().map(String::from),
        }
    }

    fn message(&self) -> String {
        match self {
            ApiError::InvalidField { message, .. } => message.clone(),
            _ => self.to_string(),
        }
    }
}

impl From<InputError> for ApiError {
    fn from(e: InputError) -> Self {
        // The engine reports JSON syntax at path "body"; everything else is a field problem.
        if e.path == "body" && e.message.starts_with("invalid JSON") {
            ApiError::MalformedJson { message: e.message }
        } else if e.path.is_empty() || e.path == "." {
            ApiError::field("body", e.message)
        } else {
            ApiError::field(e.path, e.message)
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        if let StoreError::Conflict(_) = e {
            return ApiError::Stale;
        }
        if e.is_unavailable() {
            ApiError::Unavailable(e)
        } else {
            ApiError::Internal(e.to_string())
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        match &self {
            ApiError::Internal(detail) => tracing::error!(detail = %detail, "internal error"),
            ApiError::Unavailable(e) => tracing::warn!(error = %e, "storage unavailable"),
            ApiError::PolicyUnreadable(e) => tracing::warn!(error = %e, "policy unreadable"),
            _ => {}
        }
        let body = ErrorBody {
            error: self.detail(),
        };
        let json = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
        let mut resp = (status, json).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let ApiError::RateLimited { retry_after_secs } = self {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_errors_keep_their_field() {
        let e: ApiError = InputError::new("events[0].text", "missing field").into();
        assert_eq!(e.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e.field_name(), Some("events[0].text"));
        assert_eq!(e.message(), "missing field");
        let e: ApiError = InputError::new("body", "invalid JSON at line 1 column 2: x").into();
        assert_eq!(e.code(), "malformed_json");
    }
}
