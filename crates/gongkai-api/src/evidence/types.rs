//! The JSON shapes of evidence (证据).

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_store::evidence::Evidence;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::list::list_type;

/// A dated record of work done for a task. Never deleted: a withdrawn record stays
/// listed with who withdrew it and why, and no longer counts.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EvidenceDto {
    pub id: i64,
    pub task_id: i64,
    /// The unit that did the work.
    pub unit_id: i64,
    /// The one quota the record is for; null when it feeds every quota its fields speak to.
    pub quota_id: Option<i64>,
    /// When the work was done: statuses follow this date, never `recorded_at`.
    #[schema(example = "2021-03-15")]
    pub occurred_on: NaiveDate,
    #[schema(example = "疫情防控专栏更新：3月第二批")]
    pub title: String,
    pub url: Option<String>,
    /// How many items the record stands for (count quotas).
    pub count: i32,
    /// A value for thresholds, in the quota's unit (3.5 means 3.5 %).
    pub value: Option<f64>,
    /// True when the record completes a deadline.
    pub completes: bool,
    /// The day of the triggering event of a within-N-working-days duty.
    pub event_on: Option<NaiveDate>,
    /// When the server stored the record.
    pub recorded_at: DateTime<Utc>,
    /// Who recorded it (the token's subject).
    pub recorded_by: String,
    /// True once withdrawn.
    pub withdrawn: bool,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdrawn_by: Option<String>,
    pub withdraw_reason: Option<String>,
    /// The last change: when the record was stored, or withdrawn.
    pub updated_at: DateTime<Utc>,
}

impl From<Evidence> for EvidenceDto {
    fn from(e: Evidence) -> Self {
        EvidenceDto {
            id: e.id,
            task_id: e.task_id,
            unit_id: e.unit_id,
            quota_id: e.quota_id,
            occurred_on: e.occurred_on,
            title: e.title,
            url: e.url,
            count: e.count,
            value: e.value,
            completes: e.completes,
            event_on: e.event_on,
            recorded_at: e.recorded_at,
            recorded_by: e.recorded_by,
            withdrawn: e.withdrawn_at.is_some(),
            withdrawn_at: e.withdrawn_at,
            withdrawn_by: e.withdrawn_by,
            withdraw_reason: e.withdraw_reason,
            updated_at: e.updated_at,
        }
    }
}

/// A record to store. Without `quota_id` it feeds each quota of its task that its fields
/// speak to: `count` → count quotas, `completes` → deadlines, `value` → thresholds,
/// `event_on` → within-N-working-days duties.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEvidenceRequest {
    /// When the work was done: not before the plan's year, not after today (Asia/Shanghai).
    /// A date after the plan year is accepted: it is how a late completion is recorded.
    #[schema(example = "2021-03-15")]
    pub occurred_on: NaiveDate,
    /// What was done, 1 to 500 characters.
    #[schema(example = "疫情防控专栏更新：3月第二批")]
    pub title: String,
    /// Where it can be seen (http or https).
    pub url: Option<String>,
    /// How many items (default 1; 0 to 1,000,000).
    #[schema(example = 2)]
    pub count: Option<i64>,
    /// For thresholds, in the quota's unit (0 to 100 percent).
    pub value: Option<f64>,
    /// True when the record completes a deadline (default false).
    pub completes: Option<bool>,
    /// For within-N-working-days duties: the day of the triggering event (not after
    /// `occurred_on`).
    pub event_on: Option<NaiveDate>,
    /// The one quota of this task the record is for.
    pub quota_id: Option<i64>,
    /// The unit that did the work; default the token's unit. A unit token records only
    /// for its own unit.
    pub unit_id: Option<i64>,
}

/// Why a record is withdrawn.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawEvidenceRequest {
    /// Required: 1 to 1,000 characters.
    #[serde(default)]
    #[schema(example = "重复录入", required = true)]
    pub reason: String,
}

list_type!(EvidenceList, EvidenceDto, "A page of evidence records.");
