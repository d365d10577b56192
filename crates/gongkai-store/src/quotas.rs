//! Quotas of tasks: the checkable duties, one of the contract's kinds each.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use gongkai_core::events::EventType;
use gongkai_core::quota::{QuotaPeriod, QuotaRule, Scope, ThresholdUnit};
use serde::Serialize;

use crate::events::{self, NewEvent};
use crate::schema::{quotas, tasks, unit_groups};
use crate::units::to_json;
use crate::{Actor, StoreError, audit};

/// A stored quota.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quota {
    pub id: i64,
    pub task_id: i64,
    #[serde(flatten)]
    pub rule: QuotaRule,
    /// Whose duty it is: the task as a whole, each responsible unit, or each unit of a
    /// group.
    #[serde(flatten)]
    pub scope: Scope,
    /// The words of the requirement the rule was read from; empty when entered by hand.
    pub source: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = quotas)]
struct QuotaRow {
    id: i64,
    task_id: i64,
    kind: String,
    count_min: Option<i32>,
    period: Option<String>,
    due: Option<NaiveDate>,
    threshold_min: Option<f64>,
    threshold_unit: Option<String>,
    days: Option<i32>,
    source: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    scope: String,
    scope_group_id: Option<i64>,
}

impl TryFrom<QuotaRow> for Quota {
    type Error = StoreError;
    fn try_from(r: QuotaRow) -> Result<Self, StoreError> {
        let broken =
            || StoreError::Internal(format!("quota {} has parameters unfit for its kind", r.id));
        let rule = match r.kind.as_str() {
            "count" => QuotaRule::Count {
                min: r.count_min.and_then(|m| u32::try_from(m).ok()).ok_or_else(broken)?,
                period: r.period.as_deref().and_then(QuotaPeriod::parse).ok_or_else(broken)?,
            },
            "deadline" => QuotaRule::Deadline { due: r.due.ok_or_else(broken)? },
            "threshold" if r.threshold_unit.as_deref() == Some("percent") => QuotaRule::Threshold {
                min: r.threshold_min.ok_or_else(broken)?,
                unit: ThresholdUnit::Percent,
            },
            "within_workdays" => QuotaRule::WithinWorkdays {
                days: r.days.and_then(|d| u32::try_from(d).ok()).ok_or_else(broken)?,
            },
            _ => return Err(broken()),
        };
        let scope = Scope::parse(&r.scope, r.scope_group_id).map_err(|_| broken())?;
        Ok(Quota {
            id: r.id,
            task_id: r.task_id,
            rule,
            scope,
            source: r.source,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// The columns a quota's spec fills, for inserting and updating alike. A parameter the
/// kind does not use is written as NULL (the table's check requires it).
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = quotas, treat_none_as_null = true)]
struct SpecColumns<'a> {
    kind: &'static str,
    count_min: Option<i32>,
    period: Option<&'static str>,
    due: Option<NaiveDate>,
    threshold_min: Option<f64>,
    threshold_unit: Option<&'static str>,
    days: Option<i32>,
    source: &'a str,
    scope: &'static str,
    scope_group_id: Option<i64>,
}

impl<'a> SpecColumns<'a> {
    fn of(spec: &'a QuotaSpec) -> Self {
        let clamp = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
        let mut c = SpecColumns {
            kind: spec.rule.kind(),
            count_min: None,
            period: None,
            due: None,
            threshold_min: None,
            threshold_unit: None,
            days: None,
            source: &spec.source,
            scope: spec.scope.as_str(),
            scope_group_id: spec.scope.group_id(),
        };
        match &spec.rule {
            QuotaRule::Count { min, period } => {
                c.count_min = Some(clamp(*min));
                c.period = Some(period.as_str());
            }
            QuotaRule::Deadline { due } => c.due = Some(*due),
            QuotaRule::Threshold { min, .. } => {
                c.threshold_min = Some(*min);
                c.threshold_unit = Some("percent");
            }
            QuotaRule::WithinWorkdays { days } => c.days = Some(clamp(*days)),
        }
        c
    }
}

/// The quotas of several tasks, ordered by task then id.
pub fn for_tasks(conn: &mut PgConnection, task_ids: &[i64]) -> Result<Vec<Quota>, StoreError> {
    let rows: Vec<QuotaRow> = quotas::table
        .filter(quotas::task_id.eq_any(task_ids))
        .select(QuotaRow::as_select())
        .order((quotas::task_id, quotas::id))
        .load(conn)?;
    rows.into_iter().map(Quota::try_from).collect()
}

/// One quota.
pub fn get(conn: &mut PgConnection, id: i64) -> Result<Quota, StoreError> {
    quotas::table
        .find(id)
        .select(QuotaRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("quota {id}")))?
        .try_into()
}

