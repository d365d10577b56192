//! `/annual-reports/{year}?issuer_id=…`: the whole report (JSON, HTML, DOCX); its text
//! sections (`…/sections/{n}`), publication (`…/publish`) and published versions
//! (`…/versions`, `…/versions/{v}`).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::Utc;
use gongkai_core::annual_report::access::{may_edit_report, may_read_report};
use gongkai_core::annual_report::report::TEXT_SECTIONS;
use gongkai_store::annual_report::{texts, versions};
use gongkai_store::{StoreError, units};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::build::{Built, build};
use super::types::{
    AnnualReportDto, ReportSectionDto, ReportStatus, SaveSectionRequest, VersionListDto,
    VersionSummaryDto,
};
use super::{docx, html, layout};
use crate::disclosure::settings::DisclosureSettings;
use crate::http::auth::Principal;
use crate::http::clock::today;
use crate::http::error::ApiError;
use crate::http::extract::{Body, IfMatch, Query};
use crate::http::negotiate::{Format, choose};
use crate::http::respond::{etag_of, ok, ok_bytes};
use crate::http::state::{AppState, db};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_annual_report)
        .service(get_report_section)
        .service(save_report_section)
        .service(publish_annual_report)
        .service(list_report_versions)
        .service(get_report_version);
}

/// The formats a report is answered in.
const REPORT_FORMATS: &[Format] = &[Format::Json, Format::Html, Format::Docx];

/// The longest text a section takes.
const MAX_SECTION_CHARS: usize = 20_000;

/// Whose report.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IssuerQuery {
    /// The issuing government (a unit): its report covers it and every unit below it.
    /// Default: the top-level government of the token's unit.
    #[serde(default, deserialize_with = "crate::http::params::optional_id")]
    pub issuer_id: Option<i64>,
}

/// The year of a report, checked.
pub fn checked_year(year: i32) -> Result<i32, ApiError> {
    if (2019..=2100).contains(&year) {
        Ok(year)
    } else {
        Err(ApiError::field("year", "a report year from 2019 (the regulation's revision) to 2100"))
    }
}

/// The issuer asked for, or the token's government; 404 for an unknown unit.
pub async fn issuer_of(
    state: &AppState,
    who: &Principal,
    asked: Option<i64>,
) -> Result<i64, ApiError> {
    match (asked, who.unit_id) {
        (Some(id), _) => {
            let exists = db(state, move |c| units::exists(c, id)).await?;
            if exists { Ok(id) } else { Err(ApiError::NotFound(format!("unit {id} not found"))) }
        }
        (None, Some(own)) => Ok(db(state, move |c| units::root_of(c, own)).await?),
        (None, None) => Err(ApiError::field(
            "issuer_id",
            "name the issuing government: this token is not tied to a unit",
        )),
    }
}

/// What a request does with an issuer's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportAccess {
    /// Reading it: `may_read_report`.
    Read,
    /// Saving its texts or publishing it: `may_edit_report` (coordinators).
    Edit,
}

/// The prologue of a request about an issuer's report: the issuer asked for, or the
/// token's government ([`issuer_of`]: 404 for an unknown unit, 422 when neither names
/// one), refused (403) to a caller who may not `access` its report.
pub async fn report_issuer(
    state: &AppState,
    who: &Principal,
    asked: Option<i64>,
    access: ReportAccess,
) -> Result<i64, ApiError> {
    let issuer = issuer_of(state, who, asked).await?;
    let reach = who.reach(state, Some(issuer)).await?;
    let allowed = match access {
        ReportAccess::Read => may_read_report(who.role, who.unit_id.is_some(), reach),
        ReportAccess::Edit => may_edit_report(who.role, who.unit_id.is_some(), reach),
    };
    allowed.map_err(|d| ApiError::Forbidden(d.0))?;
    Ok(issuer)
}

