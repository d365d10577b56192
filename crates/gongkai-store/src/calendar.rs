//! The working-day calendar as stored: one row per published year.

use chrono::NaiveDate;
use diesel::prelude::*;
use gongkai_core::calendar::{WorkCalendar, YearNotice};
use serde::Serialize;

use crate::schema::calendar_years;
use crate::units::to_json;
use crate::{Actor, StoreError, audit};

/// One year's holiday notice as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Queryable, Selectable)]
#[diesel(table_name = calendar_years)]
pub struct CalendarYear {
    pub year: i32,
    pub holidays: Vec<NaiveDate>,
    pub workdays: Vec<NaiveDate>,
    pub loaded_at: chrono::DateTime<chrono::Utc>,
    pub loaded_by: String,
}

/// Every stored year, in order.
pub fn all_years(conn: &mut PgConnection) -> Result<Vec<CalendarYear>, StoreError> {
    Ok(calendar_years::table
        .select(CalendarYear::as_select())
        .order(calendar_years::year)
        .load(conn)?)
}

/// One stored year, if loaded.
pub fn get_year(conn: &mut PgConnection, year: i32) -> Result<Option<CalendarYear>, StoreError> {
    Ok(calendar_years::table.find(year).select(CalendarYear::as_select()).first(conn).optional()?)
}

/// The working-day calendar of every stored year. A stored year that the calendar's
/// checks refuse is an internal error: `put_year`'s callers check before storing.
pub fn work_calendar(conn: &mut PgConnection) -> Result<WorkCalendar, StoreError> {
    let mut calendar = WorkCalendar::default();
    for y in all_years(conn)? {
        calendar
            .insert_year(y.year, YearNotice { holidays: y.holidays, workdays: y.workdays })
            .map_err(|e| StoreError::Internal(format!("stored calendar year {}: {e}", y.year)))?;
    }
    Ok(calendar)
}

/// Stores (or replaces) one year's notice, audited.
pub fn put_year(
    conn: &mut PgConnection,
    actor: &Actor,
    year: i32,
    holidays: &[NaiveDate],
    workdays: &[NaiveDate],
) -> Result<CalendarYear, StoreError> {
    conn.transaction(|conn| {
        let before: Option<CalendarYear> = calendar_years::table
            .find(year)
            .select(CalendarYear::as_select())
            .for_update()
            .first(conn)
            .optional()?;
        let row: CalendarYear = diesel::insert_into(calendar_years::table)
            .values((
                calendar_years::year.eq(year),
                calendar_years::holidays.eq(holidays),
                calendar_years::workdays.eq(workdays),
                calendar_years::loaded_by.eq(&actor.sub),
            ))
            .on_conflict(calendar_years::year)
            .do_update()
            .set((
                calendar_years::holidays.eq(holidays),
                calendar_years::workdays.eq(workdays),
                calendar_years::loaded_at.eq(diesel::dsl::now),
                calendar_years::loaded_by.eq(&actor.sub),
            ))
            .returning(CalendarYear::as_returning())
            .get_result(conn)?;
        audit::record(
            conn,
            actor,
            if before.is_some() { "calendar.replace_year" } else { "calendar.load_year" },
            "calendar_year",
            year,
            before.as_ref().map(to_json),
            Some(to_json(&row)),
        )?;
        Ok(row)
    })
}
