//! 工作要点: plans and their sections, and storing an imported plan.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Timestamptz};
use gongkai_core::events::EventType;
use gongkai_core::import::ParsedPlan;
use gongkai_core::unit::{UnitKind, UnitName};
use serde::Serialize;

use crate::events::{self, NewEvent};
use crate::schema::{evidence, plans, sections, tasks};
use crate::{Actor, Changes, Page, PageRequest, StoreError, audit, quotas, units};

/// A stored plan.
#[derive(Debug, Clone, PartialEq, Serialize, Queryable, Selectable)]
#[diesel(table_name = plans)]
pub struct Plan {
    pub id: i64,
    pub year: i32,
    pub title: String,
    pub issuing_unit_id: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The plan this one was copied from (the year before).
    pub previous_plan_id: Option<i64>,
    /// The previous plan's look-back whose unfinished items carry over (task 53).
    pub carryover_review_id: Option<i64>,
    /// When the plan was published (shown to the public); None while it is not.
    pub published_at: Option<DateTime<Utc>>,
}

/// A section (一、二、…) of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Queryable, Selectable)]
#[diesel(table_name = sections)]
pub struct Section {
    pub id: i64,
    pub plan_id: i64,
    pub number: i32,
    pub title: String,
}

/// Which plans to list.
#[derive(Debug, Clone, Default)]
pub struct PlanFilter {
    pub year: Option<i32>,
    /// Only plans issued by one of these units (a caller's subtree).
    pub issued_by_any_of: Option<Vec<i64>>,
    /// Only published plans.
    pub published_only: bool,
    /// Only plans changed after an instant, oldest change first.
    pub changes: Option<Changes>,
}

/// Lists plans in id order (or, reading changes, in the order they changed).
pub fn list(
    conn: &mut PgConnection,
    filter: &PlanFilter,
    page: PageRequest,
) -> Result<Page<Plan>, StoreError> {
    let mut q = plans::table.select(Plan::as_select()).into_boxed();
    if let Some(y) = filter.year {
        q = q.filter(plans::year.eq(y));
    }
    if let Some(ids) = &filter.issued_by_any_of {
        q = q.filter(plans::issuing_unit_id.eq_any(ids));
    }
    if filter.published_only {
        q = q.filter(plans::published_at.is_not_null());
    }
    let q = crate::changes_or_keyset!(q, filter.changes, page, plans::updated_at, plans::id);
    let rows = q.limit(page.limit + 1).load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |p| p.id))
}

/// Publishes or withdraws a plan from the public, audited (`plan.publish`,
/// `plan.unpublish`). `precondition` sees the locked current plan (the caller's
/// `If-Match`). Publishing a published plan, or withdrawing an unpublished one, changes
/// nothing and records nothing.
pub fn set_published(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    published: bool,
    precondition: impl FnOnce(&Plan) -> Result<(), StoreError>,
) -> Result<Plan, StoreError> {
    conn.transaction(|conn| {
        let before: Plan = plans::table
            .find(id)
            .select(Plan::as_select())
            .for_update()
            .first(conn)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("plan {id}")))?;
        precondition(&before)?;
        if before.published_at.is_some() == published {
            return Ok(before);
        }
        let target = diesel::update(plans::table.find(id));
        let after: Plan = if published {
            target
                .set((
                    plans::published_at.eq(diesel::dsl::sql::<Nullable<Timestamptz>>("now()")),
                    plans::updated_at.eq(diesel::dsl::now),
                ))
                .returning(Plan::as_returning())
                .get_result(conn)?
        } else {
            target
                .set((
                    plans::published_at.eq(None::<DateTime<Utc>>),
                    plans::updated_at.eq(diesel::dsl::now),
                ))
                .returning(Plan::as_returning())
                .get_result(conn)?
        };
        audit::record(
            conn,
            actor,
            if published { "plan.publish" } else { "plan.unpublish" },
            "plan",
            id,
            Some(units::to_json(&before)),
            Some(units::to_json(&after)),
        )?;
        let kind = if published { EventType::PlanPublished } else { EventType::PlanUnpublished };
        events::emit(conn, plan_event(kind, &after, serde_json::json!({})))?;
        Ok(after)
    })
}

