//! Sign-in throttling. After a few free failures each further failure doubles the wait before the next
//! attempt is even checked, per account and per IP. The wait is capped, and it is a wait, not a lock:
//! the real owner can always get in later, while a guesser gets a handful of tries an hour.

/// Failures allowed before any wait.
pub const FREE_FAILURES: u32 = 5;
/// The longest wait, in seconds.
pub const MAX_WAIT_S: i64 = 15 * 60;

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
    let ready_at = last_failure_ms + wait_ms;
    (now_ms < ready_at).then(|| (ready_at - now_ms + 999) / 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn retry_after_counts_down() {
        assert_eq!(retry_after_s(FREE_FAILURES + 3, 10_000, 10_000), Some(8));
        assert_eq!(retry_after_s(FREE_FAILURES + 3, 10_000, 17_500), Some(1));
        assert_eq!(retry_after_s(FREE_FAILURES + 3, 10_000, 18_000), None);
    }
}
