//! One log line per request: its id (which audit events record too), method, route,
//! target and status. Secret-like query parameters are redacted before anything is
//! logged; client errors (4xx) are logged at info, since they are the caller's to fix,
//! and server errors (5xx) at error.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};

/// Query parameters whose values never reach the log.
pub const SECRET_PARAMETERS: [&str; 5] = ["token", "access_token", "key", "secret", "password"];
/// What a redacted value is replaced with.
pub const REDACTED: &str = "[redacted]";

/// The request's target (path and query) with the values of secret-like query
/// parameters replaced by `[redacted]`. Names are compared without case, after
/// percent-decoding, so `?Token=` and `?%74oken=` are redacted too.
pub fn redacted_target(path: &str, query: &str) -> String {
    if query.is_empty() {
        return path.to_string();
    }
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| {
            let (name, value) = match pair.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (pair, None),
            };
            let decoded = percent_decode(name).to_ascii_lowercase();
            match value {
                Some(_) if SECRET_PARAMETERS.contains(&decoded.as_str()) => {
                    format!("{name}={REDACTED}")
                }
                _ => pair.to_string(),
            }
        })
        .collect();
    format!("{path}?{}", pairs.join("&"))
}

/// Percent-decodes a query component for comparison (`+` is a space); invalid escapes
/// are kept as they are.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// When the request started, kept in its extensions.
struct Started(Instant);

/// The root span of every request, and its closing log line.
pub struct RequestLog;

impl RootSpanBuilder for RequestLog {
    fn on_request_start(request: &ServiceRequest) -> Span {
        request.extensions_mut().insert(Started(Instant::now()));
        let request_id =
            request.extensions().get::<RequestId>().map(|id| id.to_string()).unwrap_or_default();
        tracing::info_span!(
            "request",
            request_id = %request_id,
            method = %request.method(),
            target = %redacted_target(request.path(), request.query_string()),
            route = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let _entered = span.enter();
        match outcome {
            Ok(res) => {
                if let Some(route) = res.request().match_pattern() {
                    span.record("route", route.as_str());
                }
                let status = res.status().as_u16();
                let elapsed_ms = res
                    .request()
                    .extensions()
                    .get::<Started>()
                    .map(|s| s.0.elapsed().as_millis())
                    .unwrap_or_default();
                if status >= 500 {
                    tracing::error!(status, elapsed_ms, "answered");
                } else {
                    tracing::info!(status, elapsed_ms, "answered");
                }
            }
            Err(e) => {
                let status = e.as_response_error().status_code().as_u16();
                if status >= 500 {
                    tracing::error!(status, error = %e, "failed");
                } else {
                    tracing::info!(status, error = %e, "refused");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_parameters_are_redacted_and_others_kept() {
        assert_eq!(redacted_target("/a", ""), "/a");
        assert_eq!(
            redacted_target("/api/v1/plans", "token=abc.def&limit=5"),
            "/api/v1/plans?token=[redacted]&limit=5"
        );
        assert_eq!(
            redacted_target("/x", "Access_Token=1&KEY=2&secret=3&password=4&cursor=5"),
            "/x?Access_Token=[redacted]&KEY=[redacted]&secret=[redacted]&password=[redacted]&cursor=5"
        );
        assert_eq!(redacted_target("/x", "%74oken=zzz&a"), "/x?%74oken=[redacted]&a");
        // A parameter named like a secret only in part is kept.
        assert_eq!(redacted_target("/x", "tokens=1&monkey=2"), "/x?tokens=1&monkey=2");
        // A malformed escape does not hide or break anything.
        assert_eq!(redacted_target("/x", "to%zzken=1&%=2"), "/x?to%zzken=1&%=2");
    }
}
