//! Recording a response, the promises it makes, and its evidence on the plan task.

use diesel::prelude::*;
use gongkai_core::events::EventType;
use gongkai_core::opinion::CaseStatus;
use serde_json::json;

use super::cases::{case_event, load};
use super::record::{NewResponse, OpinionCase};
use crate::evidence::{self, NewEvidence};
use crate::schema::{opinion_cases as oc, opinion_promises as op, opinion_responses as ors, units};
use crate::{Actor, StoreError, audit};

/// The title of an evidence record: a prefix and the start of a text, within the
/// evidence title's length.
pub(crate) fn evidence_title(prefix: &str, text: &str) -> String {
    let room = evidence::MAX_TITLE_CHARS.saturating_sub(prefix.chars().count() + 1);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut short: String = one_line.chars().take(room).collect();
    if one_line.chars().count() > room {
        short.pop();
        short.push('…');
    }
    format!("{prefix}{short}")
}

/// A URL that can go into an evidence record's `url` (a file reference cannot).
pub(crate) fn web_url(s: Option<&str>) -> Option<String> {
    s.filter(|u| u.starts_with("https://") || u.starts_with("http://")).map(str::to_string)
}

/// Records a response to case `case_id` with its promises, in one transaction: the
/// response, an evidence record on the case's task (occurred on the response date, the
/// event of a within-N-working-days duty being the day of receipt), the promises, the
/// case's new status, the audit record and the `opinion_case.responded` event. A closed
/// case takes no response (409).
pub fn respond(
    conn: &mut PgConnection,
    actor: &Actor,
    case_id: i64,
    new: &NewResponse,
) -> Result<OpinionCase, StoreError> {
    conn.transaction(|conn| {
        let before = load(conn, case_id, true)?;
        if before.status == CaseStatus::Closed {
            return Err(StoreError::conflict(
                "illegal_transition",
                "a closed case takes no response",
            ));
        }
        if new.responded_on < before.received_on {
            return Err(StoreError::invalid(
                "responded_on",
                format!(
                    "the response cannot be before the case was received ({})",
                    before.received_on
                ),
            ));
        }
        for (i, p) in new.promises.iter().enumerate() {
            let exists: bool = diesel::select(diesel::dsl::exists(units::table.find(p.unit_id)))
                .get_result(conn)?;
            if !exists {
                return Err(StoreError::invalid(
                    format!("promises[{i}].unit_id"),
                    format!("unit {} does not exist", p.unit_id),
                ));
            }
            if p.due_on < new.responded_on {
                return Err(StoreError::invalid(
                    format!("promises[{i}].due_on"),
                    "a promise cannot fall due before the response that makes it",
                ));
            }
        }
        let record = evidence::create(
            conn,
            actor,
            &NewEvidence {
                task_id: before.task_id,
                unit_id: new.unit_id,
                quota_id: None,
                occurred_on: new.responded_on,
                title: evidence_title("舆情回应：", &before.summary),
                url: web_url(new.url.as_deref()),
                count: 1,
                value: None,
                completes: false,
                event_on: Some(before.received_on),
            },
        )?;
        let response_id: i64 = diesel::insert_into(ors::table)
            .values((
                ors::case_id.eq(case_id),
                ors::unit_id.eq(new.unit_id),
                ors::responded_on.eq(new.responded_on),
                ors::channel.eq(new.channel.as_str()),
                ors::text.eq(new.text.as_deref()),
                ors::url.eq(new.url.as_deref()),
                ors::published.eq(new.published),
                ors::evidence_id.eq(record.id),
                ors::recorded_by.eq(&actor.sub),
            ))
            .returning(ors::id)
            .get_result(conn)?;
        for p in &new.promises {
            diesel::insert_into(op::table)
                .values((
                    op::case_id.eq(case_id),
                    op::response_id.eq(response_id),
                    op::text.eq(&p.text),
                    op::unit_id.eq(p.unit_id),
                    op::due_on.eq(p.due_on),
                ))
                .execute(conn)?;
        }
        let first = before.first_response_on.map_or(new.responded_on, |f| f.min(new.responded_on));
        diesel::update(oc::table.find(case_id))
            .set((
                oc::status.eq(CaseStatus::Responded.as_str()),
                oc::first_response_on.eq(first),
                oc::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)?;
        let after = load(conn, case_id, false)?;
        audit::record(
            conn,
            actor,
            "opinion_case.respond",
            "opinion_case",
            case_id,
            Some(before.audit_json()),
            Some(after.audit_json()),
        )?;
        let extra = json!({
            "response_id": response_id,
            "evidence_id": record.id,
            "promises": new.promises.len(),
        });
        crate::events::emit(conn, case_event(EventType::OpinionCaseResponded, &after, extra))?;
        Ok(after)
    })
}
