//! The JSON shapes of the event feed.

use chrono::{DateTime, Utc};
use gongkai_store::events::Event;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One event: what changed and where to read it. Ids only, never personal data.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EventDto {
    /// The event's id: events come in commit order, by increasing id.
    pub id: i64,
    /// What happened.
    #[schema(value_type = String, example = "quota.created")]
    pub r#type: String,
    /// When it was stored.
    pub occurred_at: DateTime<Utc>,
    /// The plan it belongs to; null for applications for disclosure.
    pub plan_id: Option<i64>,
    /// The unit it concerns (a responsible or handling unit); null for plan-wide events.
    pub unit_id: Option<i64>,
    /// Where the resource is read.
    #[schema(example = "/api/v1/quotas/7")]
    pub path: String,
    /// The resource's id; null for a resource without one of its own (a ledger row).
    pub resource_id: Option<i64>,
    /// A few ids and statuses about the change.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

impl From<Event> for EventDto {
    fn from(e: Event) -> Self {
        EventDto {
            id: e.id,
            r#type: e.kind,
            occurred_at: e.occurred_at,
            plan_id: e.plan_id,
            unit_id: e.unit_id,
            path: e.path,
            resource_id: e.resource_id,
            data: e.data,
        }
    }
}

/// A page of the feed.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EventList {
    pub items: Vec<EventDto>,
    /// Pass as `after` to read on: the id of the last event of this page, or the `after`
    /// asked with when the page is empty. Never null: a feed has no last page.
    pub next_cursor: String,
}
