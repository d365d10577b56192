//! Idempotency keys: the first answer to a keyed POST, kept for 24 hours.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::StoreError;
use crate::schema::idempotency_keys;

/// How long a key is remembered.
pub const RETENTION_HOURS: i64 = 24;

/// A stored key.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = idempotency_keys)]
pub struct KeyRecord {
    pub subject: String,
    pub key: String,
    pub method: String,
    pub path: String,
    pub request_hash: String,
    pub status_code: Option<i32>,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub etag: Option<String>,
    pub response_body: Option<Vec<u8>>,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq)]
pub enum Claim {
    /// The key is new: the caller handles the request and then completes or releases it.
    Claimed,
    /// The key was seen before.
    Seen(Box<KeyRecord>),
}

/// Claims `key` for `subject`, or returns what an earlier request left. Keys older than
/// the retention period are forgotten first.
pub fn claim(
    conn: &mut PgConnection,
    subject: &str,
    key: &str,
    method: &str,
    path: &str,
    request_hash: &str,
) -> Result<Claim, StoreError> {
    conn.transaction(|conn| {
        let cutoff = Utc::now() - chrono::Duration::hours(RETENTION_HOURS);
        diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(cutoff)))
            .execute(conn)?;
        let inserted = diesel::insert_into(idempotency_keys::table)
            .values((
                idempotency_keys::subject.eq(subject),
                idempotency_keys::key.eq(key),
                idempotency_keys::method.eq(method),
                idempotency_keys::path.eq(path),
                idempotency_keys::request_hash.eq(request_hash),
            ))
            .on_conflict_do_nothing()
            .execute(conn)?;
        if inserted == 1 {
            return Ok(Claim::Claimed);
        }
        let seen = idempotency_keys::table
            .find((subject, key))
            .select(KeyRecord::as_select())
            .first(conn)?;
        Ok(Claim::Seen(Box::new(seen)))
    })
}

/// The answer to keep for a claimed key.
#[derive(Debug, Clone)]
pub struct StoredResponse<'a> {
    pub status_code: u16,
    pub content_type: Option<&'a str>,
    pub location: Option<&'a str>,
    pub etag: Option<&'a str>,
    pub body: &'a [u8],
}

/// Records the answer to a claimed key.
pub fn complete(
    conn: &mut PgConnection,
    subject: &str,
    key: &str,
    response: &StoredResponse<'_>,
) -> Result<(), StoreError> {
    diesel::update(idempotency_keys::table.find((subject, key)))
        .set((
            idempotency_keys::status_code.eq(i32::from(response.status_code)),
            idempotency_keys::content_type.eq(response.content_type),
            idempotency_keys::location.eq(response.location),
            idempotency_keys::etag.eq(response.etag),
            idempotency_keys::response_body.eq(response.body),
            idempotency_keys::completed_at.eq(diesel::dsl::now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Forgets a claimed key whose request failed without changing anything, so that a
/// retry runs again.
pub fn release(conn: &mut PgConnection, subject: &str, key: &str) -> Result<(), StoreError> {
    diesel::delete(
        idempotency_keys::table
            .find((subject, key))
            .filter(idempotency_keys::status_code.is_null()),
    )
    .execute(conn)?;
    Ok(())
}
