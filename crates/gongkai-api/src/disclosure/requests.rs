//! `/api/v1/disclosure-requests`: registering, reading and listing applications for
//! disclosure (依申请公开). Handling steps live in `disclosure_actions`.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::NaiveDate;
use gongkai_core::auth::Role;
use gongkai_core::calendar::StartDayRule;
use gongkai_core::disclosure::access::View;
use gongkai_core::disclosure::registration::check_registration;
use gongkai_core::disclosure::{ApplicantKind, Channel, Status};
use gongkai_store::calendar::work_calendar;
use gongkai_store::disclosure::requests::{self, RequestFilter};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::disclosure::access::{self as access, Coverage, covered_units};
use crate::disclosure::request_types::{
    CreateDisclosureRequest, DisclosureRequestDto, DisclosureRequestList,
    DisclosureRequestSummaryDto, Shown,
};
use crate::disclosure::settings::DisclosureSettings;
use crate::http::auth::Principal;
use crate::http::clock::today;
use crate::http::error::ApiError;
use crate::http::extract::{
    Body, ChangeCursor, Paging, Query, UpdatedSince, Window, encode_change_cursor, encode_cursor,
};
use crate::http::negotiate::Format;
use crate::http::office::{Cell, Sheet, XlsxWorkbook, export_response, list_window};
use crate::http::params::Id;
use crate::http::respond::{created, ok};
use crate::http::state::{AppState, db};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_disclosure_requests)
        .service(create_disclosure_request)
        .service(get_disclosure_request);
}

/// Register an application
///
/// The handling unit (for its own unit) or a coordinator registers an application as
/// it arrived: the channel and the receipt date of Art. 31 (with the channel's own
/// dates, which must agree), the applicant, the information asked for. The reply is
/// due 20 working days after the receipt date (the receipt day not counted, by
/// default). The identity number is stored encrypted and is not echoed.
#[utoipa::path(
    operation_id = "createDisclosureRequest",
    tag = "disclosure-requests",
    request_body = CreateDisclosureRequest,
    responses(
        (status = 201, description = "Registered; `reply_due` and how it was counted", body = DisclosureRequestDto,
            headers(("ETag" = String, description = "The application's version"), ("Location" = String, description = "The application's URL"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "A viewer, or another unit's application"),
        (status = 415, description = "The body is not JSON"),
        (status = 422, description = "Invalid fields (an unknown channel or applicant kind, a receipt date in the future, dates that disagree, a bad item count), each named"),
    ),
    security(("bearer" = []))
)]
#[post("/disclosure-requests")]
pub async fn create_disclosure_request(
    state: web::Data<AppState>,
    who: Principal,
    settings: DisclosureSettings,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    access::require_handler(&who)?;
    let req: CreateDisclosureRequest = body.json()?;
    access::require_handle(&who, &state, req.unit_id).await?;
    let today = today();
    let registration = check_registration(&req.to_input(), today).map_err(ApiError::fields)?;
    let secrets = access::secrets(&state)?;
    let actor = who.actor();
    let unit_id = req.unit_id;
    let (record, calendar) = db(&state, move |c| {
        let record = requests::create(c, &actor, &secrets, unit_id, &registration)?;
        Ok((record, work_calendar(c)?))
    })
    .await?;
    let dto =
        DisclosureRequestDto::new(record, Shown::WithoutIdNumber, &calendar, settings.clock, today);
    let location = format!("/api/v1/disclosure-requests/{}", dto.id);
    Ok(created(&dto, location))
}

/// Read an application
///
/// The whole record with its clock: `reply_due` is kept current as the clock pauses,
/// restarts or is extended, and `clock.reply_due_explanation` says how it was counted.
/// The handling unit and coordinators see the applicant's identity number and contact
/// details; a viewer sees no personal data. Every read leaves an audit event.
#[utoipa::path(
    operation_id = "getDisclosureRequest",
    tag = "disclosure-requests",
    params(("id" = i64, Path, description = "The application's id")),
    responses(
        (status = 200, description = "The application", body = DisclosureRequestDto, headers(("ETag" = String, description = "The application's version"))),
        (status = 403, description = "Another unit's application"),
        (status = 404, description = "No such application"),
    ),
    security(("bearer" = []))
)]
#[get("/disclosure-requests/{id}")]
pub async fn get_disclosure_request(
    state: web::Data<AppState>,
    who: Principal,
    settings: DisclosureSettings,
    id: web::Path<Id>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().0;
    let unit = db(&state, move |c| requests::unit_of(c, id)).await?;
    let view = access::require_view(&who, &state, unit).await?;
    let full = view == View::Full;
    let secrets = access::secrets(&state)?;
    let actor = who.actor();
    let (record, calendar) = db(&state, move |c| {
        let record = requests::read(c, &actor, &secrets, id, full)?;
        Ok((record, work_calendar(c)?))
    })
    .await?;
    let shown = if full { Shown::Full } else { Shown::Redacted };
    Ok(ok(&DisclosureRequestDto::new(record, shown, &calendar, settings.clock, today())))
}

