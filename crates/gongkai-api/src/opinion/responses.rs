//! `/api/v1/opinion-cases/{id}/responses` and `…/promises/{promise_id}/transitions`:
//! answering a case, with the promises the answer makes, and following each promise
//! up (task 30). Each response and each kept promise is evidence on the plan task the
//! case serves.

use actix_web::{HttpResponse, post, web};
use gongkai_core::auth::Role;
use gongkai_core::validation::Problems;
use gongkai_store::calendar::work_calendar;
use gongkai_store::opinion::promises::{self, Move};
use gongkai_store::opinion::{NewPromise, NewResponse, cases, responses};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::http::auth::Principal;
use crate::http::clock::today;
use crate::http::error::ApiError;
use crate::http::extract::{Body, is_http_url};
use crate::http::params::Id;
use crate::http::respond::{created, ok};
use crate::http::state::{AppState, db};
use crate::opinion::access;
use crate::opinion::types::{
    CreateOpinionResponse, CreatePromiseTransition, OpinionCaseDto, VerifyOpinionPromise,
};

/// The longest response or promise text, evidence reference or note, in characters.
pub const MAX_TEXT_CHARS: usize = 5000;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(create_opinion_response)
        .service(transition_opinion_promise)
        .service(verify_opinion_promise);
}

fn long(p: &mut Problems, field: &str, text: &str) {
    if text.chars().count() > MAX_TEXT_CHARS {
        p.add(field, format!("at most {MAX_TEXT_CHARS} characters"));
    }
}

fn check_response(req: &CreateOpinionResponse, today: chrono::NaiveDate) -> Result<(), ApiError> {
    let mut p = Problems::new();
    if req.responded_on > today {
        p.add("responded_on", format!("a response cannot be dated after today ({today})"));
    }
    let text = req.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let url = req.url.as_deref().map(str::trim).filter(|u| !u.is_empty());
    if text.is_none() && url.is_none() {
        p.add("text", "give the response's text or the url where it was published");
    }
    if let Some(t) = text {
        long(&mut p, "text", t);
    }
    if let Some(u) = url
        && !is_http_url(u)
    {
        p.add("url", "an http or https URL");
    }
    for (i, pr) in req.promises.iter().enumerate() {
        if pr.text.trim().is_empty() {
            p.add(format!("promises[{i}].text"), "say what was promised");
        }
        long(&mut p, &format!("promises[{i}].text"), &pr.text);
    }
    p.finish().map_err(ApiError::fields)
}

/// Record a response
///
/// A response to the case, by its lead unit or a co-unit (a unit's token: its own; a
/// coordinator's: any of the case's units, default the lead), with the promises (承诺)
/// it makes, each with its text, responsible unit and due date. In the same
/// transaction the response is recorded as evidence on the plan task the case serves
/// (occurred on the response date; the day of receipt as the event of a within-N-
/// working-days duty), so the plan's compliance reflects it. A closed case takes no
/// response (409).
#[utoipa::path(
    operation_id = "createOpinionResponse",
    tag = "opinion",
    params(("id" = i64, Path, description = "The case's id")),
    request_body = CreateOpinionResponse,
    responses(
        (status = 201, description = "Recorded; the whole case", body = OpinionCaseDto,
            headers(("ETag" = String, description = "The case's version"), ("Location" = String, description = "The case's URL"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "A viewer, or a unit not working on the case"),
        (status = 404, description = "No such case"),
        (status = 409, description = "`illegal_transition`: the case is closed"),
        (status = 415, description = "The body is not JSON"),
        (status = 422, description = "Invalid fields, each named"),
    ),
    security(("bearer" = []))
)]
#[post("/opinion-cases/{id}/responses")]
pub async fn create_opinion_response(
    state: web::Data<AppState>,
    who: Principal,
    id: web::Path<Id>,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    access::require_worker(&who)?;
    let id = id.into_inner().0;
    let case = db(&state, move |c| cases::get(c, id)).await?;
    // A unit answers for itself; a coordinator for the unit named, default the lead.
    let provisional = match who.role {
        Role::Unit => who.unit_id.unwrap_or(case.lead_unit_id),
        _ => case.lead_unit_id,
    };
    access::require_act(&who, &state, &case, provisional, &case.unit_ids()).await?;
    let req: CreateOpinionResponse = body.json()?;
    let unit = req.unit_id.unwrap_or(provisional);
    access::require_act(&who, &state, &case, unit, &case.unit_ids()).await?;
    let today = today();
    check_response(&req, today)?;
    let trim = |s: &Option<String>| {
        s.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(String::from)
    };
    let new = NewResponse {
        unit_id: unit,
        responded_on: req.responded_on,
        channel: req.channel,
        text: trim(&req.text),
        url: trim(&req.url),
        published: req.published,
        promises: req
            .promises
            .iter()
            .map(|p| NewPromise {
                text: p.text.trim().to_string(),
                unit_id: p.unit_id,
                due_on: p.due_on,
            })
            .collect(),
    };
    let actor = who.actor();
    let (case, calendar) = db(&state, move |c| {
        let case = responses::respond(c, &actor, id, &new)?;
        Ok((case, work_calendar(c)?))
    })
    .await?;
    let location = format!("/api/v1/opinion-cases/{}", case.id);
    Ok(created(&OpinionCaseDto::new(case, false, &calendar, today), location))
}

