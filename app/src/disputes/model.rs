//! What the dispute pages show (buyer, seller and console) and the console queue's filter.

use crate::domain::dispute::{DisputeStatus, OpenedBy};
use crate::domain::money::{Currency, Money};
use crate::error::AppError;
use crate::orders::model::OrderDetail;
use serde::{Deserialize, Serialize};

pub const MAX_SEARCH_CHARS: usize = 100;

/// One message of the conversation. `author` is the author's email, console only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DisputeMessage {
    pub id: i64,
    pub side: String,
    pub author: Option<String>,
    pub body: String,
    pub evidence_upload_id: Option<i64>,
    pub created_at_ms: i64,
}

/// A dispute as one of its parties (or an operator) sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisputeThread {
    pub id: i64,
    pub order_id: i64,
    pub order_number: String,
    pub order_status: String,
    pub seller_name: String,
    pub currency: Currency,
    pub order_total_minor: i64,
    pub refunded_minor: i64,
    pub claim_minor: i64,
    pub reason_code: String,
    pub details: String,
    pub opened_by: String,
    pub refund_id: Option<i64>,
    pub status: String,
    pub sla_due_at_ms: i64,
    pub created_at_ms: i64,
    pub decision: Option<String>,
    pub decision_amount_minor: Option<i64>,
    pub decision_reason: String,
    pub decided_at_ms: Option<i64>,
    /// buyer, seller or operator: which side the viewer writes as.
    pub viewer_side: String,
    pub messages: Vec<DisputeMessage>,
    /// How many more messages the dispute takes (`domain::dispute::MAX_MESSAGES` in all).
    pub messages_left: i64,
}

impl DisputeThread {
    pub fn money(&self, minor: i64) -> String {
        Money::new(minor, self.currency).display()
    }

    pub fn is_open(&self) -> bool {
        self.status == DisputeStatus::Open.as_str()
    }
}

/// The buyer's "open a dispute" form: the order and how much may still be claimed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenDisputeInfo {
    pub order_number: String,
    pub order_status: String,
    pub seller_name: String,
    pub currency: Currency,
    pub total_minor: i64,
    pub refundable_minor: i64,
    /// An open dispute on the order, if any (the page links to it instead).
    pub open_dispute_id: Option<i64>,
    /// An open refund request on the order blocks a dispute: the buyer escalates it instead.
    pub open_refund_id: Option<i64>,
    pub can_open: bool,
    pub idempotency_key: String,
}

/// The dispute link on an order page: the latest dispute of the order, and whether a new one may open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderDisputeState {
    pub dispute_id: Option<i64>,
    pub dispute_status: Option<String>,
    pub can_open: bool,
}

/// One row of the console queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisputeRow {
    pub id: i64,
    pub order_number: String,
    pub seller_name: String,
    pub organisation_id: i64,
    pub buyer_email: String,
    pub opened_by: String,
    pub status: String,
    pub currency: Currency,
    pub claim_minor: i64,
    pub reason_code: String,
    pub created_at_ms: i64,
    pub sla_due_at_ms: i64,
    pub decided_at_ms: Option<i64>,
    /// Open for this long (until the decision, once decided).
    pub age_ms: i64,
    /// Open past its decision deadline.
    pub past_sla: bool,
}

impl DisputeRow {
    pub fn claim(&self) -> String {
        Money::new(self.claim_minor, self.currency).display()
    }
}

/// The queue's counters (amount in the platform currency).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisputeCounters {
    pub open: i64,
    pub past_sla: i64,
    pub decided_this_week: i64,
    pub currency: Currency,
    pub claimed_open_minor: i64,
}

/// One ledger line of a planned posting: the account's code and its signed amount.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EffectLine {
    pub account: String,
    pub amount_minor: i64,
}

/// What a refund decision would post now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerEffect {
    pub amount_minor: i64,
    pub commission_reversed_minor: i64,
    pub seller_share_minor: i64,
    /// clearing (before completion), pending or available: where the money comes back from.
    pub source: String,
    pub lines: Vec<EffectLine>,
    /// A partial refund before completion settles the rest to the seller as well.
    pub remainder: Vec<EffectLine>,
    /// The seller's available balance after it, when the refund comes from available.
    pub seller_available_after: Option<i64>,
    /// The order's status after it.
    pub order_status_after: String,
}

