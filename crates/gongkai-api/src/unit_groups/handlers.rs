//! `/api/v1/unit-groups`: named groups of units a quota can bind one by one. Admins and
//! coordinators manage them; everyone may read them.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use gongkai_core::auth::Action;
use gongkai_store::groups::{self, GroupChanges, GroupFilter, NewGroup, UnitGroup};
use gongkai_store::units;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::{Body, IfMatch, Paging, Query};
use crate::http::params::Id;
use crate::http::respond::{created, etag_of, ok};
use crate::http::state::{AppState, db};
use crate::unit_groups::types::{
    CreateUnitGroupRequest, UnitGroupDto, UnitGroupList, UpdateUnitGroupRequest,
};

/// Registers the unit-group routes.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_groups)
        .service(create_group)
        .service(get_group)
        .service(update_group)
        .service(delete_group);
}

/// Filters of the group list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GroupQuery {
    /// Only groups with this unit among their members.
    #[serde(default, deserialize_with = "crate::http::params::optional_id")]
    pub unit_id: Option<i64>,
}

/// List unit groups
///
/// A coordinator or viewer limited to a unit sees the groups of its subtree and the
/// deployment-wide ones.
#[utoipa::path(
    operation_id = "listUnitGroups",
    tag = "unit-groups",
    params(GroupQuery, Paging),
    responses(
        (status = 200, description = "A page of groups, in id order", body = UnitGroupList),
        (status = 422, description = "A bad query parameter"),
    ),
    security(("bearer" = []))
)]
#[get("/unit-groups")]
pub async fn list_groups(
    state: web::Data<AppState>,
    who: Principal,
    query: Query<GroupQuery>,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::Read)?;
    let page = paging.page()?;
    let limited_to = who.list_root(&state).await?;
    let member = query.unit_id;
    let page = db(&state, move |c| {
        let owned_by_any_of = match limited_to {
            Some(root) => Some(units::subtree_ids(c, root)?),
            None => None,
        };
        groups::list(c, &GroupFilter { owned_by_any_of, member }, page)
    })
    .await?;
    Ok(ok(&UnitGroupList::from_page(page)))
}

/// Create a unit group
///
/// Admins and coordinators. The owner defaults to the token's unit; members must lie in
/// the owner's subtree.
#[utoipa::path(
    operation_id = "createUnitGroup",
    tag = "unit-groups",
    request_body = CreateUnitGroupRequest,
    responses(
        (status = 201, description = "The group was created", body = UnitGroupDto,
            headers(("ETag" = String, description = "The group's version"), ("Location" = String, description = "The group's URL"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "The caller may not manage groups of this owner"),
        (status = 409, description = "The owner already has a group of this name"),
        (status = 415, description = "The body is not JSON"),
        (status = 422, description = "Invalid fields"),
    ),
    security(("bearer" = []))
)]
#[post("/unit-groups")]
pub async fn create_group(
    state: web::Data<AppState>,
    who: Principal,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::ManagePlans)?;
    let req: CreateUnitGroupRequest = body.json()?;
    let owner = req.owner_unit_id.or(who.unit_id);
    if let Some(o) = owner {
        who.require(&state, Action::ManagePlans, Some(o)).await?;
    }
    let new = NewGroup {
        name: req.name,
        description: req.description.unwrap_or_default(),
        owner_unit_id: owner,
        unit_ids: req.unit_ids,
    };
    let actor = who.actor();
    let group = db(&state, move |c| groups::create(c, &actor, &new)).await?;
    let location = format!("/api/v1/unit-groups/{}", group.id);
    Ok(created(&UnitGroupDto::from(group), location))
}

/// Loads a group and checks the caller may perform `action` on its owner's groups.
async fn authorize_group(
    state: &AppState,
    who: &Principal,
    id: i64,
    action: Action,
) -> Result<UnitGroup, ApiError> {
    let group = db(state, move |c| groups::get(c, id)).await?;
    who.require(state, action, group.owner_unit_id).await?;
    Ok(group)
}

