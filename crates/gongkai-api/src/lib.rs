//! Gongkai's HTTP API: actix-web routes under `/api/v1`, bearer-token authorization,
//! problem+json errors and the OpenAPI document.
//!
//! `http/` is the plumbing that knows no resource; every other folder is one resource
//! with its handlers and JSON types; `openapi.rs` registers every route once, for the
//! server and for the document alike.

pub mod annual_report;
pub mod audit;
pub mod calendar;
pub mod calendar_feeds;
pub mod compliance;
pub mod disclosure;
pub mod events;
pub mod evidence;
pub mod http;
pub mod ledger;
pub mod openapi;
pub mod opinion;
pub mod plans;
pub mod public;
pub mod quotas;
pub mod reminders;
pub mod server;
pub mod service_tokens;
pub mod tasks;
pub mod unit_groups;
pub mod units;
pub mod webhooks;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::ErrorHandlers;
use actix_web::{App, web};
use gongkai_store::DbPool;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::http::auth::TokenVerifier;
pub use crate::http::middleware::CorsOrigins;
use crate::http::route_table::RouteTable;
pub use crate::http::state::AppState;

/// The state of a server: the pool, the token verifier and the data key, with the
/// OpenAPI document and its table of routes built once.
pub fn state(pool: DbPool, verifier: TokenVerifier, data_key: &[u8]) -> AppState {
    let doc = openapi::openapi();
    AppState::new(pool, verifier, data_key, openapi::to_json(&doc), RouteTable::from_openapi(&doc))
}

/// The application: every route, the documentation, CORS (open on `/public/`), the
/// public rate limit, conditional reads, the refusal of unknown query parameters,
/// request logging and the problem+json safety net. Tests build the same app.
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
    let path_cfg = web::PathConfig::default().error_handler(http::params::path_error);
    App::new()
        .app_data(web::Data::new(state))
        .app_data(path_cfg)
        .wrap(actix_web::middleware::from_fn(http::conditional::not_modified))
        .wrap(actix_web::middleware::from_fn(http::idempotency::idempotency))
        .wrap(actix_web::middleware::from_fn(http::negotiate::refuse_unacceptable))
        .wrap(actix_web::middleware::from_fn(http::known_params::refuse_unknown_parameters))
        .wrap(actix_web::middleware::from_fn(http::middleware::refuse_nul))
        .wrap(actix_web::middleware::from_fn(http::rate_limit::limit_public))
        .wrap(ErrorHandlers::new().default_handler(http::middleware::problem_for_plain_errors))
        .wrap(http::middleware::cors(&origins))
        .wrap(actix_web::middleware::from_fn(http::middleware::problem_for_cors_refusals))
        .wrap(actix_web::middleware::from_fn(http::open_cors::open_public_cors))
        .wrap(actix_web::middleware::from_fn(http::gate::answer_refusals))
        .wrap(actix_web::middleware::from_fn(http::security_headers::security_headers))
        .wrap(tracing_actix_web::TracingLogger::<http::request_log::RequestLog>::new())
        .into_utoipa_app()
        .configure(openapi::register)
        .into_app()
        .service(http::docs::openapi_json)
        .service(http::docs::docs_redirect)
        .service(
            SwaggerUi::new("/docs/{_:.*}")
                .config(Config::new(["/openapi.json"]).validator_url("none")),
        )
        .default_service(web::to(http::fallback::not_routed))
}
