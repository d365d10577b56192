//! Quotas of a task: `/api/v1/tasks/{task_id}/quotas` and `/api/v1/quotas/{quota_id}`.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use gongkai_core::auth::Action;
use gongkai_core::quota::Scope;
use gongkai_store::quotas::{self, QuotaSpec};
use gongkai_store::{StoreError, groups};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::http::access::authorize_task;
use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::{Body, IfMatch, Paging, Query, page_in_memory};
use crate::http::params::Id;
use crate::http::respond::{created, etag_of, ok};
use crate::http::state::{AppState, db};
use crate::quotas::types::{CreateQuotaRequest, QuotaDto, QuotaInput, QuotaList};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_quotas)
        .service(create_quota)
        .service(get_quota)
        .service(update_quota)
        .service(delete_quota);
}

/// List a task's quotas
#[utoipa::path(
    operation_id = "listQuotas",
    tag = "quotas",
    params(("task_id" = i64, Path, description = "The task's id"), Paging),
    responses(
        (status = 200, description = "The quotas of the task, in id order", body = QuotaList),
        (status = 403, description = "Outside the caller's part of the deployment"),
        (status = 404, description = "No such task"),
    ),
    security(("bearer" = []))
)]
#[get("/tasks/{task_id}/quotas")]
pub async fn list_quotas(
    state: web::Data<AppState>,
    who: Principal,
    task_id: web::Path<Id>,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.page()?;
    let task_id = task_id.into_inner().0;
    authorize_task(&state, &who, task_id, Action::Read).await?;
    let items = db(&state, move |c| quotas::for_tasks(c, &[task_id])).await?;
    let (items, next_cursor) = page_in_memory(items, page);
    Ok(ok(&QuotaList { items: items.into_iter().map(QuotaDto::from).collect(), next_cursor }))
}

/// Add a quota to a task
///
/// Admins and coordinators. The parameters depend on `kind` (see `Quota`). `scope`
/// says whose duty it is: `task` (default: the task as a whole, any responsible unit's
/// evidence counts), `each_unit` (each responsible unit separately) or `group` (each
/// unit of the group `group_id` separately).
#[utoipa::path(
    operation_id = "createQuota",
    tag = "quotas",
    params(("task_id" = i64, Path, description = "The task's id")),
    request_body = CreateQuotaRequest,
    responses(
        (status = 201, description = "The quota was created", body = QuotaDto,
            headers(("ETag" = String, description = "The quota's version"), ("Location" = String, description = "The quota's URL"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "The caller may not change this plan"),
        (status = 404, description = "No such task"),
        (status = 415, description = "The body is not JSON"),
        (status = 422, description = "Invalid fields"),
    ),
    security(("bearer" = []))
)]
#[post("/tasks/{task_id}/quotas")]
pub async fn create_quota(
    state: web::Data<AppState>,
    who: Principal,
    task_id: web::Path<Id>,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let task_id = task_id.into_inner().0;
    who.require_global(Action::ManagePlans)?;
    authorize_task(&state, &who, task_id, Action::ManagePlans).await?;
    let input: QuotaInput = body.json::<CreateQuotaRequest>()?.into();
    let rule = input.to_rule()?;
    let scope = input.to_scope(None)?;
    authorize_scope_group(&state, &who, scope).await?;
    let spec = QuotaSpec { rule, scope, source: input.source.unwrap_or_default() };
    let actor = who.actor();
    let quota = db(&state, move |c| quotas::create(c, &actor, task_id, &spec)).await?;
    let location = format!("/api/v1/quotas/{}", quota.id);
    Ok(created(&QuotaDto::from(quota), location))
}

