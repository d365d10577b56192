//! 单位分组: named groups of units that a quota can bind one by one.

pub mod handlers;
pub mod types;

pub use handlers::routes;
