//! The JSON shapes of the working-day calendar: deadlines with their explanation, and
//! the yearly holiday notices.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::calendar::{DeadlineExplanation, StartDayRule};
use gongkai_store::calendar::CalendarYear;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::list::list_type;

/// A deadline of N working days and how it was counted (which holidays were skipped,
/// which make-up working days counted).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DeadlineDto {
    /// The day counting runs from (e.g. the day of receipt).
    #[schema(example = "2021-09-30")]
    pub start: NaiveDate,
    /// The working days counted.
    #[schema(example = 20)]
    pub workdays: u32,
    /// The last day of the period: the `workdays`-th working day.
    #[schema(example = "2021-11-03")]
    pub due: NaiveDate,
    /// `not_counted` (default): counting starts the day after `start`.
    pub start_day: StartDayRule,
    /// Holidays of the State Council's notice passed over (weekend holidays included).
    pub holidays_skipped: Vec<NaiveDate>,
    /// Ordinary Saturdays and Sundays passed over.
    pub weekend_days_skipped: u32,
    /// Saturdays or Sundays that counted because the notice made them working days (调休上班).
    pub makeup_workdays_used: Vec<NaiveDate>,
    /// The same in one Chinese sentence.
    pub text: String,
}

impl From<DeadlineExplanation> for DeadlineDto {
    fn from(e: DeadlineExplanation) -> Self {
        DeadlineDto {
            start: e.start,
            workdays: e.workdays,
            due: e.due,
            start_day: e.rule,
            holidays_skipped: e.holidays_skipped.into_iter().map(|s| s.date).collect(),
            weekend_days_skipped: e.weekend_days_skipped,
            makeup_workdays_used: e.makeup_workdays_used,
            text: e.text,
        }
    }
}

/// One year's holiday notice (放假安排) as loaded.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CalendarYearDto {
    #[schema(example = 2027)]
    pub year: i32,
    /// Days off, including weekday dates moved into a holiday.
    pub holidays: Vec<NaiveDate>,
    /// Saturdays or Sundays that are working days (调休上班).
    pub workdays: Vec<NaiveDate>,
    pub loaded_at: DateTime<Utc>,
    /// Who loaded it (the token's subject, or `system:seed`).
    pub loaded_by: String,
}

impl From<CalendarYear> for CalendarYearDto {
    fn from(y: CalendarYear) -> Self {
        CalendarYearDto {
            year: y.year,
            holidays: y.holidays,
            workdays: y.workdays,
            loaded_at: y.loaded_at,
            loaded_by: y.loaded_by,
        }
    }
}

/// A year's notice to load: every date inside the year, no date both a holiday and a
/// make-up working day, make-up days on a Saturday or Sunday, at least one holiday.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutCalendarYearRequest {
    /// 放假: days off.
    #[schema(example = json!(["2027-01-01"]))]
    pub holidays: Vec<NaiveDate>,
    /// 调休上班: Saturdays or Sundays that are working days.
    #[serde(default)]
    pub workdays: Vec<NaiveDate>,
}

list_type!(CalendarYearList, CalendarYearDto, "The loaded years, ascending.");
