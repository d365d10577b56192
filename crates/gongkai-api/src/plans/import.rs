//! `POST /api/v1/plans/import`: a plan from the text of its document.

use actix_web::{HttpResponse, post, web};
use gongkai_core::auth::Action;
use gongkai_core::plan::default_title;
use gongkai_store::PageRequest;
use gongkai_store::plans::{self, OnExisting};
use gongkai_store::units::{self, UnitFilter};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::{Body, Query};
use crate::http::respond::{created, ok};
use crate::http::state::{AppState, db};
use crate::plans::import_types::ImportResult;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(import_plan);
}

/// How to import.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The plan's year.
    #[param(minimum = 2000, maximum = 2100)]
    pub year: i32,
    /// The plan's title (default: "<issuer><year>年政务公开工作要点", a government named by
    /// its place: "开平市2022年政务公开工作要点").
    pub title: Option<String>,
    /// Parse and answer the structure without storing anything.
    #[serde(default)]
    pub dry_run: bool,
    /// Replace the issuer's existing plan for the year. Refused (409
    /// `plan_has_evidence`) once evidence has been recorded against it.
    #[serde(default)]
    pub replace: bool,
    /// The issuing government. Default: the caller's unit for a token limited to a unit,
    /// else the only top-level government.
    #[serde(default, deserialize_with = "crate::http::params::optional_id")]
    pub issuing_unit_id: Option<i64>,
}

/// The plan's text sent as JSON, for clients that only send JSON bodies.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportPlanRequest {
    /// The plan's text as copied from its PDF or Word table.
    pub text: String,
}

/// Import a plan from its text
///
/// The body is the plan's text as copied from its PDF or Word table, either as such
/// (`text/plain; charset=utf-8`) or as JSON `{"text": "…"}` (`application/json`). A dry run answers the structure the importer read; otherwise the
/// plan, its sections, tasks, units (unknown units are created under the issuing
/// government) and quotas are stored in one transaction. A year that already has a plan
/// answers 409 `plan_exists` unless `replace=true`. Either way each date a task names
/// outside `year` is warned about (`date_outside_plan_year`, naming the task and the
/// date): last year's text imported as this year's plan would have its deadlines
/// overdue at once.
#[utoipa::path(
    operation_id = "importPlan",
    tag = "plans",
    params(ImportQuery),
    request_body(description = "The plan's text, UTF-8: as JSON `{\"text\": …}` or as plain text",
        content(
            (ImportPlanRequest = "application/json"),
            (String = "text/plain"),
        )),
    responses(
        (status = 200, description = "Dry run: the structure read", body = ImportResult),
        (status = 201, description = "The plan was stored", body = ImportResult, headers(("Location" = String, description = "The plan's URL"))),
        (status = 403, description = "The caller may not import plans"),
        (status = 409, description = "The year already has a plan, or it has evidence and cannot be replaced"),
        (status = 413, description = "The text is too large"),
        (status = 415, description = "The body is neither JSON nor text/plain"),
        (status = 422, description = "The text cannot be read as a plan (the problem names the line), or a bad parameter"),
    ),
    security(("bearer" = []))
)]
#[post("/plans/import")]
pub async fn import_plan(
    state: web::Data<AppState>,
    who: Principal,
    query: Query<ImportQuery>,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::ManagePlans)?;
    let q = query.into_inner();
    if !(2000..=2100).contains(&q.year) {
        return Err(ApiError::field("year", "year must be between 2000 and 2100"));
    }
    let issuer = match q.issuing_unit_id.or(who.unit_id) {
        Some(id) => {
            who.require(&state, Action::ManagePlans, Some(id)).await?;
            Some(id)
        }
        None => None,
    };
    let bytes = if body.is_json() {
        body.json::<ImportPlanRequest>()?.text.into_bytes()
    } else {
        body.text_bytes()?.to_vec()
    };
    if let Some(title) = &q.title
        && (title.trim().is_empty() || title.chars().count() > 200)
    {
        return Err(ApiError::field("title", "a title has 1 to 200 characters"));
    }
    let (known, issuer) = db(&state, move |c| {
        let all = units::list(c, &UnitFilter::default(), PageRequest::first(10_000))?.items;
        let issuer = match issuer {
            Some(id) => Ok(id),
            None => match all.iter().filter(|u| u.parent_id.is_none()).collect::<Vec<_>>()[..] {
                [one] => Ok(one.id),
                [] => Err("there is no government yet: create one first"),
                _ => Err("there are several governments: say which issues the plan"),
            },
        };
        let issuer = issuer.map(|id| (id, all.iter().find(|u| u.id == id).map(|u| u.name.clone())));
        Ok((all.into_iter().map(|u| u.name).collect::<Vec<_>>(), issuer))
    })
    .await?;
    // The issuer's name titles the plan; a dry run without a known issuer uses the year.
    let issuer_name = issuer.as_ref().ok().and_then(|(_, name)| name.clone()).unwrap_or_default();
    let title = q.title.clone().unwrap_or_else(|| default_title(&issuer_name, q.year));
    let refs: Vec<&str> = known.iter().map(String::as_str).collect();
    let mut parsed = gongkai_core::import::parse_plan_bytes(&bytes, &refs).map_err(|e| {
        // The field names the line; the message is the importer's own, with its code.
        ApiError::field(
            e.line.map_or_else(|| "body".to_string(), |l| format!("body:line {l}")),
            format!("{} [{}]", e.message, e.code),
        )
    })?;
    parsed.check_year(q.year);
    if q.dry_run {
        return Ok(ok(&ImportResult::new(None, q.year, title, parsed)));
    }
    let (issuer, _) = issuer.map_err(|message| ApiError::field("issuing_unit_id", message))?;
    let actor = who.actor();
    let year = q.year;
    let on_existing = if q.replace { OnExisting::Replace } else { OnExisting::Refuse };
    let (plan, parsed) = db(&state, move |c| {
        let plan = plans::store_import(c, &actor, issuer, year, &title, &parsed, on_existing)?;
        Ok((plan, parsed))
    })
    .await?;
    let location = format!("/api/v1/plans/{}", plan.id);
    Ok(created(&ImportResult::new(Some(plan.id), plan.year, plan.title, parsed), location))
}
