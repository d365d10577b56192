//! Webhooks: other systems registered to receive events as signed HTTP posts, the
//! delivery worker that posts them, and the checks of where a webhook may point.

pub mod guard;
pub mod handlers;
pub mod signature;
pub mod types;
pub mod worker;

pub use handlers::routes;
