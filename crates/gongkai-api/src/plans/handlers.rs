//! `/api/v1/plans`: plans, their sections and tasks.

use actix_web::{HttpResponse, get, patch, web};
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
use crate::http::extract::{Body, IfMatch, Paging, Query, UpdatedSince};
use crate::http::params::Id;
use crate::http::respond::{etag_of, ok};
use crate::http::state::{AppState, db, db_api};
use crate::plans::types::{PlanDto, PlanList, SectionList, UpdatePlanRequest};
use crate::tasks::types::{TaskDto, TaskList};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_plans)
        .service(get_plan)
        .service(update_plan)
        .service(list_sections)
        .service(list_tasks);
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
/// A token limited to a unit sees the plans issued inside its subtree. With
/// `updated_since`, only the plans changed after it (publication included), oldest change
/// first.
#[utoipa::path(
    operation_id = "listPlans",
    tag = "plans",
    params(PlanQuery, UpdatedSince, Paging),
    responses(
        (status = 200, description = "A page of plans, in id order (with `updated_since`: in the order they changed)", body = PlanList),
        (status = 422, description = "A bad query parameter"),
    ),
    security(("bearer" = []))
)]
#[get("/plans")]
pub async fn list_plans(
    state: web::Data<AppState>,
    who: Principal,
    query: Query<PlanQuery>,
    since: Query<UpdatedSince>,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::Read)?;
    let window = paging.window(&since)?;
    let year = query.year;
    let limited_to = who.list_root(&state).await?;
    let page = db(&state, move |c| {
        let issued_by_any_of = match limited_to {
            Some(root) => Some(units::subtree_ids(c, root)?),
            None => None,
        };
        let changes = window.changes.map(|r| r.store());
        let filter = PlanFilter { year, issued_by_any_of, published_only: false, changes };
        plans::list(c, &filter, window.page)
    })
    .await?;
    let items: Vec<PlanDto> = page.items.into_iter().map(PlanDto::from).collect();
    let next_cursor = window.next_cursor(&items, page.next_after, |p| (p.updated_at, (p.id, 0)));
    Ok(ok(&PlanList { items, next_cursor }))
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

/// Publish a plan, or withdraw it from the public
///
/// `{"published": true}` shows the plan to the public at `/public/v1/plans/{plan_id}`
/// (no token, no personal data, no notes: its sections and tasks, their units, quotas,
/// ledger statuses, compliance and latest look-back); `false` withdraws it. A
/// coordinator reaching the plan's issuing government, or an admin. Needs `If-Match`
/// with the plan's ETag; audited (`plan.publish`, `plan.unpublish`).
#[utoipa::path(
    operation_id = "updatePlan",
    tag = "plans",
    params(
        ("plan_id" = i64, Path, description = "The plan's id"),
        ("If-Match" = String, Header, description = "The ETag last read"),
    ),
    request_body = UpdatePlanRequest,
    responses(
        (status = 200, description = "The plan after the change", body = PlanDto, headers(("ETag" = String, description = "The plan's new version"))),
        (status = 403, description = "The caller may not change this plan"),
        (status = 404, description = "No such plan"),
        (status = 412, description = "The plan changed since it was read"),
        (status = 428, description = "If-Match is missing"),
    ),
    security(("bearer" = []))
)]
#[patch("/plans/{plan_id}")]
pub async fn update_plan(
    state: web::Data<AppState>,
    who: Principal,
    plan_id: web::Path<Id>,
    if_match: IfMatch,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let plan_id = plan_id.into_inner().0;
    who.require_global(Action::ManagePlans)?;
    let plan = db(&state, move |c| plans::get(c, plan_id)).await?;
    who.require(&state, Action::ManagePlans, Some(plan.issuing_unit_id)).await?;
    let req: UpdatePlanRequest = body.json()?;
    let Some(published) = req.published else {
        return Err(ApiError::field("published", "give the fields to change: published"));
    };
    let actor = who.actor();
    let plan = db(&state, move |c| {
        plans::set_published(c, &actor, plan_id, published, |current| {
            if_match.check(&etag_of(&PlanDto::from(current.clone())))
        })
    })
    .await?;
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
///
/// With `updated_since`, only the tasks changed after it — their text, units (or a
/// unit's name) or quotas — oldest change first.
#[utoipa::path(
    operation_id = "listTasks",
    tag = "tasks",
    params(("plan_id" = i64, Path, description = "The plan's id"), TaskQuery, UpdatedSince, Paging),
    responses(
        (status = 200, description = "A page of tasks, in number order (with `updated_since`: in the order they changed)", body = TaskList),
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
    since: Query<UpdatedSince>,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    let window = paging.window(&since)?;
    let plan_id = plan_id.into_inner().0;
    let filter = TaskFilter {
        section_number: query.section,
        unit_id: query.unit_id,
        changes: window.changes.map(|r| r.store()),
    };
    // One trip to the database: the plan, the caller's reach, the page.
    let page = db_api(&state, move |c| {
        let plan = readable_plan_in(c, &who, plan_id)?;
        Ok(tasks::list(c, plan.id, &filter, window.page)?)
    })
    .await?;
    let items: Vec<TaskDto> = page.items.into_iter().map(TaskDto::from).collect();
    let next_cursor = window.next_cursor(&items, page.next_after, |t| (t.updated_at, (t.id, 0)));
    Ok(ok(&TaskList { items, next_cursor }))
}
