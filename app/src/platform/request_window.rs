//! The last hour of this process's page and server function answers, per minute: how many, how many
//! with a 5xx status, and a latency histogram. The alert rules on p99 latency and server errors read
//! it (`alerts::observe`); the server's metrics middleware writes it. Minutes are the injectable
//! clock's, so tests move time instead of waiting. Per process by design: each server watches its
//! own answers, and a rule evaluated on one server sees that server's (the README says so).

use crate::domain::alerts::{latency_bucket, LATENCY_BOUNDS_MS};
use std::sync::Mutex;

/// Minutes kept: the longest window a latency rule may use is served from these.
const MINUTES: usize = 60;
const BUCKETS: usize = LATENCY_BOUNDS_MS.len() + 1;

#[derive(Clone, Copy, Default)]
struct Minute {
    /// The minute since the epoch this slot holds (slots are reused round the ring).
    minute: i64,
    answers: u64,
    errors: u64,
    latency: [u64; BUCKETS],
}

/// Sums over a window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WindowSums {
    pub answers: u64,
    pub errors: u64,
    pub latency: [u64; BUCKETS],
}

pub struct RequestWindow(Mutex<[Minute; MINUTES]>);

pub static RECENT: RequestWindow =
    RequestWindow(Mutex::new([Minute { minute: 0, answers: 0, errors: 0, latency: [0; BUCKETS] }; MINUTES]));

impl RequestWindow {
    /// Counts one answer given at `now_ms` after `elapsed_ms`.
    pub fn record(&self, now_ms: i64, elapsed_ms: u64, server_error: bool) {
        let minute = now_ms.div_euclid(60_000);
        let mut ring = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let slot = &mut ring[minute.rem_euclid(MINUTES as i64) as usize];
        if slot.minute != minute {
            *slot = Minute { minute, ..Minute::default() };
        }
        slot.answers += 1;
        slot.errors += u64::from(server_error);
        slot.latency[latency_bucket(elapsed_ms)] += 1;
    }

    /// The sums of the `minutes` minutes up to and including the one of `now_ms` (at most an hour).
    pub fn sums(&self, now_ms: i64, minutes: i64) -> WindowSums {
        let now = now_ms.div_euclid(60_000);
        let from = now - minutes.clamp(1, MINUTES as i64) + 1;
        let ring = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = WindowSums::default();
        for slot in ring.iter().filter(|s| (from..=now).contains(&s.minute)) {
            out.answers += slot.answers;
            out.errors += slot.errors;
            for (sum, n) in out.latency.iter_mut().zip(slot.latency) {
                *sum += n;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_cover_the_window_only_and_slots_are_reused() {
        let w = RequestWindow(Mutex::new([Minute::default(); MINUTES]));
        let t = 1_000 * 60_000;
        w.record(t, 3, false);
        w.record(t + 60_000, 700, true);
        let s = w.sums(t + 60_000, 1);
        assert_eq!((s.answers, s.errors), (1, 1));
        assert_eq!(w.sums(t + 60_000, 2).answers, 2);
        // An hour later the first slot is reused; the old minute never counts.
        w.record(t + 60 * 60_000, 3, false);
        assert_eq!(w.sums(t + 60 * 60_000, 60).answers, 2);
        assert_eq!(w.sums(t + 3 * 60 * 60_000, 60).answers, 0);
    }
}
