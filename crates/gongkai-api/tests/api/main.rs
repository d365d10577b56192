//! API tests: the real app factory, in process, each test on its own database.

mod support;

mod auth;
mod errors;
mod import;
mod plans;
mod quotas;
mod units;
