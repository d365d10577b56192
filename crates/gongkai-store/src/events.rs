//! The event feed: an outbox of what other systems care about, appended in the same
//! transaction as the write it reports, so that a committed write always has its event
//! and a rolled-back one never does.
//!
//! **Commit order.** A bigserial id alone does not follow commit order: two transactions
//! may draw ids 7 and 8 and commit 8 first, and a reader who saw 8 and moved its cursor
//! past it would never see 7. So every append first takes one transaction-level advisory
//! lock ([`ORDER_LOCK`]), held until its transaction commits or rolls back: appends of
//! concurrent transactions are serialized from that point to their commit, an id is
//! drawn only by the one holder of the lock, and so ids become visible in increasing
//! order and a cursor (the last id read) never skips one. Writes append their event last
//! (after the audit record), so the lock is held only for the tail of a transaction.
//!
//! Each append also fans the event out to the webhooks that want it (a delivery row per
//! webhook, in the same transaction) and sends `NOTIFY gongkai_events`, which PostgreSQL
//! delivers at commit, to wake long polls and delivery workers on every instance.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Jsonb, Nullable, Text};
use gongkai_core::events::EventType;
use serde_json::Value;

use crate::StoreError;
use crate::schema::{events, tasks};

/// The advisory lock that serializes appends (see the module's documentation).
pub const ORDER_LOCK: i64 = 0x676b_6576_656e_7473; // "gkevents"
/// The channel woken at the commit of every append; its payload is the event's id.
pub const CHANNEL: &str = "gongkai_events";

/// An event to append.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub kind: EventType,
    /// The plan the change belongs to, when known.
    pub plan_id: Option<i64>,
    /// The task the change belongs to (its plan is looked up when `plan_id` is None).
    pub task_id: Option<i64>,
    /// The unit the change concerns (a responsible unit, a handling unit).
    pub unit_id: Option<i64>,
    /// Where the resource is read (`/api/v1/quotas/5`).
    pub path: String,
    /// The resource's id, when it has one of its own.
    pub resource_id: Option<i64>,
    /// A small object of ids and statuses: never personal data.
    pub data: Value,
}

impl NewEvent {
    /// An event about `path` (resource `resource_id`), with no plan, task or unit yet.
    pub fn new(kind: EventType, path: String, resource_id: Option<i64>, data: Value) -> Self {
        NewEvent { kind, plan_id: None, task_id: None, unit_id: None, path, resource_id, data }
    }

    /// The same event, in `plan_id`.
    pub fn plan(mut self, plan_id: i64) -> Self {
        self.plan_id = Some(plan_id);
        self
    }

    /// The same event, in the plan of `task_id`.
    pub fn task(mut self, task_id: i64) -> Self {
        self.task_id = Some(task_id);
        self
    }

    /// The same event, concerning `unit_id`.
    pub fn unit(mut self, unit_id: i64) -> Self {
        self.unit_id = Some(unit_id);
        self
    }
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = events)]
pub struct Event {
    pub id: i64,
    pub kind: String,
    pub occurred_at: DateTime<Utc>,
    pub plan_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub reach_units: Vec<i64>,
    pub path: String,
    pub resource_id: Option<i64>,
    pub data: Value,
}

const APPEND_SQL: &str = "
WITH RECURSIVE up(id, parent_id) AS (
    SELECT u.id, u.parent_id FROM units u
     WHERE u.id = $3 OR u.id = (SELECT issuing_unit_id FROM plans WHERE id = $2)
    UNION
    SELECT u.id, u.parent_id FROM units u JOIN up ON u.id = up.parent_id
)
INSERT INTO events (type, plan_id, unit_id, reach_units, path, resource_id, data)
VALUES ($1, $2, $3, ARRAY(SELECT id FROM up ORDER BY id), $4, $5, $6)
RETURNING id";

const FAN_OUT_SQL: &str = "
INSERT INTO webhook_deliveries (webhook_id, event_id)
SELECT w.id, e.id FROM webhooks w, events e
 WHERE e.id = $1 AND w.active
   AND (cardinality(w.types) = 0 OR e.type = ANY (w.types))
   AND (w.unit_id IS NULL OR e.reach_units @> ARRAY[w.unit_id])
 ORDER BY w.id";

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Appends an event in the caller's transaction (opening one when there is none), with
/// its deliveries to the webhooks that want it. Call it last in a write, after the audit
/// record: it takes the ordering lock until the transaction ends.
pub fn emit(conn: &mut PgConnection, event: NewEvent) -> Result<i64, StoreError> {
    conn.transaction(|conn| {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<BigInt, _>(ORDER_LOCK)
            .execute(conn)?;
        let plan_id = match (event.plan_id, event.task_id) {
            (Some(p), _) => Some(p),
            (None, Some(t)) => {
                tasks::table.find(t).select(tasks::plan_id).first::<i64>(conn).optional()?
            }
            (None, None) => None,
        };
        let id = diesel::sql_query(APPEND_SQL)
            .bind::<Text, _>(event.kind.as_str())
            .bind::<Nullable<BigInt>, _>(plan_id)
            .bind::<Nullable<BigInt>, _>(event.unit_id)
            .bind::<Text, _>(&event.path)
            .bind::<Nullable<BigInt>, _>(event.resource_id)
            .bind::<Jsonb, _>(&event.data)
            .get_result::<Id>(conn)?
            .id;
        diesel::sql_query(FAN_OUT_SQL).bind::<BigInt, _>(id).execute(conn)?;
        diesel::sql_query("SELECT pg_notify($1, $2)")
            .bind::<Text, _>(CHANNEL)
            .bind::<Text, _>(id.to_string())
            .execute(conn)?;
        Ok(id)
    })
}