/// A group named by a scope must lie within the caller's reach (a city's coordinator
/// scopes quotas to that city's groups); an unknown group is left to the store (422).
async fn authorize_scope_group(
    state: &AppState,
    who: &Principal,
    scope: Scope,
) -> Result<(), ApiError> {
    let Some(group_id) = scope.group_id() else { return Ok(()) };
    if who.unit_id.is_none() {
        return Ok(());
    }
    let owner = db(state, move |c| match groups::get(c, group_id) {
        Ok(g) => Ok(Some(g.owner_unit_id)),
        Err(StoreError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    })
    .await?;
    if let Some(owner) = owner {
        who.require(state, Action::ManagePlans, owner).await?;
    }
    Ok(())
}

async fn authorize_quota(
    state: &AppState,
    who: &Principal,
    quota_id: i64,
    action: Action,
) -> Result<quotas::Quota, ApiError> {
    let quota = db(state, move |c| quotas::get(c, quota_id)).await?;
    authorize_task(state, who, quota.task_id, action).await?;
    Ok(quota)
}

/// Get a quota
#[utoipa::path(
    operation_id = "getQuota",
    tag = "quotas",
    params(("quota_id" = i64, Path, description = "The quota's id")),
    responses(
        (status = 200, description = "The quota", body = QuotaDto, headers(("ETag" = String, description = "The quota's version"))),
        (status = 403, description = "Outside the caller's part of the deployment"),
        (status = 404, description = "No such quota"),
    ),
    security(("bearer" = []))
)]
#[get("/quotas/{quota_id}")]
pub async fn get_quota(
    state: web::Data<AppState>,
    who: Principal,
    quota_id: web::Path<Id>,
) -> Result<HttpResponse, ApiError> {
    let quota = authorize_quota(&state, &who, quota_id.into_inner().0, Action::Read).await?;
    Ok(ok(&QuotaDto::from(quota)))
}

/// Update a quota
///
/// Fields not given keep their value; changing `kind` needs all of the new kind's
/// parameters. Needs `If-Match` with the ETag last read.
#[utoipa::path(
    operation_id = "updateQuota",
    tag = "quotas",
    params(
        ("quota_id" = i64, Path, description = "The quota's id"),
        ("If-Match" = String, Header, description = "The ETag last read"),
    ),
    request_body = QuotaInput,
    responses(
        (status = 200, description = "The updated quota", body = QuotaDto, headers(("ETag" = String, description = "The quota's new version"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "The caller may not change this plan"),
        (status = 404, description = "No such quota"),
        (status = 412, description = "The quota changed since it was read"),
        (status = 415, description = "The body is not JSON"),
        (status = 422, description = "Invalid fields"),
        (status = 428, description = "If-Match is missing"),
    ),
    security(("bearer" = []))
)]
#[patch("/quotas/{quota_id}")]
pub async fn update_quota(
    state: web::Data<AppState>,
    who: Principal,
    quota_id: web::Path<Id>,
    if_match: IfMatch,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let quota_id = quota_id.into_inner().0;
    who.require_global(Action::ManagePlans)?;
    authorize_quota(&state, &who, quota_id, Action::ManagePlans).await?;
    let input: QuotaInput = body.json()?;
    if let Some(group_id) = input.group_id {
        authorize_scope_group(&state, &who, Scope::Group { group_id }).await?;
    }
    let actor = who.actor();
    // The rule is built from the locked current state, so a validation error is
    // reported as such and nothing changes; the precondition is checked once the
    // request is known to be valid (a bad request is 422 whatever the ETag).
    let result = db(&state, move |c| {
        quotas::update(c, &actor, quota_id, |current| {
            let merged = input.merged_over(current);
            let as_store = |e: ApiError| match e {
                ApiError::Validation { errors, .. } => StoreError::Invalid(errors),
                other => StoreError::Internal(other.to_string()),
            };
            let rule = merged.to_rule().map_err(as_store)?;
            let scope = merged.to_scope(Some(current.scope)).map_err(as_store)?;
            if_match.check(&etag_of(&QuotaDto::from(current.clone())))?;
            Ok(QuotaSpec { rule, scope, source: merged.source.unwrap_or_default() })
        })
    })
    .await?;
    Ok(ok(&QuotaDto::from(result)))
}

/// Delete a quota
///
/// Refused (409) while evidence names the quota. Needs `If-Match`.
#[utoipa::path(
    operation_id = "deleteQuota",
    tag = "quotas",
    params(
        ("quota_id" = i64, Path, description = "The quota's id"),
        ("If-Match" = String, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 204, description = "The quota was deleted"),
        (status = 403, description = "The caller may not change this plan"),
        (status = 404, description = "No such quota"),
        (status = 409, description = "Evidence names the quota"),
        (status = 412, description = "The quota changed since it was read"),
        (status = 428, description = "If-Match is missing"),
    ),
    security(("bearer" = []))
)]
#[delete("/quotas/{quota_id}")]
pub async fn delete_quota(
    state: web::Data<AppState>,
    who: Principal,
    quota_id: web::Path<Id>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let quota_id = quota_id.into_inner().0;
    who.require_global(Action::ManagePlans)?;
    authorize_quota(&state, &who, quota_id, Action::ManagePlans).await?;
    let actor = who.actor();
    db(&state, move |c| {
        quotas::delete(c, &actor, quota_id, |current| {
            if_match.check(&etag_of(&QuotaDto::from(current.clone())))
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
