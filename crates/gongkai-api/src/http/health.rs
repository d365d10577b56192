//! `/healthz` and `/readyz`: for load balancers and orchestrators.

use actix_web::{HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::error::ApiError;
use crate::http::state::AppState;

/// The process's state.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
}

/// Liveness
///
/// 200 while the process runs.
#[utoipa::path(
    operation_id = "healthz",
    tag = "health",
    responses((status = 200, description = "The process is running", body = Health)),
)]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok".into() })
}

/// Readiness
///
/// 200 when the database answers, 503 otherwise.
#[utoipa::path(
    operation_id = "readyz",
    tag = "health",
    responses(
        (status = 200, description = "The database answers", body = Health),
        (status = 503, description = "The database does not answer"),
    ),
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let pool = state.pool.clone();
    let up = web::block(move || {
        pool.get().map(|mut c| gongkai_store::pool::ping(&mut c)).unwrap_or(false)
    })
    .await
    .unwrap_or(false);
    if up {
        Ok(HttpResponse::Ok().json(Health { status: "ok".into() }))
    } else {
        Err(ApiError::Unavailable("the database does not answer".into()))
    }
}
