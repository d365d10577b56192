//! Tasks of a plan, with their responsible units and quotas.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use gongkai_core::events::EventType;
use serde::Serialize;

use crate::events::{self, NewEvent};
use crate::quotas::{self, Quota};
use crate::schema::{sections, task_units, tasks, units};
use crate::units::to_json;
use crate::{Actor, Changes, Page, PageRequest, StoreError, audit};

/// A responsible unit of a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskUnit {
    pub id: i64,
    pub name: String,
    /// `lead` (牵头) or `co` (配合).
    pub role: String,
}

/// A stored task with its units (lead first) and quotas.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    pub id: i64,
    pub plan_id: i64,
    pub section_id: i64,
    pub section_number: i32,
    pub number: i32,
    pub requirement: String,
    pub units_inherited: bool,
    pub units: Vec<TaskUnit>,
    pub quotas: Vec<Quota>,
    pub updated_at: DateTime<Utc>,
}

/// Which tasks of a plan to list.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub section_number: Option<i32>,
    pub unit_id: Option<i64>,
    /// Only tasks changed after an instant, oldest change first.
    pub changes: Option<Changes>,
}

type TaskTuple = (i64, i64, i64, i32, i32, String, bool, DateTime<Utc>);

fn task_columns() -> (
    tasks::id,
    tasks::plan_id,
    tasks::section_id,
    sections::number,
    tasks::number,
    tasks::requirement,
    tasks::units_inherited,
    tasks::updated_at,
) {
    (
        tasks::id,
        tasks::plan_id,
        tasks::section_id,
        sections::number,
        tasks::number,
        tasks::requirement,
        tasks::units_inherited,
        tasks::updated_at,
    )
}

/// Attaches units and quotas to task rows with two queries in all.
fn assemble(conn: &mut PgConnection, rows: Vec<TaskTuple>) -> Result<Vec<Task>, StoreError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let links: Vec<(i64, i64, String, String)> = task_units::table
        .inner_join(units::table)
        .filter(task_units::task_id.eq_any(&ids))
        .select((task_units::task_id, units::id, units::name, task_units::role))
        .order((task_units::task_id, task_units::position))
        .load(conn)?;
    let mut by_task: HashMap<i64, Vec<TaskUnit>> = HashMap::new();
    for (task_id, id, name, role) in links {
        by_task.entry(task_id).or_default().push(TaskUnit { id, name, role });
    }
    let mut quotas_by_task: HashMap<i64, Vec<Quota>> = HashMap::new();
    for q in quotas::for_tasks(conn, &ids)? {
        quotas_by_task.entry(q.task_id).or_default().push(q);
    }
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                plan_id,
                section_id,
                section_number,
                number,
                requirement,
                inherited,
                updated_at,
            )| {
                Task {
                    id,
                    plan_id,
                    section_id,
                    section_number,
                    number,
                    requirement,
                    units_inherited: inherited,
                    units: by_task.remove(&id).unwrap_or_default(),
                    quotas: quotas_by_task.remove(&id).unwrap_or_default(),
                    updated_at,
                }
            },
        )
        .collect())
}

/// Lists a plan's tasks in number order; the page key is the task number.
pub fn list(
    conn: &mut PgConnection,
    plan_id: i64,
    filter: &TaskFilter,
    page: PageRequest,
) -> Result<Page<Task>, StoreError> {
    let mut q = tasks::table
        .inner_join(sections::table)
        .filter(tasks::plan_id.eq(plan_id))
        .select(task_columns())
        .into_boxed();
    if let Some(s) = filter.section_number {
        q = q.filter(sections::number.eq(s));
    }
    if let Some(u) = filter.unit_id {
        let linked =
            task_units::table.filter(task_units::unit_id.eq(u)).select(task_units::task_id);
        q = q.filter(tasks::id.eq_any(linked));
    }
    let rows: Vec<TaskTuple> = match filter.changes {
        Some(changes) => {
            let q = crate::changes_or_keyset!(q, Some(changes), page, tasks::updated_at, tasks::id);
            q.limit(page.limit + 1).load(conn)?
        }
        None => {
            if let Some(after) = page.after {
                q = q.filter(tasks::number.gt(i32::try_from(after).unwrap_or(i32::MAX)));
            }
            q.order(tasks::number.asc()).limit(page.limit + 1).load(conn)?
        }
    };
    let page = Page::from_rows(rows, page.limit, |r| i64::from(r.4));
    let next_after = page.next_after;
    Ok(Page { items: assemble(conn, page.items)?, next_after })
}

