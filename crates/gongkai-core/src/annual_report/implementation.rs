//! Section 六's account of the plan's implementation (task 54): per section of the plan,
//! tasks completed / in progress / not started; each quota's outcome for the year; the
//! look-back's findings and each rectification's state; what carries over to next year.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::compliance::{Finding, Status};
use crate::ledger::{ProgressStatus, RectificationStatus};

/// Where a task stands as a whole, from its units' progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    /// Every responsible unit is done (completed, or not applicable).
    Completed,
    /// Some work started, or some units are done and others not.
    InProgress,
    /// No responsible unit has started.
    NotStarted,
}

impl TaskState {
    /// A task's state from its units' progress: completed when all are done, not started
    /// when none has moved, in progress otherwise (blocked counts as in progress). A task
    /// with no responsible unit has not started.
    pub fn of(units: &[ProgressStatus]) -> TaskState {
        if !units.is_empty() && units.iter().all(|s| s.is_done()) {
            TaskState::Completed
        } else if units.iter().all(|s| *s == ProgressStatus::NotStarted) {
            TaskState::NotStarted
        } else {
            TaskState::InProgress
        }
    }

    /// In words, as the report prints it.
    pub fn label(self) -> &'static str {
        match self {
            TaskState::Completed => "已完成",
            TaskState::InProgress => "推进中",
            TaskState::NotStarted => "未启动",
        }
    }
}

/// One task as the report sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskInput {
    pub section_number: u32,
    pub number: u32,
    pub requirement: String,
    /// Each responsible unit's progress.
    pub units: Vec<ProgressStatus>,
}

/// One section of the plan with its tasks' states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SectionProgress {
    pub number: u32,
    pub title: String,
    pub tasks: u32,
    pub completed: u32,
    pub in_progress: u32,
    pub not_started: u32,
}

/// A quota's outcome for the year, over all its periods and units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuotaOutcome {
    pub task_number: u32,
    pub quota_id: i64,
    /// The findings by status.
    pub met: u32,
    pub met_late: u32,
    pub missed: u32,
    pub overdue: u32,
    pub pending: u32,
    /// The year's outcome: `missed` when any period or unit fell short (missed or
    /// overdue), else `pending` while any is open, else `met_late` when any was late,
    /// else `met`.
    pub outcome: Status,
    /// The outcome in words (未达标, 进行中, 逾期完成, 已达标).
    pub label: String,
}

/// A shortfall the look-back found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookBackFinding {
    pub task_number: u32,
    pub unit: String,
    pub shortfall: String,
}

/// The latest look-back (回头看) of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookBack {
    pub review_id: i64,
    pub as_of: NaiveDate,
    /// Tasks × units it looked at.
    pub entries: u32,
    pub findings: Vec<LookBackFinding>,
}

/// A rectification item and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RectificationState {
    pub id: i64,
    pub task_number: u32,
    pub unit: String,
    pub finding: String,
    pub due: NaiveDate,
    pub status: RectificationStatus,
    /// 整改中, 待核验, 已整改.
    pub label: String,
}

/// What carries over to next year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CarriedOver {
    /// `task` (not completed) or `rectification` (not verified).
    pub kind: String,
    pub task_number: u32,
    /// What it is, in words.
    pub text: String,
}

/// The plan's implementation for the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanImplementation {
    pub plan_id: i64,
    pub plan_title: String,
    pub tasks: u32,
    pub completed: u32,
    pub in_progress: u32,
    pub not_started: u32,
    pub sections: Vec<SectionProgress>,
    pub quotas: Vec<QuotaOutcome>,
    pub look_back: Option<LookBack>,
    pub rectifications: Vec<RectificationState>,
    pub carried_over: Vec<CarriedOver>,
}

/// What the plan's implementation is computed from.
#[derive(Debug, Clone)]
pub struct ImplementationInputs<'a> {
    pub plan_id: i64,
    pub plan_title: String,
    /// Section numbers and titles.
    pub sections: Vec<(u32, String)>,
    pub tasks: Vec<TaskInput>,
    /// The compliance findings as of the year's last day.
    pub findings: &'a [Finding],
    pub look_back: Option<LookBack>,
    pub rectifications: Vec<RectificationState>,
}

/// A rectification status in words.
pub fn rectification_label(s: RectificationStatus) -> &'static str {
    match s {
        RectificationStatus::Open => "整改中",
        RectificationStatus::Submitted => "待核验",
        RectificationStatus::Verified => "已整改",
    }
}

fn quota_outcomes(findings: &[Finding]) -> Vec<QuotaOutcome> {
    let mut out: Vec<QuotaOutcome> = Vec::new();
    for f in findings {
        let i = match out.iter().position(|q| q.quota_id == f.quota_id) {
            Some(i) => i,
            None => {
                out.push(QuotaOutcome {
                    task_number: f.task_number,
                    quota_id: f.quota_id,
                    met: 0,
                    met_late: 0,
                    missed: 0,
                    overdue: 0,
                    pending: 0,
                    outcome: Status::Met,
                    label: String::new(),
                });
                out.len() - 1
            }
        };
        let q = &mut out[i];
        match f.status {
            Status::Met => q.met += 1,
            Status::MetLate => q.met_late += 1,
            Status::Missed => q.missed += 1,
            Status::Overdue => q.overdue += 1,
            Status::Pending => q.pending += 1,
        }
    }
    for q in &mut out {
        q.outcome = if q.missed + q.overdue > 0 {
            Status::Missed
        } else if q.pending > 0 {
            Status::Pending
        } else if q.met_late > 0 {
            Status::MetLate
        } else {
            Status::Met
        };
        q.label = q.outcome.label().to_string();
    }
    out.sort_by_key(|q| (q.task_number, q.quota_id));
    out
}

