//! Sign-in throttling. After a few free failures each further failure doubles the wait before the next
//! attempt is even checked, per account and per IP. The wait is capped, and it is a wait, not a lock:
//! the real owner can always get in later, while a guesser gets a handful of tries an hour.

/// Failures allowed before any wait.
pub const FREE_FAILURES: u32 = 5;
/// The longest wait, in seconds.
pub const MAX_WAIT_S: i64 = 15 * 60;

/// Failures within one window that lock the account.
pub const LOCK_AFTER_FAILURES: i64 = 10;
/// The window those failures are counted in, in milliseconds.
pub const LOCK_WINDOW_MS: i64 = 15 * 60_000;
/// How long a lock lasts, in milliseconds. The owner can end it at once with the mailed link.
pub const LOCK_MS: i64 = 15 * 60_000;

/// An account's failure window after one more failure at `now_ms`: a window older than
/// `LOCK_WINDOW_MS` starts afresh. `locks` holds for exactly one failure, the one that reaches
/// `LOCK_AFTER_FAILURES`; the window then restarts, so locking again takes as many failures again
/// (a guesser cannot keep an account locked with one try per lock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureWindow {
    pub started_at: i64,
    pub failures: i64,
    pub locks: bool,
}

pub fn count_failure(started_at: i64, failures: i64, now_ms: i64) -> FailureWindow {
    let (started_at, failures) =
        if now_ms - started_at >= LOCK_WINDOW_MS { (now_ms, 1) } else { (started_at, failures + 1) };
    if failures >= LOCK_AFTER_FAILURES {
        return FailureWindow { started_at: now_ms, failures: 0, locks: true };
    }
    FailureWindow { started_at, failures, locks: false }
}

/// Seconds to wait after `failures` consecutive failures.
pub fn wait_after(failures: u32) -> i64 {
    if failures < FREE_FAILURES {
        return 0;
    }
    let doublings = (failures - FREE_FAILURES).min(20);
    (1i64 << doublings).min(MAX_WAIT_S)
}

/// Seconds left before another attempt is allowed, or `None` when it is allowed now.
pub fn retry_after_s(failures: u32, last_failure_ms: i64, now_ms: i64) -> Option<i64> {
    let wait_ms = wait_after(failures) * 1000;
    // No wait owed is no wait, even when a parallel attempt that started after this one recorded
    // its failure first (its time is later than this attempt's `now`): that once answered "retry in
    // 1 s" to a fourth concurrent sign-in from one office IP.
    if wait_ms == 0 {
        return None;
    }
    let ready_at = last_failure_ms + wait_ms;
    (now_ms < ready_at).then(|| (ready_at - now_ms + 999) / 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_wait_is_owed_for_free_failures_even_if_the_last_one_is_later_than_now() {
        assert_eq!(retry_after_s(FREE_FAILURES - 1, 10_005, 10_000), None);
        assert_eq!(retry_after_s(FREE_FAILURES, 10_005, 10_000), Some(2));
    }

    #[test]
    fn the_first_failures_cost_nothing() {
        for n in 0..FREE_FAILURES {
            assert_eq!(wait_after(n), 0);
            assert_eq!(retry_after_s(n, 0, 0), None);
        }
    }

    #[test]
    fn each_further_failure_doubles_the_wait() {
        assert_eq!(wait_after(FREE_FAILURES), 1);
        assert_eq!(wait_after(FREE_FAILURES + 1), 2);
        assert_eq!(wait_after(FREE_FAILURES + 4), 16);
    }

    #[test]
    fn the_wait_is_capped_so_the_owner_is_never_locked_out_for_good() {
        assert_eq!(wait_after(1_000), MAX_WAIT_S);
        let last = 0;
        assert!(retry_after_s(1_000, last, MAX_WAIT_S * 1000).is_none());
    }

    #[test]
    fn the_tenth_failure_within_fifteen_minutes_locks_and_the_count_starts_again() {
        let mut w = FailureWindow { started_at: 0, failures: 0, locks: false };
        let start = LOCK_WINDOW_MS * 10;
        for i in 0..LOCK_AFTER_FAILURES - 1 {
            w = count_failure(w.started_at, w.failures, start + i * 60_000);
            assert!(!w.locks, "failure {} must not lock", i + 1);
        }
        assert_eq!(w.failures, 9);
        let tenth = start + 14 * 60_000;
        w = count_failure(w.started_at, w.failures, tenth);
        assert!(w.locks);
        assert_eq!((w.started_at, w.failures), (tenth, 0), "a new lock takes ten more failures");
        assert!(!count_failure(w.started_at, w.failures, tenth + 1).locks);
    }

    #[test]
    fn failures_spread_beyond_the_window_never_lock() {
        let mut w = FailureWindow { started_at: 0, failures: 0, locks: false };
        for i in 0..100 {
            // One failure every two minutes: at most eight in any fifteen.
            w = count_failure(w.started_at, w.failures, 1_000_000 + i * 2 * 60_000);
            assert!(!w.locks);
        }
        assert!(w.failures < LOCK_AFTER_FAILURES);
    }

    #[test]
    fn retry_after_counts_down() {
        assert_eq!(retry_after_s(FREE_FAILURES + 3, 10_000, 10_000), Some(8));
        assert_eq!(retry_after_s(FREE_FAILURES + 3, 10_000, 17_500), Some(1));
        assert_eq!(retry_after_s(FREE_FAILURES + 3, 10_000, 18_000), None);
    }
}
