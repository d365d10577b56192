//! `/api/v1/audit-events`: the audit trail (admins only).

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use gongkai_core::auth::Action;
use gongkai_store::audit::{self, AuditFilter};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::audit::types::AuditEventList;
use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::{Paging, Query};
use crate::http::respond::ok;
use crate::http::state::{AppState, db};

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_audit_events);
}

/// Filters of the audit trail.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only events about this kind of entity (`unit`, `plan`, `task`, `quota`, …).
    pub entity_type: Option<String>,
    /// Only events about the entity with this id (with `entity_type`).
    pub entity_id: Option<String>,
    /// Only events by this subject (the token's `sub`).
    pub actor: Option<String>,
    /// Only events at or after this time (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Only events before this time (RFC 3339).
    pub to: Option<DateTime<Utc>>,
}

/// List audit events
///
/// Every write leaves an event: who (subject, role, unit), when, what (action, entity),
/// and the state before and after. Oldest first.
#[utoipa::path(
    operation_id = "listAuditEvents",
    tag = "audit",
    params(AuditQuery, Paging),
    responses(
        (status = 200, description = "A page of audit events, oldest first", body = AuditEventList),
        (status = 403, description = "Not an admin"),
        (status = 422, description = "A bad query parameter"),
    ),
    security(("bearer" = []))
)]
#[get("/audit-events")]
pub async fn list_audit_events(
    state: web::Data<AppState>,
    who: Principal,
    query: Query<AuditQuery>,
    paging: Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::ReadAudit)?;
    let page = paging.page()?;
    let q = query.into_inner();
    if let (Some(from), Some(to)) = (q.from, q.to)
        && from > to
    {
        return Err(ApiError::field("from", "from must not be after to"));
    }
    let filter = AuditFilter {
        entity_type: q.entity_type,
        entity_id: q.entity_id,
        actor_sub: q.actor,
        from: q.from,
        to: q.to,
    };
    let page = db(&state, move |c| audit::list(c, &filter, page)).await?;
    Ok(ok(&AuditEventList::from_page(page)))
}
