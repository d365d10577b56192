//! Builds the live report of an issuer (a government and the units below it) for a year
//! from the records: tables 二, 三 and 四, the facts, the drafts and saved texts of 一 and
//! 五, and section 六 (fees collected, the plan's implementation).

use chrono::{Datelike, NaiveDate};
use diesel::PgConnection;
use gongkai_core::annual_report::draft::{self, Facts};
use gongkai_core::annual_report::implementation::{ImplementationInputs, plan_implementation};
use gongkai_core::annual_report::report::{FeesCollected, SECTION_TITLES, title};
use gongkai_core::annual_report::table2::{continuity, table2};
use gongkai_core::annual_report::{
    Figures, OtherMatters, PlanImplementation, TextSection, WanYuan, check_tables,
};
use gongkai_core::compliance::{Status, evaluate};
use gongkai_core::disclosure::ClockSettings;
use gongkai_core::disclosure::appeals::table4;
use gongkai_core::disclosure::report::{ReportFormat, table3};
use gongkai_store::annual_report::texts::SectionText;
use gongkai_store::annual_report::{facts, figures, texts};
use gongkai_store::calendar::work_calendar;
use gongkai_store::compliance::load_plan;
use gongkai_store::disclosure::reports;
use gongkai_store::disclosure::requests::{self, RequestFilter};
use gongkai_store::{StoreError, units};

use super::types::{AnnualReportDto, ProactiveTableDto, ReportStatus};
use crate::disclosure::report_types::{AppealsTableDto, ApplicationsTableDto};
use crate::http::error::ApiError;
use crate::http::params::compliance_error;

/// The report as built from the records, with the saved texts it used.
pub struct Built {
    pub report: AnnualReportDto,
    pub texts: Vec<SectionText>,
}

fn year_end(year: i32) -> Result<NaiveDate, StoreError> {
    NaiveDate::from_ymd_opt(year, 12, 31)
        .ok_or_else(|| StoreError::invalid("year", "not a year this service handles"))
}

/// Table 二 of the issuer's part: its units' figures summed, each unit checked against
/// its figures of the year before.
pub fn proactive(
    conn: &mut PgConnection,
    issuer_id: i64,
    year: i32,
) -> Result<ProactiveTableDto, StoreError> {
    let covered = units::subtree_ids(conn, issuer_id)?;
    let this_year = figures::of_units(conn, &covered, year)?;
    let last_year = figures::of_units(conn, &covered, year - 1)?;
    let flags = this_year
        .iter()
        .flat_map(|s| {
            let before = last_year.iter().find(|l| l.unit_id == s.unit_id).map(|l| &l.figures);
            continuity(s.unit_id, &s.unit, before, &s.figures)
        })
        .collect();
    let reported: Vec<i64> = this_year.iter().map(|s| s.unit_id).collect();
    let sum = Figures::sum(this_year.iter().map(|s| &s.figures));
    let units_missing = covered.iter().copied().filter(|u| !reported.contains(u)).collect();
    Ok(ProactiveTableDto { year, issuer_id, table: table2(sum, reported, flags), units_missing })
}

/// The plan's implementation and the facts it gives the drafts.
fn implementation(
    conn: &mut PgConnection,
    issuer_id: i64,
    year: i32,
    facts: &mut Facts,
) -> Result<Result<Option<PlanImplementation>, ApiError>, StoreError> {
    let Some(plan) = facts::plan_of(conn, issuer_id, year)? else { return Ok(Ok(None)) };
    let as_of = year_end(year)?;
    let inputs = load_plan(conn, plan.id, as_of, None)?;
    let evaluation =
        match evaluate(plan.year, &inputs.quotas, &inputs.evidence, &inputs.calendar, as_of) {
            Ok(e) => e,
            Err(e) => return Ok(Err(compliance_error(&e))),
        };
    let (look_back, rectifications) = facts::look_back_of(conn, plan.id)?;
    let imp = plan_implementation(ImplementationInputs {
        plan_id: plan.id,
        plan_title: plan.title.clone(),
        sections: facts::sections_of(conn, plan.id)?,
        tasks: facts::tasks_of(conn, plan.id)?,
        findings: &evaluation.findings,
        look_back,
        rectifications,
    });
    facts.tasks = imp.tasks;
    facts.tasks_completed = imp.completed;
    facts.tasks_in_progress = imp.in_progress;
    facts.tasks_not_started = imp.not_started;
    facts.quotas = u32::try_from(imp.quotas.len()).unwrap_or(u32::MAX);
    facts.quotas_missed = imp.quotas.iter().filter(|q| q.outcome == Status::Missed).count() as u32;
    if let Some(lb) = &imp.look_back {
        facts.look_back_on = Some(lb.as_of);
        facts.look_back_findings = u32::try_from(lb.findings.len()).unwrap_or(u32::MAX);
    }
    facts.rectifications = u32::try_from(imp.rectifications.len()).unwrap_or(u32::MAX);
    facts.rectifications_verified = imp
        .rectifications
        .iter()
        .filter(|r| r.status == gongkai_core::ledger::RectificationStatus::Verified)
        .count() as u32;
    Ok(Ok(Some(imp)))
}

