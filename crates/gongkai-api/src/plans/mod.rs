//! 工作要点: plans, their sections and tasks, the import of a plan's text, and the copy
//! of a plan to the next year.

pub mod copy;
pub mod handlers;
pub mod import;
pub mod import_types;
pub mod types;
