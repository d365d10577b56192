//! Structure: reads the content segments in order and builds sections and tasks.
//!
//! A section opens where a segment starts with the next section numeral and 、, a task
//! where a segment starts with the next task number and a dot. Everything up to the
//! next opening belongs to the open heading or task. A unit cell is recognised only at
//! the very end of a task: its last segment, the words after the last space of that
//! segment, or the words glued before the next number ("党政办53.…"). A task number
//! followed by a digit that does not start a year ("12.5%", "7.5个工作日", but not
//! "32.2021年底前") is doubtful: it stays text when a plain "12." follows before "13.",
//! and opens task 12 otherwise.

use super::diagnostics::{ImportError, ImportWarning};
use super::layout::Segment;
use super::numbering::{
    LeadingDigits, SECTION_MARK, TaskMarker, arabic_digit_value, chinese_numeral,
    is_chinese_numeral_char, leading_digits, leading_section_number, leading_task_marker,
};
use super::quotas::extract_quotas;
use super::text::{ends_sentence, heading_title, join_fragments};
use super::units::UnitRecognizer;
use super::{ParsedPlan, ParsedSection, ParsedTask};

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

/// A task's unit cell as found.
#[derive(Debug)]
struct UnitCell {
    units: Vec<String>,
    /// Only the cell's place, not its names, says it is a cell.
    placed_only: bool,
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

/// The cell found glued before a number, and where that number starts.
struct GluedCell<'s> {
    head: &'s str,
    units: Vec<String>,
    marker_at: usize,
    marker: Marker,
}

struct PlanBuilder<'s, 'k> {
    segments: &'s [Segment<'s>],
    position: usize,
    units: UnitRecognizer<'k>,
    plan_units: Vec<String>,
    sections: Vec<ParsedSection>,
    warnings: Vec<ImportWarning>,
    open: OpenItem<'s>,
    next_section: u32,
    next_section_marker: String,
    next_task: u32,
    task_count: usize,
    first_content_line: Option<usize>,
    first_heading_line: Option<usize>,
    preamble_line: Option<usize>,
    orphan_task_line: Option<usize>,
    stray_section: Option<(usize, u32)>,
    stray_task: Option<(usize, u32)>,
}

fn section_marker(number: u32) -> String {
    let mut marker = chinese_numeral(number);
    marker.push(SECTION_MARK);
    marker
}