fn check_rule(rule: &QuotaRule) -> Result<(), StoreError> {
    rule.validate().map_err(|(field, msg)| StoreError::invalid(field, msg))
}

/// Refuses (422 on `group_id`) a group scope naming a group that does not exist.
fn check_scope(conn: &mut PgConnection, scope: Scope) -> Result<(), StoreError> {
    if let Some(group_id) = scope.group_id() {
        let found: Option<i64> =
            unit_groups::table.find(group_id).select(unit_groups::id).first(conn).optional()?;
        if found.is_none() {
            return Err(StoreError::invalid(
                "group_id",
                format!("group {group_id} does not exist"),
            ));
        }
    }
    Ok(())
}

/// A quota's rule, scope and source phrase: what a write sets.
#[derive(Debug, Clone, PartialEq)]
pub struct QuotaSpec {
    pub rule: QuotaRule,
    pub scope: Scope,
    /// The words of the requirement the rule was read from; empty when entered by hand.
    pub source: String,
}

/// Inserts a quota of the task as a whole without an audit event: for use inside a
/// larger audited write (an import).
pub(crate) fn insert(
    conn: &mut PgConnection,
    task_id: i64,
    rule: &QuotaRule,
    source: &str,
) -> Result<Quota, StoreError> {
    insert_spec(
        conn,
        task_id,
        &QuotaSpec { rule: rule.clone(), scope: Scope::Task, source: source.to_string() },
    )
}

fn insert_spec(
    conn: &mut PgConnection,
    task_id: i64,
    spec: &QuotaSpec,
) -> Result<Quota, StoreError> {
    check_rule(&spec.rule)?;
    check_scope(conn, spec.scope)?;
    let row: QuotaRow = diesel::insert_into(quotas::table)
        .values((quotas::task_id.eq(task_id), SpecColumns::of(spec)))
        .returning(QuotaRow::as_returning())
        .get_result(conn)?;
    row.try_into()
}

/// Adds a quota to a task, audited.
pub fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    task_id: i64,
    spec: &QuotaSpec,
) -> Result<Quota, StoreError> {
    conn.transaction(|conn| {
        let exists: Option<i64> =
            tasks::table.find(task_id).select(tasks::id).for_update().first(conn).optional()?;
        if exists.is_none() {
            return Err(StoreError::NotFound(format!("task {task_id}")));
        }
        let q = insert_spec(conn, task_id, spec)?;
        audit::record(conn, actor, "quota.create", "quota", q.id, None, Some(to_json(&q)))?;
        events::emit(conn, quota_event(EventType::QuotaCreated, &q))?;
        Ok(q)
    })
}

fn lock(conn: &mut PgConnection, id: i64) -> Result<Quota, StoreError> {
    quotas::table
        .find(id)
        .select(QuotaRow::as_select())
        .for_update()
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("quota {id}")))?
        .try_into()
}

/// Replaces a quota's rule, scope and source phrase, audited. `change` sees the locked
/// current quota and answers the new spec (or refuses, e.g. on a stale `If-Match`).
pub fn update(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    change: impl FnOnce(&Quota) -> Result<QuotaSpec, StoreError>,
) -> Result<Quota, StoreError> {
    conn.transaction(|conn| {
        let before = lock(conn, id)?;
        let spec = change(&before)?;
        check_rule(&spec.rule)?;
        check_scope(conn, spec.scope)?;
        let row: QuotaRow = diesel::update(quotas::table.find(id))
            .set((SpecColumns::of(&spec), quotas::updated_at.eq(diesel::dsl::now)))
            .returning(QuotaRow::as_returning())
            .get_result(conn)?;
        let after: Quota = row.try_into()?;
        audit::record(
            conn,
            actor,
            "quota.update",
            "quota",
            id,
            Some(to_json(&before)),
            Some(to_json(&after)),
        )?;
        events::emit(conn, quota_event(EventType::QuotaChanged, &after))?;
        Ok(after)
    })
}

/// Deletes a quota, audited. Refused (409) while evidence names it.
pub fn delete(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    precondition: impl FnOnce(&Quota) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    conn.transaction(|conn| {
        let before = lock(conn, id)?;
        precondition(&before)?;
        diesel::delete(quotas::table.find(id)).execute(conn)?;
        audit::record(conn, actor, "quota.delete", "quota", id, Some(to_json(&before)), None)?;
        events::emit(conn, quota_event(EventType::QuotaRemoved, &before))?;
        Ok(())
    })
}

/// An event about a quota.
fn quota_event(kind: EventType, q: &Quota) -> NewEvent {
    let data = serde_json::json!({"task_id": q.task_id, "kind": q.rule.kind()});
    NewEvent::new(kind, format!("/api/v1/quotas/{}", q.id), Some(q.id), data).task(q.task_id)
}
