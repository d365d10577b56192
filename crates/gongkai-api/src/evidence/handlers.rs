//! Evidence (证据): `/api/v1/tasks/{task_id}/evidence` and `/api/v1/evidence/{evidence_id}`.
//!
//! A unit records evidence only for tasks that bind it (it is a responsible unit, or a
//! member of a group a quota of the task is scoped to) and only for itself; a
//! coordinator records for any unit within its reach. Records are never deleted: they
//! are withdrawn with a reason.

use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use gongkai_core::auth::{Action, Role};
use gongkai_store::evidence::{self, EvidenceFilter};
use gongkai_store::plans::Plan;
use gongkai_store::{StoreError, units};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::evidence::input::checked_new_evidence;
use crate::evidence::types::{
    CreateEvidenceRequest, EvidenceDto, EvidenceList, WithdrawEvidenceRequest,
};
use crate::http::access::authorize_task;
use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::{Body, IfMatch, Paging, Query, UpdatedSince};
use crate::http::params::Id;
use crate::http::respond::{created, etag_of, ok};
use crate::http::state::{AppState, db};

/// Registers the evidence routes.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(create_evidence)
        .service(list_evidence)
        .service(get_evidence)
        .service(withdraw_evidence);
}

/// Checks that the caller may record work for task `task_id` at all, before its body is
/// read: a unit token must be bound by the task, a coordinator must reach the plan.
async fn authorize_recording(
    state: &AppState,
    who: &Principal,
    task_id: i64,
) -> Result<Plan, ApiError> {
    who.require_global(Action::WriteUnitWork)?;
    let plan = db(state, move |c| gongkai_store::plans::of_task(c, task_id)).await?;
    match (who.role, who.unit_id) {
        (Role::Unit, Some(own)) => {
            let bound = db(state, move |c| evidence::units_bound_by_task(c, task_id)).await?;
            if !bound.contains(&own) {
                return Err(ApiError::Forbidden(format!(
                    "unit {own} is not responsible for task {task_id}, and no quota of the task binds it"
                )));
            }
        }
        _ => who.require(state, Action::WriteUnitWork, Some(plan.issuing_unit_id)).await?,
    }
    Ok(plan)
}

/// Checks that the caller may record work done by `unit_id`: a unit only for itself, a
/// coordinator for any existing unit within its reach.
async fn authorize_unit(state: &AppState, who: &Principal, unit_id: i64) -> Result<(), ApiError> {
    if who.role == Role::Unit {
        return if who.unit_id == Some(unit_id) {
            Ok(())
        } else {
            Err(ApiError::Forbidden("a unit records evidence only for its own unit".into()))
        };
    }
    let exists = db(state, move |c| units::exists(c, unit_id)).await?;
    if !exists {
        return Err(ApiError::field("unit_id", format!("unit {unit_id} does not exist")));
    }
    who.require(state, Action::WriteUnitWork, Some(unit_id)).await
}

/// Record evidence for a task
///
/// A dated record of work done. Without `quota_id` it feeds each quota of the task its
/// fields speak to (`count` → count quotas, `completes` → deadlines, `value` →
/// thresholds, `event_on` → within-N-working-days duties). `unit_id` defaults to the
/// token's unit. The server sets `recorded_at`; statuses follow `occurred_on` only.
/// A unit token records only for itself and only for tasks that bind it (403
/// otherwise, nothing stored). Every record leaves an audit event.
#[utoipa::path(
    operation_id = "createEvidence",
    tag = "evidence",
    params(("task_id" = i64, Path, description = "The task's id")),
    request_body = CreateEvidenceRequest,
    responses(
        (status = 201, description = "The stored record, with the server's `recorded_at`", body = EvidenceDto,
            headers(("ETag" = String, description = "The record's version"), ("Location" = String, description = "The record's URL"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "The caller may not record work for this task or unit"),
        (status = 404, description = "No such task"),
        (status = 415, description = "The body is not JSON"),
        (status = 422, description = "Invalid fields (an impossible date, a date before the plan's year or in the future, a negative count, another task's quota …), each named"),
    ),
    security(("bearer" = []))
)]
#[post("/tasks/{task_id}/evidence")]
pub async fn create_evidence(
    state: web::Data<AppState>,
    who: Principal,
    task_id: web::Path<Id>,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let task_id = task_id.into_inner().0;
    let plan = authorize_recording(&state, &who, task_id).await?;
    let req: CreateEvidenceRequest = body.json()?;
    let unit_id = req.unit_id.or(who.unit_id).ok_or_else(|| {
        ApiError::field("unit_id", "unit_id is required: the token names no unit")
    })?;
    authorize_unit(&state, &who, unit_id).await?;
    let quota = match req.quota_id {
        None => None,
        Some(qid) => db(&state, move |c| match gongkai_store::quotas::get(c, qid) {
            Ok(q) => Ok(Some(q)),
            Err(StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        })
        .await?
        .map(Some)
        .ok_or_else(|| ApiError::field("quota_id", format!("quota {qid} does not exist")))?,
    };
    let new = checked_new_evidence(&req, task_id, unit_id, plan.year, quota.as_ref())?;
    let actor = who.actor();
    let stored = db(&state, move |c| evidence::create(c, &actor, &new)).await?;
    let location = format!("/api/v1/evidence/{}", stored.id);
    Ok(created(&EvidenceDto::from(stored), location))
}

/// Filters of the evidence list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EvidenceQuery {
    /// Only records of this unit.
    #[serde(default, deserialize_with = "crate::http::params::optional_id")]
    pub unit_id: Option<i64>,
    /// Only records pinned to this quota.
    #[serde(default, deserialize_with = "crate::http::params::optional_id")]
    pub quota_id: Option<i64>,
    /// Only records that occurred on or after this day.
    pub from: Option<NaiveDate>,
    /// Only records that occurred on or before this day.
    pub to: Option<NaiveDate>,
    /// `false`: only live records; `true`: only withdrawn ones; absent: both.
    pub withdrawn: Option<bool>,
}

