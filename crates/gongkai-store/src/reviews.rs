//! 回头看: look-backs at a plan, frozen when taken, and the rectification items
//! (整改事项) each shortfall becomes.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use gongkai_core::calendar::StartDayRule;
use gongkai_core::compliance::{Finding, Status, evaluate};
use gongkai_core::events::EventType;
use gongkai_core::ledger::{RectificationAction, RectificationStatus, rectification_move};
use serde::Serialize;

use crate::events::{self, NewEvent};
use crate::schema::{rectification_events, rectifications, review_entries, reviews};
use crate::units::to_json;
use crate::{
    Actor, Changes, Page, PageRequest, StoreError, audit, compliance, opinion, plans, progress,
};

/// Working days a rectification item gets when the review does not say.
pub const DEFAULT_RECTIFICATION_WORKDAYS: u32 = 20;

/// A look-back.
#[derive(Debug, Clone, PartialEq, Serialize, Queryable, Selectable)]
#[diesel(table_name = reviews)]
pub struct Review {
    pub id: i64,
    pub plan_id: i64,
    pub as_of: NaiveDate,
    pub rectification_due: NaiveDate,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

/// One task and unit in a look-back, as they stood.
#[derive(Debug, Clone, PartialEq, Serialize, Queryable, Selectable)]
#[diesel(table_name = review_entries)]
pub struct ReviewEntry {
    pub id: i64,
    pub review_id: i64,
    pub task_id: i64,
    pub task_number: i32,
    pub unit_id: i64,
    pub unit_name: String,
    pub progress_status: String,
    pub done: bool,
    /// The engine's findings for this task and unit at that moment.
    pub findings: serde_json::Value,
    /// What fell short, if anything.
    pub shortfall: Option<String>,
}

/// A rectification item.
#[derive(Debug, Clone, PartialEq, Serialize, Queryable, Selectable)]
#[diesel(table_name = rectifications)]
pub struct Rectification {
    pub id: i64,
    pub review_id: i64,
    pub review_entry_id: i64,
    pub task_id: i64,
    pub unit_id: i64,
    pub finding: String,
    pub due: NaiveDate,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What happened to a rectification item.
#[derive(Debug, Clone, PartialEq, Serialize, Queryable, Selectable)]
#[diesel(table_name = rectification_events)]
pub struct RectificationEvent {
    pub id: i64,
    pub rectification_id: i64,
    pub action: String,
    pub status_from: String,
    pub status_to: String,
    pub note: Option<String>,
    pub url: Option<String>,
    pub actor_sub: String,
    pub actor_role: String,
    pub created_at: DateTime<Utc>,
}

/// What a shortfall is, in words, from the progress and the findings.
fn shortfall(done: bool, status: &str, findings: &[&Finding]) -> Option<String> {
    let mut parts = Vec::new();
    if !done {
        parts.push(format!("工作未完成（进度：{status}）"));
    }
    for f in findings.iter().filter(|f| matches!(f.status, Status::Missed | Status::Overdue)) {
        parts.push(format!(
            "指标{}（{} 至 {}）：{}",
            f.status.label(),
            f.period_start,
            f.period_end,
            f.explanation.text
        ));
    }
    if parts.is_empty() { None } else { Some(parts.join("；")) }
}

/// Takes a look-back of `plan_id` as of `as_of`: every task and responsible unit with its
/// progress and the engine's findings, frozen; each shortfall becomes a rectification
/// item owned by that unit, due on `rectification_due` (default: 20 working days after
/// `as_of`). Task-wide findings are answered for by the task's lead unit.
pub fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    plan_id: i64,
    as_of: NaiveDate,
    rectification_due: Option<NaiveDate>,
    note: Option<&str>,
) -> Result<Review, StoreError> {
    conn.transaction(|conn| {
        let inputs = compliance::load_plan(conn, plan_id, as_of, None)?;
        let evaluation =
            evaluate(inputs.plan.year, &inputs.quotas, &inputs.evidence, &inputs.calendar, as_of)
                .map_err(|e| StoreError::invalid("as_of", e.to_string()))?;
        let due = match rectification_due {
            Some(d) if d < as_of => {
                return Err(StoreError::invalid(
                    "rectification_due",
                    "the rectification deadline cannot be before the review date",
                ));
            }
            Some(d) => d,
            None => {
                inputs
                    .calendar
                    .add_workdays(as_of, DEFAULT_RECTIFICATION_WORKDAYS, StartDayRule::NotCounted)
                    .map_err(|e| StoreError::invalid("as_of", e.to_string()))?
                    .due
            }
        };
        let review: Review = diesel::insert_into(reviews::table)
            .values((
                reviews::plan_id.eq(plan_id),
                reviews::as_of.eq(as_of),
                reviews::rectification_due.eq(due),
                reviews::note.eq(note.map(str::trim).filter(|n| !n.is_empty())),
                reviews::created_by.eq(&actor.sub),
            ))
            .returning(Review::as_returning())
            .get_result(conn)?;
        let mut opened = Vec::new();
        let rows = progress::list(conn, plan_id, &progress::ProgressFilter::default())?;
        let mut promises = unkept_promises(conn, plan_id, inputs.plan.year, as_of)?;
        for row in &rows {
            let lead = inputs.leads.get(&row.task_id).map(|u| u.id);
            let findings: Vec<&Finding> = evaluation
                .findings
                .iter()
                .filter(|f| {
                    f.task_id == row.task_id
                        && (f.unit_id == Some(row.unit_id)
                            || (f.unit_id.is_none() && lead == Some(row.unit_id)))
                })
                .collect();
            let done = row.status.is_done();
            let short = join_shortfalls(
                shortfall(done, row.status.as_str(), &findings),
                promises.remove(&(row.task_id, row.unit_id)),
            );
            let entry_id: i64 = diesel::insert_into(review_entries::table)
                .values((
                    review_entries::review_id.eq(review.id),
                    review_entries::task_id.eq(row.task_id),
                    review_entries::task_number.eq(row.task_number),
                    review_entries::unit_id.eq(row.unit_id),
                    review_entries::unit_name.eq(&row.unit),
                    review_entries::progress_status.eq(row.status.as_str()),
                    review_entries::done.eq(done),
                    review_entries::findings.eq(to_json(&findings)),
                    review_entries::shortfall.eq(short.as_deref()),
                ))
                .returning(review_entries::id)
                .get_result(conn)?;
            if let Some(text) = short {
                let at = Opening { review_id: review.id, entry_id, due };
                opened.push(open_rectification(
                    conn,
                    at,
                    row.task_id,
                    row.task_number,
                    row.unit_id,
                    &text,
                )?);
            }
        }
        // Promises made by units that are not responsible units of the task: an entry of
        // their own, whose progress is not tracked (不适用) and whose shortfall is the promise.
        for ((task_id, unit_id), (task_number, unit_name, text)) in promises {
            let entry_id: i64 = diesel::insert_into(review_entries::table)
                .values((
                    review_entries::review_id.eq(review.id),
                    review_entries::task_id.eq(task_id),
                    review_entries::task_number.eq(task_number),
                    review_entries::unit_id.eq(unit_id),
                    review_entries::unit_name.eq(&unit_name),
                    review_entries::progress_status.eq("not_applicable"),
                    review_entries::done.eq(true),
                    review_entries::shortfall.eq(&text),
                ))
                .returning(review_entries::id)
                .get_result(conn)?;
            let at = Opening { review_id: review.id, entry_id, due };
            opened.push(open_rectification(conn, at, task_id, task_number, unit_id, &text)?);
        }
        audit::record(
            conn,
            actor,
            "review.create",
            "review",
            review.id,
            None,
            Some(serde_json::json!({
                "review": to_json(&review),
                "entries": rows.len(),
                "rectifications": opened.len(),
                "summary": evaluation.summary,
            })),
        )?;
        let path = format!("/api/v1/reviews/{}", review.id);
        let data = serde_json::json!({"as_of": as_of, "rectifications": opened.len()});
        let taken = NewEvent::new(EventType::ReviewTaken, path, Some(review.id), data);
        events::emit(conn, taken.plan(plan_id))?;
        for item in &opened {
            events::emit(conn, rectification_event(EventType::RectificationOpened, item))?;
        }
        Ok(review)
    })
}

/// Where a rectification item is opened: its look-back, its entry and its due date.
struct Opening {
    review_id: i64,
    entry_id: i64,
    due: NaiveDate,
}

fn open_rectification(
    conn: &mut PgConnection,
    at: Opening,
    task_id: i64,
    task_number: i32,
    unit_id: i64,
    text: &str,
) -> Result<Rectification, StoreError> {
    Ok(diesel::insert_into(rectifications::table)
        .values((
            rectifications::review_id.eq(at.review_id),
            rectifications::review_entry_id.eq(at.entry_id),
            rectifications::task_id.eq(task_id),
            rectifications::unit_id.eq(unit_id),
            rectifications::finding.eq(format!("第{task_number}项：{text}")),
            rectifications::due.eq(at.due),
        ))
        .returning(Rectification::as_returning())
        .get_result(conn)?)
}

fn join_shortfalls(a: Option<String>, b: Option<(i32, String, String)>) -> Option<String> {
    match (a, b) {
        (Some(a), Some((_, _, b))) => Some(format!("{a}；{b}")),
        (Some(a), None) => Some(a),
        (None, Some((_, _, b))) => Some(b),
        (None, None) => None,
    }
}

/// Unkept promises in words, per (task, unit): (task number, unit name, text).
type PromiseShortfalls = BTreeMap<(i64, i64), (i32, String, String)>;

/// The year's unkept promises of the opinion ledger (舆情回应承诺) on the plan's tasks,
/// as of `as_of`, in words per task and promising unit: (task number, unit name, text).
fn unkept_promises(
    conn: &mut PgConnection,
    plan_id: i64,
    year: i32,
    as_of: NaiveDate,
) -> Result<PromiseShortfalls, StoreError> {
    let mut out = PromiseShortfalls::new();
    for u in opinion::promises::unkept_for_plan(conn, plan_id, year, as_of)? {
        let p = &u.promise;
        let how = if p.status == gongkai_core::opinion::PromiseStatus::Broken {
            "未兑现"
        } else {
            "逾期未兑现"
        };
        let line = format!(
            "舆情回应承诺{how}（舆情{}，承诺{}，应于{}前兑现）：{}",
            u.case_id, p.id, p.due_on, p.text
        );
        let entry = out
            .entry((u.task_id, p.unit_id))
            .or_insert_with(|| (u.task_number, p.unit_name.clone(), String::new()));
        if !entry.2.is_empty() {
            entry.2.push('；');
        }
        entry.2.push_str(&line);
    }
    Ok(out)
}

/// One look-back.
pub fn get(conn: &mut PgConnection, id: i64) -> Result<Review, StoreError> {
    reviews::table
        .find(id)
        .select(Review::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("review {id}")))
}

