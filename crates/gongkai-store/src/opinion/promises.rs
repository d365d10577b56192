//! Moving a promise (kept, kept late, broken), with its evidence; and the promises a
//! look-back must take up.

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use gongkai_core::events::EventType;
use gongkai_core::opinion::{PromiseMoveError, PromiseStatus, promise_move, unkept, verify_check};
use serde_json::json;

use super::cases::{list_all, load};
use super::record::{CaseFilter, OpinionCase, OpinionPromise};
use super::responses::{evidence_title, web_url};
use crate::events::{self, NewEvent};
use crate::evidence::{self, NewEvidence};
use crate::schema::{opinion_cases as oc, opinion_promise_moves as opm, opinion_promises as op};
use crate::{Actor, StoreError, audit};

/// A move to record.
#[derive(Debug, Clone)]
pub struct Move {
    pub to: PromiseStatus,
    /// The day it was kept, or found broken.
    pub on: NaiveDate,
    /// A URL or a file reference (文号, 档案号) proving it.
    pub evidence_ref: String,
    /// Whether the fulfilment (or the failure) was made public.
    pub published: bool,
    pub note: Option<String>,
}

/// Moves promise `promise_id` of case `case_id`. An illegal move is 409
/// `illegal_transition`; a date that contradicts the target 422. A kept promise
/// becomes an evidence record on the case's task, in the same transaction.
pub fn move_promise(
    conn: &mut PgConnection,
    actor: &Actor,
    case_id: i64,
    promise_id: i64,
    m: &Move,
) -> Result<OpinionCase, StoreError> {
    conn.transaction(|conn| {
        let (case, before) = locked_case_and_promise(conn, case_id, promise_id)?;
        promise_move(before.status, m.to, before.due_on, m.on).map_err(|e| match e {
            PromiseMoveError::Illegal(..) => {
                StoreError::conflict("illegal_transition", e.to_string())
            }
            PromiseMoveError::Date(msg) => StoreError::invalid("on", msg),
        })?;
        if m.on < case.received_on {
            return Err(StoreError::invalid(
                "on",
                "the move cannot be before the case was received",
            ));
        }
        let evidence_id = if m.to.is_kept() {
            let record = evidence::create(
                conn,
                actor,
                &NewEvidence {
                    task_id: case.task_id,
                    unit_id: before.unit_id,
                    quota_id: None,
                    occurred_on: m.on,
                    title: evidence_title("舆情回应承诺兑现：", &before.text),
                    url: web_url(Some(&m.evidence_ref)),
                    count: 1,
                    value: None,
                    completes: false,
                    event_on: None,
                },
            )?;
            Some(record.id)
        } else {
            before.evidence_id
        };
        diesel::update(op::table.find(promise_id))
            .set((
                op::status.eq(m.to.as_str()),
                op::settled_on.eq(m.on),
                op::evidence_ref.eq(&m.evidence_ref),
                op::fulfilment_published.eq(m.published),
                op::evidence_id.eq(evidence_id),
                op::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)?;
        diesel::insert_into(opm::table)
            .values((
                opm::promise_id.eq(promise_id),
                opm::status_from.eq(before.status.as_str()),
                opm::status_to.eq(m.to.as_str()),
                opm::occurred_on.eq(m.on),
                opm::evidence_ref.eq(&m.evidence_ref),
                opm::published.eq(m.published),
                opm::note.eq(m.note.as_deref()),
                opm::actor_sub.eq(&actor.sub),
                opm::actor_role.eq(actor.role.as_str()),
            ))
            .execute(conn)?;
        let data = json!({
            "case_id": case_id,
            "status_from": before.status.as_str(),
            "status": m.to.as_str(),
            "evidence_id": evidence_id,
        });
        finish_promise_write(
            conn,
            actor,
            &case,
            &before,
            "opinion_promise.move",
            EventType::OpinionPromiseMoved,
            data,
        )
    })
}

/// Verifies kept promise `promise_id` of case `case_id` on `on` (the coordinator's
/// check of the unit's evidence). Only a kept or kept-late promise not yet verified:
/// 409 `illegal_transition` otherwise. Audited, with its event, in one transaction.
pub fn verify(
    conn: &mut PgConnection,
    actor: &Actor,
    case_id: i64,
    promise_id: i64,
    on: NaiveDate,
) -> Result<OpinionCase, StoreError> {
    conn.transaction(|conn| {
        let (case, before) = locked_case_and_promise(conn, case_id, promise_id)?;
        verify_check(before.status, before.verified_on.is_some())
            .map_err(|msg| StoreError::conflict("illegal_transition", msg))?;
        diesel::update(op::table.find(promise_id))
            .set((
                op::verified_on.eq(on),
                op::verified_by.eq(&actor.sub),
                op::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)?;
        let data = json!({
            "case_id": case_id,
            "status": before.status.as_str(),
            "verified_on": on,
        });
        finish_promise_write(
            conn,
            actor,
            &case,
            &before,
            "opinion_promise.verify",
            EventType::OpinionPromiseVerified,
            data,
        )
    })
}

/// Case `case_id` read for update, with its promise `promise_id` (404 when the case has
/// no such promise).
fn locked_case_and_promise(
    conn: &mut PgConnection,
    case_id: i64,
    promise_id: i64,
) -> Result<(OpinionCase, OpinionPromise), StoreError> {
    let case = load(conn, case_id, true)?;
    let promise = case.promises.iter().find(|p| p.id == promise_id).cloned().ok_or_else(|| {
        StoreError::NotFound(format!("promise {promise_id} of opinion case {case_id}"))
    })?;
    Ok((case, promise))
}

/// What every write to promise `before` of `case` ends with, once the promise's row is
/// written: the case's `updated_at` touched, the case read back, the write audited as
/// `action` (the promise before and after) and announced as `event` with `data`, on the
/// case's task and the promise's unit. Answers the case as read back.
fn finish_promise_write(
    conn: &mut PgConnection,
    actor: &Actor,
    case: &OpinionCase,
    before: &OpinionPromise,
    action: &str,
    event: EventType,
    data: serde_json::Value,
) -> Result<OpinionCase, StoreError> {
    let (case_id, promise_id) = (case.id, before.id);
    diesel::update(oc::table.find(case_id))
        .set(oc::updated_at.eq(diesel::dsl::now))
        .execute(conn)?;
    let after_case = load(conn, case_id, false)?;
    let after = after_case.promises.iter().find(|p| p.id == promise_id).cloned();
    audit::record(
        conn,
        actor,
        action,
        "opinion_promise",
        promise_id,
        Some(promise_json(before)),
        after.as_ref().map(promise_json),
    )?;
    let event =
        NewEvent::new(event, format!("/api/v1/opinion-cases/{case_id}"), Some(promise_id), data)
            .task(case.task_id)
            .unit(before.unit_id);
    events::emit(conn, event)?;
    Ok(after_case)
}

fn promise_json(p: &OpinionPromise) -> serde_json::Value {
    json!({
        "case_id": p.case_id,
        "unit_id": p.unit_id,
        "due_on": p.due_on,
        "status": p.status.as_str(),
        "settled_on": p.settled_on,
        "evidence_ref": p.evidence_ref,
        "fulfilment_published": p.fulfilment_published,
        "evidence_id": p.evidence_id,
        "verified_on": p.verified_on,
        "verified_by": p.verified_by,
    })
}

/// A promise a look-back takes up, with the case it belongs to.
#[derive(Debug, Clone)]
pub struct UnkeptPromise {
    pub case_id: i64,
    pub task_id: i64,
    pub task_number: i32,
    pub promise: OpinionPromise,
}

/// The promises of cases serving tasks of plan `plan_id` that fall due in `year` and
/// are unkept as of `as_of`: broken, or pending past their due date.
pub fn unkept_for_plan(
    conn: &mut PgConnection,
    plan_id: i64,
    year: i32,
    as_of: NaiveDate,
) -> Result<Vec<UnkeptPromise>, StoreError> {
    let filter = CaseFilter { plan_id: Some(plan_id), ..CaseFilter::default() };
    let mut out = Vec::new();
    for case in list_all(conn, &filter, None)? {
        for p in &case.promises {
            // A move recorded after `as_of` is not known on that day.
            let status = match p.settled_on {
                Some(on) if on > as_of => PromiseStatus::Pending,
                _ => p.status,
            };
            if p.due_on.year() == year && p.due_on <= as_of && unkept(status, p.due_on, as_of) {
                out.push(UnkeptPromise {
                    case_id: case.id,
                    task_id: case.task_id,
                    task_number: case.task_number,
                    promise: p.clone(),
                });
            }
        }
    }
    Ok(out)
}
