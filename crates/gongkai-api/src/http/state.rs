//! The application state shared by every handler, and the bridge to blocking queries.

use std::collections::HashSet;
use std::num::NonZeroU32;
use std::sync::{Arc, RwLock};

use actix_web::web;
use diesel::PgConnection;
use gongkai_store::pool::CHECKOUT_TIMEOUT;
use gongkai_store::{DbPool, StoreError};
use tokio::sync::Semaphore;

use crate::events::signal::EventSignal;
use crate::http::auth::TokenVerifier;
use crate::http::error::ApiError;
use crate::http::keyed_tx::KeyedTx;
use crate::http::rate_limit::{DEFAULT_PER_MINUTE, PublicRateLimit};
use crate::http::route_table::RouteTable;
use crate::webhooks::guard::AllowHosts;

/// The largest request body accepted, in bytes, unless configured otherwise.
pub const DEFAULT_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The PostgreSQL pool.
    pub pool: DbPool,
    /// One slot per pooled connection for the trips of [`db_api`]: waiting requests queue
    /// here in arrival order, on the server's event loop, instead of racing for a
    /// connection on blocking threads (whose wake-up order is arbitrary: the unlucky
    /// request of a busy second waits many turns).
    pub db_slots: Arc<Semaphore>,
    /// Checks bearer tokens.
    pub verifier: TokenVerifier,
    /// The largest body accepted, in bytes.
    pub body_limit: usize,
    /// The OpenAPI document, serialized once.
    pub openapi_json: Arc<String>,
    /// Paths and methods, for telling 405 from 404.
    pub routes: Arc<RouteTable>,
    /// The key protecting applicants' identity numbers at rest (`GONGKAI_DATA_KEY`).
    pub data_key: Arc<[u8]>,
    /// Units tokens have named and that were found: units are never deleted, so a token's
    /// unit is looked up once per process, not once per request.
    pub known_units: Arc<RwLock<HashSet<i64>>>,
    /// The public API's limit per client address; None: unlimited.
    pub public_rate_limit: Option<Arc<PublicRateLimit>>,
    /// The newest event known, waking long polls of the event feed.
    pub events: EventSignal,
    /// Hosts webhooks may reach whatever their addresses (`GONGKAI_WEBHOOK_ALLOW_HOSTS`).
    pub webhook_allow_hosts: Arc<AllowHosts>,
    /// Where the server is reached from outside (`GONGKAI_PUBLIC_BASE_URL`), for the URLs
    /// of calendar feeds; None: the request's own scheme and host.
    pub public_base_url: Option<Arc<str>>,
    /// The response limit of each source of the opinion ledger, in working days
    /// (`GONGKAI_OPINION_RESPONSE_WORKDAYS`).
    pub opinion_limits: Arc<gongkai_core::opinion::ResponseLimits>,
}

impl AppState {
    /// A state for `pool`, checking tokens with `verifier`, serving `openapi_json` and
    /// telling 405 from 404 with `routes`.
    pub fn new(
        pool: DbPool,
        verifier: TokenVerifier,
        data_key: &[u8],
        openapi_json: String,
        routes: RouteTable,
    ) -> Self {
        let slots = usize::try_from(pool.max_size()).unwrap_or(1);
        AppState {
            db_slots: Arc::new(Semaphore::new(slots)),
            pool,
            verifier,
            body_limit: DEFAULT_BODY_LIMIT,
            openapi_json: Arc::new(openapi_json),
            routes: Arc::new(routes),
            data_key: Arc::from(data_key),
            known_units: Arc::default(),
            public_rate_limit: NonZeroU32::new(DEFAULT_PER_MINUTE)
                .map(|n| Arc::new(PublicRateLimit::per_minute(n))),
            events: EventSignal::default(),
            webhook_allow_hosts: Arc::default(),
            public_base_url: None,
            opinion_limits: Arc::default(),
        }
    }

    /// The same state with the opinion ledger's response limits per source.
    pub fn with_opinion_limits(mut self, limits: gongkai_core::opinion::ResponseLimits) -> Self {
        self.opinion_limits = Arc::new(limits);
        self
    }

    /// The same state letting webhooks reach `hosts` whatever their addresses.
    pub fn with_webhook_allow_hosts(mut self, hosts: AllowHosts) -> Self {
        self.webhook_allow_hosts = Arc::new(hosts);
        self
    }

    /// The same state building calendar feed URLs on `base` (`https://host`, no trailing
    /// slash) instead of the request's scheme and host.
    pub fn with_public_base_url(mut self, base: Option<String>) -> Self {
        self.public_base_url = base.map(Arc::from);
        self
    }

    /// The same state with the public API limited to `per_minute` requests a minute per
    /// client address (`GONGKAI_PUBLIC_RATE_LIMIT`); 0 lifts the limit.
    pub fn with_public_rate_limit(mut self, per_minute: u32) -> Self {
        self.public_rate_limit =
            NonZeroU32::new(per_minute).map(|n| Arc::new(PublicRateLimit::per_minute(n)));
        self
    }
}

/// Runs a blocking store call on the thread pool with a pooled connection. A pool that
/// cannot hand out a connection in time answers 503. In a request carrying an
/// `Idempotency-Key`, the call runs in that request's transaction instead (see
/// [`KeyedTx`]), so that its writes commit with the stored answer or not at all.
pub async fn db<T, F>(state: &AppState, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut PgConnection) -> Result<T, StoreError> + Send + 'static,
    T: Send + 'static,
{
    if let Some(tx) = KeyedTx::current() {
        return tx.run(f).await;
    }
    db_api(state, move |c| f(c).map_err(ApiError::from)).await
}

/// Like [`db`] for work that decides API answers itself (authorization, say): the whole
/// of a request's queries in one trip to the blocking pool. It takes a connection of its
/// own, never a keyed request's transaction: it serves reads (GET handlers), which carry
/// no `Idempotency-Key`.
pub async fn db_api<T, F>(state: &AppState, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut PgConnection) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    // A request that cannot have a slot within the pool's check-out time is answered as
    // one that cannot have a connection (503), as when the database is down.
    let slot = tokio::time::timeout(CHECKOUT_TIMEOUT, state.db_slots.acquire()).await;
    let Ok(Ok(_slot)) = slot else {
        return Err(
            StoreError::Unavailable("no database connection came free in time".into()).into()
        );
    };
    let pool = state.pool.clone();
    web::block(move || {
        let mut conn = pool.get().map_err(StoreError::from)?;
        f(&mut conn)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))?
}
