//! Compliance reads of a plan: the findings, the per-unit scorecard and what is due
//! soon, judged as of a day (default: today in Asia/Shanghai).
//!
//! The evaluation, the views and their serialization run on the blocking pool with the
//! database work, so a large plan does not hold up the server's event loop.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::NaiveDate;
use gongkai_core::compliance::{Finding, Status, UnitRef, due_soon, evaluate};
use gongkai_store::compliance::load_plan_of;
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::compliance::types::{
    ComplianceReport, DueSoonDto, DueSoonItemDto, FindingDto, ScorecardDto,
};
use crate::compliance::view::{
    accountable, due_soon_sheet, findings_sheet, overall_score, report, scorecard_sheet,
    unit_scores,
};
use gongkai_store::opinion::CaseFilter;

use crate::http::access::readable_plan_in;
use crate::http::auth::Principal;
use crate::http::clock;
use crate::http::error::ApiError;
use crate::http::extract::Query;
use crate::http::negotiate::{Format, choose};
use crate::http::office::{LIST_FORMATS, Sheet, XlsxWorkbook, office_bytes, office_download};
use crate::http::params::Id;
use crate::http::params::{calendar_error, compliance_error};
use crate::http::respond::ok_bytes;
use crate::http::state::{AppState, db, db_api};
use crate::opinion::dues::due_soon_and_overdue;

/// Registers the compliance reads.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(plan_compliance)
        .service(plan_compliance_csv)
        .service(plan_scorecard)
        .service(plan_scorecard_csv)
        .service(plan_due_soon);
}

/// The most working days the due-soon horizon may span.
pub const MAX_HORIZON: u32 = 250;

/// Which findings to judge and list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComplianceQuery {
    /// The day to judge on (default: today in Asia/Shanghai). Only records that occurred
    /// by then count; periods starting after it are not listed.
    #[param(example = "2021-06-30")]
    pub as_of: Option<NaiveDate>,
    /// Only the findings this unit answers for: its own (per-unit quotas) and those of
    /// quotas of the task as a whole on tasks it leads (牵头).
    #[serde(default, deserialize_with = "crate::http::params::optional_id")]
    pub unit_id: Option<i64>,
    /// Only this task's findings.
    pub task_number: Option<i32>,
    /// Only findings with this status.
    pub status: Option<Status>,
}

/// A plan judged as of a day, filtered.
struct Judged {
    plan_id: i64,
    as_of: NaiveDate,
    findings: Vec<Finding>,
    leads: HashMap<i64, UnitRef>,
    calendar: gongkai_core::calendar::WorkCalendar,
}

