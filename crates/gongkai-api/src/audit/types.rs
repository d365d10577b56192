//! The JSON shapes of the audit trail.

use chrono::{DateTime, Utc};
use gongkai_core::auth::Role;
use gongkai_store::audit::AuditEvent;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::list::list_type;

/// One audit event: who changed what, when.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditEventDto {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_sub: String,
    pub actor_role: Role,
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
            actor_role: Role::parse(&e.actor_role).unwrap_or(Role::Viewer),
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

list_type!(AuditEventList, AuditEventDto, "A page of audit events.");