/// The report in the chosen format.
fn answer(report: &AnnualReportDto, format: Format) -> Result<HttpResponse, ApiError> {
    match format {
        Format::Html => {
            let page = html::render(&report.title, &layout::document(report));
            Ok(ok_bytes(page.into_bytes(), Format::Html.content_type()))
        }
        Format::Docx => {
            let bytes = docx::render(&layout::document(report)).map_err(ApiError::Internal)?;
            let mut res = ok_bytes(bytes, Format::Docx.content_type());
            let name = match report.version {
                Some(v) => format!("annual-report-{}-{}-v{v}.docx", report.year, report.issuer_id),
                None => format!("annual-report-{}-{}.docx", report.year, report.issuer_id),
            };
            if let Ok(v) =
                header::HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
            {
                res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            Ok(res)
        }
        _ => Ok(ok(report)),
    }
}

fn frozen(snapshot: serde_json::Value) -> Result<AnnualReportDto, StoreError> {
    serde_json::from_value(snapshot)
        .map_err(|e| StoreError::Internal(format!("a published report does not read back: {e}")))
}

/// The live report, or a store error, or the API's own refusal (a calendar gap).
async fn live(
    state: &AppState,
    issuer: i64,
    year: i32,
    settings: DisclosureSettings,
) -> Result<Built, ApiError> {
    let today = today();
    db(state, move |c| build(c, issuer, year, settings.clock, today)).await?
}

/// The annual report
///
/// The whole 政府信息公开工作年度报告 of an issuer for a year, in the six sections of
/// 国办公开办函〔2021〕30号: 一 and 五 as text (the saved text, else a draft built from the
/// service's facts), 二 from the units' figures, 三 and 四 from the registers (labels
/// verbatim), 六 with the fees actually collected and the plan's implementation (per
/// section, each quota's outcome, the look-back and its rectifications, what carries
/// over). Once published it answers the frozen version (`status: published`) until a text
/// is saved again, which starts a new draft. `Accept` chooses JSON, HTML (one A4 page,
/// ready to print or paste into the portal) or DOCX (Word/WPS); anything else → 406.
#[utoipa::path(
    operation_id = "getAnnualReport",
    tag = "annual-reports",
    params(("year" = i32, Path, minimum = 2019, maximum = 2100, description = "The report year"), IssuerQuery),
    responses(
        (status = 200, description = "The report",
            content(
                (AnnualReportDto = "application/json"),
                (String = "text/html"),
                (String = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ),
            headers(("ETag" = String, description = "The answer's version"))),
        (status = 403, description = "An issuer outside the caller's part of the deployment"),
        (status = 404, description = "No such issuer"),
        (status = 406, description = "Accept names none of JSON, HTML, DOCX"),
        (status = 422, description = "A bad year, no issuer named where the token names none, or `calendar_unpublished`"),
    ),
    security(("bearer" = []))
)]
#[get("/annual-reports/{year}")]
pub async fn get_annual_report(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: Principal,
    year: web::Path<i32>,
    query: Query<IssuerQuery>,
    settings: DisclosureSettings,
) -> Result<HttpResponse, ApiError> {
    let format = choose(&req, REPORT_FORMATS)?;
    let year = checked_year(year.into_inner())?;
    let issuer =
        report_issuer(&state, &who, query.into_inner().issuer_id, ReportAccess::Read).await?;
    let published = db(&state, move |c| {
        let Some(latest) = versions::latest_number(c, issuer, year)? else { return Ok(None) };
        if texts::reopened(c, issuer, year)? {
            return Ok(None);
        }
        Ok(Some(frozen(versions::get(c, issuer, year, latest)?.snapshot)?))
    })
    .await?;
    let report = match published {
        Some(r) => r,
        None => live(&state, issuer, year, settings).await?.report,
    };
    answer(&report, format)
}

fn section_number(n: u8) -> Result<u8, ApiError> {
    if TEXT_SECTIONS.contains(&n) {
        Ok(n)
    } else {
        Err(ApiError::field(
            "n",
            "sections 1 (总体情况) and 5 (存在的主要问题及改进情况) are text; the others are tables",
        ))
    }
}

async fn section(
    state: &AppState,
    issuer: i64,
    year: i32,
    n: u8,
    settings: DisclosureSettings,
) -> Result<ReportSectionDto, ApiError> {
    let built = live(state, issuer, year, settings).await?;
    let text = if n == 1 { &built.report.overview } else { &built.report.problems };
    let saved = built.texts.iter().find(|t| t.number == i16::from(n));
    Ok(ReportSectionDto::new(issuer, year, text, saved))
}

/// 200 with text section `n` and, as its ETag, the version of its saved text (what
/// saving it takes in `If-Match`).
async fn section_answer(
    state: &AppState,
    issuer: i64,
    year: i32,
    n: u8,
    settings: DisclosureSettings,
) -> Result<HttpResponse, ApiError> {
    let dto = section(state, issuer, year, n, settings).await?;
    let mut res = ok(&dto);
    res.headers_mut().insert(
        header::ETAG,
        header::HeaderValue::from_str(&etag_of(&dto.version_key()))
            .map_err(|e| ApiError::Internal(e.to_string()))?,
    );
    Ok(res)
}

