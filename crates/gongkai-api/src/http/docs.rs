//! The OpenAPI document as served, and the way to the bundled documentation.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};

use crate::http::state::AppState;

/// `GET /openapi.json`: the committed document, byte for byte.
#[get("/openapi.json")]
pub async fn openapi_json(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(state.openapi_json.as_str().to_owned())
}

/// `/docs` → `/docs/`, where the bundled Swagger UI lives.
#[get("/docs")]
pub async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect().insert_header((header::LOCATION, "/docs/")).finish()
}
