//! Counting "N working days from day D" (N个工作日内), with an explanation of every day
//! that was skipped, so that a deadline shown to a user can justify itself.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{CalendarError, DayKind, WorkCalendar};

/// Whether the start day itself (the day of receipt) counts as the first working day.
///
/// The disclosure regulation does not say; practice, following the Civil Code's rules on
/// periods, starts counting the next day, which is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StartDayRule {
    /// The start day is not counted; counting starts the next day (default).
    #[default]
    NotCounted,
    /// The start day is day 1 when it is a working day.
    Counted,
}

/// Why a day was not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// A day off by the year's holiday notice.
    Holiday,
    /// A working day inside a pause of the clock (consultation, waiting for a fee).
    Paused,
}

/// A date that was passed over while counting, with the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedDay {
    /// The date passed over.
    pub date: NaiveDate,
    /// Why it did not count.
    pub reason: SkipReason,
}

/// One pause interval as applied to a count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PauseApplied {
    /// First day of the pause (inclusive).
    pub from: NaiveDate,
    /// Last day of the pause (inclusive).
    pub to: NaiveDate,
    /// Working days inside the counted stretch that this pause kept from counting
    /// (a day inside two overlapping pauses is charged to the earlier-listed one).
    pub workdays_not_counted: u32,
}

/// A deadline and how it was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineExplanation {
    /// The day the period runs from (e.g. the day of receipt).
    pub start: NaiveDate,
    /// How many working days were counted.
    pub workdays: u32,
    /// The last day of the period: the `workdays`-th working day counted.
    pub due: NaiveDate,
    /// Whether the start day counted.
    pub rule: StartDayRule,
    /// Holidays passed over while counting (weekend holidays included).
    pub holidays_skipped: Vec<SkippedDay>,
    /// Ordinary Saturdays and Sundays passed over while counting.
    pub weekend_days_skipped: u32,
    /// Weekend days that counted because the notice made them working days.
    pub makeup_workdays_used: Vec<NaiveDate>,
    /// Working days that did not count because the clock was paused.
    pub paused_workdays: Vec<SkippedDay>,
    /// The pauses given, each with the working days it removed.
    pub pauses: Vec<PauseApplied>,
    /// The same in one Chinese sentence, for people.
    pub text: String,
}

impl WorkCalendar {
    /// The date `n` working days after `start`, with its explanation.
    ///
    /// With [`StartDayRule::NotCounted`] counting starts the day after `start`; with
    /// [`StartDayRule::Counted`] `start` is day 1 when it is a working day. `n = 0`
    /// answers `start` itself. Any date examined in a year without a notice gives
    /// [`CalendarError::Unpublished`].
    ///
    /// Worked examples: 2021-09-30 + 20 → 2021-11-03; 2021-04-30 + 3 → 2021-05-08 (the
    /// make-up Saturday counts).
    pub fn add_workdays(
        &self,
        start: NaiveDate,
        n: u32,
        rule: StartDayRule,
    ) -> Result<DeadlineExplanation, CalendarError> {
        self.add_workdays_with_pauses(start, n, rule, &[])
    }

