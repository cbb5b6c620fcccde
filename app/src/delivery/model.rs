//! What crosses the wire for the delivery desk.

use crate::domain::delivery::DeliveryStatus;
use serde::{Deserialize, Serialize};

/// One outgoing message in the desk's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryRow {
    pub id: i64,
    pub created_at_ms: i64,
    pub channel: String,
    pub event_type: String,
    /// Who or where: an email address, a user's email, or a webhook endpoint's URL.
    pub recipient: String,
    pub status: DeliveryStatus,
    pub attempts: i64,
    /// When the next attempt is due (pending and retrying rows).
    pub next_attempt_at_ms: Option<i64>,
    pub last_error: Option<String>,
}

/// One attempt of a message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AttemptRow {
    pub id: i64,
    pub attempt: i64,
    pub at_ms: i64,
    pub latency_ms: i64,
    pub status_code: Option<i64>,
    pub outcome: String,
    pub error: Option<String>,
    pub response_excerpt: Option<String>,
}

/// A message with its payload (secrets already replaced after delivery) and every attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryDetail {
    pub row: DeliveryRow,
    pub payload_json: String,
    pub delivered_at_ms: Option<i64>,
    pub attempts: Vec<AttemptRow>,
}

/// The desk's counters; the command center shows the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryCounters {
    pub pending: i64,
    pub retrying: i64,
    /// Messages that gave up (failed or exhausted) in the last 24 hours.
    pub failed_24h: i64,
    pub exhausted_24h: i64,
    pub delivered_24h: i64,
    pub suppressed: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct SuppressionRow {
    pub address: String,
    pub smtp_code: Option<i64>,
    pub reason: String,
    pub created_at_ms: i64,
}

/// The desk's filter, parsed at the edge.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeliveryFilter {
    pub channel: Option<&'static str>,
    pub status: Option<DeliveryStatus>,
    /// Event types starting with this (`orders.` or `orders.shipped`).
    pub event: Option<String>,
    /// An email address, a user's email or an endpoint URL containing this.
    pub recipient: Option<String>,
}

impl DeliveryFilter {
    pub const TEXT_MAX: usize = 200;

    /// `Err((field, message code))` for a value the desk does not offer.
    pub fn parse(
        channel: Option<&str>,
        status: Option<&str>,
        event: Option<&str>,
        recipient: Option<&str>,
    ) -> Result<DeliveryFilter, (&'static str, &'static str)> {
        fn some(v: Option<&str>) -> Option<&str> {
            v.map(str::trim).filter(|v| !v.is_empty())
        }
        let channel = match some(channel) {
            None => None,
            Some(c) => Some(
                crate::domain::delivery::Channel::parse(c)
                    .map(|c| c.as_str())
                    .ok_or(("channel", "console_delivery.bad_channel"))?,
            ),
        };
        let status = match some(status) {
            None => None,
            Some(s) => Some(DeliveryStatus::parse(s).ok_or(("status", "console_delivery.bad_status"))?),
        };
        let text = |v: Option<&str>, field: &'static str| match some(v) {
            Some(t) if t.chars().count() > Self::TEXT_MAX => Err((field, "console_delivery.too_long")),
            other => Ok(other.map(str::to_string)),
        };
        Ok(DeliveryFilter { channel, status, event: text(event, "event")?, recipient: text(recipient, "recipient")? })
    }
}

pub fn status_key(s: DeliveryStatus) -> &'static str {
    match s {
        DeliveryStatus::Pending => "console_delivery.status.pending",
        DeliveryStatus::Retrying => "console_delivery.status.retrying",
        DeliveryStatus::Delivered => "console_delivery.status.delivered",
        DeliveryStatus::Failed => "console_delivery.status.failed",
        DeliveryStatus::Exhausted => "console_delivery.status.exhausted",
        DeliveryStatus::Skipped => "console_delivery.status.skipped",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_takes_what_the_desk_offers_and_refuses_the_rest() {
        let f = DeliveryFilter::parse(Some("email"), Some("retrying"), Some(" orders. "), None).unwrap();
        assert_eq!(f.channel, Some("email"));
        assert_eq!(f.status, Some(DeliveryStatus::Retrying));
        assert_eq!(f.event.as_deref(), Some("orders."));
        assert_eq!(DeliveryFilter::parse(Some(""), Some(""), Some(""), Some("")).unwrap(), DeliveryFilter::default());
        assert_eq!(
            DeliveryFilter::parse(Some("sms"), None, None, None),
            Err(("channel", "console_delivery.bad_channel"))
        );
        assert_eq!(
            DeliveryFilter::parse(None, Some("lost"), None, None),
            Err(("status", "console_delivery.bad_status"))
        );
        let long = "x".repeat(201);
        assert_eq!(
            DeliveryFilter::parse(None, None, None, Some(&long)),
            Err(("recipient", "console_delivery.too_long"))
        );
    }
}
