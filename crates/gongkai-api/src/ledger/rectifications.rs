//! 整改: the rectification items a look-back raises, and their workflow.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::NaiveDate;
use gongkai_core::auth::{Action, Role};
use gongkai_core::ledger::{RectificationAction, RectificationStatus};
use gongkai_store::reviews::{self, Rectification, RectificationContext, RectificationFilter};
use gongkai_store::{plans, units};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::{Body, Paging, Query, UpdatedSince};
use crate::http::negotiate::Format;
use crate::http::office::{Cell, Sheet, XlsxWorkbook, export_response, list_window};
use crate::http::params::Id;
use crate::http::respond::ok;
use crate::http::state::{AppState, db};
use crate::ledger::types::{
    RectificationActionRequest, RectificationDetail, RectificationDto, RectificationEventDto,
    RectificationList, rectification_label,
};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_rectifications).service(get_rectification).service(act_on_rectification);
}

/// Filters of the rectification list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RectificationQuery {
    #[serde(default, deserialize_with = "crate::http::params::optional_id")]
    pub plan_id: Option<i64>,
    #[serde(default, deserialize_with = "crate::http::params::optional_id")]
    pub review_id: Option<i64>,
    /// Only items owned by this unit.
    #[serde(default, deserialize_with = "crate::http::params::optional_id")]
    pub unit_id: Option<i64>,
    pub status: Option<RectificationStatus>,
    /// Only items past their due date and not verified (as of today, Asia/Shanghai).
    #[serde(default)]
    pub overdue: bool,
    /// The day `overdue` is judged on; default today.
    pub as_of: Option<NaiveDate>,
}

/// List rectification items
///
/// With `overdue=true`, the items past due and not yet verified. A token limited to a
/// unit sees the items owned inside its subtree (a `unit` token: its own). With
/// `updated_since`, only the items changed after it, oldest change first.
///
/// `Accept: text/csv` or XLSX exports every item the filters select (at most 10,000;
/// more → 422 `export_too_large`), `limit` and `cursor` not applied, with the task's
/// number and the owner unit as the look-back found them and the latest note on the
/// item.
#[utoipa::path(
    operation_id = "listRectifications",
    tag = "reviews",
    params(RectificationQuery, UpdatedSince, Paging),
    responses(
        (status = 200, description = "A page of items, in id order (with `updated_since`: in the order they changed); as CSV or XLSX, all of them",
            content(
                (RectificationList = "application/json"),
                (String = "text/csv", example = "编号,回头看编号,回头看日期,任务序号,责任单位,整改事项,整改期限,状态,最近说明\r\n"),
                (XlsxWorkbook = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            )),
        (status = 406, description = "`not_acceptable`: Accept names none of JSON, CSV, XLSX"),
        (status = 422, description = "A bad parameter, or `export_too_large`"),
    ),
    security(("bearer" = []))
)]
#[get("/rectifications")]
pub async fn list_rectifications(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: Principal,
    query: Query<RectificationQuery>,
    since: Query<UpdatedSince>,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::Read)?;
    let (format, window) = list_window(&req, &paging, &since)?;
    let page = window.page;
    let q = query.into_inner();
    let status = q.status;
    let filter = RectificationFilter {
        review_id: q.review_id,
        plan_id: q.plan_id,
        unit_id: q.unit_id,
        status,
        overdue_on: q.overdue.then(|| q.as_of.unwrap_or_else(crate::http::clock::today)),
        within_units: None,
        changes: window.changes.map(|r| r.store()),
    };
    let limited_to = who.unit_id;
    let office = format != Format::Json;
    let (page, context) = db(&state, move |c| {
        let mut filter = filter;
        if let Some(root) = limited_to {
            filter.within_units = Some(units::subtree_ids(c, root)?);
        }
        let page = reviews::rectification_list(c, &filter, page)?;
        let context = if office {
            let ids: Vec<i64> = page.items.iter().map(|r| r.id).collect();
            reviews::rectification_context(c, &ids)?
        } else {
            HashMap::new()
        };
        Ok((page, context))
    })
    .await?;
    if office {
        let sheet = rectification_sheet(&page.items, &context);
        return export_response(&sheet, format, "rectifications", page.next_after.is_some());
    }
    let items: Vec<RectificationDto> = page.items.into_iter().map(RectificationDto::from).collect();
    let next_cursor = window.next_cursor(&items, page.next_after, |r| (r.updated_at, (r.id, 0)));
    Ok(ok(&RectificationList { items, next_cursor }))
}