/// Whose events a read covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Every event (admins, coordinators and viewers not limited to a unit).
    Everything,
    /// The events within a unit's subtree: of plans it (or a unit below it) issued, or
    /// concerning it or a unit below it.
    Subtree(i64),
    /// A responsible unit's: the events concerning it, and the plan-wide events (no unit)
    /// of its city (the tree of `city`, its top-level government).
    Unit { unit: i64, city: i64 },
}

/// What to read of the feed.
#[derive(Debug, Clone)]
pub struct EventQuery {
    /// Only events after this id.
    pub after: i64,
    /// Only these kinds (empty: every kind).
    pub types: Vec<EventType>,
    pub reach: Reach,
    /// At most this many.
    pub limit: i64,
}

/// The events after a cursor, in commit (id) order, within a reach.
pub fn list(conn: &mut PgConnection, q: &EventQuery) -> Result<Vec<Event>, StoreError> {
    let mut sel =
        events::table.select(Event::as_select()).filter(events::id.gt(q.after)).into_boxed();
    if !q.types.is_empty() {
        let names: Vec<&str> = q.types.iter().map(|t| t.as_str()).collect();
        sel = sel.filter(events::kind.eq_any(names));
    }
    match q.reach {
        Reach::Everything => {}
        Reach::Subtree(unit) => sel = sel.filter(events::reach_units.contains(vec![unit])),
        Reach::Unit { unit, city } => {
            sel = sel.filter(
                events::unit_id
                    .eq(unit)
                    .or(events::unit_id.is_null().and(events::reach_units.contains(vec![city]))),
            );
        }
    }
    Ok(sel.order(events::id.asc()).limit(q.limit).load(conn)?)
}

/// The id of the newest event (0 when there is none).
pub fn latest_id(conn: &mut PgConnection) -> Result<i64, StoreError> {
    let max: Option<i64> = events::table.select(diesel::dsl::max(events::id)).first(conn)?;
    Ok(max.unwrap_or(0))
}

/// One event.
pub fn get(conn: &mut PgConnection, id: i64) -> Result<Event, StoreError> {
    events::table
        .find(id)
        .select(Event::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("event {id}")))
}

/// The ids of events stored under `kinds` (for tests and tools).
pub fn ids_of(conn: &mut PgConnection, kinds: &[EventType]) -> Result<Vec<i64>, StoreError> {
    let names: Vec<&str> = kinds.iter().map(|t| t.as_str()).collect();
    Ok(events::table
        .filter(events::kind.eq_any(names))
        .select(events::id)
        .order(events::id)
        .load(conn)?)
}

/// Follows the feed from a connection of its own: `LISTEN`s on [`CHANNEL`] and, every
/// tenth of a second, calls `seen` with the newest event id learnt since the last call
/// (from notifications and, as a safety net for one lost with a broken connection, from
/// reading the newest id every `recheck`), or None. Runs until `seen` answers false;
/// reconnects after a failure. Blocking: run it on a thread of its own.
pub fn follow(url: &str, recheck: std::time::Duration, mut seen: impl FnMut(Option<i64>) -> bool) {
    use std::time::{Duration, Instant};
    const TICK: Duration = Duration::from_millis(100);
    loop {
        let mut conn = match PgConnection::establish(url) {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!("event feed: cannot connect to follow events: {e}");
                std::thread::sleep(Duration::from_secs(2));
                if !seen(None) {
                    return;
                }
                continue;
            }
        };
        let listening = diesel::sql_query(format!("LISTEN {CHANNEL}")).execute(&mut conn);
        if let Err(e) = listening {
            tracing::warn!("event feed: LISTEN failed: {e}");
            std::thread::sleep(Duration::from_secs(2));
            continue;
        }
        let mut checked = Instant::now() - recheck;
        loop {
            let mut newest: Option<i64> = None;
            let mut broken = false;
            for n in conn.notifications_iter() {
                match n {
                    Ok(n) => {
                        let id = n.payload.parse().unwrap_or(0);
                        newest = Some(newest.map_or(id, |m: i64| m.max(id)));
                    }
                    Err(_) => broken = true,
                }
            }
            if checked.elapsed() >= recheck {
                checked = Instant::now();
                match latest_id(&mut conn) {
                    Ok(id) => newest = Some(newest.map_or(id, |m| m.max(id))),
                    Err(_) => broken = true,
                }
            }
            if !seen(newest) {
                return;
            }
            if broken {
                tracing::warn!("event feed: the listening connection broke; reconnecting");
                break;
            }
            std::thread::sleep(TICK);
        }
    }
}
