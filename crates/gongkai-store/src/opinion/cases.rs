//! Registering, reading, listing and closing cases.

use chrono::NaiveDate;
use diesel::prelude::*;
use gongkai_core::events::EventType;
use gongkai_core::opinion::{CaseStatus, PromiseStatus};
use serde_json::{Value, json};

use super::record::{CaseChanges, CaseFilter, CaseRow, NewCase, OpinionCase, Writer, assemble};
use crate::disclosure::secrets::Sealer;
use crate::events::{self, NewEvent};
use crate::schema::{opinion_case_units as ocu, opinion_cases as oc, opinion_promises as op};
use crate::schema::{tasks, units};
use crate::{Actor, Page, PageRequest, StoreError, audit};

/// Stores a checked case, audited, with its event. The writer's details are sealed.
pub fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    sealer: &Sealer,
    new: &NewCase,
) -> Result<OpinionCase, StoreError> {
    let sealed = match &new.writer {
        Some(w) => {
            let plain = serde_json::to_string(w)
                .map_err(|e| StoreError::Internal(format!("cannot encode the writer: {e}")))?;
            Some(sealer.seal(&plain)?)
        }
        None => None,
    };
    conn.transaction(|conn| {
        let task: Option<i64> =
            tasks::table.find(new.task_id).select(tasks::id).first(conn).optional()?;
        if task.is_none() {
            return Err(StoreError::invalid(
                "task_id",
                format!("task {} does not exist", new.task_id),
            ));
        }
        units_exist(conn, new.lead_unit_id, &new.co_unit_ids)?;
        let id: i64 = diesel::insert_into(oc::table)
            .values((
                oc::source.eq(new.source.as_str()),
                oc::topic.eq(new.topic.as_str()),
                oc::received_on.eq(new.received_on),
                oc::summary.eq(&new.summary),
                oc::task_id.eq(new.task_id),
                oc::lead_unit_id.eq(new.lead_unit_id),
                oc::response_workdays.eq(i32::try_from(new.response_workdays).unwrap_or(0)),
                oc::writer_cipher.eq(sealed.as_deref()),
                oc::created_by.eq(&actor.sub),
            ))
            .returning(oc::id)
            .get_result(conn)?;
        insert_co_units(conn, id, &new.co_unit_ids)?;
        let created = load(conn, id, false)?;
        audit::record(
            conn,
            actor,
            "opinion_case.create",
            "opinion_case",
            id,
            None,
            Some(created.audit_json()),
        )?;
        events::emit(conn, case_event(EventType::OpinionCaseRegistered, &created, json!({})))?;
        Ok(created)
    })
}

