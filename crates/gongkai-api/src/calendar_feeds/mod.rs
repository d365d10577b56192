//! Calendar feeds: a secret `.ics` URL per subscription (a plan, optionally one unit's
//! subtree) that a calendar app reads without a bearer token — quota deadlines,
//! rectification dues and application reply dues as all-day events, no personal data.

pub mod entries;
pub mod handlers;
pub mod ics;
pub mod types;

pub use handlers::routes;
