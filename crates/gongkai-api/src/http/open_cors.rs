//! CORS for the public API: any origin may read `/public/` (`Access-Control-Allow-Origin:
//! *`, never with credentials), while the authenticated API keeps the configured origins
//! (`GONGKAI_CORS_ORIGINS`). This middleware sits outside the configured CORS layer: for
//! a public path it answers the preflight itself, and it hides the request's `Origin`
//! from the inner layer, so that layer neither refuses the origin nor echoes it.

use actix_web::HttpResponse;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;

use crate::http::rate_limit::PUBLIC_PREFIX;

/// The methods the public API answers.
pub const METHODS: &str = "GET, OPTIONS";
/// The request headers a page may send it (beyond the always-allowed ones).
pub const HEADERS: &str = "If-None-Match";
/// The answer headers a page may read (beyond the always-readable ones, such as
/// `Cache-Control` and `Last-Modified`).
pub const EXPOSED: &str = "ETag, Retry-After";

fn open(headers: &mut header::HeaderMap) {
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(EXPOSED));
}

/// The middleware (`actix_web::middleware::from_fn`).
pub async fn open_public_cors(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !req.path().starts_with(PUBLIC_PREFIX) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let cross_origin = req.headers().contains_key(header::ORIGIN);
    let preflight = cross_origin
        && req.method() == Method::OPTIONS
        && req.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    if preflight {
        let answer = HttpResponse::NoContent()
            .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
            .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, METHODS))
            .insert_header((header::ACCESS_CONTROL_ALLOW_HEADERS, HEADERS))
            .insert_header((header::ACCESS_CONTROL_MAX_AGE, "86400"))
            .finish();
        return Ok(req.into_response(answer));
    }
    req.headers_mut().remove(header::ORIGIN);
    let mut res = next.call(req).await?.map_into_boxed_body();
    // Always, not only for cross-origin requests: a shared cache may hand the same
    // answer to a page on any origin.
    open(res.headers_mut());
    Ok(res)
}
