//! Disputes (DESIGN.md, seed 004 2.5A): opened by the buyer, by a refused refund, or by a refund the
//! seller never answered; both sides add messages and evidence; an operator with `disputes.decide`
//! decides with a written reason: refund in full, refund a part, or side with the seller.

use super::reason::Reason;
use serde::{Deserialize, Serialize};

pub const MESSAGE_MAX_CHARS: usize = 2_000;
/// Messages per dispute, so one side cannot flood the other (and the operator's page).
pub const MAX_MESSAGES: i64 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DisputeStatus {
    Open,
    /// Decided for the buyer: refunded in full or in part.
    Refunded,
    /// Decided for the seller: the order resumes where it was.
    SellerWon,
}

impl DisputeStatus {
    pub const ALL: [DisputeStatus; 3] = [DisputeStatus::Open, DisputeStatus::Refunded, DisputeStatus::SellerWon];

    pub fn as_str(self) -> &'static str {
        match self {
            DisputeStatus::Open => "open",
            DisputeStatus::Refunded => "refunded",
            DisputeStatus::SellerWon => "seller_won",
        }
    }

    pub fn parse(s: &str) -> Option<DisputeStatus> {
        DisputeStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Deciding needs an open dispute; a second decision is refused by name.
    pub fn decide(self, decision: &Decision) -> Result<DisputeStatus, &'static str> {
        match self {
            DisputeStatus::Open => Ok(match decision {
                Decision::SellerWins => DisputeStatus::SellerWon,
                _ => DisputeStatus::Refunded,
            }),
            _ => Err("disputes.already_decided"),
        }
    }

    /// Messages are accepted while the dispute is open.
    pub fn accepts_messages(self) -> bool {
        self == DisputeStatus::Open
    }
}

/// Who opened the dispute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OpenedBy {
    Buyer,
    /// The buyer escalated a refund the seller refused.
    RefusedRefund,
    /// The seller did not answer the refund request in time.
    SellerSilent,
}

impl OpenedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            OpenedBy::Buyer => "buyer",
            OpenedBy::RefusedRefund => "refused_refund",
            OpenedBy::SellerSilent => "seller_silent",
        }
    }

    pub fn parse(s: &str) -> Option<OpenedBy> {
        [OpenedBy::Buyer, OpenedBy::RefusedRefund, OpenedBy::SellerSilent].into_iter().find(|x| x.as_str() == s)
    }
}

/// Which side wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Side {
    Buyer,
    Seller,
    Operator,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Buyer => "buyer",
            Side::Seller => "seller",
            Side::Operator => "operator",
        }
    }

    pub fn parse(s: &str) -> Option<Side> {
        [Side::Buyer, Side::Seller, Side::Operator].into_iter().find(|x| x.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    RefundFull,
    RefundPartial { amount_minor: i64 },
    SellerWins,
}

impl Decision {
    pub fn as_str(&self) -> &'static str {
        match self {
            Decision::RefundFull => "refund_full",
            Decision::RefundPartial { .. } => "refund_partial",
            Decision::SellerWins => "seller_wins",
        }
    }

    /// The amount refunded, given what is left to refund on the order.
    pub fn refund_amount(&self, refundable_minor: i64) -> Option<i64> {
        match self {
            Decision::RefundFull => Some(refundable_minor),
            Decision::RefundPartial { amount_minor } => Some(*amount_minor),
            Decision::SellerWins => None,
        }
    }
}

/// Parses an operator's decision. `amount_minor` is the parsed partial amount (only for
/// `refund_partial`); it must be positive and below what is left to refund (the whole of it is
/// `refund_full`). The reason is required. Errors are `(field, message code)`.
pub fn parse_decision(
    kind: &str,
    amount_minor: Option<i64>,
    refundable_minor: i64,
    reason: &str,
) -> Result<(Decision, Reason), (&'static str, &'static str)> {
    let decision = match kind.trim() {
        "refund_full" => Decision::RefundFull,
        "seller_wins" => Decision::SellerWins,
        "refund_partial" => {
            let amount = amount_minor.ok_or(("amount", "money.required"))?;
            if amount <= 0 {
                return Err(("amount", "refunds.amount_positive"));
            }
            if amount > refundable_minor {
                return Err(("amount", "refunds.amount_too_large"));
            }
            if amount == refundable_minor {
                Decision::RefundFull
            } else {
                Decision::RefundPartial { amount_minor: amount }
            }
        }
        _ => return Err(("decision", "field.choose")),
    };
    let reason = Reason::parse(reason).map_err(|e| ("reason", e.code()))?;
    Ok((decision, reason))
}