/// One plan.
pub fn get(conn: &mut PgConnection, id: i64) -> Result<Plan, StoreError> {
    plans::table
        .find(id)
        .select(Plan::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("plan {id}")))
}

/// The plan a task belongs to.
pub fn of_task(conn: &mut PgConnection, task_id: i64) -> Result<Plan, StoreError> {
    plans::table
        .inner_join(tasks::table)
        .filter(tasks::id.eq(task_id))
        .select(Plan::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("task {task_id}")))
}

/// A plan's sections in number order; the page key is the section number.
pub fn sections(
    conn: &mut PgConnection,
    plan_id: i64,
    page: PageRequest,
) -> Result<Page<Section>, StoreError> {
    let mut q = sections::table
        .filter(sections::plan_id.eq(plan_id))
        .select(Section::as_select())
        .into_boxed();
    if let Some(after) = page.after {
        q = q.filter(sections::number.gt(i32::try_from(after).unwrap_or(i32::MAX)));
    }
    let rows = q.order(sections::number.asc()).limit(page.limit + 1).load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |s| i64::from(s.number)))
}

/// The title a plan of `issuing_unit_id` for `year` gets when none is given:
/// `<issuer><year>年政务公开工作要点`, a government titled by its place
/// (开平市人民政府 → 开平市2022年政务公开工作要点; see [`gongkai_core::plan::default_title`]).
pub fn default_title(
    conn: &mut PgConnection,
    issuing_unit_id: i64,
    year: i32,
) -> Result<String, StoreError> {
    let issuer = units::get(conn, issuing_unit_id)?;
    Ok(gongkai_core::plan::default_title(&issuer.name, year))
}

/// What to do when the issuing unit already has a plan for the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnExisting {
    /// Refuse with 409 `plan_exists`.
    Refuse,
    /// Replace it, unless evidence has been recorded against it (409 `plan_has_evidence`:
    /// evidence is never deleted).
    Replace,
}

