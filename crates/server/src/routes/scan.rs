//! Stateless scans: `POST /v1/messages/scan` and `POST /v1/urls/scan`.

use crate::error::ApiError;
use crate::extract::AppJson;
use crate::metrics as m;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use scamguard_core::event::{kind_of, limits};
use scamguard_core::{Locale, Opening, Verdict};
use scamguard_store::{now_ms, AuditRecord, Write};
use serde::Serialize;
use serde_json::{json, Value};

/// Most URLs in one scan request.
pub const MAX_URLS: usize = 100;

/// One message to scan.
#[derive(Debug, utoipa::ToSchema)]
pub struct MessageScan {
    /// The message text (at most 65,536 characters).
    #[schema(max_length = 65536)]
    pub text: String,
    /// The sender, when known: its handle and the name it shows.
    pub from: Option<scamguard_core::Party>,
    /// The language of the explanation (default zh-Hans).
    pub locale: Option<Locale>,
}

/// The verdict for one message.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MessageScanned {
    /// The verdict.
    pub verdict: Verdict,
}

/// Scans one message.
#[utoipa::path(post, path = "/v1/messages/scan", tag = "scan",
    request_body = MessageScan,
    responses((status = 200, description = "The verdict", body = MessageScanned)))]
pub async fn message(
    State(state): State<AppState>,
    AppJson(body): AppJson,
) -> Result<Json<MessageScanned>, ApiError> {
    let obj = body.as_object().ok_or_else(|| {
        ApiError::field(
            "body",
            format!("expected an object, found {}", kind_of(&body)),
        )
    })?;
    let text = match obj.get("text") {
        Some(Value::String(s)) => match limits::too_long(s, limits::MAX_TEXT_CHARS) {
            Some(why) => return Err(ApiError::field("text", why)),
            None => s.as_str(),
        },
        Some(other) => {
            return Err(ApiError::field(
                "text",
                format!("expected a string, found {}", kind_of(other)),
            ))
        }
        None => return Err(ApiError::field("text", "missing field")),
    };
    // Reuse the engine's checks of `from` and `locale` by reading them as a session opening.
    // `from: null` is the document's way of saying "not known", as is leaving it out.
    let from_given = obj.get("from").filter(|f| !f.is_null());
    let opening = Opening::from_value(&json!({
        "channel": "message",
        "locale": obj.get("locale").cloned().unwrap_or(Value::Null),
        "from": from_given.cloned().unwrap_or_else(|| json!({"handle": "unknown"})),
    }))?;
    let from_given = from_given.is_some();
    let engine = state.engine();
    let from = from_given.then_some(&opening.from);
    if let Some(f) = from {
        engine.validate_party(f)?;
    }
    let verdict = engine.scan_message_at(text, from, opening.locale, crate::unix_now());
    let handle_hash = from.map(|f| state.hasher().hash(&f.handle));
    let audit = AuditRecord::of_verdict(
        "message_scan",
        None,
        None,
        handle_hash.as_deref(),
        &verdict,
        now_ms(),
    );
    write_audit(&state, audit.into_iter().collect()).await?;
    m::record_verdict(
        "message_scan",
        &verdict,
        verdict.signals.iter().map(|s| s.code.as_str()),
    );
    Ok(Json(MessageScanned { verdict }))
}

/// URLs to scan.
#[derive(Debug, utoipa::ToSchema)]
pub struct UrlScan {
    /// The URLs, 1 to 100, each not blank and at most 8,192 characters.
    #[schema(schema_with = url_list)]
    pub urls: Vec<String>,
    /// The language of the explanations (default zh-Hans).
    pub locale: Option<Locale>,
}

/// The schema of [`UrlScan::urls`], from the limits the handler enforces.
fn url_list() -> utoipa::openapi::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(limits::MAX_URL_CHARS))
                .pattern(Some(r"\S")),
        )
        .min_items(Some(1))
        .max_items(Some(MAX_URLS))
        .description(Some(
            "The URLs, 1 to 100, each not blank and at most 8,192 characters.",
        ))
        .build()
}

