//! `/api/v1/annual-reports/{year}/…`: tables 三 and 四 of the annual report (年度报告),
//! computed from the register.

use actix_web::{HttpResponse, get, web};
use gongkai_core::disclosure::appeals::table4;
use gongkai_core::disclosure::report::{ReportFormat, table3};
use gongkai_store::disclosure::reports;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::disclosure::access::{Coverage, covered_units};
use crate::disclosure::report_types::{AppealsTableDto, ApplicationsTableDto};
use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::Query;
use crate::http::respond::ok;
use crate::http::state::{AppState, db};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_applications_table).service(get_appeals_table);
}

/// Which units a table covers.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Only this unit (a unit's token: its own, the default).
    #[serde(default, deserialize_with = "crate::http::params::optional_id")]
    pub unit_id: Option<i64>,
    /// With `unit_id`: the units below it too (a government and its departments).
    pub subtree: Option<bool>,
    /// Table 三 only: `2021` (default) or `2019`.
    pub format: Option<ReportFormat>,
}

fn checked_year(year: i32) -> Result<i32, ApiError> {
    if (2019..=2100).contains(&year) {
        Ok(year)
    } else {
        Err(ApiError::field("year", "a report year from 2019 (the regulation's revision) to 2100"))
    }
}

async fn coverage(
    who: &Principal,
    state: &AppState,
    q: &ReportQuery,
) -> Result<Option<Vec<i64>>, ApiError> {
    let coverage =
        Coverage { unit_id: q.unit_id, subtree: q.subtree.unwrap_or(false), statistics: true };
    covered_units(who, state, coverage).await
}

/// Table 三: applications received and handled
///
/// 收到和处理政府信息公开申请情况 for a year, computed from the register with the exact
/// row and column labels of the report format. Each application counts by its receipt
/// date (一 本年新收, or 二 上年结转 when received before the year and still open at its
/// start), by the date and outcome of its conclusion (三), or as carried over (四).
/// `invariant` checks 一 + 二 = 三（七）+ 四 per column and lists any column that breaks
/// it. Numbers only: viewers may read it.
#[utoipa::path(
    operation_id = "getApplicationsTable",
    tag = "annual-reports",
    params(("year" = i32, Path, minimum = 2019, maximum = 2100, description = "The report year"), ReportQuery),
    responses(
        (status = 200, description = "Table 三", body = ApplicationsTableDto),
        (status = 403, description = "A unit outside the caller's part of the deployment"),
        (status = 422, description = "A bad year or format"),
    ),
    security(("bearer" = []))
)]
#[get("/annual-reports/{year}/applications")]
pub async fn get_applications_table(
    state: web::Data<AppState>,
    who: Principal,
    year: web::Path<i32>,
    query: Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = checked_year(year.into_inner())?;
    let q = query.into_inner();
    let format = q.format.unwrap_or_default();
    let units = coverage(&who, &state, &q).await?;
    let scope = units.clone();
    let entries = db(&state, move |c| reports::table3_entries(c, scope.as_deref(), year)).await?;
    Ok(ok(&ApplicationsTableDto::new(table3(year, format, &entries), units)))
}

/// Table 四: administrative reviews and lawsuits
///
/// 政府信息公开行政复议、行政诉讼情况 for a year, from the register of reviews and lawsuits:
/// a case counts when filed by the end of the year and not decided before it; decided
/// in the year it counts under its result, else under 尚未审结.
#[utoipa::path(
    operation_id = "getAppealsTable",
    tag = "annual-reports",
    params(("year" = i32, Path, minimum = 2019, maximum = 2100, description = "The report year"), ReportQuery),
    responses(
        (status = 200, description = "Table 四", body = AppealsTableDto),
        (status = 403, description = "A unit outside the caller's part of the deployment"),
        (status = 422, description = "A bad year"),
    ),
    security(("bearer" = []))
)]
#[get("/annual-reports/{year}/appeals")]
pub async fn get_appeals_table(
    state: web::Data<AppState>,
    who: Principal,
    year: web::Path<i32>,
    query: Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = checked_year(year.into_inner())?;
    let q = query.into_inner();
    if q.format.is_some() {
        return Err(ApiError::field("format", "table 四 has one format"));
    }
    let units = coverage(&who, &state, &q).await?;
    let scope = units.clone();
    let entries = db(&state, move |c| reports::table4_entries(c, scope.as_deref(), year)).await?;
    Ok(ok(&AppealsTableDto::new(table4(year, &entries), units)))
}