/// Authorizes, loads, evaluates and filters; then runs `view` on the blocking pool.
async fn judge_then<T, F>(
    state: &AppState,
    who: &Principal,
    plan_id: i64,
    q: ComplianceQuery,
    view: F,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(Judged) -> Result<T, ApiError> + Send + 'static,
{
    let as_of = q.as_of.unwrap_or_else(clock::today);
    let status = q.status;
    let (unit, task_number) = (q.unit_id, q.task_number);
    let who = who.clone();
    // One trip to the database: the plan and the caller's reach, then what judging needs.
    db_api(state, move |c| {
        let plan = readable_plan_in(c, &who, plan_id)?;
        let year = plan.year;
        let inputs = load_plan_of(c, plan, as_of, task_number)?;
        let evaluation = evaluate(year, &inputs.quotas, &inputs.evidence, &inputs.calendar, as_of)
            .map_err(|e| compliance_error(&e))?;
        let leads = inputs.leads;
        let findings = evaluation
            .findings
            .into_iter()
            .filter(|f| unit.is_none_or(|u| accountable(f, &leads) == Some(u)))
            .filter(|f| status.is_none_or(|s| f.status == s))
            .collect();
        view(Judged { plan_id, as_of, findings, leads, calendar: inputs.calendar })
    })
    .await
}

fn json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

/// The body of a read in `format`: the JSON of `value`, or `sheet(&value)` as CSV or
/// XLSX.
fn body_of<T: Serialize>(
    value: &T,
    format: Format,
    sheet: fn(&T) -> Sheet,
) -> Result<Vec<u8>, ApiError> {
    match format {
        Format::Json => Ok(json(value)),
        office => office_bytes(&sheet(value), office),
    }
}

/// The answer of a body built by [`body_of`]; a download is named `{name}-plan{id}`.
fn answer(
    body: Vec<u8>,
    format: Format,
    name: &str,
    plan_id: i64,
) -> Result<HttpResponse, ApiError> {
    match format {
        Format::Json => Ok(ok_bytes(body, "application/json")),
        office => office_download(body, office, &format!("{name}-plan{plan_id}")),
    }
}

/// Judges the plan, renders the answer with `render` in `format` on the blocking pool
/// and sends it.
async fn judged_answer(
    state: &AppState,
    who: &Principal,
    plan_id: i64,
    q: ComplianceQuery,
    format: Format,
    name: &str,
    render: fn(Judged, Format) -> Result<Vec<u8>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let body = judge_then(state, who, plan_id, q, move |j| render(j, format)).await?;
    answer(body, format, name, plan_id)
}

/// The findings with their summary (JSON), or one row per finding.
fn compliance_body(j: Judged, format: Format) -> Result<Vec<u8>, ApiError> {
    let r: ComplianceReport = report(j.plan_id, j.as_of, j.findings, &j.leads);
    body_of(&r, format, findings_sheet)
}

/// The units' scores and the plan's (JSON), or one row each.
fn scorecard_body(j: Judged, format: Format) -> Result<Vec<u8>, ApiError> {
    let units = unit_scores(&j.findings, &j.leads);
    let overall = overall_score(&j.findings);
    let dto = ScorecardDto { plan_id: j.plan_id, as_of: j.as_of, units, overall };
    body_of(&dto, format, |s| scorecard_sheet(&s.units, &s.overall))
}

/// Judge a plan's compliance
///
/// Every quota of the plan judged as of `as_of`: one finding per calendar period (count
/// quotas), per quota (deadlines, thresholds) or per triggering event
/// (within-N-working-days duties) — for the task as a whole (`unit_id` null) or per unit
/// (scope `each_unit` or `group`). Statuses follow the evidence's `occurred_on` (and
/// `event_on`), never `recorded_at`; withdrawn records do not count. Each finding says
/// which records counted, the day it is decided on and how that day was set. `summary`
/// counts the listed findings by status. `Accept: text/csv` or XLSX answers the findings
/// one row each, under Chinese column headers (no summary); the same CSV is at
/// `…/compliance.csv` (`exportPlanCompliance`).
#[utoipa::path(
    operation_id = "getPlanCompliance",
    tag = "compliance",
    params(("plan_id" = i64, Path, description = "The plan's id"), ComplianceQuery),
    responses(
        (status = 200, description = "The findings and their summary; as CSV or XLSX, one row per finding",
            content(
                (ComplianceReport = "application/json"),
                (String = "text/csv", example = "判断日期,任务序号,指标编号,指标类型,单位,责任单位,统计期起,统计期止,要求,实际,状态,截止日期,截止依据,佐证材料数,说明\r\n"),
                (XlsxWorkbook = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ),
            headers(("ETag" = String, description = "The answer's version"))),
        (status = 403, description = "Outside the caller's part of the deployment"),
        (status = 404, description = "No such plan"),
        (status = 406, description = "`not_acceptable`: Accept names none of JSON, CSV, XLSX"),
        (status = 422, description = "A bad parameter (named), or `calendar_unpublished`: a within-N-working-days limit reaches a year without a loaded notice"),
    ),
    security(("bearer" = []))
)]
#[get("/plans/{plan_id}/compliance")]
pub async fn plan_compliance(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: Principal,
    plan_id: web::Path<Id>,
    query: Query<ComplianceQuery>,
) -> Result<HttpResponse, ApiError> {
    let (plan_id, q, format) =
        (plan_id.into_inner().0, query.into_inner(), choose(&req, LIST_FORMATS)?);
    judged_answer(&state, &who, plan_id, q, format, "compliance", compliance_body).await
}

/// Export a plan's compliance as CSV
///
/// The findings of `getPlanCompliance`, one CSV row each (UTF-8 after a byte-order mark,
/// RFC 4180, Chinese column headers), for spreadsheets: the same as
/// `getPlanCompliance` with `Accept: text/csv`.
#[utoipa::path(
    operation_id = "exportPlanCompliance",
    tag = "compliance",
    params(("plan_id" = i64, Path, description = "The plan's id"), ComplianceQuery),
    responses(
        (status = 200, description = "One CSV row per finding",
            content((String = "text/csv", example = "判断日期,任务序号,指标编号,指标类型,单位,责任单位,统计期起,统计期止,要求,实际,状态,截止日期,截止依据,佐证材料数,说明\r\n")),
            headers(("ETag" = String, description = "The answer's version"))),
        (status = 403, description = "Outside the caller's part of the deployment"),
        (status = 404, description = "No such plan"),
        (status = 422, description = "A bad parameter (named), or `calendar_unpublished`"),
    ),
    security(("bearer" = []))
)]
#[get("/plans/{plan_id}/compliance.csv")]
pub async fn plan_compliance_csv(
    state: web::Data<AppState>,
    who: Principal,
    plan_id: web::Path<Id>,
    query: Query<ComplianceQuery>,
) -> Result<HttpResponse, ApiError> {
    let (plan_id, q) = (plan_id.into_inner().0, query.into_inner());
    judged_answer(&state, &who, plan_id, q, Format::Csv, "compliance", compliance_body).await
}

