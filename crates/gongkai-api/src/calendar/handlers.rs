//! `/api/v1/calendar`: deadlines in Chinese working days, and the yearly holiday notices
//! an admin loads without a redeploy.

use actix_web::{HttpResponse, get, put, web};
use chrono::NaiveDate;
use diesel::Connection;
use gongkai_core::auth::Action;
use gongkai_core::calendar::{CalendarError, StartDayRule, WorkCalendar, YearNotice};
use gongkai_store::{Page, StoreError, calendar};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::calendar::types::{
    CalendarYearDto, CalendarYearList, DeadlineDto, PutCalendarYearRequest,
};
use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::{Body, IfMatch, Paging, Query};
use crate::http::params::calendar_error;
use crate::http::respond::{created, etag_of, ok};
use crate::http::state::{AppState, db};

/// Registers the calendar routes.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(deadline).service(list_years).service(get_year).service(put_year);
}

/// The most working days a deadline question may count.
pub const MAX_WORKDAYS: i64 = 1000;

/// A deadline question.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeadlineQuery {
    /// The day counting runs from (e.g. the day of receipt).
    #[param(example = "2021-09-30")]
    pub start: NaiveDate,
    /// How many working days, 0 to 1000.
    #[param(example = 20, minimum = 0, maximum = 1000)]
    pub workdays: i64,
    /// `not_counted` (default: counting starts the next day) or `counted`.
    pub start_day: Option<StartDayRule>,
}

/// Count working days
///
/// The date N working days after `start`: Monday–Friday minus the holidays of the State
/// Council's notice, plus the weekend days it makes working days (调休上班). The answer
/// says which holidays were skipped and which make-up days counted. A year without a
/// loaded notice answers 422 `calendar_unpublished`, never a weekends-only guess.
#[utoipa::path(
    operation_id = "computeDeadline",
    tag = "calendar",
    params(DeadlineQuery),
    responses(
        (status = 200, description = "The due date and how it was counted", body = DeadlineDto),
        (status = 422, description = "A bad parameter (the problem names it), or `calendar_unpublished`: a year the count reaches has no loaded notice"),
    ),
    security(("bearer" = []))
)]
#[get("/calendar/deadline")]
pub async fn deadline(
    state: web::Data<AppState>,
    who: Principal,
    query: Query<DeadlineQuery>,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::Read)?;
    let (start, workdays) = (query.start, query.workdays);
    if !(0..=MAX_WORKDAYS).contains(&workdays) {
        return Err(ApiError::field(
            "workdays",
            format!("workdays is between 0 and {MAX_WORKDAYS}"),
        ));
    }
    let rule = query.start_day.unwrap_or_default();
    let calendar = db(&state, calendar::work_calendar).await?;
    let n = u32::try_from(workdays).unwrap_or(0);
    let answer = calendar.add_workdays(start, n, rule).map_err(|e| calendar_error(&e))?;
    Ok(ok(&DeadlineDto::from(answer)))
}

/// List the loaded calendar years
#[utoipa::path(
    operation_id = "listCalendarYears",
    tag = "calendar",
    params(Paging),
    responses(
        (status = 200, description = "A page of loaded years, ascending", body = CalendarYearList),
        (status = 422, description = "A bad query parameter"),
    ),
    security(("bearer" = []))
)]
#[get("/calendar/years")]
pub async fn list_years(
    state: web::Data<AppState>,
    who: Principal,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::Read)?;
    let page = paging.page()?;
    let years = db(&state, calendar::all_years).await?;
    // A handful of rows: paged here, by year.
    let after = page.after.unwrap_or(i64::MIN);
    let rows: Vec<_> = years.into_iter().filter(|y| i64::from(y.year) > after).collect();
    let page = Page::from_rows(rows, page.limit, |y| i64::from(y.year)).map(CalendarYearDto::from);
    Ok(ok(&CalendarYearList::from_page(page)))
}

