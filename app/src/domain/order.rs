//! Orders: the state machine of DESIGN.md (seed 001) and its timers. One checkout splits into one
//! order per seller, paid together. Unpaid orders cancel after 30 minutes; paid orders not shipped in
//! 3 days are flagged overdue; shipped orders complete 7 days after shipping unless the buyer confirms
//! earlier or opens a dispute.

use super::payment::PaymentStatus;
use serde::{Deserialize, Serialize};

pub const PAY_WITHIN_MS: i64 = 30 * 60_000;
pub const SHIP_WITHIN_MS: i64 = 3 * 86_400_000;
pub const AUTO_COMPLETE_AFTER_MS: i64 = 7 * 86_400_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderStatus {
    PendingPayment,
    Paid,
    Shipped,
    Completed,
    Cancelled,
    InDispute,
    Refunded,
    PartiallyRefunded,
}

use OrderStatus as S;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderAction {
    /// The checkout's payment was confirmed.
    Pay,
    /// The buyer cancels before paying, or the 30-minute timer does.
    Cancel,
    Ship,
    /// The buyer confirms receipt.
    Confirm,
    /// The 7-day timer after shipping.
    AutoComplete,
    OpenDispute,
    /// A dispute or refund decision (issue 5).
    Refund,
    PartiallyRefund,
    /// A dispute closed in the seller's favour.
    CloseDispute,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderTransitionError {
    pub from: OrderStatus,
    pub action: OrderAction,
}

impl OrderTransitionError {
    pub fn code(self) -> &'static str {
        match (self.from, self.action) {
            (OrderStatus::Paid | OrderStatus::Shipped | OrderStatus::Completed, OrderAction::Pay) => {
                "orders.already_paid"
            }
            (OrderStatus::PendingPayment, OrderAction::Ship) => "orders.not_paid",
            (OrderStatus::Cancelled, _) => "orders.cancelled",
            _ => "orders.transition_refused",
        }
    }
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 8] = [
        OrderStatus::PendingPayment,
        OrderStatus::Paid,
        OrderStatus::Shipped,
        OrderStatus::Completed,
        OrderStatus::Cancelled,
        OrderStatus::InDispute,
        OrderStatus::Refunded,
        OrderStatus::PartiallyRefunded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::PendingPayment => "pending_payment",
            OrderStatus::Paid => "paid",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Completed => "completed",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::InDispute => "in_dispute",
            OrderStatus::Refunded => "refunded",
            OrderStatus::PartiallyRefunded => "partially_refunded",
        }
    }

    pub fn parse(s: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// No further transition except through issue 5's refund flow.
    pub fn is_final(self) -> bool {
        matches!(self, OrderStatus::Completed | OrderStatus::Cancelled | OrderStatus::Refunded)
    }

    pub fn apply(self, action: OrderAction) -> Result<OrderStatus, OrderTransitionError> {
        use OrderAction as A;
        let to = match (self, action) {
            (S::PendingPayment, A::Pay) => S::Paid,
            (S::PendingPayment, A::Cancel) => S::Cancelled,
            (S::Paid, A::Ship) => S::Shipped,
            (S::Shipped, A::Confirm | A::AutoComplete) => S::Completed,
            (S::Paid | S::Shipped | S::Completed | S::PartiallyRefunded, A::OpenDispute) => S::InDispute,
            // A refund the seller accepted or an operator decided (issue 5). A partial refund settles
            // the order: what is left goes to the seller as if completed.
            (S::Paid | S::Shipped | S::Completed | S::PartiallyRefunded | S::InDispute, A::Refund) => S::Refunded,
            (S::Paid | S::Shipped | S::Completed | S::PartiallyRefunded | S::InDispute, A::PartiallyRefund) => {
                S::PartiallyRefunded
            }
            // Closing a dispute for the seller returns to where the dispute interrupted: `close_dispute`.
            _ => return Err(OrderTransitionError { from: self, action }),
        };
        Ok(to)
    }

    /// A dispute decided for the seller: the order goes back to the status it had when the dispute
    /// opened (`before`), and its timers resume from there.
    pub fn close_dispute(self, before: OrderStatus) -> Result<OrderStatus, OrderTransitionError> {
        match (self, before) {
            (S::InDispute, S::Paid | S::Shipped | S::Completed | S::PartiallyRefunded) => Ok(before),
            _ => Err(OrderTransitionError { from: self, action: OrderAction::CloseDispute }),
        }
    }

    /// A buyer may ask for a refund (or open a dispute) on a paid, shipped or completed order, and on
    /// one partly refunded already.
    pub fn refundable(self) -> bool {
        matches!(self, S::Paid | S::Shipped | S::Completed | S::PartiallyRefunded)
    }
}

