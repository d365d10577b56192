//! `/public/v1`: published plans, readable by anyone without a token.
//!
//! Every answer carries `ETag`, `Last-Modified` and `Cache-Control: public, max-age=60`;
//! a matching `If-None-Match` answers 304 (the conditional middleware), CORS is open
//! (`*`) and requests are limited per client address (see `http::open_cors` and
//! `http::rate_limit`). An unpublished plan is not found, like one that does not exist.

use std::collections::{BTreeMap, HashMap};

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use gongkai_core::compliance::{Finding, evaluate};
use gongkai_store::publication::{self, PlanChanges};
use gongkai_store::{compliance, plans, progress, reviews, tasks, units};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::compliance::types::SummaryDto;
use crate::http::clock;
use crate::http::error::ApiError;
use crate::http::extract::{Paging, Query, UpdatedSince};
use crate::http::params::{Id, compliance_error};
use crate::http::respond::public_ok;
use crate::http::state::{AppState, db};
use crate::public::types::{
    ProgressCounts, PublicChanges, PublicCompliance, PublicFinding, PublicPlan, PublicPlanList,
    PublicPlanSummary, PublicProgress, PublicRectification, PublicReview, PublicSection,
    PublicTask, PublicTaskCompliance, PublicTaskProgress, PublicTaskUnit, PublicUnit,
    PublicUnitProgress, RectificationCounts,
};
use crate::quotas::types::QuotaDto;
use crate::tasks::types::TaskUnitRole;

/// Registers the public routes.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_public_plans)
        .service(get_public_plan)
        .service(get_public_progress)
        .service(get_public_compliance);
}

/// Filters of the public plan list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicPlanQuery {
    /// Only plans issued by this government (a city's 人民政府).
    #[serde(default, deserialize_with = "crate::http::params::optional_id")]
    pub issuer_id: Option<i64>,
    /// Only plans of this year.
    pub year: Option<i32>,
}

fn public_changes(c: &PlanChanges) -> PublicChanges {
    PublicChanges { plan: c.content, progress: c.progress, evidence: c.evidence, review: c.review }
}

/// List published plans
///
/// Every city's published plans, in id order; `issuer_id` keeps one government's. With
/// `updated_since`, only the plans changed after it (a withdrawn plan no longer shows),
/// oldest change first. No token needed.
#[utoipa::path(
    operation_id = "listPublicPlans",
    tag = "public",
    params(PublicPlanQuery, UpdatedSince, Paging),
    responses(
        (status = 200, description = "A page of published plans", body = PublicPlanList, headers(
            ("ETag" = String, description = "The answer's version"),
            ("Last-Modified" = String, description = "When a plan of the list (published or not) last changed"),
            ("Cache-Control" = String, description = "`public, max-age=60`"))),
        (status = 422, description = "A bad or unknown query parameter"),
    )
)]
#[get("/plans")]
pub async fn list_public_plans(
    state: web::Data<AppState>,
    query: Query<PublicPlanQuery>,
    since: Query<UpdatedSince>,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    let window = paging.window(&since)?;
    let (issuer, year) = (query.issuer_id, query.year);
    let (page, last, names) = db(&state, move |c| {
        let changes = window.changes.map(|r| r.store());
        let (page, last) = publication::published_plans(c, issuer, year, changes, window.page)?;
        let issuers: Vec<i64> = page.items.iter().map(|p| p.issuing_unit_id).collect();
        let names = publication::unit_names(c, &issuers)?;
        Ok((page, last, names))
    })
    .await?;
    let next_after = page.next_after;
    let items: Vec<PublicPlanSummary> = page
        .items
        .into_iter()
        .filter_map(|p| {
            Some(PublicPlanSummary {
                issuer: PublicUnit {
                    id: p.issuing_unit_id,
                    name: names.get(&p.issuing_unit_id).cloned().unwrap_or_default(),
                },
                published_at: p.published_at?,
                id: p.id,
                year: p.year,
                title: p.title,
                updated_at: p.updated_at,
            })
        })
        .collect();
    let next_cursor = window.next_cursor(&items, next_after, |p| (p.updated_at, (p.id, 0)));
    Ok(public_ok(&PublicPlanList { items, next_cursor }, last))
}

/// A published plan, its issuer's name and when its parts last changed.
fn published(
    c: &mut diesel::PgConnection,
    id: i64,
) -> Result<(plans::Plan, PublicUnit, PlanChanges), gongkai_store::StoreError> {
    let plan = publication::published(c, id)?;
    let issuer = units::get(c, plan.issuing_unit_id)?;
    let changes = publication::changes_of(c, id)?;
    Ok((plan, PublicUnit { id: issuer.id, name: issuer.name }, changes))
}

