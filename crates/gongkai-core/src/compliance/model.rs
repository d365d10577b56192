//! The engine's inputs (quotas, units, evidence) and outputs (findings, evaluations).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::DeadlineExplanation;
use crate::quota::{QuotaPeriod, QuotaRule, ThresholdUnit};

/// 责任单位: a responsible unit as the engine names it in findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRef {
    /// The unit's id.
    pub id: i64,
    /// The unit's name, shown in findings and used to order them.
    pub name: String,
}

/// Whose duty a quota is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scope", rename_all = "snake_case")]
pub enum QuotaScope {
    /// The task as a whole: any responsible unit's evidence counts, and findings carry
    /// no unit.
    Task,
    /// Each listed unit separately, one finding per unit, judged only on its own
    /// records. The caller resolves the units (the task's responsible units, or a
    /// named wider group such as "各镇人民政府（街道办事处）"); duplicates are merged and
    /// an empty list yields no findings.
    EachUnit {
        /// The units bound by the quota.
        units: Vec<UnitRef>,
    },
}

/// A quota to evaluate: its rule, its task and whose duty it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuotaInput {
    /// The quota's id.
    pub quota_id: i64,
    /// The task the quota belongs to; only this task's evidence feeds it.
    pub task_id: i64,
    /// The task's number in the plan, for ordering and display.
    pub task_number: u32,
    /// What is required.
    pub rule: QuotaRule,
    /// Whose duty it is.
    pub scope: QuotaScope,
}

/// A dated record of work done for a task (证据).
///
/// Without `quota_id` it feeds each quota of its task that its fields speak to:
/// `count > 0` → count quotas, `completes` → deadlines, `value` → thresholds,
/// `event_on` → within-N-working-days duties. With `quota_id` it feeds that quota only
/// (and still only through the fields that quota's kind reads).
///
/// For a within-N-working-days duty a record states two facts, each dated on its own:
/// the triggering event happened on `event_on`, and — when `count > 0` — it was handled
/// on `occurred_on`. A record with `event_on` and `count == 0` registers an event not
/// handled yet; handling it later is a second record with the same `event_on` and
/// `count ≥ 1`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceInput {
    /// The record's id.
    pub id: i64,
    /// The task it was recorded for.
    pub task_id: i64,
    /// The unit that did the work.
    pub unit_id: i64,
    /// The one quota it is for, when the recorder said so.
    pub quota_id: Option<i64>,
    /// When the work was done. Statuses depend on this date, never on `recorded_at`.
    pub occurred_on: NaiveDate,
    /// When the server stored the record; only breaks ties between threshold values.
    pub recorded_at: DateTime<Utc>,
    /// How many items the record stands for (0: none, e.g. a bare event registration).
    pub count: u32,
    /// A reported value for thresholds, in the quota's unit (3.5 means 3.5 %).
    pub value: Option<f64>,
    /// Whether the record completes a deadline.
    pub completes: bool,
    /// The day of the triggering event of a within-N-working-days duty.
    pub event_on: Option<NaiveDate>,
    /// Withdrawn records are ignored.
    pub withdrawn: bool,
}

/// The status of one finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ComplianceStatus))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Done in time / requirement satisfied (已达标).
    Met,
    /// Done, but after the deadline (逾期完成).
    MetLate,
    /// The period ended and the requirement was not satisfied (未达标).
    Missed,
    /// The deadline passed and the work is still not done (已逾期, still actionable).
    Overdue,
    /// Not decided yet: the period or deadline has not passed (进行中).
    Pending,
}

impl Status {
    /// All statuses, in their summary order.
    pub const ALL: [Status; 5] =
        [Status::Met, Status::MetLate, Status::Missed, Status::Overdue, Status::Pending];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::MetLate => "met_late",
            Status::Missed => "missed",
            Status::Overdue => "overdue",
            Status::Pending => "pending",
        }
    }

    /// The Chinese word used in explanations.
    pub fn label(self) -> &'static str {
        match self {
            Status::Met => "已达标",
            Status::MetLate => "逾期完成",
            Status::Missed => "未达标",
            Status::Overdue => "已逾期",
            Status::Pending => "进行中",
        }
    }
}

/// What a finding required, by quota kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Required {
    /// At least `min` in the finding's period.
    Count {
        /// The minimum sum of counts.
        min: u32,
        /// The period kind.
        period: QuotaPeriod,
    },
    /// Completed on or before `due`.
    Deadline {
        /// The last day, inclusive.
        due: NaiveDate,
    },
    /// The latest value at least `min`.
    Threshold {
        /// The minimum value.
        min: f64,
        /// Its unit.
        unit: ThresholdUnit,
    },
    /// Handled within `days` working days of the event, i.e. by `limit`.
    WithinWorkdays {
        /// Working days allowed.
        days: u32,
        /// The triggering event's day.
        event_on: NaiveDate,
        /// The last day, inclusive (event day not counted).
        limit: NaiveDate,
    },
}

/// What the evidence showed, by quota kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Actual {
    /// The sum of counts in the period.
    Count {
        /// The sum.
        count: u64,
    },
    /// The earliest completion, if any.
    Deadline {
        /// Its date.
        completed_on: Option<NaiveDate>,
    },
    /// The value read, if any.
    Threshold {
        /// The latest value.
        value: Option<f64>,
        /// The day it was reported for.
        reported_on: Option<NaiveDate>,
    },
    /// When the event was handled, if it was.
    WithinWorkdays {
        /// The earliest handling date.
        done_on: Option<NaiveDate>,
    },
}

/// How a finding was reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The records the finding rests on, in date order.
    pub evidence_ids: Vec<i64>,
    /// The day the finding is decided on: the period's last day, the deadline or the limit.
    pub due: NaiveDate,
    /// For within-N-working-days duties, how the limit was counted.
    pub deadline: Option<DeadlineExplanation>,
    /// The reasoning in one Chinese paragraph.
    pub text: String,
}

/// One judgement: a quota, for a unit (or the task), over a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The quota's task.
    pub task_id: i64,
    /// The task's number in the plan.
    pub task_number: u32,
    /// The quota judged.
    pub quota_id: i64,
    /// The unit judged; `None` for a quota of the task as a whole.
    pub unit_id: Option<i64>,
    /// The unit's name; `None` for a quota of the task as a whole.
    pub unit: Option<String>,
    /// First day of the period (inclusive).
    pub period_start: NaiveDate,
    /// Last day of the period (inclusive).
    pub period_end: NaiveDate,
    /// What was required.
    pub required: Required,
    /// What the evidence showed.
    pub actual: Actual,
    /// The verdict.
    pub status: Status,
    /// How the verdict was reached.
    pub explanation: Explanation,
}

/// The findings of a plan as of one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// The day the plan was judged on.
    pub as_of: NaiveDate,
    /// Ordered by task number, quota id, unit (task-wide first, then by name and id),
    /// period start.
    pub findings: Vec<Finding>,
    /// How many findings have each status; all five statuses are present.
    pub summary: BTreeMap<Status, usize>,
}
