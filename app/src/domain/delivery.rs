//! Delivery: the channels a message goes out on, the categories a user can switch on and off, and what
//! each event declares about itself (its category, whether it is transactional, the variables its
//! templates may use, its built-in default texts). Each capability declares its own events next to
//! its code (`<capability>/events.rs`); `notifications::events::all()` gathers them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    InApp,
    Email,
    Webhook,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::InApp, Channel::Email, Channel::Webhook];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::InApp => "in_app",
            Channel::Email => "email",
            Channel::Webhook => "webhook",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// What a user chooses to receive, per channel (seed 000's notification categories).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Category {
    Orders,
    PaymentsPayouts,
    ReviewsListings,
    TrustSafety,
    AccountSecurity,
    Announcements,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Orders,
        Category::PaymentsPayouts,
        Category::ReviewsListings,
        Category::TrustSafety,
        Category::AccountSecurity,
        Category::Announcements,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Orders => "orders",
            Category::PaymentsPayouts => "payments_payouts",
            Category::ReviewsListings => "reviews_listings",
            Category::TrustSafety => "trust_safety",
            Category::AccountSecurity => "account_security",
            Category::Announcements => "announcements",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Account security messages always arrive: a user cannot switch them off on any channel.
    pub fn always_on(self) -> bool {
        matches!(self, Category::AccountSecurity)
    }
}

/// A variable an event's templates may use, as `{{name}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variable {
    pub name: &'static str,
    /// A template that leaves a required variable out is refused at save time.
    pub required: bool,
    /// What the preview and "send a test to yourself" fill it with.
    pub sample: &'static str,
}

/// The built-in default of one locale's email: seeds `message_templates` and is what "restore the
/// default" goes back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefaultEmail {
    pub subject: &'static str,
    pub text: &'static str,
    pub html: &'static str,
}

/// Everything the delivery code needs to know about one event type.
#[derive(Debug, Clone, Copy)]
pub struct EventSpec {
    /// `capability.what`, e.g. `orders.shipped`; the outbox's `event_type`.
    pub event_type: &'static str,
    pub category: Category,
    /// Transactional messages (a receipt, a verification link, a sign-in code) cannot be switched off
    /// and carry no unsubscribe link; the rest carry `List-Unsubscribe`.
    pub transactional: bool,
    pub variables: &'static [Variable],
    /// The email defaults, `[en, zh]`; `None`: the event is not sent by email.
    pub email: Option<[DefaultEmail; 2]>,
}

impl EventSpec {
    pub fn variable(&self, name: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.name == name)
    }
}

/// How the SMTP connection is secured: STARTTLS on a plain connection (port 587), TLS from the first
/// byte (port 465), or nothing (a relay on loopback, the tests' server).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    StartTls,
    Tls,
    None,
}

impl SmtpSecurity {
    pub fn parse(s: &str) -> Option<SmtpSecurity> {
        match s {
            "starttls" => Some(SmtpSecurity::StartTls),
            "tls" => Some(SmtpSecurity::Tls),
            "none" => Some(SmtpSecurity::None),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SmtpSecurity::StartTls => "starttls",
            SmtpSecurity::Tls => "tls",
            SmtpSecurity::None => "none",
        }
    }
}

/// DESIGN.md's retry schedule, in seconds: entry `n` is the delay before attempt `n + 1` (the first is
/// immediate). After the last attempt fails the message is exhausted.
pub const RETRY_SCHEDULE_S: [i64; 8] = [0, 5, 300, 1_800, 7_200, 18_000, 36_000, 36_000];
/// Longest wait a receiver's `Retry-After` can ask for; a longer one is cut to this.
pub const MAX_RETRY_AFTER_MS: i64 = 24 * 3_600_000;

/// When to try again after `attempts_made` failed attempts, in ms from now; `None`: exhausted.
/// `jitter` in [-1, 1] spreads the delay by up to 20 % either way, so the retries of many messages that
/// failed together (a receiver restarting) do not arrive together. A receiver's `Retry-After` is
/// honoured when it asks for longer than the schedule.
pub fn next_attempt_in_ms(attempts_made: i64, retry_after_ms: Option<i64>, jitter: f64) -> Option<i64> {
    let delay_s = *RETRY_SCHEDULE_S.get(usize::try_from(attempts_made).ok()?)?;
    let jitter = jitter.clamp(-1.0, 1.0) * 0.2;
    let scheduled = ((delay_s * 1000) as f64 * (1.0 + jitter)).round() as i64;
    let asked = retry_after_ms.unwrap_or(0).clamp(0, MAX_RETRY_AFTER_MS);
    Some(scheduled.max(asked))
}

