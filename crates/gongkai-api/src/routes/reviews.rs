//! 回头看 and 整改: look-backs at a plan, the rectification items they raise, and the
//! next year's plan copied from this one.

use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use gongkai_core::auth::{Action, Role};
use gongkai_core::ledger::{RectificationAction, RectificationStatus};
use gongkai_store::reviews::{self, RectificationFilter};
use gongkai_store::{plans, units};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Principal;
use crate::dto::PlanDto;
use crate::dto_ledger::{
    CopyPlanRequest, CreateReviewRequest, RectificationActionRequest, RectificationDetail,
    RectificationDto, RectificationEventDto, RectificationList, RectificationStatusSchema,
    ReviewDetail, ReviewDto, ReviewEntryDto, ReviewList,
};
use crate::error::{ApiError, Problem};
use crate::extract::{Body, Paging, page_in_memory};
use crate::respond::{created, ok};
use crate::routes::plans::readable_plan;
use crate::state::{AppState, db};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(create_review)
        .service(list_reviews)
        .service(get_review)
        .service(list_rectifications)
        .service(get_rectification)
        .service(act_on_rectification)
        .service(copy_plan);
}

/// Take a look-back
///
/// Records, for every task and responsible unit, whether the work is done and the
/// compliance findings as of `as_of` — a snapshot later evidence does not change. Each
/// shortfall becomes a rectification item owned by that unit (task-wide findings by the
/// task's lead unit), due on `rectification_due` (default 20 working days after
/// `as_of`). Coordinators and admins.
#[utoipa::path(
    operation_id = "createReview",
    tag = "reviews",
    params(("plan_id" = i64, Path, description = "The plan's id")),
    request_body = CreateReviewRequest,
    responses(
        (status = 201, description = "The look-back with its entries", body = ReviewDetail),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coordinator of this plan", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (e.g. a date whose calendar is unpublished)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/plans/{plan_id}/reviews")]
pub async fn create_review(
    state: web::Data<AppState>,
    who: Principal,
    plan_id: web::Path<i64>,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::ManagePlans)?;
    let plan = readable_plan(&state, &who, plan_id.into_inner()).await?;
    who.require(&state, Action::ManagePlans, Some(plan.issuing_unit_id)).await?;
    let req: CreateReviewRequest = body.json()?;
    if req.as_of > crate::clock::today() {
        return Err(ApiError::field("as_of", "a look-back cannot be dated in the future"));
    }
    let actor = who.actor();
    let (review, entries) = db(&state, move |c| {
        let r = reviews::create(
            c,
            &actor,
            plan.id,
            req.as_of,
            req.rectification_due,
            req.note.as_deref(),
        )?;
        let entries = reviews::entries(c, r.id)?;
        Ok((r, entries))
    })
    .await?;
    let location = format!("/api/v1/reviews/{}", review.id);
    Ok(created(
        &ReviewDetail {
            review: ReviewDto::from(review),
            entries: entries.into_iter().map(ReviewEntryDto::from).collect(),
        },
        location,
    ))
}

