//! Handling steps of an application (`POST /disclosure-requests/{id}/actions`) and the
//! fee it would be charged (`GET /disclosure-requests/{id}/fee-quote`).

use actix_web::{HttpResponse, get, post, web};
use chrono::{Datelike, NaiveDate};
use gongkai_core::fees::{self, FeeMethod};
use gongkai_store::calendar::work_calendar;
use gongkai_store::disclosure::actions;
use gongkai_store::disclosure::requests;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::calendar::types::DeadlineDto;
use crate::disclosure::access;
use crate::disclosure::action_types::DisclosureActionRequest;
use crate::disclosure::fee_types::FeeQuoteDto;
use crate::disclosure::request_types::{DisclosureRequestDto, Shown};
use crate::disclosure::settings::DisclosureSettings;
use crate::http::auth::Principal;
use crate::http::clock::today;
use crate::http::error::ApiError;
use crate::http::extract::{Body, Query};
use crate::http::params::Id;
use crate::http::respond::ok;
use crate::http::state::{AppState, db};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(act_on_disclosure_request).service(quote_disclosure_fee);
}

/// Take a handling step
///
/// One step of the state machine, dated: `start`, `request_correction` (补正; once,
/// due within 7 working days of receipt, a later one is flagged), `receive_correction`
/// (the clock restarts; after the applicant's deadline only with `good_reason`, Art. 30),
/// `deem_withdrawn` (after the applicant's deadline), `consult` and
/// `receive_consultation_reply` (the days between are not counted, at most until the
/// party's 15 working days from `received_on` have passed, Arts. 32, 34), `extend`
/// (once, at most 20 working days, decided and told within the period), `notify_fee`
/// (once, per item or per page, within the period, on applications received from
/// 2021-01-01; the applicant pays within 20 working days from the day after
/// `received_on`) with `record_payment` or `deem_abandoned`, `reply` (Art. 36, with its
/// row of table 三), `withdraw`, `archive`. A step that does not fit the status or a
/// statutory period is refused with 409; a wrong field with 422; nothing is recorded
/// then. Each step is audited (with its `good_reason` and `received_on`). Answers the
/// application as it now stands.
#[utoipa::path(
    operation_id = "actOnDisclosureRequest",
    tag = "disclosure-requests",
    params(("id" = i64, Path, description = "The application's id")),
    request_body = DisclosureActionRequest,
    responses(
        (status = 200, description = "The step was recorded; the application now", body = DisclosureRequestDto, headers(("ETag" = String, description = "The application's version"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "A viewer, or another unit's application"),
        (status = 404, description = "No such application"),
        (status = 409, description = "The step does not fit where the application stands, with a `code`: `illegal_transition`; `correction_already_requested`; `correction_deadline_passed` (a correction after the applicant's deadline without `good_reason`, Art. 30); `correction_deadline_not_passed`; `already_extended`; `extension_too_late` (an extension decided or told to the applicant after the due date it extends, Art. 33); `fee_already_notified`; `fee_rules_not_in_force` (a fee notice on an application received before 2021-01-01, when 国办函〔2020〕109号 was not yet in force); `fee_notice_too_late` (a fee notice dated after the reply due date: it is sent within the handling period); `payment_deadline_passed`; `payment_deadline_not_passed`; `no_fee_notice`; `calendar_unpublished`"),
        (status = 415, description = "The body is not JSON"),
        (status = 422, description = "A missing, surplus or invalid field, named"),
    ),
    security(("bearer" = []))
)]
#[post("/disclosure-requests/{id}/actions")]
pub async fn act_on_disclosure_request(
    state: web::Data<AppState>,
    who: Principal,
    settings: DisclosureSettings,
    id: web::Path<Id>,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().0;
    access::require_handler(&who)?;
    let unit = db(&state, move |c| requests::unit_of(c, id)).await?;
    access::require_handle(&who, &state, unit).await?;
    let action = body.json::<DisclosureActionRequest>()?.to_action()?;
    let today = today();
    let actor = who.actor();
    let clock = settings.clock;
    let (record, calendar) = db(&state, move |c| {
        let record = actions::act(c, &actor, id, action, today, clock)?;
        Ok((record, work_calendar(c)?))
    })
    .await?;
    Ok(ok(&DisclosureRequestDto::new(record, Shown::WithoutIdNumber, &calendar, clock, today)))
}

