//! `GET /api/v1/opinion-cases/ledger`: the response ledger (舆情回应台账) per unit,
//! topic, source or month, as JSON, CSV or XLSX.

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{Datelike, NaiveDate};
use gongkai_core::opinion::clock::response_due;
use gongkai_core::opinion::{GroupBy, LedgerCase, LedgerPromise, LedgerRow, count_ledger};
use gongkai_store::calendar::work_calendar;
use gongkai_store::opinion::{CaseFilter, OpinionCase, cases};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::disclosure::access::{Coverage, covered_units};
use crate::http::auth::Principal;
use crate::http::clock::today;
use crate::http::error::ApiError;
use crate::http::extract::Query;
use crate::http::negotiate::{Format, choose};
use crate::http::office::{Cell, LIST_FORMATS, Sheet, office_response};
use crate::http::respond::ok;
use crate::http::state::{AppState, db};
use crate::opinion::types::OpinionLedgerDto;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_opinion_ledger);
}

/// Which ledger to count.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerQuery {
    /// The year of receipt (default: the year of `as_of`).
    #[param(example = 2021, minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
    /// How to group the rows (default `unit`).
    pub group_by: Option<GroupBy>,
    /// Only cases this unit works on; a unit's token: its own only.
    #[serde(default, deserialize_with = "crate::http::params::optional_id")]
    pub unit_id: Option<i64>,
    /// With `unit_id`: the units below it too.
    pub subtree: Option<bool>,
    /// Only cases serving tasks of this plan.
    #[serde(default, deserialize_with = "crate::http::params::optional_id")]
    pub plan_id: Option<i64>,
    /// The day the ledger stands on (default: today in Asia/Shanghai): moves recorded
    /// after it are not counted yet.
    pub as_of: Option<NaiveDate>,
}

/// The case as the ledger counts it.
pub fn ledger_case(c: &OpinionCase, calendar: &gongkai_core::calendar::WorkCalendar) -> LedgerCase {
    LedgerCase {
        source: c.source,
        topic: c.topic,
        received_on: c.received_on,
        lead_unit_id: c.lead_unit_id,
        lead_unit_name: c.lead_unit_name.clone(),
        response_due: response_due(calendar, c.received_on, c.response_workdays)
            .ok()
            .map(|e| e.due),
        first_response_on: c.first_response_on,
        promises: c
            .promises
            .iter()
            .map(|p| LedgerPromise {
                unit_id: p.unit_id,
                unit_name: p.unit_name.clone(),
                due_on: p.due_on,
                status: p.status,
                settled_on: p.settled_on,
                fulfilment_published: p.fulfilment_published,
            })
            .collect(),
    }
}

/// The ledger's columns, in Chinese, for the office formats.
const COLUMNS: [&str; 15] = [
    "分组",
    "名称",
    "收到",
    "已回应",
    "按时回应",
    "逾期回应",
    "超期未回应",
    "承诺数",
    "按期兑现",
    "逾期兑现",
    "未兑现",
    "逾期待兑现",
    "待兑现",
    "兑现已公开",
    "统计截止日",
];

fn sheet(dto: &OpinionLedgerDto) -> Sheet {
    let mut s = Sheet::new("舆情回应台账", &COLUMNS);
    for r in &dto.rows {
        let LedgerRow { key, label, .. } = r;
        s.push(vec![
            Cell::from(key),
            Cell::from(label),
            r.received.into(),
            r.responded.into(),
            r.responded_on_time.into(),
            r.responded_late.into(),
            r.response_overdue.into(),
            r.promises_made.into(),
            r.promises_kept.into(),
            r.promises_kept_late.into(),
            r.promises_broken.into(),
            r.promises_overdue.into(),
            r.promises_pending.into(),
            r.fulfilment_published.into(),
            dto.as_of.into(),
        ]);
    }
    s
}

/// Count the opinion ledger
///
/// 舆情回应台账: for the cases received in `year` (up to `as_of`), per unit (a case
/// under its lead unit, a promise under the unit that made it), topic, source or month
/// of receipt: concerns received, responded (on time, late), not responded past due;
/// promises made, kept, kept late, broken, pending past due, pending, and kept with
/// their fulfilment made public. A last row `total` adds them up. No personal data:
/// viewers may read it. `Accept: text/csv` or the XLSX type answers the same rows as a
/// spreadsheet (406 for a type the server cannot produce).
#[utoipa::path(
    operation_id = "getOpinionLedger",
    tag = "opinion",
    params(LedgerQuery),
    responses(
        (status = 200, description = "The ledger's rows",
            content(
                (OpinionLedgerDto = "application/json"),
                (String = "text/csv"),
                (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ),
            headers(("ETag" = String, description = "The answer's version"))),
        (status = 403, description = "Outside the caller's part of the deployment"),
        (status = 406, description = "`not_acceptable`: none of JSON, CSV or XLSX is acceptable"),
        (status = 422, description = "A bad query parameter"),
    ),
    security(("bearer" = []))
)]
#[get("/opinion-cases/ledger")]
pub async fn get_opinion_ledger(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: Principal,
    query: Query<LedgerQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = choose(&req, LIST_FORMATS)?;
    let q = query.into_inner();
    let as_of = q.as_of.unwrap_or_else(today);
    let year = q.year.unwrap_or_else(|| as_of.year());
    let (Some(from), Some(to)) =
        (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31))
    else {
        return Err(ApiError::field("year", "a year from 2000 to 2100"));
    };
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::field("year", "a year from 2000 to 2100"));
    }
    let coverage =
        Coverage { unit_id: q.unit_id, subtree: q.subtree.unwrap_or(false), statistics: true };
    let units = covered_units(&who, &state, coverage).await?;
    let filter = CaseFilter {
        units,
        received_from: Some(from),
        received_to: Some(to),
        plan_id: q.plan_id,
        ..CaseFilter::default()
    };
    let (all, calendar) = db(&state, move |c| {
        let all = cases::list_all(c, &filter, None)?;
        Ok((all, work_calendar(c)?))
    })
    .await?;
    let group_by = q.group_by.unwrap_or(GroupBy::Unit);
    let input: Vec<LedgerCase> = all.iter().map(|c| ledger_case(c, &calendar)).collect();
    let dto =
        OpinionLedgerDto { as_of, from, to, group_by, rows: count_ledger(&input, group_by, as_of) };
    match format {
        Format::Json => Ok(ok(&dto)),
        other => office_response(&sheet(&dto), other, &format!("opinion-ledger-{year}")),
    }
}
