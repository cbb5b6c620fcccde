//! Deleting an account (seed 001, issue 14), without storage: when a request may be made, the life of a
//! request, and the restore window. A user asks; the request is refused, with every reason, while money
//! or a promise is still open between them and someone else; an operator approves or rejects it. An
//! approved account is deactivated at once and can be restored for `RESTORE_WINDOW_MS`; then the purge
//! removes or anonymizes its personal data, while orders, the ledger and the audit trail keep their
//! rows (they refer to the user by id only).

use super::address::Address;
use super::order::OrderStatus;
use serde::{Deserialize, Serialize};

/// How long an approved deletion can be undone (by an operator, at the owner's request).
pub const RESTORE_WINDOW_MS: i64 = 30 * 86_400_000;

/// The user's own words on why they leave: optional, short.
pub const REASON_MAX_CHARS: usize = 500;

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeletionStatus {
    /// Waiting for an operator.
    Requested,
    /// The user took it back before a decision.
    Withdrawn,
    Rejected,
    /// The account is deactivated; it can be restored until the purge.
    Approved,
    /// Undone within the window: the account is active again.
    Restored,
    /// The personal data is gone; nothing can be undone.
    Purged,
}

/// What can happen to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeletionAction {
    Withdraw,
    Approve,
    Reject,
    Restore,
    Purge,
}

impl DeletionStatus {
    pub const ALL: [DeletionStatus; 6] = [
        DeletionStatus::Requested,
        DeletionStatus::Withdrawn,
        DeletionStatus::Rejected,
        DeletionStatus::Approved,
        DeletionStatus::Restored,
        DeletionStatus::Purged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeletionStatus::Requested => "requested",
            DeletionStatus::Withdrawn => "withdrawn",
            DeletionStatus::Rejected => "rejected",
            DeletionStatus::Approved => "approved",
            DeletionStatus::Restored => "restored",
            DeletionStatus::Purged => "purged",
        }
    }

    pub fn parse(s: &str) -> Option<DeletionStatus> {
        DeletionStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            DeletionStatus::Requested => "deletion.status.requested",
            DeletionStatus::Withdrawn => "deletion.status.withdrawn",
            DeletionStatus::Rejected => "deletion.status.rejected",
            DeletionStatus::Approved => "deletion.status.approved",
            DeletionStatus::Restored => "deletion.status.restored",
            DeletionStatus::Purged => "deletion.status.purged",
        }
    }

    /// A request still in play: a second one cannot be made beside it.
    pub fn is_open(self) -> bool {
        matches!(self, DeletionStatus::Requested | DeletionStatus::Approved)
    }

    /// The next status, or the message key of why not (a decision taken twice, a restore after the
    /// purge).
    pub fn apply(self, action: DeletionAction) -> Result<DeletionStatus, &'static str> {
        use DeletionAction as A;
        use DeletionStatus as S;
        match (self, action) {
            (S::Requested, A::Withdraw) => Ok(S::Withdrawn),
            (S::Requested, A::Approve) => Ok(S::Approved),
            (S::Requested, A::Reject) => Ok(S::Rejected),
            (S::Approved, A::Restore) => Ok(S::Restored),
            (S::Approved, A::Purge) => Ok(S::Purged),
            (S::Purged, A::Restore) => Err("deletion.already_purged"),
            _ => Err("deletion.already_decided"),
        }
    }
}

/// When an account approved for deletion at `approved_at` is purged.
pub fn purge_at(approved_at: i64) -> i64 {
    approved_at + RESTORE_WINDOW_MS
}

/// Orders still on their way: unpaid, paid, shipped or in dispute. (Completed, cancelled and refunded
/// orders are done; a partially refunded one has no further step.)
pub const OPEN_ORDER_STATUSES: [OrderStatus; 4] =
    [OrderStatus::PendingPayment, OrderStatus::Paid, OrderStatus::Shipped, OrderStatus::InDispute];

/// What still ties the account to others; counted by the service, judged here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ties {
    /// The user's orders as a buyer that are not final (unpaid, paid, shipped, in dispute).
    pub open_orders: i64,
    /// Refund requests waiting for a seller, as buyer or as seller.
    pub open_refunds: i64,
    /// Disputes not decided yet, as buyer or as seller.
    pub open_disputes: i64,
    /// An organisation the user owns owes the platform (its available balance went below zero).
    pub negative_balance: bool,
    /// Payouts of the user's organisations requested or approved and not paid yet.
    pub payouts_in_transit: i64,
}

/// One reason a request is refused, with how many things are open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Blocker {
    OpenOrders(i64),
    OpenRefunds(i64),
    OpenDisputes(i64),
    NegativeBalance,
    PayoutsInTransit(i64),
}

impl Blocker {
    /// The message key; `{count}` in it is `count()`.
    pub fn code(self) -> &'static str {
        match self {
            Blocker::OpenOrders(_) => "deletion.blocked.open_orders",
            Blocker::OpenRefunds(_) => "deletion.blocked.open_refunds",
            Blocker::OpenDisputes(_) => "deletion.blocked.open_disputes",
            Blocker::NegativeBalance => "deletion.blocked.negative_balance",
            Blocker::PayoutsInTransit(_) => "deletion.blocked.payouts_in_transit",
        }
    }

    pub fn count(self) -> i64 {
        match self {
            Blocker::OpenOrders(n)
            | Blocker::OpenRefunds(n)
            | Blocker::OpenDisputes(n)
            | Blocker::PayoutsInTransit(n) => n,
            Blocker::NegativeBalance => 1,
        }
    }
}