impl OrderAction {
    pub const ALL: [OrderAction; 9] = [
        OrderAction::Pay,
        OrderAction::Cancel,
        OrderAction::Ship,
        OrderAction::Confirm,
        OrderAction::AutoComplete,
        OrderAction::OpenDispute,
        OrderAction::Refund,
        OrderAction::PartiallyRefund,
        OrderAction::CloseDispute,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderAction::Pay => "pay",
            OrderAction::Cancel => "cancel",
            OrderAction::Ship => "ship",
            OrderAction::Confirm => "confirm",
            OrderAction::AutoComplete => "auto_complete",
            OrderAction::OpenDispute => "open_dispute",
            OrderAction::Refund => "refund",
            OrderAction::PartiallyRefund => "partially_refund",
            OrderAction::CloseDispute => "close_dispute",
        }
    }
}

/// Human-readable, unique order numbers: `AG` + the UTC date + the checkout id's last 8 digits + the
/// order's place among that checkout's orders (1 for the first seller), e.g. `AG-20261122-00000123-2`.
/// The checkout id and the place make it unique; the date makes it readable on the phone; orders
/// paid together share all but the last part, as a buyer sees them on the payment page. It is known
/// before the order is written, so checkout stores it in the INSERT (no second statement for it).
pub fn order_number(checkout_id: i64, place: usize, created_at_ms: i64) -> String {
    let days = created_at_ms.div_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    format!("AG-{y:04}{m:02}{d:02}-{:08}-{place}", checkout_id.rem_euclid(100_000_000))
}

/// Days since 1970-01-01 to a (year, month, day) in the proleptic Gregorian calendar (H. Hinnant).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Carriers a seller can ship with; "other" takes a free-text name.
pub const CARRIERS: [&str; 13] =
    ["sf", "yto", "zto", "sto", "yunda", "ems", "jd", "deppon", "dhl", "fedex", "ups", "usps", "other"];

/// Validates a shipment: a known carrier (or "other" with a name) and a tracking number of 4-40
/// letters, digits and dashes.
pub fn parse_shipment(
    carrier: &str,
    other_name: &str,
    tracking: &str,
) -> Result<(String, String), (&'static str, &'static str)> {
    let carrier = carrier.trim();
    if !CARRIERS.contains(&carrier) {
        return Err(("carrier", "field.choose"));
    }
    let carrier = if carrier == "other" {
        let name = other_name.trim();
        if name.is_empty() || name.chars().count() > 40 || name.chars().any(char::is_control) {
            return Err(("carrier_name", "field.required"));
        }
        format!("other:{name}")
    } else {
        carrier.to_string()
    };
    let tracking = tracking.trim().to_uppercase();
    if !(4..=40).contains(&tracking.len()) || !tracking.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(("tracking_number", "orders.bad_tracking"));
    }
    Ok((carrier, tracking))
}

/// What the unpaid-order timer does when it fires: the rule "when an unpaid order cancels".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnpaidDeadline {
    /// The time to pay is not over (the timer fired early, or the deadline moved): nothing to do.
    NotYet,
    /// Bank-transfer proof is waiting for finance: the buyer is not late. The deadline moves on to
    /// `pay_by` and the timer fires again then.
    Extended { pay_by: i64 },
    /// The time to pay is over: the order is cancelled and its stock released.
    Expired,
}

