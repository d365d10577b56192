//! The plumbing every resource uses and that knows no resource: tokens and the caller,
//! problem+json errors, extractors, answers, the idempotency middleware and the
//! transaction a keyed request runs in, the shared state, and the permission checks
//! several resources share.

pub mod access;
pub mod auth;
pub mod clock;
pub mod conditional;
pub mod csv;
pub mod docs;
pub mod error;
pub mod extract;
pub mod fallback;
pub mod gate;
pub mod health;
pub mod idempotency;
pub mod keyed_tx;
pub mod known_params;
pub mod list;
pub mod messages;
pub mod middleware;
pub mod negotiate;
pub mod office;
pub mod open_cors;
pub mod params;
pub mod rate_limit;
pub mod request_log;
pub mod respond;
pub mod route_table;
pub mod security_headers;
pub mod spec;
pub mod state;
