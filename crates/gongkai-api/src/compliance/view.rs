//! Views over a plan's findings: who answers for each, the per-unit scorecard, and the
//! office forms (sheets) of the findings, the scorecard and what is due soon.
//!
//! Attribution: a finding of a per-unit quota belongs to its unit; a finding of a quota
//! of the task as a whole belongs to the task's lead unit (牵头单位), which answers for
//! the task. The `unit_id` filter and the scorecard both follow this rule.

use std::collections::HashMap;

use gongkai_core::compliance::{Finding, UnitRef, UnitScore, scorecard};

use gongkai_core::quota::QuotaPeriod;

use crate::compliance::types::{
    ActualDto, ComplianceReport, DueBasis, DueSoonDto, FindingDto, RequiredDto, ScoreDto,
    SummaryDto,
};
use crate::http::office::{Cell, Sheet};
use crate::ledger::types::rectification_label;

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

fn period_word(p: QuotaPeriod) -> &'static str {
    match p {
        QuotaPeriod::Month => "每月",
        QuotaPeriod::Quarter => "每季度",
        QuotaPeriod::HalfYear => "每半年",
        QuotaPeriod::Year => "每年",
    }
}

/// What a finding required, in words.
fn required_text(r: &RequiredDto) -> String {
    match r {
        RequiredDto::Count { min, period } => format!("{}不少于{min}", period_word(*period)),
        RequiredDto::Deadline { due } => format!("{due}前完成"),
        RequiredDto::Threshold { min, .. } => format!("不低于{min}%"),
        RequiredDto::WithinWorkdays { days, event_on, limit } => {
            format!("{event_on}起{days}个工作日内（{limit}前）")
        }
    }
}

/// What was found: a count as a number, a day as a date, a rate as a number (percent).
fn actual_cell(a: &ActualDto) -> Cell {
    match a {
        ActualDto::Count { count } => Cell::Int(i64::try_from(*count).unwrap_or(i64::MAX)),
        ActualDto::Deadline { completed_on } => (*completed_on).into(),
        ActualDto::Threshold { value, .. } => value.map_or(Cell::Empty, Cell::Number),
        ActualDto::WithinWorkdays { done_on } => (*done_on).into(),
    }
}

fn kind_label(r: &RequiredDto) -> &'static str {
    match r {
        RequiredDto::Count { .. } => "数量",
        RequiredDto::Deadline { .. } => "期限",
        RequiredDto::Threshold { .. } => "比例",
        RequiredDto::WithinWorkdays { .. } => "限时办理",
    }
}

fn due_basis_label(b: DueBasis) -> &'static str {
    match b {
        DueBasis::PeriodEnd => "统计期末",
        DueBasis::QuotaDue => "指标期限",
        DueBasis::PlanYearEnd => "计划年度末",
        DueBasis::WorkdaysAfterEvent => "事件后工作日",
    }
}

/// The columns of a finding in the office forms.
const FINDING_COLUMNS: [&str; 14] = [
    "任务序号",
    "指标编号",
    "指标类型",
    "单位",
    "责任单位",
    "统计期起",
    "统计期止",
    "要求",
    "实际",
    "状态",
    "截止日期",
    "截止依据",
    "佐证材料数",
    "说明",
];

/// A finding's cells under [`FINDING_COLUMNS`].
fn finding_cells(f: &FindingDto) -> Vec<Cell> {
    let e = &f.explanation;
    vec![
        f.task_number.into(),
        f.quota_id.into(),
        kind_label(&f.required).into(),
        f.unit.clone().into(),
        f.accountable_unit.clone().into(),
        f.period_start.into(),
        f.period_end.into(),
        required_text(&f.required).into(),
        actual_cell(&f.actual),
        f.status.label().into(),
        e.due.into(),
        due_basis_label(e.due_basis).into(),
        e.evidence_count.into(),
        e.text.clone().into(),
    ]
}

/// The findings as a sheet (合规检查): one row per finding, after the day judged on.
pub fn findings_sheet(report: &ComplianceReport) -> Sheet {
    let mut columns = vec!["判断日期"];
    columns.extend(FINDING_COLUMNS);
    let mut sheet = Sheet::new("合规检查", &columns);
    for f in &report.findings {
        let mut row = vec![Cell::Date(report.as_of)];
        row.extend(finding_cells(f));
        sheet.push(row);
    }
    sheet
}

/// The scorecard as a sheet (绩效评分): a row per unit, then the plan's (`合计`); the
/// rates as fractions (1 = 100 %).
pub fn scorecard_sheet(units: &[ScoreDto], overall: &ScoreDto) -> Sheet {
    let mut sheet = Sheet::new(
        "绩效评分",
        &[
            "行",
            "单位编号",
            "单位",
            "事项数",
            "任务整体事项数",
            "已达标",
            "逾期完成",
            "未达标",
            "已逾期",
            "进行中",
            "已判定",
            "达标率",
            "按时率",
        ],
    );
    let rows = units.iter().map(|s| ("单位", s)).chain(std::iter::once(("合计", overall)));
    for (kind, s) in rows {
        sheet.push(vec![
            kind.into(),
            s.unit_id.into(),
            s.unit.clone().into(),
            s.findings.into(),
            s.task_wide_findings.into(),
            s.counts.met.into(),
            s.counts.met_late.into(),
            s.counts.missed.into(),
            s.counts.overdue.into(),
            s.counts.pending.into(),
            s.decided.into(),
            s.rate.map_or(Cell::Empty, Cell::Number),
            s.on_time_rate.map_or(Cell::Empty, Cell::Number),
        ]);
    }
    sheet
}

/// What is due soon and overdue as a sheet (即将到期): the findings (with the working
/// days left; overdue ones without), then the unverified rectification items.
pub fn due_soon_sheet(dto: &DueSoonDto) -> Sheet {
    let mut columns = vec!["类别", "剩余工作日"];
    columns.extend(FINDING_COLUMNS);
    columns.extend(["整改事项编号", "整改事项"]);
    let mut sheet = Sheet::new("即将到期", &columns);
    let finding_row = |kind: &str, left: Option<u32>, f: &FindingDto| {
        let mut row: Vec<Cell> = vec![kind.into(), left.into()];
        row.extend(finding_cells(f));
        row
    };
    for i in &dto.due_soon {
        sheet.push(finding_row("即将到期", Some(i.workdays_left), &i.finding));
    }
    for f in &dto.overdue {
        sheet.push(finding_row("已逾期", None, f));
    }
    let items = dto
        .rectifications_due_soon
        .iter()
        .map(|r| ("整改即将到期", r))
        .chain(dto.rectifications_overdue.iter().map(|r| ("整改已逾期", r)));
    for (kind, r) in items {
        let mut row: Vec<Cell> = vec![kind.into(), Cell::Empty];
        row.resize(2 + FINDING_COLUMNS.len(), Cell::Empty);
        // 状态, 截止日期 of the finding columns; the item's own columns last.
        row[2 + 9] = rectification_label(r.status).into();
        row[2 + 10] = r.due.into();
        row.extend([r.id.into(), r.finding.clone().into()]);
        sheet.push(row);
    }
    sheet
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
