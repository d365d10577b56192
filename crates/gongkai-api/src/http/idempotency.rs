//! `Idempotency-Key` on POST: the same key with the same request answers the first
//! response again and creates nothing new; the same key with another request → 422.
//!
//! Keys are scoped to the caller (the token's subject, role and unit) and remembered for
//! 24 hours. While the first
//! request is still being handled, a retry gets 409 `idempotency_key_in_progress`. A
//! first request that failed with a server error (5xx, nothing written) releases its
//! key, so a retry runs again.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse, ResponseError, web};
use gongkai_store::idempotency::{self, Claim, StoredResponse};
use sha2::{Digest, Sha256};

use crate::http::error::ApiError;
use crate::http::state::{AppState, db};

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// The answer header marking a replayed response.
pub const REPLAYED: &str = "idempotent-replayed";

fn problem(req: ServiceRequest, err: ApiError) -> ServiceResponse<BoxBody> {
    let res = err.error_response();
    req.into_response(res)
}

/// The middleware (`actix_web::middleware::from_fn`).
pub async fn idempotency(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let key = match req.headers().get(HEADER) {
        Some(v) if req.method() == Method::POST => {
            v.to_str().ok().map(str::to_string).unwrap_or_default()
        }
        _ => return Ok(next.call(req).await?.map_into_boxed_body()),
    };
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        let err = ApiError::field(
            "Idempotency-Key",
            "an idempotency key is 1 to 255 visible ASCII characters",
        );
        return Ok(problem(req, err));
    }
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    // Keys belong to the caller; an unauthenticated request goes on to its 401.
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(|t| t.trim().to_string());
    // Scoped to the whole principal (subject, role and unit), so that two callers sharing
    // a subject name never see each other's answers.
    let Some(subject) = token.and_then(|t| state.verifier.verify(&t).ok()).map(|c| {
        format!(
            "{}|{}|{}",
            c.sub,
            c.role,
            c.unit.map_or_else(|| "-".to_string(), |u| u.to_string())
        )
    }) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };

    // Read the body to fingerprint the request, then hand it on unchanged.
    let mut payload = req.take_payload();
    let body = match crate::http::extract::read_limited(&mut payload, state.body_limit).await {
        Ok(body) => body,
        Err(e) => return Ok(problem(req, e)),
    };
    let mut hasher = Sha256::new();
    hasher.update(req.method().as_str());
    hasher.update([0]);
    hasher.update(req.uri().to_string());
    hasher.update([0]);
    hasher
        .update(req.headers().get(header::CONTENT_TYPE).map(|v| v.as_bytes()).unwrap_or_default());
    hasher.update([0]);
    hasher.update(&body);
    let request_hash = hex::encode(hasher.finalize());
    let (_, mut replacement) = actix_http::h1::Payload::create(true);
    replacement.unread_data(body);
    req.set_payload(replacement.into());

    let (method, path) = (req.method().to_string(), req.path().to_string());
    let claim = {
        let (s, k, h) = (subject.clone(), key.clone(), request_hash.clone());
        db(&state, move |c| idempotency::claim(c, &s, &k, &method, &path, &h)).await
    };
    match claim {
        Err(e) => Ok(problem(req, e)),
        Ok(Claim::Seen(seen)) if seen.request_hash != request_hash => Ok(problem(
            req,
            ApiError::Validation {
                detail: "this Idempotency-Key was used for a different request; use a new key for a new request".into(),
                errors: vec![gongkai_core::validation::FieldError::new(
                    "Idempotency-Key",
                    "already used for a different request",
                )],
            },
        )),
        Ok(Claim::Seen(seen)) => match seen.status_code {
            None => Ok(problem(
                req,
                ApiError::Conflict {
                    code: "idempotency_key_in_progress",
                    message: "a request with this Idempotency-Key is still being handled; retry shortly".into(),
                },
            )),
            Some(code) => {
                let status = u16::try_from(code).ok().and_then(|c| StatusCode::from_u16(c).ok());
                let mut res = HttpResponse::build(status.unwrap_or(StatusCode::OK));
                res.insert_header((REPLAYED, "true"));
                for (name, value) in [
                    (header::CONTENT_TYPE, seen.content_type),
                    (header::LOCATION, seen.location),
                    (header::ETAG, seen.etag),
                ] {
                    if let Some(v) = value {
                        res.insert_header((name, v));
                    }
                }
                Ok(req.into_response(res.body(seen.response_body.unwrap_or_default())))
            }
        },
        Ok(Claim::Claimed) => {
            let res = next.call(req).await?;
            let (http_req, res) = res.into_parts();
            let status = res.status();
            let text = |name: header::HeaderName| {
                res.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
            };
            let (content_type, location, etag) = (text(header::CONTENT_TYPE), text(header::LOCATION), text(header::ETAG));
            let (head, res_body) = res.into_parts();
            let bytes = actix_web::body::to_bytes(res_body).await.map_err(|e| {
                actix_web::error::ErrorInternalServerError(format!("response body: {}", e.into()))
            })?;
            let outcome = {
                let (s, k, b) = (subject, key, bytes.clone());
                db(&state, move |c| {
                    if status.is_server_error() {
                        idempotency::release(c, &s, &k)
                    } else {
                        idempotency::complete(
                            c,
                            &s,
                            &k,
                            &StoredResponse {
                                status_code: status.as_u16(),
                                content_type: content_type.as_deref(),
                                location: location.as_deref(),
                                etag: etag.as_deref(),
                                body: &b,
                            },
                        )
                    }
                })
                .await
            };
            if let Err(e) = outcome {
                tracing::error!(error = %e, "could not record the idempotent response");
            }
            Ok(ServiceResponse::new(http_req, head.set_body(bytes).map_into_boxed_body()))
        }
    }
}
