//! Gongkai's domain, pure: plans, sections, tasks, units, quotas, evidence, the
//! compliance engine, the working-day calendar, fee rules, the plan text importer, and the
//! register of applications for disclosure.
//!
//! Nothing in this crate performs I/O or knows about HTTP or SQL; every rule here is a
//! plain function that the store and API crates call.

pub mod annual_report;
pub mod auth;
pub mod calendar;
pub mod compliance;
pub mod disclosure;
pub mod events;
pub mod fees;
pub mod import;
pub mod ledger;
pub mod opinion;
pub mod plan;
pub mod quota;
pub mod reminders;
pub mod unit;
pub mod validation;
pub mod webhook;
