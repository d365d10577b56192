//! 台账: each responsible unit's progress on each task. A unit moves its own rows and
//! adds updates; the coordinator sees all and comments.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::NaiveDate;
use gongkai_core::auth::{Action, Role};
use gongkai_core::ledger::ProgressStatus;
use gongkai_store::progress::{self, ProgressFilter};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::http::access::authorize_task;
use crate::http::access::readable_plan;
use crate::http::auth::Principal;
use crate::http::clock::local_date;
use crate::http::error::ApiError;
use crate::http::extract::{
    Body, IfMatch, Paging, Query, UpdatedSince, changes_in_memory, page_in_memory,
};
use crate::http::negotiate::Format;
use crate::http::office::{Sheet, XlsxWorkbook, export_response, list_window};
use crate::http::params::Id;
use crate::http::params::calendar_error;
use crate::http::respond::{created, etag_of, ok};
use crate::http::state::{AppState, db};
use crate::ledger::types::{
    CreateNoteRequest, NoteDto, ProgressDetail, ProgressDetailList, ProgressDto, ProgressList,
    UpdateProgressRequest, progress_label,
};
use crate::tasks::types::TaskUnitRole;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_progress)
        .service(task_progress)
        .service(get_progress)
        .service(update_progress)
        .service(add_note);
}

/// Filters of the ledger.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgressQuery {
    /// Only this unit's rows.
    #[serde(default, deserialize_with = "crate::http::params::optional_id")]
    pub unit_id: Option<i64>,
    /// Only tasks of the section with this number.
    pub section: Option<i32>,
    /// Only rows with this status.
    pub status: Option<ProgressStatus>,
    /// Only rows with no status change and no note for at least this many working days
    /// (rows never touched count as stale).
    #[param(minimum = 1)]
    pub stale_workdays: Option<u32>,
    /// The day staleness is counted to; default today (Asia/Shanghai).
    pub as_of: Option<NaiveDate>,
}

/// List a plan's ledger
///
/// One row per task and responsible unit, in task order (lead unit first). With
/// `updated_since`, only the rows changed after it (a status, a note, or the task),
/// oldest change first.
///
/// `Accept: text/csv` or XLSX exports the ledger (台账) for Excel or WPS: every row the
/// filters select (at most 10,000; more → 422 `export_too_large`), `limit` and `cursor`
/// not applied, with the task's requirement, the day of the latest status change or
/// note (最近进展日期, Asia/Shanghai) and the working days since then up to `as_of`
/// (停滞工作日; empty for a row never touched).
#[utoipa::path(
    operation_id = "listProgress",
    tag = "ledger",
    params(("plan_id" = i64, Path, description = "The plan's id"), ProgressQuery, UpdatedSince, Paging),
    responses(
        (status = 200, description = "The ledger rows (with `updated_since`: in the order they changed); as CSV or XLSX, all of them",
            content(
                (ProgressList = "application/json"),
                (String = "text/csv", example = "任务序号,章节,任务,单位,分工,状态,状态更新日期,最近进展日期,停滞工作日\r\n"),
                (XlsxWorkbook = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            )),
        (status = 403, description = "Outside the caller's part of the deployment"),
        (status = 404, description = "No such plan"),
        (status = 406, description = "`not_acceptable`: Accept names none of JSON, CSV, XLSX"),
        (status = 422, description = "A bad parameter, `calendar_unpublished`, or `export_too_large`"),
    ),
    security(("bearer" = []))
)]
#[get("/plans/{plan_id}/progress")]
pub async fn list_progress(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: Principal,
    plan_id: web::Path<Id>,
    query: Query<ProgressQuery>,
    since: Query<UpdatedSince>,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    let (format, window) = list_window(&req, &paging, &since)?;
    let plan = readable_plan(&state, &who, plan_id.into_inner().0).await?;
    let q = query.into_inner();
    if q.stale_workdays == Some(0) {
        return Err(ApiError::field("stale_workdays", "stale_workdays is at least 1"));
    }
    let as_of = q.as_of.unwrap_or_else(crate::http::clock::today);
    let filter = ProgressFilter { task_id: None, unit_id: q.unit_id, section_number: q.section };
    let counted = q.stale_workdays.is_some() || format != Format::Json;
    let (rows, calendar) = db(&state, move |c| {
        let rows = progress::list(c, plan.id, &filter)?;
        let calendar =
            if counted { Some(gongkai_store::calendar::work_calendar(c)?) } else { None };
        Ok((rows, calendar))
    })
    .await?;
    let mut items = Vec::new();
    for row in rows {
        if q.status.is_some_and(|s| s != row.status) {
            continue;
        }
        // Working days without a status change or note; None: never touched.
        let idle = match (calendar.as_ref(), row.last_activity_at) {
            (Some(cal), Some(at)) => {
                Some(cal.workdays_between(local_date(at), as_of).map_err(|e| calendar_error(&e))?)
            }
            _ => None,
        };
        if let Some(n) = q.stale_workdays
            && idle.is_some_and(|idle| idle < n)
        {
            continue;
        }
        items.push((row, idle));
    }
    let (items, next_cursor) = match window.changes {
        None => page_in_memory(items, window.page),
        Some(read) => changes_in_memory(items, read, window.page.limit, |(r, _)| {
            (r.updated_at, (r.task_id, r.unit_id))
        }),
    };
    if format != Format::Json {
        let stem = format!("ledger-plan{}", plan.id);
        return export_response(&ledger_sheet(&items), format, &stem, next_cursor.is_some());
    }
    let items = items.into_iter().map(|(r, _)| ProgressDto::from(r)).collect();
    Ok(ok(&ProgressList { items, next_cursor }))
}

