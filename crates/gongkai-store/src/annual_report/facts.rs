//! What the report reads from other records: fees paid (from the register of
//! applications), the issuer's plan of the year with its tasks' progress, its latest
//! look-back and the rectification items.

use chrono::NaiveDate;
use diesel::prelude::*;
use gongkai_core::annual_report::implementation::{
    LookBack, LookBackFinding, RectificationState, TaskInput, rectification_label,
};
use gongkai_core::ledger::RectificationStatus;

use crate::plans::Plan;
use crate::progress::{self, ProgressFilter};
use crate::schema::{
    disclosure_request_events as dre, disclosure_requests as dr, plans, rectifications,
    review_entries, sections, tasks, units,
};
use crate::{StoreError, reviews as review_store};

/// Applications of `unit_ids` whose fee was paid in `year`: (件数, yuan).
pub fn fees_paid(
    conn: &mut PgConnection,
    unit_ids: &[i64],
    year: i32,
) -> Result<(u64, u64), StoreError> {
    let (Some(start), Some(end)) =
        (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31))
    else {
        return Err(StoreError::invalid("year", "not a year this service handles"));
    };
    let paid: Vec<(i64, Option<i64>)> = dr::table
        .filter(dr::unit_id.eq_any(unit_ids))
        .filter(
            dr::id.eq_any(
                dre::table
                    .filter(dre::action.eq("record_payment"))
                    .filter(dre::occurred_on.between(start, end))
                    .select(dre::request_id),
            ),
        )
        .select((dr::id, dr::fee_yuan))
        .load(conn)?;
    let yuan = paid.iter().filter_map(|(_, y)| *y).map(|y| u64::try_from(y).unwrap_or(0)).sum();
    Ok((paid.len() as u64, yuan))
}

/// The issuer's plan of `year`, if any (the newest when there are several).
pub fn plan_of(
    conn: &mut PgConnection,
    issuer_id: i64,
    year: i32,
) -> Result<Option<Plan>, StoreError> {
    Ok(plans::table
        .filter(plans::issuing_unit_id.eq(issuer_id))
        .filter(plans::year.eq(year))
        .order(plans::id.desc())
        .select(Plan::as_select())
        .first(conn)
        .optional()?)
}

/// A plan's sections (number, title) in order.
pub fn sections_of(
    conn: &mut PgConnection,
    plan_id: i64,
) -> Result<Vec<(u32, String)>, StoreError> {
    let rows: Vec<(i32, String)> = sections::table
        .filter(sections::plan_id.eq(plan_id))
        .order(sections::number)
        .select((sections::number, sections::title))
        .load(conn)?;
    Ok(rows.into_iter().map(|(n, t)| (u32::try_from(n).unwrap_or(0), t)).collect())
}

/// A plan's tasks with each responsible unit's progress, in task order.
pub fn tasks_of(conn: &mut PgConnection, plan_id: i64) -> Result<Vec<TaskInput>, StoreError> {
    let rows: Vec<(i64, i32, i32, String)> = tasks::table
        .inner_join(sections::table)
        .filter(tasks::plan_id.eq(plan_id))
        .order(tasks::number)
        .select((tasks::id, tasks::number, sections::number, tasks::requirement))
        .load(conn)?;
    let progress = progress::list(conn, plan_id, &ProgressFilter::default())?;
    Ok(rows
        .into_iter()
        .map(|(id, number, section, requirement)| TaskInput {
            section_number: u32::try_from(section).unwrap_or(0),
            number: u32::try_from(number).unwrap_or(0),
            requirement,
            units: progress.iter().filter(|p| p.task_id == id).map(|p| p.status).collect(),
        })
        .collect())
}

/// The plan's latest look-back with its shortfalls, and its rectification items.
pub fn look_back_of(
    conn: &mut PgConnection,
    plan_id: i64,
) -> Result<(Option<LookBack>, Vec<RectificationState>), StoreError> {
    let Some(review) = review_store::latest_of_plan(conn, plan_id)? else {
        return Ok((None, Vec::new()));
    };
    let entries = review_store::entries(conn, review.id)?;
    let findings = entries
        .iter()
        .filter_map(|e| {
            e.shortfall.as_ref().map(|s| LookBackFinding {
                task_number: u32::try_from(e.task_number).unwrap_or(0),
                unit: e.unit_name.clone(),
                shortfall: s.clone(),
            })
        })
        .collect();
    let items: Vec<(i64, i32, String, String, NaiveDate, String)> = rectifications::table
        .inner_join(review_entries::table)
        .inner_join(units::table)
        .filter(rectifications::review_id.eq(review.id))
        .order(rectifications::id)
        .select((
            rectifications::id,
            review_entries::task_number,
            units::name,
            rectifications::finding,
            rectifications::due,
            rectifications::status,
        ))
        .load(conn)?;
    let items = items
        .into_iter()
        .map(|(id, task_number, unit, finding, due, status)| {
            let status = RectificationStatus::parse(&status).ok_or_else(|| {
                StoreError::Internal(format!("stored rectification status `{status}` is unknown"))
            })?;
            Ok(RectificationState {
                id,
                task_number: u32::try_from(task_number).unwrap_or(0),
                unit,
                finding,
                due,
                status,
                label: rectification_label(status).into(),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((
        Some(LookBack {
            review_id: review.id,
            as_of: review.as_of,
            entries: u32::try_from(entries.len()).unwrap_or(u32::MAX),
            findings,
        }),
        items,
    ))
}
