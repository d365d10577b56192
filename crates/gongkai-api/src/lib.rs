//! Gongkai's HTTP API: actix-web routes under `/api/v1`, bearer-token authorization,
//! problem+json errors and the OpenAPI document.

pub mod auth;
pub mod clock;
pub mod compliance_view;
pub mod csv_out;
pub mod disclosure_access;
pub mod disclosure_settings;
pub mod dto;
pub mod dto_calendar;
pub mod dto_compliance;
pub mod dto_disclosure;
pub mod dto_disclosure_action;
pub mod dto_disclosure_appeal;
pub mod dto_disclosure_clock;
pub mod dto_disclosure_report;
pub mod dto_evidence;
pub mod dto_fees;
pub mod dto_import;
pub mod dto_ledger;
pub mod dto_quota;
pub mod error;
pub mod evidence_input;
pub mod extract;
pub mod idempotency;
pub mod openapi;
pub mod respond;
pub mod routes;
pub mod state;

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{App, HttpResponse, ResponseError, get, web};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::error::ApiError;
pub use crate::state::AppState;

/// Which browser origins may call the API (the municipal portal).
#[derive(Debug, Clone, Default)]
pub struct CorsOrigins(pub Vec<String>);

/// `GET /openapi.json`: the committed document, byte for byte.
#[get("/openapi.json")]
async fn openapi_json(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(state.openapi_json.as_str().to_owned())
}

/// `/docs` → `/docs/`, where the bundled Swagger UI lives.
#[get("/docs")]
async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect().insert_header((header::LOCATION, "/docs/")).finish()
}

fn cors(origins: &CorsOrigins) -> Cors {
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

/// Refuses a NUL character (`%00`) in the path or query: PostgreSQL cannot store or
/// compare it, and no identifier or filter of this API contains it.
async fn refuse_nul(
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
fn problem_for_plain_errors<B: MessageBody + 'static>(
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

/// The application: every route, the documentation, CORS, request logging and the
/// problem+json safety net. Tests build the same app.
pub fn app(
    state: AppState,
    origins: CorsOrigins,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let query_cfg = web::QueryConfig::default().error_handler(|e, _| {
        ApiError::field("query", format!("a query parameter is invalid: {e}")).into()
    });
    let path_cfg = web::PathConfig::default().error_handler(|e, _| {
        ApiError::field("path", format!("a path parameter is invalid: {e}")).into()
    });
    App::new()
        .app_data(web::Data::new(state))
        .app_data(query_cfg)
        .app_data(path_cfg)
        .wrap(actix_web::middleware::from_fn(idempotency::idempotency))
        .wrap(actix_web::middleware::from_fn(refuse_nul))
        .wrap(ErrorHandlers::new().default_handler(problem_for_plain_errors))
        .wrap(cors(&origins))
        .wrap(tracing_actix_web::TracingLogger::default())
        .into_utoipa_app()
        .service(routes::health::healthz)
        .service(routes::health::readyz)
        .configure(routes::api_v1)
        .into_app()
        .service(openapi_json)
        .service(docs_redirect)
        .service(SwaggerUi::new("/docs/{_:.*}").config(Config::new(["/openapi.json"])))
        .default_service(web::to(routes::fallback::not_routed))
}