    /// As [`WorkCalendar::add_workdays`], with the clock stopped on every working day
    /// inside one of `pauses` (each `(from, to)` inclusive): time spent consulting a third
    /// party or waiting for a fee. Holidays and weekends inside a pause are reported as
    /// such; a pause only costs the working days it covers. A pause with `to < from` is
    /// refused with [`CalendarError::InvalidPause`].
    pub fn add_workdays_with_pauses(
        &self,
        start: NaiveDate,
        n: u32,
        rule: StartDayRule,
        pauses: &[(NaiveDate, NaiveDate)],
    ) -> Result<DeadlineExplanation, CalendarError> {
        if let Some(&(from, to)) = pauses.iter().find(|(from, to)| to < from) {
            return Err(CalendarError::InvalidPause { from, to });
        }
        let mut out = DeadlineExplanation {
            start,
            workdays: n,
            due: start,
            rule,
            holidays_skipped: Vec::new(),
            weekend_days_skipped: 0,
            makeup_workdays_used: Vec::new(),
            paused_workdays: Vec::new(),
            pauses: pauses
                .iter()
                .map(|&(from, to)| PauseApplied { from, to, workdays_not_counted: 0 })
                .collect(),
            text: String::new(),
        };
        let mut counted = 0u32;
        let mut day = match rule {
            StartDayRule::Counted => start,
            StartDayRule::NotCounted => next(start)?,
        };
        while counted < n {
            match self.day_kind(day)? {
                DayKind::Holiday => {
                    out.holidays_skipped.push(SkippedDay { date: day, reason: SkipReason::Holiday })
                }
                DayKind::Weekend => out.weekend_days_skipped += 1,
                kind @ (DayKind::Workday | DayKind::MakeUpWorkday) => {
                    if let Some(pause) =
                        out.pauses.iter_mut().find(|p| p.from <= day && day <= p.to)
                    {
                        pause.workdays_not_counted += 1;
                        out.paused_workdays
                            .push(SkippedDay { date: day, reason: SkipReason::Paused });
                    } else {
                        counted += 1;
                        if kind == DayKind::MakeUpWorkday {
                            out.makeup_workdays_used.push(day);
                        }
                        if counted == n {
                            out.due = day;
                            break;
                        }
                    }
                }
            }
            day = next(day)?;
        }
        out.text = describe(&out);
        Ok(out)
    }

    /// The number of working days in the interval after `from` up to and including `to`
    /// (exclusive of `from`, inclusive of `to`): the inverse of `add_workdays` with the
    /// default rule when `to` is a working day. `0` when `to` is not after `from`.
    pub fn workdays_between(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, CalendarError> {
        let mut count = 0u32;
        let mut day = from;
        while day < to {
            day = next(day)?;
            if self.is_workday(day)? {
                count += 1;
            }
        }
        Ok(count)
    }
}

fn next(day: NaiveDate) -> Result<NaiveDate, CalendarError> {
    day.succ_opt().ok_or(CalendarError::OutOfRange)
}

/// One Chinese sentence: where counting started, the due date, what was skipped.
fn describe(e: &DeadlineExplanation) -> String {
    let start_rule = match e.rule {
        StartDayRule::NotCounted => "起算日当天不计，自次日起算",
        StartDayRule::Counted => "起算日为工作日的计入",
    };
    if e.workdays == 0 {
        return format!("自{}起计0个工作日，期限即为当日{}。", e.start, e.due);
    }
    let mut text =
        format!("自{}起计{}个工作日（{start_rule}），截止日为{}", e.start, e.workdays, e.due);
    let holidays: Vec<NaiveDate> = e.holidays_skipped.iter().map(|s| s.date).collect();
    let mut parts = Vec::new();
    if !holidays.is_empty() {
        parts.push(format!("跳过法定节假日{}天（{}）", holidays.len(), date_runs(&holidays)));
    }
    if e.weekend_days_skipped > 0 {
        parts.push(format!("跳过周末{}天", e.weekend_days_skipped));
    }
    if !e.makeup_workdays_used.is_empty() {
        parts.push(format!(
            "调休上班日{}计为工作日",
            e.makeup_workdays_used.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("、")
        ));
    }
    for p in e.pauses.iter().filter(|p| p.workdays_not_counted > 0) {
        parts.push(format!("{}至{}暂停计时，不计{}个工作日", p.from, p.to, p.workdays_not_counted));
    }
    if !parts.is_empty() {
        text.push('；');
        text.push_str(&parts.join("，"));
    }
    text.push('。');
    text
}

/// Sorted dates written as runs: "2021-10-01至2021-10-07、2021-10-09".
fn date_runs(dates: &[NaiveDate]) -> String {
    let mut runs: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for &d in dates {
        match runs.last_mut() {
            Some((_, end)) if end.succ_opt() == Some(d) => *end = d,
            _ => runs.push((d, d)),
        }
    }
    runs.iter()
        .map(|(a, b)| if a == b { a.to_string() } else { format!("{a}至{b}") })
        .collect::<Vec<_>>()
        .join("、")
}
