//! Closing a task: its unit cell, or the units it inherits, its requirement text and
//! its quotas.

use super::{OpenTask, PlanBuilder};
use crate::import::ParsedTask;
use crate::import::diagnostics::ImportWarning;
use crate::import::numbering::chinese_numeral;
use crate::import::quotas::{extract_quotas, impossible_deadlines};
use crate::import::text::{ends_sentence, join_fragments};

/// A task's unit cell as found.
#[derive(Debug)]
struct UnitCell {
    units: Vec<String>,
    /// Only the cell's place, not its names, says it is a cell.
    placed_only: bool,
}

impl<'s> PlanBuilder<'s, '_> {
    /// Closes `task`: finds its unit cell or inherits units, joins its requirement,
    /// reads its quotas and adds it to the current section.
    pub(super) fn finish_task(&mut self, task: OpenTask<'s>) {
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
        for phrase in impossible_deadlines(&requirement) {
            self.warnings.push(ImportWarning::new(
                ImportWarning::IMPOSSIBLE_DATE,
                Some(number),
                format!("task {number} names a day that does not exist (“{phrase}”); no deadline was read from it"),
            ));
        }
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

    /// Warns when the section just closed has no tasks.
    pub(super) fn warn_if_last_section_empty(&mut self) {
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
}
