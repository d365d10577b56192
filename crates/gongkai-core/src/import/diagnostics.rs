//! What the importer reports besides the plan: errors that stop an import and warnings
//! about guesses it made.

use serde::{Deserialize, Serialize};

/// Why a text could not be read as a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{}: {message} [{code}]", describe_line(.line))]
pub struct ImportError {
    /// The 1-based input line the problem was found on, when there is one.
    pub line: Option<usize>,
    /// A snake_case code: see the associated constants.
    pub code: String,
    /// A sentence for people.
    pub message: String,
}

fn describe_line(line: &Option<usize>) -> String {
    match line {
        Some(line) => format!("line {line}"),
        None => "plan text".to_owned(),
    }
}

impl ImportError {
    /// The text is empty or holds only blanks and page headers.
    pub const EMPTY: &'static str = "empty";
    /// The bytes are not UTF-8.
    pub const NOT_UTF8: &'static str = "not_utf8";
    /// No section heading (一、 …) was found.
    pub const NO_SECTION: &'static str = "no_section";
    /// Sections were found but no task (1. …).
    pub const NO_TASK: &'static str = "no_task";
    /// Sections or tasks are numbered but the numbering never starts at 一 / 1.
    pub const NUMBERING: &'static str = "numbering";
    /// Task 1 appears before the first section heading.
    pub const TASK_BEFORE_SECTION: &'static str = "task_before_section";

    /// An error with a code, an optional line and a message.
    pub fn new(code: &str, line: Option<usize>, message: impl Into<String>) -> Self {
        Self { line, code: code.to_owned(), message: message.into() }
    }
}

/// Something the importer guessed or noticed; the plan is still usable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportWarning {
    /// The task it concerns, if any.
    pub task: Option<u32>,
    /// A snake_case code: see the associated constants.
    pub code: String,
    /// A sentence for people.
    pub message: String,
}

impl ImportWarning {
    /// The task has no unit cell and takes the units of the task before it.
    pub const UNIT_INHERITED: &'static str = "unit_inherited";
    /// The task has no unit cell and no task before it in its section to inherit from.
    pub const UNIT_MISSING: &'static str = "unit_missing";
    /// A unit cell was recognised by its place only: its names are not known and do
    /// not end like unit names (各镇街 in its own table column, say).
    pub const UNIT_BY_PLACE: &'static str = "unit_by_place";
    /// The task has a number but no text.
    pub const REQUIREMENT_EMPTY: &'static str = "requirement_empty";
    /// A section heading is followed directly by the next heading.
    pub const SECTION_WITHOUT_TASKS: &'static str = "section_without_tasks";
    /// Text before the first section heading (a document title, say) was left out.
    pub const TEXT_BEFORE_FIRST_SECTION: &'static str = "text_before_first_section";
    /// A line starts like a task ("7.") but with a number out of sequence; kept as text.
    pub const OUT_OF_SEQUENCE_NUMBER: &'static str = "out_of_sequence_number";
    /// A line starts like a section ("五、") but out of sequence; kept as text.
    pub const OUT_OF_SEQUENCE_SECTION: &'static str = "out_of_sequence_section";
    /// A deadline phrase names a day that does not exist; no quota was read from it.
    pub const IMPOSSIBLE_DATE: &'static str = "impossible_date";
    /// The task names a date outside the year the plan is imported for (last year's
    /// text imported as this year's plan, say); see [`super::ParsedPlan::check_year`].
    pub const DATE_OUTSIDE_PLAN_YEAR: &'static str = "date_outside_plan_year";

    /// A warning with a code, an optional task and a message.
    pub fn new(code: &str, task: Option<u32>, message: impl Into<String>) -> Self {
        Self { task, code: code.to_owned(), message: message.into() }
    }
}
