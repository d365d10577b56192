//! 公开: the public read API under `/public/v1`, without a token. It shows published plans
//! only, and of them only what is fixed here: sections and tasks verbatim, responsible
//! units, quotas, each unit's ledger status (never the notes), compliance, the latest
//! look-back's summary and rectification statuses, and when each last changed — no
//! personal data, no note text, no free text written inside the service.

pub mod handlers;
pub mod types;

pub use handlers::routes;
