//! 工作任务: one task of a plan, and corrections to it.

pub mod handlers;
pub mod types;

pub use handlers::routes;