impl<'s, 'k> PlanBuilder<'s, 'k> {
    fn new(segments: &'s [Segment<'s>], known_units: &'k [&'k str]) -> Self {
        Self {
            segments,
            position: 0,
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
            let Some(glued) = self.find_glued_cell(rest) else {
                self.push_fragment(rest, segment.after_tab, line);
                return;
            };
            self.push_fragment(glued.head, segment.after_tab, line);
            if let OpenItem::Task(task) = &mut self.open {
                task.glued_cell = Some(glued.units);
            }
            rest = self.open_at(glued.marker, &rest[glued.marker_at..], line);
        }
    }

    /// The marker `text` starts with, if it is the next section or the next task.
    /// `glued` says a unit cell stands right before it, which vouches for it.
    fn marker_at_start(&self, text: &str, glued: bool) -> Option<Marker> {
        if text.starts_with(self.next_section_marker.as_str()) {
            return Some(Marker::Section { len: self.next_section_marker.len() });
        }
        let marker = leading_task_marker(text)?;
        if marker.number != self.next_task {
            return None;
        }
        if !glued
            && self.is_doubtful(&marker, self.position)
            && self.plain_marker_follows(marker.number)
        {
            return None;
        }
        Some(Marker::Task { len: marker.len })
    }

    /// Whether a task marker in segment `index` may as well be part of a decimal
    /// ("12.5%", "7.5个工作日"): a number other than a year follows its dot, on its
    /// line or, when its line ends with the dot, at the start of the next line.
    fn is_doubtful(&self, marker: &TaskMarker, index: usize) -> bool {
        match marker.followed_by {
            LeadingDigits::Number => true,
            LeadingDigits::Year => false,
            LeadingDigits::None => {
                marker.ends_text
                    && self
                        .segments
                        .get(index + 1)
                        .is_some_and(|next| leading_digits(next.text) == LeadingDigits::Number)
            }
        }
    }

    /// Whether a line further on starts with a plain marker for task `number` (or has
    /// one glued after a unit cell) before one for the task after it: then a doubtful
    /// "12.5%" here is text.
    fn plain_marker_follows(&self, number: u32) -> bool {
        let later = (self.position + 1)..self.segments.len();
        for found in later.filter_map(|index| self.plain_task_number_in(index)) {
            if found == number {
                return true;
            }
            if found == number + 1 {
                return false;
            }
        }
        false
    }

    /// The number of the first plain (not doubtful) task marker in segment `index`: at
    /// its start, or glued after a unit cell ("党政办53.").
    fn plain_task_number_in(&self, index: usize) -> Option<u32> {
        let text = self.segments.get(index)?.text;
        let mut previous_is_digit = false;
        for (at, c) in text.char_indices() {
            let is_digit = arabic_digit_value(c).is_some();
            let starts_number = is_digit && !previous_is_digit;
            previous_is_digit = is_digit;
            if !starts_number {
                continue;
            }
            let Some(marker) = leading_task_marker(&text[at..]) else { continue };
            let vouched = at == 0 || self.units.split_glued_cell(&text[..at]).is_some();
            if vouched && !self.is_doubtful(&marker, index) {
                return Some(marker.number);
            }
        }
        None
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

    /// Finds a unit cell glued before the next section or task number inside `text`.
    fn find_glued_cell<'t>(&self, text: &'t str) -> Option<GluedCell<'t>> {
        if !matches!(self.open, OpenItem::Task(_)) {
            return None;
        }
        let mut previous: Option<char> = None;
        for (at, c) in text.char_indices() {
            let starts_number = previous.is_some_and(|previous| {
                let starts_digits =
                    arabic_digit_value(c).is_some() && arabic_digit_value(previous).is_none();
                let starts_numeral =
                    is_chinese_numeral_char(c) && !is_chinese_numeral_char(previous);
                starts_digits || starts_numeral
            });
            previous = Some(c);
            if !starts_number {
                continue;
            }
            let Some(marker) = self.marker_at_start(&text[at..], true) else { continue };
            if let Some(cell) = self.units.split_glued_cell(&text[..at]) {
                return Some(GluedCell {
                    head: cell.head,
                    units: cell.units,
                    marker_at: at,
                    marker,
                });
            }
        }
        None
    }

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

    /// Notes a line that starts like a section or task but out of sequence.
    fn note_stray_numbering(&mut self, text: &str, line: usize) {
        let open_task = match &self.open {
            OpenItem::Nothing => None,
            OpenItem::Heading(_) => Some(None),
            OpenItem::Task(task) => Some(Some(task.number)),
        };
        if let Some(marker) = leading_task_marker(text)
            && marker.number != self.next_task
            && !self.is_doubtful(&marker, self.position)
        {
            self.stray_task.get_or_insert((line, marker.number));
            if let Some(task) = open_task {
                self.warnings.push(ImportWarning::new(
                    ImportWarning::OUT_OF_SEQUENCE_NUMBER,
                    task,
                    format!(
                        "line {line} starts with task number {} but the next task is {}; \
                         it was kept as text",
                        marker.number, self.next_task
                    ),
                ));
            }
        }
        if let Some(number) = leading_section_number(text)
            && number != self.next_section
        {
            self.stray_section.get_or_insert((line, number));
            if let Some(task) = open_task {
                self.warnings.push(ImportWarning::new(
                    ImportWarning::OUT_OF_SEQUENCE_SECTION,
                    task,
                    format!(
                        "line {line} starts with section {} but the next section is {}; \
                         it was kept as text",
                        chinese_numeral(number),
                        chinese_numeral(self.next_section)
                    ),
                ));
            }
        }
    }

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

    fn finish_task(&mut self, task: OpenTask<'s>) {
        let number = task.number;
        let (texts, cell) = self.split_unit_cell(task);
        let requirement = join_fragments(texts);
        if requirement.is_empty() {
            self.warnings.push(ImportWarning::new(
                ImportWarning::REQUIREMENT_EMPTY,
                Some(number),
                format!("task {number} has a number but no text"),
            ));
        }
        let (units, units_inherited) = match cell {
            Some(UnitCell { units, placed_only }) => {
                if placed_only {
                    self.warnings.push(ImportWarning::new(
                        ImportWarning::UNIT_BY_PLACE,
                        Some(number),
                        format!(
                            "task {number}: \"{}\" was read as its unit cell from where it \
                             stands; no known unit or usual ending (局, 办, 中心 …) confirms it",
                            units.join("、")
                        ),
                    ));
                }
                self.units.remember(&units);
                for unit in &units {
                    if !self.plan_units.contains(unit) {
                        self.plan_units.push(unit.clone());
                    }
                }
                (units, false)
            }
            None => self.inherit_units(number),
        };
        let quotas = extract_quotas(&requirement);
        self.task_count += 1;
        if let Some(section) = self.sections.last_mut() {
            section.tasks.push(ParsedTask { number, requirement, units, units_inherited, quotas });
        }
    }

    /// Separates a task's text fragments from its unit cell, if it has one.
    fn split_unit_cell(&self, task: OpenTask<'s>) -> (Vec<&'s str>, Option<UnitCell>) {
        let mut texts: Vec<&'s str> = task.fragments.iter().map(|fragment| fragment.text).collect();
        if let Some(units) = task.glued_cell {
            return (texts, Some(UnitCell { units, placed_only: false }));
        }
        let [.., before_last, last] = task.fragments.as_slice() else {
            let spaced = texts.first().and_then(|only| self.units.split_spaced_cell(only));
            return match spaced {
                Some(cell) => {
                    (vec![cell.head], Some(UnitCell { units: cell.units, placed_only: false }))
                }
                None => (texts, None),
            };
        };
        let placed_as_cell = last.after_tab || ends_sentence(before_last.text);
        if let Some(mut units) = self.units.read_cell(last.text, placed_as_cell) {
            let placed_only = self.units.read_cell(last.text, false).is_none();
            texts.pop();
            // A long cell wrapped over lines: "党政办、经发局、" / "综管办".
            while texts.len() >= 2
                && let Some(stem) = texts.last().and_then(|text| text.strip_suffix('、'))
                && let Some(mut earlier) = self.units.read_cell(stem, false)
            {
                earlier.append(&mut units);
                units = earlier;
                texts.pop();
            }
            return (texts, Some(UnitCell { units, placed_only }));
        }
        if let Some(cell) = self.units.split_spaced_cell(last.text) {
            texts.pop();
            texts.push(cell.head);
            return (texts, Some(UnitCell { units: cell.units, placed_only: false }));
        }
        (texts, None)
    }

    /// The units a task without a cell takes: those of the task before it in its section.
    fn inherit_units(&mut self, number: u32) -> (Vec<String>, bool) {
        let previous = self.sections.last().and_then(|section| section.tasks.last());
        match previous {
            Some(previous) if !previous.units.is_empty() => {
                let units = previous.units.clone();
                self.warnings.push(ImportWarning::new(
                    ImportWarning::UNIT_INHERITED,
                    Some(number),
                    format!(
                        "task {number} has no unit cell; it takes the units of task {}: {}",
                        previous.number,
                        units.join("、")
                    ),
                ));
                (units, true)
            }
            _ => {
                self.warnings.push(ImportWarning::new(
                    ImportWarning::UNIT_MISSING,
                    Some(number),
                    format!(
                        "task {number} has no unit cell and no task before it in its section \
                         to take units from"
                    ),
                ));
                (Vec::new(), false)
            }
        }
    }

    fn warn_if_last_section_empty(&mut self) {
        if let Some(section) = self.sections.last()
            && section.tasks.is_empty()
        {
            self.warnings.push(ImportWarning::new(
                ImportWarning::SECTION_WITHOUT_TASKS,
                None,
                format!(
                    "section {}、{} has no tasks",
                    chinese_numeral(section.number),
                    section.title
                ),
            ));
        }
    }

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
