//! Time comes from here, never from `SystemTime::now()` in feature code, so tests move time instead of
//! sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

pub trait Clock: Send + Sync + 'static {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;

    /// The time other parties keep, for reading their timestamps (a sign-in provider's token
    /// expiry): the wall clock, which a test moving our own time does not move.
    fn world_ms(&self) -> i64 {
        self.now_ms()
    }
}

/// Wall-clock time plus an offset that only tests and the dev-only clock control change.
#[derive(Default)]
pub struct SystemClock {
    offset_ms: AtomicI64,
}

impl SystemClock {
    pub fn advance(&self, by_ms: i64) {
        self.offset_ms.fetch_add(by_ms, Ordering::SeqCst);
    }
}

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        self.world_ms() + self.offset_ms.load(Ordering::SeqCst)
    }

    fn world_ms(&self) -> i64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
    }
}

pub type SharedClock = Arc<SystemClock>;
