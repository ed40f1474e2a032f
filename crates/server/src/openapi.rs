//! The OpenAPI 3.1 document served at `/openapi.json`, built together with the router.
//!
//! Each handler carries its own `#[utoipa::path]` (path, parameters, request body, the
//! answers it gives itself) and the router registers it with utoipa-axum's `routes!`, so a
//! route cannot exist without its description and the schemas are the wire types themselves.
//! What the layers around the handlers add is described here, once, from the layer that
//! adds it: the key a group of routes needs ([`require_key`]) and the errors every body,
//! key check, rate limit and timeout can answer ([`common_responses`]).

use crate::error::ErrorBody;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Extension;
use std::sync::Arc;
use utoipa::openapi::path::Operation;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi as Document, Ref, RefOr};
use utoipa::OpenApi;

/// What the document says before the routes add their paths.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "scamguard",
        description = "Stops impersonation scams on video calls, screen sharing and messages. \
Platforms open a session per call or thread, post each event and act on the verdict's action \
and directives. Every error is `{\"error\": {\"code\", \"message\", \"field\"}}`."
    ),
    components(schemas(ErrorBody)),
    tags(
        (name = "sessions", description = "Calls and threads, event by event"),
        (name = "scan", description = "Stateless scans"),
        (name = "guardians", description = "Relatives a user names, alerted through the \
signed webhook when a call to the user blocks during a screen share, a banking app or a payment \
(scope scan)"),
        (name = "admin", description = "Policy operations, audit, sessions (scope admin)"),
        (name = "registry", description = "Organisations that sign their calls, their keys, \
signed export and import (scope admin; every change audited)"),
        (name = "bank", description = "Signed risk assertions for banks (scope bank) and the \
operator's public keys to verify them; see docs/risk-assertions.md"),
        (name = "intel", description = "Victims' reports, callers' reputation, campaigns and \
their STIX and CSV exports (reports: scope scan; the rest: scope admin)"),
        (name = "ops", description = "Health, readiness, metrics, this document")
    )
)]
pub struct ApiDoc;

/// The document's JSON, handed to [`document`] by the router.
#[derive(Debug, Clone)]
pub struct DocumentJson(pub Arc<str>);

/// `GET /openapi.json`: this document.
#[utoipa::path(get, path = "/openapi.json", tag = "ops",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn document(Extension(doc): Extension<DocumentJson>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        doc.0.to_string(),
    )
}

/// Marks every operation of `doc` as needing an API key with `scope`, as the layer that
/// checks keys on that group of routes does, and adds the answers that check gives.
pub fn require_key(doc: &mut Document, scope: &str) {
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "api_key",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(
                    "A key from `scamguard keys create`: each group of endpoints names the \
                     scope it needs; `admin` keys may use every scope",
                ))
                .build(),
        ),
    );
    for_each_operation(doc, |op| {
        op.security = Some(vec![SecurityRequirement::new("api_key", [scope])]);
        let note = format!("Needs an API key with scope `{scope}`.");
        op.description = Some(match op.description.take() {
            Some(d) if !d.is_empty() => format!("{d}\n\n{note}"),
            _ => note,
        });
        add(
            op,
            "401",
            "missing_key or invalid_key: send `Authorization: Bearer KEY`",
        );
        add(op, "403", "forbidden: the key lacks the scope");
        add(
            op,
            "429",
            "rate_limited: too many requests for this key; see Retry-After",
        );
    });
}

/// Adds the answers the layers around every handler can give: a request body can be
/// malformed, too large, of the wrong type or wrong in a field; any request can time out or
/// find the store unavailable.
pub fn common_responses(doc: &mut Document) {
    for_each_operation(doc, |op| {
        if op.request_body.is_some() {
            add(
                op,
                "400",
                "malformed_json: the body is not JSON; incomplete_body: it ended early or stalled",
            );
            add(
                op,
                "413",
                "payload_too_large: the body is larger than the limit",
            );
            add(
                op,
                "415",
                "unsupported_media_type: send Content-Type: application/json",
            );
            add(
                op,
                "422",
                "invalid_field: `field` names what is missing or wrong",
            );
        }
        add(
            op,
            "503",
            "timeout, shutting_down or unavailable: retry later, ideally on another node",
        );
    });
}

fn for_each_operation(doc: &mut Document, mut f: impl FnMut(&mut Operation)) {
    for item in doc.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            f(op);
        }
    }
}

/// Adds an error answer with `status` unless the handler already describes one.
fn add(op: &mut Operation, status: &str, description: &str) {
    if op.responses.responses.contains_key(status) {
        return;
    }
    op.responses
        .responses
        .insert(status.to_string(), error_response(description));
}

fn error_response(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build(),
    )
}
