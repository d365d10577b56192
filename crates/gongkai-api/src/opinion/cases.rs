//! `/api/v1/opinion-cases`: registering, reading, listing and closing cases of public
//! concern (舆情). Responses and promises live in `responses`.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::NaiveDate;
use gongkai_core::disclosure::access::View;
use gongkai_core::opinion::{CaseStatus, Source, Topic};
use gongkai_core::validation::Problems;
use gongkai_store::calendar::work_calendar;
use gongkai_store::opinion::{CaseChanges, CaseFilter, NewCase, Writer, cases};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::disclosure::access::{Coverage, covered_units};
use crate::http::auth::Principal;
use crate::http::clock::today;
use crate::http::error::ApiError;
use crate::http::extract::{
    Body, ChangeCursor, IfMatch, Paging, Query, UpdatedSince, encode_change_cursor, encode_cursor,
};
use crate::http::negotiate::{Format, choose};
use crate::http::office::{Cell, LIST_FORMATS, Sheet, office_response};
use crate::http::params::Id;
use crate::http::respond::{created, etag_of, ok};
use crate::http::state::{AppState, db};
use crate::opinion::access;
use crate::opinion::types::{
    CloseOpinionCase, CreateOpinionCase, OpinionCaseDto, OpinionCaseList, OpinionCaseSummaryDto,
    UpdateOpinionCase,
};

/// The longest summary accepted, in characters.
pub const MAX_SUMMARY_CHARS: usize = 2000;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_opinion_cases)
        .service(create_opinion_case)
        .service(get_opinion_case)
        .service(update_opinion_case)
        .service(close_opinion_case);
}

/// A case's summary: said, and not too long.
fn check_summary(p: &mut Problems, summary: &str) {
    let summary = summary.trim();
    if summary.is_empty() {
        p.add("summary", "say what the concern is");
    } else if summary.chars().count() > MAX_SUMMARY_CHARS {
        p.add("summary", format!("at most {MAX_SUMMARY_CHARS} characters"));
    }
}

/// Co-units: each named once, none the lead unit.
fn check_co_units(p: &mut Problems, lead: i64, co: &[i64]) {
    let mut seen = vec![lead];
    for u in co {
        if seen.contains(u) {
            p.add("co_unit_ids", format!("unit {u} is named twice (or is the lead unit)"));
        }
        seen.push(*u);
    }
}

fn check_create(req: &CreateOpinionCase, today: NaiveDate) -> Result<(), ApiError> {
    let mut p = Problems::new();
    if req.received_on > today {
        p.add("received_on", format!("the day of receipt cannot be after today ({today})"));
    }
    check_summary(&mut p, &req.summary);
    check_co_units(&mut p, req.lead_unit_id, &req.co_unit_ids);
    if let Some(w) = &req.writer {
        let blank = |s: &Option<String>| s.as_deref().is_none_or(|v| v.trim().is_empty());
        if blank(&w.name) && blank(&w.contact) {
            p.add("writer", "give the writer's name or contact, or leave `writer` out");
        }
    }
    p.finish().map_err(ApiError::fields)
}

/// Register a case
///
/// A concern received from a source, on a topic of task 27 (or 其他), serving a plan
/// task, with its lead unit and co-units. The response is due after the source's limit
/// of working days (`GONGKAI_OPINION_RESPONSE_WORKDAYS`, fixed on the case when it is
/// registered), the day of receipt not counted. The writer's details are stored
/// encrypted and not echoed. A coordinator registers for any unit it reaches; a unit
/// for cases it leads.
#[utoipa::path(
    operation_id = "createOpinionCase",
    tag = "opinion",
    request_body = CreateOpinionCase,
    responses(
        (status = 201, description = "Registered, with its response clock", body = OpinionCaseDto,
            headers(("ETag" = String, description = "The case's version"), ("Location" = String, description = "The case's URL"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "A viewer, or another unit's case"),
        (status = 415, description = "The body is not JSON"),
        (status = 422, description = "Invalid fields (an unknown source or topic, a day of receipt in the future, an unknown task or unit), each named"),
    ),
    security(("bearer" = []))
)]
#[post("/opinion-cases")]
pub async fn create_opinion_case(
    state: web::Data<AppState>,
    who: Principal,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    access::require_worker(&who)?;
    let req: CreateOpinionCase = body.json()?;
    access::require_work_for(&who, &state, req.lead_unit_id).await?;
    let today = today();
    check_create(&req, today)?;
    let new = NewCase {
        source: req.source,
        topic: req.topic,
        received_on: req.received_on,
        summary: req.summary.trim().to_string(),
        task_id: req.task_id,
        lead_unit_id: req.lead_unit_id,
        co_unit_ids: req.co_unit_ids.clone(),
        response_workdays: state.opinion_limits.of(req.source),
        writer: req.writer.map(|w| Writer {
            name: w.name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
            contact: w.contact.map(|c| c.trim().to_string()).filter(|c| !c.is_empty()),
        }),
    };
    let sealer = access::sealer(&state)?;
    let actor = who.actor();
    let (case, calendar) = db(&state, move |c| {
        let case = cases::create(c, &actor, &sealer, &new)?;
        Ok((case, work_calendar(c)?))
    })
    .await?;
    let dto = OpinionCaseDto::new(case, false, &calendar, today);
    let location = format!("/api/v1/opinion-cases/{}", dto.id);
    Ok(created(&dto, location))
}

