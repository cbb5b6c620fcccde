//! The double-entry ledger's rules, without storage: account names, the postings each money event
//! makes, and the invariant that every posting sums to zero per currency. Entries are signed: debits
//! positive, credits negative. Storage (append-only rows, balances) is `ledger::service`.
//!
//! Accounts (one per currency):
//!   platform:bank             asset: money received in the platform's bank account
//!   buyer:clearing            liability: buyers' payments for orders not yet completed
//!   platform:commission       revenue
//!   seller:<org>:pending      liability: a seller's earnings on completed orders, held
//!   seller:<org>:available    liability: what a seller may withdraw (negative after a refund the
//!                             seller's balance could not cover; later earnings net it off first)
//!   seller:<org>:in_transit   liability: payouts requested and not yet paid or returned
//!
//! Money events (issue 4): payment received (bank +, clearing -); order completed (clearing + total,
//! seller pending - net, commission - commission); hold released (pending +, available -). An order
//! cancelled before payment posts nothing.
//!
//! Issue 5: a refund before the order's money was split comes out of buyer clearing; after, it comes
//! back from the seller (pending while held, else available) and the platform's commission, in the
//! proportion `domain::refund` computes. Payouts move available -> in transit -> out of the bank, or
//! back to available when rejected or failed.

use super::money::Currency;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Account {
    PlatformBank,
    BuyerClearing,
    PlatformCommission,
    SellerPending(i64),
    SellerAvailable(i64),
    SellerInTransit(i64),
}

impl Account {
    pub fn code(&self) -> String {
        match self {
            Account::PlatformBank => "platform:bank".into(),
            Account::BuyerClearing => "buyer:clearing".into(),
            Account::PlatformCommission => "platform:commission".into(),
            Account::SellerPending(org) => format!("seller:{org}:pending"),
            Account::SellerAvailable(org) => format!("seller:{org}:available"),
            Account::SellerInTransit(org) => format!("seller:{org}:in_transit"),
        }
    }

    pub fn parse(code: &str) -> Option<Account> {
        match code {
            "platform:bank" => return Some(Account::PlatformBank),
            "buyer:clearing" => return Some(Account::BuyerClearing),
            "platform:commission" => return Some(Account::PlatformCommission),
            _ => {}
        }
        let rest = code.strip_prefix("seller:")?;
        let (org, kind) = rest.split_once(':')?;
        let org: i64 = org.parse().ok()?;
        match kind {
            "pending" => Some(Account::SellerPending(org)),
            "available" => Some(Account::SellerAvailable(org)),
            "in_transit" => Some(Account::SellerInTransit(org)),
            _ => None,
        }
    }

    /// asset, liability or revenue: how the console groups balances.
    pub fn kind(&self) -> &'static str {
        match self {
            Account::PlatformBank => "asset",
            Account::PlatformCommission => "revenue",
            _ => "liability",
        }
    }

    pub fn organisation(&self) -> Option<i64> {
        match self {
            Account::SellerPending(o) | Account::SellerAvailable(o) | Account::SellerInTransit(o) => Some(*o),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub account: Account,
    pub amount_minor: i64,
}

/// A balanced set of entries in one currency, with what it records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    pub kind: String,
    pub currency: Currency,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostingError {
    Unbalanced,
    Empty,
    NegativeAmount,
}

impl PostingError {
    pub fn code(self) -> &'static str {
        match self {
            PostingError::Unbalanced => "ledger.unbalanced",
            PostingError::Empty => "ledger.empty",
            PostingError::NegativeAmount => "ledger.negative_amount",
        }
    }
}

impl Posting {
    /// Builds a posting, refusing one that does not sum to zero. Zero entries are dropped.
    pub fn new(kind: &str, currency: Currency, entries: Vec<(Account, i64)>) -> Result<Posting, PostingError> {
        let entries: Vec<Entry> = entries
            .into_iter()
            .filter(|(_, a)| *a != 0)
            .map(|(account, amount_minor)| Entry { account, amount_minor })
            .collect();
        if entries.is_empty() {
            return Err(PostingError::Empty);
        }
        let sum: i128 = entries.iter().map(|e| e.amount_minor as i128).sum();
        if sum != 0 {
            return Err(PostingError::Unbalanced);
        }
        Ok(Posting { kind: kind.to_string(), currency, entries })
    }

