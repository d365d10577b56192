//! `/api/v1/units`: the unit tree.

use actix_web::{HttpResponse, get, patch, post, web};
use gongkai_core::auth::Action;
use gongkai_core::unit::{UnitKind, UnitName};
use gongkai_store::units::{self, NewUnit, UnitChanges, UnitFilter};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::{Body, IfMatch, Paging, Query};
use crate::http::params::Id;
use crate::http::respond::{created, etag_of, ok};
use crate::http::state::{AppState, db};
use crate::units::types::{CreateUnitRequest, UnitDto, UnitList, UpdateUnitRequest};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_units).service(create_unit).service(get_unit).service(update_unit);
}

/// Filters of the unit list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitQuery {
    /// Only the direct children of this unit.
    #[serde(default, deserialize_with = "crate::http::params::optional_id")]
    pub parent_id: Option<i64>,
    /// Only units of this kind.
    pub kind: Option<UnitKind>,
    /// Only units with exactly this name.
    pub name: Option<String>,
}

/// List units
///
/// A token limited to a unit (a city's coordinator or viewer) sees that unit's subtree.
#[utoipa::path(
    operation_id = "listUnits",
    tag = "units",
    params(UnitQuery, Paging),
    responses(
        (status = 200, description = "A page of units, in id order", body = UnitList),
        (status = 422, description = "A bad query parameter"),
    ),
    security(("bearer" = []))
)]
#[get("/units")]
pub async fn list_units(
    state: web::Data<AppState>,
    who: Principal,
    query: Query<UnitQuery>,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::Read)?;
    let page = paging.page()?;
    let q = query.into_inner();
    let filter = UnitFilter {
        parent_id: q.parent_id,
        kind: q.kind,
        name: q.name,
        within: who.list_root(&state).await?,
    };
    let page = db(&state, move |c| units::list(c, &filter, page)).await?;
    Ok(ok(&UnitList::from_page(page)))
}

/// Create a unit
///
/// Admins and coordinators. A coordinator limited to a unit creates units inside its
/// subtree only; a top-level government needs an unlimited token.
#[utoipa::path(
    operation_id = "createUnit",
    tag = "units",
    request_body = CreateUnitRequest,
    responses(
        (status = 201, description = "The unit was created", body = UnitDto,
            headers(("ETag" = String, description = "The unit's version"), ("Location" = String, description = "The unit's URL"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "The caller may not create this unit"),
        (status = 409, description = "A sibling has the same name"),
        (status = 413, description = "The body is too large"),
        (status = 415, description = "The body is not JSON"),
        (status = 422, description = "Invalid fields"),
    ),
    security(("bearer" = []))
)]
#[post("/units")]
pub async fn create_unit(
    state: web::Data<AppState>,
    who: Principal,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    // Authorize on what the caller may do before reading what it sent.
    who.require_global(Action::ManageUnits)?;
    let req: CreateUnitRequest = body.json()?;
    match req.parent_id {
        Some(parent) => who.require(&state, Action::ManageUnits, Some(parent)).await?,
        None if who.unit_id.is_some() => {
            return Err(ApiError::Forbidden(
                "a token limited to a unit cannot create a top-level government".into(),
            ));
        }
        None => {}
    }
    let name = UnitName::parse(&req.name).map_err(|m| ApiError::field("name", m))?;
    let actor = who.actor();
    let new = NewUnit { name, kind: req.kind, parent_id: req.parent_id };
    let unit = db(&state, move |c| units::create(c, &actor, &new)).await?;
    let location = format!("/api/v1/units/{}", unit.id);
    Ok(created(&UnitDto::from(unit), location))
}

/// Get a unit
#[utoipa::path(
    operation_id = "getUnit",
    tag = "units",
    params(("id" = i64, Path, description = "The unit's id")),
    responses(
        (status = 200, description = "The unit", body = UnitDto, headers(("ETag" = String, description = "The unit's version"))),
        (status = 403, description = "Outside the caller's part of the deployment"),
        (status = 404, description = "No such unit"),
    ),
    security(("bearer" = []))
)]
#[get("/units/{id}")]
pub async fn get_unit(
    state: web::Data<AppState>,
    who: Principal,
    id: web::Path<Id>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().0;
    let unit = db(&state, move |c| units::get(c, id)).await?;
    who.require(&state, Action::Read, Some(unit.id)).await?;
    Ok(ok(&UnitDto::from(unit)))
}

/// Update a unit
///
/// Rename, re-kind or move a unit. Needs `If-Match` with the ETag last read.
#[utoipa::path(
    operation_id = "updateUnit",
    tag = "units",
    params(
        ("id" = i64, Path, description = "The unit's id"),
        ("If-Match" = String, Header, description = "The ETag last read"),
    ),
    request_body = UpdateUnitRequest,
    responses(
        (status = 200, description = "The updated unit", body = UnitDto, headers(("ETag" = String, description = "The unit's new version"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "The caller may not change this unit"),
        (status = 404, description = "No such unit"),
        (status = 409, description = "A sibling has the same name, or the move would make a cycle"),
        (status = 412, description = "The unit changed since it was read"),
        (status = 415, description = "The body is not JSON"),
        (status = 422, description = "Invalid fields"),
        (status = 428, description = "If-Match is missing"),
    ),
    security(("bearer" = []))
)]
#[patch("/units/{id}")]
pub async fn update_unit(
    state: web::Data<AppState>,
    who: Principal,
    id: web::Path<Id>,
    if_match: IfMatch,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().0;
    who.require_global(Action::ManageUnits)?;
    db(&state, move |c| units::get(c, id)).await?;
    who.require(&state, Action::ManageUnits, Some(id)).await?;
    let req: UpdateUnitRequest = body.json()?;
    if let Some(Some(parent)) = req.parent_id {
        who.require(&state, Action::ManageUnits, Some(parent)).await?;
    }
    if let Some(None) = req.parent_id
        && who.unit_id.is_some()
    {
        return Err(ApiError::Forbidden(
            "a token limited to a unit cannot make a unit top-level".into(),
        ));
    }
    let changes = UnitChanges {
        name: req
            .name
            .as_deref()
            .map(UnitName::parse)
            .transpose()
            .map_err(|m| ApiError::field("name", m))?,
        kind: req.kind,
        parent_id: req.parent_id,
    };
    let actor = who.actor();
    let unit = db(&state, move |c| {
        units::update(c, &actor, id, &changes, |current| {
            if_match.check(&etag_of(&UnitDto::from(current.clone())))
        })
    })
    .await?;
    Ok(ok(&UnitDto::from(unit)))
}
