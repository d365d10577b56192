//! 台账: each responsible unit's progress on each task, with its dated notes.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use gongkai_core::auth::Role;
use gongkai_core::events::EventType;
use gongkai_core::ledger::{ProgressStatus, check_progress_move};
use serde::Serialize;

use crate::events::{self, NewEvent};
use crate::schema::{progress_notes, sections, task_progress, task_units, tasks, units};
use crate::units::to_json;
use crate::{Actor, StoreError, audit};

/// Where one unit stands on one task.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    pub task_id: i64,
    pub task_number: i32,
    pub section_number: i32,
    /// The task's requirement text (for exports; not part of the row's audited state).
    #[serde(skip)]
    pub requirement: String,
    pub unit_id: i64,
    pub unit: String,
    /// `lead` or `co`.
    pub role: String,
    pub status: ProgressStatus,
    /// When the status last changed; None while never set.
    pub status_updated_at: Option<DateTime<Utc>>,
    pub status_updated_by: Option<String>,
    /// The latest of the status change and the newest note; None when nothing happened.
    pub last_activity_at: Option<DateTime<Utc>>,
    /// The last change of anything the row shows: its status, a note, or the task (its
    /// number, section, responsible units and their names).
    pub updated_at: DateTime<Utc>,
}

/// A dated note: a unit's update or the coordinator's comment.
#[derive(Debug, Clone, PartialEq, Serialize, Queryable, Selectable)]
#[diesel(table_name = progress_notes)]
pub struct Note {
    pub id: i64,
    pub task_id: i64,
    pub unit_id: i64,
    /// `update` (by the unit) or `comment` (by the coordinator).
    pub kind: String,
    pub text: String,
    pub links: Vec<String>,
    pub status_from: Option<String>,
    pub status_to: Option<String>,
    pub author_sub: String,
    pub author_role: String,
    pub created_at: DateTime<Utc>,
}

type Row = (
    i64,
    i32,
    i32,
    String,
    i64,
    String,
    String,
    i32,
    Option<String>,
    Option<DateTime<Utc>>,
    Option<String>,
    DateTime<Utc>,
);

/// Which progress rows to read.
#[derive(Debug, Clone, Default)]
pub struct ProgressFilter {
    pub task_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub section_number: Option<i32>,
}

/// The progress rows of a plan (one per task and responsible unit), in task then unit
/// order.
pub fn list(
    conn: &mut PgConnection,
    plan_id: i64,
    filter: &ProgressFilter,
) -> Result<Vec<Progress>, StoreError> {
    let mut q = task_units::table
        .inner_join(tasks::table.inner_join(sections::table))
        .inner_join(units::table)
        .left_join(
            task_progress::table.on(task_progress::task_id
                .eq(task_units::task_id)
                .and(task_progress::unit_id.eq(task_units::unit_id))),
        )
        .filter(tasks::plan_id.eq(plan_id))
        .select((
            tasks::id,
            tasks::number,
            sections::number,
            tasks::requirement,
            units::id,
            units::name,
            task_units::role,
            task_units::position,
            task_progress::status.nullable(),
            task_progress::updated_at.nullable(),
            task_progress::updated_by.nullable(),
            tasks::updated_at,
        ))
        .into_boxed();
    if let Some(t) = filter.task_id {
        q = q.filter(tasks::id.eq(t));
    }
    if let Some(u) = filter.unit_id {
        q = q.filter(units::id.eq(u));
    }
    if let Some(s) = filter.section_number {
        q = q.filter(sections::number.eq(s));
    }
    let rows: Vec<Row> = q.order((tasks::number, task_units::position)).load(conn)?;
    let task_ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let last_notes: Vec<(i64, i64, Option<DateTime<Utc>>)> = progress_notes::table
        .filter(progress_notes::task_id.eq_any(&task_ids))
        .group_by((progress_notes::task_id, progress_notes::unit_id))
        .select((
            progress_notes::task_id,
            progress_notes::unit_id,
            diesel::dsl::max(progress_notes::created_at),
        ))
        .load(conn)?;
    let last: std::collections::HashMap<(i64, i64), DateTime<Utc>> =
        last_notes.into_iter().filter_map(|(t, u, at)| at.map(|a| ((t, u), a))).collect();
    Ok(rows
        .into_iter()
        .map(
            |(
                task_id,
                task_number,
                section_number,
                requirement,
                unit_id,
                unit,
                role,
                _,
                status,
                at,
                by,
                task_at,
            )| {
                let note_at = last.get(&(task_id, unit_id)).copied();
                let last_activity_at = at.max(note_at);
                Progress {
                    task_id,
                    task_number,
                    section_number,
                    requirement,
                    unit_id,
                    unit,
                    role,
                    status: status
                        .as_deref()
                        .and_then(ProgressStatus::parse)
                        .unwrap_or(ProgressStatus::NotStarted),
                    status_updated_at: at,
                    status_updated_by: by,
                    last_activity_at,
                    updated_at: last_activity_at.map_or(task_at, |a| a.max(task_at)),
                }
            },
        )
        .collect())
}

/// One task's row for one unit; 404 when the unit is not responsible for the task.
pub fn get(conn: &mut PgConnection, task_id: i64, unit_id: i64) -> Result<Progress, StoreError> {
    let plan_id: i64 = tasks::table
        .find(task_id)
        .select(tasks::plan_id)
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("task {task_id}")))?;
    list(
        conn,
        plan_id,
        &ProgressFilter { task_id: Some(task_id), unit_id: Some(unit_id), ..Default::default() },
    )?
    .pop()
    .ok_or_else(|| {
        StoreError::NotFound(format!(
            "unit {unit_id} among the responsible units of task {task_id}"
        ))
    })
}

