//! Refunds (DESIGN.md, seeds 001 and 002): the request a buyer makes, the seller's answer, and the
//! money a refund moves. Storage is `refunds::service`; the ledger posting is built here so the
//! arithmetic is tested without a database.
//!
//! Rounding (documented, deterministic): the commission reversed by a refund is proportional to the
//! amount refunded, computed on the cumulative refunded amount and rounded half up to the minor unit:
//! `reversed_after = round_half_up(commission * refunded_after / total)`, and this refund reverses
//! `reversed_after - reversed_before`. Several partial refunds therefore reverse exactly the frozen
//! commission once the whole order is refunded, and never more.

use super::ledger::{Account, Posting, PostingError};
use super::money::Currency;
use super::order::{OrderAction, OrderStatus};
use serde::{Deserialize, Serialize};

/// Why the buyer asks. The text of each is `refunds.reason.<code>`.
pub const REASONS: [&str; 6] = ["not_received", "damaged", "not_as_described", "wrong_item", "changed_mind", "other"];

pub const DETAILS_MAX_CHARS: usize = 2_000;
pub const DETAILS_MIN_CHARS: usize = 10;
pub const RESPONSE_MAX_CHARS: usize = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RefundStatus {
    /// Waiting for the seller's answer until `respond_by`.
    Requested,
    /// Accepted by the seller and paid back (the posting is made in the same transaction).
    Refunded,
    /// The seller refused with a reason; the buyer may open a dispute.
    Refused,
    /// Became a dispute (the buyer escalated a refusal, or the seller never answered).
    Escalated,
    /// The buyer withdrew it before the seller answered.
    Withdrawn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RefundAction {
    Accept,
    Refuse,
    Escalate,
    Withdraw,
}

impl RefundStatus {
    pub const ALL: [RefundStatus; 5] = [
        RefundStatus::Requested,
        RefundStatus::Refunded,
        RefundStatus::Refused,
        RefundStatus::Escalated,
        RefundStatus::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RefundStatus::Requested => "requested",
            RefundStatus::Refunded => "refunded",
            RefundStatus::Refused => "refused",
            RefundStatus::Escalated => "escalated",
            RefundStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<RefundStatus> {
        RefundStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Still waiting for someone: blocks a second request on the same order.
    pub fn is_open(self) -> bool {
        self == RefundStatus::Requested
    }

    pub fn apply(self, action: RefundAction) -> Result<RefundStatus, &'static str> {
        use RefundAction as A;
        use RefundStatus as S;
        match (self, action) {
            (S::Requested, A::Accept) => Ok(S::Refunded),
            (S::Requested, A::Refuse) => Ok(S::Refused),
            (S::Requested | S::Refused, A::Escalate) => Ok(S::Escalated),
            (S::Requested, A::Withdraw) => Ok(S::Withdrawn),
            (S::Refunded, _) => Err("refunds.already_refunded"),
            (S::Escalated, _) => Err("refunds.already_escalated"),
            _ => Err("refunds.already_answered"),
        }
    }
}

/// A refund request after parsing: amount within what is left to refund, a known reason, details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest {
    pub amount_minor: i64,
    pub reason_code: String,
    pub details: String,
}

/// Validates a request against the order: the amount (parsed to minor units by `Money::parse` at
/// the edge) must be positive and at most `refundable_minor`. Errors are `(field, message code)`.
pub fn parse_request(
    amount: i64,
    refundable_minor: i64,
    reason_code: &str,
    details: &str,
) -> Result<RefundRequest, (&'static str, &'static str)> {
    if amount <= 0 {
        return Err(("amount", "refunds.amount_positive"));
    }
    if amount > refundable_minor {
        return Err(("amount", "refunds.amount_too_large"));
    }
    let reason = reason_code.trim();
    if !REASONS.contains(&reason) {
        return Err(("reason_code", "field.choose"));
    }
    let details = details.trim();
    let n = details.chars().count();
    if n < DETAILS_MIN_CHARS {
        return Err(("details", "refunds.details_short"));
    }
    if n > DETAILS_MAX_CHARS {
        return Err(("details", "field.too_long"));
    }
    Ok(RefundRequest { amount_minor: amount, reason_code: reason.to_string(), details: details.to_string() })
}

/// `round_half_up(a * b / c)` for non-negative `a`, `b` and positive `c`, without overflow.
fn mul_div_half_up(a: i64, b: i64, c: i64) -> i64 {
    let (a, b, c) = (a as i128, b as i128, c as i128);
    ((2 * a * b + c) / (2 * c)) as i64
}

/// The commission a refund of `amount` reverses, given the order's `total`, its frozen `commission`
/// and what was refunded (`refunded_before`) and reversed (`reversed_before`) earlier. See the module
/// documentation for the rounding.
pub fn commission_reversal(
    total: i64,
    commission: i64,
    refunded_before: i64,
    reversed_before: i64,
    amount: i64,
) -> i64 {
    if total <= 0 {
        return 0;
    }
    let after = mul_div_half_up(commission, refunded_before + amount, total);
    (after - reversed_before).max(0)
}

/// Where the order's money is when the refund happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settlement {
    /// Not completed yet: the buyer's payment still sits in buyer clearing.
    InClearing,
    /// Completed, the seller's share still held (pending).
    Held,
    /// Completed and released: the seller's share is in its available balance.
    Released,
}

