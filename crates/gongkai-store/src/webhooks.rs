//! Webhooks: where to post which events, the deliveries queued for each (written by
//! [`crate::events::emit`] in the transaction of the event) and every attempt made.
//!
//! A delivery worker claims the oldest due delivery of a webhook whose earlier
//! deliveries are all done, with `FOR UPDATE SKIP LOCKED`: several instances on one
//! database then never post the same delivery at once, and each webhook's events go out
//! one at a time, in order.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Timestamptz};
use serde::Serialize;

use crate::disclosure::secrets::Sealer;
use crate::schema::{events, webhook_attempts, webhook_deliveries, webhooks};
use crate::units::to_json;
use crate::{Actor, Page, PageRequest, StoreError, audit};

const SECRET_INFO: &[u8] = b"gongkai/webhook-secret/aes-256-gcm/v1";
const SECRET_AAD: &[u8] = b"gongkai/webhook-secret/v1";

/// The key sealing webhooks' signing secrets, derived from the data key.
pub fn secret_sealer(data_key: &[u8]) -> Result<Sealer, StoreError> {
    Sealer::derive(data_key, SECRET_INFO, SECRET_AAD, "webhook secret")
}

/// A webhook, without its secret.
#[derive(Debug, Clone, PartialEq, Serialize, Queryable, Selectable)]
#[diesel(table_name = webhooks)]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    /// The kinds of event it wants; empty for every kind.
    pub types: Vec<String>,
    /// The unit whose subtree's events it gets; None for every event.
    pub unit_id: Option<i64>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
}

/// What a webhook is set to.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookSpec {
    pub url: String,
    pub types: Vec<String>,
    pub unit_id: Option<i64>,
    pub active: bool,
}

/// Registers a webhook with its sealed secret, audited (without the secret).
pub fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    spec: &WebhookSpec,
    secret_sealed: &[u8],
) -> Result<Webhook, StoreError> {
    conn.transaction(|conn| {
        let w: Webhook = diesel::insert_into(webhooks::table)
            .values((
                webhooks::url.eq(&spec.url),
                webhooks::types.eq(&spec.types),
                webhooks::unit_id.eq(spec.unit_id),
                webhooks::active.eq(spec.active),
                webhooks::secret_sealed.eq(secret_sealed),
                webhooks::created_by.eq(&actor.sub),
            ))
            .returning(Webhook::as_returning())
            .get_result(conn)?;
        audit::record(conn, actor, "webhook.create", "webhook", w.id, None, Some(to_json(&w)))?;
        Ok(w)
    })
}

/// One webhook.
pub fn get(conn: &mut PgConnection, id: i64) -> Result<Webhook, StoreError> {
    webhooks::table
        .find(id)
        .select(Webhook::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("webhook {id}")))
}

/// Webhooks in id order; with `units`, only those limited to one of them.
pub fn list(
    conn: &mut PgConnection,
    units: Option<&[i64]>,
    page: PageRequest,
) -> Result<Page<Webhook>, StoreError> {
    let mut q = webhooks::table.select(Webhook::as_select()).into_boxed();
    if let Some(units) = units {
        q = q.filter(webhooks::unit_id.eq_any(units.to_vec()));
    }
    if let Some(after) = page.after {
        q = q.filter(webhooks::id.gt(after));
    }
    let rows = q.order(webhooks::id.asc()).limit(page.limit + 1).load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |w| w.id))
}

fn lock(conn: &mut PgConnection, id: i64) -> Result<Webhook, StoreError> {
    webhooks::table
        .find(id)
        .select(Webhook::as_select())
        .for_update()
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("webhook {id}")))
}

/// Changes a webhook, audited. `change` sees the locked current webhook and answers its
/// new settings (or refuses: a stale `If-Match`, a unit out of reach).
pub fn update(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    change: impl FnOnce(&Webhook) -> Result<WebhookSpec, StoreError>,
) -> Result<Webhook, StoreError> {
    conn.transaction(|conn| {
        let before = lock(conn, id)?;
        let spec = change(&before)?;
        let after: Webhook = diesel::update(webhooks::table.find(id))
            .set((
                webhooks::url.eq(&spec.url),
                webhooks::types.eq(&spec.types),
                webhooks::unit_id.eq(spec.unit_id),
                webhooks::active.eq(spec.active),
                webhooks::updated_at.eq(diesel::dsl::now),
            ))
            .returning(Webhook::as_returning())
            .get_result(conn)?;
        audit::record(
            conn,
            actor,
            "webhook.update",
            "webhook",
            id,
            Some(to_json(&before)),
            Some(to_json(&after)),
        )?;
        Ok(after)
    })
}

