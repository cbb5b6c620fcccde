//! Payments: the providers and their state machine, payment references, idempotency keys.
//! `bank_transfer` is real: the buyer pays into the platform's account quoting a reference, uploads
//! proof, finance approves or rejects (the buyer may upload again). `sandbox` simulates a card for
//! development and tests and is refused in production.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Provider {
    BankTransfer,
    Sandbox,
}

impl Provider {
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::BankTransfer => "bank_transfer",
            Provider::Sandbox => "sandbox",
        }
    }

    pub fn parse(s: &str) -> Option<Provider> {
        [Provider::BankTransfer, Provider::Sandbox].into_iter().find(|p| p.as_str() == s)
    }

    /// Providers a buyer may choose in this environment.
    pub fn allowed(self, production: bool) -> bool {
        !(production && self == Provider::Sandbox)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaymentStatus {
    /// Waiting for the buyer (transfer and proof, or the sandbox card).
    Pending,
    /// Proof uploaded, waiting for finance.
    ProofSubmitted,
    Approved,
    /// Finance rejected the proof; the buyer may upload again.
    Rejected,
    /// The orders were cancelled before payment.
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaymentTransitionError {
    pub from: PaymentStatus,
}

impl PaymentTransitionError {
    pub fn code(self) -> &'static str {
        match self.from {
            PaymentStatus::Approved => "payments.already_approved",
            PaymentStatus::Cancelled => "payments.cancelled",
            _ => "payments.transition_refused",
        }
    }
}

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 5] = [
        PaymentStatus::Pending,
        PaymentStatus::ProofSubmitted,
        PaymentStatus::Approved,
        PaymentStatus::Rejected,
        PaymentStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Pending => "pending",
            PaymentStatus::ProofSubmitted => "proof_submitted",
            PaymentStatus::Approved => "approved",
            PaymentStatus::Rejected => "rejected",
            PaymentStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<PaymentStatus> {
        PaymentStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    fn refuse(self) -> Result<PaymentStatus, PaymentTransitionError> {
        Err(PaymentTransitionError { from: self })
    }

    pub fn submit_proof(self) -> Result<PaymentStatus, PaymentTransitionError> {
        match self {
            PaymentStatus::Pending | PaymentStatus::Rejected | PaymentStatus::ProofSubmitted => {
                Ok(PaymentStatus::ProofSubmitted)
            }
            _ => self.refuse(),
        }
    }

    /// Finance approves a bank transfer (from proof submitted), or the sandbox card succeeds (from
    /// pending).
    pub fn approve(self, provider: Provider) -> Result<PaymentStatus, PaymentTransitionError> {
        match (self, provider) {
            (PaymentStatus::ProofSubmitted, Provider::BankTransfer) => Ok(PaymentStatus::Approved),
            (PaymentStatus::Pending, Provider::Sandbox) => Ok(PaymentStatus::Approved),
            _ => self.refuse(),
        }
    }

    pub fn reject(self) -> Result<PaymentStatus, PaymentTransitionError> {
        match self {
            PaymentStatus::ProofSubmitted => Ok(PaymentStatus::Rejected),
            _ => self.refuse(),
        }
    }

    pub fn cancel(self) -> Result<PaymentStatus, PaymentTransitionError> {
        match self {
            PaymentStatus::Pending | PaymentStatus::Rejected | PaymentStatus::ProofSubmitted => {
                Ok(PaymentStatus::Cancelled)
            }
            _ => self.refuse(),
        }
    }
}

/// A reference the buyer quotes on the transfer: `AGP` + 10 characters from an alphabet without
/// look-alikes (no 0/O, 1/I/L), grouped for reading aloud: `AGP-7KQ4-MX92-T3`.
pub fn payment_reference(random: &[u8; 10]) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let chars: String = random.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect();
    format!("AGP-{}-{}-{}", &chars[0..4], &chars[4..8], &chars[8..10])
}

/// An idempotency key sent by a client: 8 to 64 characters of letters, digits, `-` and `_`.
pub fn parse_idempotency_key(input: &str) -> Result<String, &'static str> {
    let s = input.trim();
    if !(8..=64).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err("payments.bad_idempotency_key");
    }
    Ok(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use PaymentStatus as P;

    #[test]
    fn a_bank_transfer_goes_through_proof_and_review() {
        let s = P::Pending.submit_proof().unwrap();
        assert_eq!(s.approve(Provider::BankTransfer), Ok(P::Approved));
        let rejected = s.reject().unwrap();
        assert_eq!(rejected.submit_proof(), Ok(P::ProofSubmitted));
        assert!(P::Pending.approve(Provider::BankTransfer).is_err());
    }

    #[test]
    fn a_payment_is_approved_once() {
        assert_eq!(P::Approved.approve(Provider::BankTransfer).unwrap_err().code(), "payments.already_approved");
        assert!(P::Approved.submit_proof().is_err());
        assert!(P::Approved.cancel().is_err());
        assert!(P::Cancelled.approve(Provider::Sandbox).is_err());
    }

    #[test]
    fn sandbox_pays_at_once_and_never_in_production() {
        assert_eq!(P::Pending.approve(Provider::Sandbox), Ok(P::Approved));
        assert!(!Provider::Sandbox.allowed(true));
        assert!(Provider::Sandbox.allowed(false) && Provider::BankTransfer.allowed(true));
    }

    #[test]
    fn references_are_readable() {
        let r = payment_reference(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 30]);
        assert_eq!(r, "AGP-2345-6789-AZ");
    }

    #[test]
    fn idempotency_keys_are_checked() {
        assert!(parse_idempotency_key("3f2a9c1e-77aa-4b1d").is_ok());
        assert_eq!(parse_idempotency_key("short"), Err("payments.bad_idempotency_key"));
        assert_eq!(parse_idempotency_key("has space in it"), Err("payments.bad_idempotency_key"));
    }
}
