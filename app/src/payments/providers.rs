//! The payment provider interface: one adapter per `domain::payment::Provider`, chosen by
//! `adapter(provider)`. Adding a card provider means one more adapter here. Which providers a buyer
//! may use is configuration (`settings.payment_providers`; the server refuses to start with the
//! sandbox in production), checked by `enabled` on every payment action.
//!
//! Plain Rust (no database), so the rules are unit-tested and the pages can ask them too.

use crate::domain::payment::Provider;

/// What the buyer does to pay through a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Transfer to the platform's account quoting the reference, then upload proof for finance.
    TransferWithProof,
    /// Enter a card; the provider answers at once.
    Card,
}

/// The outcome of a card charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charge {
    Succeeded,
    /// Declined by the issuer: the message key to show next to the card number.
    Declined(&'static str),
}

pub trait PaymentProvider: Sync {
    fn provider(&self) -> Provider;
    fn flow(&self) -> Flow;
    /// Charges a card (card providers only). `Err` is a message key for the card number field.
    fn charge_card(&self, _card_number: &str) -> Result<Charge, &'static str> {
        Err("payments.wrong_provider")
    }
}

pub struct BankTransfer;

impl PaymentProvider for BankTransfer {
    fn provider(&self) -> Provider {
        Provider::BankTransfer
    }

    fn flow(&self) -> Flow {
        Flow::TransferWithProof
    }
}

/// The test card of development and tests: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is
/// declined; anything else is not a test card.
pub struct Sandbox;

pub const SANDBOX_SUCCESS_CARD: &str = "4242424242424242";
pub const SANDBOX_DECLINE_CARD: &str = "4000000000000002";

impl PaymentProvider for Sandbox {
    fn provider(&self) -> Provider {
        Provider::Sandbox
    }

    fn flow(&self) -> Flow {
        Flow::Card
    }

    fn charge_card(&self, card_number: &str) -> Result<Charge, &'static str> {
        let digits = card_digits(card_number)?;
        match digits.as_str() {
            SANDBOX_SUCCESS_CARD => Ok(Charge::Succeeded),
            SANDBOX_DECLINE_CARD => Ok(Charge::Declined("payments.card_declined")),
            _ => Err("payments.card_not_a_test_card"),
        }
    }
}

pub fn adapter(provider: Provider) -> &'static dyn PaymentProvider {
    match provider {
        Provider::BankTransfer => &BankTransfer,
        Provider::Sandbox => &Sandbox,
    }
}

/// Refuses a provider this deployment does not offer.
pub fn enabled(configured: &[Provider], provider: Provider) -> Result<(), &'static str> {
    if configured.contains(&provider) {
        Ok(())
    } else {
        Err("payments.provider_unavailable")
    }
}

/// A card number as its digits: spaces and dashes allowed between them, 12 to 19 digits, passing the
/// Luhn check.
pub fn card_digits(input: &str) -> Result<String, &'static str> {
    if input.chars().count() > 40 {
        return Err("payments.card_invalid");
    }
    let mut digits = String::new();
    for c in input.trim().chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' => {}
            _ => return Err("payments.card_invalid"),
        }
    }
    if !(12..=19).contains(&digits.len()) || !luhn(&digits) {
        return Err("payments.card_invalid");
    }
    Ok(digits)
}

fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_success_card_pays_and_the_decline_card_is_declined() {
        let s = adapter(Provider::Sandbox);
        assert_eq!(s.charge_card("4242 4242 4242 4242"), Ok(Charge::Succeeded));
        assert_eq!(s.charge_card("4000-0000-0000-0002"), Ok(Charge::Declined("payments.card_declined")));
    }

    #[test]
    fn other_cards_are_refused_with_a_reason() {
        let s = adapter(Provider::Sandbox);
        assert_eq!(s.charge_card("4242 4242 4242 4241"), Err("payments.card_invalid"));
        assert_eq!(s.charge_card("abcd"), Err("payments.card_invalid"));
        assert_eq!(s.charge_card(""), Err("payments.card_invalid"));
        // A real-looking (Luhn-valid) card that is not a test card.
        assert_eq!(s.charge_card("5555 5555 5555 4444"), Err("payments.card_not_a_test_card"));
    }

    #[test]
    fn a_bank_transfer_takes_no_card() {
        let b = adapter(Provider::BankTransfer);
        assert_eq!(b.flow(), Flow::TransferWithProof);
        assert_eq!(b.charge_card(SANDBOX_SUCCESS_CARD), Err("payments.wrong_provider"));
    }

    #[test]
    fn only_configured_providers_are_enabled() {
        assert_eq!(enabled(&[Provider::BankTransfer], Provider::Sandbox), Err("payments.provider_unavailable"));
        assert!(enabled(&[Provider::BankTransfer, Provider::Sandbox], Provider::Sandbox).is_ok());
        for p in [Provider::BankTransfer, Provider::Sandbox] {
            assert_eq!(adapter(p).provider(), p);
        }
    }
}