/// The ledger (台账) as a sheet: one row per task and unit, with the working days it
/// has stood still.
fn ledger_sheet(rows: &[(progress::Progress, Option<u32>)]) -> Sheet {
    let mut sheet = Sheet::new(
        "台账",
        &[
            "任务序号",
            "章节",
            "任务",
            "单位",
            "分工",
            "状态",
            "状态更新日期",
            "最近进展日期",
            "停滞工作日",
        ],
    );
    for (r, idle) in rows {
        let role = match TaskUnitRole::from_stored(&r.role) {
            TaskUnitRole::Lead => "牵头",
            TaskUnitRole::Co => "配合",
        };
        sheet.push(vec![
            r.task_number.into(),
            r.section_number.into(),
            r.requirement.as_str().into(),
            r.unit.as_str().into(),
            role.into(),
            progress_label(r.status).into(),
            r.status_updated_at.map(local_date).into(),
            r.last_activity_at.map(local_date).into(),
            (*idle).into(),
        ]);
    }
    sheet
}

/// A task's ledger rows
///
/// Each responsible unit's row with its notes, oldest first.
#[utoipa::path(
    operation_id = "getTaskProgress",
    tag = "ledger",
    params(("task_id" = i64, Path, description = "The task's id"), Paging),
    responses(
        (status = 200, description = "Each unit's row and notes, lead first", body = ProgressDetailList),
        (status = 403, description = "Outside the caller's part of the deployment"),
        (status = 404, description = "No such task"),
    ),
    security(("bearer" = []))
)]
#[get("/tasks/{task_id}/progress")]
pub async fn task_progress(
    state: web::Data<AppState>,
    who: Principal,
    task_id: web::Path<Id>,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.page()?;
    let task_id = task_id.into_inner().0;
    let plan = authorize_task(&state, &who, task_id, Action::Read).await?;
    let (rows, notes) = db(&state, move |c| {
        let rows = progress::list(
            c,
            plan.id,
            &ProgressFilter { task_id: Some(task_id), ..Default::default() },
        )?;
        Ok((rows, progress::notes(c, task_id, None)?))
    })
    .await?;
    let details: Vec<ProgressDetail> = rows
        .into_iter()
        .map(|row| ProgressDetail {
            notes: notes
                .iter()
                .filter(|n| n.unit_id == row.unit_id)
                .cloned()
                .map(NoteDto::from)
                .collect(),
            progress: ProgressDto::from(row),
        })
        .collect();
    let (items, next_cursor) = page_in_memory(details, page);
    Ok(ok(&ProgressDetailList { items, next_cursor }))
}

/// Get one ledger row
///
/// Its `ETag` is what `updateProgress` needs in `If-Match`.
#[utoipa::path(
    operation_id = "getProgress",
    tag = "ledger",
    params(
        ("task_id" = i64, Path, description = "The task's id"),
        ("unit_id" = i64, Path, description = "The responsible unit's id"),
    ),
    responses(
        (status = 200, description = "The row", body = ProgressDto, headers(("ETag" = String, description = "The row's version"))),
        (status = 403, description = "Outside the caller's part of the deployment"),
        (status = 404, description = "No such task, or the unit is not responsible for it"),
    ),
    security(("bearer" = []))
)]
#[get("/tasks/{task_id}/progress/{unit_id}")]
pub async fn get_progress(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<(Id, Id)>,
) -> Result<HttpResponse, ApiError> {
    let (Id(task_id), Id(unit_id)) = path.into_inner();
    authorize_task(&state, &who, task_id, Action::Read).await?;
    let row = db(&state, move |c| progress::get(c, task_id, unit_id)).await?;
    Ok(ok(&ProgressDto::from(row)))
}

