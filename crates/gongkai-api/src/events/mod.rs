//! The event feed: `GET /api/v1/events`, in commit order, within the reader's reach, with
//! long polling; and the signal that wakes long polls when an event commits on any
//! instance.

pub mod handlers;
pub mod signal;
pub mod types;

pub use handlers::routes;
