//! The JSON shapes of plans (工作要点) and their sections.

use chrono::{DateTime, Utc};
use gongkai_store::plans::{Plan, Section};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::list::list_type;

/// 工作要点: a year's government-openness work plan.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PlanDto {
    pub id: i64,
    #[schema(example = 2021)]
    pub year: i32,
    #[schema(example = "开平市2021年政务公开工作要点")]
    pub title: String,
    /// The government that issued the plan.
    pub issuing_unit_id: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The plan this one was copied from (the year before), if any.
    pub previous_plan_id: Option<i64>,
    /// The previous plan's look-back whose unfinished items carry over (task 53).
    pub carryover_review_id: Option<i64>,
    /// True while the plan is shown to the public (`/public/v1/plans/{id}`).
    pub published: bool,
    /// When it was published; null while it is not.
    pub published_at: Option<DateTime<Utc>>,
}

/// A change to a plan: only the fields given change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePlanRequest {
    /// `true` shows the plan to the public; `false` withdraws it.
    pub published: Option<bool>,
}

impl From<Plan> for PlanDto {
    fn from(p: Plan) -> Self {
        PlanDto {
            id: p.id,
            year: p.year,
            title: p.title,
            issuing_unit_id: p.issuing_unit_id,
            created_at: p.created_at,
            updated_at: p.updated_at,
            previous_plan_id: p.previous_plan_id,
            carryover_review_id: p.carryover_review_id,
            published: p.published_at.is_some(),
            published_at: p.published_at,
        }
    }
}

/// A section (一、二、…) of a plan.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SectionDto {
    pub id: i64,
    pub plan_id: i64,
    #[schema(example = 3)]
    pub number: i32,
    #[schema(example = "做好财政信息公开")]
    pub title: String,
}

impl From<Section> for SectionDto {
    fn from(s: Section) -> Self {
        SectionDto { id: s.id, plan_id: s.plan_id, number: s.number, title: s.title }
    }
}

list_type!(PlanList, PlanDto, "A page of plans.");
list_type!(SectionList, SectionDto, "A page of sections.");
