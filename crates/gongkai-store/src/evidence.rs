//! 证据: dated records of work done for a task. Never deleted: a record is withdrawn
//! with a reason, and a withdrawn record no longer counts.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use gongkai_core::events::EventType;
use serde::Serialize;

use crate::events::{self, NewEvent};
use crate::schema::{evidence, quotas, task_units, tasks, unit_group_members, units};
use crate::units::to_json;
use crate::{Actor, Changes, Page, PageRequest, StoreError, audit};

/// The longest title accepted, in characters.
pub const MAX_TITLE_CHARS: usize = 500;
/// The longest withdrawal reason accepted, in characters.
pub const MAX_REASON_CHARS: usize = 1000;

/// A stored record.
#[derive(Debug, Clone, PartialEq, Serialize, Queryable, Selectable)]
#[diesel(table_name = evidence)]
pub struct Evidence {
    pub id: i64,
    pub task_id: i64,
    /// The unit that did the work.
    pub unit_id: i64,
    /// The one quota the record is for, when the recorder said so.
    pub quota_id: Option<i64>,
    /// When the work was done; statuses follow this date.
    pub occurred_on: NaiveDate,
    pub title: String,
    pub url: Option<String>,
    pub count: i32,
    pub value: Option<f64>,
    pub completes: bool,
    pub event_on: Option<NaiveDate>,
    /// When the server stored the record.
    pub recorded_at: DateTime<Utc>,
    /// The `sub` of the token that recorded it.
    pub recorded_by: String,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdrawn_by: Option<String>,
    pub withdraw_reason: Option<String>,
    /// The last change: when it was recorded, or withdrawn.
    pub updated_at: DateTime<Utc>,
}

/// A record to store. Its fields have been checked by the caller against the plan
/// (dates, counts); the store checks what needs the database (quota, unit).
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvidence {
    pub task_id: i64,
    pub unit_id: i64,
    pub quota_id: Option<i64>,
    pub occurred_on: NaiveDate,
    pub title: String,
    pub url: Option<String>,
    pub count: i32,
    pub value: Option<f64>,
    pub completes: bool,
    pub event_on: Option<NaiveDate>,
}

/// Which records of a task to list.
#[derive(Debug, Clone, Default)]
pub struct EvidenceFilter {
    pub unit_id: Option<i64>,
    pub quota_id: Option<i64>,
    /// Only records that occurred on or after this day.
    pub from: Option<NaiveDate>,
    /// Only records that occurred on or before this day.
    pub to: Option<NaiveDate>,
    /// Some(false): only live records; Some(true): only withdrawn ones; None: both.
    pub withdrawn: Option<bool>,
    /// Only records changed after an instant, oldest change first.
    pub changes: Option<Changes>,
}

/// One record.
pub fn get(conn: &mut PgConnection, id: i64) -> Result<Evidence, StoreError> {
    evidence::table
        .find(id)
        .select(Evidence::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("evidence {id}")))
}

/// Lists a task's records in id order (the order they were recorded).
pub fn list(
    conn: &mut PgConnection,
    task_id: i64,
    filter: &EvidenceFilter,
    page: PageRequest,
) -> Result<Page<Evidence>, StoreError> {
    let mut q = evidence::table
        .filter(evidence::task_id.eq(task_id))
        .select(Evidence::as_select())
        .into_boxed();
    if let Some(u) = filter.unit_id {
        q = q.filter(evidence::unit_id.eq(u));
    }
    if let Some(qid) = filter.quota_id {
        q = q.filter(evidence::quota_id.eq(qid));
    }
    if let Some(from) = filter.from {
        q = q.filter(evidence::occurred_on.ge(from));
    }
    if let Some(to) = filter.to {
        q = q.filter(evidence::occurred_on.le(to));
    }
    match filter.withdrawn {
        Some(true) => q = q.filter(evidence::withdrawn_at.is_not_null()),
        Some(false) => q = q.filter(evidence::withdrawn_at.is_null()),
        None => {}
    }
    let q = crate::changes_or_keyset!(q, filter.changes, page, evidence::updated_at, evidence::id);
    let rows = q.limit(page.limit + 1).load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |e: &Evidence| e.id))
}

