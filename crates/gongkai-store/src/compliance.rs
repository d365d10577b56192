//! What the compliance engine reads for one plan: its quotas with their scopes resolved
//! to units, the live evidence of its tasks, and the working-day calendar.
//!
//! Five queries in all, whatever the plan's size; the evidence query runs on the
//! partial covering index `evidence_live_by_task_idx` (one index range per task).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Date, Double, Int4, Int8, Nullable, Timestamptz};
use gongkai_core::calendar::WorkCalendar;
use gongkai_core::compliance::{EvidenceInput, QuotaInput, QuotaScope, UnitRef};
use gongkai_core::quota::Scope;

use crate::groups::members_of;
use crate::plans::{self, Plan};
use crate::schema::{task_units, units};
use crate::{StoreError, calendar, quotas};

/// The live records of some tasks that can matter on a day: occurred by then, or
/// naming an event by then (an event is known from its own date). `$1` the task ids,
/// `$2` the day.
pub const EVIDENCE_SQL: &str = "SELECT id, task_id, unit_id, quota_id, occurred_on, recorded_at, \
count, value, completes, event_on FROM evidence WHERE task_id = ANY($1) \
AND withdrawn_at IS NULL AND (occurred_on <= $2 OR event_on <= $2)";

/// The tasks of a plan, optionally one number: `$1` the plan, `$2` the number or null.
pub const TASKS_SQL: &str = "SELECT id, number FROM tasks WHERE plan_id = $1 \
AND ($2::int IS NULL OR number = $2) ORDER BY number";

/// Everything one evaluation of a plan needs.
#[derive(Debug, Clone)]
pub struct PlanInputs {
    pub plan: Plan,
    /// The quotas, scopes resolved: each unit of the task, or of the group.
    pub quotas: Vec<QuotaInput>,
    /// Live records of the plan's tasks that can matter as of the day asked about.
    pub evidence: Vec<EvidenceInput>,
    /// The calendar of every loaded year.
    pub calendar: WorkCalendar,
    /// Each task's lead unit (牵头单位), by task id: it answers for the task as a whole.
    pub leads: HashMap<i64, UnitRef>,
    /// Each task's responsible units, lead first, by task id.
    pub responsible: HashMap<i64, Vec<UnitRef>>,
}

#[derive(QueryableByName)]
struct TaskRow {
    #[diesel(sql_type = Int8)]
    id: i64,
    #[diesel(sql_type = Int4)]
    number: i32,
}

#[derive(QueryableByName)]
struct EvidenceRow {
    #[diesel(sql_type = Int8)]
    id: i64,
    #[diesel(sql_type = Int8)]
    task_id: i64,
    #[diesel(sql_type = Int8)]
    unit_id: i64,
    #[diesel(sql_type = Nullable<Int8>)]
    quota_id: Option<i64>,
    #[diesel(sql_type = Date)]
    occurred_on: NaiveDate,
    #[diesel(sql_type = Timestamptz)]
    recorded_at: DateTime<Utc>,
    #[diesel(sql_type = Int4)]
    count: i32,
    #[diesel(sql_type = Nullable<Double>)]
    value: Option<f64>,
    #[diesel(sql_type = Bool)]
    completes: bool,
    #[diesel(sql_type = Nullable<Date>)]
    event_on: Option<NaiveDate>,
}

impl From<EvidenceRow> for EvidenceInput {
    fn from(r: EvidenceRow) -> Self {
        EvidenceInput {
            id: r.id,
            task_id: r.task_id,
            unit_id: r.unit_id,
            quota_id: r.quota_id,
            occurred_on: r.occurred_on,
            recorded_at: r.recorded_at,
            // The column's check keeps counts at zero or more.
            count: u32::try_from(r.count).unwrap_or(0),
            value: r.value,
            completes: r.completes,
            event_on: r.event_on,
            withdrawn: false,
        }
    }
}

