//! The security headers every answer carries, and the host a request was sent to.
//!
//! The console is plain HTML with one stylesheet, forms that post to itself, no script and
//! no frame, so its Content-Security-Policy allows exactly that; the API's JSON gets the
//! same headers, which cost nothing there and keep a browser from reading an answer as
//! anything else.

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The Content-Security-Policy of every answer: the page's own stylesheet and forms, nothing
/// else; no script, no inline style, never inside a frame.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; \
     img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Headers set on every answer that does not set them itself.
const SECURITY_HEADERS: [(HeaderName, &str); 4] = [
    (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    // Not `no-referrer`: with it, browsers send `Origin: null` on form posts, which the
    // console's cross-site check must refuse. `same-origin` keeps the origin on our own
    // posts and sends nothing to other sites.
    (header::REFERRER_POLICY, "same-origin"),
];

/// Middleware: adds [`SECURITY_HEADERS`] to the answer.
pub async fn secure(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let headers = resp.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    resp
}

/// The host a request was sent to (its `Host` header, or an HTTP/2 request's authority),
/// as [`host_name`] writes it; `None` when it names none, which no browser does.
pub fn request_host(req: &Request) -> Option<String> {
    let from_header = req
        .headers()
        .get(header::HOST)
        .map(|v| v.to_str().unwrap_or("\u{fffd}"));
    from_header
        .or_else(|| req.uri().authority().map(|a| a.as_str()))
        .map(host_name)
}

/// `authority` (`host[:port]`, `[v6]:port`) as a host name to compare: lower case, without
/// its port or a final dot; IPv6 addresses keep their brackets.
pub fn host_name(authority: &str) -> String {
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if authority.starts_with('[') {
        authority
            .find(']')
            .map_or(authority, |end| &authority[..=end])
    } else {
        authority.split(':').next().unwrap_or("")
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_drop_ports_and_case() {
        assert_eq!(host_name("LocalHost:8080"), "localhost");
        assert_eq!(host_name("127.0.0.1"), "127.0.0.1");
        assert_eq!(host_name("[::1]:8080"), "[::1]");
        assert_eq!(host_name("console.example.org."), "console.example.org");
        assert_eq!(host_name("user@evil.example:1"), "evil.example");
        assert_eq!(host_name(""), "");
    }
}
