//! The public API's rate limit: each client address may make so many requests a minute
//! (`GONGKAI_PUBLIC_RATE_LIMIT`, default 120), with a burst of as many; beyond it, 429
//! problem+json with `Retry-After`. The limiter is governor's (GCRA, keyed by address),
//! shared by every worker of the server.

use std::net::{IpAddr, Ipv4Addr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use actix_web::ResponseError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::http::error::ApiError;
use crate::http::state::AppState;

/// Requests a minute per client address when `GONGKAI_PUBLIC_RATE_LIMIT` is unset.
pub const DEFAULT_PER_MINUTE: u32 = 120;
/// The path prefix the limit applies to.
pub const PUBLIC_PREFIX: &str = "/public/";
/// How many checks pass between two sweeps of addresses no longer limited.
const SWEEP_EVERY: u64 = 4096;

/// A per-address limit of requests a minute.
pub struct PublicRateLimit {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
    per_minute: NonZeroU32,
    checks: AtomicU64,
}

impl std::fmt::Debug for PublicRateLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicRateLimit({} a minute per address)", self.per_minute)
    }
}

impl PublicRateLimit {
    /// `per_minute` requests a minute per address, in a burst of up to as many.
    pub fn per_minute(per_minute: NonZeroU32) -> Self {
        PublicRateLimit {
            limiter: RateLimiter::keyed(Quota::per_minute(per_minute)),
            clock: DefaultClock::default(),
            per_minute,
            checks: AtomicU64::new(0),
        }
    }

    /// Counts a request from `address`: Err with the wait until the next one would be
    /// accepted when the address is over its limit.
    pub fn check(&self, address: IpAddr) -> Result<(), Duration> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&address)
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }

    /// The configured requests a minute.
    pub fn limit(&self) -> u32 {
        self.per_minute.get()
    }
}

/// Whole seconds to wait, at least one (`Retry-After` counts seconds).
pub fn retry_after_seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0).max(u64::from(wait.is_zero()))
}

/// The middleware (`actix_web::middleware::from_fn`): limits requests under `/public/`.
pub async fn limit_public(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let limit = req
        .app_data::<web::Data<AppState>>()
        .and_then(|s| s.public_rate_limit.clone())
        .filter(|_| req.path().starts_with(PUBLIC_PREFIX));
    if let Some(limit) = limit {
        // Requests without a peer address (only in-process tests) share one bucket.
        let address = req.peer_addr().map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |a| a.ip());
        if let Err(wait) = limit.check(address) {
            let err = ApiError::TooManyRequests {
                detail: format!(
                    "more than {} requests a minute from your address; retry in a moment",
                    limit.limit()
                ),
                retry_after: retry_after_seconds(wait),
            };
            return Ok(req.into_response(err.error_response()));
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_over_the_limit_is_told_to_wait() {
        let limit = PublicRateLimit::per_minute(NonZeroU32::new(2).unwrap());
        let a = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
        let b = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2));
        assert!(limit.check(a).is_ok());
        assert!(limit.check(a).is_ok());
        let wait = limit.check(a).unwrap_err();
        assert!(wait <= Duration::from_secs(30), "{wait:?}");
        assert!(limit.check(b).is_ok(), "each address has its own allowance");
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(retry_after_seconds(Duration::from_millis(200)), 1);
        assert_eq!(retry_after_seconds(Duration::from_secs(29)), 29);
        assert_eq!(retry_after_seconds(Duration::from_millis(29_001)), 30);
        assert_eq!(retry_after_seconds(Duration::ZERO), 1);
    }
}