/// The look-backs of a plan, oldest first.
pub fn of_plan(conn: &mut PgConnection, plan_id: i64) -> Result<Vec<Review>, StoreError> {
    Ok(reviews::table
        .filter(reviews::plan_id.eq(plan_id))
        .select(Review::as_select())
        .order(reviews::id)
        .load(conn)?)
}

/// The newest look-back of a plan, if any.
pub fn latest_of_plan(conn: &mut PgConnection, plan_id: i64) -> Result<Option<Review>, StoreError> {
    Ok(reviews::table
        .filter(reviews::plan_id.eq(plan_id))
        .select(Review::as_select())
        .order(reviews::id.desc())
        .first(conn)
        .optional()?)
}

/// The entries of a look-back, in task then unit order.
pub fn entries(conn: &mut PgConnection, review_id: i64) -> Result<Vec<ReviewEntry>, StoreError> {
    Ok(review_entries::table
        .filter(review_entries::review_id.eq(review_id))
        .select(ReviewEntry::as_select())
        .order((review_entries::task_number, review_entries::id))
        .load(conn)?)
}

/// Which rectification items to list.
#[derive(Debug, Clone, Default)]
pub struct RectificationFilter {
    pub review_id: Option<i64>,
    pub plan_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub status: Option<RectificationStatus>,
    /// Only items not verified whose due date is before this day.
    pub overdue_on: Option<NaiveDate>,
    /// Only items owned by one of these units (a caller's subtree).
    pub within_units: Option<Vec<i64>>,
    /// Only items changed after an instant, oldest change first.
    pub changes: Option<Changes>,
}

