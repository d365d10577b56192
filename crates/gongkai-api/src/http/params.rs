//! Helpers for parameters and answers shared by several resources: dates given as text,
//! and the calendar's refusals.

use chrono::NaiveDate;
use gongkai_core::calendar::CalendarError;

use crate::http::error::ApiError;

/// The calendar's refusal as an API error: an unpublished year is `calendar_unpublished`
/// (422), anything else keeps the calendar's own code.
pub fn calendar_error(e: &CalendarError) -> ApiError {
    let detail = match e {
        CalendarError::Unpublished { year } => format!(
            "the holiday calendar for {year} has not been published or loaded; an admin loads it with PUT /api/v1/calendar/years/{year}"
        ),
        other => other.to_string(),
    };
    ApiError::Unprocessable { code: e.code(), detail }
}

/// Parses a `YYYY-MM-DD` parameter, naming it when it is not a real date.
pub fn date_param(field: &str, raw: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::field(field, format!("`{raw}` is not a date of the form YYYY-MM-DD"))
    })
}
