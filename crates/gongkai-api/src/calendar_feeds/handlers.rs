//! `/api/v1/calendar-feeds`: a user creates, lists and revokes the secret calendar URLs
//! of a plan; `/feeds/{token}.ics` serves one, without a bearer token.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::Utc;
use gongkai_core::auth::{Reach, Role};
use gongkai_store::calendar_feeds::{self, CalendarFeed};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::calendar_feeds::entries::{entries, title};
use crate::calendar_feeds::ics::{CONTENT_TYPE, render};
use crate::calendar_feeds::types::{
    CalendarFeedDto, CalendarFeedList, CreateCalendarFeedRequest, CreatedCalendarFeedDto,
};
use crate::disclosure::settings::DisclosureSettings;
use crate::http::access::readable_plan;
use crate::http::auth::{Principal, mint_secret_token, service_token_hash};
use crate::http::clock;
use crate::http::error::ApiError;
use crate::http::extract::{Body, IfMatch, Paging, Query};
use crate::http::idempotency;
use crate::http::params::Id;
use crate::http::respond::{created, etag_of, ok};
use crate::http::state::{AppState, db, db_api};

/// Registers the routes under `/api/v1`.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(create_calendar_feed)
        .service(list_calendar_feeds)
        .service(get_calendar_feed)
        .service(revoke_calendar_feed);
}

/// Registers the feeds themselves, outside `/api/v1` (no bearer token).
pub fn feed_routes(cfg: &mut ServiceConfig) {
    cfg.service(read_calendar_feed);
}

/// The prefix of a feed's token: tells it from other secrets at a glance.
pub const FEED_TOKEN_PREFIX: &str = "gkc_";

/// The longest token a feed URL is looked up for (the prefix and 43 characters).
const MAX_TOKEN_CHARS: usize = 64;

/// The unit a new feed is limited to: a caller limited to a unit (a unit's token, a
/// limited coordinator's or viewer's) gets that unit or one below it; others any unit,
/// or none for the whole plan.
async fn feed_unit(
    state: &AppState,
    who: &Principal,
    asked: Option<i64>,
) -> Result<Option<i64>, ApiError> {
    let Some(own) = who.unit_id.filter(|_| who.role != Role::Admin) else { return Ok(asked) };
    let unit = asked.unwrap_or(own);
    if who.reach(state, Some(unit)).await? != Reach::Own {
        return Err(ApiError::Forbidden(
            "a feed of a token limited to a unit covers that unit or a unit below it".into(),
        ));
    }
    Ok(Some(unit))
}

/// Where the server is reached: `GONGKAI_PUBLIC_BASE_URL`, else the request's scheme
/// and host.
fn base_url(state: &AppState, req: &HttpRequest) -> String {
    match &state.public_base_url {
        Some(base) => base.to_string(),
        None => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    }
}

/// Create a calendar feed
///
/// A secret URL (`url`, `…/feeds/<token>.ics`) a calendar app subscribes to, readable
/// without a token: the plan's quota deadlines, its unverified rectification items and
/// the reply due dates of open applications, as all-day events (Asia/Shanghai) with
/// stable UIDs — no personal data. `unit_id` limits it to a unit's subtree (a token
/// limited to a unit: that unit by default). Any role that may read the plan; the URL
/// is shown this once (only its token's hash is kept), so the request takes no
/// `Idempotency-Key`. Revoke it with `revokeCalendarFeed`.
#[utoipa::path(
    operation_id = "createCalendarFeed",
    tag = "calendar-feeds",
    request_body = CreateCalendarFeedRequest,
    responses(
        (status = 201, description = "The feed, with `url` shown this once", body = CreatedCalendarFeedDto,
            headers(("Location" = String, description = "The feed's URL in the API"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "The plan or the unit lies outside the caller's reach"),
        (status = 404, description = "No such plan"),
        (status = 415, description = "The body is not JSON"),
        (status = 422, description = "Invalid fields (an unknown unit), each named; or an `Idempotency-Key`"),
    ),
    security(("bearer" = []))
)]
#[post("/calendar-feeds")]
pub async fn create_calendar_feed(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    if req.headers().contains_key(idempotency::HEADER) {
        return Err(ApiError::field(
            "Idempotency-Key",
            "a calendar feed's URL is shown once and its answer is never stored, so creating one takes no Idempotency-Key; if the answer was lost, revoke the feed and create another",
        ));
    }
    let asked: CreateCalendarFeedRequest = body.json()?;
    if asked.unit_id.is_some_and(|u| u < 1) {
        return Err(ApiError::field("unit_id", crate::http::params::ID_RULE));
    }
    let plan = readable_plan(&state, &who, asked.plan_id).await?;
    let unit = feed_unit(&state, &who, asked.unit_id).await?;
    let token = mint_secret_token(FEED_TOKEN_PREFIX);
    let hash = service_token_hash(&token);
    let actor = who.actor();
    let feed = db(&state, move |c| calendar_feeds::create(c, &actor, plan.id, unit, &hash)).await?;
    let url = format!("{}/feeds/{token}.ics", base_url(&state, &req));
    let location = format!("/api/v1/calendar-feeds/{}", feed.id);
    let answer = CreatedCalendarFeedDto { feed: CalendarFeedDto::from(feed), url };
    Ok(created(&answer, location))
}

