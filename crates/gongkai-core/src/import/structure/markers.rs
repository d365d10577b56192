//! Where sections and tasks start: the next numeral or number at the start of a
//! segment or glued after a unit cell, doubtful numbers that may be decimals, and
//! numbers out of sequence.

use super::{InlineMarker, Marker, OpenItem, PlainMarkerAhead, PlanBuilder};
use crate::import::diagnostics::ImportWarning;
use crate::import::numbering::{
    LeadingDigits, TaskMarker, arabic_digit_value, chinese_numeral, is_chinese_numeral_char,
    leading_digits, leading_section_number, leading_task_marker,
};

impl<'s> PlanBuilder<'s, '_> {
    /// The marker `text` starts with, if it is the next section or the next task.
    /// `glued` says a unit cell stands right before it, which vouches for it.
    pub(super) fn marker_at_start(&self, text: &str, glued: bool) -> Option<Marker> {
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
    ///
    /// The answer holds for every later doubtful "12." up to the plain one, so it is
    /// remembered: each stretch of text is searched once.
    fn plain_marker_follows(&self, number: u32) -> bool {
        if let Some(known) = self.plain_marker_ahead.get()
            && known.number == number
        {
            return known.segment.is_some_and(|segment| segment > self.position);
        }
        let later = (self.position + 1)..self.segments.len();
        let mut segment = None;
        for index in later {
            match self.plain_task_number_in(index) {
                Some(found) if found == number => {
                    segment = Some(index);
                    break;
                }
                Some(found) if found == number + 1 => break,
                _ => {}
            }
        }
        self.plain_marker_ahead.set(Some(PlainMarkerAhead { number, segment }));
        segment.is_some()
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

    /// Finds the next section or task number inside `text`: in a task, glued after a
    /// unit cell ("党政办53.", "司法局十、"); in a heading, the first task after a 。 or a
    /// space ("一、做好公开。 1.…").
    pub(super) fn find_inline_marker<'t>(&self, text: &'t str) -> Option<InlineMarker<'t>> {
        let in_task = match self.open {
            OpenItem::Task(_) => true,
            OpenItem::Heading(_) => false,
            OpenItem::Nothing => return None,
        };
        let mut previous: Option<char> = None;
        for (at, c) in text.char_indices() {
            let starts_number = previous.is_some_and(|previous| {
                let starts_digits =
                    arabic_digit_value(c).is_some() && arabic_digit_value(previous).is_none();
                let starts_numeral =
                    is_chinese_numeral_char(c) && !is_chinese_numeral_char(previous);
                starts_digits || (in_task && starts_numeral)
            });
            let after_heading = previous.is_some_and(|p| p == '。' || p.is_whitespace());
            previous = Some(c);
            if !starts_number {
                continue;
            }
            let Some(marker) = self.marker_at_start(&text[at..], true) else { continue };
            let prefix = &text[..at];
            if in_task && let Some(cell) = self.units.split_glued_cell(prefix) {
                return Some(InlineMarker {
                    head: cell.head,
                    cell: Some(cell.units),
                    marker_at: at,
                    marker,
                });
            }
            if !in_task && after_heading && matches!(marker, Marker::Task { .. }) {
                return Some(InlineMarker { head: prefix, cell: None, marker_at: at, marker });
            }
        }
        None
    }

    /// Notes a line that starts like a section or task but out of sequence.
    pub(super) fn note_stray_numbering(&mut self, text: &str, line: usize) {
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
}
