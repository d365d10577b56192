//! The newest event id this process knows of, as a watch channel: long polls and the
//! webhook worker wait on it instead of holding a database connection.
//!
//! [`follow`] feeds it from PostgreSQL's `NOTIFY` (sent at the commit of every event,
//! whichever instance wrote it) on one connection of its own per process.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::watch;

/// How often the follower reads the newest id even without a notification.
const RECHECK: Duration = Duration::from_secs(5);

/// The newest event id known to this process.
#[derive(Clone)]
pub struct EventSignal {
    tx: Arc<watch::Sender<i64>>,
}

impl Default for EventSignal {
    fn default() -> Self {
        EventSignal { tx: Arc::new(watch::channel(0).0) }
    }
}

impl EventSignal {
    /// A receiver that wakes when a newer event is known.
    pub fn subscribe(&self) -> watch::Receiver<i64> {
        self.tx.subscribe()
    }

    /// Records that event `id` exists (ignored when not newer than the newest known).
    pub fn saw(&self, id: i64) {
        self.tx.send_if_modified(|newest| {
            let newer = id > *newest;
            if newer {
                *newest = id;
            }
            newer
        });
    }
}

/// The thread following the database; it stops when this is dropped.
pub struct Follower {
    stop: Arc<AtomicBool>,
}

impl Drop for Follower {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Follows the database at `url` on a thread of its own, feeding `signal`, until the
/// answer is dropped.
pub fn follow(url: String, signal: EventSignal) -> std::io::Result<Follower> {
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = stop.clone();
    std::thread::Builder::new().name("gongkai-events".into()).spawn(move || {
        gongkai_store::events::follow(&url, RECHECK, |newest| {
            if let Some(id) = newest {
                signal.saw(id);
            }
            !stopped.load(Ordering::Relaxed)
        });
    })?;
    Ok(Follower { stop })
}
