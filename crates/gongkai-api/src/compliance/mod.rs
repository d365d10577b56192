//! Compliance: findings, scorecards and what is due, judged as of a day.

pub mod handlers;
pub mod types;
pub mod view;

pub use handlers::routes;
