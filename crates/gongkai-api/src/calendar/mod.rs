//! 工作日: deadlines in Chinese working days and the yearly holiday notices.

pub mod handlers;
pub mod types;

pub use handlers::routes;
