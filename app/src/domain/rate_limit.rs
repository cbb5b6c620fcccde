//! Rate limits and quotas (issue 15): how many requests of a class (signing in, searching, checking
//! out, any write...) one IP address or one account may make per minute, and the decision for one
//! request from the counts so far.
//!
//! The counts are kept per fixed window of a minute (shared by every server process through the
//! database); the limit applies to a sliding minute, estimated from the current window and the
//! previous one weighted by how much of it still overlaps the last minute:
//! `previous * (1 - elapsed / window) + current`. A burst straddling two fixed windows therefore
//! cannot get twice the limit through, and no per-request timestamps need to be stored.
//!
//! Every request counts, refused ones included: a client hammering on stays refused, one that waits
//! the `Retry-After` it was given gets in.

/// The length of a counting window.
pub const WINDOW_MS: i64 = 60_000;

/// What a limited request is doing; each class has its own limit and its own counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    SignIn,
    SignUp,
    PasswordReset,
    Search,
    Checkout,
    Upload,
    Report,
    /// Every other server function call.
    Write,
}

impl Class {
    pub const ALL: [Class; 8] = [
        Class::SignIn,
        Class::SignUp,
        Class::PasswordReset,
        Class::Search,
        Class::Checkout,
        Class::Upload,
        Class::Report,
        Class::Write,
    ];

    /// The class's name in counter buckets and in the `RateLimit` headers.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::SignIn => "sign_in",
            Class::SignUp => "sign_up",
            Class::PasswordReset => "password_reset",
            Class::Search => "search",
            Class::Checkout => "checkout",
            Class::Upload => "upload",
            Class::Report => "report",
            Class::Write => "write",
        }
    }
}

/// Requests allowed per sliding minute, per IP address and (when signed in) per account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub per_minute: i64,
}

/// The limits in force (runtime settings `rate_limits` and `rate_<class>_per_minute`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Off: nothing is counted or refused (a benchmark compares on and off).
    pub enabled: bool,
    pub sign_in: Limit,
    pub sign_up: Limit,
    pub password_reset: Limit,
    pub search: Limit,
    pub checkout: Limit,
    pub upload: Limit,
    pub report: Limit,
    pub write: Limit,
}

impl Limits {
    /// The shipped defaults (Leptos.toml says the same): well above what a real shopper does, even a
    /// dozen colleagues behind one office address. Sign-in guessing is slowed further, per account,
    /// by the failure throttle (`domain::throttle`); these count requests, not failures.
    pub const DEFAULT: Limits = Limits {
        enabled: true,
        sign_in: Limit { per_minute: 30 },
        sign_up: Limit { per_minute: 10 },
        password_reset: Limit { per_minute: 30 },
        search: Limit { per_minute: 120 },
        checkout: Limit { per_minute: 30 },
        upload: Limit { per_minute: 60 },
        report: Limit { per_minute: 20 },
        write: Limit { per_minute: 600 },
    };

    pub fn of(&self, class: Class) -> Limit {
        match class {
            Class::SignIn => self.sign_in,
            Class::SignUp => self.sign_up,
            Class::PasswordReset => self.password_reset,
            Class::Search => self.search,
            Class::Checkout => self.checkout,
            Class::Upload => self.upload,
            Class::Report => self.report,
            Class::Write => self.write,
        }
    }

    pub fn of_mut(&mut self, class: Class) -> &mut Limit {
        match class {
            Class::SignIn => &mut self.sign_in,
            Class::SignUp => &mut self.sign_up,
            Class::PasswordReset => &mut self.password_reset,
            Class::Search => &mut self.search,
            Class::Checkout => &mut self.checkout,
            Class::Upload => &mut self.upload,
            Class::Report => &mut self.report,
            Class::Write => &mut self.write,
        }
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::DEFAULT
    }
}

/// The start of the counting window `now_ms` falls in.
pub fn window_start(now_ms: i64) -> i64 {
    now_ms - now_ms.rem_euclid(WINDOW_MS)
}

/// One bucket's counts: the previous window's final count and the current window's, this request
/// included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub previous: i64,
    pub current: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// `remaining` more requests fit now; the current window ends in `reset_s` seconds.
    Allowed { remaining: i64, reset_s: i64 },
    /// Refused; a request made `retry_after_s` seconds from now (and none before it) is allowed.
    /// Never 0: a client told to retry at once would only be refused again.
    Refused { retry_after_s: i64 },
}

impl Decision {
    pub fn allowed(&self) -> bool {
        matches!(self, Decision::Allowed { .. })
    }
}

