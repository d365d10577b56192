//! Middleware around every route: CORS for the portal (its refusals as problem+json),
//! the refusal of NUL characters, and the safety net that turns any error answer into
//! problem+json.

use actix_cors::{Cors, CorsError};
use actix_web::ResponseError;
use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::header;
use actix_web::middleware::ErrorHandlerResponse;

use crate::http::error::ApiError;

/// Which browser origins may call the API (the municipal portal).
#[derive(Debug, Clone, Default)]
pub struct CorsOrigins(pub Vec<String>);

/// CORS for the configured origins only.
pub fn cors(origins: &CorsOrigins) -> Cors {
    let mut c = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([header::ETAG, header::LOCATION])
        .max_age(3600);
    for o in &origins.0 {
        c = c.allowed_origin(o);
    }
    c
}

/// Answers what the CORS layer refuses as problem+json: a browser origin that is not
/// listed (or asks for a method or header that is not allowed) gets 403, a malformed
/// preflight 400.
pub async fn problem_for_cors_refusals(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let refusal = res.response().error().and_then(|e| e.as_error::<CorsError>()).map(|e| match e {
        CorsError::OriginNotAllowed => ApiError::Forbidden(
            "this browser origin may not call the API (GONGKAI_CORS_ORIGINS lists those that may)"
                .into(),
        ),
        CorsError::MethodNotAllowed | CorsError::HeadersNotAllowed => {
            ApiError::Forbidden(format!("cross-origin request refused: {e}"))
        }
        other => ApiError::BadRequest {
            code: "bad_cors_request",
            detail: format!("malformed cross-origin request: {other}"),
        },
    });
    match refusal {
        None => Ok(res.map_into_boxed_body()),
        Some(err) => {
            let (req, original) = res.into_parts();
            let mut answer = err.error_response();
            if let Some(vary) = original.headers().get(header::VARY) {
                answer.headers_mut().insert(header::VARY, vary.clone());
            }
            Ok(ServiceResponse::new(req, answer))
        }
    }
}

/// Refuses a NUL character (`%00`) in the path or query: PostgreSQL cannot store or
/// compare it, and no identifier or filter of this API contains it.
pub async fn refuse_nul(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let uri = req.uri().to_string();
    if uri.contains("%00") || uri.contains('\0') {
        let err =
            ApiError::field("query", "the path and query cannot contain the NUL character (%00)");
        return Ok(req.into_response(err.error_response()));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// Turns any error answer that is not problem+json yet (from actix itself, such as a
/// malformed request line) into one, so callers only ever see problem+json.
pub fn problem_for_plain_errors<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/problem+json"));
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let err = match status.as_u16() {
        400 => {
            ApiError::BadRequest { code: "bad_request", detail: "the request is malformed".into() }
        }
        404 => ApiError::NotFound("there is nothing at this address".into()),
        413 => ApiError::PayloadTooLarge("the body is too large".into()),
        414 => ApiError::UriTooLong("the request target is too long".into()),
        431 => ApiError::HeadersTooLarge("the request's headers are too large".into()),
        415 => ApiError::UnsupportedMediaType("the body's content type is not accepted".into()),
        s if s >= 500 => ApiError::Internal(format!("an error response {s} without detail")),
        _ => ApiError::BadRequest {
            code: "bad_request",
            detail: status.canonical_reason().unwrap_or("the request failed").to_string(),
        },
    };
    let mut problem = err.error_response();
    *problem.status_mut() = status;
    let (req, _) = res.into_parts();
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, problem.map_into_boxed_body()).map_into_right_body(),
    ))
}
