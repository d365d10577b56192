//! `Idempotency-Key` on POST: the same key with the same request answers the first
//! response again and creates nothing new; the same key with another request → 422.
//!
//! Keys are scoped to the caller (the token's subject, role and unit) and remembered for
//! 24 hours. A keyed request runs in one transaction (see [`KeyedTx`]) that holds its
//! key, and its answer is stored in that transaction: the effect and the stored answer
//! commit together or not at all, and only a committed answer is sent. While the first
//! request is still running, a retry gets 409 `idempotency_key_in_progress`; a request
//! that died (the server killed, the database restarted) holds nothing any more, so its
//! retry either replays the committed answer or runs once. A server error (5xx), or a
//! 409 `concurrent_update` (another request got in the way), rolls everything back, so a
//! retry runs again.

use std::sync::atomic::{AtomicI64, Ordering};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse, ResponseError, web};
use gongkai_store::idempotency::{self, Begun, KeyRecord, KeyedRequest, StoredResponse};
use sha2::{Digest, Sha256};

use crate::http::error::ApiError;
use crate::http::keyed_tx::KeyedTx;
use crate::http::state::AppState;

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
    let subject = token.and_then(|t| {
        if crate::http::auth::is_service_token(&t) {
            // A service token is its own caller; whether it is still valid is decided
            // by the handler (401), like any token.
            return Some(format!(
                "service-token|{}",
                hex::encode(crate::http::auth::service_token_hash(&t))
            ));
        }
        state.verifier.verify(&t).ok().map(|c| {
            format!(
                "{}|{}|{}",
                c.sub,
                c.role,
                c.unit.map_or_else(|| "-".to_string(), |u| u.to_string())
            )
        })
    });
    let Some(subject) = subject else {
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

    let sweep = sweep_due();
    let begun = {
        let (pool, s, k) = (state.pool.clone(), subject.clone(), key.clone());
        web::block(move || -> Result<_, gongkai_store::StoreError> {
            let mut conn = pool.get()?;
            if sweep && let Err(e) = idempotency::sweep_expired(&mut conn) {
                tracing::warn!(error = %e, "could not sweep expired idempotency keys");
            }
            let begun = idempotency::begin(&mut conn, &s, &k)?;
            Ok((conn, begun))
        })
        .await
        .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))
        .and_then(|r| r.map_err(ApiError::from))
    };
    let conn = match begun {
        Err(e) => return Ok(problem(req, e)),
        Ok((_, Begun::InProgress)) => {
            return Ok(problem(
                req,
                ApiError::Conflict {
                    code: "idempotency_key_in_progress",
                    message:
                        "a request with this Idempotency-Key is still being handled; retry shortly"
                            .into(),
                },
            ));
        }
        Ok((_, Begun::Answered(seen))) if seen.request_hash != request_hash => {
            return Ok(problem(
                req,
                ApiError::Validation {
                    detail: "this Idempotency-Key was used for a different request; use a new key for a new request".into(),
                    errors: vec![gongkai_core::validation::FieldError::new(
                        "Idempotency-Key",
                        "already used for a different request",
                    )],
                },
            ));
        }
        Ok((_, Begun::Answered(seen))) => return Ok(replay(req, *seen)),
        Ok((conn, Begun::Open)) => conn,
    };

    // The request runs in the transaction just opened; its answer is stored in the same
    // transaction, and only then sent.
    let (method, path) = (req.method().to_string(), req.path().to_string());
    let tx = KeyedTx::new(conn);
    let res = match tx.clone().scope(async move { next.call(req).await }).await {
        Ok(res) => res,
        Err(e) => {
            if let Err(undo) = tx.finish(idempotency::rollback).await {
                tracing::warn!(error = %undo, "could not roll back a keyed request");
            }
            return Err(e);
        }
    };
    let (http_req, res) = res.into_parts();
    let status = res.status();
    let text = |name: header::HeaderName| {
        res.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
    };
    let (content_type, location, etag) =
        (text(header::CONTENT_TYPE), text(header::LOCATION), text(header::ETAG));
    let (head, res_body) = res.into_parts();
    let bytes = match actix_web::body::to_bytes(res_body).await {
        Ok(bytes) => bytes,
        Err(e) => {
            let _ = tx.finish(idempotency::rollback).await;
            let err = ApiError::Internal(format!("response body: {}", e.into()));
            return Ok(ServiceResponse::new(http_req, err.error_response()));
        }
    };
    if status.is_server_error() || is_transient(status, &bytes) {
        // Nothing of a failed request is kept: the retry runs afresh.
        if let Err(e) = tx.finish(idempotency::rollback).await {
            tracing::warn!(error = %e, "could not roll back a keyed request");
        }
        return Ok(ServiceResponse::new(http_req, head.set_body(bytes).map_into_boxed_body()));
    }
    let committed = {
        let b = bytes.clone();
        tx.finish(move |c| {
            idempotency::commit(
                c,
                &KeyedRequest {
                    subject: &subject,
                    key: &key,
                    method: &method,
                    path: &path,
                    request_hash: &request_hash,
                },
                &StoredResponse {
                    status_code: status.as_u16(),
                    content_type: content_type.as_deref(),
                    location: location.as_deref(),
                    etag: etag.as_deref(),
                    body: &b,
                },
            )
        })
        .await
    };
    match committed {
        Ok(()) => Ok(ServiceResponse::new(http_req, head.set_body(bytes).map_into_boxed_body())),
        // Committed or not, the caller cannot tell from here: a retry with the same key
        // replays the answer if it was, and runs the request once if it was not.
        Err(e) => Ok(ServiceResponse::new(http_req, e.error_response())),
    }
}

/// True for a refusal that says "try again" (a concurrent update got in the way): it is
/// not kept as the key's answer, so that the retry can succeed.
fn is_transient(status: StatusCode, body: &[u8]) -> bool {
    status == StatusCode::CONFLICT
        && serde_json::from_slice::<serde_json::Value>(body)
            .is_ok_and(|p| p["code"] == "concurrent_update")
}

/// The stored answer, again.
fn replay(req: ServiceRequest, seen: KeyRecord) -> ServiceResponse<BoxBody> {
    let status = u16::try_from(seen.status_code).ok().and_then(|c| StatusCode::from_u16(c).ok());
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
    req.into_response(res.body(seen.response_body))
}

/// True at most once a minute per process: time to delete expired keys.
fn sweep_due() -> bool {
    static LAST: AtomicI64 = AtomicI64::new(0);
    let now = chrono::Utc::now().timestamp();
    let last = LAST.load(Ordering::Relaxed);
    now - last >= 60
        && LAST.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_ok()
}