/// Which method to quote an application's fee by.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApplicationFeeQuery {
    /// `per_item` or `per_page`.
    pub method: FeeMethod,
    /// Per page: the pages that would be supplied.
    pub pages: Option<i64>,
}

/// The fee an application would be charged.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ApplicationFeeQuoteDto {
    pub request_id: i64,
    /// The calendar month the applicant's items are counted in (the receipt's).
    #[schema(example = "2024-03")]
    pub month: String,
    /// Per item: this application's items.
    pub items: Option<u32>,
    /// Per item: the same applicant's items in earlier applications that month.
    pub prior_items: Option<u32>,
    /// Per page: the pages.
    pub pages: Option<u32>,
    pub quote: FeeQuoteDto,
    /// The payment period if the notice went out today: 20 working days from the next
    /// day; null when that period reaches an unpublished calendar year.
    pub payment_due_if_notified_today: Option<DeadlineDto>,
}

/// Quote an application's fee
///
/// Per item, the application's items are counted after the same applicant's items in
/// earlier applications of the same calendar month (applicants are recognised by
/// their normalized name and identity number); per page, by the pages given. Nothing
/// is recorded: the `notify_fee` step sends the notice.
#[utoipa::path(
    operation_id = "quoteDisclosureFee",
    tag = "disclosure-requests",
    params(("id" = i64, Path, description = "The application's id"), ApplicationFeeQuery),
    responses(
        (status = 200, description = "The fee and its bands", body = ApplicationFeeQuoteDto),
        (status = 403, description = "Another unit's application"),
        (status = 404, description = "No such application"),
        (status = 422, description = "A bad method or page count"),
    ),
    security(("bearer" = []))
)]
#[get("/disclosure-requests/{id}/fee-quote")]
pub async fn quote_disclosure_fee(
    state: web::Data<AppState>,
    who: Principal,
    id: web::Path<Id>,
    query: Query<ApplicationFeeQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().0;
    let unit = db(&state, move |c| requests::unit_of(c, id)).await?;
    if access::require_view(&who, &state, unit).await?
        != gongkai_core::disclosure::access::View::Full
    {
        // The fee follows from the applicant's other applications: personal data.
        return Err(ApiError::Forbidden(
            "an application's fee reveals the applicant's other applications; the viewer role may not read it".into(),
        ));
    }
    let q = query.into_inner();
    let method = q.method;
    let pages = match (method, q.pages) {
        (FeeMethod::PerItem, Some(_)) => {
            return Err(ApiError::field("pages", "pages belong to the per-page method"));
        }
        (FeeMethod::PerItem, None) => None,
        (FeeMethod::PerPage, None) => {
            return Err(ApiError::field("pages", "a per-page quote needs pages"));
        }
        (FeeMethod::PerPage, Some(n)) => Some(u32::try_from(n).map_err(|_| {
            ApiError::field("pages", format!("pages is a whole number from 0, not {n}"))
        })?),
    };
    let (record, prior, calendar) = db(&state, move |c| {
        let record = requests::get(c, id)?;
        let prior = requests::prior_items_this_month(c, id)?;
        Ok((record, prior, work_calendar(c)?))
    })
    .await?;
    let (quote, items, prior_items) = match pages {
        Some(n) => (fees::quote_per_page(n), None, None),
        None => (
            fees::quote_per_item(record.item_count, prior)
                .map_err(|e| ApiError::field("method", e.to_string()))?,
            Some(record.item_count),
            Some(prior),
        ),
    };
    let received: NaiveDate = record.received_on;
    let dto = ApplicationFeeQuoteDto {
        request_id: id,
        month: format!("{:04}-{:02}", received.year(), received.month()),
        items,
        prior_items,
        pages,
        quote: quote.into(),
        payment_due_if_notified_today: fees::payment_due(today(), &calendar)
            .ok()
            .map(DeadlineDto::from),
    };
    Ok(ok(&dto))
}