/// Filters of the application list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DisclosureListQuery {
    /// Only this handling unit (a unit's token: its own only).
    #[serde(default, deserialize_with = "crate::http::params::optional_id")]
    pub unit_id: Option<i64>,
    /// With `unit_id`: the units below it too.
    pub subtree: Option<bool>,
    /// Only this status.
    pub status: Option<Status>,
    /// Only applicants of this kind.
    pub applicant_kind: Option<ApplicantKind>,
    /// Received on or after.
    pub received_from: Option<NaiveDate>,
    /// Received on or before.
    pub received_to: Option<NaiveDate>,
    /// `true`: only open applications past their reply due date or with a decision due
    /// (`decision_due`: a consultation, payment or correction period ran out); `false`:
    /// only those that are neither.
    pub overdue: Option<bool>,
    /// Only open applications whose reply is due within this many working days of
    /// `as_of`, and those with a decision due (0–366; overdue ones included unless
    /// `overdue=false`).
    pub due_within_workdays: Option<i64>,
    /// The day the clock is read on (default: today in Asia/Shanghai).
    pub as_of: Option<NaiveDate>,
}

/// List applications
///
/// In id order. Never shows identity numbers or contact details; a viewer sees neither
/// the applicant's name nor the subject. `overdue` and `due_within_workdays` select by
/// the clock as of `as_of`, per unit (`unit_id`) or for everything the caller covers.
/// An application whose consulted party did not answer within 15 working days, whose
/// fee was not paid in time or whose correction did not come is on both lists, with
/// `decision_due` saying which step to take, until that step is recorded.
/// With `updated_since`, only the applications registered or moved after it, oldest
/// change first.
///
/// `Accept: text/csv` or XLSX exports the register (登记台账) of every application the
/// filters select (at most 10,000; more → 422 `export_too_large`), `limit` and `cursor`
/// not applied. It shows what the JSON list shows: the applicant's name and the subject
/// columns only for roles that may read them (a viewer's export has neither column),
/// never identity numbers or contact details.
#[utoipa::path(
    operation_id = "listDisclosureRequests",
    tag = "disclosure-requests",
    params(DisclosureListQuery, UpdatedSince, Paging),
    responses(
        (status = 200, description = "A page of applications; as CSV or XLSX, all of them",
            content(
                (DisclosureRequestList = "application/json"),
                (String = "text/csv", example = "编号,承办单位,申请方式,收到日期,申请人类型,申请人,申请内容,件数,状态,答复期限,剩余工作日,是否逾期,待决事项,办理结果,办结日期\r\n"),
                (XlsxWorkbook = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            )),
        (status = 403, description = "Another unit's applications"),
        (status = 406, description = "`not_acceptable`: Accept names none of JSON, CSV, XLSX"),
        (status = 422, description = "A bad query parameter, a horizon in an unpublished calendar year, or `export_too_large`"),
    ),
    security(("bearer" = []))
)]
#[get("/disclosure-requests")]
pub async fn list_disclosure_requests(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: Principal,
    settings: DisclosureSettings,
    query: Query<DisclosureListQuery>,
    since: Query<UpdatedSince>,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    let (format, window) = list_window(&req, &paging, &since)?;
    let page = window.page;
    let q = query.into_inner();
    let (status, applicant_kind) = (q.status, q.applicant_kind);
    let within = q
        .due_within_workdays
        .map(|n| {
            u32::try_from(n).ok().filter(|n| *n <= 366).ok_or_else(|| {
                ApiError::field("due_within_workdays", "a number of working days from 0 to 366")
            })
        })
        .transpose()?;
    let coverage =
        Coverage { unit_id: q.unit_id, subtree: q.subtree.unwrap_or(false), statistics: false };
    let units = covered_units(&who, &state, coverage).await?;
    let redacted = who.role == Role::Viewer;
    let as_of = q.as_of.unwrap_or_else(today);
    let by_clock = q.overdue.is_some() || within.is_some();
    let filter = RequestFilter {
        units,
        status,
        applicant_kind,
        open_only: q.overdue == Some(true) || within.is_some(),
        received_from: q.received_from,
        received_to: q.received_to,
        changes: window.changes.map(|r| r.store()),
    };
    let (rows, next_after, calendar) = db(&state, move |c| {
        let calendar = work_calendar(c)?;
        if by_clock {
            let all = requests::list_all(c, &filter, page.after)?;
            Ok((all, None, calendar))
        } else {
            let p = requests::list(c, &filter, page)?;
            Ok((p.items, p.next_after, calendar))
        }
    })
    .await?;
    let clocked = rows.into_iter().map(|r| {
        let clock = r.case().clock(&calendar, settings.clock, as_of);
        (r, clock)
    });
    let list = if by_clock {
        let horizon = match within {
            None => None,
            Some(n) => Some(
                calendar
                    .add_workdays(as_of, n, StartDayRule::NotCounted)
                    .map_err(|e| ApiError::Unprocessable { code: e.code(), detail: e.to_string() })?
                    .due,
            ),
        };
        let selected = clocked
            .filter(|(_, clock)| {
                q.overdue.is_none_or(|o| clock.listed_overdue() == o)
                    && horizon.is_none_or(|h| clock.listed_due_by(h))
            })
            .map(|(r, clock)| DisclosureRequestSummaryDto::with_clock(r, redacted, clock));
        page_of(selected, window)
    } else {
        let items: Vec<DisclosureRequestSummaryDto> = clocked
            .map(|(r, clock)| DisclosureRequestSummaryDto::with_clock(r, redacted, clock))
            .collect();
        let next_cursor = window.next_cursor(&items, next_after, |s| (s.updated_at, (s.id, 0)));
        DisclosureRequestList { items, next_cursor }
    };
    if format != Format::Json {
        let more = list.next_cursor.is_some();
        let sheet = register_sheet(&list.items, redacted);
        return export_response(&sheet, format, "disclosure-requests", more);
    }
    Ok(ok(&list))
}