/// Lists rectification items in id order.
pub fn rectification_list(
    conn: &mut PgConnection,
    filter: &RectificationFilter,
    page: PageRequest,
) -> Result<Page<Rectification>, StoreError> {
    let mut q = rectifications::table.select(Rectification::as_select()).into_boxed();
    if let Some(r) = filter.review_id {
        q = q.filter(rectifications::review_id.eq(r));
    }
    if let Some(p) = filter.plan_id {
        q = q.filter(
            rectifications::review_id
                .eq_any(reviews::table.filter(reviews::plan_id.eq(p)).select(reviews::id)),
        );
    }
    if let Some(u) = filter.unit_id {
        q = q.filter(rectifications::unit_id.eq(u));
    }
    if let Some(ids) = &filter.within_units {
        q = q.filter(rectifications::unit_id.eq_any(ids));
    }
    if let Some(s) = filter.status {
        q = q.filter(rectifications::status.eq(s.as_str()));
    }
    if let Some(day) = filter.overdue_on {
        q = q.filter(rectifications::due.lt(day).and(rectifications::status.ne("verified")));
    }
    let q = crate::changes_or_keyset!(
        q,
        filter.changes,
        page,
        rectifications::updated_at,
        rectifications::id
    );
    let rows = q.limit(page.limit + 1).load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |r| r.id))
}