/// The estimated count of the sliding minute ending at `elapsed_ms` into the current window, times
/// `WINDOW_MS` (whole numbers: no rounding decides a request).
fn scaled_estimate(counts: Counts, elapsed_ms: i64) -> i128 {
    let previous = counts.previous.max(0) as i128;
    let current = counts.current.max(0) as i128;
    previous * (WINDOW_MS - elapsed_ms) as i128 + current * WINDOW_MS as i128
}

fn ceil_seconds(ms: i64) -> i64 {
    (ms + 999).div_euclid(1000).max(1)
}

/// The decision for a request at `now_ms` with `counts` (this request counted in `current`).
pub fn decide(limit: Limit, counts: Counts, now_ms: i64) -> Decision {
    let elapsed = now_ms.rem_euclid(WINDOW_MS);
    let allowed = limit.per_minute.max(0) as i128 * WINDOW_MS as i128;
    let estimate = scaled_estimate(counts, elapsed);
    if estimate <= allowed {
        let remaining = ((allowed - estimate) / WINDOW_MS as i128) as i64;
        return Decision::Allowed { remaining, reset_s: ceil_seconds(WINDOW_MS - elapsed) };
    }
    Decision::Refused { retry_after_s: ceil_seconds(wait_ms(limit, counts, elapsed)) }
}

/// How long after `elapsed_ms` into the current window a new request (with no other one before it)
/// would be allowed.
fn wait_ms(limit: Limit, counts: Counts, elapsed_ms: i64) -> i64 {
    let limit = limit.per_minute.max(0) as i128;
    let (previous, current) = (counts.previous.max(0) as i128, counts.current.max(0) as i128);
    let window = WINDOW_MS as i128;
    // Later in this window: previous * (window - t) + (current + 1) * window <= limit * window, which
    // needs room for one more in this window and the previous one's weight to have faded enough.
    if current < limit && previous > 0 {
        let at = window - (limit - current - 1) * window / previous;
        if at < window {
            return (at as i64 - elapsed_ms).max(0);
        }
    }
    // In the next window, where this one's count is the previous: current * (window - t) + window <=
    // limit * window. With a limit of 1 that is the start of the window after (t = window).
    let at_next = if current == 0 { 0 } else { (window - (limit - 1).max(0) * window / current).max(0) };
    (WINDOW_MS - elapsed_ms) + at_next as i64
}

