//! `/api/v1/plans`: plans, their sections and tasks.

use actix_web::{HttpResponse, get, web};
use gongkai_core::auth::Action;
use gongkai_store::plans::{self, PlanFilter};
use gongkai_store::tasks::{self, TaskFilter};
use gongkai_store::units;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::http::access::{readable_plan, readable_plan_in};
use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::{Paging, Query};
use crate::http::params::Id;
use crate::http::respond::ok;
use crate::http::state::{AppState, db, db_api};
use crate::plans::types::{PlanDto, PlanList, SectionList};
use crate::tasks::types::TaskList;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_plans).service(get_plan).service(list_sections).service(list_tasks);
}

/// Filters of the plan list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanQuery {
    /// Only plans of this year.
    pub year: Option<i32>,
}

/// List plans
///
/// A token limited to a unit sees the plans issued inside its subtree.
#[utoipa::path(
    operation_id = "listPlans",
    tag = "plans",
    params(PlanQuery, Paging),
    responses(
        (status = 200, description = "A page of plans, in id order", body = PlanList),
        (status = 422, description = "A bad query parameter"),
    ),
    security(("bearer" = []))
)]
#[get("/plans")]
pub async fn list_plans(
    state: web::Data<AppState>,
    who: Principal,
    query: Query<PlanQuery>,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::Read)?;
    let page = paging.page()?;
    let year = query.year;
    let limited_to = who.list_root(&state).await?;
    let page = db(&state, move |c| {
        let issued_by_any_of = match limited_to {
            Some(root) => Some(units::subtree_ids(c, root)?),
            None => None,
        };
        plans::list(c, &PlanFilter { year, issued_by_any_of }, page)
    })
    .await?;
    Ok(ok(&PlanList::from_page(page)))
}

/// Get a plan
#[utoipa::path(
    operation_id = "getPlan",
    tag = "plans",
    params(("plan_id" = i64, Path, description = "The plan's id")),
    responses(
        (status = 200, description = "The plan", body = PlanDto, headers(("ETag" = String, description = "The plan's version"))),
        (status = 403, description = "Outside the caller's part of the deployment"),
        (status = 404, description = "No such plan"),
    ),
    security(("bearer" = []))
)]
#[get("/plans/{plan_id}")]
pub async fn get_plan(
    state: web::Data<AppState>,
    who: Principal,
    plan_id: web::Path<Id>,
) -> Result<HttpResponse, ApiError> {
    let plan = readable_plan(&state, &who, plan_id.into_inner().0).await?;
    Ok(ok(&PlanDto::from(plan)))
}

/// List a plan's sections
#[utoipa::path(
    operation_id = "listSections",
    tag = "plans",
    params(("plan_id" = i64, Path, description = "The plan's id"), Paging),
    responses(
        (status = 200, description = "A page of sections, in number order", body = SectionList),
        (status = 403, description = "Outside the caller's part of the deployment"),
        (status = 404, description = "No such plan"),
        (status = 422, description = "A bad query parameter"),
    ),
    security(("bearer" = []))
)]
#[get("/plans/{plan_id}/sections")]
pub async fn list_sections(
    state: web::Data<AppState>,
    who: Principal,
    plan_id: web::Path<Id>,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.page()?;
    let plan = readable_plan(&state, &who, plan_id.into_inner().0).await?;
    let page = db(&state, move |c| plans::sections(c, plan.id, page)).await?;
    Ok(ok(&SectionList::from_page(page)))
}

/// Filters of the task list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskQuery {
    /// Only tasks of the section with this number (一 = 1).
    pub section: Option<i32>,
    /// Only tasks this unit is responsible for (lead or co-responsible).
    #[serde(default, deserialize_with = "crate::http::params::optional_id")]
    pub unit_id: Option<i64>,
}

/// List a plan's tasks
#[utoipa::path(
    operation_id = "listTasks",
    tag = "tasks",
    params(("plan_id" = i64, Path, description = "The plan's id"), TaskQuery, Paging),
    responses(
        (status = 200, description = "A page of tasks, in number order", body = TaskList),
        (status = 403, description = "Outside the caller's part of the deployment"),
        (status = 404, description = "No such plan"),
        (status = 422, description = "A bad query parameter"),
    ),
    security(("bearer" = []))
)]
#[get("/plans/{plan_id}/tasks")]
pub async fn list_tasks(
    state: web::Data<AppState>,
    who: Principal,
    plan_id: web::Path<Id>,
    query: Query<TaskQuery>,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.page()?;
    let plan_id = plan_id.into_inner().0;
    let filter = TaskFilter { section_number: query.section, unit_id: query.unit_id };
    // One trip to the database: the plan, the caller's reach, the page.
    let page = db_api(&state, move |c| {
        let plan = readable_plan_in(c, &who, plan_id)?;
        Ok(tasks::list(c, plan.id, &filter, page)?)
    })
    .await?;
    Ok(ok(&TaskList::from_page(page)))
}
