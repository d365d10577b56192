//! `GET /api/v1/events`: what changed, in commit order, within the reader's reach.

use std::time::Duration;

use actix_web::{HttpResponse, get, web};
use gongkai_core::auth::Role;
use gongkai_core::events::EventType;
use gongkai_store::events::{self, EventQuery, Reach};
use gongkai_store::units;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::events::types::{EventDto, EventList};
use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::{DEFAULT_LIMIT, MAX_LIMIT, Query};
use crate::http::respond::ok;
use crate::http::state::{AppState, db, db_api};

/// The longest a long poll waits, in seconds.
pub const MAX_WAIT_SECONDS: u64 = 30;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_events);
}

/// What to read of the feed.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Only events after this cursor (an event id: the `next_cursor` of the page before);
    /// from the first event when absent.
    #[param(value_type = Option<String>, example = "1042")]
    pub after: Option<String>,
    /// Only these kinds, comma-separated (`quota.created,quota.changed`).
    pub types: Option<String>,
    /// Events per page: 1 to 500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// Seconds (0–30) to hold the request open while no event follows the cursor; the
    /// answer comes as soon as one commits, or empty when the time is up.
    #[param(minimum = 0, maximum = 30)]
    pub wait: Option<u64>,
}

/// The feed a caller reaches: everything for admins and for coordinators and viewers not
/// limited to a unit; a limited coordinator's or viewer's subtree; a unit's own events and
/// its city's plan-wide ones.
pub fn reach_of(conn: &mut diesel::PgConnection, who: &Principal) -> Result<Reach, ApiError> {
    Ok(match (who.role, who.unit_id) {
        (Role::Admin, _) | (_, None) => Reach::Everything,
        (Role::Unit, Some(unit)) => Reach::Unit { unit, city: units::root_of(conn, unit)? },
        (_, Some(unit)) => Reach::Subtree(unit),
    })
}

fn checked(q: &EventsQuery) -> Result<(i64, Vec<EventType>, i64, Duration), ApiError> {
    let mut errors = Vec::new();
    let after = match q.after.as_deref() {
        None => 0,
        Some(a) => a.parse::<i64>().ok().filter(|n| *n >= 0).unwrap_or_else(|| {
            errors.push(gongkai_core::validation::FieldError::new(
                "after",
                "after is a cursor this feed handed out (an event id)",
            ));
            0
        }),
    };
    let mut types = Vec::new();
    for name in q.types.as_deref().unwrap_or("").split(',').map(str::trim) {
        if name.is_empty() {
            continue;
        }
        match EventType::parse(name) {
            Some(t) => types.push(t),
            None => errors.push(gongkai_core::validation::FieldError::new(
                "types",
                format!("`{name}` is not a kind of event"),
            )),
        }
    }
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        errors.push(gongkai_core::validation::FieldError::new(
            "limit",
            format!("limit must be between 1 and {MAX_LIMIT}"),
        ));
    }
    let wait = q.wait.unwrap_or(0);
    if wait > MAX_WAIT_SECONDS {
        errors.push(gongkai_core::validation::FieldError::new(
            "wait",
            format!("wait is 0 to {MAX_WAIT_SECONDS} seconds"),
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::fields(errors));
    }
    Ok((after, types, limit, Duration::from_secs(wait)))
}

/// List events
///
/// Every committed write other systems care about, in commit order: plans imported,
/// published or copied, tasks corrected, quotas created, changed or removed, evidence
/// recorded or withdrawn, progress changed, notes added, look-backs taken, rectification
/// items opened, submitted, verified or rejected, applications registered or acted on,
/// and deadline reminders (`deadline.due_soon`, `deadline.overdue`). A write that rolled
/// back has no event. Each reader sees the events within its reach (a unit: its own, and
/// its city's plan-wide events). No event carries personal data: ids only.
///
/// Read on with `after` = the answer's `next_cursor`. With `wait` (seconds, at most 30)
/// an empty page is held back until an event follows the cursor (long polling).
#[utoipa::path(
    operation_id = "listEvents",
    tag = "events",
    params(EventsQuery),
    responses(
        (status = 200, description = "The events after the cursor, oldest first", body = EventList),
        (status = 422, description = "A bad cursor, kind of event, limit or wait, each named"),
    ),
    security(("bearer" = []))
)]
#[get("/events")]
pub async fn list_events(
    state: web::Data<AppState>,
    who: Principal,
    query: Query<EventsQuery>,
) -> Result<HttpResponse, ApiError> {
    let (after, types, limit, wait) = checked(&query)?;
    let deadline = tokio::time::Instant::now() + wait;
    let mut newest = state.events.subscribe();
    let who = who.clone();
    let reach = db_api(&state, move |c| reach_of(c, &who)).await?;
    loop {
        // Marked seen before reading, so that an event committed during the read wakes
        // the wait below.
        newest.borrow_and_update();
        let q = EventQuery { after, types: types.clone(), reach, limit };
        let found = db(&state, move |c| events::list(c, &q)).await?;
        let now = tokio::time::Instant::now();
        if !found.is_empty() || now >= deadline {
            let next_cursor = found.last().map_or(after, |e| e.id).to_string();
            let items = found.into_iter().map(EventDto::from).collect();
            return Ok(ok(&EventList { items, next_cursor }));
        }
        // Woken by a newer event anywhere (then read again: it may lie outside the
        // reader's reach or kinds), or by the deadline.
        if let Ok(Err(_)) = tokio::time::timeout_at(deadline, newest.changed()).await {
            // No signal to wait on (cannot happen while the state lives): wait it out.
            tokio::time::sleep_until(deadline).await;
        }
    }
}