/// Removes a webhook with its deliveries, audited. `precondition` sees the locked
/// current webhook.
pub fn delete(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    precondition: impl FnOnce(&Webhook) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    conn.transaction(|conn| {
        let before = lock(conn, id)?;
        precondition(&before)?;
        diesel::delete(webhooks::table.find(id)).execute(conn)?;
        audit::record(conn, actor, "webhook.delete", "webhook", id, Some(to_json(&before)), None)?;
        Ok(())
    })
}

/// A delivery of an event to a webhook.
#[derive(Debug, Clone, PartialEq, Serialize, Queryable, Selectable)]
#[diesel(table_name = webhook_deliveries)]
pub struct Delivery {
    pub id: i64,
    pub webhook_id: i64,
    pub event_id: i64,
    /// `pending`, `delivered` or `failed` (given up).
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub redelivery_of: Option<i64>,
}

/// One attempt to post a delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Queryable, Selectable)]
#[diesel(table_name = webhook_attempts)]
pub struct Attempt {
    pub id: i64,
    pub delivery_id: i64,
    pub attempted_at: DateTime<Utc>,
    /// The receiver's HTTP status; None when no answer came.
    pub status_code: Option<i32>,
    /// Why the attempt failed, when it did.
    pub error: Option<String>,
    pub duration_ms: i32,
}

/// A webhook's deliveries in id order, each with its event's kind and its attempts.
pub fn deliveries(
    conn: &mut PgConnection,
    webhook_id: i64,
    page: PageRequest,
) -> Result<Page<(Delivery, String, Vec<Attempt>)>, StoreError> {
    let mut q = webhook_deliveries::table
        .inner_join(events::table)
        .filter(webhook_deliveries::webhook_id.eq(webhook_id))
        .select((Delivery::as_select(), events::kind))
        .into_boxed();
    if let Some(after) = page.after {
        q = q.filter(webhook_deliveries::id.gt(after));
    }
    let rows: Vec<(Delivery, String)> =
        q.order(webhook_deliveries::id.asc()).limit(page.limit + 1).load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|(d, _)| d.id).collect();
    let attempts: Vec<Attempt> = webhook_attempts::table
        .filter(webhook_attempts::delivery_id.eq_any(&ids))
        .select(Attempt::as_select())
        .order(webhook_attempts::id.asc())
        .load(conn)?;
    let page = Page::from_rows(rows, page.limit, |(d, _)| d.id);
    Ok(page.map(|(d, kind)| {
        let mine = attempts.iter().filter(|a| a.delivery_id == d.id).cloned().collect();
        (d, kind, mine)
    }))
}

/// Queues an event again for a webhook: a new pending delivery naming the one it
/// repeats, due at once, audited.
pub fn redeliver(
    conn: &mut PgConnection,
    actor: &Actor,
    webhook_id: i64,
    delivery_id: i64,
) -> Result<Delivery, StoreError> {
    conn.transaction(|conn| {
        let original: Delivery = webhook_deliveries::table
            .find(delivery_id)
            .filter(webhook_deliveries::webhook_id.eq(webhook_id))
            .select(Delivery::as_select())
            .first(conn)
            .optional()?
            .ok_or_else(|| {
                StoreError::NotFound(format!("delivery {delivery_id} of webhook {webhook_id}"))
            })?;
        let again: Delivery = diesel::insert_into(webhook_deliveries::table)
            .values((
                webhook_deliveries::webhook_id.eq(webhook_id),
                webhook_deliveries::event_id.eq(original.event_id),
                webhook_deliveries::redelivery_of.eq(Some(original.id)),
            ))
            .returning(Delivery::as_returning())
            .get_result(conn)?;
        audit::record(
            conn,
            actor,
            "webhook.redeliver",
            "webhook",
            webhook_id,
            None,
            Some(to_json(&again)),
        )?;
        Ok(again)
    })
}

/// A delivery claimed for posting: the webhook's address and sealed secret, and the
/// event.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub delivery: Delivery,
    pub url: String,
    pub secret_sealed: Vec<u8>,
    pub event: crate::events::Event,
}