/// Where an unpaid order stands against its deadline `pay_by_ms` (checkout + `PAY_WITHIN_MS`, moved
/// on while proof is under review) at `now_ms`, given the latest payment status of its checkout
/// (`None`: the buyer has not started paying). While finance reviews a proof the deadline moves on by
/// `PAY_WITHIN_MS` each time it is reached; once finance rejects, the next deadline (at most
/// `PAY_WITHIN_MS` away) is the buyer's time to upload again.
pub fn unpaid_deadline(pay_by_ms: i64, payment: Option<PaymentStatus>, now_ms: i64) -> UnpaidDeadline {
    if pay_by_ms > now_ms {
        return UnpaidDeadline::NotYet;
    }
    match payment {
        Some(PaymentStatus::ProofSubmitted) => UnpaidDeadline::Extended { pay_by: now_ms + PAY_WITHIN_MS },
        // An approved payment marks its orders paid in the same transaction, so an order still
        // pending payment never has one; it expires like the rest.
        Some(PaymentStatus::Pending | PaymentStatus::Rejected | PaymentStatus::Cancelled | PaymentStatus::Approved)
        | None => UnpaidDeadline::Expired,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderAction as A;

    const ALLOWED: [(OrderStatus, OrderAction, OrderStatus); 19] = [
        (S::PendingPayment, A::Pay, S::Paid),
        (S::PendingPayment, A::Cancel, S::Cancelled),
        (S::Paid, A::Ship, S::Shipped),
        (S::Shipped, A::Confirm, S::Completed),
        (S::Shipped, A::AutoComplete, S::Completed),
        (S::Paid, A::OpenDispute, S::InDispute),
        (S::Shipped, A::OpenDispute, S::InDispute),
        (S::Completed, A::OpenDispute, S::InDispute),
        (S::PartiallyRefunded, A::OpenDispute, S::InDispute),
        (S::Paid, A::Refund, S::Refunded),
        (S::Shipped, A::Refund, S::Refunded),
        (S::Completed, A::Refund, S::Refunded),
        (S::PartiallyRefunded, A::Refund, S::Refunded),
        (S::InDispute, A::Refund, S::Refunded),
        (S::Paid, A::PartiallyRefund, S::PartiallyRefunded),
        (S::Shipped, A::PartiallyRefund, S::PartiallyRefunded),
        (S::Completed, A::PartiallyRefund, S::PartiallyRefunded),
        (S::PartiallyRefunded, A::PartiallyRefund, S::PartiallyRefunded),
        (S::InDispute, A::PartiallyRefund, S::PartiallyRefunded),
    ];

    #[test]
    fn a_dispute_closed_for_the_seller_returns_to_where_it_was() {
        for before in OrderStatus::ALL {
            let got = S::InDispute.close_dispute(before);
            if before.refundable() {
                assert_eq!(got, Ok(before));
            } else {
                assert!(got.is_err(), "{before:?}");
            }
            for from in OrderStatus::ALL.into_iter().filter(|s| *s != S::InDispute) {
                assert!(from.close_dispute(before).is_err());
            }
        }
    }

    #[test]
    fn every_order_transition_is_allowed_or_refused_by_name() {
        for from in OrderStatus::ALL {
            for action in OrderAction::ALL {
                let want = ALLOWED.iter().find(|(f, a, _)| *f == from && *a == action).map(|t| t.2);
                match (from.apply(action), want) {
                    (Ok(to), Some(w)) => assert_eq!(to, w),
                    (Err(e), None) => assert_eq!(e, OrderTransitionError { from, action }),
                    (got, want) => panic!("{from:?} {action:?}: got {got:?}, want {want:?}"),
                }
            }
        }
    }

    #[test]
    fn refusals_say_what_went_wrong() {
        assert_eq!(S::Paid.apply(A::Pay).unwrap_err().code(), "orders.already_paid");
        assert_eq!(S::PendingPayment.apply(A::Ship).unwrap_err().code(), "orders.not_paid");
        assert_eq!(S::Cancelled.apply(A::Pay).unwrap_err().code(), "orders.cancelled");
    }

    #[test]
    fn names_round_trip() {
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn order_numbers_read_as_a_date_a_checkout_and_a_place() {
        // 2026-11-22T10:00:00Z
        assert_eq!(order_number(15_000_000_123, 1, 1_795_341_600_000), "AG-20261122-00000123-1");
        assert_eq!(order_number(7, 3, 0), "AG-19700101-00000007-3");
        assert_eq!(order_number(1, 12, 951_782_400_000), "AG-20000229-00000001-12");
    }

    #[test]
    fn shipments_need_a_carrier_and_a_tracking_number() {
        assert_eq!(parse_shipment("sf", "", " sf123456789cn "), Ok(("sf".into(), "SF123456789CN".into())));
        assert_eq!(
            parse_shipment("other", "City Couriers", "AB-1234"),
            Ok(("other:City Couriers".into(), "AB-1234".into()))
        );
        assert_eq!(parse_shipment("pigeon", "", "1234"), Err(("carrier", "field.choose")));
        assert_eq!(parse_shipment("other", " ", "1234"), Err(("carrier_name", "field.required")));
        assert_eq!(parse_shipment("ems", "", "12"), Err(("tracking_number", "orders.bad_tracking")));
        assert_eq!(parse_shipment("ems", "", "12 34 56"), Err(("tracking_number", "orders.bad_tracking")));
    }

    const MINUTE: i64 = 60_000;
    const CHECKOUT: i64 = 1_000_000;
    const DEADLINE: i64 = CHECKOUT + PAY_WITHIN_MS;

    #[test]
    fn an_order_inside_its_time_to_pay_is_left_alone() {
        for payment in [None, Some(PaymentStatus::Pending), Some(PaymentStatus::ProofSubmitted)] {
            assert_eq!(unpaid_deadline(DEADLINE, payment, DEADLINE - 1), UnpaidDeadline::NotYet);
        }
    }

    #[test]
    fn an_unpaid_order_expires_thirty_minutes_after_checkout() {
        assert_eq!(PAY_WITHIN_MS, 30 * MINUTE);
        assert_eq!(unpaid_deadline(DEADLINE, Some(PaymentStatus::Pending), DEADLINE), UnpaidDeadline::Expired);
    }

    #[test]
    fn an_order_whose_buyer_never_started_paying_expires_at_its_deadline() {
        assert_eq!(unpaid_deadline(DEADLINE, None, DEADLINE + MINUTE), UnpaidDeadline::Expired);
    }

    #[test]
    fn proof_under_review_moves_the_deadline_on_by_thirty_minutes_from_when_it_is_reached() {
        let late_timer = DEADLINE + 2 * MINUTE;
        assert_eq!(
            unpaid_deadline(DEADLINE, Some(PaymentStatus::ProofSubmitted), late_timer),
            UnpaidDeadline::Extended { pay_by: late_timer + 30 * MINUTE }
        );
    }

    #[test]
    fn proof_still_under_review_at_the_moved_deadline_moves_it_again() {
        let moved = DEADLINE + PAY_WITHIN_MS;
        assert_eq!(
            unpaid_deadline(moved, Some(PaymentStatus::ProofSubmitted), moved),
            UnpaidDeadline::Extended { pay_by: moved + PAY_WITHIN_MS }
        );
    }

    #[test]
    fn a_rejected_proof_leaves_until_the_moved_deadline_to_upload_again() {
        let moved = DEADLINE + PAY_WITHIN_MS;
        let rejected_at = moved - 10 * MINUTE;
        assert_eq!(unpaid_deadline(moved, Some(PaymentStatus::Rejected), rejected_at), UnpaidDeadline::NotYet);
        assert_eq!(unpaid_deadline(moved, Some(PaymentStatus::Rejected), moved), UnpaidDeadline::Expired);
    }

    #[test]
    fn a_cancelled_payment_does_not_hold_the_order() {
        assert_eq!(unpaid_deadline(DEADLINE, Some(PaymentStatus::Cancelled), DEADLINE), UnpaidDeadline::Expired);
    }
}
