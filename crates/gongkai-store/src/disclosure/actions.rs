//! Handling steps: a step is decided by the domain's state machine on the locked
//! application, then stored with the application's new state and an audit event, all
//! in one transaction. The audit event keeps the step's name and date and, when the
//! step has them, the good reason a late correction was accepted for and the day a
//! consultation letter or fee notice was received.

use chrono::NaiveDate;
use diesel::prelude::*;
use gongkai_core::disclosure::{Action, ClockSettings, Context, RuleError};
use gongkai_core::fees::FeeMethod;
use serde_json::json;

use super::record::{DisclosureRequest, fee_method_str};
use super::requests::{load, prior_items_this_month, request_event};
use crate::events;
use crate::schema::{disclosure_request_events as dre, disclosure_requests as dr};
use crate::{Actor, StoreError, audit, calendar};
use gongkai_core::events::EventType;

impl From<RuleError> for StoreError {
    fn from(e: RuleError) -> Self {
        match e {
            RuleError::Invalid(fields) => StoreError::Invalid(fields),
            RuleError::Conflict { code, message } => StoreError::Conflict { code, message },
        }
    }
}

/// Takes a step on application `id` dated as of `today`, counting with `settings`.
/// Refusals: 422 for a wrong field, 409 for a step that does not fit the status or a
/// statutory period. Returns the application as it now stands.
pub fn act(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    action: Action,
    today: NaiveDate,
    settings: ClockSettings,
) -> Result<DisclosureRequest, StoreError> {
    conn.transaction(|conn| {
        let before = load(conn, id, true)?;
        let calendar = calendar::work_calendar(conn)?;
        let prior = match action {
            Action::NotifyFee { method: FeeMethod::PerItem, .. } => {
                prior_items_this_month(conn, id)?
            }
            _ => 0,
        };
        let mut case = before.case();
        let ctx = Context { today, calendar: &calendar, settings, prior_items_this_month: prior };
        let event = case.decide(action, &ctx)?;
        let details = serde_json::to_value(&event)
            .map_err(|e| StoreError::Internal(format!("cannot serialize the step: {e}")))?;
        diesel::insert_into(dre::table)
            .values((
                dre::request_id.eq(id),
                dre::action.eq(event.name()),
                dre::occurred_on.eq(event.on()),
                dre::details.eq(&details),
                dre::recorded_by.eq(&actor.sub),
            ))
            .execute(conn)?;
        case.push(event.clone());
        let conclusion = case.conclusion();
        let fee = case.fee_notice().map(|(_, n)| n.clone());
        diesel::update(dr::table.find(id))
            .set((
                dr::status.eq(case.status().as_str()),
                dr::clock_start_on.eq(case.clock_start()),
                dr::reply_type.eq(case.reply_type().map(|r| r.as_str())),
                dr::outcome.eq(conclusion.map(|(_, o)| o.as_str())),
                dr::concluded_on.eq(conclusion.map(|(d, _)| d)),
                dr::fee_method.eq(fee.as_ref().map(|f| fee_method_str(f.method))),
                dr::fee_yuan.eq(fee
                    .as_ref()
                    .map(|f| i64::try_from(f.quote.total_yuan).unwrap_or(i64::MAX))),
                dr::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)?;
        let after = load(conn, id, false)?;
        let mut after_json = after.audit_json();
        if let Some(obj) = after_json.as_object_mut() {
            obj.insert("step".into(), json!(event.name()));
            obj.insert("on".into(), json!(event.on()));
            // The handler's own words and dates that move a statutory period: the
            // reason a late correction was let in, and when a letter or notice arrived.
            for field in ["good_reason", "received_on"] {
                if let Some(value) = details.get(field) {
                    obj.insert(field.into(), value.clone());
                }
            }
        }
        audit::record(
            conn,
            actor,
            &format!("disclosure_request.{}", event.name()),
            "disclosure_request",
            id,
            Some(before.audit_json()),
            Some(after_json),
        )?;
        let data = json!({"step": event.name(), "on": event.on()});
        events::emit(conn, request_event(EventType::DisclosureRequestActed, &after, data))?;
        Ok(after)
    })
}
