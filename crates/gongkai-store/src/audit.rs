//! The audit trail: who changed what, when, with the state before and after.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use gongkai_core::auth::Role;
use serde_json::Value;

use crate::schema::audit_events;
use crate::{Page, PageRequest, StoreError};

/// The caller behind a write, from the verified token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The token's `sub`.
    pub sub: String,
    /// The token's role.
    pub role: Role,
    /// The token's `unit` claim, if any.
    pub unit_id: Option<i64>,
    /// The request that made the change, for correlating with logs.
    pub request_id: Option<String>,
}

impl Actor {
    /// The actor of changes made by the system itself (seeding, migrations).
    pub fn system(what: &str) -> Self {
        Actor { sub: format!("system:{what}"), role: Role::Admin, unit_id: None, request_id: None }
    }
}

/// One audit event.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub struct AuditEvent {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_sub: String,
    pub actor_role: String,
    pub actor_unit_id: Option<i64>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub request_id: Option<String>,
}

/// Records a change. Call inside the transaction that makes it, so that both or neither
/// are stored.
pub fn record(
    conn: &mut PgConnection,
    actor: &Actor,
    action: &str,
    entity_type: &str,
    entity_id: impl ToString,
    before: Option<Value>,
    after: Option<Value>,
) -> Result<(), StoreError> {
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::actor_sub.eq(&actor.sub),
            audit_events::actor_role.eq(actor.role.as_str()),
            audit_events::actor_unit_id.eq(actor.unit_id),
            audit_events::action.eq(action),
            audit_events::entity_type.eq(entity_type),
            audit_events::entity_id.eq(entity_id.to_string()),
            audit_events::before.eq(before),
            audit_events::after.eq(after),
            audit_events::request_id.eq(actor.request_id.as_deref()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Which audit events to list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub actor_sub: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// Lists audit events, newest last, by id.
pub fn list(
    conn: &mut PgConnection,
    filter: &AuditFilter,
    page: PageRequest,
) -> Result<Page<AuditEvent>, StoreError> {
    let mut q = audit_events::table.select(AuditEvent::as_select()).into_boxed();
    if let Some(t) = &filter.entity_type {
        q = q.filter(audit_events::entity_type.eq(t));
    }
    if let Some(id) = &filter.entity_id {
        q = q.filter(audit_events::entity_id.eq(id));
    }
    if let Some(s) = &filter.actor_sub {
        q = q.filter(audit_events::actor_sub.eq(s));
    }
    if let Some(from) = filter.from {
        q = q.filter(audit_events::occurred_at.ge(from));
    }
    if let Some(to) = filter.to {
        q = q.filter(audit_events::occurred_at.lt(to));
    }
    if let Some(after) = page.after {
        q = q.filter(audit_events::id.gt(after));
    }
    let rows = q.order(audit_events::id.asc()).limit(page.limit + 1).load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |e| e.id))
}