/// Only the unit itself (and an admin) moves its ledger row.
fn require_own_row(who: &Principal, unit_id: i64) -> Result<(), ApiError> {
    match who.role {
        Role::Admin => Ok(()),
        Role::Unit if who.unit_id == Some(unit_id) => Ok(()),
        Role::Unit => Err(ApiError::Forbidden("a unit updates only its own ledger rows".into())),
        _ => Err(ApiError::Forbidden(format!(
            "the {} role comments on ledger rows; the unit itself updates its progress",
            who.role.as_str()
        ))),
    }
}

/// Move a ledger row
///
/// The unit itself moves its progress: not_started → in_progress / completed /
/// not_applicable; in_progress → blocked / completed; blocked → in_progress / completed;
/// completed → in_progress (reopened); not_applicable → not_started. Other moves → 409.
/// Needs `If-Match` with the row's ETag.
#[utoipa::path(
    operation_id = "updateProgress",
    tag = "ledger",
    params(
        ("task_id" = i64, Path, description = "The task's id"),
        ("unit_id" = i64, Path, description = "The responsible unit's id"),
        ("If-Match" = String, Header, description = "The ETag last read"),
    ),
    request_body = UpdateProgressRequest,
    responses(
        (status = 200, description = "The row after the move", body = ProgressDto, headers(("ETag" = String, description = "The row's version"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "Not the unit's own row"),
        (status = 404, description = "No such task, or the unit is not responsible for it"),
        (status = 409, description = "`illegal_transition`: the workflow refuses the move"),
        (status = 412, description = "The row changed since it was read"),
        (status = 422, description = "Invalid fields"),
        (status = 428, description = "If-Match is missing"),
    ),
    security(("bearer" = []))
)]
#[patch("/tasks/{task_id}/progress/{unit_id}")]
pub async fn update_progress(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<(Id, Id)>,
    if_match: IfMatch,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let (Id(task_id), Id(unit_id)) = path.into_inner();
    require_own_row(&who, unit_id)?;
    authorize_task(&state, &who, task_id, Action::Read).await?;
    let req: UpdateProgressRequest = body.json()?;
    let actor = who.actor();
    let row = db(&state, move |c| {
        progress::set_status(
            c,
            &actor,
            task_id,
            unit_id,
            req.status,
            req.note.as_deref(),
            |current| if_match.check(&etag_of(&ProgressDto::from(current.clone()))),
        )
    })
    .await?;
    Ok(ok(&ProgressDto::from(row)))
}

/// Add a note to a ledger row
///
/// The unit itself adds an update; the coordinator (or an admin) adds a comment.
#[utoipa::path(
    operation_id = "addProgressNote",
    tag = "ledger",
    params(
        ("task_id" = i64, Path, description = "The task's id"),
        ("unit_id" = i64, Path, description = "The responsible unit's id"),
    ),
    request_body = CreateNoteRequest,
    responses(
        (status = 201, description = "The note", body = NoteDto),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "Another unit's row, or a viewer"),
        (status = 404, description = "No such task, or the unit is not responsible for it"),
        (status = 422, description = "Invalid fields"),
    ),
    security(("bearer" = []))
)]
#[post("/tasks/{task_id}/progress/{unit_id}/notes")]
pub async fn add_note(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<(Id, Id)>,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let (Id(task_id), Id(unit_id)) = path.into_inner();
    match who.role {
        Role::Unit => require_own_row(&who, unit_id)?,
        _ => {
            who.require_global(Action::ManagePlans)?;
            authorize_task(&state, &who, task_id, Action::ManagePlans).await?;
        }
    }
    let req: CreateNoteRequest = body.json()?;
    let text = req.text.trim().to_string();
    if text.is_empty() || text.chars().count() > 5000 {
        return Err(ApiError::field("text", "a note has 1 to 5000 characters"));
    }
    if let Some(i) = req.links.iter().position(|l| !crate::http::extract::is_http_url(l)) {
        return Err(ApiError::field(format!("links[{i}]"), "a link is an http(s) URL"));
    }
    let actor = who.actor();
    let note =
        db(&state, move |c| progress::add_note(c, &actor, task_id, unit_id, &text, &req.links))
            .await?;
    let location = format!("/api/v1/tasks/{task_id}/progress");
    Ok(created(&NoteDto::from(note), location))
}
