//! The JSON shapes of the opinion ledger: registering a case, a response with its
//! promises, a promise's move, the case as read and as listed, and the ledger.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::calendar::WorkCalendar;
use gongkai_core::opinion::clock::response_standing;
use gongkai_core::opinion::{
    CaseStatus, GroupBy, LedgerRow, PromiseStatus, ResponseChannel, Source, Topic, response_due,
};
use gongkai_store::opinion::{OpinionCase, OpinionPromise, OpinionResponse, PromiseMove};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::list::list_type;

/// The person who wrote in. Stored encrypted; shown only when one case is read by one
/// of its units or a coordinator, never in lists, never to viewers.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WriterDto {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "李四")]
    pub name: Option<String>,
    /// Telephone, e-mail, address or account, as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "13800000000")]
    pub contact: Option<String>,
}

/// A case to register.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOpinionCase {
    pub source: Source,
    pub topic: Topic,
    /// When it was received; not in the future.
    #[schema(example = "2021-09-30")]
    pub received_on: NaiveDate,
    /// What the concern is.
    #[schema(example = "某小区业主反映开发商拖欠农民工工资")]
    pub summary: String,
    /// The plan task the case serves (27–30 in the Kaiping plan).
    pub task_id: i64,
    /// 牵头单位: the lead unit.
    pub lead_unit_id: i64,
    /// 协办单位: the co-responsible units.
    #[serde(default)]
    pub co_unit_ids: Vec<i64>,
    /// Where a person wrote in.
    #[serde(default)]
    pub writer: Option<WriterDto>,
}

/// A promise a response makes.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOpinionPromise {
    #[schema(example = "30日内督促企业结清欠薪")]
    pub text: String,
    /// The unit that answers for it.
    pub unit_id: i64,
    #[schema(example = "2021-11-30")]
    pub due_on: NaiveDate,
}

/// A response to record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOpinionResponse {
    /// Not in the future, not before the case was received.
    #[schema(example = "2021-10-12")]
    pub responded_on: NaiveDate,
    pub channel: ResponseChannel,
    /// The response's text; `text` or `url` (or both) is required.
    #[serde(default)]
    pub text: Option<String>,
    /// Where it was published.
    #[serde(default)]
    pub url: Option<String>,
    /// Whether the response was made public.
    pub published: bool,
    /// The responding unit (the lead or a co-unit); default: the token's unit, else the
    /// lead unit.
    #[serde(default)]
    pub unit_id: Option<i64>,
    /// 承诺: what the response promised.
    #[serde(default)]
    pub promises: Vec<CreateOpinionPromise>,
}

/// A promise's move.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePromiseTransition {
    /// `kept` (on or before the due date), `kept_late` (after it) or `broken`.
    pub to: PromiseStatus,
    /// The day it was kept, or found broken; not in the future.
    #[schema(example = "2021-11-20")]
    pub on: NaiveDate,
    /// A URL or a file reference (文号, 档案号) proving it.
    #[schema(example = "https://www.kaiping.gov.cn/hdjl/2021/1120.html")]
    pub evidence: String,
    /// 公开情况: whether the fulfilment was made public.
    pub published: bool,
    #[serde(default)]
    pub note: Option<String>,
}

/// A reassignment of a case: any of its fields; those left out keep their value.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOpinionCase {
    /// 牵头单位: the new lead unit. Without `co_unit_ids`, the co-units stay (less the
    /// new lead if it was one).
    #[serde(default)]
    pub lead_unit_id: Option<i64>,
    /// 协办单位: the co-responsible units, replacing the present ones (`[]`: none).
    #[serde(default)]
    pub co_unit_ids: Option<Vec<i64>>,
    #[serde(default)]
    #[schema(example = "某工地拖欠农民工工资（已核实为两处工地）")]
    pub summary: Option<String>,
    #[serde(default)]
    pub topic: Option<Topic>,
}

/// Verifying a kept promise.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyOpinionPromise {
    /// The day the coordinator checked it; default: today. Not in the future.
    #[serde(default)]
    pub verified_on: Option<NaiveDate>,
}

/// Closing a case.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseOpinionCase {
    /// Default: today.
    #[serde(default)]
    pub closed_on: Option<NaiveDate>,
}

/// A unit, by id and name.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OpinionUnitDto {
    pub id: i64,
    pub name: String,
}

/// A recorded response.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OpinionResponseDto {
    pub id: i64,
    pub unit_id: i64,
    pub responded_on: NaiveDate,
    pub channel: ResponseChannel,
    pub text: Option<String>,
    pub url: Option<String>,
    pub published: bool,
    /// The evidence record it made on the case's task.
    pub evidence_id: Option<i64>,
    pub recorded_at: DateTime<Utc>,
}

