//! A case as stored, with its units, responses and promises, and the conversions from
//! rows.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use gongkai_core::opinion::{CaseStatus, PromiseStatus, ResponseChannel, Source, Topic};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::StoreError;
use crate::schema::{
    opinion_case_units as ocu, opinion_cases as oc, opinion_promise_moves as opm,
    opinion_promises as op, opinion_responses as ors, tasks, units,
};

/// The person who wrote in: sealed at rest, shown only by a full read of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Writer {
    pub name: Option<String>,
    /// Telephone, e-mail, address or account, as given.
    pub contact: Option<String>,
}

/// A case to register (checked by the caller).
#[derive(Debug, Clone)]
pub struct NewCase {
    pub source: Source,
    pub topic: Topic,
    pub received_on: NaiveDate,
    pub summary: String,
    pub task_id: i64,
    pub lead_unit_id: i64,
    pub co_unit_ids: Vec<i64>,
    pub response_workdays: u32,
    pub writer: Option<Writer>,
}

/// A reassignment of a case: what is given changes (checked by the caller).
#[derive(Debug, Clone, Default)]
pub struct CaseChanges {
    pub lead_unit_id: Option<i64>,
    pub co_unit_ids: Option<Vec<i64>>,
    pub summary: Option<String>,
    pub topic: Option<Topic>,
}

/// A promise made by a response.
#[derive(Debug, Clone)]
pub struct NewPromise {
    pub text: String,
    pub unit_id: i64,
    pub due_on: NaiveDate,
}

/// A response to record.
#[derive(Debug, Clone)]
pub struct NewResponse {
    /// The unit that responded (the lead or a co-unit).
    pub unit_id: i64,
    pub responded_on: NaiveDate,
    pub channel: ResponseChannel,
    pub text: Option<String>,
    pub url: Option<String>,
    pub published: bool,
    pub promises: Vec<NewPromise>,
}

/// A recorded response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpinionResponse {
    pub id: i64,
    pub unit_id: i64,
    pub responded_on: NaiveDate,
    pub channel: ResponseChannel,
    pub text: Option<String>,
    pub url: Option<String>,
    pub published: bool,
    /// The evidence record it made on the case's task.
    pub evidence_id: Option<i64>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// One move of a promise.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = opm)]
pub struct PromiseMove {
    pub id: i64,
    pub promise_id: i64,
    pub status_from: String,
    pub status_to: String,
    pub occurred_on: NaiveDate,
    pub evidence_ref: String,
    pub published: bool,
    pub note: Option<String>,
    pub actor_sub: String,
    pub actor_role: String,
    pub created_at: DateTime<Utc>,
}

