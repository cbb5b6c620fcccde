//! A ban's terms: why (one of four categories, with the operator's details as its reason) and for how
//! long. A timed ban ends by itself when its end comes (a durable timer lifts it); until then the user
//! is told at sign-in why and until when.

use serde::{Deserialize, Serialize};

const DAY_MS: i64 = 86_400_000;

/// Why a user is banned. The category is what the user is told; the details stay with the operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BanCategory {
    TermsViolation,
    IllegalContent,
    Fraud,
    Other,
}

impl BanCategory {
    pub const ALL: [BanCategory; 4] =
        [BanCategory::TermsViolation, BanCategory::IllegalContent, BanCategory::Fraud, BanCategory::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            BanCategory::TermsViolation => "terms_violation",
            BanCategory::IllegalContent => "illegal_content",
            BanCategory::Fraud => "fraud",
            BanCategory::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<BanCategory> {
        BanCategory::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The message key of its name (console and the sign-in refusal).
    pub fn label_key(self) -> &'static str {
        match self {
            BanCategory::TermsViolation => "ban.category.terms_violation",
            BanCategory::IllegalContent => "ban.category.illegal_content",
            BanCategory::Fraud => "ban.category.fraud",
            BanCategory::Other => "ban.category.other",
        }
    }
}

/// How long a ban lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BanDuration {
    Days7,
    Days30,
    Permanent,
}

impl BanDuration {
    pub const ALL: [BanDuration; 3] = [BanDuration::Days7, BanDuration::Days30, BanDuration::Permanent];

    pub fn as_str(self) -> &'static str {
        match self {
            BanDuration::Days7 => "7d",
            BanDuration::Days30 => "30d",
            BanDuration::Permanent => "permanent",
        }
    }

    pub fn parse(s: &str) -> Option<BanDuration> {
        BanDuration::ALL.into_iter().find(|d| d.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            BanDuration::Days7 => "ban.duration.7d",
            BanDuration::Days30 => "ban.duration.30d",
            BanDuration::Permanent => "ban.duration.permanent",
        }
    }

    /// When a ban starting at `now_ms` ends; `None` for a permanent one.
    pub fn ends_at(self, now_ms: i64) -> Option<i64> {
        match self {
            BanDuration::Days7 => Some(now_ms + 7 * DAY_MS),
            BanDuration::Days30 => Some(now_ms + 30 * DAY_MS),
            BanDuration::Permanent => None,
        }
    }
}

/// Whether a ban ending at `ends_at` has run out at `now_ms` (a permanent one never does). The
/// expiry timer lifts a ban only when this holds, so a stale timer (the ban lifted and imposed
/// again since, for longer) changes nothing.
pub fn has_expired(ends_at: Option<i64>, now_ms: i64) -> bool {
    ends_at.is_some_and(|end| now_ms >= end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_and_durations_round_trip_and_refuse_the_unknown() {
        for c in BanCategory::ALL {
            assert_eq!(BanCategory::parse(c.as_str()), Some(c));
        }
        for d in BanDuration::ALL {
            assert_eq!(BanDuration::parse(d.as_str()), Some(d));
        }
        assert_eq!(BanCategory::parse("spam"), None);
        assert_eq!(BanCategory::parse(""), None);
        assert_eq!(BanDuration::parse("90d"), None);
        assert_eq!(BanDuration::parse("Permanent"), None);
    }

    #[test]
    fn timed_bans_end_seven_or_thirty_days_later_and_a_permanent_one_never() {
        let now = 1_000;
        assert_eq!(BanDuration::Days7.ends_at(now), Some(now + 604_800_000));
        assert_eq!(BanDuration::Days30.ends_at(now), Some(now + 2_592_000_000));
        assert_eq!(BanDuration::Permanent.ends_at(now), None);
    }

    #[test]
    fn a_ban_expires_at_its_end_and_not_a_moment_before() {
        let end = BanDuration::Days7.ends_at(0);
        assert!(!has_expired(end, 604_800_000 - 1));
        assert!(has_expired(end, 604_800_000));
        assert!(!has_expired(None, i64::MAX), "a permanent ban never runs out");
    }
}