/// Move a promise
///
/// Follows a promise up: `kept` (on or before its due date), `kept_late` (after it) or
/// `broken`; a broken promise may later be `kept_late`. Every other move is refused
/// with 409 `illegal_transition`. Each move carries its evidence (a URL or a file
/// reference) and whether the fulfilment was made public (公开情况). A kept promise is
/// recorded as evidence on the plan task the case serves, in the same transaction. The
/// promise's unit moves it (a unit's token), or a coordinator.
#[utoipa::path(
    operation_id = "transitionOpinionPromise",
    tag = "opinion",
    params(
        ("id" = i64, Path, description = "The case's id"),
        ("promise_id" = i64, Path, description = "The promise's id"),
    ),
    request_body = CreatePromiseTransition,
    responses(
        (status = 200, description = "Moved; the whole case", body = OpinionCaseDto, headers(("ETag" = String, description = "The case's version"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "A viewer, or a unit other than the promise's"),
        (status = 404, description = "No such case or promise"),
        (status = 409, description = "`illegal_transition`: the move is not allowed from the promise's status"),
        (status = 415, description = "The body is not JSON"),
        (status = 422, description = "Invalid fields (a date in the future or contradicting the target, no evidence), each named"),
    ),
    security(("bearer" = []))
)]
#[post("/opinion-cases/{id}/promises/{promise_id}/transitions")]
pub async fn transition_opinion_promise(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<(Id, Id)>,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    access::require_worker(&who)?;
    let (Id(id), Id(promise_id)) = path.into_inner();
    let case = db(&state, move |c| cases::get(c, id)).await?;
    let promise =
        case.promises.iter().find(|p| p.id == promise_id).ok_or_else(|| {
            ApiError::NotFound(format!("promise {promise_id} of opinion case {id}"))
        })?;
    access::require_act(&who, &state, &case, promise.unit_id, &[promise.unit_id]).await?;
    let req: CreatePromiseTransition = body.json()?;
    let today = today();
    let mut p = Problems::new();
    if req.on > today {
        p.add("on", format!("cannot be after today ({today})"));
    }
    if req.evidence.trim().is_empty() {
        p.add("evidence", "give a URL or a file reference proving the move");
    }
    long(&mut p, "evidence", &req.evidence);
    if let Some(n) = &req.note {
        long(&mut p, "note", n);
    }
    p.finish().map_err(ApiError::fields)?;
    let m = Move {
        to: req.to,
        on: req.on,
        evidence_ref: req.evidence.trim().to_string(),
        published: req.published,
        note: req.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(String::from),
    };
    let actor = who.actor();
    let (case, calendar) = db(&state, move |c| {
        let case = promises::move_promise(c, &actor, id, promise_id, &m)?;
        Ok((case, work_calendar(c)?))
    })
    .await?;
    Ok(ok(&OpinionCaseDto::new(case, false, &calendar, today)))
}

/// Verify a kept promise
///
/// The coordinator checks the evidence of a promise its unit moved to `kept` or
/// `kept_late` (核实) and records the day (`verified_on`, default today) and who
/// (`verified_by`). Only a kept promise not yet verified (409 `illegal_transition`
/// otherwise); a case closes only once all its kept promises are verified. Audited; the
/// event `opinion_promise.verified`.
#[utoipa::path(
    operation_id = "verifyOpinionPromise",
    tag = "opinion",
    params(
        ("id" = i64, Path, description = "The case's id"),
        ("promise_id" = i64, Path, description = "The promise's id"),
    ),
    request_body(content = Option<VerifyOpinionPromise>, description = "Optional: the day it was verified"),
    responses(
        (status = 200, description = "Verified; the whole case", body = OpinionCaseDto, headers(("ETag" = String, description = "The case's version"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "Not a coordinator of the case's unit (a unit, a viewer)"),
        (status = 404, description = "No such case or promise"),
        (status = 409, description = "`illegal_transition`: the promise is not kept, or already verified"),
        (status = 415, description = "A body that is not JSON"),
        (status = 422, description = "A day in the future"),
    ),
    security(("bearer" = []))
)]
#[post("/opinion-cases/{id}/promises/{promise_id}/verify")]
pub async fn verify_opinion_promise(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<(Id, Id)>,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let (Id(id), Id(promise_id)) = path.into_inner();
    let case = db(&state, move |c| cases::get(c, id)).await?;
    access::require_verify(&who, &state, &case).await?;
    if !case.promises.iter().any(|p| p.id == promise_id) {
        return Err(ApiError::NotFound(format!("promise {promise_id} of opinion case {id}")));
    }
    let req: VerifyOpinionPromise =
        if body.is_empty() { VerifyOpinionPromise::default() } else { body.json()? };
    let today = today();
    let on = req.verified_on.unwrap_or(today);
    if on > today {
        return Err(ApiError::field("verified_on", format!("cannot be after today ({today})")));
    }
    let actor = who.actor();
    let (case, calendar) = db(&state, move |c| {
        let case = promises::verify(c, &actor, id, promise_id, on)?;
        Ok((case, work_calendar(c)?))
    })
    .await?;
    Ok(ok(&OpinionCaseDto::new(case, false, &calendar, today)))
}
