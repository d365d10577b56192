//! `POST /api/v1/plans/{plan_id}/copy`: next year's plan made from this one.

use actix_web::{HttpResponse, post, web};
use gongkai_core::auth::Action;
use gongkai_store::plans;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::http::access::readable_plan;
use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::Body;
use crate::http::params::Id;
use crate::http::respond::created;
use crate::http::state::{AppState, db};
use crate::plans::types::PlanDto;

/// A plan to create from an earlier one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CopyPlanRequest {
    #[schema(example = 2022, minimum = 2000, maximum = 2100)]
    pub year: i32,
    /// Default: "<issuer><year>年政务公开工作要点", a government named by its place
    /// ("开平市2022年政务公开工作要点").
    pub title: Option<String>,
}

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(copy_plan);
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
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "Not a coordinator of this plan"),
        (status = 404, description = "No such plan"),
        (status = 409, description = "`plan_exists`: the year already has a plan"),
        (status = 422, description = "Invalid fields"),
    ),
    security(("bearer" = []))
)]
#[post("/plans/{plan_id}/copy")]
pub async fn copy_plan(
    state: web::Data<AppState>,
    who: Principal,
    plan_id: web::Path<Id>,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::ManagePlans)?;
    let plan = readable_plan(&state, &who, plan_id.into_inner().0).await?;
    who.require(&state, Action::ManagePlans, Some(plan.issuing_unit_id)).await?;
    let req: CopyPlanRequest = body.json()?;
    if !(2000..=2100).contains(&req.year) {
        return Err(ApiError::field("year", "year must be between 2000 and 2100"));
    }
    if let Some(title) = &req.title
        && (title.trim().is_empty() || title.chars().count() > 200)
    {
        return Err(ApiError::field("title", "a title has 1 to 200 characters"));
    }
    let actor = who.actor();
    let copy = db(&state, move |c| {
        let title = match req.title {
            Some(title) => title,
            None => plans::default_title(c, plan.issuing_unit_id, req.year)?,
        };
        plans::copy_to_year(c, &actor, plan.id, req.year, &title)
    })
    .await?;
    let location = format!("/api/v1/plans/{}", copy.id);
    Ok(created(&PlanDto::from(copy), location))
}