/// Read a case
///
/// The case with its response clock (how the due date was counted), its responses and
/// its promises with their moves. One of its units or a coordinator also sees the
/// writer's details; a viewer sees none. Every read leaves an audit record.
#[utoipa::path(
    operation_id = "getOpinionCase",
    tag = "opinion",
    params(("id" = i64, Path, description = "The case's id")),
    responses(
        (status = 200, description = "The case", body = OpinionCaseDto, headers(("ETag" = String, description = "The case's version"))),
        (status = 403, description = "A case of another unit"),
        (status = 404, description = "No such case"),
    ),
    security(("bearer" = []))
)]
#[get("/opinion-cases/{id}")]
pub async fn get_opinion_case(
    state: web::Data<AppState>,
    who: Principal,
    id: web::Path<Id>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().0;
    let case = db(&state, move |c| cases::get(c, id)).await?;
    let view = access::require_view(&who, &state, &case).await?;
    let full = view == View::Full;
    let sealer = access::sealer(&state)?;
    let actor = who.actor();
    let (case, calendar) = db(&state, move |c| {
        let case = cases::read(c, &actor, &sealer, id, full)?;
        Ok((case, work_calendar(c)?))
    })
    .await?;
    Ok(ok(&OpinionCaseDto::new(case, !full, &calendar, today())))
}

/// Filters of the case list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OpinionListQuery {
    /// Only cases this unit works on (lead, co-unit or a promise's unit); a unit's
    /// token: its own only.
    #[serde(default, deserialize_with = "crate::http::params::optional_id")]
    pub unit_id: Option<i64>,
    /// With `unit_id`: the units below it too.
    pub subtree: Option<bool>,
    /// Only cases serving tasks of this plan.
    #[serde(default, deserialize_with = "crate::http::params::optional_id")]
    pub plan_id: Option<i64>,
    pub source: Option<Source>,
    pub topic: Option<Topic>,
    pub status: Option<CaseStatus>,
    /// Received on or after.
    pub received_from: Option<NaiveDate>,
    /// Received on or before.
    pub received_to: Option<NaiveDate>,
    /// `true`: only cases not responded to past their response due date, or with a
    /// promise pending past its due date; `false`: only the others.
    pub overdue: Option<bool>,
    /// The day the clock is read on (default: today in Asia/Shanghai).
    pub as_of: Option<NaiveDate>,
}

/// The filter and day of a case list, for the caller.
pub(crate) async fn case_filter(
    who: &Principal,
    state: &AppState,
    q: &OpinionListQuery,
) -> Result<CaseFilter, ApiError> {
    let coverage =
        Coverage { unit_id: q.unit_id, subtree: q.subtree.unwrap_or(false), statistics: false };
    let units = covered_units(who, state, coverage).await?;
    Ok(CaseFilter {
        units,
        source: q.source,
        topic: q.topic,
        status: q.status,
        received_from: q.received_from,
        received_to: q.received_to,
        plan_id: q.plan_id,
        open_only: q.overdue == Some(true),
        changes: None,
    })
}

/// The case list's columns, in Chinese, for the office formats.
const COLUMNS: [&str; 15] = [
    "编号",
    "来源",
    "领域",
    "收到日期",
    "内容摘要",
    "任务序号",
    "牵头单位",
    "状态",
    "应回应日期",
    "是否超期",
    "剩余工作日",
    "是否按时回应",
    "首次回应日期",
    "承诺数",
    "逾期待兑现承诺数",
];

