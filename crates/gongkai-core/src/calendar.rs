//! The working-day calendar (工作日): Monday to Friday, minus the dates of the State
//! Council's yearly holiday notice (放假安排), plus the weekend dates that notice turns
//! into working days (调休上班).
//!
//! The calendar only knows the years whose notice has been loaded. A date in any other
//! year is answered with [`CalendarError::Unpublished`], never with a weekends-only
//! guess: a deadline computed on a guess would silently be wrong by a week around the
//! Spring Festival. An administrator loads a new year with [`WorkCalendar::insert_year`].
//!
//! Counting deadlines lives in the `deadline` submodule (re-exported here).

mod deadline;

pub use deadline::{DeadlineExplanation, PauseApplied, SkipReason, SkippedDay, StartDayRule};

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// The earliest year a notice may be loaded for.
pub const FIRST_YEAR: i32 = 1900;
/// The latest year a notice may be loaded for (dates keep four-digit years).
pub const LAST_YEAR: i32 = 9999;

/// Why a calendar question could not be answered or a notice was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// No holiday notice is loaded for this year, so working days cannot be known.
    #[error("the holiday calendar for {year} has not been published or loaded")]
    Unpublished {
        /// The year without data.
        year: i32,
    },
    /// The calendar document is not the expected JSON shape.
    #[error("the holiday calendar is not valid JSON of the expected shape: {message}")]
    InvalidJson {
        /// What the JSON parser reported.
        message: String,
    },
    /// A year key is not a year, or lies outside [`FIRST_YEAR`]..=[`LAST_YEAR`].
    #[error("`{key}` is not a supported calendar year ({FIRST_YEAR}–{LAST_YEAR})")]
    InvalidYear {
        /// The offending key or year, as written.
        key: String,
    },
    /// A date listed under a year belongs to another year.
    #[error("{date} is listed under {year} but belongs to another year")]
    DateOutsideYear {
        /// The year the date was listed under.
        year: i32,
        /// The misplaced date.
        date: NaiveDate,
    },
    /// A date is listed both as a holiday and as a make-up working day.
    #[error("{date} is listed both as a holiday and as a make-up working day")]
    ConflictingDate {
        /// The date listed twice.
        date: NaiveDate,
    },
    /// A make-up working day that is not a Saturday or Sunday (it would change nothing,
    /// so it is almost certainly a typing mistake).
    #[error("{date} is listed as a make-up working day but is not a Saturday or Sunday")]
    WorkdayNotWeekend {
        /// The weekday date.
        date: NaiveDate,
    },
    /// A notice without a single holiday: every year has at least New Year's Day, so an
    /// empty list means the notice was not really entered.
    #[error("the notice for {year} lists no holidays")]
    NoHolidays {
        /// The year of the empty notice.
        year: i32,
    },
    /// A pause interval whose end is before its start.
    #[error("the pause from {from} to {to} ends before it starts")]
    InvalidPause {
        /// First day of the pause.
        from: NaiveDate,
        /// Last day of the pause.
        to: NaiveDate,
    },
    /// Counting ran past the last date the date library can represent.
    #[error("the date is out of the representable range")]
    OutOfRange,
}

impl CalendarError {
    /// The stable snake_case code an API error carries for this error.
    pub fn code(&self) -> &'static str {
        match self {
            CalendarError::Unpublished { .. } => "calendar_unpublished",
            CalendarError::InvalidJson { .. } => "calendar_invalid_json",
            CalendarError::InvalidYear { .. } => "calendar_invalid_year",
            CalendarError::DateOutsideYear { .. } => "calendar_date_outside_year",
            CalendarError::ConflictingDate { .. } => "calendar_conflicting_date",
            CalendarError::WorkdayNotWeekend { .. } => "calendar_workday_not_weekend",
            CalendarError::NoHolidays { .. } => "calendar_no_holidays",
            CalendarError::InvalidPause { .. } => "calendar_invalid_pause",
            CalendarError::OutOfRange => "calendar_out_of_range",
        }
    }
}

/// One year's holiday notice (放假安排): the days off and the make-up working days.
///
/// Dates are keyed by their own calendar year: 2022-12-31, part of the 2023 New Year
/// holiday, belongs in the 2022 notice. A holiday may fall on a weekend (it is then
/// reported as a holiday, not a weekend day).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearNotice {
    /// 放假: dates that are not working days although they may be Monday–Friday.
    pub holidays: Vec<NaiveDate>,
    /// 调休上班: Saturdays or Sundays that are working days.
    #[serde(default)]
    pub workdays: Vec<NaiveDate>,
}

/// What kind of day a date is in the working-day calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// An ordinary Monday–Friday working day.
    Workday,
    /// A Saturday or Sunday made a working day by the notice (调休上班).
    MakeUpWorkday,
    /// A day off by the notice (法定节假日 or a day moved into the holiday).
    Holiday,
    /// An ordinary Saturday or Sunday.
    Weekend,
}

impl DayKind {
    /// Whether a day of this kind is a working day.
    pub fn is_workday(self) -> bool {
        matches!(self, DayKind::Workday | DayKind::MakeUpWorkday)
    }
}

