//! 回头看: look-backs at a plan, each freezing the progress and findings of a day.

use actix_web::{HttpResponse, get, post, web};
use gongkai_core::auth::Action;
use gongkai_store::plans;
use gongkai_store::reviews::{self};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::http::access::readable_plan;
use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::{Body, Paging, Query, page_in_memory};
use crate::http::params::Id;
use crate::http::respond::{created, ok};
use crate::http::state::{AppState, db};
use crate::ledger::types::{
    CreateReviewRequest, ReviewDetail, ReviewDto, ReviewEntryDto, ReviewList,
};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(create_review).service(list_reviews).service(get_review);
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
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "Not a coordinator of this plan"),
        (status = 404, description = "No such plan"),
        (status = 422, description = "Invalid fields (e.g. a date whose calendar is unpublished)"),
    ),
    security(("bearer" = []))
)]
#[post("/plans/{plan_id}/reviews")]
pub async fn create_review(
    state: web::Data<AppState>,
    who: Principal,
    plan_id: web::Path<Id>,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::ManagePlans)?;
    let plan = readable_plan(&state, &who, plan_id.into_inner().0).await?;
    who.require(&state, Action::ManagePlans, Some(plan.issuing_unit_id)).await?;
    let req: CreateReviewRequest = body.json()?;
    if req.as_of > crate::http::clock::today() {
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
        (status = 403, description = "Outside the caller's part of the deployment"),
        (status = 404, description = "No such plan"),
    ),
    security(("bearer" = []))
)]
#[get("/plans/{plan_id}/reviews")]
pub async fn list_reviews(
    state: web::Data<AppState>,
    who: Principal,
    plan_id: web::Path<Id>,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.page()?;
    let plan = readable_plan(&state, &who, plan_id.into_inner().0).await?;
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
        (status = 403, description = "Outside the caller's part of the deployment"),
        (status = 404, description = "No such look-back"),
    ),
    security(("bearer" = []))
)]
#[get("/reviews/{review_id}")]
pub async fn get_review(
    state: web::Data<AppState>,
    who: Principal,
    review_id: web::Path<Id>,
) -> Result<HttpResponse, ApiError> {
    let id = review_id.into_inner().0;
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