/// Get one calendar year
#[utoipa::path(
    operation_id = "getCalendarYear",
    tag = "calendar",
    params(("year" = i32, Path, description = "The year")),
    responses(
        (status = 200, description = "The year's notice", body = CalendarYearDto, headers(("ETag" = String, description = "The year's version"))),
        (status = 404, description = "No notice is loaded for this year"),
    ),
    security(("bearer" = []))
)]
#[get("/calendar/years/{year}")]
pub async fn get_year(
    state: web::Data<AppState>,
    who: Principal,
    year: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::Read)?;
    let year = year.into_inner();
    let found = db(&state, move |c| calendar::get_year(c, year)).await?;
    let found =
        found.ok_or_else(|| ApiError::NotFound(format!("no calendar is loaded for {year}")))?;
    Ok(ok(&CalendarYearDto::from(found)))
}

/// A calendar refusal of a notice, naming the list (`holidays` or `workdays`) at fault.
fn notice_problem(e: &CalendarError, holidays: &[NaiveDate]) -> ApiError {
    let field = match e {
        CalendarError::InvalidYear { .. } => "year",
        CalendarError::NoHolidays { .. } => "holidays",
        CalendarError::DateOutsideYear { date, .. } if holidays.contains(date) => "holidays",
        _ => "workdays",
    };
    ApiError::field(field, e.to_string())
}

/// Load a year's holiday notice
///
/// Admins only. Loads (or replaces) the State Council's notice for `year` (usually
/// published in Oct–Dec of the year before): the holidays and the make-up working days.
/// Deadlines and compliance follow it at once. 201 when the year is new, 200 when it
/// replaces a loaded one. `If-Match` is optional; when sent it must match the loaded
/// year's ETag.
#[utoipa::path(
    operation_id = "putCalendarYear",
    tag = "calendar",
    params(
        ("year" = i32, Path, minimum = 2000, maximum = 2100, description = "The year of the notice"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read, to replace only that version"),
    ),
    request_body = PutCalendarYearRequest,
    responses(
        (status = 200, description = "The year was replaced", body = CalendarYearDto, headers(("ETag" = String, description = "The year's version"))),
        (status = 201, description = "The year was loaded", body = CalendarYearDto,
            headers(("ETag" = String, description = "The year's version"), ("Location" = String, description = "The year's URL"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "Not an admin"),
        (status = 412, description = "The year changed since it was read"),
        (status = 415, description = "The body is not JSON"),
        (status = 422, description = "A date outside the year, a date both holiday and make-up day, a make-up day that is not a weekend, no holidays"),
    ),
    security(("bearer" = []))
)]
#[put("/calendar/years/{year}")]
pub async fn put_year(
    state: web::Data<AppState>,
    who: Principal,
    year: web::Path<i32>,
    if_match: IfMatch,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::ManageCalendar)?;
    let year = year.into_inner();
    let req: PutCalendarYearRequest = body.json()?;
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::field("year", "year must be between 2000 and 2100"));
    }
    // The calendar's own checks, which also sort and de-duplicate the dates.
    let mut scratch = WorkCalendar::default();
    scratch
        .insert_year(year, YearNotice { holidays: req.holidays.clone(), workdays: req.workdays })
        .map_err(|e| notice_problem(&e, &req.holidays))?;
    let notice = scratch.remove_year(year).unwrap_or_default();
    let actor = who.actor();
    let (stored, existed) = db(&state, move |c| {
        c.transaction(|c| {
            let before = calendar::get_year(c, year)?;
            match (if_match.given(), &before) {
                (Some(m), Some(b)) => m.check(&etag_of(&CalendarYearDto::from(b.clone())))?,
                (Some(_), None) => {
                    return Err(StoreError::PreconditionFailed(format!(
                        "If-Match names a version, but no notice is loaded for {year}"
                    )));
                }
                (None, _) => {}
            }
            let stored = calendar::put_year(c, &actor, year, &notice.holidays, &notice.workdays)?;
            Ok((stored, before.is_some()))
        })
    })
    .await?;
    let dto = CalendarYearDto::from(stored);
    if existed { Ok(ok(&dto)) } else { Ok(created(&dto, format!("/api/v1/calendar/years/{year}"))) }
}
