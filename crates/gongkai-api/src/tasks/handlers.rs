//! `/api/v1/tasks/{task_id}`: one task, and corrections to it.

use actix_web::{HttpResponse, get, patch, web};
use gongkai_core::auth::Action;
use gongkai_store::tasks;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::http::access::{authorize_task, authorize_task_in};
use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::{Body, IfMatch};
use crate::http::params::Id;
use crate::http::respond::{etag_of, ok};
use crate::http::state::{AppState, db, db_api};
use crate::tasks::types::{TaskDto, UpdateTaskRequest};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_task).service(update_task);
}

/// Get a task
#[utoipa::path(
    operation_id = "getTask",
    tag = "tasks",
    params(("task_id" = i64, Path, description = "The task's id")),
    responses(
        (status = 200, description = "The task", body = TaskDto, headers(("ETag" = String, description = "The task's version"))),
        (status = 403, description = "Outside the caller's part of the deployment"),
        (status = 404, description = "No such task"),
    ),
    security(("bearer" = []))
)]
#[get("/tasks/{task_id}")]
pub async fn get_task(
    state: web::Data<AppState>,
    who: Principal,
    task_id: web::Path<Id>,
) -> Result<HttpResponse, ApiError> {
    let task_id = task_id.into_inner().0;
    let task = db_api(&state, move |c| {
        authorize_task_in(c, &who, task_id, Action::Read)?;
        Ok(tasks::get(c, task_id)?)
    })
    .await?;
    Ok(ok(&TaskDto::from(task)))
}

/// Correct a task
///
/// Coordinators and admins correct a task's requirement text and its responsible units
/// (imports are never perfect). Needs `If-Match` with the ETag last read.
#[utoipa::path(
    operation_id = "updateTask",
    tag = "tasks",
    params(
        ("task_id" = i64, Path, description = "The task's id"),
        ("If-Match" = String, Header, description = "The ETag last read"),
    ),
    request_body = UpdateTaskRequest,
    responses(
        (status = 200, description = "The corrected task", body = TaskDto, headers(("ETag" = String, description = "The task's new version"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "The caller may not change this plan"),
        (status = 404, description = "No such task"),
        (status = 412, description = "The task changed since it was read"),
        (status = 415, description = "The body is not JSON"),
        (status = 422, description = "Invalid fields"),
        (status = 428, description = "If-Match is missing"),
    ),
    security(("bearer" = []))
)]
#[patch("/tasks/{task_id}")]
pub async fn update_task(
    state: web::Data<AppState>,
    who: Principal,
    task_id: web::Path<Id>,
    if_match: IfMatch,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let task_id = task_id.into_inner().0;
    who.require_global(Action::ManagePlans)?;
    authorize_task(&state, &who, task_id, Action::ManagePlans).await?;
    let req: UpdateTaskRequest = body.json()?;
    if let Some(ids) = &req.unit_ids
        && ids.is_empty()
    {
        return Err(ApiError::field("unit_ids", "a task needs at least one responsible unit"));
    }
    if who.unit_id.is_some() {
        // A coordinator limited to a city assigns only that city's units.
        for unit in req.unit_ids.iter().flatten().copied() {
            let exists = db(&state, move |c| gongkai_store::units::exists(c, unit)).await?;
            if !exists {
                return Err(ApiError::field("unit_ids", format!("unit {unit} does not exist")));
            }
            who.require(&state, Action::ManagePlans, Some(unit)).await?;
        }
    }
    let changes = tasks::TaskChanges { requirement: req.requirement, unit_ids: req.unit_ids };
    let actor = who.actor();
    let task = db(&state, move |c| {
        tasks::update(c, &actor, task_id, &changes, |current| {
            if_match.check(&etag_of(&TaskDto::from(current.clone())))
        })
    })
    .await?;
    Ok(ok(&TaskDto::from(task)))
}