/// The working-day calendar: one checked [`YearNotice`] per published year.
///
/// Serializes as the seed document `{"YEAR": {"holidays": [...], "workdays": [...]}}`;
/// deserializing checks every year as [`WorkCalendar::insert_year`] does.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "BTreeMap<String, YearNotice>", into = "BTreeMap<String, YearNotice>")]
pub struct WorkCalendar {
    years: BTreeMap<i32, YearNotice>,
}

impl WorkCalendar {
    /// Reads the JSON format of `seeds/cn-holidays.json`, checking every year.
    pub fn from_json(text: &str) -> Result<Self, CalendarError> {
        let raw: BTreeMap<String, YearNotice> = serde_json::from_str(text)
            .map_err(|e| CalendarError::InvalidJson { message: e.to_string() })?;
        Self::try_from(raw)
    }

    /// Writes the calendar in the format [`WorkCalendar::from_json`] reads (pretty-printed,
    /// years ascending, dates sorted).
    pub fn to_json(&self) -> String {
        let mut doc = serde_json::Map::new();
        for (year, notice) in &self.years {
            doc.insert(year.to_string(), notice_json(notice));
        }
        format!("{:#}", serde_json::Value::Object(doc))
    }

    /// Loads (or replaces) the notice of `year` after checking it: every date inside
    /// `year`, no date both holiday and make-up day, make-up days on a Saturday or
    /// Sunday, at least one holiday. Duplicates are merged and dates sorted. On error
    /// the calendar is left unchanged.
    pub fn insert_year(&mut self, year: i32, notice: YearNotice) -> Result<(), CalendarError> {
        let notice = checked_notice(year, notice)?;
        self.years.insert(year, notice);
        Ok(())
    }

    /// Removes a year's notice, returning it; its dates become unpublished again.
    pub fn remove_year(&mut self, year: i32) -> Option<YearNotice> {
        self.years.remove(&year)
    }

    /// The years with a loaded notice, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    /// The checked notice of one year (dates sorted, without duplicates).
    pub fn notice(&self, year: i32) -> Option<&YearNotice> {
        self.years.get(&year)
    }

    /// Classifies a date; [`CalendarError::Unpublished`] when its year is not loaded.
    pub fn day_kind(&self, date: NaiveDate) -> Result<DayKind, CalendarError> {
        let year = date.year();
        let notice = self.years.get(&year).ok_or(CalendarError::Unpublished { year })?;
        Ok(if notice.holidays.binary_search(&date).is_ok() {
            DayKind::Holiday
        } else if notice.workdays.binary_search(&date).is_ok() {
            DayKind::MakeUpWorkday
        } else if is_weekend(date) {
            DayKind::Weekend
        } else {
            DayKind::Workday
        })
    }

    /// Whether `date` is a working day: Mon–Fri minus holidays plus make-up days.
    pub fn is_workday(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        self.day_kind(date).map(DayKind::is_workday)
    }
}

impl TryFrom<BTreeMap<String, YearNotice>> for WorkCalendar {
    type Error = CalendarError;

    fn try_from(raw: BTreeMap<String, YearNotice>) -> Result<Self, Self::Error> {
        let mut calendar = WorkCalendar::default();
        for (key, notice) in raw {
            let year: i32 =
                key.trim().parse().map_err(|_| CalendarError::InvalidYear { key: key.clone() })?;
            calendar.insert_year(year, notice)?;
        }
        Ok(calendar)
    }
}

impl From<WorkCalendar> for BTreeMap<String, YearNotice> {
    fn from(calendar: WorkCalendar) -> Self {
        calendar.years.into_iter().map(|(year, notice)| (year.to_string(), notice)).collect()
    }
}

/// Saturday or Sunday.
fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn checked_notice(year: i32, notice: YearNotice) -> Result<YearNotice, CalendarError> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return Err(CalendarError::InvalidYear { key: year.to_string() });
    }
    let YearNotice { mut holidays, mut workdays } = notice;
    holidays.sort_unstable();
    holidays.dedup();
    workdays.sort_unstable();
    workdays.dedup();
    if let Some(&date) = holidays.iter().chain(&workdays).find(|d| d.year() != year) {
        return Err(CalendarError::DateOutsideYear { year, date });
    }
    if let Some(&date) = workdays.iter().find(|d| holidays.binary_search(d).is_ok()) {
        return Err(CalendarError::ConflictingDate { date });
    }
    if let Some(&date) = workdays.iter().find(|d| !is_weekend(**d)) {
        return Err(CalendarError::WorkdayNotWeekend { date });
    }
    if holidays.is_empty() {
        return Err(CalendarError::NoHolidays { year });
    }
    Ok(YearNotice { holidays, workdays })
}

fn notice_json(notice: &YearNotice) -> serde_json::Value {
    let dates = |list: &[NaiveDate]| {
        serde_json::Value::Array(
            list.iter()
                .map(|d| serde_json::Value::String(d.format("%Y-%m-%d").to_string()))
                .collect(),
        )
    };
    let mut object = serde_json::Map::new();
    object.insert("holidays".into(), dates(&notice.holidays));
    object.insert("workdays".into(), dates(&notice.workdays));
    serde_json::Value::Object(object)
}