fn channel_label(c: Channel) -> &'static str {
    match c {
        Channel::InPerson => "当面提交",
        Channel::RegisteredPost => "邮政快递",
        Channel::OrdinaryPost => "平常信函",
        Channel::Online => "互联网渠道",
        Channel::Fax => "传真",
    }
}

fn status_label(s: Status) -> &'static str {
    match s {
        Status::Received => "已登记",
        Status::CorrectionRequested => "补正中",
        Status::InProgress => "办理中",
        Status::Consulting => "征求意见中",
        Status::FeeNotified => "已通知收费",
        Status::Replied => "已答复",
        Status::Withdrawn => "已撤回",
        Status::Abandoned => "视为放弃",
        Status::Archived => "已归档",
    }
}

/// The register (登记台账) as a sheet: the entries as the list shows them to this
/// caller; `redacted` (a viewer) leaves out the applicant's name and the subject.
fn register_sheet(items: &[DisclosureRequestSummaryDto], redacted: bool) -> Sheet {
    let personal = ["申请人", "申请内容"];
    let columns: Vec<&str> = [
        "编号",
        "承办单位",
        "申请方式",
        "收到日期",
        "申请人类型",
        "申请人",
        "申请内容",
        "件数",
        "状态",
        "答复期限",
        "剩余工作日",
        "是否逾期",
        "待决事项",
        "办理结果",
        "办结日期",
    ]
    .into_iter()
    .filter(|c| !(redacted && personal.contains(c)))
    .collect();
    let mut sheet = Sheet::new("依申请公开登记", &columns);
    for i in items {
        let mut row: Vec<Cell> = vec![
            i.id.into(),
            i.unit_name.as_str().into(),
            channel_label(i.channel).into(),
            i.received_on.into(),
            i.applicant_kind.label().into(),
        ];
        if !redacted {
            row.push(i.applicant_name.clone().into());
            row.push(i.subject.clone().into());
        }
        row.extend([
            i.item_count.into(),
            status_label(i.status).into(),
            i.reply_due.into(),
            i.workdays_left.into(),
            i.overdue.into(),
            i.decision_due.as_ref().map(|d| d.text.as_str()).map_or(Cell::Empty, Cell::from),
            i.outcome.map(|o| o.as_str()).map_or(Cell::Empty, Cell::from),
            i.concluded_on.into(),
        ]);
        sheet.push(row);
    }
    sheet
}

/// Cuts a page out of items selected in id order (reading changes: in the order they
/// changed).
fn page_of(
    items: impl Iterator<Item = DisclosureRequestSummaryDto>,
    window: Window,
) -> DisclosureRequestList {
    let limit = usize::try_from(window.page.limit).unwrap_or(0);
    let mut items: Vec<DisclosureRequestSummaryDto> = items.take(limit + 1).collect();
    let more = items.len() > limit;
    items.truncate(limit);
    let next_cursor = items.last().filter(|_| more).map(|i| match window.changes {
        None => encode_cursor(i.id),
        Some(_) => encode_change_cursor(ChangeCursor { at: i.updated_at, key: (i.id, 0) }),
    });
    DisclosureRequestList { items, next_cursor }
}