/// The unverified rectification items a plan has to answer for, due by `due_by`: those
/// of its own look-backs and of the look-back it carries over from the year before.
/// Optionally only one owner unit's. Earliest due first.
pub fn unverified_for_plan(
    conn: &mut PgConnection,
    plan: &plans::Plan,
    unit_id: Option<i64>,
    due_by: NaiveDate,
) -> Result<Vec<Rectification>, StoreError> {
    let own = reviews::table.filter(reviews::plan_id.eq(plan.id)).select(reviews::id);
    let mut q = rectifications::table
        .filter(rectifications::status.ne("verified"))
        .filter(rectifications::due.le(due_by))
        .filter(
            rectifications::review_id
                .eq_any(own)
                .or(rectifications::review_id.nullable().eq(plan.carryover_review_id)),
        )
        .select(Rectification::as_select())
        .into_boxed();
    if let Some(u) = unit_id {
        q = q.filter(rectifications::unit_id.eq(u));
    }
    Ok(q.order((rectifications::due, rectifications::id)).load(conn)?)
}

/// One rectification item.
pub fn rectification(conn: &mut PgConnection, id: i64) -> Result<Rectification, StoreError> {
    rectifications::table
        .find(id)
        .select(Rectification::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("rectification {id}")))
}

/// The history of a rectification item, oldest first.
pub fn rectification_events(
    conn: &mut PgConnection,
    id: i64,
) -> Result<Vec<RectificationEvent>, StoreError> {
    Ok(rectification_events::table
        .filter(rectification_events::rectification_id.eq(id))
        .select(RectificationEvent::as_select())
        .order(rectification_events::id)
        .load(conn)?)
}

