//! Routes, one module per resource. Every handler is registered with `.service(...)` so
//! that it appears in the OpenAPI document.

pub mod audit;
pub mod calendar;
pub mod compliance;
pub mod disclosure;
pub mod disclosure_actions;
pub mod disclosure_appeals;
pub mod disclosure_reports;
pub mod evidence;
pub mod fallback;
pub mod fees;
pub mod groups;
pub mod health;
pub mod import;
pub mod plans;
pub mod progress;
pub mod quotas;
pub mod reviews;
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
            .configure(groups::routes)
            .configure(evidence::routes)
            .configure(compliance::routes)
            .configure(calendar::routes)
            .configure(progress::routes)
            .configure(reviews::routes)
            .configure(fees::routes)
            .configure(disclosure::routes)
            .configure(disclosure_actions::routes)
            .configure(disclosure_reports::routes)
            .configure(disclosure_appeals::routes)
            .configure(audit::routes),
    );
}