/// The console's dispute page: the dispute, the order, the seller's money and each decision's effect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsoleDispute {
    pub dispute: DisputeThread,
    pub order: OrderDetail,
    pub status_before_dispute: Option<String>,
    pub refundable_minor: i64,
    pub pending_minor: i64,
    pub available_minor: i64,
    pub in_transit_minor: i64,
    pub negative_since_ms: Option<i64>,
    /// A full refund's effect (None when nothing is left to refund or the order cannot be refunded).
    pub full_effect: Option<LedgerEffect>,
    pub can_decide: bool,
    pub idempotency_key: String,
}

/// The console queue's filter, parsed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueueFilter {
    pub status: Option<DisputeStatus>,
    pub seller_id: Option<i64>,
    pub seller_name: Option<String>,
    pub past_sla: bool,
    pub opened_by: Option<OpenedBy>,
}

impl QueueFilter {
    /// `status` is a dispute status or "all" (absent means open), `seller` an organisation id or part
    /// of its name, `past_sla` "1", `opened_by` one of `OpenedBy`.
    pub fn parse(
        status: Option<&str>,
        seller: Option<&str>,
        past_sla: Option<&str>,
        opened_by: Option<&str>,
    ) -> Result<QueueFilter, AppError> {
        let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
            None => Some(DisputeStatus::Open),
            Some("all") => None,
            Some(s) => Some(DisputeStatus::parse(s).ok_or_else(|| AppError::invalid("status", "field.choose"))?),
        };
        let (seller_id, seller_name) = match seller.map(str::trim).filter(|s| !s.is_empty()) {
            None => (None, None),
            Some(s) if s.chars().count() > MAX_SEARCH_CHARS => {
                return Err(AppError::invalid("seller", "field.too_long"))
            }
            Some(s) => match s.parse::<i64>() {
                Ok(id) => (Some(id), None),
                Err(_) => (None, Some(s.to_string())),
            },
        };
        let opened_by = match opened_by.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(OpenedBy::parse(s).ok_or_else(|| AppError::invalid("opened_by", "field.choose"))?),
        };
        let past_sla = matches!(past_sla.map(str::trim), Some("1" | "true" | "on"));
        Ok(QueueFilter { status, seller_id, seller_name, past_sla, opened_by })
    }
}

/// The queue's cursor: `<sla_due_at>:<id>` of the last row (oldest SLA first).
pub fn parse_queue_cursor(cursor: Option<&str>) -> Option<(i64, i64)> {
    let (sla, id) = cursor?.trim().split_once(':')?;
    Some((sla.parse().ok()?, id.parse().ok().filter(|i: &i64| *i > 0)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_filter_defaults_to_open_disputes() {
        let f = QueueFilter::parse(None, None, None, None).unwrap();
        assert_eq!(f.status, Some(DisputeStatus::Open));
        assert_eq!(QueueFilter::parse(Some("all"), None, None, None).unwrap().status, None);
        let f = QueueFilter::parse(Some("seller_won"), Some("42"), Some("1"), Some("refused_refund")).unwrap();
        assert_eq!(f.status, Some(DisputeStatus::SellerWon));
        assert_eq!(f.seller_id, Some(42));
        assert!(f.past_sla);
        assert_eq!(f.opened_by, Some(OpenedBy::RefusedRefund));
        assert_eq!(QueueFilter::parse(None, Some("Acme"), None, None).unwrap().seller_name.as_deref(), Some("Acme"));
        assert!(QueueFilter::parse(Some("bogus"), None, None, None).is_err());
        assert!(QueueFilter::parse(None, None, None, Some("bogus")).is_err());
        assert!(QueueFilter::parse(None, Some(&"x".repeat(101)), None, None).is_err());
    }

    #[test]
    fn queue_cursors_are_sla_and_id() {
        assert_eq!(parse_queue_cursor(Some("1700:25")), Some((1700, 25)));
        assert_eq!(parse_queue_cursor(Some("garbage")), None);
        assert_eq!(parse_queue_cursor(Some("1:-3")), None);
        assert_eq!(parse_queue_cursor(None), None);
    }
}
