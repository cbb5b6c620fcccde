//! What the ledger controls and the per-seller reconciliation show (plain data, unit tested).

use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// Kinds of money events that must have a posting, each listed on the controls page when one has
/// none (`UnpostedCheck::kind`).
pub const UNPOSTED_KINDS: [&str; 5] =
    ["order_completed", "payment_received", "refund", "dispute_refund", "payout_paid"];

/// How many unposted items or negative balances the controls page lists per kind (the count is exact).
pub const LIST_LIMIT: i64 = 20;

/// The longest seller name search accepted.
pub const MAX_SEARCH_CHARS: usize = 100;

/// One record that moved money in the business tables but has no posting in the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnpostedItem {
    pub id: i64,
    /// Shown to the operator: an order number, a payment reference, a refund, dispute or payout id.
    pub label: String,
    /// Where the console shows it.
    pub href: String,
    pub amount_minor: i64,
    pub currency: String,
}

/// One check of unposted items: its kind, how many there are, the first few.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnpostedCheck {
    pub kind: String,
    pub count: i64,
    pub items: Vec<UnpostedItem>,
}

/// Why a held balance whose hold has ended is not released yet.
pub const RELEASE_REASONS: [&str; 3] = ["frozen", "in_dispute", "worker_behind"];

/// Completed orders past their settlement hold whose release is not posted, grouped by reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Releasable {
    pub reason: String,
    pub orders: i64,
    pub amount_minor: i64,
    /// The first few orders, oldest first: (order number, seller name, amount).
    pub examples: Vec<(String, String, i64)>,
}

/// A seller whose available balance is below zero (refunds it could not cover).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NegativeBalance {
    pub organisation_id: i64,
    pub name: String,
    /// Negative: what the seller owes the platform.
    pub available_minor: i64,
    pub negative_since: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlsReport {
    pub currency: String,
    pub unposted: Vec<UnpostedCheck>,
    pub releasable: Vec<Releasable>,
    /// The sum of every seller's available balance (owed to sellers, net of negative ones).
    pub total_available_minor: i64,
    /// Payout requests not yet paid or returned.
    pub total_in_transit_minor: i64,
    /// Sellers' earnings still held.
    pub total_pending_minor: i64,
    pub negative_count: i64,
    pub negative_total_minor: i64,
    pub negatives: Vec<NegativeBalance>,
    /// All balances per currency: must read zero.
    pub trial: Vec<(String, i64)>,
    /// `platform::ledger::check_invariants`: empty when the ledger is sound.
    pub problems: Vec<String>,
    pub checked_at_ms: i64,
}

impl ControlsReport {
    pub fn unposted_total(&self) -> i64 {
        self.unposted.iter().map(|u| u.count).sum()
    }

    pub fn trial_is_zero(&self) -> bool {
        self.trial.iter().all(|(_, t)| *t == 0)
    }

    /// Everything that should read zero does.
    pub fn healthy(&self) -> bool {
        self.unposted_total() == 0 && self.trial_is_zero() && self.problems.is_empty()
    }
}

/// One seller's money from the ledger entries, grouped by posting kind and account. Amounts are
/// positive as the seller sees them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconRow {
    pub organisation_id: i64,
    pub name: String,
    pub status: String,
    pub currency: String,
    /// Order completions credited to the seller (net of commission).
    pub earnings_minor: i64,
    /// Commission charged on the seller's completed orders.
    pub commission_minor: i64,
    /// The seller's share given back to buyers in refunds.
    pub refunds_minor: i64,
    /// Commission the platform gave back with those refunds.
    pub commission_reversed_minor: i64,
    /// Payouts transferred to the seller.
    pub payouts_paid_minor: i64,
    /// Postings of any other kind that touched the seller's accounts (should be zero).
    pub other_minor: i64,
    /// The stored balances of the seller's accounts.
    pub pending_minor: i64,
    pub available_minor: i64,
    pub in_transit_minor: i64,
}

impl ReconRow {
    /// pending + available + in transit: what the platform owes the seller.
    pub fn balance_minor(&self) -> i64 {
        self.pending_minor + self.available_minor + self.in_transit_minor
    }

    /// earnings - refunds - payouts paid (+ any other movement): what the entries say is owed.
    pub fn expected_minor(&self) -> i64 {
        self.earnings_minor - self.refunds_minor - self.payouts_paid_minor + self.other_minor
    }

    /// The check column: the entries and the balances agree, and nothing unexpected moved the
    /// seller's money.
    pub fn adds_up(&self) -> bool {
        self.other_minor == 0 && self.expected_minor() == self.balance_minor()
    }
}

/// The reconciliation's search: a seller name fragment, trimmed; empty means all.
pub fn parse_search(q: Option<&str>) -> Result<Option<String>, AppError> {
    match q.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if s.chars().count() > MAX_SEARCH_CHARS => Err(AppError::invalid("q", "controls.bad_search")),
        Some(s) => Ok(Some(s.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> ReconRow {
        ReconRow {
            earnings_minor: 9_000,
            commission_minor: 1_000,
            refunds_minor: 900,
            commission_reversed_minor: 100,
            payouts_paid_minor: 5_000,
            pending_minor: 0,
            available_minor: 1_100,
            in_transit_minor: 2_000,
            ..ReconRow::default()
        }
    }

    #[test]
    fn a_seller_adds_up_when_earnings_less_refunds_and_payouts_equal_its_balances() {
        assert_eq!(row().balance_minor(), 3_100);
        assert!(row().adds_up());
        assert!(!ReconRow { available_minor: 1_101, ..row() }.adds_up());
        // A negative available balance still adds up when the refund explains it.
        let negative = ReconRow { refunds_minor: 5_000, available_minor: -3_000, ..row() };
        assert!(negative.adds_up());
        // Money moved by a posting kind the reconciliation does not know is flagged.
        assert!(!ReconRow { other_minor: 10, available_minor: 1_110, ..row() }.adds_up());
    }

    #[test]
    fn controls_are_healthy_only_with_nothing_unposted_a_zero_trial_and_no_problems() {
        let c = ControlsReport {
            currency: "USD".into(),
            unposted: vec![UnpostedCheck { kind: "refund".into(), count: 0, items: vec![] }],
            releasable: vec![],
            total_available_minor: 0,
            total_in_transit_minor: 0,
            total_pending_minor: 0,
            negative_count: 0,
            negative_total_minor: 0,
            negatives: vec![],
            trial: vec![("USD".into(), 0)],
            problems: vec![],
            checked_at_ms: 0,
        };
        assert!(c.healthy());
        let unposted = vec![UnpostedCheck { kind: "refund".into(), count: 2, items: vec![] }];
        assert!(!ControlsReport { unposted, ..c.clone() }.healthy());
        assert!(!ControlsReport { trial: vec![("USD".into(), 1)], ..c.clone() }.healthy());
        assert!(!ControlsReport { problems: vec!["x".into()], ..c }.healthy());
    }

    #[test]
    fn the_search_is_trimmed_and_bounded() {
        assert_eq!(parse_search(None).unwrap(), None);
        assert_eq!(parse_search(Some("  ")).unwrap(), None);
        assert_eq!(parse_search(Some(" Kiln ")).unwrap().as_deref(), Some("Kiln"));
        assert_eq!(parse_search(Some(&"x".repeat(101))).unwrap_err().field(), Some("q"));
    }
}
