//! The transaction a keyed POST runs in.
//!
//! The idempotency middleware opens one transaction for a request carrying an
//! `Idempotency-Key` and makes it the request's current transaction for as long as the
//! handler runs: every [`db`](crate::http::state::db) call the handler makes then runs
//! on that connection, inside a savepoint, instead of on a pooled connection of its own.
//! The store's functions open their transactions as usual — nested, they become
//! savepoints — so handlers and store need not know. The middleware commits the effect
//! together with the stored answer, or rolls both back.
//!
//! A dropped request (the client went away, the server is stopping) drops the
//! connection with its transaction still open; the pool then discards it rather than
//! reuse it, and PostgreSQL rolls the transaction back.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use actix_web::web;
use diesel::{Connection, PgConnection};
use gongkai_store::{DbConn, StoreError};

use crate::http::error::ApiError;

tokio::task_local! {
    static CURRENT: KeyedTx;
}

/// A connection holding a keyed request's open transaction.
#[derive(Clone)]
pub struct KeyedTx {
    conn: Arc<Mutex<Option<DbConn>>>,
}

impl KeyedTx {
    /// Wraps a connection on which the transaction has been opened.
    pub fn new(conn: DbConn) -> Self {
        KeyedTx { conn: Arc::new(Mutex::new(Some(conn))) }
    }

    /// The transaction of the request being handled, if it is a keyed one.
    pub fn current() -> Option<KeyedTx> {
        CURRENT.try_with(Clone::clone).ok()
    }

    /// Runs `fut` (the rest of the request) with this as its current transaction.
    pub async fn scope<F: Future>(self, fut: F) -> F::Output {
        CURRENT.scope(self, fut).await
    }

    /// Runs a store call inside the transaction, in a savepoint: a call that fails is
    /// undone alone, and the transaction stays usable for what follows.
    pub async fn run<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut PgConnection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        self.with_conn(move |c| c.transaction(f)).await
    }

    /// Ends the transaction with `f` (commit or roll back) and gives the connection back
    /// to the pool.
    pub async fn finish<T, F>(self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut PgConnection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        let slot = self.conn.clone();
        let outcome = self.with_conn(f).await;
        // Whatever happened, the request is done with the connection; a transaction
        // still open on it makes the pool close it instead of reusing it.
        slot.lock().unwrap_or_else(PoisonError::into_inner).take();
        outcome
    }

    async fn with_conn<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut PgConnection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        let slot = self.conn.clone();
        web::block(move || {
            let mut guard = slot.lock().map_err(|_| {
                StoreError::Internal("a store call failed midway in a keyed request".into())
            })?;
            let conn = guard.as_mut().ok_or_else(|| {
                StoreError::Internal("the keyed request's transaction has ended".into())
            })?;
            f(conn)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))?
        .map_err(ApiError::from)
    }
}