fn sheet(items: &[OpinionCaseSummaryDto]) -> Sheet {
    let mut s = Sheet::new("舆情回应台账", &COLUMNS);
    for i in items {
        s.push(vec![
            i.id.into(),
            i.source.label().into(),
            i.topic.label().into(),
            i.received_on.into(),
            Cell::from(&i.summary),
            i.task_number.into(),
            Cell::from(&i.lead_unit.name),
            i.status.as_str().into(),
            i.response_due.into(),
            i.overdue.into(),
            i.workdays_left.into(),
            i.responded_on_time.into(),
            i.first_response_on.into(),
            i.promises.into(),
            i.promises_overdue.into(),
        ]);
    }
    s
}

/// List cases
///
/// In id order, with each case's response clock as of `as_of`. Never the writer's
/// details. `overdue` selects by the clock. With `updated_since`, only the cases
/// registered, answered, with a promise moved or closed after it, oldest change first.
/// `Accept: text/csv` or the XLSX type answers
/// the page as a spreadsheet (406 for a type the server cannot produce).
#[utoipa::path(
    operation_id = "listOpinionCases",
    tag = "opinion",
    params(OpinionListQuery, UpdatedSince, Paging),
    responses(
        (status = 200, description = "A page of cases",
            content(
                (OpinionCaseList = "application/json"),
                (String = "text/csv"),
                (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            )),
        (status = 403, description = "Another unit's cases"),
        (status = 406, description = "`not_acceptable`: none of JSON, CSV or XLSX is acceptable"),
        (status = 422, description = "A bad query parameter"),
    ),
    security(("bearer" = []))
)]
#[get("/opinion-cases")]
pub async fn list_opinion_cases(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: Principal,
    query: Query<OpinionListQuery>,
    since: Query<UpdatedSince>,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    let format = choose(&req, LIST_FORMATS)?;
    let window = paging.window(&since)?;
    let page = window.page;
    let q = query.into_inner();
    let mut filter = case_filter(&who, &state, &q).await?;
    filter.changes = window.changes.map(|r| r.store());
    let as_of = q.as_of.unwrap_or_else(today);
    let overdue = q.overdue;
    let (rows, next_after, calendar) = db(&state, move |c| {
        let calendar = work_calendar(c)?;
        if overdue.is_some() {
            Ok((cases::list_all(c, &filter, page.after)?, None, calendar))
        } else {
            let p = cases::list(c, &filter, page)?;
            Ok((p.items, p.next_after, calendar))
        }
    })
    .await?;
    let mut items: Vec<OpinionCaseSummaryDto> = rows
        .iter()
        .map(|c| OpinionCaseSummaryDto::new(c, &calendar, as_of))
        .filter(|s| overdue.is_none_or(|o| (s.overdue || s.promises_overdue > 0) == o))
        .collect();
    let next_cursor = if overdue.is_some() {
        let limit = usize::try_from(page.limit).unwrap_or(0);
        let more = items.len() > limit;
        items.truncate(limit);
        items.last().filter(|_| more).map(|i| match window.changes {
            None => encode_cursor(i.id),
            Some(_) => encode_change_cursor(ChangeCursor { at: i.updated_at, key: (i.id, 0) }),
        })
    } else {
        window.next_cursor(&items, next_after, |s| (s.updated_at, (s.id, 0)))
    };
    match format {
        Format::Json => Ok(ok(&OpinionCaseList { items, next_cursor })),
        other => office_response(&sheet(&items), other, "opinion-cases"),
    }
}