/// Every task of a plan in number order, with units and quotas.
pub fn all_of_plan(conn: &mut PgConnection, plan_id: i64) -> Result<Vec<Task>, StoreError> {
    let rows: Vec<TaskTuple> = tasks::table
        .inner_join(sections::table)
        .filter(tasks::plan_id.eq(plan_id))
        .select(task_columns())
        .order(tasks::number.asc())
        .load(conn)?;
    assemble(conn, rows)
}

/// One task.
pub fn get(conn: &mut PgConnection, id: i64) -> Result<Task, StoreError> {
    let row: Option<TaskTuple> = tasks::table
        .inner_join(sections::table)
        .filter(tasks::id.eq(id))
        .select(task_columns())
        .first(conn)
        .optional()?;
    let row = row.ok_or_else(|| StoreError::NotFound(format!("task {id}")))?;
    assemble(conn, vec![row])?.pop().ok_or_else(|| StoreError::NotFound(format!("task {id}")))
}

/// Corrections to a task; None leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct TaskChanges {
    pub requirement: Option<String>,
    /// The responsible units in order: the first leads.
    pub unit_ids: Option<Vec<i64>>,
}

/// Sets a task's units (lead first; the ids must be distinct). Units that stay keep their
/// rows — and so their ledger progress — and only change place; units no longer named
/// are removed with their progress; new units are added.
pub(crate) fn set_units(
    conn: &mut PgConnection,
    task_id: i64,
    unit_ids: &[i64],
) -> Result<(), StoreError> {
    let of_task = task_units::table.filter(task_units::task_id.eq(task_id));
    diesel::delete(of_task.filter(task_units::unit_id.ne_all(unit_ids))).execute(conn)?;
    // Park the remaining rows out of the way of the positions they are about to take.
    diesel::update(of_task)
        .set((task_units::role.eq("co"), task_units::position.eq(task_units::position + 10_000)))
        .execute(conn)?;
    for (i, unit) in unit_ids.iter().enumerate() {
        let position = i32::try_from(i).unwrap_or(i32::MAX);
        let role = if i == 0 { "lead" } else { "co" };
        let moved = diesel::update(of_task.filter(task_units::unit_id.eq(*unit)))
            .set((task_units::role.eq(role), task_units::position.eq(position)))
            .execute(conn)?;
        if moved == 0 {
            diesel::insert_into(task_units::table)
                .values((
                    task_units::task_id.eq(task_id),
                    task_units::unit_id.eq(*unit),
                    task_units::role.eq(role),
                    task_units::position.eq(position),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// Corrects a task's text and units, audited. `precondition` sees the current task.
pub fn update(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    changes: &TaskChanges,
    precondition: impl FnOnce(&Task) -> Result<(), StoreError>,
) -> Result<Task, StoreError> {
    conn.transaction(|conn| {
        let locked: Option<i64> =
            tasks::table.find(id).select(tasks::id).for_update().first(conn).optional()?;
        if locked.is_none() {
            return Err(StoreError::NotFound(format!("task {id}")));
        }
        let before = get(conn, id)?;
        precondition(&before)?;
        if let Some(text) = &changes.requirement {
            let text = text.trim();
            if text.is_empty() {
                return Err(StoreError::invalid("requirement", "the requirement cannot be empty"));
            }
            diesel::update(tasks::table.find(id)).set(tasks::requirement.eq(text)).execute(conn)?;
        }
        if let Some(ids) = &changes.unit_ids {
            let mut seen = std::collections::HashSet::new();
            if let Some(dup) = ids.iter().find(|u| !seen.insert(**u)) {
                return Err(StoreError::invalid("unit_ids", format!("unit {dup} is listed twice")));
            }
            let known: i64 = units::table.filter(units::id.eq_any(ids)).count().get_result(conn)?;
            if usize::try_from(known).ok() != Some(ids.len()) {
                return Err(StoreError::invalid("unit_ids", "one or more units do not exist"));
            }
            set_units(conn, id, ids)?;
            // Units set by hand are no longer inherited from the task before.
            diesel::update(tasks::table.find(id))
                .set(tasks::units_inherited.eq(false))
                .execute(conn)?;
        }
        diesel::update(tasks::table.find(id))
            .set(tasks::updated_at.eq(diesel::dsl::now))
            .execute(conn)?;
        let after = get(conn, id)?;
        audit::record(
            conn,
            actor,
            "task.update",
            "task",
            id,
            Some(to_json(&before)),
            Some(to_json(&after)),
        )?;
        let path = format!("/api/v1/tasks/{id}");
        let data = serde_json::json!({"number": after.number});
        events::emit(conn, NewEvent::new(EventType::TaskCorrected, path, Some(id), data).task(id))?;
        Ok(after)
    })
}
