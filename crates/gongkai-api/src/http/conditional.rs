//! Conditional reads: a GET whose answer carries an `ETag` answers `304 Not Modified`,
//! without a body, when the request's `If-None-Match` matches it — weak comparison, a
//! list of tags, or `*` (RFC 9110 §13.1.2). One middleware for every route, public and
//! authenticated alike, so no handler can forget it.

use actix_web::HttpResponse;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, EntityTag, Header, IfNoneMatch};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;

/// The headers a 304 keeps from the 200 it stands for (RFC 9110 §15.4.5). The middleware
/// sits next to the handlers, so headers the outer middleware adds (CORS, security) are
/// added to the 304 as to any answer.
const KEPT: &[header::HeaderName] = &[
    header::ETAG,
    header::CACHE_CONTROL,
    header::LAST_MODIFIED,
    header::VARY,
    header::EXPIRES,
    header::CONTENT_LOCATION,
    header::DATE,
];

/// True when `if_none_match` matches the answer's `etag`: `*`, or any listed tag equal
/// to it under weak comparison.
pub fn matches(if_none_match: &IfNoneMatch, etag: &EntityTag) -> bool {
    match if_none_match {
        IfNoneMatch::Any => true,
        IfNoneMatch::Items(tags) => tags.iter().any(|t| t.weak_eq(etag)),
    }
}

/// The middleware (`actix_web::middleware::from_fn`).
pub async fn not_modified(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let conditional = matches!(*req.method(), Method::GET | Method::HEAD)
        && req.headers().contains_key(header::IF_NONE_MATCH);
    // An unparsable If-None-Match is ignored, as if absent (RFC 9110 §13.1.2).
    let wanted = conditional.then(|| IfNoneMatch::parse(req.request()).ok()).flatten();
    let res = next.call(req).await?;
    let Some(wanted) = wanted else { return Ok(res.map_into_boxed_body()) };
    let etag = res
        .headers()
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<EntityTag>().ok());
    let fresh = res.status() == StatusCode::OK && etag.is_some_and(|e| matches(&wanted, &e));
    if !fresh {
        return Ok(res.map_into_boxed_body());
    }
    let (req, full) = res.into_parts();
    let mut answer = HttpResponse::NotModified();
    for name in KEPT {
        for value in full.headers().get_all(name) {
            answer.append_header((name.clone(), value.clone()));
        }
    }
    Ok(ServiceResponse::new(req, answer.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(s: &str) -> EntityTag {
        s.parse().unwrap()
    }

    #[test]
    fn weak_comparison_lists_and_any() {
        let current = tag("\"abc\"");
        let any = IfNoneMatch::Any;
        assert!(matches(&any, &current));
        let weak = IfNoneMatch::Items(vec![tag("W/\"abc\"")]);
        assert!(matches(&weak, &current));
        let list = IfNoneMatch::Items(vec![tag("\"x\""), tag("\"abc\"")]);
        assert!(matches(&list, &current));
        let other = IfNoneMatch::Items(vec![tag("\"x\"")]);
        assert!(!matches(&other, &current));
    }
}
