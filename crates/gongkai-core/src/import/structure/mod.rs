//! Structure: reads the content segments in order and builds sections and tasks.
//!
//! A section opens where a segment starts with the next section numeral and 、, a task
//! where a segment starts with the next task number and a dot. Everything up to the
//! next opening belongs to the open heading or task. A unit cell is recognised only at
//! the very end of a task: its last segment, the words after the last space of that
//! segment, or the words glued before the next number ("党政办53.…"). A heading may
//! share its line with the first task after a 。 or a space. A task number
//! followed by a digit that does not start a year ("12.5%", "7.5个工作日", but not
//! "32.2021年底前") is doubtful: it stays text when a plain "12." follows before "13.",
//! and opens task 12 otherwise.

mod markers;
mod tasks;

use std::cell::Cell;

use super::diagnostics::{ImportError, ImportWarning};
use super::layout::Segment;
use super::numbering::{SECTION_MARK, chinese_numeral};
use super::text::heading_title;
use super::units::UnitRecognizer;
use super::{ParsedPlan, ParsedSection};

/// Builds the plan from the content segments of a text.
pub(super) fn build_plan(
    segments: &[Segment<'_>],
    known_units: &[&str],
) -> Result<ParsedPlan, ImportError> {
    let mut builder = PlanBuilder::new(segments, known_units);
    for (position, segment) in segments.iter().enumerate() {
        builder.position = position;
        builder.feed(*segment);
    }
    builder.finish()
}

/// A piece of a task's text as laid out.
#[derive(Debug, Clone, Copy)]
struct Fragment<'s> {
    text: &'s str,
    after_tab: bool,
}

/// A task being read.
#[derive(Debug)]
struct OpenTask<'s> {
    number: u32,
    fragments: Vec<Fragment<'s>>,
    glued_cell: Option<Vec<String>>,
}

/// What the text being read belongs to.
#[derive(Debug)]
enum OpenItem<'s> {
    /// Nothing yet: text before the first heading.
    Nothing,
    /// A section heading, its fragments so far.
    Heading(Vec<&'s str>),
    /// A task.
    Task(OpenTask<'s>),
}

/// Where a section or task starts, and how many bytes its number takes.
#[derive(Debug, Clone, Copy)]
enum Marker {
    Section { len: usize },
    Task { len: usize },
}

/// A section or task number inside a segment rather than at its start: glued after a
/// unit cell ("党政办53.…"), or after a heading on the same line ("一、标题。 1.…").
struct InlineMarker<'s> {
    /// The text before it, without the cell.
    head: &'s str,
    /// The unit cell right before it, if any.
    cell: Option<Vec<String>>,
    /// Where the number starts, in bytes.
    marker_at: usize,
    marker: Marker,
}

/// Where the plain marker of a task stands, once looked for on behalf of a doubtful
/// one ("12.5%"): the segment holding "12.", or none before "13.".
#[derive(Debug, Clone, Copy)]
struct PlainMarkerAhead {
    number: u32,
    segment: Option<usize>,
}

/// The state of one import: what is open, which numbers come next, what was found.
struct PlanBuilder<'s, 'k> {
    /// All content segments of the text.
    segments: &'s [Segment<'s>],
    /// The index of the segment being read.
    position: usize,
    /// The last look-ahead made for a doubtful task number.
    plain_marker_ahead: Cell<Option<PlainMarkerAhead>>,
    units: UnitRecognizer<'k>,
    /// Distinct unit names from cells, in order of first appearance.
    plan_units: Vec<String>,
    sections: Vec<ParsedSection>,
    warnings: Vec<ImportWarning>,
    open: OpenItem<'s>,
    next_section: u32,
    /// The numeral and 、 that open the next section ("十七、").
    next_section_marker: String,
    next_task: u32,
    task_count: usize,
    first_content_line: Option<usize>,
    first_heading_line: Option<usize>,
    /// The first line of text before the first heading, if any.
    preamble_line: Option<usize>,
    /// The line of a task 1 found before any heading.
    orphan_task_line: Option<usize>,
    /// The first line starting with a section numeral out of sequence, and its number.
    stray_section: Option<(usize, u32)>,
    /// The first line starting with a task number out of sequence, and its number.
    stray_task: Option<(usize, u32)>,
}

/// The marker of section `number`: its numeral and 、.
fn section_marker(number: u32) -> String {
    let mut marker = chinese_numeral(number);
    marker.push(SECTION_MARK);
    marker
}

