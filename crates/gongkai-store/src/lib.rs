//! Gongkai's persistence: PostgreSQL through diesel.
//!
//! Every query takes a connection and returns domain records; every write runs in one
//! transaction together with the audit event that records it.

pub mod annual_report;
pub mod audit;
pub mod calendar;
pub mod calendar_feeds;
pub mod cluster;
pub mod compliance;
pub mod disclosure;
pub mod error;
pub mod events;
pub mod evidence;
pub mod groups;
pub mod idempotency;
pub mod opinion;
pub mod page;
pub mod plans;
pub mod pool;
pub mod progress;
pub mod publication;
pub mod quotas;
pub mod reminders;
pub mod reviews;
pub mod schema;
pub mod seed;
pub mod service_tokens;
pub mod tasks;
#[cfg(feature = "test-support")]
pub mod testdb;
pub mod units;
pub mod webhooks;

pub use audit::Actor;
pub use error::StoreError;
pub use page::{ChangeKey, Changes, Page, PageRequest};
pub use pool::{DbConn, DbPool};
