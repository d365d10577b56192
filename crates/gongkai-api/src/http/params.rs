//! Parameters and answers shared by several resources: ids in paths and queries, the
//! refusals of the calendar and the compliance engine, and a path that does not parse.

use gongkai_core::calendar::CalendarError;
use gongkai_core::compliance::ComplianceError;

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

/// The compliance engine's refusal as an API error (422): a calendar year not loaded is
/// `calendar_unpublished`, saying which year and how to load it.
pub fn compliance_error(e: &ComplianceError) -> ApiError {
    match e {
        ComplianceError::Calendar { source, .. } => {
            let mut err = calendar_error(source);
            if let ApiError::Unprocessable { detail, .. } = &mut err {
                *detail = format!("{e}; {detail}");
            }
            err
        }
        other => ApiError::Unprocessable { code: other.code(), detail: other.to_string() },
    }
}

/// The largest id: ids are PostgreSQL `bigint`s from 1 up.
pub const MAX_ID: i64 = i64::MAX;

/// True for the name of an id: `id` or `…_id` (in paths, queries and bodies alike).
pub fn is_id_field(name: &str) -> bool {
    name == "id" || name.ends_with("_id")
}

/// A resource's id in a path or a query: a whole number from 1 to 2^63−1. Anything else
/// is refused while the request is parsed (422 naming the parameter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(pub i64);

/// What an id is, said to the caller.
pub const ID_RULE: &str = "an id is a whole number from 1 to 9223372036854775807";

impl<'de> serde::Deserialize<'de> for Id {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        if n < 1 {
            return Err(serde::de::Error::custom(ID_RULE));
        }
        Ok(Id(n))
    }
}

impl From<Id> for i64 {
    fn from(id: Id) -> i64 {
        id.0
    }
}

/// A path that did not parse: 422 naming the first segment whose value is not what it
/// should be (an id, a year, an action name).
pub fn path_error(
    err: actix_web::error::PathError,
    req: &actix_web::HttpRequest,
) -> actix_web::Error {
    let bad = req.match_info().iter().find_map(|(name, value)| {
        let number = value.parse::<i64>();
        if name == "year" {
            return (!matches!(value.parse::<i32>(), Ok(y) if (1..=9999).contains(&y)))
                .then(|| (name, format!("`{value}` is not a year such as 2021")));
        }
        if name == "id" || name.ends_with("_id") {
            return (!matches!(number, Ok(n) if n >= 1))
                .then(|| (name, format!("`{value}` is not an id: {ID_RULE}")));
        }
        None
    });
    let err = match bad {
        Some((name, message)) => ApiError::field(name, message),
        None => ApiError::field("path", crate::http::messages::humanize(&err.to_string())),
    };
    err.into()
}

/// Reads an optional id parameter (`unit_id=7`), refusing anything but 1 to 2^63−1:
/// for `#[serde(default, deserialize_with = "crate::http::params::optional_id")]`.
pub fn optional_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    use serde::Deserialize;
    Id::deserialize(d).map(|id| Some(id.0))
}