    /// A buyer's payment arrived in the platform's account.
    pub fn payment_received(currency: Currency, amount: i64) -> Result<Posting, PostingError> {
        if amount < 0 {
            return Err(PostingError::NegativeAmount);
        }
        Posting::new(
            "payment_received",
            currency,
            vec![(Account::PlatformBank, amount), (Account::BuyerClearing, -amount)],
        )
    }

    /// An order completed: its total leaves clearing; the seller earns total - commission (pending
    /// for the hold), the platform earns the commission.
    pub fn order_completed(
        currency: Currency,
        seller: i64,
        total: i64,
        commission: i64,
    ) -> Result<Posting, PostingError> {
        if total < 0 || commission < 0 || commission > total {
            return Err(PostingError::NegativeAmount);
        }
        Posting::new(
            "order_completed",
            currency,
            vec![
                (Account::BuyerClearing, total),
                (Account::SellerPending(seller), -(total - commission)),
                (Account::PlatformCommission, -commission),
            ],
        )
    }

    /// The hold after completion ended: the seller's pending earnings become available.
    pub fn hold_released(currency: Currency, seller: i64, amount: i64) -> Result<Posting, PostingError> {
        if amount < 0 {
            return Err(PostingError::NegativeAmount);
        }
        Posting::new(
            "hold_released",
            currency,
            vec![(Account::SellerPending(seller), amount), (Account::SellerAvailable(seller), -amount)],
        )
    }
}

impl Posting {
    /// A refund paid out of buyer clearing: the order's money had not been split yet.
    pub fn refund_from_clearing(currency: Currency, amount: i64) -> Result<Posting, PostingError> {
        if amount <= 0 {
            return Err(PostingError::NegativeAmount);
        }
        Posting::new("refund", currency, vec![(Account::BuyerClearing, amount), (Account::PlatformBank, -amount)])
    }

    /// A refund of an order already split: the seller gives back `amount - commission_reversed` from
    /// `seller_account` (its pending or available balance, which may go negative), the platform its
    /// commission on the refunded part.
    pub fn refund_from_seller(
        currency: Currency,
        seller_account: Account,
        amount: i64,
        commission_reversed: i64,
    ) -> Result<Posting, PostingError> {
        if amount <= 0 || commission_reversed < 0 || commission_reversed > amount {
            return Err(PostingError::NegativeAmount);
        }
        Posting::new(
            "refund",
            currency,
            vec![
                (seller_account, amount - commission_reversed),
                (Account::PlatformCommission, commission_reversed),
                (Account::PlatformBank, -amount),
            ],
        )
    }

    /// A payout request: the amount leaves the seller's available balance for "in transit".
    pub fn payout_requested(currency: Currency, seller: i64, amount: i64) -> Result<Posting, PostingError> {
        if amount <= 0 {
            return Err(PostingError::NegativeAmount);
        }
        Posting::new(
            "payout_requested",
            currency,
            vec![(Account::SellerAvailable(seller), amount), (Account::SellerInTransit(seller), -amount)],
        )
    }

    /// Finance transferred the payout: it leaves the platform's bank account.
    pub fn payout_paid(currency: Currency, seller: i64, amount: i64) -> Result<Posting, PostingError> {
        if amount <= 0 {
            return Err(PostingError::NegativeAmount);
        }
        Posting::new(
            "payout_paid",
            currency,
            vec![(Account::SellerInTransit(seller), amount), (Account::PlatformBank, -amount)],
        )
    }

    /// A payout rejected or failed: the money returns to the seller's available balance.
    pub fn payout_returned(currency: Currency, seller: i64, amount: i64) -> Result<Posting, PostingError> {
        if amount <= 0 {
            return Err(PostingError::NegativeAmount);
        }
        Posting::new(
            "payout_returned",
            currency,
            vec![(Account::SellerInTransit(seller), amount), (Account::SellerAvailable(seller), -amount)],
        )
    }
}