/// List a plan's look-backs
#[utoipa::path(
    operation_id = "listReviews",
    tag = "reviews",
    params(("plan_id" = i64, Path, description = "The plan's id"), Paging),
    responses(
        (status = 200, description = "The look-backs, oldest first", body = ReviewList),
        (status = 403, description = "Outside the caller's part of the deployment", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/plans/{plan_id}/reviews")]
pub async fn list_reviews(
    state: web::Data<AppState>,
    who: Principal,
    plan_id: web::Path<i64>,
    paging: web::Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.page()?;
    let plan = readable_plan(&state, &who, plan_id.into_inner()).await?;
    let items = db(&state, move |c| reviews::of_plan(c, plan.id)).await?;
    let (items, next_cursor) = page_in_memory(items, page);
    Ok(ok(&ReviewList { items: items.into_iter().map(ReviewDto::from).collect(), next_cursor }))
}

/// Get a look-back
#[utoipa::path(
    operation_id = "getReview",
    tag = "reviews",
    params(("review_id" = i64, Path, description = "The look-back's id")),
    responses(
        (status = 200, description = "The look-back with its entries", body = ReviewDetail),
        (status = 403, description = "Outside the caller's part of the deployment", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such look-back", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/reviews/{review_id}")]
pub async fn get_review(
    state: web::Data<AppState>,
    who: Principal,
    review_id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = review_id.into_inner();
    let (review, plan, entries) = db(&state, move |c| {
        let r = reviews::get(c, id)?;
        let p = plans::get(c, r.plan_id)?;
        Ok((r, p, reviews::entries(c, id)?))
    })
    .await?;
    who.require(&state, Action::Read, Some(plan.issuing_unit_id)).await?;
    Ok(ok(&ReviewDetail {
        review: ReviewDto::from(review),
        entries: entries.into_iter().map(ReviewEntryDto::from).collect(),
    }))
}

/// Filters of the rectification list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RectificationQuery {
    pub plan_id: Option<i64>,
    pub review_id: Option<i64>,
    /// Only items owned by this unit.
    pub unit_id: Option<i64>,
    #[param(value_type = Option<RectificationStatusSchema>)]
    pub status: Option<String>,
    /// Only items past their due date and not verified (as of today, Asia/Shanghai).
    #[serde(default)]
    pub overdue: bool,
    /// The day `overdue` is judged on; default today.
    pub as_of: Option<NaiveDate>,
}

/// List rectification items
///
/// With `overdue=true`, the items past due and not yet verified. A token limited to a
/// unit sees the items owned inside its subtree (a `unit` token: its own).
#[utoipa::path(
    operation_id = "listRectifications",
    tag = "reviews",
    params(RectificationQuery, Paging),
    responses(
        (status = 200, description = "A page of items, in id order", body = RectificationList),
        (status = 422, description = "A bad parameter", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/rectifications")]
pub async fn list_rectifications(
    state: web::Data<AppState>,
    who: Principal,
    query: web::Query<RectificationQuery>,
    paging: web::Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::Read)?;
    let page = paging.page()?;
    let q = query.into_inner();
    let status = match q.status.as_deref() {
        None => None,
        Some(s) => Some(RectificationStatus::parse(s).ok_or_else(|| {
            ApiError::field("status", "status is one of open, submitted, verified")
        })?),
    };
    let filter = RectificationFilter {
        review_id: q.review_id,
        plan_id: q.plan_id,
        unit_id: q.unit_id,
        status,
        overdue_on: q.overdue.then(|| q.as_of.unwrap_or_else(crate::clock::today)),
        within_units: None,
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
    Ok(ok(&RectificationList::from_page(page)))
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
        (status = 403, description = "Outside the caller's part of the deployment", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such item", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/rectifications/{rectification_id}")]
pub async fn get_rectification(
    state: web::Data<AppState>,
    who: Principal,
    rectification_id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = rectification_id.into_inner();
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
        ("action" = String, Path, description = "`submit`, `verify` or `reject`"),
    ),
    request_body = RectificationActionRequest,
    responses(
        (status = 200, description = "The item after the move", body = RectificationDto),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the owner unit (submit) or not a coordinator of the plan (verify, reject)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such item or action", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`illegal_transition`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (a submission without note or url, a rejection without a reason)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/rectifications/{rectification_id}/{action}")]
pub async fn act_on_rectification(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<(i64, String)>,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let (id, action) = path.into_inner();
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
        && !crate::extract::is_http_url(url)
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

/// Copy a plan to another year
///
/// Sections, tasks, responsible units and quotas (deadlines moved by the difference in
/// years). The new plan links this one and its newest look-back, so unfinished work
/// carries over visibly (task 53): list it with
/// `GET /api/v1/rectifications?review_id={carryover_review_id}&status=open`.
#[utoipa::path(
    operation_id = "copyPlan",
    tag = "plans",
    params(("plan_id" = i64, Path, description = "The plan to copy")),
    request_body = CopyPlanRequest,
    responses(
        (status = 201, description = "The new plan", body = PlanDto, headers(("Location" = String, description = "The plan's URL"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a coordinator of this plan", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such plan", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`plan_exists`: the year already has a plan", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/plans/{plan_id}/copy")]
pub async fn copy_plan(
    state: web::Data<AppState>,
    who: Principal,
    plan_id: web::Path<i64>,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::ManagePlans)?;
    let plan = readable_plan(&state, &who, plan_id.into_inner()).await?;
    who.require(&state, Action::ManagePlans, Some(plan.issuing_unit_id)).await?;
    let req: CopyPlanRequest = body.json()?;
    if !(2000..=2100).contains(&req.year) {
        return Err(ApiError::field("year", "year must be between 2000 and 2100"));
    }
    let title = req.title.unwrap_or_else(|| format!("{}年政务公开工作要点", req.year));
    if title.trim().is_empty() || title.chars().count() > 200 {
        return Err(ApiError::field("title", "a title has 1 to 200 characters"));
    }
    let actor = who.actor();
    let copy =
        db(&state, move |c| plans::copy_to_year(c, &actor, plan.id, req.year, &title)).await?;
    let location = format!("/api/v1/plans/{}", copy.id);
    Ok(created(&PlanDto::from(copy), location))
}
