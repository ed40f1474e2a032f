//! Our own extractors, so that every rejection has the API's error shape.
//!
//! axum's `Json` answers bad bodies with plain-text errors; [`AppJson`] buffers the body
//! itself (under the body limit) and parses it into a `serde_json::Value`, leaving the
//! field-by-field checks to the engine's parsers, which name the field at fault.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use serde_json::Value;
use std::collections::HashMap;

/// A JSON request body, parsed but not yet checked.
#[derive(Debug)]
pub struct AppJson(pub Value);

impl<S: Send + Sync> FromRequest<S> for AppJson {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(ct) = req.headers().get(header::CONTENT_TYPE) {
            let ct = ct.to_str().unwrap_or("").to_ascii_lowercase();
            let essence = ct.split(';').next().unwrap_or("").trim();
            if !(essence == "application/json" || essence.ends_with("+json")) {
                return Err(ApiError::UnsupportedMediaType);
            }
        }
        let limit = req
            .extensions()
            .get::<BodyLimit>()
            .map(|l| l.0)
            .unwrap_or(usize::MAX);
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge { limit }
            } else {
                // The connection ended, or the body paused too long (`body_timeout`): the
                // body never arrived whole.
                ApiError::IncompleteBody {
                    detail: body_problem(&r),
                }
            }
        })?;
        parse_body(&bytes).map(AppJson)
    }
}

/// What stopped a body from being read, from the innermost error: hyper's `incomplete
/// message`, or the body timeout's `data was not received within the designated timeout`.
fn body_problem(rejection: &axum::extract::rejection::BytesRejection) -> String {
    let mut inner: &dyn std::error::Error = rejection;
    while let Some(source) = inner.source() {
        inner = source;
    }
    inner.to_string()
}

/// A JSON request body read into `T`, every problem reported under the field it is in.
///
/// The body is first parsed as JSON (so syntax errors say where they are), then read into
/// `T` with its path tracked, so `{"status": 3}` is `status: invalid type…`.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let AppJson(value) = AppJson::from_request(req, state).await?;
        from_value(&value).map(JsonBody)
    }
}

/// Reads a parsed body into `T`, naming the field at fault: `missing field` is reported at
/// the field itself (`keys[0].kid`), not at its parent.
pub fn from_value<T: serde::de::DeserializeOwned>(body: &Value) -> Result<T, ApiError> {
    if !body.is_object() {
        return Err(ApiError::field(
            "body",
            format!(
                "expected an object, found {}",
                scamguard_core::event::kind_of(body)
            ),
        ));
    }
    serde_path_to_error::deserialize(body)
        .map_err(|e| field_error(e.path().to_string(), e.inner().to_string()))
}

/// A deserialisation problem at `path` as the API's error.
fn field_error(path: String, message: String) -> ApiError {
    // serde says "missing field `id`" at the parent; name the field itself.
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|m| m.split('`').next())
        .map(String::from);
    let field = match (path.as_str(), missing) {
        (".", Some(m)) => m,
        (".", None) => "body".to_string(),
        (p, Some(m)) => format!("{p}.{m}"),
        (p, None) => p.to_string(),
    };
    let message = if message.starts_with("missing field") {
        "missing field".to_string()
    } else {
        message
    };
    ApiError::field(field, message)
}

/// Query parameters read into `T` (a struct of optional fields), a bad value reported under
/// its own name. An empty text value (`?org=`) counts as absent, as a form left blank means;
/// an empty number or flag (`?limit=`) is refused, since it is not one.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        let pairs = || form_urlencoded::parse(query.as_bytes());
        if pairs().any(|(_, v)| v.is_empty()) {
            // Read as given, a blank number fails under its own name; blank text reads as "".
            read_query::<T>(query.as_bytes())?;
        }
        let given = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs().filter(|(_, v)| !v.is_empty()))
            .finish();
        read_query(given.as_bytes()).map(Query)
    }
}

fn read_query<T: serde::de::DeserializeOwned>(query: &[u8]) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." {
            "query".to_string()
        } else {
            path
        };
        field_error(field, e.inner().to_string())
    })
}

/// Parses a body as JSON, saying where it breaks.
pub fn parse_body(bytes: &[u8]) -> Result<Value, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::MalformedJson {
            message: "the body is empty; expected a JSON object".into(),
        });
    }
    serde_json::from_slice(bytes)
        .map_err(|e| scamguard_core::event::json_syntax_error("", &e).into())
}

/// The configured body limit, put in request extensions so rejections can name it.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// Query parameters, read one by one so that a bad value is reported under its own name.
#[derive(Debug, Default)]
pub struct Params(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<HashMap<String, String>>::try_from_uri(&parts.uri)
            .map(|q| Params(q.0))
            .map_err(|_| ApiError::field("query", "invalid query string"))
    }
}

impl Params {
    /// A text parameter; empty counts as absent.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    /// An integer parameter.
    pub fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        self.text(name)
            .map(|v| {
                v.parse::<i64>()
                    .map_err(|_| ApiError::field(name, format!("expected an integer, found {v:?}")))
            })
            .transpose()
    }

    /// A boolean parameter (`true`/`false`, `1`/`0`).
    pub fn flag(&self, name: &str) -> Result<Option<bool>, ApiError> {
        self.text(name)
            .map(|v| match v {
                "true" | "1" => Ok(true),
                "false" | "0" => Ok(false),
                _ => Err(ApiError::field(
                    name,
                    format!("expected true or false, found {v:?}"),
                )),
            })
            .transpose()
    }
}