/// Score a plan's units
///
/// For the performance assessment (绩效考核, task 49): per unit, its findings by status
/// and two rates. A unit answers for the findings of its per-unit quotas and, as lead
/// unit (牵头单位), for those of quotas of the task as a whole. `decided` = met +
/// met_late + missed + overdue (pending findings can still go either way and are left
/// out); compliance rate `rate` = (met + met_late) / decided; on-time rate
/// `on_time_rate` = met / decided; both null when nothing is decided. `overall` counts
/// every finding of the plan once. Filters as for the compliance read (`unit_id` keeps
/// that unit's row). `Accept: text/csv` or XLSX answers a row per unit and a last row
/// (合计) for the plan, the rates as fractions; the same CSV is at `…/scorecard.csv`
/// (`exportPlanScorecard`).
#[utoipa::path(
    operation_id = "getPlanScorecard",
    tag = "compliance",
    params(("plan_id" = i64, Path, description = "The plan's id"), ComplianceQuery),
    responses(
        (status = 200, description = "The scorecard; as CSV or XLSX, a row per unit then the plan",
            content(
                (ScorecardDto = "application/json"),
                (String = "text/csv", example = "行,单位编号,单位,事项数,任务整体事项数,已达标,逾期完成,未达标,已逾期,进行中,已判定,达标率,按时率\r\n"),
                (XlsxWorkbook = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ),
            headers(("ETag" = String, description = "The answer's version"))),
        (status = 403, description = "Outside the caller's part of the deployment"),
        (status = 404, description = "No such plan"),
        (status = 406, description = "`not_acceptable`: Accept names none of JSON, CSV, XLSX"),
        (status = 422, description = "A bad parameter (named), or `calendar_unpublished`"),
    ),
    security(("bearer" = []))
)]
#[get("/plans/{plan_id}/scorecard")]
pub async fn plan_scorecard(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: Principal,
    plan_id: web::Path<Id>,
    query: Query<ComplianceQuery>,
) -> Result<HttpResponse, ApiError> {
    let (plan_id, q, format) =
        (plan_id.into_inner().0, query.into_inner(), choose(&req, LIST_FORMATS)?);
    judged_answer(&state, &who, plan_id, q, format, "scorecard", scorecard_body).await
}

/// Export a plan's scorecard as CSV
///
/// The rows of `getPlanScorecard`: one per unit and a last row for the plan (CSV after a
/// UTF-8 byte-order mark, Chinese column headers), as `getPlanScorecard` answers
/// `Accept: text/csv`.
#[utoipa::path(
    operation_id = "exportPlanScorecard",
    tag = "compliance",
    params(("plan_id" = i64, Path, description = "The plan's id"), ComplianceQuery),
    responses(
        (status = 200, description = "One CSV row per unit, then the plan",
            content((String = "text/csv", example = "行,单位编号,单位,事项数,任务整体事项数,已达标,逾期完成,未达标,已逾期,进行中,已判定,达标率,按时率\r\n")),
            headers(("ETag" = String, description = "The answer's version"))),
        (status = 403, description = "Outside the caller's part of the deployment"),
        (status = 404, description = "No such plan"),
        (status = 422, description = "A bad parameter (named), or `calendar_unpublished`"),
    ),
    security(("bearer" = []))
)]
#[get("/plans/{plan_id}/scorecard.csv")]
pub async fn plan_scorecard_csv(
    state: web::Data<AppState>,
    who: Principal,
    plan_id: web::Path<Id>,
    query: Query<ComplianceQuery>,
) -> Result<HttpResponse, ApiError> {
    let (plan_id, q) = (plan_id.into_inner().0, query.into_inner());
    judged_answer(&state, &who, plan_id, q, Format::Csv, "scorecard", scorecard_body).await
}

/// The due-soon question.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DueSoonQuery {
    /// The horizon in working days after `as_of` (default 10, at most 250).
    #[param(example = 10, minimum = 0, maximum = 250)]
    pub within_workdays: Option<u32>,
}

