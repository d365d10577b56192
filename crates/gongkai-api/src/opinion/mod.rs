//! 舆情回应台账: cases of public concern (tasks 27–30 of the plan), their responses,
//! the promises responses make, and the ledger that counts them.

pub mod access;
pub mod cases;
pub mod dues;
pub mod ledger;
pub mod responses;
pub mod types;

/// Registers the opinion routes (the ledger before `/{id}`, which it would match).
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    ledger::routes(cfg);
    cases::routes(cfg);
    responses::routes(cfg);
}
