//! Deadline reminders: which reminder an item with a due date calls for on a day.
//!
//! An item (a quota deadline, one event of a within-N-working-days duty, a rectification
//! item, an application's reply) gets `deadline.due_soon` when 7, 3 and 1 working days
//! are left and `deadline.overdue` on the first day after its due date — each at most
//! once per due date (the store keeps what was sent).
//!
//! The job runs once a day, so a reminder falls due on one day; a day the job did not run
//! (a restart, a server down over a holiday) must not lose it. So on each day an item
//! calls for the tightest threshold it has reached: with 2 working days left that is the
//! 3-day reminder (sent then if it was not sent the day before), never the 7-day one any
//! more; an item first seen with 2 days left gets only the 3-day and 1-day reminders. Due
//! today (0 left) still calls for the 1-day reminder. An overdue item calls for the
//! overdue reminder while its due date is at most [`OVERDUE_CATCH_UP_WORKDAYS`] working
//! days past, so a new install does not announce deadlines missed long ago.
//!
//! Working days are counted by the calendar ([`WorkCalendar::workdays_between`]); a day
//! in a year without a loaded notice is the calendar's error, for the caller to skip.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{CalendarError, WorkCalendar};

/// The working days before a due date at which `deadline.due_soon` is sent, widest first.
pub const DUE_SOON_WORKDAYS: [u32; 3] = [7, 3, 1];

/// How many working days past its due date an item still gets its overdue reminder.
pub const OVERDUE_CATCH_UP_WORKDAYS: u32 = 7;

/// One reminder of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Threshold {
    /// 7 working days (or fewer, down to 4) left.
    #[serde(rename = "due_soon_7")]
    DueSoon7,
    /// 3 working days (or fewer, down to 2) left.
    #[serde(rename = "due_soon_3")]
    DueSoon3,
    /// 1 working day left, or due today.
    #[serde(rename = "due_soon_1")]
    DueSoon1,
    /// The due date has passed.
    #[serde(rename = "overdue")]
    Overdue,
}

impl Threshold {
    /// The name stored and sent (`due_soon_7`, …, `overdue`).
    pub fn as_str(self) -> &'static str {
        match self {
            Threshold::DueSoon7 => "due_soon_7",
            Threshold::DueSoon3 => "due_soon_3",
            Threshold::DueSoon1 => "due_soon_1",
            Threshold::Overdue => "overdue",
        }
    }

    /// Whether this is the overdue reminder (`deadline.overdue`) rather than a due-soon one.
    pub fn is_overdue(self) -> bool {
        self == Threshold::Overdue
    }

    fn due_soon(workdays: u32) -> Option<Self> {
        match workdays {
            7 => Some(Threshold::DueSoon7),
            3 => Some(Threshold::DueSoon3),
            1 => Some(Threshold::DueSoon1),
            _ => None,
        }
    }
}

/// Where an item stands against its due date on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    /// Not past due: working days after the day up to and including the due date
    /// (0: due that day).
    DueIn(u32),
    /// Past due: working days after the due date up to and including the day (0 when
    /// only non-working days have passed).
    OverdueBy(u32),
}

impl Standing {
    /// Where an item due on `due` stands on `today`, counted by `calendar`.
    pub fn on(
        calendar: &WorkCalendar,
        today: NaiveDate,
        due: NaiveDate,
    ) -> Result<Self, CalendarError> {
        if today > due {
            Ok(Standing::OverdueBy(calendar.workdays_between(due, today)?))
        } else {
            Ok(Standing::DueIn(calendar.workdays_between(today, due)?))
        }
    }

    /// From signed working days left (negative past due) and whether the item is past
    /// due, as the disclosure clock reports them.
    pub fn from_signed(workdays_left: i64, overdue: bool) -> Self {
        let n = u32::try_from(workdays_left.unsigned_abs()).unwrap_or(u32::MAX);
        if overdue { Standing::OverdueBy(n) } else { Standing::DueIn(n) }
    }

    /// The working days left (negative when past due), as events carry it.
    pub fn workdays_left(self) -> i64 {
        match self {
            Standing::DueIn(n) => i64::from(n),
            Standing::OverdueBy(n) => -i64::from(n),
        }
    }
}

/// The reminder an item standing at `standing` calls for (see the module's rules), if any.
pub fn reminder_for(standing: Standing) -> Option<Threshold> {
    match standing {
        Standing::DueIn(left) => DUE_SOON_WORKDAYS
            .iter()
            .rev()
            .find(|&&t| left <= t)
            .and_then(|&t| Threshold::due_soon(t)),
        Standing::OverdueBy(past) => {
            (past <= OVERDUE_CATCH_UP_WORKDAYS).then_some(Threshold::Overdue)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tightest_threshold_reached() {
        let cases = [
            (Standing::DueIn(20), None),
            (Standing::DueIn(8), None),
            (Standing::DueIn(7), Some(Threshold::DueSoon7)),
            (Standing::DueIn(4), Some(Threshold::DueSoon7)),
            (Standing::DueIn(3), Some(Threshold::DueSoon3)),
            (Standing::DueIn(2), Some(Threshold::DueSoon3)),
            (Standing::DueIn(1), Some(Threshold::DueSoon1)),
            (Standing::DueIn(0), Some(Threshold::DueSoon1)),
            (Standing::OverdueBy(0), Some(Threshold::Overdue)),
            (Standing::OverdueBy(7), Some(Threshold::Overdue)),
            (Standing::OverdueBy(8), None),
        ];
        for (standing, want) in cases {
            assert_eq!(reminder_for(standing), want, "{standing:?}");
        }
    }

    #[test]
    fn names_match_serde() {
        for t in [Threshold::DueSoon7, Threshold::DueSoon3, Threshold::DueSoon1, Threshold::Overdue]
        {
            assert_eq!(serde_json::to_value(t).unwrap(), t.as_str());
        }
        assert_eq!(Standing::from_signed(-3, true), Standing::OverdueBy(3));
        assert_eq!(Standing::from_signed(0, true), Standing::OverdueBy(0));
        assert_eq!(Standing::from_signed(5, false), Standing::DueIn(5));
        assert_eq!(Standing::OverdueBy(3).workdays_left(), -3);
    }
}
