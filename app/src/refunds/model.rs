//! What the refund pages show (buyer, seller and console), and the parsing of list filters.

use crate::domain::money::{Currency, Money};
use crate::domain::refund::RefundStatus;
use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// Longest order number accepted in a request (`AG-YYYYMMDD-NNNNNNNN-K` is 22 for K < 10).
pub const MAX_NUMBER_CHARS: usize = 40;
pub const MAX_SELLER_FILTER_CHARS: usize = 100;
/// Refunds shown per order on its page (an order has a handful; this bounds a pathological one).
pub const MAX_REFUNDS_PER_ORDER: i64 = 50;
/// Audit rows shown as a refund's history.
pub const MAX_HISTORY: i64 = 100;

/// The request form of an order: what is left to refund and this rendering's idempotency key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefundForm {
    pub order_id: i64,
    pub order_number: String,
    pub order_status: String,
    pub currency: Currency,
    pub total_minor: i64,
    pub refunded_minor: i64,
    pub refundable_minor: i64,
    /// The amount prefilled in the form (what is left), in major units.
    pub refundable_plain: String,
    /// Why a request cannot be made now (a message key), if so.
    pub blocked: Option<String>,
    /// The open request or dispute the block is about, to link to.
    pub open_refund_id: Option<i64>,
    pub open_dispute_id: Option<i64>,
    pub idempotency_key: String,
}

impl RefundForm {
    pub fn money(&self, minor: i64) -> String {
        Money::new(minor, self.currency).display()
    }
}

/// One refund in a list (seller center, console, the order page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefundRow {
    pub id: i64,
    pub order_number: String,
    pub status: String,
    pub currency: Currency,
    pub amount_minor: i64,
    pub reason_code: String,
    pub seller_name: String,
    pub organisation_id: i64,
    /// Seller and console.
    pub buyer_name: Option<String>,
    pub seller_response: String,
    pub respond_by_ms: i64,
    pub responded_at_ms: Option<i64>,
    pub settled_at_ms: Option<i64>,
    pub dispute_id: Option<i64>,
    pub created_at_ms: i64,
    /// Waiting for the seller past `respond_by` (the timer escalates it shortly).
    pub overdue: bool,
    /// Hours since the request, at the time it was read.
    pub age_hours: i64,
}

impl RefundRow {
    pub fn amount(&self) -> String {
        Money::new(self.amount_minor, self.currency).display()
    }
}

/// The refunds of one order, for the buyer's or the seller's order page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderRefunds {
    pub order_number: String,
    /// The buyer may ask for a refund now (refundable, nothing open).
    pub can_request: bool,
    pub refundable_minor: i64,
    pub currency: Currency,
    pub open_dispute_id: Option<i64>,
    pub rows: Vec<RefundRow>,
}

/// An evidence file, linked to `/evidence/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceLink {
    pub id: i64,
    pub url: String,
    pub file_name: String,
    pub content_type: String,
}

/// A line of the order being refunded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct RefundLine {
    pub title: String,
    pub variant_label: String,
    pub quantity: i64,
    pub line_total_minor: i64,
    pub commission_minor: i64,
}

/// A ledger entry (account code and signed amount: debit positive).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct EffectEntry {
    pub account: String,
    pub amount_minor: i64,
}

/// Where the refund's money comes from, in words: before completion the payment still sits in
/// clearing; after, the seller gives back its share (from pending or available) and the platform
/// returns the commission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerEffect {
    /// `clearing`, `pending` or `available`.
    pub source: String,
    pub refund_minor: i64,
    /// What the seller gives back (0 when the money was still in clearing).
    pub seller_gives_minor: i64,
    /// The commission the platform returns.
    pub commission_returned_minor: i64,
    /// For a partial refund before completion: what the seller earns now from the rest.
    pub seller_earns_minor: Option<i64>,
    /// The entries made (`posted`) or that would be made.
    pub entries: Vec<EffectEntry>,
    pub posted: bool,
    pub posting_id: Option<i64>,
    /// Set when the preview cannot be computed now (a message key), e.g. the order moved on.
    pub unavailable: Option<String>,
}

