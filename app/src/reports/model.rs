//! What the report pages show. Money is in minor units of `currency`; durations in milliseconds;
//! rates in basis points (`domain::analytics`).

use crate::domain::analytics::Spread;
use crate::domain::money::Currency;
use serde::{Deserialize, Serialize};

/// The period a report covers, as local dates (inclusive), for its heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Covered {
    pub from: String,
    pub to: String,
}

/// Revenue over one period. Gross is what buyers paid for orders paid in the period; refunds is
/// what the platform's bank paid back in the period (refunds and dispute decisions, from the
/// ledger); commission is the platform's commission recognised in the period (earned on completed
/// orders, less what refunds gave back, from the ledger).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Totals {
    pub orders: i64,
    pub gross_minor: i64,
    pub refunds_minor: i64,
    pub net_minor: i64,
    pub commission_minor: i64,
}

/// One line of a breakdown: a payment method, a category or a seller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    /// The method's code, the category's slug or the seller's id.
    pub key: String,
    pub name_en: String,
    pub name_zh: String,
    pub orders: i64,
    pub gross_minor: i64,
    /// Refunded so far on these orders (sellers only; zero elsewhere).
    pub refunded_minor: i64,
    /// Commission charged on these orders (sellers only; zero elsewhere).
    pub commission_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevenueReport {
    pub covered: Covered,
    pub previous: Covered,
    pub currency: Currency,
    pub current: Totals,
    pub before: Totals,
    pub by_method: Vec<Breakdown>,
    pub by_category: Vec<Breakdown>,
    pub by_seller: Vec<Breakdown>,
}

/// One seller's performance over orders paid in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerPerformance {
    pub seller_id: i64,
    pub name: String,
    pub orders: i64,
    pub gmv_minor: i64,
    pub refunded_orders: i64,
    pub disputed_orders: i64,
    pub refund_rate_bp: Option<i64>,
    pub dispute_rate_bp: Option<i64>,
    /// Paid to shipped, over the orders shipped.
    pub ship: Spread,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellersReport {
    pub covered: Covered,
    pub currency: Currency,
    pub sellers: Vec<SellerPerformance>,
}

/// How long the platform's own work took, over the work finished in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaReport {
    pub covered: Covered,
    /// Listing versions: submitted to decided.
    pub review: Spread,
    /// Disputes: opened to decided.
    pub dispute: Spread,
    /// Payouts paid: requested to paid.
    pub payout: Spread,
}

/// The most lines a breakdown or the seller table shows: the largest by gross first.
pub const TOP: i64 = 50;
