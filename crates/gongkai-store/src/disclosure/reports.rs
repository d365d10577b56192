//! What tables 三 and 四 of a year are computed from.

use chrono::NaiveDate;
use diesel::prelude::*;
use gongkai_core::disclosure::appeals::{AppealEntry, AppealKind, AppealResult};
use gongkai_core::disclosure::report::ReportEntry;
use gongkai_core::disclosure::{ApplicantKind, Outcome};

use crate::StoreError;
use crate::schema::{disclosure_appeals as da, disclosure_requests as dr};

fn year_bounds(year: i32) -> Result<(NaiveDate, NaiveDate), StoreError> {
    match (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => Err(StoreError::invalid("year", format!("{year} is not a year this service handles"))),
    }
}

/// The applications that table 三 of `year` can count: received by the end of the
/// year and not concluded before it, or concluded within it (the second set catches a
/// register that breaks the invariant, so the check can report it).
pub fn table3_entries(
    conn: &mut PgConnection,
    units: Option<&[i64]>,
    year: i32,
) -> Result<Vec<ReportEntry>, StoreError> {
    let (start, end) = year_bounds(year)?;
    let mut q = dr::table
        .filter(
            dr::received_on
                .le(end)
                .and(dr::concluded_on.is_null().or(dr::concluded_on.ge(start)))
                .or(dr::concluded_on.between(start, end)),
        )
        .into_boxed();
    if let Some(units) = units {
        q = q.filter(dr::unit_id.eq_any(units));
    }
    let rows: Vec<(String, NaiveDate, Option<NaiveDate>, Option<String>)> = q
        .select((dr::applicant_kind, dr::received_on, dr::concluded_on, dr::outcome))
        .order(dr::id)
        .load(conn)?;
    rows.into_iter()
        .map(|(kind, received_on, concluded_on, outcome)| {
            let applicant_kind = ApplicantKind::parse(&kind).ok_or_else(|| {
                StoreError::Internal(format!("stored applicant kind `{kind}` is unknown"))
            })?;
            let conclusion = match (concluded_on, outcome.as_deref().and_then(Outcome::parse)) {
                (Some(d), Some(o)) => Some((d, o)),
                _ => None,
            };
            Ok(ReportEntry { applicant_kind, received_on, conclusion })
        })
        .collect()
}

/// The appeals that table 四 of `year` can count: filed by the end of the year and not
/// decided before it.
pub fn table4_entries(
    conn: &mut PgConnection,
    units: Option<&[i64]>,
    year: i32,
) -> Result<Vec<AppealEntry>, StoreError> {
    let (start, end) = year_bounds(year)?;
    let mut q = da::table
        .filter(da::filed_on.le(end))
        .filter(da::decided_on.is_null().or(da::decided_on.ge(start)))
        .into_boxed();
    if let Some(units) = units {
        q = q.filter(da::unit_id.eq_any(units));
    }
    let rows: Vec<(String, NaiveDate, String, Option<NaiveDate>)> =
        q.select((da::kind, da::filed_on, da::result, da::decided_on)).order(da::id).load(conn)?;
    rows.into_iter()
        .map(|(kind, filed_on, result, decided_on)| {
            let kind = AppealKind::parse(&kind).ok_or_else(|| {
                StoreError::Internal(format!("stored appeal kind `{kind}` is unknown"))
            })?;
            let result = AppealResult::parse(&result).ok_or_else(|| {
                StoreError::Internal(format!("stored appeal result `{result}` is unknown"))
            })?;
            Ok(AppealEntry { kind, filed_on, decided: decided_on.map(|d| (d, result)) })
        })
        .collect()
}
