//! Service tokens: bearer tokens an admin mints for another system (the municipal
//! portal, a dashboard), listed without the token and revoked at once.

pub mod handlers;
pub mod types;

pub use handlers::routes;
