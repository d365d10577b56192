//! Security headers on every answer, and caching rules for authenticated ones.
//!
//! - `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer` everywhere.
//! - A Content-Security-Policy that denies framing everywhere (`frame-ancestors 'none'`,
//!   with `X-Frame-Options: DENY` for older browsers): for the API a policy that loads
//!   nothing at all, for the documentation under `/docs/` one that loads the service's
//!   own scripts, styles and images only (Swagger UI sets inline styles, so styles may be
//!   inline; scripts may not), for a page answered as HTML (the annual report) its inline
//!   styles only.
//! - `Cache-Control: no-store` on answers that carry applicants' or appellants' personal
//!   data (and on the audit log, whose snapshots hold it too); `private, no-cache` on the
//!   other answers under `/api/`, which all need a token.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;

/// The policy of every answer but the documentation's: load nothing, be framed nowhere.
pub const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; \
                           form-action 'none'";
/// The documentation's policy: its own scripts, styles, images and fonts, and requests to
/// itself only ("Try it out" and the OpenAPI document).
pub const DOCS_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' \
                            'unsafe-inline'; img-src 'self' data:; font-src 'self'; \
                            connect-src 'self'; manifest-src 'self'; frame-ancestors 'none'; \
                            base-uri 'none'; form-action 'none'";

/// The policy of a page the API answers as HTML (the annual report): its own inline
/// styles, nothing else; no script runs.
pub const PAGE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors \
                            'none'; base-uri 'none'; form-action 'none'";

/// The routes whose answers carry applicants', appellants' or writers' personal data.
/// Service tokens too: the answer that mints one holds the token.
/// Webhooks and calendar feeds too: the answer that registers one holds its secret.
const PERSONAL_DATA_PREFIXES: [&str; 7] = [
    "/api/v1/disclosure-requests",
    "/api/v1/opinion-cases",
    "/api/v1/disclosure-appeals",
    "/api/v1/audit-events",
    "/api/v1/service-tokens",
    "/api/v1/webhooks",
    "/api/v1/calendar-feeds",
];

/// What an answer to `path` may be cached as: None where no token is needed.
pub fn cache_control(path: &str) -> Option<&'static str> {
    let under = |prefix: &str| {
        path.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    if PERSONAL_DATA_PREFIXES.iter().any(|p| under(p)) {
        Some("no-store")
    } else if under("/api") {
        Some("private, no-cache")
    } else {
        None
    }
}

/// The middleware (`actix_web::middleware::from_fn`).
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let docs = req.path() == "/docs" || req.path().starts_with("/docs/");
    let cache = cache_control(req.path());
    let mut res = next.call(req).await?;
    let page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    let headers = res.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(if docs {
            DOCS_CSP
        } else if page {
            PAGE_CSP
        } else {
            API_CSP
        }),
    );
    if let Some(cache) = cache {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::cache_control;

    #[test]
    fn personal_data_is_never_stored_and_other_api_answers_are_private() {
        assert_eq!(cache_control("/api/v1/disclosure-requests"), Some("no-store"));
        assert_eq!(cache_control("/api/v1/disclosure-requests/7/actions"), Some("no-store"));
        assert_eq!(cache_control("/api/v1/disclosure-appeals/3"), Some("no-store"));
        assert_eq!(cache_control("/api/v1/audit-events"), Some("no-store"));
        assert_eq!(cache_control("/api/v1/disclosure-requestsX"), Some("private, no-cache"));
        assert_eq!(cache_control("/api/v1/plans/1/tasks"), Some("private, no-cache"));
        assert_eq!(cache_control("/healthz"), None);
        assert_eq!(cache_control("/docs/"), None);
        assert_eq!(cache_control("/apix"), None);
    }
}