/// A text section of the report
///
/// Section 1 (一、总体情况) or 5 (五、存在的主要问题及改进情况): the saved text (null
/// while never saved) and the draft built from the service's facts. Its ETag is what
/// saving it takes in `If-Match`.
#[utoipa::path(
    operation_id = "getReportSection",
    tag = "annual-reports",
    params(
        ("year" = i32, Path, minimum = 2019, maximum = 2100, description = "The report year"),
        ("n" = u8, Path, description = "1 or 5"),
        IssuerQuery,
    ),
    responses(
        (status = 200, description = "The section", body = ReportSectionDto, headers(("ETag" = String, description = "The saved text's version"))),
        (status = 403, description = "An issuer outside the caller's part of the deployment"),
        (status = 404, description = "No such issuer"),
        (status = 422, description = "A bad year or section number"),
    ),
    security(("bearer" = []))
)]
#[get("/annual-reports/{year}/sections/{n}")]
pub async fn get_report_section(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<(i32, u8)>,
    query: Query<IssuerQuery>,
    settings: DisclosureSettings,
) -> Result<HttpResponse, ApiError> {
    let (year, n) = path.into_inner();
    let (year, n) = (checked_year(year)?, section_number(n)?);
    let issuer =
        report_issuer(&state, &who, query.into_inner().issuer_id, ReportAccess::Read).await?;
    section_answer(&state, issuer, year, n, settings).await
}

/// Save a text section
///
/// Saves the text of section 1 or 5 (coordinators), with `If-Match` holding the
/// section's ETag (or `*`). Audited. Saving after a publication starts a new draft: the
/// report answers the live draft again, starting from the frozen texts; the published
/// versions stay as they are.
#[utoipa::path(
    operation_id = "saveReportSection",
    tag = "annual-reports",
    params(
        ("year" = i32, Path, minimum = 2019, maximum = 2100, description = "The report year"),
        ("n" = u8, Path, description = "1 or 5"),
        IssuerQuery,
        ("If-Match" = String, Header, description = "The section's ETag last read, or *"),
    ),
    request_body = SaveSectionRequest,
    responses(
        (status = 200, description = "The saved section", body = ReportSectionDto, headers(("ETag" = String, description = "Its new version"))),
        (status = 400, description = "Malformed JSON"),
        (status = 403, description = "Not a coordinator of the issuer's part"),
        (status = 404, description = "No such issuer"),
        (status = 412, description = "The section changed since it was read"),
        (status = 415, description = "The body is not JSON"),
        (status = 422, description = "A bad year, section number or text"),
        (status = 428, description = "If-Match is missing"),
    ),
    security(("bearer" = []))
)]
#[put("/annual-reports/{year}/sections/{n}")]
pub async fn save_report_section(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<(i32, u8)>,
    query: Query<IssuerQuery>,
    if_match: IfMatch,
    settings: DisclosureSettings,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let (year, n) = path.into_inner();
    let (year, n) = (checked_year(year)?, section_number(n)?);
    let issuer =
        report_issuer(&state, &who, query.into_inner().issuer_id, ReportAccess::Edit).await?;
    let req: SaveSectionRequest = body.json()?;
    let text = req.text.trim().to_string();
    if text.is_empty() {
        return Err(ApiError::field("text", "the section needs some text"));
    }
    if text.chars().count() > MAX_SECTION_CHARS {
        return Err(ApiError::field("text", format!("at most {MAX_SECTION_CHARS} characters")));
    }
    let actor = who.actor();
    db(&state, move |c| {
        texts::save(c, &actor, issuer, year, i16::from(n), &text, |current| {
            let key = (issuer, year, n, current.map(|s| s.text.as_str()));
            if_match.check(&etag_of(&key))
        })
    })
    .await?;
    section_answer(&state, issuer, year, n, settings).await
}

