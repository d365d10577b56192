//! The response clock: a concern is answered within a number of working days of its
//! receipt, a number each source has of its own.
//!
//! No national rule fixes these numbers for every source, and local rules differ, so
//! they are a deployment setting (`GONGKAI_OPINION_RESPONSE_WORKDAYS`); the defaults
//! below are only a starting point. A case keeps the limit in force when it was
//! registered, so changing the setting does not move the due dates of cases already
//! open. The day of receipt is not counted (counting starts the next working day), as
//! for every other period of the service.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::calendar::{CalendarError, DeadlineExplanation, StartDayRule, WorkCalendar};
use crate::opinion::words::Source;

/// The most working days a response limit may be.
pub const MAX_RESPONSE_WORKDAYS: u32 = 60;

/// The default limit of each source, in working days.
pub const DEFAULT_RESPONSE_WORKDAYS: [(Source, u32); 6] = [
    (Source::NewMedia, 5),
    (Source::GovernorMailbox, 10),
    (Source::Hotline12345, 5),
    (Source::OnlineOpinion, 1),
    (Source::MediaReport, 1),
    (Source::Other, 5),
];

/// The response limit of each source, in working days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseLimits {
    workdays: BTreeMap<Source, u32>,
}

impl Default for ResponseLimits {
    fn default() -> Self {
        ResponseLimits { workdays: DEFAULT_RESPONSE_WORKDAYS.into_iter().collect() }
    }
}

impl ResponseLimits {
    /// The limit of `source`.
    pub fn of(&self, source: Source) -> u32 {
        self.workdays.get(&source).copied().unwrap_or(0)
    }

    /// Every source with its limit, in the order of [`Source::ALL`].
    pub fn all(&self) -> Vec<(Source, u32)> {
        Source::ALL.iter().map(|s| (*s, self.of(*s))).collect()
    }

    /// The defaults changed by `spec`, a comma-separated list of `source=workdays`
    /// (`hotline_12345=3,governor_mailbox=15`); sources not named keep their default. A
    /// blank spec is the defaults. An unknown source, a number that is not a whole
    /// number of working days from 0 to [`MAX_RESPONSE_WORKDAYS`], or a source named
    /// twice is refused, with a message naming it.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut limits = ResponseLimits::default();
        let mut seen = Vec::new();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((name, days)) = part.split_once('=') else {
                return Err(format!("`{part}` is not source=workdays"));
            };
            let (name, days) = (name.trim(), days.trim());
            let source = Source::parse(name).ok_or_else(|| {
                let known: Vec<&str> = Source::ALL.iter().map(|s| s.as_str()).collect();
                format!("`{name}` is not a source (one of {})", known.join(", "))
            })?;
            if seen.contains(&source) {
                return Err(format!("`{name}` is given twice"));
            }
            seen.push(source);
            let n: u32 = days
                .parse()
                .ok()
                .filter(|n| *n <= MAX_RESPONSE_WORKDAYS)
                .ok_or_else(|| {
                    format!(
                        "`{name}={days}`: the limit is a whole number of working days from 0 to {MAX_RESPONSE_WORKDAYS}"
                    )
                })?;
            limits.workdays.insert(source, n);
        }
        Ok(limits)
    }
}

/// The last day to respond to a concern received on `received_on` with a limit of
/// `workdays` working days: the receipt day not counted, holidays skipped and make-up
/// working days counted, as the explanation says.
pub fn response_due(
    calendar: &WorkCalendar,
    received_on: NaiveDate,
    workdays: u32,
) -> Result<DeadlineExplanation, CalendarError> {
    calendar.add_workdays(received_on, workdays, StartDayRule::NotCounted)
}

/// Where a case stands against its response due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseStanding {
    /// Responded, and the first response was on or before the due date.
    pub on_time: bool,
    /// Not responded, and `as_of` is after the due date.
    pub overdue: bool,
    /// Working days from `as_of` to the due date (negative past it); None once
    /// responded.
    pub workdays_left: Option<i64>,
}

/// Where a case due on `due` stands on `as_of`, given its first response, if any.
pub fn response_standing(
    calendar: &WorkCalendar,
    due: NaiveDate,
    first_response: Option<NaiveDate>,
    as_of: NaiveDate,
) -> Result<ResponseStanding, CalendarError> {
    if let Some(on) = first_response {
        return Ok(ResponseStanding { on_time: on <= due, overdue: false, workdays_left: None });
    }
    let left = if as_of > due {
        -i64::from(calendar.workdays_between(due, as_of)?)
    } else {
        i64::from(calendar.workdays_between(as_of, due)?)
    };
    Ok(ResponseStanding { on_time: false, overdue: as_of > due, workdays_left: Some(left) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setting_changes_named_sources_only() {
        let l = ResponseLimits::parse(" hotline_12345 = 3 , governor_mailbox=15").unwrap();
        assert_eq!(l.of(Source::Hotline12345), 3);
        assert_eq!(l.of(Source::GovernorMailbox), 15);
        assert_eq!(l.of(Source::NewMedia), 5);
        assert_eq!(ResponseLimits::parse("").unwrap(), ResponseLimits::default());
    }

    #[test]
    fn nonsense_is_refused_with_its_name() {
        #[rustfmt::skip]
        let table: &[(&str, &str)] = &[
            ("weibo=3", "weibo"),
            ("hotline_12345", "source=workdays"),
            ("hotline_12345=-1", "hotline_12345=-1"),
            ("hotline_12345=61", "0 to 60"),
            ("hotline_12345=two", "hotline_12345=two"),
            ("other=1,other=2", "twice"),
        ];
        for (spec, says) in table {
            let e = ResponseLimits::parse(spec).unwrap_err();
            assert!(e.contains(says), "{spec}: {e}");
        }
    }
}
