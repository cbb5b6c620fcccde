//! Session lifetime rules. A session ends after `idle` without a request or `absolute` after sign-in,
//! whichever comes first; sign-out and bans end it at once by deleting it.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle_ms: i64,
    pub absolute_ms: i64,
}

/// Writing `last_seen` on every request would make every page view a database write; once a minute is
/// precise enough for an idle timeout measured in tens of minutes.
pub const TOUCH_EVERY_MS: i64 = 60_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionCheck {
    Valid { touch: bool },
    IdleExpired,
    AbsoluteExpired,
}

impl SessionPolicy {
    pub fn check(&self, created_at_ms: i64, last_seen_ms: i64, now_ms: i64) -> SessionCheck {
        if now_ms - created_at_ms >= self.absolute_ms {
            return SessionCheck::AbsoluteExpired;
        }
        if now_ms - last_seen_ms >= self.idle_ms {
            return SessionCheck::IdleExpired;
        }
        SessionCheck::Valid { touch: now_ms - last_seen_ms >= TOUCH_EVERY_MS }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: SessionPolicy = SessionPolicy { idle_ms: 30 * 60_000, absolute_ms: 12 * 3_600_000 };

    #[test]
    fn a_fresh_session_is_valid_without_a_write() {
        assert_eq!(POLICY.check(0, 0, 1_000), SessionCheck::Valid { touch: false });
    }

    #[test]
    fn an_active_session_is_touched_once_a_minute() {
        assert_eq!(POLICY.check(0, 0, 61_000), SessionCheck::Valid { touch: true });
    }

    #[test]
    fn an_idle_session_expires() {
        assert_eq!(POLICY.check(0, 0, 30 * 60_000), SessionCheck::IdleExpired);
    }

    #[test]
    fn a_busy_session_still_ends_at_the_absolute_limit() {
        let t = 12 * 3_600_000;
        assert_eq!(POLICY.check(0, t - 1, t), SessionCheck::AbsoluteExpired);
    }
}
