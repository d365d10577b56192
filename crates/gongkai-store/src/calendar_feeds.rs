//! Calendar feeds: secret `.ics` URLs a calendar app subscribes to, one per plan (and
//! optionally one unit's subtree). Only the SHA-256 of a feed's token is stored; a
//! revoked feed is gone for its owner and its URL answers 404.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::schema::{calendar_feeds, tasks, units};
use crate::units::to_json;
use crate::{Actor, Page, PageRequest, StoreError, audit};

/// A stored feed, without its token hash.
#[derive(Debug, Clone, PartialEq, Serialize, Queryable, Selectable)]
#[diesel(table_name = calendar_feeds)]
pub struct CalendarFeed {
    pub id: i64,
    pub plan_id: i64,
    /// The unit whose subtree the feed covers; None: the whole plan.
    pub unit_id: Option<i64>,
    /// Whose feed it is (the token subject that created it).
    pub owner_sub: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Stores a new feed by its token's hash, audited (without the token or its hash). A unit
/// that does not exist → 422 on `unit_id`.
pub fn create(
    conn: &mut PgConnection,
    actor: &Actor,
    plan_id: i64,
    unit_id: Option<i64>,
    token_hash: &[u8],
) -> Result<CalendarFeed, StoreError> {
    conn.transaction(|conn| {
        if let Some(unit) = unit_id {
            let found: Option<i64> =
                units::table.find(unit).select(units::id).first(conn).optional()?;
            if found.is_none() {
                return Err(StoreError::invalid("unit_id", format!("unit {unit} does not exist")));
            }
        }
        let feed: CalendarFeed = diesel::insert_into(calendar_feeds::table)
            .values((
                calendar_feeds::plan_id.eq(plan_id),
                calendar_feeds::unit_id.eq(unit_id),
                calendar_feeds::token_hash.eq(token_hash),
                calendar_feeds::owner_sub.eq(&actor.sub),
            ))
            .returning(CalendarFeed::as_returning())
            .get_result(conn)?;
        audit::record(
            conn,
            actor,
            "calendar_feed.create",
            "calendar_feed",
            feed.id,
            None,
            Some(to_json(&feed)),
        )?;
        Ok(feed)
    })
}

/// The live feeds of `owner_sub`, in id order.
pub fn list_own(
    conn: &mut PgConnection,
    owner_sub: &str,
    page: PageRequest,
) -> Result<Page<CalendarFeed>, StoreError> {
    let mut q = calendar_feeds::table
        .select(CalendarFeed::as_select())
        .filter(calendar_feeds::owner_sub.eq(owner_sub))
        .filter(calendar_feeds::revoked_at.is_null())
        .into_boxed();
    if let Some(after) = page.after {
        q = q.filter(calendar_feeds::id.gt(after));
    }
    let rows = q.order(calendar_feeds::id).limit(page.limit + 1).load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |f| f.id))
}

/// One live feed (a revoked one is not found).
pub fn get(conn: &mut PgConnection, id: i64) -> Result<CalendarFeed, StoreError> {
    calendar_feeds::table
        .find(id)
        .filter(calendar_feeds::revoked_at.is_null())
        .select(CalendarFeed::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("calendar feed {id}")))
}

/// The live feed whose token hashes to `token_hash`.
pub fn by_token_hash(
    conn: &mut PgConnection,
    token_hash: &[u8],
) -> Result<Option<CalendarFeed>, StoreError> {
    Ok(calendar_feeds::table
        .filter(calendar_feeds::token_hash.eq(token_hash))
        .filter(calendar_feeds::revoked_at.is_null())
        .select(CalendarFeed::as_select())
        .first(conn)
        .optional()?)
}

/// Revokes a live feed, audited; `precondition` sees the locked current feed (who may,
/// and the caller's `If-Match`). From then on its URL answers 404.
pub fn revoke(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    precondition: impl FnOnce(&CalendarFeed) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    conn.transaction(|conn| {
        let before: CalendarFeed = calendar_feeds::table
            .find(id)
            .filter(calendar_feeds::revoked_at.is_null())
            .select(CalendarFeed::as_select())
            .for_update()
            .first(conn)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("calendar feed {id}")))?;
        precondition(&before)?;
        let after: CalendarFeed = diesel::update(calendar_feeds::table.find(id))
            .set(calendar_feeds::revoked_at.eq(diesel::dsl::sql::<
                diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
            >("now()")))
            .returning(CalendarFeed::as_returning())
            .get_result(conn)?;
        audit::record(
            conn,
            actor,
            "calendar_feed.revoke",
            "calendar_feed",
            id,
            Some(to_json(&before)),
            Some(to_json(&after)),
        )?;
        Ok(())
    })
}

/// The names of some units, by id (organizations, never people).
pub fn unit_names(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<HashMap<i64, String>, StoreError> {
    let rows: Vec<(i64, String)> =
        units::table.filter(units::id.eq_any(ids)).select((units::id, units::name)).load(conn)?;
    Ok(rows.into_iter().collect())
}

/// The numbers of some tasks, by id.
pub fn task_numbers(conn: &mut PgConnection, ids: &[i64]) -> Result<HashMap<i64, i32>, StoreError> {
    let rows: Vec<(i64, i32)> =
        tasks::table.filter(tasks::id.eq_any(ids)).select((tasks::id, tasks::number)).load(conn)?;
    Ok(rows.into_iter().collect())
}
