//! Builders shared by the compliance test files.
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use gongkai_core::calendar::WorkCalendar;
use gongkai_core::compliance::{EvidenceInput, Finding, QuotaInput, QuotaScope, Status, UnitRef};
use gongkai_core::quota::QuotaRule;

/// The task every builder uses unless told otherwise.
pub const TASK_ID: i64 = 1015;
pub const TASK_NUMBER: u32 = 15;

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

/// Noon UTC on a date.
pub fn at(s: &str) -> DateTime<Utc> {
    Utc.from_utc_datetime(&d(s).and_hms_opt(12, 0, 0).expect("noon"))
}

pub fn seeds() -> WorkCalendar {
    WorkCalendar::from_json(include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../seeds/cn-holidays.json"
    )))
    .expect("seed calendar")
}

pub fn unit(id: i64, name: &str) -> UnitRef {
    UnitRef { id, name: name.to_string() }
}

/// A quota of task 15 for the task as a whole.
pub fn quota(quota_id: i64, rule: QuotaRule) -> QuotaInput {
    QuotaInput {
        quota_id,
        task_id: TASK_ID,
        task_number: TASK_NUMBER,
        rule,
        scope: QuotaScope::Task,
    }
}

/// The same, scoped to each of `units`.
pub fn quota_each(quota_id: i64, rule: QuotaRule, units: Vec<UnitRef>) -> QuotaInput {
    QuotaInput { scope: QuotaScope::EachUnit { units }, ..quota(quota_id, rule) }
}

/// A plain record of task 15 by unit 1: count 1, recorded at noon of the day it occurred.
pub fn ev(id: i64, occurred_on: &str) -> EvidenceInput {
    EvidenceInput {
        id,
        task_id: TASK_ID,
        unit_id: 1,
        quota_id: None,
        occurred_on: d(occurred_on),
        recorded_at: at(occurred_on),
        count: 1,
        value: None,
        completes: false,
        event_on: None,
        withdrawn: false,
    }
}

/// A count record of `count` items.
pub fn counted(id: i64, occurred_on: &str, count: u32) -> EvidenceInput {
    EvidenceInput { count, ..ev(id, occurred_on) }
}

/// A record that completes deadlines.
pub fn completes(id: i64, occurred_on: &str) -> EvidenceInput {
    EvidenceInput { completes: true, count: 0, ..ev(id, occurred_on) }
}

/// A threshold value report.
pub fn value(id: i64, occurred_on: &str, v: f64) -> EvidenceInput {
    EvidenceInput { value: Some(v), count: 0, ..ev(id, occurred_on) }
}

/// An event of `event_on` handled (done) on `done_on`.
pub fn done(id: i64, event_on: &str, done_on: &str) -> EvidenceInput {
    EvidenceInput { event_on: Some(d(event_on)), ..ev(id, done_on) }
}

/// An event registered, not yet handled: count 0.
pub fn registered(id: i64, event_on: &str) -> EvidenceInput {
    EvidenceInput { event_on: Some(d(event_on)), count: 0, ..ev(id, event_on) }
}

pub fn by_unit(unit_id: i64, e: EvidenceInput) -> EvidenceInput {
    EvidenceInput { unit_id, ..e }
}

/// Evaluates with the seed calendar.
pub fn run(
    plan_year: i32,
    quotas: &[QuotaInput],
    evidence: &[EvidenceInput],
    as_of: &str,
) -> Vec<Finding> {
    gongkai_core::compliance::evaluate(plan_year, quotas, evidence, &seeds(), d(as_of))
        .expect("evaluation")
        .findings
}

/// (period_start, period_end, status) of each finding, for compact tables.
pub fn periods(findings: &[Finding]) -> Vec<(NaiveDate, NaiveDate, Status)> {
    findings.iter().map(|f| (f.period_start, f.period_end, f.status)).collect()
}