impl From<&OpinionResponse> for OpinionResponseDto {
    fn from(r: &OpinionResponse) -> Self {
        OpinionResponseDto {
            id: r.id,
            unit_id: r.unit_id,
            responded_on: r.responded_on,
            channel: r.channel,
            text: r.text.clone(),
            url: r.url.clone(),
            published: r.published,
            evidence_id: r.evidence_id,
            recorded_at: r.recorded_at,
        }
    }
}

/// One move of a promise.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PromiseMoveDto {
    pub status_from: PromiseStatus,
    pub status_to: PromiseStatus,
    pub on: NaiveDate,
    pub evidence: String,
    pub published: bool,
    pub note: Option<String>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

impl From<&PromiseMove> for PromiseMoveDto {
    fn from(m: &PromiseMove) -> Self {
        PromiseMoveDto {
            status_from: PromiseStatus::parse(&m.status_from).unwrap_or(PromiseStatus::Pending),
            status_to: PromiseStatus::parse(&m.status_to).unwrap_or(PromiseStatus::Pending),
            on: m.occurred_on,
            evidence: m.evidence_ref.clone(),
            published: m.published,
            note: m.note.clone(),
            recorded_by: m.actor_sub.clone(),
            recorded_at: m.created_at,
        }
    }
}

/// A promise (承诺) and where it stands.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OpinionPromiseDto {
    pub id: i64,
    pub response_id: i64,
    pub text: String,
    pub unit: OpinionUnitDto,
    pub due_on: NaiveDate,
    pub status: PromiseStatus,
    /// Pending and past `due_on` on the answer's day.
    pub overdue: bool,
    /// When it was kept or found broken.
    pub settled_on: Option<NaiveDate>,
    /// The evidence of the last move.
    pub evidence: Option<String>,
    /// 公开情况: whether its fulfilment was made public.
    pub fulfilment_published: bool,
    /// The evidence record a kept promise made on the case's task.
    pub evidence_id: Option<i64>,
    /// When a coordinator verified the kept promise (null: not verified). A case
    /// closes only once every kept promise is verified.
    pub verified_on: Option<NaiveDate>,
    /// Who verified it (the token's subject).
    pub verified_by: Option<String>,
    /// Its moves, oldest first.
    pub moves: Vec<PromiseMoveDto>,
}

impl OpinionPromiseDto {
    fn new(p: &OpinionPromise, as_of: NaiveDate) -> Self {
        OpinionPromiseDto {
            id: p.id,
            response_id: p.response_id,
            text: p.text.clone(),
            unit: OpinionUnitDto { id: p.unit_id, name: p.unit_name.clone() },
            due_on: p.due_on,
            status: p.status,
            overdue: p.status.is_overdue(p.due_on, as_of),
            settled_on: p.settled_on,
            evidence: p.evidence_ref.clone(),
            fulfilment_published: p.fulfilment_published,
            evidence_id: p.evidence_id,
            verified_on: p.verified_on,
            verified_by: p.verified_by.clone(),
            moves: p.moves.iter().map(PromiseMoveDto::from).collect(),
        }
    }
}

/// The response clock of a case as of a day.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OpinionClockDto {
    /// The source's limit when the case was registered.
    pub response_workdays: u32,
    /// The last day to respond; null when the calendar of that year is not loaded.
    pub response_due: Option<NaiveDate>,
    /// How `response_due` was counted (holidays skipped, make-up days used).
    pub explanation: Option<String>,
    /// Not responded to, and the day is after `response_due`.
    pub overdue: bool,
    /// Responded to by `response_due`; null while not responded to.
    pub responded_on_time: Option<bool>,
    /// Working days from the day to `response_due` (negative past it); null once
    /// responded to.
    pub workdays_left: Option<i64>,
    /// Why something could not be counted.
    pub warning: Option<String>,
}

impl OpinionClockDto {
    /// The clock of `c` on `as_of`.
    pub fn of(c: &OpinionCase, calendar: &WorkCalendar, as_of: NaiveDate) -> Self {
        let mut dto = OpinionClockDto {
            response_workdays: c.response_workdays,
            response_due: None,
            explanation: None,
            overdue: false,
            responded_on_time: None,
            workdays_left: None,
            warning: None,
        };
        match response_due(calendar, c.received_on, c.response_workdays) {
            Ok(e) => {
                dto.response_due = Some(e.due);
                dto.explanation = Some(e.text);
                match response_standing(calendar, e.due, c.first_response_on, as_of) {
                    Ok(s) => {
                        dto.overdue = s.overdue;
                        dto.workdays_left = s.workdays_left;
                        dto.responded_on_time = c.first_response_on.map(|_| s.on_time);
                    }
                    Err(err) => dto.warning = Some(err.to_string()),
                }
            }
            Err(err) => dto.warning = Some(err.to_string()),
        }
        dto
    }
}

