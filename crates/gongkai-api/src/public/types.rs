//! The JSON shapes of the public API. They are the public's own types, not the
//! authenticated API's: what a published plan shows cannot grow by accident when an
//! internal answer gains a field.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::compliance::Status;
use gongkai_core::ledger::{ProgressStatus, RectificationStatus};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::compliance::types::{ActualDto, RequiredDto, SummaryDto};
use crate::http::list::list_type;
use crate::quotas::types::QuotaDto;
use crate::tasks::types::TaskUnitRole;

/// A government or department, by id and name.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PublicUnit {
    pub id: i64,
    #[schema(example = "开平市人民政府")]
    pub name: String,
}

/// A published plan in the list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PublicPlanSummary {
    pub id: i64,
    #[schema(example = 2021)]
    pub year: i32,
    #[schema(example = "开平市2021年政务公开工作要点")]
    pub title: String,
    /// The government that issued it.
    pub issuer: PublicUnit,
    pub published_at: DateTime<Utc>,
    /// The plan's last change (its publication included).
    pub updated_at: DateTime<Utc>,
}

list_type!(PublicPlanList, PublicPlanSummary, "A page of published plans.");

/// When each part of a published plan last changed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PublicChanges {
    /// The plan, its tasks, their units and quotas.
    pub plan: DateTime<Utc>,
    /// A unit's ledger status; null while none was ever set.
    pub progress: Option<DateTime<Utc>>,
    /// The records of work compliance is judged on; null while none was recorded.
    pub evidence: Option<DateTime<Utc>>,
    /// The latest look-back or one of its rectification items; null without a look-back.
    pub review: Option<DateTime<Utc>>,
}

/// A responsible unit of a task.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PublicTaskUnit {
    pub id: i64,
    pub name: String,
    /// `lead` (牵头) or `co` (配合).
    pub role: TaskUnitRole,
}

/// A task, verbatim, with its units and quotas.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PublicTask {
    pub id: i64,
    #[schema(example = 15)]
    pub number: i32,
    /// 具体要求: the requirement text as the plan states it.
    pub requirement: String,
    /// The responsible units, lead first.
    pub units: Vec<PublicTaskUnit>,
    pub quotas: Vec<QuotaDto>,
    pub updated_at: DateTime<Utc>,
}

/// A section with its tasks.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PublicSection {
    #[schema(example = 5)]
    pub number: i32,
    #[schema(example = "加强疫情防控信息公开")]
    pub title: String,
    pub tasks: Vec<PublicTask>,
}

/// A published plan: its sections and tasks verbatim, their units and quotas.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PublicPlan {
    pub id: i64,
    pub year: i32,
    pub title: String,
    pub issuer: PublicUnit,
    pub published_at: DateTime<Utc>,
    /// When each part of what the public sees last changed.
    pub last_changed: PublicChanges,
    pub sections: Vec<PublicSection>,
}

/// How many units stand at each ledger status.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct ProgressCounts {
    pub not_started: usize,
    pub in_progress: usize,
    pub blocked: usize,
    pub completed: usize,
    pub not_applicable: usize,
}

impl ProgressCounts {
    /// Counts statuses.
    pub fn of(statuses: impl IntoIterator<Item = ProgressStatus>) -> Self {
        let mut c = ProgressCounts::default();
        for s in statuses {
            *match s {
                ProgressStatus::NotStarted => &mut c.not_started,
                ProgressStatus::InProgress => &mut c.in_progress,
                ProgressStatus::Blocked => &mut c.blocked,
                ProgressStatus::Completed => &mut c.completed,
                ProgressStatus::NotApplicable => &mut c.not_applicable,
            } += 1;
        }
        c
    }
}

/// Where one responsible unit stands on a task: the ledger status, never its notes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PublicUnitProgress {
    pub unit_id: i64,
    pub unit: String,
    pub role: TaskUnitRole,
    pub status: ProgressStatus,
    /// When the status last changed; null while it was never set.
    pub status_updated_at: Option<DateTime<Utc>>,
}

/// A task's progress, unit by unit, lead first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PublicTaskProgress {
    pub task_id: i64,
    pub number: i32,
    pub section_number: i32,
    pub units: Vec<PublicUnitProgress>,
}

/// How many rectification items stand at each status.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct RectificationCounts {
    pub open: usize,
    pub submitted: usize,
    pub verified: usize,
}

/// A rectification item's status: which task and unit, due when, where it stands.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PublicRectification {
    pub id: i64,
    pub task_id: i64,
    pub task_number: i32,
    /// The unit that owns it.
    pub unit_id: i64,
    pub unit: String,
    pub due: NaiveDate,
    pub status: RectificationStatus,
    pub updated_at: DateTime<Utc>,
}

/// The latest look-back (回头看): its summary and its rectification items' statuses.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PublicReview {
    pub id: i64,
    /// The day the plan was judged on.
    pub as_of: NaiveDate,
    /// When rectification is due.
    pub rectification_due: NaiveDate,
    pub created_at: DateTime<Utc>,
    /// Tasks × responsible units judged.
    pub entries: usize,
    /// Of them, done (completed or not applicable).
    pub done: usize,
    /// Of them, found short (each became a rectification item).
    pub shortfalls: usize,
    pub rectifications: RectificationCounts,
    pub items: Vec<PublicRectification>,
}

/// A published plan's implementation: each task's status per unit and the latest
/// look-back.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PublicProgress {
    pub plan_id: i64,
    /// The units' statuses over all tasks.
    pub summary: ProgressCounts,
    pub tasks: Vec<PublicTaskProgress>,
    /// Null while the plan has had no look-back.
    pub latest_review: Option<PublicReview>,
    /// When each part of what the public sees last changed.
    pub last_changed: PublicChanges,
}

/// One judgement: a quota, for a unit (null: the task as a whole), over a period.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PublicFinding {
    pub quota_id: i64,
    pub unit_id: Option<i64>,
    pub unit: Option<String>,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub required: RequiredDto,
    pub actual: ActualDto,
    pub status: Status,
    /// The day the finding is decided on.
    pub due: NaiveDate,
}

/// A task's findings and their summary.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PublicTaskCompliance {
    pub task_id: i64,
    pub task_number: u32,
    pub summary: SummaryDto,
    pub findings: Vec<PublicFinding>,
}

/// A published plan's compliance as of a day: the summary, and per task (tasks without
/// a quota are not listed).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PublicCompliance {
    pub plan_id: i64,
    pub as_of: NaiveDate,
    pub summary: SummaryDto,
    pub tasks: Vec<PublicTaskCompliance>,
    /// When each part of what the public sees last changed.
    pub last_changed: PublicChanges,
}