/// The verdict for one URL.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UrlVerdict {
    /// The URL as sent.
    pub url: String,
    /// Its verdict.
    pub verdict: Verdict,
}

/// The verdicts for a list of URLs, in order.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UrlsScanned {
    /// One entry per URL sent.
    pub results: Vec<UrlVerdict>,
}

/// Scans URLs.
#[utoipa::path(post, path = "/v1/urls/scan", tag = "scan",
    request_body = UrlScan,
    responses((status = 200, description = "One verdict per URL, in order", body = UrlsScanned)))]
pub async fn urls(
    State(state): State<AppState>,
    AppJson(body): AppJson,
) -> Result<Json<UrlsScanned>, ApiError> {
    let obj = body.as_object().ok_or_else(|| {
        ApiError::field(
            "body",
            format!("expected an object, found {}", kind_of(&body)),
        )
    })?;
    let list = match obj.get("urls") {
        Some(Value::Array(a)) => a,
        Some(other) => {
            return Err(ApiError::field(
                "urls",
                format!("expected an array of strings, found {}", kind_of(other)),
            ))
        }
        None => return Err(ApiError::field("urls", "missing field")),
    };
    if list.is_empty() {
        return Err(ApiError::field("urls", "must not be empty"));
    }
    if list.len() > MAX_URLS {
        return Err(ApiError::field(
            "urls",
            format!("{} URLs; at most {MAX_URLS} are accepted", list.len()),
        ));
    }
    let locale = match obj.get("locale") {
        None | Some(Value::Null) => Locale::default(),
        Some(Value::String(s)) => Locale::parse(s).ok_or_else(|| {
            ApiError::field(
                "locale",
                format!("unknown locale {s:?}; expected \"zh-Hans\", \"zh-Hant\" or \"en\""),
            )
        })?,
        Some(other) => {
            return Err(ApiError::field(
                "locale",
                format!("expected a string, found {}", kind_of(other)),
            ))
        }
    };
    let mut urls = Vec::with_capacity(list.len());
    for (i, u) in list.iter().enumerate() {
        match u {
            Value::String(s) if limits::too_long(s, limits::MAX_URL_CHARS).is_some() => {
                let why = limits::too_long(s, limits::MAX_URL_CHARS).unwrap_or_default();
                return Err(ApiError::field(format!("urls[{i}]"), why));
            }
            Value::String(s) if s.trim().is_empty() => {
                return Err(ApiError::field(format!("urls[{i}]"), "must not be empty"))
            }
            Value::String(s) => urls.push(s.clone()),
            other => {
                return Err(ApiError::field(
                    format!("urls[{i}]"),
                    format!("expected a string, found {}", kind_of(other)),
                ))
            }
        }
    }
    let engine = state.engine();
    let now = now_ms();
    let mut results = Vec::with_capacity(urls.len());
    let mut audit = Vec::new();
    for url in urls {
        let verdict = engine.scan_url(&url, locale);
        audit.extend(AuditRecord::of_verdict(
            "url_scan", None, None, None, &verdict, now,
        ));
        m::record_verdict(
            "url_scan",
            &verdict,
            verdict.signals.iter().map(|s| s.code.as_str()),
        );
        results.push(UrlVerdict { url, verdict });
    }
    write_audit(&state, audit).await?;
    Ok(Json(UrlsScanned { results }))
}

/// Records warn and block verdicts before answering, like every other verdict.
async fn write_audit(state: &AppState, audit: Vec<AuditRecord>) -> Result<(), ApiError> {
    if audit.is_empty() {
        return Ok(());
    }
    state
        .writer()
        .write(Write {
            session: None,
            events: Vec::new(),
            audit,
            user_hash: None,
            owner: None,
        })
        .await
}