/// Publish the report
///
/// Checks the tables (table 三: 一 + 二 = 三（七）总计 + 四 in every column; table 四: each
/// 总计 the sum of its results) and freezes the report as the next version: from now on
/// the report answers it unchanged, whatever is recorded later, until a text is saved
/// again (a new draft). A broken cell → 422 `report_invariant_broken` naming it; nothing
/// is published. Coordinators only; audited.
#[utoipa::path(
    operation_id = "publishAnnualReport",
    tag = "annual-reports",
    params(("year" = i32, Path, minimum = 2019, maximum = 2100, description = "The report year"), IssuerQuery),
    responses(
        (status = 201, description = "The published version", body = AnnualReportDto, headers(
            ("ETag" = String, description = "The version's ETag"),
            ("Location" = String, description = "Where the version lives"))),
        (status = 403, description = "Not a coordinator of the issuer's part"),
        (status = 404, description = "No such issuer"),
        (status = 422, description = "`report_invariant_broken` (the cells named), a bad year, or `calendar_unpublished`"),
    ),
    security(("bearer" = []))
)]
#[post("/annual-reports/{year}/publish")]
pub async fn publish_annual_report(
    state: web::Data<AppState>,
    who: Principal,
    year: web::Path<i32>,
    query: Query<IssuerQuery>,
    settings: DisclosureSettings,
) -> Result<HttpResponse, ApiError> {
    let year = checked_year(year.into_inner())?;
    let issuer =
        report_issuer(&state, &who, query.into_inner().issuer_id, ReportAccess::Edit).await?;
    let report = live(&state, issuer, year, settings).await?.report;
    if !report.checks.is_empty() {
        let cells: Vec<String> = report
            .checks
            .iter()
            .map(|b| format!("{}（{}：应为{}，实为{}）", b.cell, b.rule, b.expected, b.actual))
            .collect();
        return Err(ApiError::Unprocessable {
            code: "report_invariant_broken",
            detail: format!("the report's tables break the format's rules: {}", cells.join("; ")),
        });
    }
    let actor = who.actor();
    let at = Utc::now();
    let version = db(&state, move |c| {
        versions::publish(c, &actor, issuer, year, at, |number| {
            let mut frozen = report;
            frozen.status = ReportStatus::Published;
            frozen.version = Some(number);
            frozen.published_at = Some(at);
            frozen.published_by = Some(actor.sub.clone());
            serde_json::to_value(&frozen).map_err(|e| StoreError::Internal(e.to_string()))
        })
    })
    .await?;
    let number = version.version;
    let dto = frozen(version.snapshot)?;
    let location = format!("/api/v1/annual-reports/{year}/versions/{number}?issuer_id={issuer}");
    Ok(crate::http::respond::created(&dto, location))
}

/// Published versions of the report
///
/// Every published version of the issuer's report of the year, oldest first.
#[utoipa::path(
    operation_id = "listReportVersions",
    tag = "annual-reports",
    params(("year" = i32, Path, minimum = 2019, maximum = 2100, description = "The report year"), IssuerQuery),
    responses(
        (status = 200, description = "The versions", body = VersionListDto),
        (status = 403, description = "An issuer outside the caller's part of the deployment"),
        (status = 404, description = "No such issuer"),
        (status = 422, description = "A bad year"),
    ),
    security(("bearer" = []))
)]
#[get("/annual-reports/{year}/versions")]
pub async fn list_report_versions(
    state: web::Data<AppState>,
    who: Principal,
    year: web::Path<i32>,
    query: Query<IssuerQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = checked_year(year.into_inner())?;
    let issuer =
        report_issuer(&state, &who, query.into_inner().issuer_id, ReportAccess::Read).await?;
    let all = db(&state, move |c| versions::list(c, issuer, year)).await?;
    let items = all
        .into_iter()
        .map(|v| VersionSummaryDto {
            version: v.version,
            published_at: v.published_at,
            published_by: v.published_by,
        })
        .collect();
    Ok(ok(&VersionListDto { items, next_cursor: None }))
}

/// A published version of the report
///
/// The report exactly as published (JSON, HTML or DOCX by `Accept`).
#[utoipa::path(
    operation_id = "getReportVersion",
    tag = "annual-reports",
    params(
        ("year" = i32, Path, minimum = 2019, maximum = 2100, description = "The report year"),
        ("v" = i32, Path, minimum = 1, description = "The version"),
        IssuerQuery,
    ),
    responses(
        (status = 200, description = "The published report",
            content(
                (AnnualReportDto = "application/json"),
                (String = "text/html"),
                (String = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ),
            headers(("ETag" = String, description = "The answer's version"))),
        (status = 403, description = "An issuer outside the caller's part of the deployment"),
        (status = 404, description = "No such issuer or version"),
        (status = 406, description = "Accept names none of JSON, HTML, DOCX"),
        (status = 422, description = "A bad year or version"),
    ),
    security(("bearer" = []))
)]
#[get("/annual-reports/{year}/versions/{v}")]
pub async fn get_report_version(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<(i32, i32)>,
    query: Query<IssuerQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = choose(&req, REPORT_FORMATS)?;
    let (year, v) = path.into_inner();
    let year = checked_year(year)?;
    if v < 1 {
        return Err(ApiError::field("v", "a version number from 1"));
    }
    let issuer =
        report_issuer(&state, &who, query.into_inner().issuer_id, ReportAccess::Read).await?;
    let report = db(&state, move |c| frozen(versions::get(c, issuer, year, v)?.snapshot)).await?;
    answer(&report, format)
}
