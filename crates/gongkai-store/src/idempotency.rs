//! Idempotency keys: the first answer to a keyed POST, kept for 24 hours.
//!
//! A keyed request runs in one transaction from start to end: [`begin`] opens it and
//! takes the key's transaction-scoped advisory lock, the request's own writes run inside
//! it (as savepoints), and [`commit`] stores the answer and commits — the effect and its
//! answer become visible together, or neither does. The lock, not a row, is what says
//! "in progress": PostgreSQL drops it with the transaction, so a request that died (a
//! killed server, a killed backend, a restarted database) leaves nothing behind, and the
//! retry either finds the committed answer or runs afresh.

use chrono::{DateTime, Utc};
use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool};
use sha2::{Digest, Sha256};

use crate::StoreError;
use crate::schema::idempotency_keys;

/// How long a key is remembered.
pub const RETENTION_HOURS: i64 = 24;
/// How many expired keys one sweep deletes at most.
const SWEEP_BATCH: i64 = 500;

/// A stored answer.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = idempotency_keys)]
pub struct KeyRecord {
    pub subject: String,
    pub key: String,
    pub method: String,
    pub path: String,
    pub request_hash: String,
    pub status_code: i32,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub etag: Option<String>,
    pub response_body: Vec<u8>,
    pub created_at: DateTime<Utc>,
    pub completed_at: DateTime<Utc>,
}

/// What [`begin`] found.
#[derive(Debug, Clone, PartialEq)]
pub enum Begun {
    /// The key is new: the transaction is open and holds the key; the caller handles the
    /// request on this connection and then calls [`commit`] or [`rollback`].
    Open,
    /// A live request holds the key right now; nothing is open.
    InProgress,
    /// The key was answered before; nothing is open.
    Answered(Box<KeyRecord>),
}

/// The advisory lock standing for `key` of `subject`: the first 8 bytes of a SHA-256 of
/// both. A collision between two live keys only makes one of them wait (409) a moment.
fn lock_id(subject: &str, key: &str) -> i64 {
    let mut h = Sha256::new();
    h.update(b"gongkai-idempotency\0");
    h.update(subject.as_bytes());
    h.update([0]);
    h.update(key.as_bytes());
    let digest = h.finalize();
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

fn cutoff() -> DateTime<Utc> {
    Utc::now() - chrono::Duration::hours(RETENTION_HOURS)
}

/// Opens the transaction a keyed request runs in and takes its key, or reports that a
/// live request holds it, or returns the answer stored for it (unexpired).
pub fn begin(conn: &mut PgConnection, subject: &str, key: &str) -> Result<Begun, StoreError> {
    AnsiTransactionManager::begin_transaction(conn)?;
    match look(conn, subject, key) {
        Ok(Begun::Open) => Ok(Begun::Open),
        Ok(other) => {
            AnsiTransactionManager::rollback_transaction(conn)?;
            Ok(other)
        }
        Err(e) => {
            let _ = AnsiTransactionManager::rollback_transaction(conn);
            Err(e)
        }
    }
}

fn look(conn: &mut PgConnection, subject: &str, key: &str) -> Result<Begun, StoreError> {
    #[derive(QueryableByName)]
    struct Locked {
        #[diesel(sql_type = Bool)]
        locked: bool,
    }
    let got: Locked = diesel::sql_query("SELECT pg_try_advisory_xact_lock($1) AS locked")
        .bind::<BigInt, _>(lock_id(subject, key))
        .get_result(conn)?;
    if !got.locked {
        return Ok(Begun::InProgress);
    }
    // An expired answer is forgotten: the key is new again.
    diesel::delete(
        idempotency_keys::table
            .find((subject, key))
            .filter(idempotency_keys::created_at.lt(cutoff())),
    )
    .execute(conn)?;
    let seen = idempotency_keys::table
        .find((subject, key))
        .select(KeyRecord::as_select())
        .first(conn)
        .optional()?;
    Ok(seen.map_or(Begun::Open, |r| Begun::Answered(Box::new(r))))
}

/// The request a key was first used for.
#[derive(Debug, Clone)]
pub struct KeyedRequest<'a> {
    pub subject: &'a str,
    pub key: &'a str,
    pub method: &'a str,
    pub path: &'a str,
    pub request_hash: &'a str,
}

/// The answer to keep for a key.
#[derive(Debug, Clone)]
pub struct StoredResponse<'a> {
    pub status_code: u16,
    pub content_type: Option<&'a str>,
    pub location: Option<&'a str>,
    pub etag: Option<&'a str>,
    pub body: &'a [u8],
}

/// Stores the answer to the key [`begin`] opened and commits everything the request
/// wrote with it; on failure, rolls it all back.
pub fn commit(
    conn: &mut PgConnection,
    request: &KeyedRequest<'_>,
    response: &StoredResponse<'_>,
) -> Result<(), StoreError> {
    let row = (
        idempotency_keys::subject.eq(request.subject),
        idempotency_keys::key.eq(request.key),
        idempotency_keys::method.eq(request.method),
        idempotency_keys::path.eq(request.path),
        idempotency_keys::request_hash.eq(request.request_hash),
        idempotency_keys::status_code.eq(i32::from(response.status_code)),
        idempotency_keys::content_type.eq(response.content_type),
        idempotency_keys::location.eq(response.location),
        idempotency_keys::etag.eq(response.etag),
        idempotency_keys::response_body.eq(response.body),
        idempotency_keys::created_at.eq(diesel::dsl::now),
        idempotency_keys::completed_at.eq(diesel::dsl::now),
    );
    if let Err(e) = diesel::insert_into(idempotency_keys::table).values(row).execute(conn) {
        let _ = AnsiTransactionManager::rollback_transaction(conn);
        return Err(e.into());
    }
    AnsiTransactionManager::commit_transaction(conn)?;
    Ok(())
}

/// Undoes everything the keyed request wrote and lets go of its key, so that a retry
/// runs afresh.
pub fn rollback(conn: &mut PgConnection) -> Result<(), StoreError> {
    AnsiTransactionManager::rollback_transaction(conn)?;
    Ok(())
}

/// Deletes up to a batch of expired keys, skipping any a request has locked; returns how
/// many went. Runs outside a keyed request's transaction.
pub fn sweep_expired(conn: &mut PgConnection) -> Result<usize, StoreError> {
    let n = diesel::sql_query(
        "DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(\
           SELECT ctid FROM idempotency_keys WHERE created_at < $1 \
           LIMIT $2 FOR UPDATE SKIP LOCKED))",
    )
    .bind::<diesel::sql_types::Timestamptz, _>(cutoff())
    .bind::<BigInt, _>(SWEEP_BATCH)
    .execute(conn)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::lock_id;

    #[test]
    fn lock_ids_differ_by_subject_and_key() {
        assert_ne!(lock_id("a", "k"), lock_id("b", "k"));
        assert_ne!(lock_id("a", "k1"), lock_id("a", "k2"));
        // The separator keeps ("ab", "c") apart from ("a", "bc").
        assert_ne!(lock_id("ab", "c"), lock_id("a", "bc"));
        assert_eq!(lock_id("a", "k"), lock_id("a", "k"));
    }
}
