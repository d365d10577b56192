//! Views over a plan's findings: who answers for each, the per-unit scorecard, and the
//! CSV forms of the report and the scorecard.
//!
//! Attribution: a finding of a per-unit quota belongs to its unit; a finding of a quota
//! of the task as a whole belongs to the task's lead unit (牵头单位), which answers for
//! the task. The `unit_id` filter and the scorecard both follow this rule.

use std::collections::HashMap;

use gongkai_core::compliance::{Finding, UnitRef, UnitScore, scorecard};

use crate::compliance::types::{
    ActualDto, ComplianceReport, FindingDto, RequiredDto, ScoreDto, SummaryDto,
};
use crate::http::csv::CsvWriter;

/// The unit answering for a finding (see the module's attribution rule).
pub fn accountable(f: &Finding, leads: &HashMap<i64, UnitRef>) -> Option<i64> {
    f.unit_id.or_else(|| leads.get(&f.task_id).map(|u| u.id))
}

fn score_dto(s: UnitScore, task_wide: usize) -> ScoreDto {
    let counts = SummaryDto::from_map(&s.counts);
    ScoreDto {
        findings: counts.met + counts.met_late + counts.missed + counts.overdue + counts.pending,
        unit_id: s.unit_id,
        unit: s.unit,
        counts,
        task_wide_findings: task_wide,
        decided: s.decided,
        rate: s.rate,
        on_time_rate: s.on_time_rate,
    }
}

/// One row per accountable unit (task-wide findings credited to the lead unit), by
/// name; findings of tasks without a unit form a row without a unit.
pub fn unit_scores(findings: &[Finding], leads: &HashMap<i64, UnitRef>) -> Vec<ScoreDto> {
    let mut task_wide: HashMap<Option<i64>, usize> = HashMap::new();
    let credited: Vec<Finding> = findings
        .iter()
        .map(|f| {
            if f.unit_id.is_some() {
                return f.clone();
            }
            let lead = leads.get(&f.task_id);
            *task_wide.entry(lead.map(|u| u.id)).or_insert(0) += 1;
            Finding { unit_id: lead.map(|u| u.id), unit: lead.map(|u| u.name.clone()), ..f.clone() }
        })
        .collect();
    scorecard(&credited)
        .into_iter()
        .map(|s| {
            let n = task_wide.get(&s.unit_id).copied().unwrap_or(0);
            score_dto(s, n)
        })
        .collect()
}

/// The whole plan's row: every finding once.
pub fn overall_score(findings: &[Finding]) -> ScoreDto {
    let task_wide = findings.iter().filter(|f| f.unit_id.is_none()).count();
    let anonymous: Vec<Finding> =
        findings.iter().map(|f| Finding { unit_id: None, unit: None, ..f.clone() }).collect();
    match scorecard(&anonymous).pop() {
        Some(s) => score_dto(s, task_wide),
        None => ScoreDto {
            unit_id: None,
            unit: None,
            counts: SummaryDto::default(),
            findings: 0,
            task_wide_findings: 0,
            decided: 0,
            rate: None,
            on_time_rate: None,
        },
    }
}

fn required_text(r: &RequiredDto) -> String {
    match r {
        RequiredDto::Count { min, period } => format!(">= {min} per {}", period.as_str()),
        RequiredDto::Deadline { due } => format!("done by {due}"),
        RequiredDto::Threshold { min, .. } => format!(">= {min}%"),
        RequiredDto::WithinWorkdays { days, event_on, limit } => {
            format!("within {days} working days of {event_on} (by {limit})")
        }
    }
}

fn actual_text(a: &ActualDto) -> String {
    let day = |d: &Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    match a {
        ActualDto::Count { count } => count.to_string(),
        ActualDto::Deadline { completed_on } => day(completed_on),
        ActualDto::Threshold { value, .. } => value.map(|v| format!("{v}%")).unwrap_or_default(),
        ActualDto::WithinWorkdays { done_on } => day(done_on),
    }
}

fn kind_of(r: &RequiredDto) -> &'static str {
    match r {
        RequiredDto::Count { .. } => "count",
        RequiredDto::Deadline { .. } => "deadline",
        RequiredDto::Threshold { .. } => "threshold",
        RequiredDto::WithinWorkdays { .. } => "within_workdays",
    }
}

/// The columns of the report's CSV form.
pub const REPORT_COLUMNS: [&str; 16] = [
    "as_of",
    "task_number",
    "quota_id",
    "kind",
    "unit_id",
    "unit",
    "accountable_unit",
    "period_start",
    "period_end",
    "required",
    "actual",
    "status",
    "due",
    "due_basis",
    "evidence_ids",
    "explanation",
];

/// The report as CSV: one row per finding.
pub fn report_csv(report: &ComplianceReport) -> String {
    let mut w = CsvWriter::with_header(&REPORT_COLUMNS);
    let opt = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    for f in &report.findings {
        let FindingDto { explanation: e, .. } = f;
        let ids: Vec<String> = e.evidence_ids.iter().map(i64::to_string).collect();
        w.row([
            report.as_of.to_string(),
            f.task_number.to_string(),
            f.quota_id.to_string(),
            kind_of(&f.required).to_string(),
            opt(f.unit_id),
            f.unit.clone().unwrap_or_default(),
            f.accountable_unit.clone().unwrap_or_default(),
            f.period_start.to_string(),
            f.period_end.to_string(),
            required_text(&f.required),
            actual_text(&f.actual),
            f.status.as_str().to_string(),
            e.due.to_string(),
            e.due_basis.as_str().to_string(),
            ids.join(" "),
            e.text.clone(),
        ]);
    }
    w.finish()
}

/// The columns of the scorecard's CSV form.
pub const SCORECARD_COLUMNS: [&str; 13] = [
    "row",
    "unit_id",
    "unit",
    "findings",
    "task_wide_findings",
    "met",
    "met_late",
    "missed",
    "overdue",
    "pending",
    "decided",
    "rate",
    "on_time_rate",
];

/// The scorecard as CSV: a row per unit, then the plan's row (`row` = `plan`).
pub fn scorecard_csv(units: &[ScoreDto], overall: &ScoreDto) -> String {
    let mut w = CsvWriter::with_header(&SCORECARD_COLUMNS);
    let rate = |r: Option<f64>| r.map(|r| format!("{r:.4}")).unwrap_or_default();
    let rows = units.iter().map(|s| ("unit", s)).chain(std::iter::once(("plan", overall)));
    for (kind, s) in rows {
        w.row([
            kind.to_string(),
            s.unit_id.map(|n| n.to_string()).unwrap_or_default(),
            s.unit.clone().unwrap_or_default(),
            s.findings.to_string(),
            s.task_wide_findings.to_string(),
            s.counts.met.to_string(),
            s.counts.met_late.to_string(),
            s.counts.missed.to_string(),
            s.counts.overdue.to_string(),
            s.counts.pending.to_string(),
            s.decided.to_string(),
            rate(s.rate),
            rate(s.on_time_rate),
        ]);
    }
    w.finish()
}

/// Builds the report DTO from filtered findings.
pub fn report(
    plan_id: i64,
    as_of: chrono::NaiveDate,
    findings: Vec<Finding>,
    leads: &HashMap<i64, UnitRef>,
) -> ComplianceReport {
    let summary = SummaryDto::of(findings.iter().map(|f| f.status));
    ComplianceReport {
        plan_id,
        as_of,
        findings: findings.into_iter().map(|f| FindingDto::new(f, leads)).collect(),
        summary,
    }
}
