//! 指标: the checkable duties read from a task's requirement.

pub mod handlers;
pub mod types;

pub use handlers::routes;
