//! 依申请公开: the register of applications for disclosure, their handling steps, and
//! the register of administrative reviews and lawsuits.
//!
//! The rules are gongkai-core's (`gongkai_core::disclosure`); this module stores and
//! loads, seals identity numbers ([`secrets`]) and writes every change together with
//! its audit event. Audit events never hold an applicant's name, identity number or
//! contact details.

pub mod actions;
pub mod appeals;
mod record;
pub mod reports;
pub mod requests;
pub mod secrets;

pub use record::{DisclosureRequest, StoredApplicant, StoredEvent};
