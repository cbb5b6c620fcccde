//! What the order pages show (buyer, seller and console), and the console's list filter.

use crate::domain::address::Address;
use crate::domain::money::{Currency, Money};
use crate::domain::order::OrderStatus;
use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// Longest order number accepted in a request (`AG-YYYYMMDD-NNNNNNNN-K` is 22 for K < 10).
pub const MAX_NUMBER_CHARS: usize = 40;
pub const MAX_SEARCH_CHARS: usize = 100;

/// One order in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderRow {
    pub id: i64,
    pub number: String,
    pub status: String,
    pub overdue: bool,
    pub currency: Currency,
    pub total_minor: i64,
    pub items: i64,
    pub first_title: String,
    pub seller_name: String,
    /// Console only.
    pub buyer_email: Option<String>,
    pub created_at_ms: i64,
    pub ship_by_ms: Option<i64>,
}

impl OrderRow {
    pub fn total(&self) -> String {
        Money::new(self.total_minor, self.currency).display()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderLine {
    pub listing_id: i64,
    pub title: String,
    pub variant_label: String,
    pub sku: String,
    pub unit_price_minor: i64,
    pub quantity: i64,
    pub line_total_minor: i64,
    /// Seller and console only.
    pub commission_minor: Option<i64>,
    pub commission_rule_id: Option<i64>,
}

/// A timeline row. `note` is a message key (`orders.note.*`) or the actor's own text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderEvent {
    pub id: i64,
    pub from_status: String,
    pub to_status: String,
    pub action: String,
    /// buyer, seller, platform (an operator) or system (a timer).
    pub actor_role: String,
    /// Console only: the actor's email.
    pub actor: Option<String>,
    pub at_ms: i64,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PaymentInfo {
    pub id: i64,
    pub provider: String,
    pub status: String,
    pub amount_minor: i64,
    pub reference: String,
    pub decided_at_ms: Option<i64>,
    pub decision_reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerEntryLine {
    pub account: String,
    pub amount_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostingLine {
    pub id: i64,
    pub kind: String,
    pub key: String,
    pub at_ms: i64,
    pub memo: String,
    pub entries: Vec<LedgerEntryLine>,
}

/// Who looks at an order decides what the detail holds and which actions it offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Viewer {
    Buyer,
    Seller,
    Console,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub id: i64,
    pub number: String,
    pub checkout_id: i64,
    pub status: String,
    pub overdue: bool,
    pub currency: Currency,
    pub items_minor: i64,
    pub shipping_minor: i64,
    pub total_minor: i64,
    /// Seller and console only.
    pub commission_minor: Option<i64>,
    pub address: Address,
    pub seller_name: String,
    pub organisation_id: i64,
    /// Seller and console: the buyer's display name; console also the email.
    pub buyer_name: Option<String>,
    pub buyer_email: Option<String>,
    pub carrier: String,
    pub tracking_number: String,
    pub created_at_ms: i64,
    pub pay_by_ms: i64,
    pub paid_at_ms: Option<i64>,
    pub ship_by_ms: Option<i64>,
    pub shipped_at_ms: Option<i64>,
    pub complete_by_ms: Option<i64>,
    pub completed_at_ms: Option<i64>,
    pub cancelled_at_ms: Option<i64>,
    pub lines: Vec<OrderLine>,
    pub events: Vec<OrderEvent>,
    pub payment: Option<PaymentInfo>,
    /// Console with `ledger.view` only.
    pub postings: Option<Vec<PostingLine>>,
    pub viewer: Viewer,
}

impl OrderDetail {
    pub fn money(&self, minor: i64) -> String {
        Money::new(minor, self.currency).display()
    }

    pub fn status(&self) -> Option<OrderStatus> {
        OrderStatus::parse(&self.status)
    }

    pub fn can_ship(&self) -> bool {
        self.viewer == Viewer::Seller && self.status() == Some(OrderStatus::Paid)
    }

    pub fn can_confirm(&self) -> bool {
        self.viewer == Viewer::Buyer && self.status() == Some(OrderStatus::Shipped)
    }

    pub fn can_cancel(&self) -> bool {
        self.viewer == Viewer::Buyer && self.status() == Some(OrderStatus::PendingPayment)
    }
}

/// The carrier stored on an order (`sf`, or `other:<name>`) as a label key or the name itself.
pub fn carrier_label(carrier: &str) -> (Option<String>, Option<String>) {
    match carrier.strip_prefix("other:") {
        Some(name) => (None, Some(name.to_string())),
        None if carrier.is_empty() => (None, None),
        None => (Some(format!("orders.carrier.{carrier}")), None),
    }
}

/// A trimmed order number, refused when it cannot be one.
pub fn parse_number(input: &str) -> Result<String, AppError> {
    let n = input.trim().to_uppercase();
    if n.is_empty() || n.chars().count() > MAX_NUMBER_CHARS || !n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(AppError::NotFound);
    }
    Ok(n)
}

/// An optional status filter; empty means all.
pub fn parse_status(input: Option<&str>) -> Result<Option<OrderStatus>, AppError> {
    match input.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => OrderStatus::parse(s).map(Some).ok_or_else(|| AppError::invalid("status", "field.choose")),
    }
}

/// The console's list filter, parsed from the query string.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConsoleFilter {
    pub status: Option<OrderStatus>,
    /// A seller organisation id, or a substring of its name.
    pub seller_id: Option<i64>,
    pub seller_name: Option<String>,
    /// A substring of the buyer's email.
    pub buyer: Option<String>,
    /// Created at or after / before (unix ms; `to` is the end of that day).
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub min_minor: Option<i64>,
    pub max_minor: Option<i64>,
    pub overdue_only: bool,
}