/// An audit record about the refund.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct HistoryItem {
    pub at_ms: i64,
    pub action: String,
    pub actor: Option<String>,
    pub actor_roles: String,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RefundViewer {
    Buyer,
    Seller,
    Console,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefundDetail {
    pub row: RefundRow,
    pub order_id: i64,
    pub order_status: String,
    pub order_total_minor: i64,
    pub order_refunded_minor: i64,
    pub details: String,
    pub evidence: Option<EvidenceLink>,
    pub commission_reversed_minor: i64,
    pub lines: Vec<RefundLine>,
    pub effect: LedgerEffect,
    /// Console only: emails of both sides and the audit history.
    pub buyer_email: Option<String>,
    pub history: Vec<HistoryItem>,
    pub viewer: RefundViewer,
    /// The seller may answer now (requested, caller's role allows it).
    pub can_answer: bool,
}

impl RefundDetail {
    pub fn money(&self, minor: i64) -> String {
        Money::new(minor, self.row.currency).display()
    }
}

/// The console's counters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefundCounters {
    pub waiting: i64,
    pub overdue: i64,
    pub refunded_week: i64,
    pub currency: Currency,
    pub refunded_week_minor: i64,
}

pub fn parse_number(input: &str) -> Result<String, AppError> {
    let s = input.trim();
    if s.is_empty() || s.chars().count() > MAX_NUMBER_CHARS {
        return Err(AppError::invalid("number", "error.malformed"));
    }
    Ok(s.to_string())
}

pub fn parse_status(input: Option<&str>) -> Result<Option<RefundStatus>, AppError> {
    match input.map(str::trim) {
        None | Some("") | Some("all") => Ok(None),
        Some(s) => RefundStatus::parse(s).map(Some).ok_or_else(|| AppError::invalid("status", "field.choose")),
    }
}

/// A yes/no filter sent as `1`/`true`.
pub fn parse_flag(input: Option<&str>) -> bool {
    matches!(input.map(str::trim), Some("1") | Some("true") | Some("on") | Some("yes"))
}

/// The console's seller filter: an organisation id, or part of its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SellerFilter {
    Id(i64),
    Name(String),
}

pub fn parse_seller(input: Option<&str>) -> Result<Option<SellerFilter>, AppError> {
    let Some(s) = input.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    if s.chars().count() > MAX_SELLER_FILTER_CHARS {
        return Err(AppError::invalid("seller", "field.too_long"));
    }
    Ok(Some(match s.parse::<i64>() {
        Ok(id) if id > 0 => SellerFilter::Id(id),
        _ => SellerFilter::Name(s.to_string()),
    }))
}

/// Keyset cursor of the queues ordered by `(key, id)` ascending: `key:id`.
pub fn parse_pair_cursor(cursor: Option<&str>) -> Option<(i64, i64)> {
    let (a, b) = cursor?.trim().split_once(':')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_or_name_the_field() {
        assert_eq!(parse_status(Some("requested")).unwrap(), Some(RefundStatus::Requested));
        assert_eq!(parse_status(Some("all")).unwrap(), None);
        assert!(parse_status(Some("nope")).is_err());
        assert_eq!(parse_seller(Some(" 42 ")).unwrap(), Some(SellerFilter::Id(42)));
        assert_eq!(parse_seller(Some("Tea")).unwrap(), Some(SellerFilter::Name("Tea".into())));
        assert_eq!(parse_seller(Some("")).unwrap(), None);
        assert!(parse_flag(Some("1")) && !parse_flag(None));
    }

    #[test]
    fn pair_cursors_are_two_numbers_or_nothing() {
        assert_eq!(parse_pair_cursor(Some("100:7")), Some((100, 7)));
        assert_eq!(parse_pair_cursor(Some("x:7")), None);
        assert_eq!(parse_pair_cursor(Some("'; drop")), None);
        assert_eq!(parse_pair_cursor(None), None);
    }
}