impl Ties {
    /// Every reason the account cannot be deleted now, in the order the user reads them; empty when
    /// it can.
    pub fn blockers(&self) -> Vec<Blocker> {
        let counted = [
            (self.open_orders, Blocker::OpenOrders(self.open_orders)),
            (self.open_refunds, Blocker::OpenRefunds(self.open_refunds)),
            (self.open_disputes, Blocker::OpenDisputes(self.open_disputes)),
            (self.negative_balance as i64, Blocker::NegativeBalance),
            (self.payouts_in_transit, Blocker::PayoutsInTransit(self.payouts_in_transit)),
        ];
        counted.into_iter().filter(|(n, _)| *n > 0).map(|(_, b)| b).collect()
    }
}

/// The user's reason, trimmed; too long is refused (an empty one is fine: nobody owes a reason).
pub fn parse_reason(input: &str) -> Result<String, &'static str> {
    let reason = input.trim();
    if reason.chars().count() > REASON_MAX_CHARS {
        return Err("deletion.reason_too_long");
    }
    if reason.chars().any(|c| c.is_control() && c != '\n') {
        return Err("deletion.reason_invalid");
    }
    Ok(reason.to_string())
}

/// What the purge leaves in place of the email: unique per user, and not an address anyone can own
/// (`.invalid` is reserved by RFC 2606), so no mail can reach it and nobody can sign up as it.
pub fn anonymized_email(user_id: i64) -> String {
    format!("deleted-{user_id}@deleted.invalid")
}

/// An order's delivery address after the purge: who and where exactly are gone; the city, region and
/// country stay (the order's tax and shipping figures were computed from them).
pub fn anonymized_address(address: Address) -> Address {
    Address {
        recipient: String::new(),
        phone: String::new(),
        line1: String::new(),
        line2: String::new(),
        postal_code: String::new(),
        ..address
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_with_nothing_open_has_no_blockers() {
        assert!(Ties::default().blockers().is_empty());
    }

    #[test]
    fn every_open_tie_is_a_reason_with_its_count() {
        let ties =
            Ties { open_orders: 2, open_refunds: 1, open_disputes: 1, negative_balance: true, payouts_in_transit: 3 };
        assert_eq!(
            ties.blockers(),
            vec![
                Blocker::OpenOrders(2),
                Blocker::OpenRefunds(1),
                Blocker::OpenDisputes(1),
                Blocker::NegativeBalance,
                Blocker::PayoutsInTransit(3),
            ]
        );
        assert_eq!(Ties { payouts_in_transit: 1, ..Ties::default() }.blockers(), vec![Blocker::PayoutsInTransit(1)]);
        assert_eq!(Blocker::OpenOrders(2).count(), 2);
        assert_eq!(Blocker::NegativeBalance.code(), "deletion.blocked.negative_balance");
    }

    #[test]
    fn a_request_is_decided_once_and_restored_only_before_the_purge() {
        use DeletionAction as A;
        use DeletionStatus as S;
        assert_eq!(S::Requested.apply(A::Approve), Ok(S::Approved));
        assert_eq!(S::Requested.apply(A::Reject), Ok(S::Rejected));
        assert_eq!(S::Requested.apply(A::Withdraw), Ok(S::Withdrawn));
        assert_eq!(S::Approved.apply(A::Restore), Ok(S::Restored));
        assert_eq!(S::Approved.apply(A::Purge), Ok(S::Purged));
        assert_eq!(S::Approved.apply(A::Approve), Err("deletion.already_decided"));
        assert_eq!(S::Rejected.apply(A::Approve), Err("deletion.already_decided"));
        assert_eq!(S::Restored.apply(A::Purge), Err("deletion.already_decided"));
        assert_eq!(S::Approved.apply(A::Withdraw), Err("deletion.already_decided"));
        assert_eq!(S::Purged.apply(A::Restore), Err("deletion.already_purged"));
        assert!(S::Requested.is_open() && S::Approved.is_open());
        assert!(!S::Rejected.is_open() && !S::Restored.is_open() && !S::Purged.is_open() && !S::Withdrawn.is_open());
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn the_restore_window_is_thirty_days() {
        assert_eq!(purge_at(1_000), 1_000 + 30 * 86_400_000);
    }

    #[test]
    fn the_reason_is_optional_short_and_plain() {
        assert_eq!(parse_reason("  moving away \n"), Ok("moving away".to_string()));
        assert_eq!(parse_reason(""), Ok(String::new()));
        assert_eq!(parse_reason(&"x".repeat(REASON_MAX_CHARS + 1)), Err("deletion.reason_too_long"));
        assert_eq!(parse_reason("a\u{0}b"), Err("deletion.reason_invalid"));
        assert_eq!(anonymized_email(42), "deleted-42@deleted.invalid");
    }

    #[test]
    fn the_purged_address_keeps_only_the_area() {
        let a = Address {
            recipient: "Ada".into(),
            phone: "+8613800138000".into(),
            line1: "1 Tea Road".into(),
            line2: "Flat 2".into(),
            city: "Hangzhou".into(),
            region: "Zhejiang".into(),
            postal_code: "310000".into(),
            country: "CN".into(),
        };
        let b = anonymized_address(a);
        assert_eq!(
            (b.recipient.as_str(), b.phone.as_str(), b.line1.as_str(), b.postal_code.as_str()),
            ("", "", "", "")
        );
        assert_eq!((b.city.as_str(), b.region.as_str(), b.country.as_str()), ("Hangzhou", "Zhejiang", "CN"));
    }
}