/// A message's text: trimmed, required unless evidence is attached, bounded.
pub fn parse_message(body: &str, has_evidence: bool) -> Result<String, (&'static str, &'static str)> {
    let body = body.trim();
    if body.is_empty() && !has_evidence {
        return Err(("body", "field.required"));
    }
    if body.chars().count() > MESSAGE_MAX_CHARS {
        return Err(("body", "field.too_long"));
    }
    if body.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(("body", "field.control_chars"));
    }
    Ok(body.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_dispute_is_decided_once() {
        assert_eq!(DisputeStatus::Open.decide(&Decision::RefundFull), Ok(DisputeStatus::Refunded));
        assert_eq!(
            DisputeStatus::Open.decide(&Decision::RefundPartial { amount_minor: 5 }),
            Ok(DisputeStatus::Refunded)
        );
        assert_eq!(DisputeStatus::Open.decide(&Decision::SellerWins), Ok(DisputeStatus::SellerWon));
        for decided in [DisputeStatus::Refunded, DisputeStatus::SellerWon] {
            for d in [Decision::RefundFull, Decision::SellerWins] {
                assert_eq!(decided.decide(&d), Err("disputes.already_decided"));
            }
            assert!(!decided.accepts_messages());
        }
        assert!(DisputeStatus::Open.accepts_messages());
        for s in DisputeStatus::ALL {
            assert_eq!(DisputeStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn decisions_need_a_kind_a_sane_amount_and_a_reason() {
        let reason = "Photos show the item broken";
        assert_eq!(parse_decision("refund_full", None, 1_000, reason).unwrap().0, Decision::RefundFull);
        assert_eq!(
            parse_decision("refund_partial", Some(400), 1_000, reason).unwrap().0,
            Decision::RefundPartial { amount_minor: 400 }
        );
        // The whole remaining amount is a full refund.
        assert_eq!(parse_decision("refund_partial", Some(1_000), 1_000, reason).unwrap().0, Decision::RefundFull);
        assert_eq!(parse_decision("refund_partial", None, 1_000, reason), Err(("amount", "money.required")));
        assert_eq!(
            parse_decision("refund_partial", Some(0), 1_000, reason),
            Err(("amount", "refunds.amount_positive"))
        );
        assert_eq!(
            parse_decision("refund_partial", Some(1_001), 1_000, reason),
            Err(("amount", "refunds.amount_too_large"))
        );
        assert_eq!(parse_decision("coin_flip", None, 1_000, reason), Err(("decision", "field.choose")));
        assert_eq!(parse_decision("seller_wins", None, 1_000, " "), Err(("reason", "reason.too_short")));
        assert_eq!(Decision::RefundFull.refund_amount(700), Some(700));
        assert_eq!(Decision::SellerWins.refund_amount(700), None);
    }

    #[test]
    fn messages_need_text_or_evidence() {
        assert_eq!(parse_message("  hello ", false), Ok("hello".into()));
        assert_eq!(parse_message("", true), Ok(String::new()));
        assert_eq!(parse_message("  ", false), Err(("body", "field.required")));
        assert_eq!(parse_message(&"x".repeat(MESSAGE_MAX_CHARS + 1), false), Err(("body", "field.too_long")));
        assert_eq!(parse_message("bell\u{7}", false), Err(("body", "field.control_chars")));
        assert_eq!(OpenedBy::parse("seller_silent"), Some(OpenedBy::SellerSilent));
        assert_eq!(Side::parse("operator"), Some(Side::Operator));
    }
}
