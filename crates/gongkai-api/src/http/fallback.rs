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
        method_not_allowed(req.path(), req.method().as_str(), &allowed)
    };
    err.error_response()
}

/// 405 for `method` at `path`, which answers `allowed` (also in `Allow`).
pub fn method_not_allowed(path: &str, method: &str, allowed: &[String]) -> ApiError {
    ApiError::MethodNotAllowed {
        detail: format!("{path} does not answer {method}; it answers {}", allowed.join(", ")),
        allow: allowed.join(", "),
    }
}