/// The live evidence of `task_ids` that can matter as of `as_of` (see [`EVIDENCE_SQL`]).
pub fn live_evidence(
    conn: &mut PgConnection,
    task_ids: &[i64],
    as_of: NaiveDate,
) -> Result<Vec<EvidenceInput>, StoreError> {
    let rows: Vec<EvidenceRow> = diesel::sql_query(EVIDENCE_SQL)
        .bind::<Array<BigInt>, _>(task_ids)
        .bind::<Date, _>(as_of)
        .load(conn)?;
    Ok(rows.into_iter().map(EvidenceInput::from).collect())
}

/// Loads what evaluating plan `plan_id` as of `as_of` needs; with `task_number`, only
/// that task's quotas and evidence.
pub fn load_plan(
    conn: &mut PgConnection,
    plan_id: i64,
    as_of: NaiveDate,
    task_number: Option<i32>,
) -> Result<PlanInputs, StoreError> {
    let plan = plans::get(conn, plan_id)?;
    load_plan_of(conn, plan, as_of, task_number)
}

/// [`load_plan`] for a plan already read (by the caller's authorization, say).
pub fn load_plan_of(
    conn: &mut PgConnection,
    plan: plans::Plan,
    as_of: NaiveDate,
    task_number: Option<i32>,
) -> Result<PlanInputs, StoreError> {
    let plan_id = plan.id;
    let task_rows: Vec<TaskRow> = diesel::sql_query(TASKS_SQL)
        .bind::<BigInt, _>(plan_id)
        .bind::<Nullable<Int4>, _>(task_number)
        .load(conn)?;
    let numbers: HashMap<i64, u32> =
        task_rows.iter().map(|t| (t.id, u32::try_from(t.number).unwrap_or(0))).collect();
    let task_ids: Vec<i64> = task_rows.iter().map(|t| t.id).collect();

    let links: Vec<(i64, i64, String)> = task_units::table
        .inner_join(units::table)
        .filter(task_units::task_id.eq_any(&task_ids))
        .select((task_units::task_id, units::id, units::name))
        .order((task_units::task_id, task_units::position))
        .load(conn)?;
    let mut responsible: HashMap<i64, Vec<UnitRef>> = HashMap::new();
    for (task_id, id, name) in links {
        responsible.entry(task_id).or_default().push(UnitRef { id, name });
    }
    let leads: HashMap<i64, UnitRef> = responsible
        .iter()
        .filter_map(|(task, list)| list.first().map(|u| (*task, u.clone())))
        .collect();

    let stored = quotas::for_tasks(conn, &task_ids)?;
    let mut group_ids: Vec<i64> = stored.iter().filter_map(|q| q.scope.group_id()).collect();
    group_ids.sort_unstable();
    group_ids.dedup();
    let members = if group_ids.is_empty() { HashMap::new() } else { members_of(conn, &group_ids)? };
    let quota_inputs: Vec<QuotaInput> = stored
        .into_iter()
        .map(|q| {
            let scope = match q.scope {
                Scope::Task => QuotaScope::Task,
                Scope::EachUnit => QuotaScope::EachUnit {
                    units: responsible.get(&q.task_id).cloned().unwrap_or_default(),
                },
                Scope::Group { group_id } => QuotaScope::EachUnit {
                    units: members
                        .get(&group_id)
                        .map(|list| {
                            list.iter()
                                .map(|m| UnitRef { id: m.id, name: m.name.clone() })
                                .collect()
                        })
                        .unwrap_or_default(),
                },
            };
            QuotaInput {
                quota_id: q.id,
                task_id: q.task_id,
                task_number: numbers.get(&q.task_id).copied().unwrap_or(0),
                rule: q.rule,
                scope,
            }
        })
        .collect();

    // Only records of tasks with quotas can change a finding: the others are not read.
    let mut quota_tasks: Vec<i64> = quota_inputs.iter().map(|q| q.task_id).collect();
    quota_tasks.sort_unstable();
    quota_tasks.dedup();
    let evidence = live_evidence(conn, &quota_tasks, as_of)?;
    let calendar = calendar::work_calendar(conn)?;
    Ok(PlanInputs { plan, quotas: quota_inputs, evidence, calendar, leads, responsible })
}