#[derive(QueryableByName)]
struct ClaimedId {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// The oldest due delivery of an active webhook whose earlier deliveries are all done,
/// not claimed by another worker; locked until the caller's transaction ends.
const CLAIM_SQL: &str = "
SELECT d.id FROM webhook_deliveries d
  JOIN webhooks w ON w.id = d.webhook_id
 WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND w.active
   AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
                    WHERE e.webhook_id = d.webhook_id AND e.status = 'pending' AND e.id < d.id)
 ORDER BY d.next_attempt_at, d.id
 LIMIT 1
 FOR UPDATE OF d SKIP LOCKED";

/// Claims a due delivery as of `now` (call inside a transaction: the claim lasts as long
/// as it does). None when nothing is due.
pub fn claim(conn: &mut PgConnection, now: DateTime<Utc>) -> Result<Option<Claimed>, StoreError> {
    let found: Option<ClaimedId> =
        diesel::sql_query(CLAIM_SQL).bind::<Timestamptz, _>(now).get_result(conn).optional()?;
    let Some(ClaimedId { id }) = found else { return Ok(None) };
    let delivery: Delivery =
        webhook_deliveries::table.find(id).select(Delivery::as_select()).first(conn)?;
    let (url, secret_sealed): (String, Vec<u8>) = webhooks::table
        .find(delivery.webhook_id)
        .select((webhooks::url, webhooks::secret_sealed))
        .first(conn)?;
    let event = crate::events::get(conn, delivery.event_id)?;
    Ok(Some(Claimed { delivery, url, secret_sealed, event }))
}

/// When the next delivery falls due: the earliest `next_attempt_at` of the deliveries
/// that head their active webhook's queue (only those can be claimed), due or not. None
/// when nothing is pending.
pub fn next_attempt_at(conn: &mut PgConnection) -> Result<Option<DateTime<Utc>>, StoreError> {
    #[derive(diesel::QueryableByName)]
    struct Next {
        #[diesel(sql_type = diesel::sql_types::Nullable<Timestamptz>)]
        at: Option<DateTime<Utc>>,
    }
    let next: Next = diesel::sql_query(NEXT_ATTEMPT_SQL).get_result(conn)?;
    Ok(next.at)
}

const NEXT_ATTEMPT_SQL: &str = "
SELECT min(d.next_attempt_at) AS at FROM webhook_deliveries d
  JOIN webhooks w ON w.id = d.webhook_id
 WHERE d.status = 'pending' AND w.active
   AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
                    WHERE e.webhook_id = d.webhook_id AND e.status = 'pending' AND e.id < d.id)";

/// What became of an attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub attempted_at: DateTime<Utc>,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i32,
    /// Delivered (a 2xx answer).
    pub delivered: bool,
    /// For a failure: when to try again; None gives the delivery up.
    pub retry_at: Option<DateTime<Utc>>,
}

/// Records an attempt of a claimed delivery and moves it on: delivered, pending again
/// until `retry_at`, or failed.
pub fn record_attempt(
    conn: &mut PgConnection,
    delivery_id: i64,
    outcome: &Outcome,
) -> Result<(), StoreError> {
    diesel::insert_into(webhook_attempts::table)
        .values((
            webhook_attempts::delivery_id.eq(delivery_id),
            webhook_attempts::attempted_at.eq(outcome.attempted_at),
            webhook_attempts::status_code.eq(outcome.status_code),
            webhook_attempts::error.eq(outcome.error.as_deref()),
            webhook_attempts::duration_ms.eq(outcome.duration_ms),
        ))
        .execute(conn)?;
    let target = diesel::update(webhook_deliveries::table.find(delivery_id));
    let bump = webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1);
    match (outcome.delivered, outcome.retry_at) {
        (true, _) => target
            .set((
                bump,
                webhook_deliveries::status.eq("delivered"),
                webhook_deliveries::completed_at.eq(Some(outcome.attempted_at)),
            ))
            .execute(conn)?,
        (false, Some(at)) => {
            target.set((bump, webhook_deliveries::next_attempt_at.eq(at))).execute(conn)?
        }
        (false, None) => target
            .set((
                bump,
                webhook_deliveries::status.eq("failed"),
                webhook_deliveries::completed_at.eq(Some(outcome.attempted_at)),
            ))
            .execute(conn)?,
    };
    Ok(())
}
