//! The JSON shapes of tasks (工作任务).

use chrono::{DateTime, Utc};
use gongkai_store::tasks::{Task, TaskUnit};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::list::list_type;
use crate::quotas::types::QuotaDto;

/// A unit's part in a task: `lead` (牵头) for the first unit, `co` (配合) for the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskUnitRole {
    /// 牵头: the lead unit.
    Lead,
    /// 配合: a co-responsible unit.
    Co,
}

impl TaskUnitRole {
    /// The role as the store keeps it (`lead` for the first unit, `co` for the others).
    pub fn from_stored(stored: &str) -> Self {
        if stored == "lead" { TaskUnitRole::Lead } else { TaskUnitRole::Co }
    }
}

/// A responsible unit of a task.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TaskUnitDto {
    pub id: i64,
    pub name: String,
    pub role: TaskUnitRole,
}

impl From<TaskUnit> for TaskUnitDto {
    fn from(u: TaskUnit) -> Self {
        TaskUnitDto { id: u.id, name: u.name, role: TaskUnitRole::from_stored(&u.role) }
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

list_type!(TaskList, TaskDto, "A page of tasks.");