/// Refuses (422) a lead unit or co-unit that does not exist.
/// Adds case `case_id`'s co-units in order, after the lead (positions 1, 2, …).
fn insert_co_units(conn: &mut PgConnection, case_id: i64, co: &[i64]) -> Result<(), StoreError> {
    for (i, u) in co.iter().enumerate() {
        diesel::insert_into(ocu::table)
            .values((
                ocu::case_id.eq(case_id),
                ocu::unit_id.eq(u),
                ocu::position.eq(i32::try_from(i + 1).unwrap_or(i32::MAX)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn units_exist(conn: &mut PgConnection, lead: i64, co: &[i64]) -> Result<(), StoreError> {
    let mut all = vec![lead];
    all.extend(co);
    let found: i64 = units::table.filter(units::id.eq_any(&all)).count().get_result(conn)?;
    if usize::try_from(found).unwrap_or(0) != all.len() {
        let field = if co.is_empty() { "lead_unit_id" } else { "co_unit_ids" };
        return Err(StoreError::invalid(field, "a unit named does not exist"));
    }
    Ok(())
}

/// Reassigns a case (the coordinator's): its lead unit, co-units, summary or topic. A
/// closed case is 409 `illegal_transition`. `check` sees the case as it stands (locked,
/// the writer's details opened with `sealer`) and refuses a stale If-Match. Audited
/// before and after, with its event, in one transaction.
pub fn assign(
    conn: &mut PgConnection,
    actor: &Actor,
    sealer: &Sealer,
    id: i64,
    changes: &CaseChanges,
    check: impl FnOnce(&OpinionCase) -> Result<(), StoreError>,
) -> Result<OpinionCase, StoreError> {
    conn.transaction(|conn| {
        let mut before = load(conn, id, true)?;
        open_writer(conn, sealer, &mut before)?;
        check(&before)?;
        if before.status == CaseStatus::Closed {
            return Err(StoreError::conflict(
                "illegal_transition",
                "a closed case cannot be reassigned",
            ));
        }
        let lead = changes.lead_unit_id.unwrap_or(before.lead_unit_id);
        let co: Vec<i64> = match &changes.co_unit_ids {
            Some(co) => co.clone(),
            None => before.co_units.iter().map(|(u, _)| *u).filter(|u| *u != lead).collect(),
        };
        if co.contains(&lead) {
            return Err(StoreError::invalid(
                "co_unit_ids",
                format!("unit {lead} is the lead unit and cannot be a co-unit too"),
            ));
        }
        units_exist(conn, lead, &co)?;
        diesel::update(oc::table.find(id))
            .set((
                oc::lead_unit_id.eq(lead),
                oc::summary.eq(changes.summary.as_deref().unwrap_or(&before.summary)),
                oc::topic.eq(changes.topic.unwrap_or(before.topic).as_str()),
                oc::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)?;
        diesel::delete(ocu::table.filter(ocu::case_id.eq(id))).execute(conn)?;
        insert_co_units(conn, id, &co)?;
        let mut after = load(conn, id, false)?;
        audit::record(
            conn,
            actor,
            "opinion_case.assign",
            "opinion_case",
            id,
            Some(before.audit_json()),
            Some(after.audit_json()),
        )?;
        let extra = json!({
            "lead_unit_id_from": before.lead_unit_id,
            "lead_unit_id": after.lead_unit_id,
            "co_unit_ids": co,
        });
        events::emit(conn, case_event(EventType::OpinionCaseAssigned, &after, extra))?;
        after.writer = before.writer;
        Ok(after)
    })
}

/// An event about a case: ids and statuses, never the writer.
pub(crate) fn case_event(kind: EventType, c: &OpinionCase, extra: Value) -> NewEvent {
    let mut data = json!({
        "status": c.status.as_str(),
        "source": c.source.as_str(),
        "topic": c.topic.as_str(),
        "task_id": c.task_id,
    });
    if let (Some(obj), Value::Object(more)) = (data.as_object_mut(), extra) {
        obj.extend(more);
    }
    NewEvent::new(kind, format!("/api/v1/opinion-cases/{}", c.id), Some(c.id), data)
        .task(c.task_id)
        .unit(c.lead_unit_id)
}

/// Loads one case; `lock` takes a row lock for the transaction.
pub(crate) fn load(
    conn: &mut PgConnection,
    id: i64,
    lock: bool,
) -> Result<OpinionCase, StoreError> {
    let q = oc::table.find(id).select(CaseRow::as_select());
    let row =
        if lock { q.for_update().first(conn).optional()? } else { q.first(conn).optional()? };
    let row = row.ok_or_else(|| StoreError::NotFound(format!("opinion case {id}")))?;
    assemble(conn, vec![row])?
        .pop()
        .ok_or_else(|| StoreError::NotFound(format!("opinion case {id}")))
}

/// One case without the writer's details (answers to writes, authorization).
pub fn get(conn: &mut PgConnection, id: i64) -> Result<OpinionCase, StoreError> {
    load(conn, id, false)
}

/// Reads one case for a caller, audited. With `full`, the writer's details are opened.
pub fn read(
    conn: &mut PgConnection,
    actor: &Actor,
    sealer: &Sealer,
    id: i64,
    full: bool,
) -> Result<OpinionCase, StoreError> {
    conn.transaction(|conn| {
        let mut case = load(conn, id, false)?;
        if full {
            open_writer(conn, sealer, &mut case)?;
        }
        audit::record(
            conn,
            actor,
            "opinion_case.read",
            "opinion_case",
            id,
            None,
            Some(json!({ "view": if full { "full" } else { "redacted" } })),
        )?;
        Ok(case)
    })
}

/// Opens the writer's details of `case` into it.
fn open_writer(
    conn: &mut PgConnection,
    sealer: &Sealer,
    case: &mut OpinionCase,
) -> Result<(), StoreError> {
    let sealed: Option<Vec<u8>> = oc::table.find(case.id).select(oc::writer_cipher).first(conn)?;
    if let Some(s) = sealed {
        let plain = sealer.open(&s)?;
        let writer: Writer = serde_json::from_str(&plain)
            .map_err(|e| StoreError::Internal(format!("a stored writer cannot be read: {e}")))?;
        case.writer = Some(writer);
    }
    Ok(())
}

fn filtered<'a>(filter: &'a CaseFilter) -> oc::BoxedQuery<'a, diesel::pg::Pg> {
    let mut q = oc::table.into_boxed();
    if let Some(units) = &filter.units {
        let co = ocu::table.filter(ocu::unit_id.eq_any(units)).select(ocu::case_id);
        let promised = op::table.filter(op::unit_id.eq_any(units)).select(op::case_id);
        q = q.filter(
            oc::lead_unit_id.eq_any(units).or(oc::id.eq_any(co)).or(oc::id.eq_any(promised)),
        );
    }
    if let Some(s) = filter.source {
        q = q.filter(oc::source.eq(s.as_str()));
    }
    if let Some(t) = filter.topic {
        q = q.filter(oc::topic.eq(t.as_str()));
    }
    if let Some(s) = filter.status {
        q = q.filter(oc::status.eq(s.as_str()));
    }
    if let Some(from) = filter.received_from {
        q = q.filter(oc::received_on.ge(from));
    }
    if let Some(to) = filter.received_to {
        q = q.filter(oc::received_on.le(to));
    }
    if let Some(plan) = filter.plan_id {
        q = q.filter(
            oc::task_id.eq_any(tasks::table.filter(tasks::plan_id.eq(plan)).select(tasks::id)),
        );
    }
    if filter.open_only {
        q = q.filter(oc::status.ne(CaseStatus::Closed.as_str()));
    }
    q
}

/// A page of cases in id order (reading changes: oldest change first).
pub fn list(
    conn: &mut PgConnection,
    filter: &CaseFilter,
    page: PageRequest,
) -> Result<Page<OpinionCase>, StoreError> {
    let q =
        crate::changes_or_keyset!(filtered(filter), filter.changes, page, oc::updated_at, oc::id);
    let rows: Vec<CaseRow> = q.select(CaseRow::as_select()).limit(page.limit + 1).load(conn)?;
    let page = Page::from_rows(rows, page.limit, |r| r.id);
    let next_after = page.next_after;
    Ok(Page { items: assemble(conn, page.items)?, next_after })
}

/// Every case matching `filter` after id `after`, in id order (reading changes: in the
/// order they changed): for lists that select by the clock, and for the ledger.
pub fn list_all(
    conn: &mut PgConnection,
    filter: &CaseFilter,
    after: Option<i64>,
) -> Result<Vec<OpinionCase>, StoreError> {
    let page = PageRequest { after, limit: 0 };
    let q =
        crate::changes_or_keyset!(filtered(filter), filter.changes, page, oc::updated_at, oc::id);
    let rows: Vec<CaseRow> = q.select(CaseRow::as_select()).load(conn)?;
    assemble(conn, rows)
}

/// Closes a case (the coordinator's decision): it must have been responded to, have no
/// pending promise and every kept promise verified (409 `illegal_transition` otherwise).
pub fn close(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    on: NaiveDate,
) -> Result<OpinionCase, StoreError> {
    conn.transaction(|conn| {
        let before = load(conn, id, true)?;
        if before.status != CaseStatus::Responded {
            return Err(StoreError::conflict(
                "illegal_transition",
                format!("a case that is {} cannot be closed", before.status.as_str()),
            ));
        }
        if before.promises.iter().any(|p| p.status == PromiseStatus::Pending) {
            return Err(StoreError::conflict(
                "illegal_transition",
                "a case with a pending promise cannot be closed",
            ));
        }
        if let Some(p) = before.promises.iter().find(|p| p.status.is_kept() && p.verified_on.is_none())
        {
            return Err(StoreError::conflict(
                "illegal_transition",
                format!(
                    "promise {} is {} but not verified: verify it (POST /api/v1/opinion-cases/{id}/promises/{}/verify) before closing",
                    p.id,
                    p.status.as_str(),
                    p.id
                ),
            ));
        }
        if before.first_response_on.is_some_and(|f| on < f) {
            return Err(StoreError::invalid(
                "closed_on",
                "a case cannot close before its first response",
            ));
        }
        diesel::update(oc::table.find(id))
            .set((
                oc::status.eq(CaseStatus::Closed.as_str()),
                oc::closed_on.eq(on),
                oc::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)?;
        let after = load(conn, id, false)?;
        audit::record(
            conn,
            actor,
            "opinion_case.close",
            "opinion_case",
            id,
            Some(before.audit_json()),
            Some(after.audit_json()),
        )?;
        events::emit(conn, case_event(EventType::OpinionCaseClosed, &after, json!({})))?;
        Ok(after)
    })
}