/// Moves a rectification item: submit (owner, with a note or evidence link), verify or
/// reject (coordinator; a rejection needs a reason). 409 for a move the workflow refuses.
pub fn act(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    action: RectificationAction,
    note: Option<&str>,
    url: Option<&str>,
    precondition: impl FnOnce(&Rectification) -> Result<(), StoreError>,
) -> Result<Rectification, StoreError> {
    conn.transaction(|conn| {
        let before: Rectification = rectifications::table
            .find(id)
            .select(Rectification::as_select())
            .for_update()
            .first(conn)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("rectification {id}")))?;
        precondition(&before)?;
        let from = RectificationStatus::parse(&before.status).ok_or_else(|| {
            StoreError::Internal(format!("rectification {id} has status {}", before.status))
        })?;
        let to = rectification_move(from, action)
            .map_err(|m| StoreError::conflict("illegal_transition", m))?;
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        let url = url.map(str::trim).filter(|n| !n.is_empty());
        match action {
            RectificationAction::Submit if note.is_none() && url.is_none() => {
                return Err(StoreError::invalid(
                    "note",
                    "a submission needs a note or an evidence url",
                ));
            }
            RectificationAction::Reject if note.is_none() => {
                return Err(StoreError::invalid("note", "a rejection needs a reason"));
            }
            _ => {}
        }
        let after: Rectification = diesel::update(rectifications::table.find(id))
            .set((
                rectifications::status.eq(to.as_str()),
                rectifications::updated_at.eq(diesel::dsl::now),
            ))
            .returning(Rectification::as_returning())
            .get_result(conn)?;
        diesel::insert_into(rectification_events::table)
            .values((
                rectification_events::rectification_id.eq(id),
                rectification_events::action.eq(action.as_str()),
                rectification_events::status_from.eq(from.as_str()),
                rectification_events::status_to.eq(to.as_str()),
                rectification_events::note.eq(note),
                rectification_events::url.eq(url),
                rectification_events::actor_sub.eq(&actor.sub),
                rectification_events::actor_role.eq(actor.role.as_str()),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            &format!("rectification.{}", action.as_str()),
            "rectification",
            id,
            Some(to_json(&before)),
            Some(to_json(&after)),
        )?;
        let kind = match action {
            RectificationAction::Submit => EventType::RectificationSubmitted,
            RectificationAction::Verify => EventType::RectificationVerified,
            RectificationAction::Reject => EventType::RectificationRejected,
        };
        events::emit(conn, rectification_event(kind, &after))?;
        Ok(after)
    })
}

/// An event about a rectification item.
fn rectification_event(kind: EventType, r: &Rectification) -> NewEvent {
    let data = serde_json::json!({
        "review_id": r.review_id,
        "task_id": r.task_id,
        "status": r.status,
        "due": r.due,
    });
    NewEvent::new(kind, format!("/api/v1/rectifications/{}", r.id), Some(r.id), data)
        .task(r.task_id)
        .unit(r.unit_id)
}

/// The plan a review belongs to.
pub fn plan_of(conn: &mut PgConnection, review_id: i64) -> Result<plans::Plan, StoreError> {
    let r = get(conn, review_id)?;
    plans::get(conn, r.plan_id)
}

/// What an office export shows beside a rectification item: the task's number and the
/// owner unit's name as its look-back found them, the look-back's day, and the latest
/// note written on the item (a submission's or a rejection's).
#[derive(Debug, Clone, PartialEq)]
pub struct RectificationContext {
    pub task_number: i32,
    pub unit_name: String,
    pub review_as_of: NaiveDate,
    pub last_note: Option<String>,
}

/// The context of each of these items, by item id.
pub fn rectification_context(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, RectificationContext>, StoreError> {
    let rows: Vec<(i64, i32, String, NaiveDate)> = rectifications::table
        .inner_join(review_entries::table)
        .inner_join(reviews::table)
        .filter(rectifications::id.eq_any(ids))
        .select((
            rectifications::id,
            review_entries::task_number,
            review_entries::unit_name,
            reviews::as_of,
        ))
        .load(conn)?;
    let notes: Vec<(i64, Option<String>)> = rectification_events::table
        .filter(rectification_events::rectification_id.eq_any(ids))
        .filter(rectification_events::note.is_not_null())
        .order(rectification_events::id)
        .select((rectification_events::rectification_id, rectification_events::note))
        .load(conn)?;
    // In event order: the last note written on an item wins.
    let last: std::collections::HashMap<i64, String> =
        notes.into_iter().filter_map(|(id, note)| note.map(|n| (id, n))).collect();
    Ok(rows
        .into_iter()
        .map(|(id, task_number, unit_name, review_as_of)| {
            let last_note = last.get(&id).cloned();
            (id, RectificationContext { task_number, unit_name, review_as_of, last_note })
        })
        .collect())
}