/// List what is overdue or due soon
///
/// Pending findings whose period ends within `within_workdays` working days of `as_of`
/// (the day of `as_of` not counted), and every overdue finding — for one unit
/// (`unit_id`: what it answers for) or for the whole plan. Unverified rectification items
/// (of this plan's look-backs and the one carried over) are listed beside them, and so are
/// the opinion cases of the plan's tasks awaiting a response and their pending promises
/// (`opinion_due_soon`, `opinion_overdue`). `Accept: text/csv` or XLSX answers one row per
/// finding (due soon with the working days left, then overdue), then one per
/// rectification item.
#[utoipa::path(
    operation_id = "getPlanDueSoon",
    tag = "compliance",
    params(("plan_id" = i64, Path, description = "The plan's id"), ComplianceQuery, DueSoonQuery),
    responses(
        (status = 200, description = "What is due soon and what is overdue; as CSV or XLSX, one row each",
            content(
                (DueSoonDto = "application/json"),
                (String = "text/csv", example = "类别,剩余工作日,任务序号,指标编号,指标类型,单位,责任单位,统计期起,统计期止,要求,实际,状态,截止日期,截止依据,佐证材料数,说明,整改事项编号,整改事项\r\n"),
                (XlsxWorkbook = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ),
            headers(("ETag" = String, description = "The answer's version"))),
        (status = 403, description = "Outside the caller's part of the deployment"),
        (status = 404, description = "No such plan"),
        (status = 406, description = "`not_acceptable`: Accept names none of JSON, CSV, XLSX"),
        (status = 422, description = "A bad parameter (named), or `calendar_unpublished`: the horizon reaches a year without a loaded notice"),
    ),
    security(("bearer" = []))
)]
#[get("/plans/{plan_id}/due-soon")]
pub async fn plan_due_soon(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: Principal,
    plan_id: web::Path<Id>,
    query: Query<ComplianceQuery>,
    horizon: Query<DueSoonQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = choose(&req, LIST_FORMATS)?;
    let within = horizon.within_workdays.unwrap_or(10);
    if within > MAX_HORIZON {
        return Err(ApiError::field(
            "within_workdays",
            format!("within_workdays is between 0 and {MAX_HORIZON}"),
        ));
    }
    let q = query.into_inner();
    let unit = q.unit_id;
    let plan_id = plan_id.into_inner().0;
    let mut dto = judge_then(&state, &who, plan_id, q, move |j| {
        let soon =
            due_soon(&j.findings, j.as_of, within, &j.calendar).map_err(|e| calendar_error(&e))?;
        Ok(DueSoonDto {
            plan_id: j.plan_id,
            as_of: soon.as_of,
            within_workdays: soon.within_workdays,
            horizon: soon.horizon,
            due_soon: soon
                .due_soon
                .into_iter()
                .map(|i| DueSoonItemDto {
                    finding: FindingDto::new(i.finding, &j.leads),
                    workdays_left: i.workdays_left,
                })
                .collect(),
            overdue: soon.overdue.into_iter().map(|f| FindingDto::new(f, &j.leads)).collect(),
            rectifications_due_soon: Vec::new(),
            rectifications_overdue: Vec::new(),
            opinion_due_soon: Vec::new(),
            opinion_overdue: Vec::new(),
        })
    })
    .await?;
    let (horizon, as_of) = (dto.horizon, dto.as_of);
    let (items, cases, calendar) = db(&state, move |c| {
        let plan = gongkai_store::plans::get(c, plan_id)?;
        let items = gongkai_store::reviews::unverified_for_plan(c, &plan, unit, horizon)?;
        let open = CaseFilter { plan_id: Some(plan_id), open_only: true, ..CaseFilter::default() };
        let cases = gongkai_store::opinion::cases::list_all(c, &open, None)?;
        Ok((items, cases, gongkai_store::calendar::work_calendar(c)?))
    })
    .await?;
    (dto.opinion_due_soon, dto.opinion_overdue) =
        due_soon_and_overdue(&cases, &calendar, as_of, horizon, unit);
    for item in items {
        let item = crate::ledger::types::RectificationDto::from(item);
        if item.due < dto.as_of {
            dto.rectifications_overdue.push(item);
        } else {
            dto.rectifications_due_soon.push(item);
        }
    }
    let body = web::block(move || body_of(&dto, format, due_soon_sheet))
        .await
        .map_err(|e| ApiError::Internal(format!("rendering what is due soon: {e}")))??;
    answer(body, format, "due-soon", plan_id)
}
