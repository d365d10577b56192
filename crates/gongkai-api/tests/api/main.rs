//! API tests: the real app factory, in process, each test on its own database.

mod support;

mod audit;
mod auth;
mod errors;
mod import;
mod plans;
mod quotas;
mod units;