/// Get a published plan
///
/// Its sections and tasks verbatim, each task's responsible units (lead first) and
/// quotas, and when each part the public sees last changed. An unpublished plan is not
/// found. No token needed.
#[utoipa::path(
    operation_id = "getPublicPlan",
    tag = "public",
    params(("plan_id" = i64, Path, description = "The plan's id")),
    responses(
        (status = 200, description = "The plan", body = PublicPlan, headers(
            ("ETag" = String, description = "The answer's version"),
            ("Last-Modified" = String, description = "When the plan, a task, a unit's name or a quota last changed"),
            ("Cache-Control" = String, description = "`public, max-age=60`"))),
        (status = 404, description = "No such plan, or it is not published"),
    )
)]
#[get("/plans/{plan_id}")]
pub async fn get_public_plan(
    state: web::Data<AppState>,
    plan_id: web::Path<Id>,
) -> Result<HttpResponse, ApiError> {
    let id = plan_id.into_inner().0;
    let (plan, issuer, changes, sections, all_tasks) = db(&state, move |c| {
        let (plan, issuer, changes) = published(c, id)?;
        let sections = publication::sections_of(c, id)?;
        let all_tasks = tasks::all_of_plan(c, id)?;
        Ok((plan, issuer, changes, sections, all_tasks))
    })
    .await?;
    let mut by_section: BTreeMap<i32, Vec<PublicTask>> = BTreeMap::new();
    for t in all_tasks {
        by_section.entry(t.section_number).or_default().push(PublicTask {
            id: t.id,
            number: t.number,
            requirement: t.requirement,
            units: t
                .units
                .into_iter()
                .map(|u| PublicTaskUnit {
                    role: TaskUnitRole::from_stored(&u.role),
                    id: u.id,
                    name: u.name,
                })
                .collect(),
            quotas: t.quotas.into_iter().map(QuotaDto::from).collect(),
            updated_at: t.updated_at,
        });
    }
    let sections = sections
        .into_iter()
        .map(|s| PublicSection {
            tasks: by_section.remove(&s.number).unwrap_or_default(),
            number: s.number,
            title: s.title,
        })
        .collect();
    let answer = PublicPlan {
        id: plan.id,
        year: plan.year,
        title: plan.title,
        issuer,
        published_at: plan.published_at.unwrap_or(plan.updated_at),
        last_changed: public_changes(&changes),
        sections,
    };
    Ok(public_ok(&answer, Some(changes.content)))
}

/// The latest look-back's summary and its items' statuses.
fn review_summary(
    review: reviews::Review,
    entries: &[reviews::ReviewEntry],
    items: Vec<reviews::Rectification>,
) -> PublicReview {
    let by_entry: HashMap<i64, &reviews::ReviewEntry> = entries.iter().map(|e| (e.id, e)).collect();
    let mut counts = RectificationCounts::default();
    let items: Vec<PublicRectification> = items
        .into_iter()
        .map(|r| {
            let status = gongkai_core::ledger::RectificationStatus::parse(&r.status)
                .unwrap_or(gongkai_core::ledger::RectificationStatus::Open);
            *match status {
                gongkai_core::ledger::RectificationStatus::Open => &mut counts.open,
                gongkai_core::ledger::RectificationStatus::Submitted => &mut counts.submitted,
                gongkai_core::ledger::RectificationStatus::Verified => &mut counts.verified,
            } += 1;
            let entry = by_entry.get(&r.review_entry_id);
            PublicRectification {
                id: r.id,
                task_id: r.task_id,
                task_number: entry.map_or(0, |e| e.task_number),
                unit_id: r.unit_id,
                unit: entry.map(|e| e.unit_name.clone()).unwrap_or_default(),
                due: r.due,
                status,
                updated_at: r.updated_at,
            }
        })
        .collect();
    PublicReview {
        id: review.id,
        as_of: review.as_of,
        rectification_due: review.rectification_due,
        created_at: review.created_at,
        entries: entries.len(),
        done: entries.iter().filter(|e| e.done).count(),
        shortfalls: entries.iter().filter(|e| e.shortfall.is_some()).count(),
        rectifications: counts,
        items,
    }
}

/// Get a published plan's progress
///
/// Each task's ledger status per responsible unit (the status only, never the notes),
/// the statuses counted over the plan, and the latest look-back (回头看): how many tasks
/// and units it judged, how many were done or short, and each rectification item's
/// status. No token needed.
#[utoipa::path(
    operation_id = "getPublicProgress",
    tag = "public",
    params(("plan_id" = i64, Path, description = "The plan's id")),
    responses(
        (status = 200, description = "The plan's progress", body = PublicProgress, headers(
            ("ETag" = String, description = "The answer's version"),
            ("Last-Modified" = String, description = "When a status, the plan or the latest look-back last changed"),
            ("Cache-Control" = String, description = "`public, max-age=60`"))),
        (status = 404, description = "No such plan, or it is not published"),
    )
)]
#[get("/plans/{plan_id}/progress")]
pub async fn get_public_progress(
    state: web::Data<AppState>,
    plan_id: web::Path<Id>,
) -> Result<HttpResponse, ApiError> {
    let id = plan_id.into_inner().0;
    let (changes, rows, review) = db(&state, move |c| {
        let (_, _, changes) = published(c, id)?;
        let rows = progress::list(c, id, &progress::ProgressFilter::default())?;
        let review = match reviews::latest_of_plan(c, id)? {
            None => None,
            Some(r) => {
                let entries = reviews::entries(c, r.id)?;
                let items = publication::rectifications_of(c, r.id)?;
                Some(review_summary(r, &entries, items))
            }
        };
        Ok((changes, rows, review))
    })
    .await?;
    let summary = ProgressCounts::of(rows.iter().map(|r| r.status));
    let mut tasks: Vec<PublicTaskProgress> = Vec::new();
    for row in rows {
        let unit = PublicUnitProgress {
            unit_id: row.unit_id,
            unit: row.unit,
            role: TaskUnitRole::from_stored(&row.role),
            status: row.status,
            status_updated_at: row.status_updated_at,
        };
        match tasks.last_mut() {
            Some(t) if t.task_id == row.task_id => t.units.push(unit),
            _ => tasks.push(PublicTaskProgress {
                task_id: row.task_id,
                number: row.task_number,
                section_number: row.section_number,
                units: vec![unit],
            }),
        }
    }
    let last =
        [Some(changes.content), changes.progress, changes.review].into_iter().flatten().max();
    let answer = PublicProgress {
        plan_id: id,
        summary,
        tasks,
        latest_review: review,
        last_changed: public_changes(&changes),
    };
    Ok(public_ok(&answer, last))
}

