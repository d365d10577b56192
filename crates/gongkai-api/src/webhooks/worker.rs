//! The delivery worker inside `gongkai serve`: posts each due delivery, signed, records
//! the attempt, and schedules a retry (exponential backoff, for more than a day) or gives
//! up.
//!
//! A delivery is claimed with `FOR UPDATE SKIP LOCKED` in a transaction that lasts
//! through its post and the record of the attempt (see `gongkai_store::webhooks`): with
//! several instances on one database each delivery is posted by one of them, and a
//! webhook's deliveries go out one at a time, in order. An instance that dies mid-post
//! rolls its claim back, and the delivery is posted again later (receivers ignore a
//! repeated `Gongkai-Event-Id`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::web;
use chrono::Utc;
use diesel::Connection;
use gongkai_core::webhook::RetryPolicy;
use gongkai_store::disclosure::secrets::Sealer;
use gongkai_store::webhooks::{self, Claimed, Outcome};
use gongkai_store::{DbPool, StoreError};

use crate::events::signal::EventSignal;
use crate::events::types::EventDto;
use crate::webhooks::guard::{AllowHosts, check_resolved, check_url};
use crate::webhooks::signature::{
    DELIVERY_ID_HEADER, EVENT_ID_HEADER, SIGNATURE_HEADER, header_value,
};

/// How the worker posts and retries.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub retry: RetryPolicy,
    /// The longest one post may take, connection included.
    pub timeout: Duration,
    /// Hosts reachable whatever their addresses (`GONGKAI_WEBHOOK_ALLOW_HOSTS`).
    pub allow: AllowHosts,
    /// The longest the worker sleeps when no new event wakes it and no retry falls due
    /// sooner (a safety net: retries are waited for exactly, new events wake it).
    pub poll: Duration,
    /// The shortest sleep between rounds: a delivery due but not claimable here (another
    /// instance holds it) is looked at again after this.
    pub floor: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(10),
            allow: AllowHosts::default(),
            poll: Duration::from_secs(10),
            floor: Duration::from_secs(1),
        }
    }
}

/// A delivery worker on a pool.
pub struct Worker {
    pool: DbPool,
    sealer: Sealer,
    agent: ureq::Agent,
    config: WorkerConfig,
}

/// The longest error text kept with an attempt, in characters.
const MAX_ERROR_CHARS: usize = 500;

impl Worker {
    /// A worker posting from `pool`, opening secrets with the deployment's data key.
    pub fn new(pool: DbPool, data_key: &[u8], config: WorkerConfig) -> Result<Self, StoreError> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(config.timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent("gongkai-webhooks")
            .build()
            .into();
        Ok(Worker { pool, sealer: webhooks::secret_sealer(data_key)?, agent, config })
    }

    /// Posts every delivery due now, one at a time; answers how many were attempted.
    /// Blocking.
    pub fn run_due(&self) -> Result<usize, StoreError> {
        let mut attempted = 0;
        while self.attempt_one()? {
            attempted += 1;
        }
        Ok(attempted)
    }

    /// Posts what is due, then says how long to sleep: until the next retry falls due,
    /// at least `floor`, at most `poll`. Blocking.
    fn round(&self) -> Result<Duration, StoreError> {
        self.run_due()?;
        let next = webhooks::next_attempt_at(&mut *self.pool.get()?)?;
        Ok(sleep_until(next, Utc::now(), &self.config))
    }

    /// Claims one due delivery, posts it and records the attempt, in one transaction.
    /// False when nothing was due.
    fn attempt_one(&self) -> Result<bool, StoreError> {
        let mut conn = self.pool.get()?;
        conn.transaction(|c| {
            let Some(claimed) = webhooks::claim(c, Utc::now())? else { return Ok(false) };
            let outcome = self.post(&claimed);
            webhooks::record_attempt(c, claimed.delivery.id, &outcome)?;
            Ok(true)
        })
    }

