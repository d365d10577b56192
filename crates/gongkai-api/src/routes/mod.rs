//! Routes, one module per resource. Every handler is registered with `.service(...)` so
//! that it appears in the OpenAPI document.

pub mod audit;
pub mod fallback;
pub mod health;
pub mod import;
pub mod plans;
pub mod quotas;
pub mod tasks;
pub mod units;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every `/api/v1` route.
pub fn api_v1(cfg: &mut ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/api/v1")
            .configure(units::routes)
            .configure(import::routes)
            .configure(plans::routes)
            .configure(tasks::routes)
            .configure(quotas::routes)
            .configure(audit::routes),
    );
}