/// Builds the plan-implementation part of section 六.
pub fn plan_implementation(inputs: ImplementationInputs<'_>) -> PlanImplementation {
    let states: Vec<(&TaskInput, TaskState)> =
        inputs.tasks.iter().map(|t| (t, TaskState::of(&t.units))).collect();
    let count = |filter: &dyn Fn(&TaskInput) -> bool, state: TaskState| {
        states.iter().filter(|(t, s)| filter(t) && *s == state).count() as u32
    };
    let sections = inputs
        .sections
        .iter()
        .map(|(number, title)| {
            let n = *number;
            let in_section = move |t: &TaskInput| t.section_number == n;
            SectionProgress {
                number: n,
                title: title.clone(),
                tasks: states.iter().filter(|(t, _)| in_section(t)).count() as u32,
                completed: count(&in_section, TaskState::Completed),
                in_progress: count(&in_section, TaskState::InProgress),
                not_started: count(&in_section, TaskState::NotStarted),
            }
        })
        .collect();
    let all = |_: &TaskInput| true;
    let mut carried_over: Vec<CarriedOver> = states
        .iter()
        .filter(|(_, s)| *s != TaskState::Completed)
        .map(|(t, s)| CarriedOver {
            kind: "task".into(),
            task_number: t.number,
            text: format!("第{}项任务（{}）：{}", t.number, s.label(), t.requirement),
        })
        .collect();
    carried_over.extend(
        inputs.rectifications.iter().filter(|r| r.status != RectificationStatus::Verified).map(
            |r| CarriedOver {
                kind: "rectification".into(),
                task_number: r.task_number,
                text: format!(
                    "第{}项任务整改事项（{}，{}，限{}前）：{}",
                    r.task_number, r.unit, r.label, r.due, r.finding
                ),
            },
        ),
    );
    PlanImplementation {
        plan_id: inputs.plan_id,
        plan_title: inputs.plan_title,
        tasks: states.len() as u32,
        completed: count(&all, TaskState::Completed),
        in_progress: count(&all, TaskState::InProgress),
        not_started: count(&all, TaskState::NotStarted),
        sections,
        quotas: quota_outcomes(inputs.findings),
        look_back: inputs.look_back,
        rectifications: inputs.rectifications,
        carried_over,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ProgressStatus::*;

    #[test]
    fn a_task_is_completed_only_when_every_unit_is_done() {
        // (units' progress, expected): not applicable counts as done; blocked as moving.
        let cases: &[(&[ProgressStatus], TaskState)] = &[
            (&[Completed], TaskState::Completed),
            (&[Completed, NotApplicable], TaskState::Completed),
            (&[Completed, NotStarted], TaskState::InProgress),
            (&[InProgress], TaskState::InProgress),
            (&[Blocked, NotStarted], TaskState::InProgress),
            (&[NotStarted, NotStarted], TaskState::NotStarted),
            (&[], TaskState::NotStarted),
        ];
        for (units, expected) in cases {
            assert_eq!(TaskState::of(units), *expected, "{units:?}");
        }
    }

    fn task(section: u32, number: u32, units: &[ProgressStatus]) -> TaskInput {
        TaskInput {
            section_number: section,
            number,
            requirement: format!("任务{number}"),
            units: units.to_vec(),
        }
    }

    #[test]
    fn sections_count_their_tasks_and_unfinished_work_carries_over() {
        let rect = |id, status| RectificationState {
            id,
            task_number: 2,
            unit: "党政办".into(),
            finding: "指标未达标".into(),
            due: NaiveDate::from_ymd_opt(2022, 1, 28).unwrap(),
            status,
            label: rectification_label(status).into(),
        };
        let imp = plan_implementation(ImplementationInputs {
            plan_id: 1,
            plan_title: "要点".into(),
            sections: vec![(1, "甲".into()), (2, "乙".into())],
            tasks: vec![
                task(1, 1, &[Completed]),
                task(1, 2, &[InProgress, Completed]),
                task(2, 3, &[NotStarted]),
            ],
            findings: &[],
            look_back: None,
            rectifications: vec![
                rect(7, RectificationStatus::Verified),
                rect(8, RectificationStatus::Submitted),
            ],
        });
        // Section 1: task 1 completed, task 2 in progress; section 2: task 3 not started.
        assert_eq!((imp.completed, imp.in_progress, imp.not_started), (1, 1, 1));
        let s1 = &imp.sections[0];
        assert_eq!((s1.tasks, s1.completed, s1.in_progress, s1.not_started), (2, 1, 1, 0));
        let s2 = &imp.sections[1];
        assert_eq!((s2.tasks, s2.completed, s2.in_progress, s2.not_started), (1, 0, 0, 1));
        // Carried over: tasks 2 and 3, and the unverified rectification 8 (not 7).
        let kinds: Vec<(&str, u32)> =
            imp.carried_over.iter().map(|c| (c.kind.as_str(), c.task_number)).collect();
        assert_eq!(kinds, [("task", 2), ("task", 3), ("rectification", 2)]);
        assert!(imp.carried_over[2].text.contains("待核验"));
    }
}
