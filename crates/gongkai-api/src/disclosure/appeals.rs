//! `/api/v1/disclosure-appeals`: the register of administrative reviews and lawsuits
//! about disclosure, from which table 四 is computed.

use actix_web::{HttpResponse, get, patch, post, web};
use gongkai_core::disclosure::appeals::AppealResult;
use gongkai_store::disclosure::appeals::{self, AppealChanges, NewAppeal};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::disclosure::access::{self as access, Coverage, covered_units};
use crate::disclosure::appeal_types::{
    AppealDto, AppealList, CreateAppealRequest, UpdateAppealRequest,
};
use crate::http::auth::Principal;
use crate::http::clock::today;
use crate::http::error::ApiError;
use crate::http::extract::{Body, IfMatch, Paging, Query};
use crate::http::params::Id;
use crate::http::respond::{created, etag_of, ok};
use crate::http::state::{AppState, db};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_appeals).service(create_appeal).service(get_appeal).service(update_appeal);
}

fn clean(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

/// Which appeals to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AppealQuery {
    /// Only this unit (a unit's token: its own only).
    #[serde(default, deserialize_with = "crate::http::params::optional_id")]
    pub unit_id: Option<i64>,
    /// With `unit_id`: the units below it too.
    pub subtree: Option<bool>,
}

/// List reviews and lawsuits
#[utoipa::path(
    operation_id = "listDisclosureAppeals",
    tag = "disclosure-appeals",
    params(AppealQuery, Paging),
    responses(
        (status = 200, description = "A page of reviews and lawsuits, in id order", body = AppealList),
        (status = 403, description = "A unit outside the caller's part of the deployment"),
        (status = 422, description = "A bad query parameter"),
    ),
    security(("bearer" = []))
)]
#[get("/disclosure-appeals")]
pub async fn list_appeals(
    state: web::Data<AppState>,
    who: Principal,
    query: Query<AppealQuery>,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.page()?;
    let q = query.into_inner();
    let coverage =
        Coverage { unit_id: q.unit_id, subtree: q.subtree.unwrap_or(false), statistics: true };
    let units = covered_units(&who, &state, coverage).await?;
    let page = db(&state, move |c| appeals::list(c, units.as_deref(), page)).await?;
    let mut list = AppealList::from_page(page);
    list.items = list.items.into_iter().map(|a| a.for_role(who.role)).collect();
    Ok(ok(&list))
}

/// Record a review or lawsuit
///
/// The handling unit (for its own unit) or a coordinator records an administrative
/// review or a lawsuit against a disclosure decision, with its result once decided.
#[utoipa::path(
    operation_id = "createDisclosureAppeal",
    tag = "disclosure-appeals",
    request_body = CreateAppealRequest,
    responses(
        (status = 201, description = "Recorded", body = AppealDto,
            headers(("ETag" = String, description = "The record's version"), ("Location" = String, description = "The record's URL"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "A viewer, or another unit"),
        (status = 415, description = "The body is not JSON"),
        (status = 422, description = "Invalid fields, each named"),
    ),
    security(("bearer" = []))
)]
#[post("/disclosure-appeals")]
pub async fn create_appeal(
    state: web::Data<AppState>,
    who: Principal,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    access::require_handler(&who)?;
    let req: CreateAppealRequest = body.json()?;
    access::require_handle(&who, &state, req.unit_id).await?;
    let new = NewAppeal {
        unit_id: req.unit_id,
        request_id: req.request_id,
        kind: req.kind,
        filed_on: req.filed_on,
        result: req.result.unwrap_or(AppealResult::Pending),
        decided_on: req.decided_on,
        case_number: clean(req.case_number),
        note: req.note.unwrap_or_default().trim().to_string(),
    };
    let actor = who.actor();
    let today = today();
    let appeal = db(&state, move |c| appeals::create(c, &actor, &new, today)).await?;
    let location = format!("/api/v1/disclosure-appeals/{}", appeal.id);
    Ok(created(&AppealDto::from(appeal), location))
}

/// Get a review or lawsuit
#[utoipa::path(
    operation_id = "getDisclosureAppeal",
    tag = "disclosure-appeals",
    params(("id" = i64, Path, description = "The record's id")),
    responses(
        (status = 200, description = "The record", body = AppealDto, headers(("ETag" = String, description = "The record's version"))),
        (status = 403, description = "Another unit's record"),
        (status = 404, description = "No such record"),
    ),
    security(("bearer" = []))
)]
#[get("/disclosure-appeals/{id}")]
pub async fn get_appeal(
    state: web::Data<AppState>,
    who: Principal,
    id: web::Path<Id>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().0;
    let appeal = db(&state, move |c| appeals::get(c, id)).await?;
    let coverage = Coverage { unit_id: Some(appeal.unit_id), subtree: false, statistics: true };
    covered_units(&who, &state, coverage).await?;
    Ok(ok(&AppealDto::from(appeal).for_role(who.role)))
}

/// Update a review or lawsuit
///
/// Typically records the result and the decision date. Needs `If-Match` with the ETag
/// last read.
#[utoipa::path(
    operation_id = "updateDisclosureAppeal",
    tag = "disclosure-appeals",
    params(
        ("id" = i64, Path, description = "The record's id"),
        ("If-Match" = String, Header, description = "The ETag last read"),
    ),
    request_body = UpdateAppealRequest,
    responses(
        (status = 200, description = "The updated record", body = AppealDto, headers(("ETag" = String, description = "The record's new version"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "A viewer, or another unit's record"),
        (status = 404, description = "No such record"),
        (status = 412, description = "The record changed since it was read"),
        (status = 415, description = "The body is not JSON"),
        (status = 422, description = "Invalid fields, each named"),
        (status = 428, description = "If-Match is missing"),
    ),
    security(("bearer" = []))
)]
#[patch("/disclosure-appeals/{id}")]
pub async fn update_appeal(
    state: web::Data<AppState>,
    who: Principal,
    id: web::Path<Id>,
    if_match: IfMatch,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().0;
    access::require_handler(&who)?;
    let current = db(&state, move |c| appeals::get(c, id)).await?;
    access::require_handle(&who, &state, current.unit_id).await?;
    let req: UpdateAppealRequest = body.json()?;
    let changes = AppealChanges {
        result: req.result,
        decided_on: req.decided_on,
        case_number: req.case_number.map(clean),
        note: req.note.map(|n| n.trim().to_string()),
    };
    let actor = who.actor();
    let today = today();
    let appeal = db(&state, move |c| {
        appeals::update(c, &actor, id, &changes, today, |current| {
            if_match.check(&etag_of(&AppealDto::from(current.clone())))
        })
    })
    .await?;
    Ok(ok(&AppealDto::from(appeal)))
}
