//! `/annual-reports/{year}/figures/{unit_id}`: a unit's table 二 figures, and
//! `/annual-reports/{year}/proactive`: table 二 of an issuer, its units' figures summed.

use actix_web::{HttpResponse, get, put, web};
use gongkai_core::annual_report::Figures;
use gongkai_core::annual_report::access::{may_enter_figures, may_read_report};
use gongkai_store::annual_report::figures;

use super::build::proactive;
use super::report::{IssuerQuery, ReportAccess, checked_year, report_issuer};
use super::types::{FiguresDto, ProactiveTableDto};
use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::{Body, IfMatch, Query};
use crate::http::params::Id;
use crate::http::respond::{etag_of, ok};
use crate::http::state::{AppState, db};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_report_figures).service(put_report_figures).service(get_proactive_table);
}

async fn load(state: &AppState, unit_id: i64, year: i32) -> Result<Option<FiguresDto>, ApiError> {
    db(state, move |c| {
        let this_year = figures::get(c, unit_id, year)?;
        let last_year = figures::get(c, unit_id, year - 1)?;
        Ok(this_year.map(|s| FiguresDto::new(s, last_year.as_ref().map(|l| &l.figures))))
    })
    .await
}

/// A unit's table 二 figures
///
/// What the unit entered for table 二 of the year (主动公开政府信息情况), with
/// `continuity` listing any 现行有效件数 that contradicts last year's figures.
#[utoipa::path(
    operation_id = "getReportFigures",
    tag = "annual-reports",
    params(
        ("year" = i32, Path, minimum = 2019, maximum = 2100, description = "The report year"),
        ("unit_id" = i64, Path, minimum = 1, description = "The unit"),
    ),
    responses(
        (status = 200, description = "The unit's figures", body = FiguresDto, headers(("ETag" = String, description = "Their version, for If-Match"))),
        (status = 403, description = "A unit outside the caller's part of the deployment"),
        (status = 404, description = "No figures entered for that unit and year"),
        (status = 422, description = "A bad year or id"),
    ),
    security(("bearer" = []))
)]
#[get("/annual-reports/{year}/figures/{unit_id}")]
pub async fn get_report_figures(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<(i32, Id)>,
) -> Result<HttpResponse, ApiError> {
    let (year, Id(unit_id)) = path.into_inner();
    let year = checked_year(year)?;
    let reach = who.reach(&state, Some(unit_id)).await?;
    may_read_report(who.role, who.unit_id.is_some(), reach)
        .map_err(|d| ApiError::Forbidden(d.0))?;
    match load(&state, unit_id, year).await? {
        Some(dto) => Ok(ok(&dto)),
        None => Err(ApiError::NotFound(format!("figures of unit {unit_id} for {year} not found"))),
    }
}

/// Enter a unit's table 二 figures
///
/// Enters or replaces the unit's figures for table 二 of the year: 规章 and 行政规范性文件
/// (本年制发件数, 本年废止件数, 现行有效件数), 行政许可, 行政处罚 and 行政强制 (本年处理
/// 决定数量) and 行政事业性收费 (本年收费金额, in 万元 with at most two decimals). A unit
/// enters its own; a coordinator may enter them for a unit of its part. Replacing
/// figures needs `If-Match` with their ETag; the first entry needs none. Audited. The
/// answer's `continuity` flags figures contradicting last year's; they are stored anyway
/// (last year's may be the wrong ones).
#[utoipa::path(
    operation_id = "putReportFigures",
    tag = "annual-reports",
    params(
        ("year" = i32, Path, minimum = 2019, maximum = 2100, description = "The report year"),
        ("unit_id" = i64, Path, minimum = 1, description = "The unit"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read; required when the unit's figures exist"),
    ),
    request_body = Figures,
    responses(
        (status = 200, description = "The stored figures", body = FiguresDto, headers(("ETag" = String, description = "Their new version"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "A viewer, another unit's figures, or a unit outside the caller's part"),
        (status = 404, description = "No such unit"),
        (status = 412, description = "The figures changed since they were read"),
        (status = 415, description = "The body is not JSON"),
        (status = 422, description = "Invalid figures, each named"),
        (status = 428, description = "If-Match is missing while figures exist"),
    ),
    security(("bearer" = []))
)]
#[put("/annual-reports/{year}/figures/{unit_id}")]
pub async fn put_report_figures(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<(i32, Id)>,
    if_match: IfMatch,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let (year, Id(unit_id)) = path.into_inner();
    let year = checked_year(year)?;
    let reach = who.reach(&state, Some(unit_id)).await?;
    may_enter_figures(who.role, who.unit_id.is_some(), reach)
        .map_err(|d| ApiError::Forbidden(d.0))?;
    let new: Figures = body.json()?;
    let actor = who.actor();
    db(&state, move |c| {
        let last_year = figures::get(c, unit_id, year - 1)?.map(|l| l.figures);
        figures::put(c, &actor, unit_id, year, &new, |current| match current {
            None => Ok(()),
            Some(s) => if_match.check(&etag_of(&FiguresDto::new(s.clone(), last_year.as_ref()))),
        })
    })
    .await?;
    let dto = load(&state, unit_id, year)
        .await?
        .ok_or_else(|| ApiError::Internal("figures vanished after their write".into()))?;
    Ok(ok(&dto))
}

/// Table 二: proactive disclosure
///
/// 主动公开政府信息情况 of an issuer's report: the figures of the issuer and every unit
/// below it summed, in the four blocks of the 2021 format with their article headings;
/// `continuity` lists each unit whose 现行有效件数 contradicts last year's, and
/// `units_missing` the units that entered nothing yet.
#[utoipa::path(
    operation_id = "getProactiveTable",
    tag = "annual-reports",
    params(("year" = i32, Path, minimum = 2019, maximum = 2100, description = "The report year"), IssuerQuery),
    responses(
        (status = 200, description = "Table 二", body = ProactiveTableDto),
        (status = 403, description = "An issuer outside the caller's part of the deployment"),
        (status = 404, description = "No such issuer"),
        (status = 422, description = "A bad year, or no issuer named where the token names none"),
    ),
    security(("bearer" = []))
)]
#[get("/annual-reports/{year}/proactive")]
pub async fn get_proactive_table(
    state: web::Data<AppState>,
    who: Principal,
    year: web::Path<i32>,
    query: Query<IssuerQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = checked_year(year.into_inner())?;
    let issuer =
        report_issuer(&state, &who, query.into_inner().issuer_id, ReportAccess::Read).await?;
    let table: ProactiveTableDto = db(&state, move |c| proactive(c, issuer, year)).await?;
    Ok(ok(&table))
}