/// Of the decisions for one request's buckets (its IP, its account), the one that binds: a refusal
/// with the longest wait, else the allowance with the fewest remaining.
pub fn tightest(decisions: &[Decision]) -> Option<Decision> {
    decisions.iter().copied().max_by_key(|d| match d {
        Decision::Refused { retry_after_s } => (1, *retry_after_s),
        Decision::Allowed { remaining, .. } => (0, -remaining),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: i64 = WINDOW_MS;
    /// A window start well away from zero, as real clocks are.
    const T0: i64 = 1_765_000_020_000 - 1_765_000_020_000 % W;
    const TEN: Limit = Limit { per_minute: 10 };

    fn counts(previous: i64, current: i64) -> Counts {
        Counts { previous, current }
    }

    /// The counts a new request at `at_ms` would see, if the last counted request was at `now_ms` with
    /// `c` and none came between.
    fn counts_later(c: Counts, now_ms: i64, at_ms: i64) -> Counts {
        match (window_start(at_ms) - window_start(now_ms)) / W {
            0 => counts(c.previous, c.current + 1),
            1 => counts(c.current, 1),
            _ => counts(0, 1),
        }
    }

    #[test]
    fn windows_start_on_whole_minutes() {
        assert_eq!(window_start(T0), T0);
        assert_eq!(window_start(T0 + W - 1), T0);
        assert_eq!(window_start(T0 + W), T0 + W);
        assert_eq!(window_start(-1), -W, "before the epoch too");
    }

    #[test]
    fn up_to_the_limit_is_allowed_and_one_more_is_refused() {
        for n in 1..=10 {
            assert_eq!(decide(TEN, counts(0, n), T0 + 30_000), Decision::Allowed { remaining: 10 - n, reset_s: 30 });
        }
        assert!(!decide(TEN, counts(0, 11), T0 + 30_000).allowed());
    }

    #[test]
    fn the_previous_window_weighs_by_how_much_of_it_still_overlaps() {
        // At the start of a window the previous one counts in full; half way, half.
        assert!(!decide(TEN, counts(10, 1), T0).allowed());
        assert_eq!(decide(TEN, counts(10, 5), T0 + W / 2), Decision::Allowed { remaining: 0, reset_s: 30 });
        assert!(!decide(TEN, counts(10, 6), T0 + W / 2).allowed());
        // Near the end almost nothing of it is left.
        assert_eq!(decide(TEN, counts(10, 9), T0 + W - 6_000), Decision::Allowed { remaining: 0, reset_s: 6 });
        assert!(!decide(TEN, counts(10, 10), T0 + W - 6_000).allowed(), "0.1 of 10 is a whole request");
    }

    #[test]
    fn a_burst_across_a_window_edge_gets_no_more_than_the_limit() {
        // Ten at the very end of one window, then as many as allowed right after the edge.
        let mut allowed_after_edge = 0;
        for n in 1..=10 {
            if decide(TEN, counts(10, n), T0 + W + 100).allowed() {
                allowed_after_edge += 1;
            }
        }
        assert_eq!(allowed_after_edge, 0);
    }

    #[test]
    fn remaining_is_whole_requests_rounded_down() {
        // 7 previous at a third elapsed: 4.67 + 2 = 6.67, so 3 (not 4) more fit.
        assert_eq!(decide(TEN, counts(7, 2), T0 + W / 3), Decision::Allowed { remaining: 3, reset_s: 40 });
    }

    #[test]
    fn reset_and_retry_after_are_never_zero() {
        assert_eq!(decide(TEN, counts(0, 1), T0 + W - 1), Decision::Allowed { remaining: 9, reset_s: 1 });
        for elapsed in [0, 1, 999, 30_000, W - 1] {
            for (p, c) in [(0, 11), (10, 1), (10, 10), (50, 50), (0, 1_000_000)] {
                if let Decision::Refused { retry_after_s } = decide(TEN, counts(p, c), T0 + elapsed) {
                    assert!(retry_after_s >= 1, "{p} {c} at {elapsed}");
                }
            }
        }
    }

    #[test]
    fn retry_after_is_when_a_request_is_allowed_again_and_not_sooner() {
        for limit in [1, 2, 10, 30] {
            let limit = Limit { per_minute: limit };
            for elapsed in [0, 1, 700, 15_000, 30_000, 59_999] {
                for previous in [0, 1, 5, 9, 10, 31, 200] {
                    for current in [1, 2, 9, 10, 11, 30, 31, 500] {
                        let now = T0 + elapsed;
                        let c = counts(previous, current);
                        let Decision::Refused { retry_after_s } = decide(limit, c, now) else { continue };
                        let at = now + retry_after_s * 1000;
                        let case = format!("limit {} prev {previous} cur {current} at {elapsed}", limit.per_minute);
                        assert!(decide(limit, counts_later(c, now, at), at).allowed(), "allowed at retry: {case}");
                        // A second sooner it is still refused (else the wait was longer than needed).
                        let sooner = at - 1000;
                        if sooner > now {
                            assert!(!decide(limit, counts_later(c, now, sooner), sooner).allowed(), "{case}");
                        }
                        assert!(retry_after_s <= 2 * W / 1000, "at most two windows: {case}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_limit_of_one_waits_for_the_window_after_next_when_it_was_used_up() {
        let one = Limit { per_minute: 1 };
        assert!(decide(one, counts(0, 1), T0 + 10_000).allowed());
        assert_eq!(decide(one, counts(0, 2), T0 + 10_000), Decision::Refused { retry_after_s: 110 });
    }

    #[test]
    fn out_of_range_counts_and_limits_do_not_panic_or_allow_everything() {
        assert!(!decide(Limit { per_minute: 0 }, counts(0, 1), T0).allowed(), "a zero limit refuses");
        assert!(!decide(Limit { per_minute: -5 }, counts(0, 1), T0).allowed());
        assert!(decide(TEN, counts(-3, 1), T0).allowed(), "negative counts read as none");
        let huge = decide(Limit { per_minute: i64::MAX / W }, counts(i64::MAX, i64::MAX), T0 + 1);
        assert!(!huge.allowed());
    }

    #[test]
    fn the_tightest_decision_binds() {
        let a = Decision::Allowed { remaining: 5, reset_s: 10 };
        let b = Decision::Allowed { remaining: 2, reset_s: 10 };
        let r1 = Decision::Refused { retry_after_s: 3 };
        let r2 = Decision::Refused { retry_after_s: 30 };
        assert_eq!(tightest(&[a, b]), Some(b));
        assert_eq!(tightest(&[a, r1, r2, b]), Some(r2));
        assert_eq!(tightest(&[]), None);
    }

    #[test]
    fn every_class_has_its_own_name_and_limit() {
        let mut limits = Limits::DEFAULT;
        for (i, class) in Class::ALL.into_iter().enumerate() {
            limits.of_mut(class).per_minute = 100 + i as i64;
        }
        let names: std::collections::BTreeSet<_> = Class::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), Class::ALL.len());
        for (i, class) in Class::ALL.into_iter().enumerate() {
            assert_eq!(limits.of(class).per_minute, 100 + i as i64, "{}", class.as_str());
        }
    }
}