/// The order's money facts a refund needs, read under the order's lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderMoney {
    pub currency: Currency,
    pub seller: i64,
    pub status: OrderStatus,
    pub total_minor: i64,
    pub commission_minor: i64,
    pub refunded_minor: i64,
    pub refund_commission_minor: i64,
    pub settlement: Settlement,
}

impl OrderMoney {
    pub fn refundable_minor(&self) -> i64 {
        (self.total_minor - self.refunded_minor).max(0)
    }
}

/// What a refund does: its postings (in order), the commission it reverses, the order's action, and
/// the part the seller gives back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundPlan {
    pub amount_minor: i64,
    pub commission_reversed_minor: i64,
    pub seller_share_minor: i64,
    pub action: OrderAction,
    /// The refund itself (kind `refund`).
    pub refund: Posting,
    /// For a partial refund of an order not yet completed: the rest settles to the seller now, as an
    /// `order_completed` posting of the remainder (the partial refund closes the order).
    pub remainder: Option<Posting>,
    /// The seller account charged (pending or available), when the money had been split.
    pub seller_account: Option<Account>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundError {
    NotRefundable,
    AmountNotPositive,
    AmountTooLarge,
    Ledger(PostingError),
}

impl RefundError {
    pub fn code(self) -> &'static str {
        match self {
            RefundError::NotRefundable => "refunds.order_not_refundable",
            RefundError::AmountNotPositive => "refunds.amount_positive",
            RefundError::AmountTooLarge => "refunds.amount_too_large",
            RefundError::Ledger(e) => e.code(),
        }
    }
}

