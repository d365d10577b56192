//! The JSON of the ledger (台账), look-backs (回头看) and rectification (整改).

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::auth::Role;
use gongkai_core::ledger::{ProgressStatus, RectificationAction, RectificationStatus};
use gongkai_store::progress::{Note, Progress};
use gongkai_store::reviews::{Rectification, RectificationEvent, Review, ReviewEntry};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::tasks::types::TaskUnitRole;

/// One responsible unit's progress on one task (a ledger row).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProgressDto {
    pub task_id: i64,
    pub task_number: i32,
    pub section_number: i32,
    pub unit_id: i64,
    pub unit: String,
    pub role: TaskUnitRole,
    pub status: ProgressStatus,
    pub status_updated_at: Option<DateTime<Utc>>,
    pub status_updated_by: Option<String>,
    /// The latest status change or note; null when nothing has happened yet.
    pub last_activity_at: Option<DateTime<Utc>>,
    /// The last change of anything the row shows: its status, a note, or its task (the
    /// task's number, section, units and their names).
    pub updated_at: DateTime<Utc>,
}

impl From<Progress> for ProgressDto {
    fn from(p: Progress) -> Self {
        ProgressDto {
            task_id: p.task_id,
            task_number: p.task_number,
            section_number: p.section_number,
            unit_id: p.unit_id,
            unit: p.unit,
            role: TaskUnitRole::from_stored(&p.role),
            status: p.status,
            status_updated_at: p.status_updated_at,
            status_updated_by: p.status_updated_by,
            last_activity_at: p.last_activity_at,
            updated_at: p.updated_at,
        }
    }
}

/// A page of ledger rows.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProgressList {
    pub items: Vec<ProgressDto>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// A task's ledger rows with their notes.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProgressDetailList {
    pub items: Vec<ProgressDetail>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// Who wrote a note: `update` by the unit, `comment` by anyone else (the coordinator).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// The unit's own update.
    Update,
    /// A coordinator's comment.
    Comment,
}

/// A dated note on a ledger row.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NoteDto {
    pub id: i64,
    pub task_id: i64,
    pub unit_id: i64,
    pub kind: NoteKind,
    pub text: String,
    pub links: Vec<String>,
    /// For a status change: the status before and after.
    pub status_from: Option<ProgressStatus>,
    pub status_to: Option<ProgressStatus>,
    pub author_sub: String,
    pub author_role: Role,
    pub created_at: DateTime<Utc>,
}

impl From<Note> for NoteDto {
    fn from(n: Note) -> Self {
        NoteDto {
            id: n.id,
            task_id: n.task_id,
            unit_id: n.unit_id,
            kind: if n.kind == "update" { NoteKind::Update } else { NoteKind::Comment },
            text: n.text,
            links: n.links,
            status_from: n.status_from.as_deref().and_then(ProgressStatus::parse),
            status_to: n.status_to.as_deref().and_then(ProgressStatus::parse),
            author_sub: n.author_sub,
            author_role: Role::parse(&n.author_role).unwrap_or(Role::Viewer),
            created_at: n.created_at,
        }
    }
}

/// One unit's ledger row with its history.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProgressDetail {
    #[serde(flatten)]
    pub progress: ProgressDto,
    /// Updates and comments, oldest first.
    pub notes: Vec<NoteDto>,
}

/// A status change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateProgressRequest {
    pub status: ProgressStatus,
    /// Why (kept as a note); default: the move itself.
    pub note: Option<String>,
}

/// A note to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateNoteRequest {
    #[schema(example = "已完成专栏改版，待审核上线")]
    pub text: String,
    /// Links to what was published or done.
    #[serde(default)]
    pub links: Vec<String>,
}

/// A look-back to take.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateReviewRequest {
    /// The day the plan is judged on.
    pub as_of: NaiveDate,
    /// When rectification is due; default 20 working days after `as_of`.
    pub rectification_due: Option<NaiveDate>,
    pub note: Option<String>,
}

/// A look-back (回头看), frozen when taken.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReviewDto {
    pub id: i64,
    pub plan_id: i64,
    pub as_of: NaiveDate,
    pub rectification_due: NaiveDate,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

impl From<Review> for ReviewDto {
    fn from(r: Review) -> Self {
        ReviewDto {
            id: r.id,
            plan_id: r.plan_id,
            as_of: r.as_of,
            rectification_due: r.rectification_due,
            note: r.note,
            created_at: r.created_at,
            created_by: r.created_by,
        }
    }
}