/// A promise with its moves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpinionPromise {
    pub id: i64,
    pub case_id: i64,
    pub response_id: i64,
    pub text: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub due_on: NaiveDate,
    pub status: PromiseStatus,
    pub settled_on: Option<NaiveDate>,
    pub evidence_ref: Option<String>,
    pub fulfilment_published: bool,
    pub evidence_id: Option<i64>,
    /// When a coordinator verified the kept promise, and who.
    pub verified_on: Option<NaiveDate>,
    pub verified_by: Option<String>,
    pub moves: Vec<PromiseMove>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A stored case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpinionCase {
    pub id: i64,
    pub source: Source,
    pub topic: Topic,
    pub received_on: NaiveDate,
    pub summary: String,
    pub task_id: i64,
    pub task_number: i32,
    pub plan_id: i64,
    pub lead_unit_id: i64,
    pub lead_unit_name: String,
    /// The co-responsible units (协办), in order.
    pub co_units: Vec<(i64, String)>,
    pub response_workdays: u32,
    pub writer_on_file: bool,
    /// Only filled by a full read.
    pub writer: Option<Writer>,
    pub status: CaseStatus,
    pub first_response_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub responses: Vec<OpinionResponse>,
    pub promises: Vec<OpinionPromise>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl OpinionCase {
    /// Every unit working on the case: the lead, then the co-units.
    pub fn unit_ids(&self) -> Vec<i64> {
        std::iter::once(self.lead_unit_id).chain(self.co_units.iter().map(|(id, _)| *id)).collect()
    }

    /// What the audit trail keeps: the handling state, never the writer's details.
    pub fn audit_json(&self) -> Value {
        json!({
            "source": self.source.as_str(),
            "topic": self.topic.as_str(),
            "received_on": self.received_on,
            "task_id": self.task_id,
            "lead_unit_id": self.lead_unit_id,
            "co_unit_ids": self.co_units.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
            "response_workdays": self.response_workdays,
            "writer_on_file": self.writer_on_file,
            "status": self.status.as_str(),
            "first_response_on": self.first_response_on,
            "closed_on": self.closed_on,
            "responses": self.responses.len(),
            "summary": self.summary,
            "promises": self.promises.iter().map(|p| json!({"id": p.id, "status": p.status.as_str(), "verified_on": p.verified_on})).collect::<Vec<_>>(),
        })
    }
}

/// Which cases to list.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Only cases one of these units works on (lead, co-unit or a promise's unit).
    pub units: Option<Vec<i64>>,
    pub source: Option<Source>,
    pub topic: Option<Topic>,
    pub status: Option<CaseStatus>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    /// Only cases serving tasks of this plan.
    pub plan_id: Option<i64>,
    /// Only cases not closed.
    pub open_only: bool,
    /// Only cases changed after an instant (registered, answered, a promise moved,
    /// closed), oldest change first.
    pub changes: Option<crate::Changes>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = oc)]
pub(crate) struct CaseRow {
    pub id: i64,
    pub source: String,
    pub topic: String,
    pub received_on: NaiveDate,
    pub summary: String,
    pub task_id: i64,
    pub lead_unit_id: i64,
    pub response_workdays: i32,
    pub writer_cipher: Option<Vec<u8>>,
    pub status: String,
    pub first_response_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = ors)]
struct ResponseRow {
    id: i64,
    case_id: i64,
    unit_id: i64,
    responded_on: NaiveDate,
    channel: String,
    text: Option<String>,
    url: Option<String>,
    published: bool,
    evidence_id: Option<i64>,
    recorded_by: String,
    recorded_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = op)]
struct PromiseRow {
    id: i64,
    case_id: i64,
    response_id: i64,
    text: String,
    unit_id: i64,
    due_on: NaiveDate,
    status: String,
    settled_on: Option<NaiveDate>,
    evidence_ref: Option<String>,
    fulfilment_published: bool,
    evidence_id: Option<i64>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    verified_on: Option<NaiveDate>,
    verified_by: Option<String>,
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Internal(format!("stored {what} `{value}` is not one the code knows"))
}