/// A case as one of its units or a coordinator reads it (a viewer: without the writer).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OpinionCaseDto {
    pub id: i64,
    pub source: Source,
    pub topic: Topic,
    pub received_on: NaiveDate,
    pub summary: String,
    pub task_id: i64,
    pub task_number: i32,
    pub plan_id: i64,
    pub lead_unit: OpinionUnitDto,
    pub co_units: Vec<OpinionUnitDto>,
    pub status: CaseStatus,
    pub clock: OpinionClockDto,
    pub first_response_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    /// Whether a writer's details are on file; absent for viewers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub writer_on_file: Option<bool>,
    /// Only in `GET /opinion-cases/{id}` by one of the case's units or a coordinator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub writer: Option<WriterDto>,
    pub responses: Vec<OpinionResponseDto>,
    pub promises: Vec<OpinionPromiseDto>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl OpinionCaseDto {
    /// The case as of `as_of`; `redacted` hides that a writer is on file.
    pub fn new(c: OpinionCase, redacted: bool, calendar: &WorkCalendar, as_of: NaiveDate) -> Self {
        OpinionCaseDto {
            clock: OpinionClockDto::of(&c, calendar, as_of),
            id: c.id,
            source: c.source,
            topic: c.topic,
            received_on: c.received_on,
            summary: c.summary.clone(),
            task_id: c.task_id,
            task_number: c.task_number,
            plan_id: c.plan_id,
            lead_unit: OpinionUnitDto { id: c.lead_unit_id, name: c.lead_unit_name.clone() },
            co_units: c
                .co_units
                .iter()
                .map(|(id, name)| OpinionUnitDto { id: *id, name: name.clone() })
                .collect(),
            status: c.status,
            first_response_on: c.first_response_on,
            closed_on: c.closed_on,
            writer_on_file: (!redacted).then_some(c.writer_on_file),
            writer: if redacted {
                None
            } else {
                c.writer.map(|w| WriterDto { name: w.name, contact: w.contact })
            },
            responses: c.responses.iter().map(OpinionResponseDto::from).collect(),
            promises: c.promises.iter().map(|p| OpinionPromiseDto::new(p, as_of)).collect(),
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// A case in a list: never the writer's details.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OpinionCaseSummaryDto {
    pub id: i64,
    pub source: Source,
    pub topic: Topic,
    pub received_on: NaiveDate,
    pub summary: String,
    pub task_id: i64,
    pub task_number: i32,
    pub lead_unit: OpinionUnitDto,
    pub status: CaseStatus,
    pub response_due: Option<NaiveDate>,
    pub overdue: bool,
    pub workdays_left: Option<i64>,
    pub responded_on_time: Option<bool>,
    pub first_response_on: Option<NaiveDate>,
    /// Promises made, and how many are pending past their due date.
    pub promises: usize,
    pub promises_overdue: usize,
    pub updated_at: DateTime<Utc>,
}

impl OpinionCaseSummaryDto {
    /// The list entry as of `as_of`.
    pub fn new(c: &OpinionCase, calendar: &WorkCalendar, as_of: NaiveDate) -> Self {
        let clock = OpinionClockDto::of(c, calendar, as_of);
        OpinionCaseSummaryDto {
            id: c.id,
            source: c.source,
            topic: c.topic,
            received_on: c.received_on,
            summary: c.summary.clone(),
            task_id: c.task_id,
            task_number: c.task_number,
            lead_unit: OpinionUnitDto { id: c.lead_unit_id, name: c.lead_unit_name.clone() },
            status: c.status,
            response_due: clock.response_due,
            overdue: clock.overdue,
            workdays_left: clock.workdays_left,
            responded_on_time: clock.responded_on_time,
            first_response_on: c.first_response_on,
            promises: c.promises.len(),
            promises_overdue: c
                .promises
                .iter()
                .filter(|p| p.status.is_overdue(p.due_on, as_of))
                .count(),
            updated_at: c.updated_at,
        }
    }
}

list_type!(OpinionCaseList, OpinionCaseSummaryDto, "A page of opinion cases.");

/// The opinion ledger (舆情回应台账).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OpinionLedgerDto {
    pub as_of: NaiveDate,
    /// Cases received from (inclusive).
    pub from: NaiveDate,
    /// Cases received to (inclusive).
    pub to: NaiveDate,
    pub group_by: GroupBy,
    /// One row per group, then the `total` row.
    pub rows: Vec<LedgerRow>,
}

/// What falls due in the opinion ledger: a response or a promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OpinionDueKind {
    /// A case's response.
    Response,
    /// A promise's fulfilment.
    Promise,
}

/// A response or promise due soon or overdue.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OpinionDueItemDto {
    pub kind: OpinionDueKind,
    pub case_id: i64,
    /// The promise, for `kind` = `promise`.
    pub promise_id: Option<i64>,
    pub task_id: i64,
    pub task_number: i32,
    /// Who answers for it: the case's lead unit, or the promise's unit.
    pub unit_id: i64,
    pub unit: String,
    pub due: NaiveDate,
    /// Working days from `as_of` to `due` (negative past it).
    pub workdays_left: i64,
    /// The case's summary, or the promise's text.
    pub text: String,
}
