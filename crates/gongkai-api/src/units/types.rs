//! The JSON shapes of units (责任单位).

use chrono::{DateTime, Utc};
use gongkai_core::unit::UnitKind;
use gongkai_store::units::Unit;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::extract::double_option;
use crate::http::list::list_type;

/// 责任单位: a responsible unit (or the government it sits under).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UnitDto {
    pub id: i64,
    #[schema(example = "党政办")]
    pub name: String,
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
    pub kind: Option<UnitKind>,
    /// The new parent; null makes the unit top-level (governments only).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<Option<i64>>,
}

list_type!(UnitList, UnitDto, "A page of units.");