/// List your calendar feeds
///
/// The caller's live feeds (made with the same token subject), in id order — never
/// their URLs.
#[utoipa::path(
    operation_id = "listCalendarFeeds",
    tag = "calendar-feeds",
    params(Paging),
    responses(
        (status = 200, description = "A page of feeds, in id order", body = CalendarFeedList),
    ),
    security(("bearer" = []))
)]
#[get("/calendar-feeds")]
pub async fn list_calendar_feeds(
    state: web::Data<AppState>,
    who: Principal,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    let page = paging.page()?;
    let sub = who.sub.clone();
    let page = db(&state, move |c| calendar_feeds::list_own(c, &sub, page)).await?;
    Ok(ok(&CalendarFeedList::from_page(page)))
}

/// The caller's own live feed `id` (an admin's: anyone's); 404 otherwise.
fn own_feed(who: &Principal, feed: CalendarFeed) -> Result<CalendarFeed, ApiError> {
    if feed.owner_sub == who.sub || who.role == Role::Admin {
        Ok(feed)
    } else {
        Err(ApiError::NotFound(format!("calendar feed {} not found", feed.id)))
    }
}

/// Get a calendar feed
///
/// One of the caller's feeds (an admin: anyone's), without its URL. Its `ETag` is what
/// `revokeCalendarFeed` needs in `If-Match`.
#[utoipa::path(
    operation_id = "getCalendarFeed",
    tag = "calendar-feeds",
    params(("feed_id" = i64, Path, description = "The feed's id")),
    responses(
        (status = 200, description = "The feed", body = CalendarFeedDto,
            headers(("ETag" = String, description = "The feed's version"))),
        (status = 404, description = "No such feed of the caller's (or it was revoked)"),
    ),
    security(("bearer" = []))
)]
#[get("/calendar-feeds/{feed_id}")]
pub async fn get_calendar_feed(
    state: web::Data<AppState>,
    who: Principal,
    feed_id: web::Path<Id>,
) -> Result<HttpResponse, ApiError> {
    let id = feed_id.into_inner().0;
    let feed = own_feed(&who, db(&state, move |c| calendar_feeds::get(c, id)).await?)?;
    Ok(ok(&CalendarFeedDto::from(feed)))
}

/// Revoke a calendar feed
///
/// From now on its URL answers 404, and it is no longer listed. Needs `If-Match` with
/// the feed's ETag. The caller's own feeds (an admin: anyone's); audited.
#[utoipa::path(
    operation_id = "revokeCalendarFeed",
    tag = "calendar-feeds",
    params(
        ("feed_id" = i64, Path, description = "The feed's id"),
        ("If-Match" = String, Header, description = "The ETag last read"),
    ),
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, description = "No such feed of the caller's (or it was revoked)"),
        (status = 412, description = "The feed changed since it was read"),
        (status = 428, description = "If-Match is missing"),
    ),
    security(("bearer" = []))
)]
#[delete("/calendar-feeds/{feed_id}")]
pub async fn revoke_calendar_feed(
    state: web::Data<AppState>,
    who: Principal,
    feed_id: web::Path<Id>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = feed_id.into_inner().0;
    let actor = who.actor();
    let (sub, admin) = (who.sub.clone(), who.role == Role::Admin);
    db(&state, move |c| {
        calendar_feeds::revoke(c, &actor, id, |current| {
            if current.owner_sub != sub && !admin {
                return Err(gongkai_store::StoreError::NotFound(format!("calendar feed {id}")));
            }
            if_match.check(&etag_of(&CalendarFeedDto::from(current.clone())))
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The token of a feed URL.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct FeedPath {
    /// The secret token of the feed's URL.
    pub token: String,
}

/// Read a calendar feed
///
/// The feed as an iCalendar document (RFC 5545, `text/calendar`), for calendar apps: no
/// bearer token — the token in the URL grants this feed only. Each quota deadline,
/// unverified rectification item and open application's reply due date is an all-day
/// event with a stable UID; application due dates follow the statutory clock as of
/// today (Asia/Shanghai). No personal data. A revoked or unknown token answers 404.
#[utoipa::path(
    operation_id = "readCalendarFeed",
    tag = "calendar-feeds",
    params(FeedPath),
    responses(
        (status = 200, description = "The calendar",
            content((String = "text/calendar", example = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n…\r\nEND:VCALENDAR\r\n"))),
        (status = 404, description = "No such feed (unknown or revoked)"),
    ),
)]
#[get("/feeds/{token}.ics")]
pub async fn read_calendar_feed(
    state: web::Data<AppState>,
    settings: DisclosureSettings,
    path: web::Path<FeedPath>,
) -> Result<HttpResponse, ApiError> {
    let token = path.into_inner().token;
    let gone = || ApiError::NotFound("no such calendar feed (unknown or revoked)".into());
    if !token.starts_with(FEED_TOKEN_PREFIX) || token.chars().count() > MAX_TOKEN_CHARS {
        return Err(gone());
    }
    let hash = service_token_hash(&token);
    let today = clock::today();
    let found = db_api(&state, move |c| {
        let Some(feed) = calendar_feeds::by_token_hash(c, &hash)? else { return Ok(None) };
        Ok(Some((title(c, &feed)?, entries(c, &feed, settings.clock, today)?)))
    })
    .await?;
    let (name, items) = found.ok_or_else(gone)?;
    let body = render(&name, &items, Utc::now());
    Ok(HttpResponse::Ok()
        .content_type(CONTENT_TYPE)
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .body(body))
}
