//! API tests: the real app factory, in process, each test on its own database.

mod disclosure_support;
mod support;

mod annual_report;
mod audit;
mod auth;
mod calendar;
mod calendar_feeds;
mod changes;
mod compliance;
mod disclosure;
mod disclosure_fees;
mod disclosure_privacy;
mod disclosure_report;
mod disclosure_statutory;
mod errors;
mod events;
mod evidence;
mod exports;
mod hardening;
mod import;
mod ledger;
mod opinion;
mod plans;
mod publishing;
mod quotas;
mod reminders;
mod safe_writes;
mod scopes;
mod service_tokens;
mod units;
mod webhooks;
