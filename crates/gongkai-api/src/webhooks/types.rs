//! The JSON shapes of webhooks and their deliveries.

use chrono::{DateTime, Utc};
use gongkai_store::webhooks::{Attempt, Delivery, Webhook};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::http::list::list_type;

/// A webhook, without its secret.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WebhookDto {
    pub id: i64,
    /// Where events are posted.
    #[schema(example = "https://oa.example.gov.cn/hooks/gongkai")]
    pub url: String,
    /// The kinds of event posted; empty for every kind.
    #[schema(example = json!(["rectification.opened", "deadline.overdue"]))]
    pub types: Vec<String>,
    /// Only events within this unit's subtree; null for every event.
    pub unit_id: Option<i64>,
    /// False while paused: deliveries wait, queued.
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
}

impl From<Webhook> for WebhookDto {
    fn from(w: Webhook) -> Self {
        WebhookDto {
            id: w.id,
            url: w.url,
            types: w.types,
            unit_id: w.unit_id,
            active: w.active,
            created_at: w.created_at,
            created_by: w.created_by,
            updated_at: w.updated_at,
        }
    }
}

/// A new webhook, with its signing secret: the only answer that ever shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreatedWebhookDto {
    #[serde(flatten)]
    pub webhook: WebhookDto,
    /// The secret signing every delivery (`Gongkai-Signature`). Shown this once: keep it
    /// now, in the receiving system's secret store.
    pub secret: String,
}

/// A webhook to register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookRequest {
    /// An `http` or `https` URL; loopback, link-local and private addresses are refused
    /// unless the server allows the host (`GONGKAI_WEBHOOK_ALLOW_HOSTS`).
    #[schema(example = "https://oa.example.gov.cn/hooks/gongkai")]
    pub url: String,
    /// The kinds of event to post (see `listEvents`); absent or empty for every kind.
    #[serde(default)]
    pub types: Vec<String>,
    /// Only events within this unit's subtree. A coordinator limited to a unit gets its
    /// own unit when absent.
    pub unit_id: Option<i64>,
}

/// Changes to a webhook: the fields given are replaced.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWebhookRequest {
    pub url: Option<String>,
    pub types: Option<Vec<String>>,
    /// A unit, or null for every event (admins and coordinators not limited to a unit).
    #[serde(default, deserialize_with = "crate::http::extract::double_option")]
    #[schema(value_type = Option<i64>)]
    pub unit_id: Option<Option<i64>>,
    /// False pauses deliveries (they wait, queued); true resumes them.
    pub active: Option<bool>,
}

/// One attempt to post a delivery.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AttemptDto {
    pub attempted_at: DateTime<Utc>,
    /// The receiver's HTTP status; null when no answer came.
    pub status_code: Option<i32>,
    /// Why it failed; null when delivered.
    pub error: Option<String>,
    pub duration_ms: i32,
}

impl From<Attempt> for AttemptDto {
    fn from(a: Attempt) -> Self {
        AttemptDto {
            attempted_at: a.attempted_at,
            status_code: a.status_code,
            error: a.error,
            duration_ms: a.duration_ms,
        }
    }
}

/// A delivery of an event to a webhook, with every attempt.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DeliveryDto {
    pub id: i64,
    pub webhook_id: i64,
    pub event_id: i64,
    #[schema(example = "quota.created")]
    pub event_type: String,
    /// `pending`, `delivered` or `failed` (given up after retrying for more than a day).
    #[schema(example = "delivered")]
    pub status: String,
    /// When the next attempt is due (while pending).
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    /// When it was delivered or given up.
    pub completed_at: Option<DateTime<Utc>>,
    /// The delivery this one repeats (`redeliverWebhookDelivery`).
    pub redelivery_of: Option<i64>,
    pub attempts: Vec<AttemptDto>,
}

impl From<(Delivery, String, Vec<Attempt>)> for DeliveryDto {
    fn from((d, event_type, attempts): (Delivery, String, Vec<Attempt>)) -> Self {
        DeliveryDto {
            id: d.id,
            webhook_id: d.webhook_id,
            event_id: d.event_id,
            event_type,
            status: d.status,
            next_attempt_at: d.next_attempt_at,
            created_at: d.created_at,
            completed_at: d.completed_at,
            redelivery_of: d.redelivery_of,
            attempts: attempts.into_iter().map(AttemptDto::from).collect(),
        }
    }
}

list_type!(WebhookList, WebhookDto, "A page of webhooks.");
list_type!(DeliveryList, DeliveryDto, "A page of a webhook's deliveries, oldest first.");
