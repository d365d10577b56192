//! 证据: dated records of work done for a task; withdrawn, never deleted.

pub mod handlers;
pub mod input;
pub mod types;

pub use handlers::routes;
