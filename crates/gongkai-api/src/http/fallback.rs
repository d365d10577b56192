//! Requests no route takes: 405 with `Allow` when the path exists under other methods,
//! else 404 — both as problem+json.

use actix_web::{HttpRequest, HttpResponse, ResponseError, web};

use crate::http::error::ApiError;
use crate::http::state::AppState;

/// The default service.
pub async fn not_routed(req: HttpRequest, state: Option<web::Data<AppState>>) -> HttpResponse {
    let allowed = state.map(|s| s.routes.allowed(req.path())).unwrap_or_default();
    let err = if allowed.is_empty() {
        ApiError::NotFound(format!("there is nothing at {}", req.path()))
    } else {
        ApiError::MethodNotAllowed {
            detail: format!(
                "{} does not answer {}; it answers {}",
                req.path(),
                req.method(),
                allowed.join(", ")
            ),
            allow: allowed.join(", "),
        }
    };
    err.error_response()
}