/// What the delivery desk shows of an outbox row: `pending` with attempts made is `retrying`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DeliveryStatus {
    Pending,
    Retrying,
    Delivered,
    Failed,
    Exhausted,
    Skipped,
}

impl DeliveryStatus {
    pub const ALL: [DeliveryStatus; 6] = [
        DeliveryStatus::Pending,
        DeliveryStatus::Retrying,
        DeliveryStatus::Delivered,
        DeliveryStatus::Failed,
        DeliveryStatus::Exhausted,
        DeliveryStatus::Skipped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Retrying => "retrying",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Exhausted => "exhausted",
            DeliveryStatus::Skipped => "skipped",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryStatus> {
        DeliveryStatus::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// From the stored `status` and `attempts` columns; `None` for a value the code never writes.
    pub fn from_row(status: &str, attempts: i64) -> Option<DeliveryStatus> {
        match status {
            "pending" if attempts > 0 => Some(DeliveryStatus::Retrying),
            "pending" => Some(DeliveryStatus::Pending),
            other => DeliveryStatus::parse(other).filter(|s| !matches!(s, DeliveryStatus::Retrying)),
        }
    }

    /// The stored `status` value and whether attempts must be zero (`Some(true)`), above zero
    /// (`Some(false)`) or either: how a desk filter becomes a query.
    pub fn stored(self) -> (&'static str, Option<bool>) {
        match self {
            DeliveryStatus::Pending => ("pending", Some(true)),
            DeliveryStatus::Retrying => ("pending", Some(false)),
            other => (other.as_str(), None),
        }
    }

    /// Only what gave up can be sent again: a pending or retrying row is already on its way, a
    /// delivered one arrived, a skipped one was not wanted.
    pub fn replayable(self) -> bool {
        matches!(self, DeliveryStatus::Failed | DeliveryStatus::Exhausted)
    }
}

/// At most this many messages are sent again by one "replay all that match".
pub const REPLAY_BATCH_MAX: i64 = 500;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_desk_status_comes_from_status_and_attempts() {
        assert_eq!(DeliveryStatus::from_row("pending", 0), Some(DeliveryStatus::Pending));
        assert_eq!(DeliveryStatus::from_row("pending", 3), Some(DeliveryStatus::Retrying));
        assert_eq!(DeliveryStatus::from_row("exhausted", 8), Some(DeliveryStatus::Exhausted));
        assert_eq!(DeliveryStatus::from_row("retrying", 1), None, "never stored");
        assert_eq!(DeliveryStatus::from_row("bogus", 1), None);
        for s in DeliveryStatus::ALL {
            assert_eq!(DeliveryStatus::parse(s.as_str()), Some(s));
            let (stored, zero) = s.stored();
            let attempts = if zero == Some(false) { 1 } else { 0 };
            assert_eq!(DeliveryStatus::from_row(stored, attempts), Some(s), "{s:?} round-trips through its query");
        }
        let replayable: Vec<_> = DeliveryStatus::ALL.into_iter().filter(|s| s.replayable()).collect();
        assert_eq!(replayable, [DeliveryStatus::Failed, DeliveryStatus::Exhausted]);
    }

    #[test]
    fn the_schedule_is_followed_within_twenty_percent_then_exhausted() {
        assert_eq!(next_attempt_in_ms(1, None, 0.0), Some(5_000));
        assert_eq!(next_attempt_in_ms(1, None, 1.0), Some(6_000));
        assert_eq!(next_attempt_in_ms(1, None, -1.0), Some(4_000));
        assert_eq!(next_attempt_in_ms(2, None, 5.0), Some(360_000), "jitter is clamped");
        assert_eq!(next_attempt_in_ms(7, None, 0.0), Some(36_000_000));
        assert_eq!(next_attempt_in_ms(8, None, 0.0), None);
        assert_eq!(next_attempt_in_ms(-1, None, 0.0), None);
    }

    #[test]
    fn retry_after_is_honoured_when_longer_and_capped_at_a_day() {
        assert_eq!(next_attempt_in_ms(1, Some(120_000), 0.0), Some(120_000));
        assert_eq!(next_attempt_in_ms(3, Some(1_000), 0.0), Some(1_800_000), "a shorter ask does not hurry us");
        assert_eq!(next_attempt_in_ms(1, Some(i64::MAX), 0.0), Some(MAX_RETRY_AFTER_MS));
        assert_eq!(next_attempt_in_ms(8, Some(1_000), 0.0), None, "Retry-After does not add attempts");
    }

    #[test]
    fn names_round_trip() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
        }
        assert!(Category::AccountSecurity.always_on());
        assert!(!Category::Orders.always_on());
    }
}