/// Stores an imported plan under `issuing_unit_id`: units named by the plan that are not
/// yet children of the issuing unit are created under it; sections, tasks, unit links and
/// quotas follow. One transaction, one audit event.
pub fn store_import(
    conn: &mut PgConnection,
    actor: &Actor,
    issuing_unit_id: i64,
    year: i32,
    title: &str,
    parsed: &ParsedPlan,
    on_existing: OnExisting,
) -> Result<Plan, StoreError> {
    conn.transaction(|conn| {
        let issuer = units::get(conn, issuing_unit_id).map_err(|e| match e {
            StoreError::NotFound(_) => StoreError::invalid(
                "issuing_unit_id",
                format!("unit {issuing_unit_id} does not exist"),
            ),
            other => other,
        })?;
        let existing: Option<Plan> = plans::table
            .filter(plans::issuing_unit_id.eq(issuing_unit_id).and(plans::year.eq(year)))
            .select(Plan::as_select())
            .for_update()
            .first(conn)
            .optional()?;
        let replaced = match (existing, on_existing) {
            (None, _) => None,
            (Some(p), OnExisting::Refuse) => {
                return Err(StoreError::conflict(
                    "plan_exists",
                    format!(
                        "{} already has a plan for {year} (plan {}); ask to replace it to import again",
                        issuer.name, p.id
                    ),
                ));
            }
            (Some(p), OnExisting::Replace) => {
                let recorded: i64 = evidence::table
                    .inner_join(tasks::table)
                    .filter(tasks::plan_id.eq(p.id))
                    .count()
                    .get_result(conn)?;
                if recorded > 0 {
                    return Err(StoreError::conflict(
                        "plan_has_evidence",
                        format!(
                            "plan {} has {recorded} evidence records; it cannot be replaced, because evidence is never deleted",
                            p.id
                        ),
                    ));
                }
                let reviewed: i64 = crate::schema::reviews::table
                    .filter(crate::schema::reviews::plan_id.eq(p.id))
                    .count()
                    .get_result(conn)?;
                let successors: i64 = plans::table
                    .filter(plans::previous_plan_id.eq(p.id))
                    .count()
                    .get_result(conn)?;
                if reviewed > 0 || successors > 0 {
                    return Err(StoreError::conflict(
                        "plan_in_use",
                        format!(
                            "plan {} has {reviewed} look-backs and {successors} later plans copied from it; it cannot be replaced",
                            p.id
                        ),
                    ));
                }
                diesel::delete(plans::table.find(p.id)).execute(conn)?;
                Some(p)
            }
        };

        let mut unit_ids = std::collections::HashMap::new();
        for name in &parsed.units {
            let checked = UnitName::parse(name).map_err(|m| StoreError::invalid("units", m))?;
            let unit = match units::find_child(conn, issuing_unit_id, checked.as_str())? {
                Some(u) => u,
                None => units::create(
                    conn,
                    actor,
                    &units::NewUnit {
                        kind: UnitKind::guess_from_name(checked.as_str()),
                        name: checked,
                        parent_id: Some(issuing_unit_id),
                    },
                )?,
            };
            unit_ids.insert(name.clone(), unit.id);
        }

        let plan: Plan = diesel::insert_into(plans::table)
            .values((
                plans::year.eq(year),
                plans::title.eq(title.trim()),
                plans::issuing_unit_id.eq(issuing_unit_id),
            ))
            .returning(Plan::as_returning())
            .get_result(conn)?;

        let mut task_count = 0usize;
        let mut quota_count = 0usize;
        for section in &parsed.sections {
            let section_id: i64 = diesel::insert_into(sections::table)
                .values((
                    sections::plan_id.eq(plan.id),
                    sections::number.eq(to_i32(section.number)),
                    sections::title.eq(&section.title),
                ))
                .returning(sections::id)
                .get_result(conn)?;
            for task in &section.tasks {
                let task_id: i64 = diesel::insert_into(tasks::table)
                    .values((
                        tasks::plan_id.eq(plan.id),
                        tasks::section_id.eq(section_id),
                        tasks::number.eq(to_i32(task.number)),
                        tasks::requirement.eq(&task.requirement),
                        tasks::units_inherited.eq(task.units_inherited),
                    ))
                    .returning(tasks::id)
                    .get_result(conn)?;
                let ids: Vec<i64> =
                    task.units.iter().filter_map(|n| unit_ids.get(n).copied()).collect();
                if !ids.is_empty() {
                    crate::tasks::set_units(conn, task_id, &ids)?;
                }
                for q in &task.quotas {
                    quotas::insert(conn, task_id, &q.rule, &q.source)?;
                    quota_count += 1;
                }
                task_count += 1;
            }
        }
        audit::record(
            conn,
            actor,
            if replaced.is_some() { "plan.replace" } else { "plan.import" },
            "plan",
            plan.id,
            replaced.as_ref().map(units::to_json),
            Some(serde_json::json!({
                "plan": units::to_json(&plan),
                "sections": parsed.sections.len(),
                "tasks": task_count,
                "quotas": quota_count,
                "units": parsed.units,
            })),
        )?;
        let data = serde_json::json!({"year": plan.year, "replaced_plan_id": replaced.as_ref().map(|p| p.id)});
        events::emit(conn, plan_event(EventType::PlanImported, &plan, data))?;
        Ok(plan)
    })
}