/// Get a unit group
#[utoipa::path(
    operation_id = "getUnitGroup",
    tag = "unit-groups",
    params(("group_id" = i64, Path, description = "The group's id")),
    responses(
        (status = 200, description = "The group", body = UnitGroupDto, headers(("ETag" = String, description = "The group's version"))),
        (status = 403, description = "Outside the caller's part of the deployment"),
        (status = 404, description = "No such group"),
    ),
    security(("bearer" = []))
)]
#[get("/unit-groups/{group_id}")]
pub async fn get_group(
    state: web::Data<AppState>,
    who: Principal,
    group_id: web::Path<Id>,
) -> Result<HttpResponse, ApiError> {
    let group = authorize_group(&state, &who, group_id.into_inner().0, Action::Read).await?;
    Ok(ok(&UnitGroupDto::from(group)))
}

/// Update a unit group
///
/// Rename it, describe it, or replace its members (`unit_ids`); quotas scoped to the
/// group follow its members at once. Needs `If-Match` with the ETag last read.
#[utoipa::path(
    operation_id = "updateUnitGroup",
    tag = "unit-groups",
    params(
        ("group_id" = i64, Path, description = "The group's id"),
        ("If-Match" = String, Header, description = "The ETag last read"),
    ),
    request_body = UpdateUnitGroupRequest,
    responses(
        (status = 200, description = "The updated group", body = UnitGroupDto, headers(("ETag" = String, description = "The group's new version"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "The caller may not manage this group"),
        (status = 404, description = "No such group"),
        (status = 409, description = "The owner already has a group of this name"),
        (status = 412, description = "The group changed since it was read"),
        (status = 415, description = "The body is not JSON"),
        (status = 422, description = "Invalid fields"),
        (status = 428, description = "If-Match is missing"),
    ),
    security(("bearer" = []))
)]
#[patch("/unit-groups/{group_id}")]
pub async fn update_group(
    state: web::Data<AppState>,
    who: Principal,
    group_id: web::Path<Id>,
    if_match: IfMatch,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let id = group_id.into_inner().0;
    who.require_global(Action::ManagePlans)?;
    authorize_group(&state, &who, id, Action::ManagePlans).await?;
    let req: UpdateUnitGroupRequest = body.json()?;
    let changes =
        GroupChanges { name: req.name, description: req.description, unit_ids: req.unit_ids };
    let actor = who.actor();
    let group = db(&state, move |c| {
        groups::update(c, &actor, id, &changes, |current| {
            if_match.check(&etag_of(&UnitGroupDto::from(current.clone())))
        })
    })
    .await?;
    Ok(ok(&UnitGroupDto::from(group)))
}

/// Delete a unit group
///
/// Refused (409 `group_in_use`) while a quota is scoped to the group. Needs `If-Match`.
#[utoipa::path(
    operation_id = "deleteUnitGroup",
    tag = "unit-groups",
    params(
        ("group_id" = i64, Path, description = "The group's id"),
        ("If-Match" = String, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 204, description = "The group was deleted"),
        (status = 403, description = "The caller may not manage this group"),
        (status = 404, description = "No such group"),
        (status = 409, description = "A quota is scoped to the group"),
        (status = 412, description = "The group changed since it was read"),
        (status = 428, description = "If-Match is missing"),
    ),
    security(("bearer" = []))
)]
#[delete("/unit-groups/{group_id}")]
pub async fn delete_group(
    state: web::Data<AppState>,
    who: Principal,
    group_id: web::Path<Id>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = group_id.into_inner().0;
    who.require_global(Action::ManagePlans)?;
    authorize_group(&state, &who, id, Action::ManagePlans).await?;
    let actor = who.actor();
    db(&state, move |c| {
        groups::delete(c, &actor, id, |current| {
            if_match.check(&etag_of(&UnitGroupDto::from(current.clone())))
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