fn text_section(number: u8, draft: String, saved: &[SectionText]) -> TextSection {
    let saved = saved.iter().find(|s| s.number == i16::from(number));
    TextSection {
        number,
        title: SECTION_TITLES[usize::from(number) - 1].to_string(),
        text: saved.map_or_else(|| draft.clone(), |s| s.text.clone()),
        draft,
        edited: saved.is_some(),
    }
}

/// Builds the live report (status `draft`).
pub fn build(
    conn: &mut PgConnection,
    issuer_id: i64,
    year: i32,
    settings: ClockSettings,
    today: NaiveDate,
) -> Result<Result<Built, ApiError>, StoreError> {
    let issuer = units::get(conn, issuer_id)?;
    let covered = units::subtree_ids(conn, issuer_id)?;
    let end = year_end(year)?;
    let t3 = table3(
        year,
        ReportFormat::Format2021,
        &reports::table3_entries(conn, Some(&covered), year)?,
    );
    let t4 = table4(year, &reports::table4_entries(conn, Some(&covered), year)?);
    let proactive = proactive(conn, issuer_id, year)?;
    let (fee_count, fee_yuan) = facts::fees_paid(conn, &covered, year)?;

    // Replies of the year and whether each came within its statutory period.
    let calendar = work_calendar(conn)?;
    let filter = RequestFilter {
        units: Some(covered.clone()),
        received_to: Some(end),
        ..RequestFilter::default()
    };
    let (mut replies, mut on_time) = (0, 0);
    for r in requests::list_all(conn, &filter, None)? {
        // A reply (答复) concludes with a reply type; withdrawals and deemed withdrawals
        // have none.
        let replied_in_year =
            r.reply_type.is_some() && r.concluded_on.is_some_and(|d| d.year() == year);
        if replied_in_year {
            replies += 1;
            let clock = r.case().clock(&calendar, settings, today.min(end).max(r.received_on));
            if clock.replied_late == Some(false) {
                on_time += 1;
            }
        }
    }

    let value = |key: &str| {
        t3.rows.iter().find(|r| r.key == key).and_then(|r| r.values).map_or(0, |c| c.total)
    };
    let appeals_total: u64 = t4.groups.iter().map(|g| g.values.total).sum();
    let appeals_corrected: u64 = t4.groups.iter().map(|g| g.values.corrected).sum();
    let mut facts = Facts {
        issuer: issuer.name.clone(),
        year,
        applications_received: value("new"),
        applications_carried_in: value("carried_in"),
        applications_handled: value("results_total"),
        replies,
        replies_on_time: on_time,
        applications_carried_out: value("carried_out"),
        appeals: appeals_total,
        appeals_corrected,
        fees_charged: fee_count,
        fees_yuan: fee_yuan,
        ..Facts::default()
    };
    let plan = match implementation(conn, issuer_id, year, &mut facts)? {
        Ok(p) => p,
        Err(e) => return Ok(Err(e)),
    };
    let saved = texts::of_report(conn, issuer_id, year)?;
    let checks = check_tables(&t3, &t4);
    let report = AnnualReportDto {
        issuer_id,
        issuer: issuer.name.clone(),
        year,
        title: title(&issuer.name, year),
        status: ReportStatus::Draft,
        version: None,
        published_at: None,
        published_by: None,
        overview: text_section(1, draft::overview(&facts), &saved),
        proactive: proactive.table,
        applications: ApplicationsTableDto::new(t3, Some(covered.clone())),
        appeals: AppealsTableDto::new(t4, Some(covered)),
        problems: text_section(5, draft::problems(&facts), &saved),
        other: OtherMatters {
            title: SECTION_TITLES[5].to_string(),
            fees: FeesCollected {
                count: fee_count,
                amount_yuan: fee_yuan,
                amount_wan_yuan: WanYuan::from_yuan(fee_yuan).text(),
            },
            plan,
        },
        facts,
        checks,
    };
    Ok(Ok(Built { report, texts: saved }))
}