fn to_i32(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Copies plan `source_id` into a new plan for `year` under the same issuing government:
/// sections, tasks (with their text), responsible units and quotas (deadlines moved by
/// the difference in years; 02-29 becomes 02-28). The new plan links the source plan and
/// its newest look-back, so unfinished work carries over visibly (task 53). One
/// transaction, one audit event.
pub fn copy_to_year(
    conn: &mut PgConnection,
    actor: &Actor,
    source_id: i64,
    year: i32,
    title: &str,
) -> Result<Plan, StoreError> {
    use diesel::sql_types::{BigInt, Integer};
    conn.transaction(|conn| {
        let source = get(conn, source_id)?;
        if year == source.year {
            return Err(StoreError::invalid("year", "the copy needs another year than its source"));
        }
        let taken: Option<i64> = plans::table
            .filter(plans::issuing_unit_id.eq(source.issuing_unit_id).and(plans::year.eq(year)))
            .select(plans::id)
            .first(conn)
            .optional()?;
        if let Some(existing) = taken {
            return Err(StoreError::conflict(
                "plan_exists",
                format!("the issuing unit already has a plan for {year} (plan {existing})"),
            ));
        }
        let review = crate::reviews::latest_of_plan(conn, source_id)?;
        let plan: Plan = diesel::insert_into(plans::table)
            .values((
                plans::year.eq(year),
                plans::title.eq(title.trim()),
                plans::issuing_unit_id.eq(source.issuing_unit_id),
                plans::previous_plan_id.eq(Some(source_id)),
                plans::carryover_review_id.eq(review.as_ref().map(|r| r.id)),
            ))
            .returning(Plan::as_returning())
            .get_result(conn)?;
        let statements = [
            "INSERT INTO sections (plan_id, number, title) SELECT $1, number, title FROM sections WHERE plan_id = $2",
            "INSERT INTO tasks (plan_id, section_id, number, requirement, units_inherited)
               SELECT $1, ns.id, t.number, t.requirement, t.units_inherited
                 FROM tasks t JOIN sections os ON os.id = t.section_id
                 JOIN sections ns ON ns.plan_id = $1 AND ns.number = os.number
                WHERE t.plan_id = $2",
            "INSERT INTO task_units (task_id, unit_id, role, position)
               SELECT nt.id, tu.unit_id, tu.role, tu.position
                 FROM task_units tu JOIN tasks ot ON ot.id = tu.task_id
                 JOIN tasks nt ON nt.plan_id = $1 AND nt.number = ot.number
                WHERE ot.plan_id = $2",
            "INSERT INTO quotas (task_id, kind, count_min, period, due, threshold_min, threshold_unit, days, source, scope, scope_group_id)
               SELECT nt.id, q.kind, q.count_min, q.period,
                      (q.due + make_interval(years => $3))::date,
                      q.threshold_min, q.threshold_unit, q.days, q.source, q.scope, q.scope_group_id
                 FROM quotas q JOIN tasks ot ON ot.id = q.task_id
                 JOIN tasks nt ON nt.plan_id = $1 AND nt.number = ot.number
                WHERE ot.plan_id = $2
                ORDER BY q.id",
        ];
        let mut counts = Vec::new();
        for sql in statements {
            let q = diesel::sql_query(sql).bind::<BigInt, _>(plan.id).bind::<BigInt, _>(source_id);
            // Only the quota statement moves dates, by the difference in years.
            counts.push(if sql.contains("$3") {
                q.bind::<Integer, _>(year - source.year).execute(conn)?
            } else {
                q.execute(conn)?
            });
        }
        audit::record(
            conn,
            actor,
            "plan.copy",
            "plan",
            plan.id,
            None,
            Some(serde_json::json!({
                "plan": units::to_json(&plan),
                "copied_from": source_id,
                "carryover_review_id": plan.carryover_review_id,
                "sections": counts[0],
                "tasks": counts[1],
                "unit_links": counts[2],
                "quotas": counts[3],
            })),
        )?;
        let data = serde_json::json!({"year": plan.year, "copied_from": source_id});
        events::emit(conn, plan_event(EventType::PlanCopied, &plan, data))?;
        Ok(plan)
    })
}

/// An event about a plan as a whole.
fn plan_event(kind: EventType, plan: &Plan, data: serde_json::Value) -> NewEvent {
    NewEvent::new(kind, format!("/api/v1/plans/{}", plan.id), Some(plan.id), data).plan(plan.id)
}