/// The notes of a task (for one unit, or all), oldest first.
pub fn notes(
    conn: &mut PgConnection,
    task_id: i64,
    unit_id: Option<i64>,
) -> Result<Vec<Note>, StoreError> {
    let mut q = progress_notes::table
        .filter(progress_notes::task_id.eq(task_id))
        .select(Note::as_select())
        .into_boxed();
    if let Some(u) = unit_id {
        q = q.filter(progress_notes::unit_id.eq(u));
    }
    Ok(q.order(progress_notes::id).load(conn)?)
}

fn lock_link(conn: &mut PgConnection, task_id: i64, unit_id: i64) -> Result<(), StoreError> {
    let linked: Option<i64> = task_units::table
        .filter(task_units::task_id.eq(task_id).and(task_units::unit_id.eq(unit_id)))
        .select(task_units::unit_id)
        .for_update()
        .first(conn)
        .optional()?;
    linked.map(|_| ()).ok_or_else(|| {
        StoreError::NotFound(format!(
            "unit {unit_id} among the responsible units of task {task_id}"
        ))
    })
}

fn insert_note(
    conn: &mut PgConnection,
    actor: &Actor,
    task_id: i64,
    unit_id: i64,
    text: &str,
    links: &[String],
    status: Option<(ProgressStatus, ProgressStatus)>,
) -> Result<Note, StoreError> {
    let kind = if actor.role == Role::Unit { "update" } else { "comment" };
    Ok(diesel::insert_into(progress_notes::table)
        .values((
            progress_notes::task_id.eq(task_id),
            progress_notes::unit_id.eq(unit_id),
            progress_notes::kind.eq(kind),
            progress_notes::text.eq(text.trim()),
            progress_notes::links.eq(links),
            progress_notes::status_from.eq(status.map(|s| s.0.as_str())),
            progress_notes::status_to.eq(status.map(|s| s.1.as_str())),
            progress_notes::author_sub.eq(&actor.sub),
            progress_notes::author_role.eq(actor.role.as_str()),
        ))
        .returning(Note::as_returning())
        .get_result(conn)?)
}

/// Adds a note to a unit's row: an update by the unit, a comment by anyone else. Audited.
pub fn add_note(
    conn: &mut PgConnection,
    actor: &Actor,
    task_id: i64,
    unit_id: i64,
    text: &str,
    links: &[String],
) -> Result<Note, StoreError> {
    conn.transaction(|conn| {
        lock_link(conn, task_id, unit_id)?;
        let note = insert_note(conn, actor, task_id, unit_id, text, links, None)?;
        audit::record(
            conn,
            actor,
            "progress.note",
            "progress_note",
            note.id,
            None,
            Some(to_json(&note)),
        )?;
        let data = serde_json::json!({"task_id": task_id, "unit_id": unit_id, "note_id": note.id});
        events::emit(conn, row_event(EventType::NoteAdded, task_id, unit_id, Some(note.id), data))?;
        Ok(note)
    })
}

/// Moves a unit's progress on a task to `to` (409 for a move the workflow refuses),
/// with an optional note explaining it. `precondition` sees the current row.
pub fn set_status(
    conn: &mut PgConnection,
    actor: &Actor,
    task_id: i64,
    unit_id: i64,
    to: ProgressStatus,
    note: Option<&str>,
    precondition: impl FnOnce(&Progress) -> Result<(), StoreError>,
) -> Result<Progress, StoreError> {
    conn.transaction(|conn| {
        lock_link(conn, task_id, unit_id)?;
        let before = get(conn, task_id, unit_id)?;
        precondition(&before)?;
        check_progress_move(before.status, to)
            .map_err(|m| StoreError::conflict("illegal_transition", m))?;
        diesel::insert_into(task_progress::table)
            .values((
                task_progress::task_id.eq(task_id),
                task_progress::unit_id.eq(unit_id),
                task_progress::status.eq(to.as_str()),
                task_progress::updated_by.eq(&actor.sub),
            ))
            .on_conflict((task_progress::task_id, task_progress::unit_id))
            .do_update()
            .set((
                task_progress::status.eq(to.as_str()),
                task_progress::updated_at.eq(diesel::dsl::now),
                task_progress::updated_by.eq(&actor.sub),
            ))
            .execute(conn)?;
        let text = note.map(str::trim).filter(|t| !t.is_empty()).map_or_else(
            || format!("{} → {}", before.status.as_str(), to.as_str()),
            str::to_string,
        );
        insert_note(conn, actor, task_id, unit_id, &text, &[], Some((before.status, to)))?;
        let after = get(conn, task_id, unit_id)?;
        audit::record(
            conn,
            actor,
            "progress.status",
            "progress",
            format!("{task_id}/{unit_id}"),
            Some(to_json(&before)),
            Some(to_json(&after)),
        )?;
        let data = serde_json::json!({
            "task_id": task_id,
            "unit_id": unit_id,
            "from": before.status.as_str(),
            "to": after.status.as_str(),
        });
        events::emit(conn, row_event(EventType::ProgressChanged, task_id, unit_id, None, data))?;
        Ok(after)
    })
}

/// An event about a unit's ledger row of a task.
fn row_event(
    kind: EventType,
    task_id: i64,
    unit_id: i64,
    resource_id: Option<i64>,
    data: serde_json::Value,
) -> NewEvent {
    let path = format!("/api/v1/tasks/{task_id}/progress/{unit_id}");
    NewEvent::new(kind, path, resource_id, data).task(task_id).unit(unit_id)
}
