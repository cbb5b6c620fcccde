//! What the seller's balance page shows. Amounts are from the seller's side: the ledger stores what
//! the platform owes a seller as credits (negative), the page shows them as positive.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceSummary {
    pub organisation_name: String,
    pub currency: String,
    pub pending_minor: i64,
    pub available_minor: i64,
    /// How long completed orders' earnings stay pending.
    pub hold_days: i64,
}

/// One movement on the seller's accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerEntry {
    pub id: i64,
    pub at_ms: i64,
    /// The posting's kind: order_completed, hold_released, ...
    pub kind: String,
    /// `pending` or `available`.
    pub account: String,
    pub currency: String,
    /// Positive: the seller's balance grew.
    pub amount_minor: i64,
    pub order_number: Option<String>,
}

/// The seller's view of a ledger amount on one of its (liability) accounts.
pub fn seller_side(amount_minor: i64) -> i64 {
    -amount_minor
}

/// `seller:<org>:pending` -> `pending`.
pub fn account_part(code: &str) -> String {
    code.rsplit(':').next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credits_read_as_earnings() {
        assert_eq!(seller_side(-8_950), 8_950);
        assert_eq!(seller_side(8_950), -8_950);
        assert_eq!(account_part("seller:7:available"), "available");
    }
}
