//! 责任单位: the responsible units and the governments they sit under.

pub mod handlers;
pub mod types;

pub use handlers::routes;