/// List a task's evidence
///
/// With `updated_since`, only the records recorded or withdrawn after it, oldest change
/// first.
#[utoipa::path(
    operation_id = "listEvidence",
    tag = "evidence",
    params(("task_id" = i64, Path, description = "The task's id"), EvidenceQuery, UpdatedSince, Paging),
    responses(
        (status = 200, description = "A page of records, in the order they were recorded (with `updated_since`: in the order they changed)", body = EvidenceList),
        (status = 403, description = "Outside the caller's part of the deployment"),
        (status = 404, description = "No such task"),
        (status = 422, description = "A bad query parameter"),
    ),
    security(("bearer" = []))
)]
#[get("/tasks/{task_id}/evidence")]
pub async fn list_evidence(
    state: web::Data<AppState>,
    who: Principal,
    task_id: web::Path<Id>,
    query: Query<EvidenceQuery>,
    since: Query<UpdatedSince>,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    let task_id = task_id.into_inner().0;
    let window = paging.window(&since)?;
    let q = query.into_inner();
    let (from, to) = (q.from, q.to);
    authorize_task(&state, &who, task_id, Action::Read).await?;
    let filter = EvidenceFilter {
        unit_id: q.unit_id,
        quota_id: q.quota_id,
        from,
        to,
        withdrawn: q.withdrawn,
        changes: window.changes.map(|r| r.store()),
    };
    let page = db(&state, move |c| evidence::list(c, task_id, &filter, window.page)).await?;
    let items: Vec<EvidenceDto> = page.items.into_iter().map(EvidenceDto::from).collect();
    let next_cursor = window.next_cursor(&items, page.next_after, |e| (e.updated_at, (e.id, 0)));
    Ok(ok(&EvidenceList { items, next_cursor }))
}

/// Get an evidence record
#[utoipa::path(
    operation_id = "getEvidence",
    tag = "evidence",
    params(("evidence_id" = i64, Path, description = "The record's id")),
    responses(
        (status = 200, description = "The record", body = EvidenceDto, headers(("ETag" = String, description = "The record's version"))),
        (status = 403, description = "Outside the caller's part of the deployment"),
        (status = 404, description = "No such record"),
    ),
    security(("bearer" = []))
)]
#[get("/evidence/{evidence_id}")]
pub async fn get_evidence(
    state: web::Data<AppState>,
    who: Principal,
    evidence_id: web::Path<Id>,
) -> Result<HttpResponse, ApiError> {
    let id = evidence_id.into_inner().0;
    let record = db(&state, move |c| evidence::get(c, id)).await?;
    authorize_task(&state, &who, record.task_id, Action::Read).await?;
    Ok(ok(&EvidenceDto::from(record)))
}

/// Withdraw an evidence record
///
/// The record stays stored and listed, marked withdrawn with who withdrew it, when and
/// why, and no longer counts toward any quota. A reason is required. The unit that did
/// the work, a coordinator or an admin may withdraw. `If-Match` is optional; when sent it
/// must match the record's ETag. A record is withdrawn once (409 after that).
#[utoipa::path(
    operation_id = "withdrawEvidence",
    tag = "evidence",
    params(
        ("evidence_id" = i64, Path, description = "The record's id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read"),
    ),
    request_body = WithdrawEvidenceRequest,
    responses(
        (status = 200, description = "The withdrawn record", body = EvidenceDto, headers(("ETag" = String, description = "The record's new version"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "The caller may not withdraw this record"),
        (status = 404, description = "No such record"),
        (status = 409, description = "Already withdrawn"),
        (status = 412, description = "The record changed since it was read"),
        (status = 415, description = "The body is not JSON"),
        (status = 422, description = "No reason, or too long a reason"),
    ),
    security(("bearer" = []))
)]
#[post("/evidence/{evidence_id}/withdraw")]
pub async fn withdraw_evidence(
    state: web::Data<AppState>,
    who: Principal,
    evidence_id: web::Path<Id>,
    if_match: IfMatch,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let id = evidence_id.into_inner().0;
    who.require_global(Action::WriteUnitWork)?;
    let record = db(&state, move |c| evidence::get(c, id)).await?;
    if who.role == Role::Unit {
        if who.unit_id != Some(record.unit_id) {
            return Err(ApiError::Forbidden(
                "a unit withdraws only the evidence of its own unit".into(),
            ));
        }
    } else {
        let plan = db(&state, move |c| gongkai_store::plans::of_task(c, record.task_id)).await?;
        who.require(&state, Action::WriteUnitWork, Some(plan.issuing_unit_id)).await?;
    }
    let req: WithdrawEvidenceRequest = body.json()?;
    let actor = who.actor();
    let after = db(&state, move |c| {
        evidence::withdraw(c, &actor, id, &req.reason, |current| match if_match.given() {
            Some(m) => m.check(&etag_of(&EvidenceDto::from(current.clone()))),
            None => Ok(()),
        })
    })
    .await?;
    Ok(ok(&EvidenceDto::from(after)))
}
