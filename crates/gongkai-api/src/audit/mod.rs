//! The audit trail: who changed what, when.

pub mod handlers;
pub mod types;

pub use handlers::routes;