    /// Posts a claimed delivery and says what became of it.
    fn post(&self, claimed: &Claimed) -> Outcome {
        let started = Instant::now();
        let attempted_at = Utc::now();
        let answer = self.send(claimed);
        let duration_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
        let (status_code, error) = match answer {
            Ok(code) if (200..300).contains(&code) => (Some(i32::from(code)), None),
            Ok(code) => (Some(i32::from(code)), Some(format!("the receiver answered {code}"))),
            Err(e) => (None, Some(e.chars().take(MAX_ERROR_CHARS).collect())),
        };
        let delivered = error.is_none();
        let retry_at = if delivered {
            None
        } else {
            let failures = u32::try_from(claimed.delivery.attempts).unwrap_or(0) + 1;
            let age = (attempted_at - claimed.delivery.created_at).to_std().unwrap_or_default();
            self.config
                .retry
                .next_delay(failures, age)
                .and_then(|d| chrono::Duration::from_std(d).ok())
                .map(|d| attempted_at + d)
        };
        Outcome { attempted_at, status_code, error, duration_ms, delivered, retry_at }
    }

    /// The HTTP status of the receiver's answer, or why there was none.
    fn send(&self, claimed: &Claimed) -> Result<u16, String> {
        let url = check_url(&claimed.url, &self.config.allow)?;
        check_resolved(&url, &self.config.allow)?;
        let secret = self.sealer.open(&claimed.secret_sealed).map_err(|e| e.to_string())?;
        let body = serde_json::to_vec(&EventDto::from(claimed.event.clone()))
            .map_err(|e| format!("cannot serialize the event: {e}"))?;
        let t = Utc::now().timestamp();
        let answer = self
            .agent
            .post(url.as_str())
            .header("Content-Type", "application/json")
            .header(EVENT_ID_HEADER, claimed.event.id.to_string())
            .header(DELIVERY_ID_HEADER, claimed.delivery.id.to_string())
            .header(SIGNATURE_HEADER, header_value(&secret, t, &body))
            .send(&body[..])
            .map_err(|e| e.to_string())?;
        Ok(answer.status().as_u16())
    }
}

/// How long to sleep after a round when the next delivery falls due at `next`.
fn sleep_until(
    next: Option<chrono::DateTime<Utc>>,
    now: chrono::DateTime<Utc>,
    config: &WorkerConfig,
) -> Duration {
    let until_due = next.map_or(config.poll, |at| (at - now).to_std().unwrap_or_default());
    until_due.clamp(config.floor.min(config.poll), config.poll)
}

/// Runs `worker` for as long as the server runs: it posts what is due, then sleeps until
/// a new event (`signal`) or the next retry's time, whichever comes first (and at most
/// `poll`), so an idle server does not query the database every second.
pub async fn run(worker: Arc<Worker>, signal: EventSignal) {
    let mut newest = signal.subscribe();
    loop {
        newest.borrow_and_update();
        let w = worker.clone();
        let sleep = match web::block(move || w.round()).await {
            Ok(Ok(sleep)) => sleep,
            Ok(Err(e)) => {
                tracing::warn!("webhook deliveries: {e}");
                worker.config.floor
            }
            Err(e) => {
                tracing::error!("webhook deliveries: the worker's task failed: {e}");
                worker.config.floor
            }
        };
        let _ = tokio::time::timeout(sleep, newest.changed()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn sleeps_until_the_next_retry_within_floor_and_poll() {
        let config = WorkerConfig::default();
        let now = Utc.with_ymd_and_hms(2021, 3, 1, 8, 0, 0).unwrap();
        let secs = |s: i64| Some(now + chrono::Duration::seconds(s));
        let cases = [
            (None, 10),       // nothing pending: the safety net
            (secs(4), 4),     // a retry in 4 s: wake for it
            (secs(3600), 10), // far off: the safety net comes first
            (secs(-5), 1),    // due but held elsewhere: look again after the floor
            (secs(0), 1),
        ];
        for (next, want) in cases {
            assert_eq!(sleep_until(next, now, &config), Duration::from_secs(want), "{next:?}");
        }
    }
}