/// The units a task binds: its responsible units, and the members of every group a
/// quota of the task is scoped to. A unit may record evidence for the task only when
/// it is among them.
pub fn units_bound_by_task(conn: &mut PgConnection, task_id: i64) -> Result<Vec<i64>, StoreError> {
    let mut ids: Vec<i64> = task_units::table
        .filter(task_units::task_id.eq(task_id))
        .select(task_units::unit_id)
        .load(conn)?;
    let groups = quotas::table
        .filter(quotas::task_id.eq(task_id).and(quotas::scope_group_id.is_not_null()))
        .select(quotas::scope_group_id.assume_not_null());
    let members: Vec<i64> = unit_group_members::table
        .filter(unit_group_members::group_id.eq_any(groups))
        .select(unit_group_members::unit_id)
        .load(conn)?;
    ids.extend(members);
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Stores a record with the server's `recorded_at`, audited. A `quota_id` must name a
/// quota of the same task, and the unit must exist (422 naming the field otherwise).
pub fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    new: &NewEvidence,
) -> Result<Evidence, StoreError> {
    conn.transaction(|conn| {
        let task: Option<i64> =
            tasks::table.find(new.task_id).select(tasks::id).first(conn).optional()?;
        if task.is_none() {
            return Err(StoreError::NotFound(format!("task {}", new.task_id)));
        }
        if let Some(qid) = new.quota_id {
            let owner: Option<i64> =
                quotas::table.find(qid).select(quotas::task_id).first(conn).optional()?;
            match owner {
                Some(t) if t == new.task_id => {}
                Some(_) => {
                    return Err(StoreError::invalid(
                        "quota_id",
                        format!("quota {qid} belongs to another task"),
                    ));
                }
                None => {
                    return Err(StoreError::invalid(
                        "quota_id",
                        format!("quota {qid} does not exist"),
                    ));
                }
            }
        }
        let unit: Option<i64> =
            units::table.find(new.unit_id).select(units::id).first(conn).optional()?;
        if unit.is_none() {
            return Err(StoreError::invalid(
                "unit_id",
                format!("unit {} does not exist", new.unit_id),
            ));
        }
        let row: Evidence = diesel::insert_into(evidence::table)
            .values((
                evidence::task_id.eq(new.task_id),
                evidence::unit_id.eq(new.unit_id),
                evidence::quota_id.eq(new.quota_id),
                evidence::occurred_on.eq(new.occurred_on),
                evidence::title.eq(&new.title),
                evidence::url.eq(&new.url),
                evidence::count.eq(new.count),
                evidence::value.eq(new.value),
                evidence::completes.eq(new.completes),
                evidence::event_on.eq(new.event_on),
                evidence::recorded_by.eq(&actor.sub),
            ))
            .returning(Evidence::as_returning())
            .get_result(conn)?;
        audit::record(
            conn,
            actor,
            "evidence.create",
            "evidence",
            row.id,
            None,
            Some(to_json(&row)),
        )?;
        events::emit(conn, evidence_event(EventType::EvidenceRecorded, &row))?;
        Ok(row)
    })
}

/// Withdraws a record with a reason, audited: it stays stored and listed, and no longer
/// counts. `precondition` sees the locked current record. A record is withdrawn once
/// (409 `evidence_withdrawn` after that).
pub fn withdraw(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    reason: &str,
    precondition: impl FnOnce(&Evidence) -> Result<(), StoreError>,
) -> Result<Evidence, StoreError> {
    conn.transaction(|conn| {
        let before: Evidence = evidence::table
            .find(id)
            .select(Evidence::as_select())
            .for_update()
            .first(conn)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("evidence {id}")))?;
        precondition(&before)?;
        if before.withdrawn_at.is_some() {
            return Err(StoreError::conflict(
                "evidence_withdrawn",
                format!("evidence {id} has already been withdrawn"),
            ));
        }
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
            return Err(StoreError::invalid(
                "reason",
                format!("a withdrawal needs a reason of 1 to {MAX_REASON_CHARS} characters"),
            ));
        }
        let after: Evidence = diesel::update(evidence::table.find(id))
            .set((
                evidence::withdrawn_at.eq(diesel::dsl::now),
                evidence::withdrawn_by.eq(&actor.sub),
                evidence::withdraw_reason.eq(reason),
                evidence::updated_at.eq(diesel::dsl::now),
            ))
            .returning(Evidence::as_returning())
            .get_result(conn)?;
        audit::record(
            conn,
            actor,
            "evidence.withdraw",
            "evidence",
            id,
            Some(to_json(&before)),
            Some(to_json(&after)),
        )?;
        events::emit(conn, evidence_event(EventType::EvidenceWithdrawn, &after))?;
        Ok(after)
    })
}

/// An event about a record of evidence.
fn evidence_event(kind: EventType, e: &Evidence) -> NewEvent {
    let data = serde_json::json!({"task_id": e.task_id, "quota_id": e.quota_id});
    NewEvent::new(kind, format!("/api/v1/evidence/{}", e.id), Some(e.id), data)
        .task(e.task_id)
        .unit(e.unit_id)
}
