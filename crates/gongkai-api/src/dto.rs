//! The JSON shapes of the API, with their OpenAPI schemas.

use chrono::{DateTime, Utc};
use gongkai_core::unit::UnitKind;
use gongkai_store::audit::AuditEvent;
use gongkai_store::plans::{Plan, Section};
use gongkai_store::tasks::{Task, TaskUnit};
use gongkai_store::units::Unit;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::extract::double_option;

pub use crate::dto_quota::{
    QuotaDto, QuotaInput, QuotaKindSchema, QuotaPeriodSchema, QuotaScopeSchema,
};

/// What sort of body a unit is.
#[derive(ToSchema)]
#[schema(as = UnitKind)]
#[allow(non_camel_case_types, dead_code)]
pub enum UnitKindSchema {
    government,
    department,
    town,
    other,
}

/// 责任单位: a responsible unit (or the government it sits under).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UnitDto {
    pub id: i64,
    #[schema(example = "党政办")]
    pub name: String,
    #[schema(value_type = UnitKindSchema)]
    pub kind: UnitKind,
    /// The unit above; null for a top-level government.
    pub parent_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Unit> for UnitDto {
    fn from(u: Unit) -> Self {
        UnitDto {
            id: u.id,
            name: u.name,
            kind: u.kind,
            parent_id: u.parent_id,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

/// A unit to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUnitRequest {
    #[schema(example = "卫健局")]
    pub name: String,
    #[schema(value_type = UnitKindSchema)]
    pub kind: UnitKind,
    /// The unit above; omit or null for a top-level government.
    #[serde(default)]
    pub parent_id: Option<i64>,
}

/// Changes to a unit: only the fields given change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUnitRequest {
    pub name: Option<String>,
    #[schema(value_type = Option<UnitKindSchema>)]
    pub kind: Option<UnitKind>,
    /// The new parent; null makes the unit top-level (governments only).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<Option<i64>>,
}

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

/// A responsible unit of a task.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TaskUnitDto {
    pub id: i64,
    pub name: String,
    /// `lead` (牵头) for the first unit, `co` (配合) for the others.
    #[schema(example = "lead")]
    pub role: String,
}

impl From<TaskUnit> for TaskUnitDto {
    fn from(u: TaskUnit) -> Self {
        TaskUnitDto { id: u.id, name: u.name, role: u.role }
    }
}

/// A task (工作任务) with its requirement text, responsible units and quotas.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TaskDto {
    pub id: i64,
    pub plan_id: i64,
    pub section_id: i64,
    pub section_number: i32,
    #[schema(example = 15)]
    pub number: i32,
    /// 具体要求: the requirement text.
    pub requirement: String,
    /// The units, lead first.
    pub units: Vec<TaskUnitDto>,
    /// True when the plan gave no unit cell and the units came from the task before.
    pub units_inherited: bool,
    pub quotas: Vec<QuotaDto>,
    pub updated_at: DateTime<Utc>,
}

impl From<Task> for TaskDto {
    fn from(t: Task) -> Self {
        TaskDto {
            id: t.id,
            plan_id: t.plan_id,
            section_id: t.section_id,
            section_number: t.section_number,
            number: t.number,
            requirement: t.requirement,
            units: t.units.into_iter().map(TaskUnitDto::from).collect(),
            units_inherited: t.units_inherited,
            quotas: t.quotas.into_iter().map(QuotaDto::from).collect(),
            updated_at: t.updated_at,
        }
    }
}

/// Corrections to a task: only the fields given change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTaskRequest {
    pub requirement: Option<String>,
    /// The responsible units in order; the first leads. At least one.
    pub unit_ids: Option<Vec<i64>>,
}

/// One audit event: who changed what, when.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditEventDto {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_sub: String,
    pub actor_role: String,
    pub actor_unit_id: Option<i64>,
    #[schema(example = "quota.create")]
    pub action: String,
    #[schema(example = "quota")]
    pub entity_type: String,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
}

impl From<AuditEvent> for AuditEventDto {
    fn from(e: AuditEvent) -> Self {
        AuditEventDto {
            id: e.id,
            occurred_at: e.occurred_at,
            actor_sub: e.actor_sub,
            actor_role: e.actor_role,
            actor_unit_id: e.actor_unit_id,
            action: e.action,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            before: e.before,
            after: e.after,
            request_id: e.request_id,
        }
    }
}

macro_rules! list_type {
    ($name:ident, $item:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Serialize, Deserialize, ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            /// Pass as `cursor` for the next page; null on the last page.
            pub next_cursor: Option<String>,
        }

        impl $name {
            /// A list page from a store page.
            pub fn from_page<T: Into<$item>>(page: gongkai_store::Page<T>) -> Self {
                $name {
                    items: page.items.into_iter().map(Into::into).collect(),
                    next_cursor: page.next_after.map(crate::extract::encode_cursor),
                }
            }
        }
    };
}

pub(crate) use list_type;

list_type!(UnitList, UnitDto, "A page of units.");
list_type!(PlanList, PlanDto, "A page of plans.");
list_type!(SectionList, SectionDto, "A page of sections.");
list_type!(TaskList, TaskDto, "A page of tasks.");
list_type!(QuotaList, QuotaDto, "A page of quotas.");
list_type!(AuditEventList, AuditEventDto, "A page of audit events.");