/// Plans a refund of `amount` on the order (an accepted request or a dispute decision).
pub fn plan(order: &OrderMoney, amount: i64) -> Result<RefundPlan, RefundError> {
    if !(order.status.refundable() || order.status == OrderStatus::InDispute) {
        return Err(RefundError::NotRefundable);
    }
    if amount <= 0 {
        return Err(RefundError::AmountNotPositive);
    }
    if amount > order.refundable_minor() {
        return Err(RefundError::AmountTooLarge);
    }
    let reversed = commission_reversal(
        order.total_minor,
        order.commission_minor,
        order.refunded_minor,
        order.refund_commission_minor,
        amount,
    );
    let full = amount == order.refundable_minor();
    let action = if full { OrderAction::Refund } else { OrderAction::PartiallyRefund };
    let (refund, remainder, seller_account) = match order.settlement {
        Settlement::InClearing => {
            let refund = Posting::refund_from_clearing(order.currency, amount).map_err(RefundError::Ledger)?;
            let remainder = if full {
                None
            } else {
                let rest = order.refundable_minor() - amount;
                let rest_commission = order.commission_minor - order.refund_commission_minor - reversed;
                Some(
                    Posting::order_completed(order.currency, order.seller, rest, rest_commission)
                        .map_err(RefundError::Ledger)?,
                )
            };
            (refund, remainder, None)
        }
        Settlement::Held | Settlement::Released => {
            let account = if order.settlement == Settlement::Held {
                Account::SellerPending(order.seller)
            } else {
                Account::SellerAvailable(order.seller)
            };
            let refund = Posting::refund_from_seller(order.currency, account.clone(), amount, reversed)
                .map_err(RefundError::Ledger)?;
            (refund, None, Some(account))
        }
    };
    let seller_share = if seller_account.is_some() { amount - reversed } else { 0 };
    Ok(RefundPlan {
        amount_minor: amount,
        commission_reversed_minor: reversed,
        seller_share_minor: seller_share,
        action,
        refund,
        remainder,
        seller_account,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use RefundAction as A;
    use RefundStatus as S;

    fn order(settlement: Settlement) -> OrderMoney {
        OrderMoney {
            currency: Currency::Usd,
            seller: 7,
            status: OrderStatus::Completed,
            total_minor: 10_000,
            commission_minor: 1_001,
            refunded_minor: 0,
            refund_commission_minor: 0,
            settlement,
        }
    }

    fn amount(p: &Posting, a: Account) -> i64 {
        p.entries.iter().filter(|e| e.account == a).map(|e| e.amount_minor).sum()
    }

    #[test]
    fn every_refund_transition_is_allowed_or_refused() {
        let allowed = [
            (S::Requested, A::Accept, S::Refunded),
            (S::Requested, A::Refuse, S::Refused),
            (S::Requested, A::Escalate, S::Escalated),
            (S::Refused, A::Escalate, S::Escalated),
            (S::Requested, A::Withdraw, S::Withdrawn),
        ];
        for from in RefundStatus::ALL {
            for action in [A::Accept, A::Refuse, A::Escalate, A::Withdraw] {
                let want = allowed.iter().find(|(f, a, _)| *f == from && *a == action).map(|t| t.2);
                match (from.apply(action), want) {
                    (Ok(to), Some(w)) => assert_eq!(to, w),
                    (Err(code), None) => assert!(code.starts_with("refunds."), "{code}"),
                    (got, want) => panic!("{from:?} {action:?}: got {got:?}, want {want:?}"),
                }
            }
        }
        assert_eq!(S::Refunded.apply(A::Accept), Err("refunds.already_refunded"));
        assert!(S::Requested.is_open() && !S::Refused.is_open());
        for s in RefundStatus::ALL {
            assert_eq!(RefundStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn requests_are_validated_field_by_field() {
        let ok = parse_request(500, 1_000, "damaged", "  The mug arrived broken.  ").unwrap();
        assert_eq!(ok.details, "The mug arrived broken.");
        assert_eq!(parse_request(0, 1_000, "damaged", "long enough text"), Err(("amount", "refunds.amount_positive")));
        assert_eq!(parse_request(-5, 1_000, "damaged", "long enough text"), Err(("amount", "refunds.amount_positive")));
        assert_eq!(
            parse_request(1_001, 1_000, "damaged", "long enough text"),
            Err(("amount", "refunds.amount_too_large"))
        );
        assert_eq!(parse_request(5, 1_000, "bored", "long enough text"), Err(("reason_code", "field.choose")));
        assert_eq!(parse_request(5, 1_000, "other", "short"), Err(("details", "refunds.details_short")));
        let long = "x".repeat(DETAILS_MAX_CHARS + 1);
        assert_eq!(parse_request(5, 1_000, "other", &long), Err(("details", "field.too_long")));
    }

    #[test]
    fn the_reversal_rounds_half_up_on_the_cumulative_amount() {
        // 1,001 commission on 10,000: a third refunded reverses 333.67 -> 334.
        assert_eq!(commission_reversal(10_000, 1_001, 0, 0, 3_333), 334);
        // Exactly half a minor unit rounds up: 1 * 5,000 / 10,000 = 0.5 -> 1.
        assert_eq!(commission_reversal(10_000, 1, 0, 0, 5_000), 1);
        assert_eq!(commission_reversal(10_000, 1, 5_000, 1, 5_000), 0);
        // Three partial refunds reverse exactly the whole commission.
        let mut refunded = 0;
        let mut reversed = 0;
        for part in [3_333, 3_333, 3_334] {
            reversed += commission_reversal(10_000, 1_001, refunded, reversed, part);
            refunded += part;
        }
        assert_eq!((refunded, reversed), (10_000, 1_001));
        assert_eq!(commission_reversal(0, 0, 0, 0, 0), 0);
    }

    #[test]
    fn a_refund_before_completion_comes_from_clearing_and_settles_the_rest() {
        let mut o = order(Settlement::InClearing);
        o.status = OrderStatus::Shipped;
        let full = plan(&o, 10_000).unwrap();
        assert_eq!(full.action, OrderAction::Refund);
        assert_eq!(amount(&full.refund, Account::BuyerClearing), 10_000);
        assert_eq!(amount(&full.refund, Account::PlatformBank), -10_000);
        assert!(full.remainder.is_none());
        assert_eq!(full.commission_reversed_minor, 1_001);

        let part = plan(&o, 2_500).unwrap();
        assert_eq!(part.action, OrderAction::PartiallyRefund);
        let rest = part.remainder.unwrap();
        // 2,500 refunded reverses round(250.25) = 250; the seller gets 7,500 - (1,001 - 250).
        assert_eq!(part.commission_reversed_minor, 250);
        assert_eq!(amount(&rest, Account::BuyerClearing), 7_500);
        assert_eq!(amount(&rest, Account::PlatformCommission), -751);
        assert_eq!(amount(&rest, Account::SellerPending(7)), -6_749);
        assert_eq!(part.seller_share_minor, 0);
    }

    #[test]
    fn a_refund_after_completion_comes_back_from_the_seller_and_the_commission() {
        let held = plan(&order(Settlement::Held), 4_000).unwrap();
        assert_eq!(held.seller_account, Some(Account::SellerPending(7)));
        assert_eq!(held.commission_reversed_minor, 400);
        assert_eq!(amount(&held.refund, Account::SellerPending(7)), 3_600);
        assert_eq!(amount(&held.refund, Account::PlatformCommission), 400);
        assert_eq!(held.seller_share_minor, 3_600);
        let released = plan(&order(Settlement::Released), 10_000).unwrap();
        assert_eq!(released.seller_account, Some(Account::SellerAvailable(7)));
        assert_eq!(amount(&released.refund, Account::SellerAvailable(7)), 8_999);
        assert_eq!(released.action, OrderAction::Refund);
    }

    #[test]
    fn more_than_what_is_left_or_an_unpaid_order_is_refused() {
        let mut o = order(Settlement::Released);
        o.refunded_minor = 9_000;
        o.refund_commission_minor = 901;
        o.status = OrderStatus::PartiallyRefunded;
        assert_eq!(plan(&o, 1_001), Err(RefundError::AmountTooLarge));
        let last = plan(&o, 1_000).unwrap();
        assert_eq!(last.commission_reversed_minor, 100);
        assert_eq!(last.action, OrderAction::Refund);
        assert_eq!(plan(&o, 0), Err(RefundError::AmountNotPositive));
        o.status = OrderStatus::PendingPayment;
        assert_eq!(plan(&o, 10), Err(RefundError::NotRefundable));
        o.status = OrderStatus::Refunded;
        assert_eq!(plan(&o, 10).unwrap_err().code(), "refunds.order_not_refundable");
    }
}
