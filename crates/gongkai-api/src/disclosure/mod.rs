//! 依申请公开: applications for disclosure — the register, the statutory clock and the
//! handling steps, fees, the appeals register, and the annual-report tables 三 and 四.

pub mod access;
pub mod action_types;
pub mod actions;
pub mod appeal_types;
pub mod appeals;
pub mod clock_types;
pub mod fee_types;
pub mod fees;
pub mod report_types;
pub mod reports;
pub mod request_types;
pub mod requests;
pub mod settings;