/// Reassign a case
///
/// The coordinator changes a case's lead unit (`lead_unit_id`), co-units
/// (`co_unit_ids`, replacing them), `summary` or `topic`, checked as at registration
/// (an unknown unit 422). `If-Match` carries the ETag the coordinator last read (428
/// without, 412 when the case changed since). A closed case is not reassigned (409
/// `illegal_transition`). Audited before and after; the event `opinion_case.assigned`.
/// A limited coordinator names only units of its part of the deployment.
#[utoipa::path(
    operation_id = "updateOpinionCase",
    tag = "opinion",
    params(("id" = i64, Path, description = "The case's id")),
    request_body = UpdateOpinionCase,
    responses(
        (status = 200, description = "Reassigned; the whole case", body = OpinionCaseDto, headers(("ETag" = String, description = "The case's new version"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "Not a coordinator of the case's units (a unit, a viewer)"),
        (status = 404, description = "No such case"),
        (status = 409, description = "`illegal_transition`: the case is closed"),
        (status = 412, description = "The case changed since it was read"),
        (status = 415, description = "The body is not JSON"),
        (status = 422, description = "Invalid fields (nothing to change, an empty summary, a unit named twice or unknown), each named"),
        (status = 428, description = "If-Match is missing"),
    ),
    security(("bearer" = []))
)]
#[patch("/opinion-cases/{id}")]
pub async fn update_opinion_case(
    state: web::Data<AppState>,
    who: Principal,
    id: web::Path<Id>,
    if_match: IfMatch,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().0;
    let case = db(&state, move |c| cases::get(c, id)).await?;
    access::require_assign(&who, &state, case.lead_unit_id).await?;
    let req: UpdateOpinionCase = body.json()?;
    let mut p = Problems::new();
    if req.lead_unit_id.is_none()
        && req.co_unit_ids.is_none()
        && req.summary.is_none()
        && req.topic.is_none()
    {
        p.add("lead_unit_id", "give at least one of lead_unit_id, co_unit_ids, summary, topic");
    }
    if let Some(summary) = &req.summary {
        check_summary(&mut p, summary);
    }
    if let Some(co) = &req.co_unit_ids {
        check_co_units(&mut p, req.lead_unit_id.unwrap_or(case.lead_unit_id), co);
    }
    p.finish().map_err(ApiError::fields)?;
    if who.unit_id.is_some() {
        // A coordinator limited to a city assigns only that city's units.
        let named = req.lead_unit_id.into_iter().chain(req.co_unit_ids.iter().flatten().copied());
        for unit in named {
            if db(&state, move |c| gongkai_store::units::exists(c, unit)).await? {
                access::require_assign(&who, &state, unit).await?;
            }
        }
    }
    let changes = CaseChanges {
        lead_unit_id: req.lead_unit_id,
        co_unit_ids: req.co_unit_ids,
        summary: req.summary.map(|s| s.trim().to_string()),
        topic: req.topic,
    };
    let sealer = access::sealer(&state)?;
    let actor = who.actor();
    let today = today();
    let (case, calendar) = db(&state, move |c| {
        let calendar = work_calendar(c)?;
        // The ETag is that of the case as a coordinator reads it (writer included).
        let case = cases::assign(c, &actor, &sealer, id, &changes, |current| {
            if_match.check(&etag_of(&OpinionCaseDto::new(current.clone(), false, &calendar, today)))
        })?;
        Ok((case, calendar))
    })
    .await?;
    Ok(ok(&OpinionCaseDto::new(case, false, &calendar, today)))
}

/// Close a case
///
/// The coordinator closes a case once it was responded to, none of its promises is
/// pending and every kept promise is verified (409 `illegal_transition` otherwise,
/// naming the promise).
#[utoipa::path(
    operation_id = "closeOpinionCase",
    tag = "opinion",
    params(("id" = i64, Path, description = "The case's id")),
    request_body = CloseOpinionCase,
    responses(
        (status = 200, description = "Closed", body = OpinionCaseDto, headers(("ETag" = String, description = "The case's version"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "Not a coordinator of the case's unit"),
        (status = 404, description = "No such case"),
        (status = 409, description = "`illegal_transition`: not responded to, already closed, a promise pending, or a kept promise not verified"),
        (status = 415, description = "A body that is not JSON"),
        (status = 422, description = "A closing day in the future or before the first response"),
    ),
    security(("bearer" = []))
)]
#[post("/opinion-cases/{id}/close")]
pub async fn close_opinion_case(
    state: web::Data<AppState>,
    who: Principal,
    id: web::Path<Id>,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().0;
    let case = db(&state, move |c| cases::get(c, id)).await?;
    access::require_close(&who, &state, &case).await?;
    let req: CloseOpinionCase =
        if body.is_empty() { CloseOpinionCase::default() } else { body.json()? };
    let today = today();
    let on = req.closed_on.unwrap_or(today);
    if on > today {
        return Err(ApiError::field("closed_on", "a case cannot be closed in the future"));
    }
    let actor = who.actor();
    let (case, calendar) = db(&state, move |c| {
        let case = cases::close(c, &actor, id, on)?;
        Ok((case, work_calendar(c)?))
    })
    .await?;
    Ok(ok(&OpinionCaseDto::new(case, false, &calendar, today)))
}