/// The day of the public compliance read.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicComplianceQuery {
    /// The day to judge on: today (Asia/Shanghai) when absent, never later.
    #[param(example = "2021-06-30")]
    pub as_of: Option<NaiveDate>,
}

/// The first instant of `day` in Asia/Shanghai (UTC+8 all year).
fn start_of_day_in_shanghai(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc() - Duration::hours(8)
}

fn public_finding(f: Finding) -> PublicFinding {
    PublicFinding {
        due: f.explanation.due,
        quota_id: f.quota_id,
        unit_id: f.unit_id,
        unit: f.unit,
        period_start: f.period_start,
        period_end: f.period_end,
        required: f.required.into(),
        actual: f.actual.into(),
        status: f.status,
    }
}

/// Get a published plan's compliance
///
/// Every quota judged as of `as_of` (default today in Asia/Shanghai; a later day is
/// refused): the statuses counted over the plan and per task, with each finding's
/// period, what was required, what was done and its status. No token needed.
#[utoipa::path(
    operation_id = "getPublicCompliance",
    tag = "public",
    params(("plan_id" = i64, Path, description = "The plan's id"), PublicComplianceQuery),
    responses(
        (status = 200, description = "The plan's compliance as of the day", body = PublicCompliance, headers(
            ("ETag" = String, description = "The answer's version"),
            ("Last-Modified" = String, description = "When the plan, its records of work or the calendar last changed, or the day began"),
            ("Cache-Control" = String, description = "`public, max-age=60`"))),
        (status = 404, description = "No such plan, or it is not published"),
        (status = 422, description = "`as_of` after today, or in a year whose holiday calendar is not loaded"),
    )
)]
#[get("/plans/{plan_id}/compliance")]
pub async fn get_public_compliance(
    state: web::Data<AppState>,
    plan_id: web::Path<Id>,
    query: Query<PublicComplianceQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = plan_id.into_inner().0;
    let today = clock::today();
    let as_of = query.as_of.unwrap_or(today);
    if as_of > today {
        return Err(ApiError::field(
            "as_of",
            format!("the public reads compliance as of today ({today}) or an earlier day"),
        ));
    }
    let answer = db(&state, move |c| {
        let (plan, _, changes) = published(c, id)?;
        let inputs = compliance::load_plan(c, id, as_of, None)?;
        Ok(evaluate(plan.year, &inputs.quotas, &inputs.evidence, &inputs.calendar, as_of)
            .map_err(|e| compliance_error(&e))
            .map(|evaluation| (changes, evaluation.findings)))
    })
    .await??;
    let (changes, findings) = answer;
    let summary = SummaryDto::of(findings.iter().map(|f| f.status));
    let mut by_task: BTreeMap<(u32, i64), Vec<Finding>> = BTreeMap::new();
    for f in findings {
        by_task.entry((f.task_number, f.task_id)).or_default().push(f);
    }
    let tasks = by_task
        .into_iter()
        .map(|((task_number, task_id), findings)| PublicTaskCompliance {
            task_id,
            task_number,
            summary: SummaryDto::of(findings.iter().map(|f| f.status)),
            findings: findings.into_iter().map(public_finding).collect(),
        })
        .collect();
    let day_began = start_of_day_in_shanghai(as_of).min(Utc::now());
    let last = [Some(changes.content), changes.evidence, changes.calendar, Some(day_began)]
        .into_iter()
        .flatten()
        .max();
    let answer = PublicCompliance {
        plan_id: id,
        as_of,
        summary,
        tasks,
        last_changed: public_changes(&changes),
    };
    Ok(public_ok(&answer, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_in_shanghai_begins_at_16_utc_the_day_before() {
        let day = NaiveDate::from_ymd_opt(2021, 3, 15).unwrap();
        assert_eq!(start_of_day_in_shanghai(day).to_rfc3339(), "2021-03-14T16:00:00+00:00");
    }
}