impl<'s, 'k> PlanBuilder<'s, 'k> {
    /// A builder over the segments of one text.
    fn new(segments: &'s [Segment<'s>], known_units: &'k [&'k str]) -> Self {
        Self {
            segments,
            position: 0,
            plain_marker_ahead: Cell::new(None),
            units: UnitRecognizer::new(known_units),
            plan_units: Vec::new(),
            sections: Vec::new(),
            warnings: Vec::new(),
            open: OpenItem::Nothing,
            next_section: 1,
            next_section_marker: section_marker(1),
            next_task: 1,
            task_count: 0,
            first_content_line: None,
            first_heading_line: None,
            preamble_line: None,
            orphan_task_line: None,
            stray_section: None,
            stray_task: None,
        }
    }

    /// Reads one segment: a new section or task, inline numbers, or more text.
    fn feed(&mut self, segment: Segment<'s>) {
        let line = segment.line;
        self.first_content_line.get_or_insert(line);
        let mut rest = segment.text;
        match self.marker_at_start(rest, false) {
            Some(Marker::Task { .. }) if self.sections.is_empty() => {
                self.orphan_task_line.get_or_insert(line);
            }
            Some(marker) => rest = self.open_at(marker, rest, line),
            None => self.note_stray_numbering(rest, line),
        }
        while !rest.is_empty() {
            let Some(inline) = self.find_inline_marker(rest) else {
                self.push_fragment(rest, segment.after_tab, line);
                return;
            };
            self.push_fragment(inline.head, segment.after_tab, line);
            if let OpenItem::Task(task) = &mut self.open {
                task.glued_cell = inline.cell;
            }
            rest = self.open_at(inline.marker, &rest[inline.marker_at..], line);
        }
    }

    /// Closes the open item and opens the one `marker` starts; returns the text after
    /// the marker.
    fn open_at<'t>(&mut self, marker: Marker, text: &'t str, line: usize) -> &'t str {
        self.close_open_item();
        match marker {
            Marker::Section { len } => {
                self.warn_if_last_section_empty();
                if self.sections.is_empty() {
                    self.first_heading_line = Some(line);
                    if let Some(preamble_line) = self.preamble_line {
                        self.warnings.push(ImportWarning::new(
                            ImportWarning::TEXT_BEFORE_FIRST_SECTION,
                            None,
                            format!(
                                "the text from line {preamble_line} up to the first section \
                                 heading (line {line}) belongs to no section and was left out"
                            ),
                        ));
                    }
                }
                self.sections.push(ParsedSection {
                    number: self.next_section,
                    title: String::new(),
                    tasks: Vec::new(),
                });
                self.open = OpenItem::Heading(Vec::new());
                self.next_section += 1;
                self.next_section_marker = section_marker(self.next_section);
                text[len..].trim_start()
            }
            Marker::Task { len } => {
                self.open = OpenItem::Task(OpenTask {
                    number: self.next_task,
                    fragments: Vec::new(),
                    glued_cell: None,
                });
                self.next_task += 1;
                text[len..].trim_start()
            }
        }
    }

    /// Adds text to the open heading or task (text before any heading is noted only).
    fn push_fragment(&mut self, text: &'s str, after_tab: bool, line: usize) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        match &mut self.open {
            OpenItem::Nothing => {
                self.preamble_line.get_or_insert(line);
            }
            OpenItem::Heading(fragments) => fragments.push(text),
            OpenItem::Task(task) => task.fragments.push(Fragment { text, after_tab }),
        }
    }

    /// Closes the open heading (its title) or task.
    fn close_open_item(&mut self) {
        match std::mem::replace(&mut self.open, OpenItem::Nothing) {
            OpenItem::Nothing => {}
            OpenItem::Heading(fragments) => {
                if let Some(section) = self.sections.last_mut() {
                    section.title = heading_title(fragments);
                }
            }
            OpenItem::Task(task) => self.finish_task(task),
        }
    }

    /// Closes the last item and returns the plan, or why there is none.
    fn finish(mut self) -> Result<ParsedPlan, ImportError> {
        self.close_open_item();
        self.warn_if_last_section_empty();
        if self.sections.is_empty() {
            return Err(match self.stray_section {
                Some((line, number)) => ImportError::new(
                    ImportError::NUMBERING,
                    Some(line),
                    format!(
                        "the first section heading is numbered {}、; sections must be \
                         numbered from 一、 in sequence",
                        chinese_numeral(number)
                    ),
                ),
                None => ImportError::new(
                    ImportError::NO_SECTION,
                    self.first_content_line,
                    "no section heading (一、…) found",
                ),
            });
        }
        if let Some(line) = self.orphan_task_line {
            return Err(ImportError::new(
                ImportError::TASK_BEFORE_SECTION,
                Some(line),
                "task 1 comes before the first section heading (一、…)",
            ));
        }
        if self.task_count == 0 {
            return Err(match self.stray_task {
                Some((line, number)) => ImportError::new(
                    ImportError::NUMBERING,
                    Some(line),
                    format!(
                        "the first task is numbered {number}; tasks must be numbered from 1 \
                         in sequence"
                    ),
                ),
                None => ImportError::new(
                    ImportError::NO_TASK,
                    self.first_heading_line,
                    "no task (1. …) found after the section headings",
                ),
            });
        }
        Ok(ParsedPlan { sections: self.sections, units: self.plan_units, warnings: self.warnings })
    }
}