/// A task and unit as the look-back found them.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReviewEntryDto {
    pub id: i64,
    pub task_id: i64,
    pub task_number: i32,
    pub unit_id: i64,
    pub unit: String,
    pub progress_status: ProgressStatus,
    /// True when the unit's part was completed or not applicable.
    pub done: bool,
    /// The compliance findings for this task and unit at that moment.
    pub findings: serde_json::Value,
    /// What fell short; null when nothing did.
    pub shortfall: Option<String>,
}

impl From<ReviewEntry> for ReviewEntryDto {
    fn from(e: ReviewEntry) -> Self {
        ReviewEntryDto {
            id: e.id,
            task_id: e.task_id,
            task_number: e.task_number,
            unit_id: e.unit_id,
            unit: e.unit_name,
            progress_status: ProgressStatus::parse(&e.progress_status)
                .unwrap_or(ProgressStatus::NotStarted),
            done: e.done,
            findings: e.findings,
            shortfall: e.shortfall,
        }
    }
}

/// A look-back with its entries.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReviewDetail {
    #[serde(flatten)]
    pub review: ReviewDto,
    pub entries: Vec<ReviewEntryDto>,
}

/// The look-backs of a plan.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReviewList {
    pub items: Vec<ReviewDto>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// A rectification item (整改事项).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RectificationDto {
    pub id: i64,
    pub review_id: i64,
    pub review_entry_id: i64,
    pub task_id: i64,
    /// The owner unit.
    pub unit_id: i64,
    pub finding: String,
    pub due: NaiveDate,
    pub status: RectificationStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Rectification> for RectificationDto {
    fn from(r: Rectification) -> Self {
        RectificationDto {
            id: r.id,
            review_id: r.review_id,
            review_entry_id: r.review_entry_id,
            task_id: r.task_id,
            unit_id: r.unit_id,
            finding: r.finding,
            due: r.due,
            status: stored_status(&r.status),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// What happened to a rectification item.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RectificationEventDto {
    pub id: i64,
    /// What was done.
    pub action: RectificationAction,
    pub status_from: RectificationStatus,
    pub status_to: RectificationStatus,
    pub note: Option<String>,
    pub url: Option<String>,
    pub actor_sub: String,
    pub actor_role: Role,
    pub created_at: DateTime<Utc>,
}

impl From<RectificationEvent> for RectificationEventDto {
    fn from(e: RectificationEvent) -> Self {
        RectificationEventDto {
            id: e.id,
            action: RectificationAction::parse(&e.action).unwrap_or(RectificationAction::Submit),
            status_from: stored_status(&e.status_from),
            status_to: stored_status(&e.status_to),
            note: e.note,
            url: e.url,
            actor_sub: e.actor_sub,
            actor_role: Role::parse(&e.actor_role).unwrap_or(Role::Viewer),
            created_at: e.created_at,
        }
    }
}

/// A status as stored: the table's check constraint admits only the three words.
fn stored_status(s: &str) -> RectificationStatus {
    RectificationStatus::parse(s).unwrap_or(RectificationStatus::Open)
}

/// A rectification item with its history.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RectificationDetail {
    #[serde(flatten)]
    pub item: RectificationDto,
    pub events: Vec<RectificationEventDto>,
}

/// A submission, verification or rejection.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RectificationActionRequest {
    /// What was done (submit), or why it is sent back (reject: required).
    pub note: Option<String>,
    /// Where the evidence is (submit: a note or a url is required).
    pub url: Option<String>,
}

crate::http::list::list_type!(
    RectificationList,
    RectificationDto,
    "A page of rectification items."
);

/// A ledger status as the offices write it.
pub fn progress_label(s: ProgressStatus) -> &'static str {
    match s {
        ProgressStatus::NotStarted => "未启动",
        ProgressStatus::InProgress => "推进中",
        ProgressStatus::Blocked => "受阻",
        ProgressStatus::Completed => "已完成",
        ProgressStatus::NotApplicable => "不适用",
    }
}

/// A rectification item's status as the offices write it.
pub fn rectification_label(s: RectificationStatus) -> &'static str {
    match s {
        RectificationStatus::Open => "待整改",
        RectificationStatus::Submitted => "已提交",
        RectificationStatus::Verified => "已核验",
    }
}
