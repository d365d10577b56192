//! Gongkai's domain, pure: plans, sections, tasks, units, quotas, evidence, the
//! compliance engine, the working-day calendar, fee rules and the plan text importer.
//!
//! Nothing in this crate performs I/O or knows about HTTP or SQL; every rule here is a
//! plain function that the store and API crates call.

pub mod auth;
pub mod calendar;
pub mod compliance;
pub mod fees;
pub mod import;
pub mod quota;
pub mod unit;
pub mod validation;
