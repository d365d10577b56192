//! 整改: the rectification items a look-back raises, and their workflow.

use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use gongkai_core::auth::{Action, Role};
use gongkai_core::ledger::{RectificationAction, RectificationStatus};
use gongkai_store::reviews::{self, RectificationFilter};
use gongkai_store::{plans, units};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::{Body, Paging, Query, UpdatedSince};
use crate::http::params::Id;
use crate::http::respond::ok;
use crate::http::state::{AppState, db};
use crate::ledger::types::{
    RectificationActionRequest, RectificationDetail, RectificationDto, RectificationEventDto,
    RectificationList,
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
#[utoipa::path(
    operation_id = "listRectifications",
    tag = "reviews",
    params(RectificationQuery, UpdatedSince, Paging),
    responses(
        (status = 200, description = "A page of items, in id order (with `updated_since`: in the order they changed)", body = RectificationList),
        (status = 422, description = "A bad parameter"),
    ),
    security(("bearer" = []))
)]
#[get("/rectifications")]
pub async fn list_rectifications(
    state: web::Data<AppState>,
    who: Principal,
    query: Query<RectificationQuery>,
    since: Query<UpdatedSince>,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::Read)?;
    let window = paging.window(&since)?;
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
    let page = db(&state, move |c| {
        let mut filter = filter;
        if let Some(root) = limited_to {
            filter.within_units = Some(units::subtree_ids(c, root)?);
        }
        reviews::rectification_list(c, &filter, page)
    })
    .await?;
    let items: Vec<RectificationDto> = page.items.into_iter().map(RectificationDto::from).collect();
    let next_cursor = window.next_cursor(&items, page.next_after, |r| (r.updated_at, (r.id, 0)));
    Ok(ok(&RectificationList { items, next_cursor }))
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