/// The trial balance: the sum of all balances per currency, which must be zero.
pub fn trial_balance(balances: &[(Currency, i64)]) -> Vec<(Currency, i64)> {
    let mut out: Vec<(Currency, i64)> = vec![];
    for (c, b) in balances {
        match out.iter_mut().find(|(x, _)| x == c) {
            Some((_, sum)) => *sum += b,
            None => out.push((*c, *b)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    const USD: Currency = Currency::Usd;

    #[test]
    fn an_unbalanced_posting_is_refused() {
        assert_eq!(
            Posting::new("x", USD, vec![(Account::PlatformBank, 10), (Account::BuyerClearing, -9)]),
            Err(PostingError::Unbalanced)
        );
        assert_eq!(Posting::new("x", USD, vec![(Account::PlatformBank, 0)]), Err(PostingError::Empty));
    }

    #[test]
    fn money_events_balance() {
        for p in [
            Posting::payment_received(USD, 12_345).unwrap(),
            Posting::order_completed(USD, 7, 10_000, 1_050).unwrap(),
            Posting::hold_released(USD, 7, 8_950).unwrap(),
        ] {
            assert_eq!(p.entries.iter().map(|e| e.amount_minor).sum::<i64>(), 0, "{p:?}");
        }
    }

    #[test]
    fn a_completed_order_splits_between_seller_and_platform() {
        let p = Posting::order_completed(USD, 7, 10_000, 1_050).unwrap();
        let amount = |a: Account| p.entries.iter().find(|e| e.account == a).map(|e| e.amount_minor);
        assert_eq!(amount(Account::SellerPending(7)), Some(-8_950));
        assert_eq!(amount(Account::PlatformCommission), Some(-1_050));
        assert_eq!(amount(Account::BuyerClearing), Some(10_000));
        // A zero commission leaves no zero entry behind.
        assert_eq!(Posting::order_completed(USD, 7, 500, 0).unwrap().entries.len(), 2);
        assert_eq!(Posting::order_completed(USD, 7, 500, 600), Err(PostingError::NegativeAmount));
    }

    #[test]
    fn account_codes_round_trip() {
        for a in [
            Account::PlatformBank,
            Account::BuyerClearing,
            Account::PlatformCommission,
            Account::SellerPending(42),
            Account::SellerAvailable(42),
            Account::SellerInTransit(42),
        ] {
            assert_eq!(Account::parse(&a.code()), Some(a));
        }
        assert_eq!(Account::parse("seller:x:pending"), None);
    }

    #[test]
    fn refunds_and_payouts_balance() {
        let from_seller = Posting::refund_from_seller(USD, Account::SellerAvailable(7), 1_000, 100).unwrap();
        let amount = |p: &Posting, a: Account| p.entries.iter().find(|e| e.account == a).map(|e| e.amount_minor);
        assert_eq!(amount(&from_seller, Account::SellerAvailable(7)), Some(900));
        assert_eq!(amount(&from_seller, Account::PlatformCommission), Some(100));
        assert_eq!(amount(&from_seller, Account::PlatformBank), Some(-1_000));
        for p in [
            Posting::refund_from_clearing(USD, 500).unwrap(),
            from_seller,
            Posting::payout_requested(USD, 7, 2_000).unwrap(),
            Posting::payout_paid(USD, 7, 2_000).unwrap(),
            Posting::payout_returned(USD, 7, 2_000).unwrap(),
        ] {
            assert_eq!(p.entries.iter().map(|e| e.amount_minor).sum::<i64>(), 0, "{p:?}");
        }
        assert_eq!(Posting::refund_from_clearing(USD, 0), Err(PostingError::NegativeAmount));
        assert_eq!(
            Posting::refund_from_seller(USD, Account::SellerPending(7), 100, 101),
            Err(PostingError::NegativeAmount)
        );
        assert_eq!(Posting::payout_requested(USD, 7, -1), Err(PostingError::NegativeAmount));
    }

    #[test]
    fn the_whole_flow_nets_to_zero() {
        let postings = [
            Posting::payment_received(USD, 10_000).unwrap(),
            Posting::order_completed(USD, 7, 10_000, 1_000).unwrap(),
            Posting::hold_released(USD, 7, 9_000).unwrap(),
        ];
        let balances: Vec<(Currency, i64)> =
            postings.iter().flat_map(|p| p.entries.iter().map(|e| (USD, e.amount_minor))).collect();
        assert_eq!(trial_balance(&balances), vec![(USD, 0)]);
    }
}