fn text_filter(field: &str, input: Option<&str>) -> Result<Option<String>, AppError> {
    match input.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if s.chars().count() > MAX_SEARCH_CHARS || s.chars().any(char::is_control) => {
            Err(AppError::invalid(field, "field.too_long"))
        }
        Some(s) => Ok(Some(s.to_string())),
    }
}

/// `YYYY-MM-DD` to the unix ms of that day's start (UTC).
pub fn parse_date(field: &str, input: Option<&str>) -> Result<Option<i64>, AppError> {
    let Some(s) = input.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    let bad = || AppError::invalid(field, "orders.bad_date");
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() != 3 {
        return Err(bad());
    }
    let y: i64 = parts[0].parse().map_err(|_| bad())?;
    let m: i64 = parts[1].parse().map_err(|_| bad())?;
    let d: i64 = parts[2].parse().map_err(|_| bad())?;
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    // Days from civil (H. Hinnant).
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Ok(Some(days * 86_400_000))
}

fn amount(field: &str, input: Option<&str>, currency: Currency) -> Result<Option<i64>, AppError> {
    match input.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Money::parse(s, currency).map(|m| Some(m.minor)).map_err(|e| AppError::invalid(field, e.code())),
    }
}

/// The raw query string values of the console's order filter.
#[derive(Debug, Clone, Default)]
pub struct RawConsoleFilter<'a> {
    pub status: Option<&'a str>,
    pub seller: Option<&'a str>,
    pub buyer: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub min: Option<&'a str>,
    pub max: Option<&'a str>,
    pub overdue: Option<&'a str>,
}

impl ConsoleFilter {
    pub fn parse(raw: &RawConsoleFilter<'_>, currency: Currency) -> Result<ConsoleFilter, AppError> {
        let seller = text_filter("seller", raw.seller)?;
        let (seller_id, seller_name) = match seller {
            Some(s) => match s.parse::<i64>() {
                Ok(id) => (Some(id), None),
                Err(_) => (None, Some(s)),
            },
            None => (None, None),
        };
        let from_ms = parse_date("from", raw.from)?;
        let to_ms = parse_date("to", raw.to)?.map(|t| t + 86_400_000);
        if let (Some(f), Some(t)) = (from_ms, to_ms) {
            if f >= t {
                return Err(AppError::invalid("to", "orders.bad_range"));
            }
        }
        let min_minor = amount("min", raw.min, currency)?;
        let max_minor = amount("max", raw.max, currency)?;
        if let (Some(a), Some(b)) = (min_minor, max_minor) {
            if a > b {
                return Err(AppError::invalid("max", "orders.bad_range"));
            }
        }
        Ok(ConsoleFilter {
            status: parse_status(raw.status)?,
            seller_id,
            seller_name,
            buyer: text_filter("buyer", raw.buyer)?,
            from_ms,
            to_ms,
            min_minor,
            max_minor,
            overdue_only: matches!(raw.overdue.map(str::trim), Some("1" | "true" | "on")),
        })
    }
}

/// Keyset cursor of the seller's list (overdue first, then newest): `<overdue>:<id>`.
pub fn parse_seller_cursor(cursor: Option<&str>) -> Option<(i64, i64)> {
    let (o, id) = cursor?.trim().split_once(':')?;
    let o: i64 = o.parse().ok().filter(|o| *o == 0 || *o == 1)?;
    let id: i64 = id.parse().ok().filter(|id| *id > 0)?;
    Some((o, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_days_since_the_epoch() {
        assert_eq!(parse_date("from", Some("1970-01-01")).unwrap(), Some(0));
        assert_eq!(parse_date("from", Some("2000-03-01")).unwrap(), Some(951_868_800_000));
        assert_eq!(parse_date("from", Some("")).unwrap(), None);
        assert!(parse_date("from", Some("2000-13-01")).is_err());
        assert!(parse_date("from", Some("yesterday")).is_err());
    }

    #[test]
    fn console_filters_are_checked() {
        let f = ConsoleFilter::parse(
            &RawConsoleFilter { seller: Some("42"), min: Some("1.50"), max: Some("10"), ..Default::default() },
            Currency::Usd,
        )
        .unwrap();
        assert_eq!((f.seller_id, f.min_minor, f.max_minor), (Some(42), Some(150), Some(1000)));
        let bad = ConsoleFilter::parse(
            &RawConsoleFilter { min: Some("10"), max: Some("1"), ..Default::default() },
            Currency::Usd,
        );
        assert_eq!(bad.unwrap_err().field(), Some("max"));
        let bad = ConsoleFilter::parse(&RawConsoleFilter { status: Some("lost"), ..Default::default() }, Currency::Usd);
        assert_eq!(bad.unwrap_err().field(), Some("status"));
        let bad = ConsoleFilter::parse(
            &RawConsoleFilter { from: Some("2025-02-02"), to: Some("2025-01-01"), ..Default::default() },
            Currency::Usd,
        );
        assert_eq!(bad.unwrap_err().field(), Some("to"));
    }

    #[test]
    fn seller_cursors_round_trip_or_restart() {
        assert_eq!(parse_seller_cursor(Some("1:15000000001")), Some((1, 15_000_000_001)));
        assert_eq!(parse_seller_cursor(Some("2:5")), None);
        assert_eq!(parse_seller_cursor(Some("junk")), None);
    }

    #[test]
    fn carriers_read_as_a_key_or_a_name() {
        assert_eq!(carrier_label("sf"), (Some("orders.carrier.sf".into()), None));
        assert_eq!(carrier_label("other:City"), (None, Some("City".into())));
    }
}