/// The items as a sheet (整改台账).
fn rectification_sheet(
    items: &[Rectification],
    context: &HashMap<i64, RectificationContext>,
) -> Sheet {
    let mut sheet = Sheet::new(
        "整改台账",
        &[
            "编号",
            "回头看编号",
            "回头看日期",
            "任务序号",
            "责任单位",
            "整改事项",
            "整改期限",
            "状态",
            "最近说明",
        ],
    );
    for r in items {
        let c = context.get(&r.id);
        let dto = RectificationDto::from(r.clone());
        sheet.push(vec![
            r.id.into(),
            r.review_id.into(),
            c.map(|c| c.review_as_of).into(),
            c.map(|c| c.task_number).into(),
            c.map(|c| c.unit_name.as_str()).map_or(Cell::Empty, Cell::from),
            r.finding.as_str().into(),
            r.due.into(),
            rectification_label(dto.status).into(),
            c.and_then(|c| c.last_note.clone()).into(),
        ]);
    }
    sheet
}

async fn readable_item(
    state: &AppState,
    who: &Principal,
    id: i64,
) -> Result<(gongkai_store::reviews::Rectification, plans::Plan), ApiError> {
    let (item, plan) = db(state, move |c| {
        let item = reviews::rectification(c, id)?;
        let plan = reviews::plan_of(c, item.review_id)?;
        Ok((item, plan))
    })
    .await?;
    if !(who.role == Role::Unit && who.unit_id == Some(item.unit_id)) {
        who.require(state, Action::Read, Some(plan.issuing_unit_id)).await?;
    }
    Ok((item, plan))
}

/// Get a rectification item
#[utoipa::path(
    operation_id = "getRectification",
    tag = "reviews",
    params(("rectification_id" = i64, Path, description = "The item's id")),
    responses(
        (status = 200, description = "The item with its history", body = RectificationDetail),
        (status = 403, description = "Outside the caller's part of the deployment"),
        (status = 404, description = "No such item"),
    ),
    security(("bearer" = []))
)]
#[get("/rectifications/{rectification_id}")]
pub async fn get_rectification(
    state: web::Data<AppState>,
    who: Principal,
    rectification_id: web::Path<Id>,
) -> Result<HttpResponse, ApiError> {
    let id = rectification_id.into_inner().0;
    let (item, _) = readable_item(&state, &who, id).await?;
    let events = db(&state, move |c| reviews::rectification_events(c, id)).await?;
    Ok(ok(&RectificationDetail {
        item: RectificationDto::from(item),
        events: events.into_iter().map(RectificationEventDto::from).collect(),
    }))
}

/// Submit, verify or reject a rectification item
///
/// `submit`: the owner unit reports the work done, with a `note` or an evidence `url`.
/// `verify` (closes the item) and `reject` (back to open; `note` = the reason): the
/// coordinator. A move the workflow refuses → 409 `illegal_transition`.
#[utoipa::path(
    operation_id = "actOnRectification",
    tag = "reviews",
    params(
        ("rectification_id" = i64, Path, description = "The item's id"),
        ("action" = RectificationAction, Path, description = "`submit`, `verify` or `reject`"),
    ),
    request_body = RectificationActionRequest,
    responses(
        (status = 200, description = "The item after the move", body = RectificationDto),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "Not the owner unit (submit) or not a coordinator of the plan (verify, reject)"),
        (status = 404, description = "No such item or action"),
        (status = 409, description = "`illegal_transition`"),
        (status = 422, description = "Invalid fields (a submission without note or url, a rejection without a reason)"),
    ),
    security(("bearer" = []))
)]
#[post("/rectifications/{rectification_id}/{action}")]
pub async fn act_on_rectification(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<(Id, String)>,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let (Id(id), action) = path.into_inner();
    let action = match action.as_str() {
        "submit" => RectificationAction::Submit,
        "verify" => RectificationAction::Verify,
        "reject" => RectificationAction::Reject,
        other => {
            return Err(ApiError::NotFound(format!(
                "there is no action `{other}`: use submit, verify or reject"
            )));
        }
    };
    let (item, plan) = readable_item(&state, &who, id).await?;
    if action.is_coordinators() {
        who.require_global(Action::ManagePlans)?;
        who.require(&state, Action::ManagePlans, Some(plan.issuing_unit_id)).await?;
    } else if !(who.role == Role::Admin
        || (who.role == Role::Unit && who.unit_id == Some(item.unit_id)))
    {
        return Err(ApiError::Forbidden("only the owner unit submits its rectification".into()));
    }
    let req: RectificationActionRequest =
        if body.is_empty() { RectificationActionRequest::default() } else { body.json()? };
    if let Some(url) = req.url.as_deref().map(str::trim).filter(|u| !u.is_empty())
        && !crate::http::extract::is_http_url(url)
    {
        return Err(ApiError::field("url", "the evidence url is an http(s) URL"));
    }
    let actor = who.actor();
    let after = db(&state, move |c| {
        reviews::act(c, &actor, id, action, req.note.as_deref(), req.url.as_deref(), |_| Ok(()))
    })
    .await?;
    Ok(ok(&RectificationDto::from(after)))
}