/// Turns rows into cases, loading units, tasks, responses, promises and moves.
pub(crate) fn assemble(
    conn: &mut PgConnection,
    rows: Vec<CaseRow>,
) -> Result<Vec<OpinionCase>, StoreError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let co: Vec<(i64, i64)> = ocu::table
        .filter(ocu::case_id.eq_any(&ids))
        .order((ocu::case_id, ocu::position))
        .select((ocu::case_id, ocu::unit_id))
        .load(conn)?;
    let responses: Vec<ResponseRow> = ors::table
        .filter(ors::case_id.eq_any(&ids))
        .order(ors::id)
        .select(ResponseRow::as_select())
        .load(conn)?;
    let promises: Vec<PromiseRow> = op::table
        .filter(op::case_id.eq_any(&ids))
        .order(op::id)
        .select(PromiseRow::as_select())
        .load(conn)?;
    let promise_ids: Vec<i64> = promises.iter().map(|p| p.id).collect();
    let moves: Vec<PromiseMove> = opm::table
        .filter(opm::promise_id.eq_any(&promise_ids))
        .order(opm::id)
        .select(PromiseMove::as_select())
        .load(conn)?;
    let mut unit_ids: Vec<i64> = rows.iter().map(|r| r.lead_unit_id).collect();
    unit_ids.extend(co.iter().map(|(_, u)| *u));
    unit_ids.extend(promises.iter().map(|p| p.unit_id));
    unit_ids.sort_unstable();
    unit_ids.dedup();
    let names: BTreeMap<i64, String> = units::table
        .filter(units::id.eq_any(&unit_ids))
        .select((units::id, units::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let task_ids: Vec<i64> = rows.iter().map(|r| r.task_id).collect();
    let task_info: BTreeMap<i64, (i32, i64)> = tasks::table
        .filter(tasks::id.eq_any(&task_ids))
        .select((tasks::id, tasks::number, tasks::plan_id))
        .load::<(i64, i32, i64)>(conn)?
        .into_iter()
        .map(|(id, n, p)| (id, (n, p)))
        .collect();
    let name = |id: i64| names.get(&id).cloned().unwrap_or_default();
    let mut moves_of: BTreeMap<i64, Vec<PromiseMove>> = BTreeMap::new();
    for m in moves {
        moves_of.entry(m.promise_id).or_default().push(m);
    }
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let (task_number, plan_id) = task_info.get(&r.task_id).copied().unwrap_or((0, 0));
        let resp = responses
            .iter()
            .filter(|x| x.case_id == r.id)
            .map(|x| {
                Ok(OpinionResponse {
                    id: x.id,
                    unit_id: x.unit_id,
                    responded_on: x.responded_on,
                    channel: ResponseChannel::parse(&x.channel)
                        .ok_or_else(|| corrupt("response channel", &x.channel))?,
                    text: x.text.clone(),
                    url: x.url.clone(),
                    published: x.published,
                    evidence_id: x.evidence_id,
                    recorded_by: x.recorded_by.clone(),
                    recorded_at: x.recorded_at,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let proms = promises
            .iter()
            .filter(|p| p.case_id == r.id)
            .map(|p| {
                Ok(OpinionPromise {
                    id: p.id,
                    case_id: p.case_id,
                    response_id: p.response_id,
                    text: p.text.clone(),
                    unit_id: p.unit_id,
                    unit_name: name(p.unit_id),
                    due_on: p.due_on,
                    status: PromiseStatus::parse(&p.status)
                        .ok_or_else(|| corrupt("promise status", &p.status))?,
                    settled_on: p.settled_on,
                    evidence_ref: p.evidence_ref.clone(),
                    fulfilment_published: p.fulfilment_published,
                    evidence_id: p.evidence_id,
                    verified_on: p.verified_on,
                    verified_by: p.verified_by.clone(),
                    moves: moves_of.remove(&p.id).unwrap_or_default(),
                    created_at: p.created_at,
                    updated_at: p.updated_at,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        out.push(OpinionCase {
            id: r.id,
            source: Source::parse(&r.source).ok_or_else(|| corrupt("source", &r.source))?,
            topic: Topic::parse(&r.topic).ok_or_else(|| corrupt("topic", &r.topic))?,
            received_on: r.received_on,
            summary: r.summary,
            task_id: r.task_id,
            task_number,
            plan_id,
            lead_unit_id: r.lead_unit_id,
            lead_unit_name: name(r.lead_unit_id),
            co_units: co.iter().filter(|(c, _)| *c == r.id).map(|(_, u)| (*u, name(*u))).collect(),
            response_workdays: u32::try_from(r.response_workdays).unwrap_or(0),
            writer_on_file: r.writer_cipher.is_some(),
            writer: None,
            status: CaseStatus::parse(&r.status).ok_or_else(|| corrupt("status", &r.status))?,
            first_response_on: r.first_response_on,
            closed_on: r.closed_on,
            responses: resp,
            promises: proms,
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
        });
    }
    Ok(out)
}
