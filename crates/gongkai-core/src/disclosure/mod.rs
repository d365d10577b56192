//! Applications for disclosure (依申请公开) under the 2019 regulation
//! (政府信息公开条例): the words of the register, the checks on registration, the state
//! machine of handling, the statutory clock, and tables 三 and 四 of the annual report.
//!
//! Everything here is pure: the store feeds in what is recorded, the calendar and the
//! deployment's clock settings, and gets back decisions, due dates with their
//! explanation, and report tables.

pub mod access;
pub mod appeals;
pub mod applicant;
mod clock;
mod decision;
mod events;
pub mod labels;
mod machine;
pub mod model;
mod pauses;
pub mod receipt;
pub mod registration;
pub mod report;
mod step_rules;

pub use clock::{
    CONSULTATION_WORKDAYS, CORRECTION_NOTICE_WORKDAYS, Clock, ClockSettings, ClockState,
    ClockWarning, REPLY_WORKDAYS,
};
pub use decision::{DecisionCode, DecisionDue};
pub use events::{Action, Event, FeeNotice};
pub use machine::{Case, Context, MAX_EXTENSION_WORKDAYS, RuleError, actions_from};
pub use model::{ApplicantKind, Channel, ConsultedParty, Outcome, ReplyType, Status};
pub use pauses::{ClockPause, PauseEnd, PauseReason};
pub use step_rules::MAX_GOOD_REASON_CHARS;
