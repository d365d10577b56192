//! Plan-text importer: reads a work plan copied out of a PDF or Word table (columns
//! 工作任务 / 具体要求 / 责任单位) into sections, tasks, responsible units and quotas.
//!
//! Sections are numbered 一、 二、 … in sequence, tasks 1. 2. … (or １．) in sequence
//! across the whole plan; a number out of sequence is text. Layout line breaks, repeated
//! page headers and stray spaces are removed; no other character of the text is lost.
//! Unit cells are recognised by their shape and place, with no list of
//! names needed; a task without one takes the units of the task before it in its
//! section, with a warning. Quotas are read from each requirement (see
//! [`extract_quotas`]).
//!
//! Dates outside the year the plan is imported for are warned about with
//! [`ParsedPlan::check_year`].
//!
//! Pure: the caller reads the file; this module only sees text or bytes.

mod dates;
mod diagnostics;
mod layout;
mod numbering;
mod quotas;
mod structure;
mod text;
mod units;

use serde::{Deserialize, Serialize};

use crate::quota::ExtractedQuota;
pub use diagnostics::{ImportError, ImportWarning};
pub use quotas::extract_quotas;

/// A plan as read from text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParsedPlan {
    /// The sections, in order.
    pub sections: Vec<ParsedSection>,
    /// Every distinct unit name named by a unit cell, in order of first appearance.
    pub units: Vec<String>,
    /// Guesses and oddities worth a look, in the order they arose.
    pub warnings: Vec<ImportWarning>,
}

/// A section (一、 …) and its tasks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParsedSection {
    /// The section's number: 1 for 一、, 16 for 十六、.
    pub number: u32,
    /// The heading without its numeral and without its closing 。.
    pub title: String,
    /// The section's tasks, in order.
    pub tasks: Vec<ParsedTask>,
}

/// A task (1. …): what is required and who is responsible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParsedTask {
    /// The task's number, in sequence across the plan.
    pub number: u32,
    /// The task's text without its number.
    pub requirement: String,
    /// The responsible units, lead unit first.
    pub units: Vec<String>,
    /// The task had no unit cell and took the units of the task before it.
    pub units_inherited: bool,
    /// The quotas its requirement states.
    pub quotas: Vec<ExtractedQuota>,
}

/// Reads a plan from text. `known_units` are unit names already on record; they help
/// recognise unit cells with unusual names but are never required.
pub fn parse_plan(text: &str, known_units: &[&str]) -> Result<ParsedPlan, ImportError> {
    let segments = layout::segments(text);
    if segments.is_empty() {
        return Err(ImportError::new(
            ImportError::EMPTY,
            Some(1),
            "the text is empty or holds only blank lines and page headers",
        ));
    }
    structure::build_plan(&segments, known_units)
}

/// Reads a plan from bytes, which must be UTF-8 (a leading byte-order mark is fine).
pub fn parse_plan_bytes(bytes: &[u8], known_units: &[&str]) -> Result<ParsedPlan, ImportError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_plan(text, known_units),
        Err(error) => {
            let offset = error.valid_up_to();
            let line = bytes[..offset].iter().filter(|byte| **byte == b'\n').count() + 1;
            Err(ImportError::new(
                ImportError::NOT_UTF8,
                Some(line),
                format!(
                    "the text is not UTF-8: invalid byte at offset {offset}; \
                     save it as UTF-8 and import again"
                ),
            ))
        }
    }
}
