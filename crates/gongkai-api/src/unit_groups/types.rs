//! The JSON shapes of unit groups (单位分组).

use chrono::{DateTime, Utc};
use gongkai_store::groups::{GroupMember, UnitGroup};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::list::list_type;

/// A member of a group.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GroupMemberDto {
    pub id: i64,
    #[schema(example = "赤坎镇")]
    pub name: String,
}

impl From<GroupMember> for GroupMemberDto {
    fn from(m: GroupMember) -> Self {
        GroupMemberDto { id: m.id, name: m.name }
    }
}

/// 单位分组: a named set of units (all city departments, all towns) a quota can bind one
/// by one (scope `group`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UnitGroupDto {
    pub id: i64,
    #[schema(example = "各镇人民政府（街道办事处）")]
    pub name: String,
    pub description: String,
    /// The unit whose coordinator manages the group (members lie in its subtree); null
    /// for a deployment-wide group.
    pub owner_unit_id: Option<i64>,
    /// The members, by name.
    pub units: Vec<GroupMemberDto>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<UnitGroup> for UnitGroupDto {
    fn from(g: UnitGroup) -> Self {
        UnitGroupDto {
            id: g.id,
            name: g.name,
            description: g.description,
            owner_unit_id: g.owner_unit_id,
            units: g.units.into_iter().map(GroupMemberDto::from).collect(),
            created_at: g.created_at,
            updated_at: g.updated_at,
        }
    }
}

/// A group to create.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUnitGroupRequest {
    #[schema(example = "各镇人民政府（街道办事处）")]
    pub name: String,
    pub description: Option<String>,
    /// Default: the token's unit; omit with an unlimited token for a deployment-wide group.
    pub owner_unit_id: Option<i64>,
    /// The members: existing, distinct, inside the owner's subtree.
    pub unit_ids: Vec<i64>,
}

/// Changes to a group: only the fields given change; `unit_ids` replaces the members.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUnitGroupRequest {
    pub name: Option<String>,
    pub description: Option<String>,
    pub unit_ids: Option<Vec<i64>>,
}

list_type!(UnitGroupList, UnitGroupDto, "A page of unit groups.");
