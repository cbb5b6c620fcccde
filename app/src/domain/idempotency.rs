//! Idempotent requests: a client sends a key with a request it may retry (a double click, a lost
//! answer). The first request under a key is stored with a fingerprint of what it asked for; a retry
//! with the same fingerprint answers the first result, the same key with another request is refused
//! with the one message `idempotency.key_reused`. Used by checkout, payments, refunds, disputes,
//! payouts and ledger postings (whose fingerprint is their entries).

use sha2::{Digest, Sha256};

/// The message of "same key, different request", everywhere.
pub const KEY_REUSED: &str = "idempotency.key_reused";

/// What a request under a key turns out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyOutcome<T> {
    /// Nothing stored under the key: do the work (and store the key and fingerprint with it).
    New,
    /// A retry of the stored request: answer its result, do nothing again.
    ExistsSame(T),
    /// The key was used for another request: refuse (`KEY_REUSED`).
    ExistsDifferent,
}

impl<T> IdempotencyOutcome<T> {
    /// Decides from what is stored under the key (the first result and its fingerprint, which older
    /// rows may lack) and the new request's fingerprint.
    pub fn decide(stored: Option<(T, Option<&str>)>, fingerprint: &str) -> IdempotencyOutcome<T> {
        match stored {
            None => IdempotencyOutcome::New,
            Some((first, Some(hash))) if hash == fingerprint => IdempotencyOutcome::ExistsSame(first),
            Some(_) => IdempotencyOutcome::ExistsDifferent,
        }
    }

    /// `Ok(None)`: new; `Ok(Some(first))`: a replay; `Err(KEY_REUSED)`: refused.
    pub fn replay(self) -> Result<Option<T>, &'static str> {
        match self {
            IdempotencyOutcome::New => Ok(None),
            IdempotencyOutcome::ExistsSame(first) => Ok(Some(first)),
            IdempotencyOutcome::ExistsDifferent => Err(KEY_REUSED),
        }
    }
}

/// The fingerprint of a request: SHA-256 (lower-case hex) of its parts joined with `|`. The first
/// part names the kind of request (e.g. `payout`), so two kinds never share a fingerprint.
pub fn fingerprint(parts: &[&str]) -> String {
    Sha256::digest(parts.join("|").as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_follow_the_stored_fingerprint() {
        let f = fingerprint(&["payout", "5000", "3"]);
        assert_eq!(IdempotencyOutcome::<i64>::decide(None, &f), IdempotencyOutcome::New);
        assert_eq!(IdempotencyOutcome::decide(Some((7, Some(f.as_str()))), &f), IdempotencyOutcome::ExistsSame(7));
        let other = fingerprint(&["payout", "5001", "3"]);
        assert_eq!(
            IdempotencyOutcome::decide(Some((7, Some(other.as_str()))), &f),
            IdempotencyOutcome::ExistsDifferent
        );
        assert_eq!(IdempotencyOutcome::decide(Some((7, None)), &f), IdempotencyOutcome::ExistsDifferent);
    }

    #[test]
    fn replay_maps_to_the_one_message() {
        assert_eq!(IdempotencyOutcome::<i64>::New.replay(), Ok(None));
        assert_eq!(IdempotencyOutcome::ExistsSame(3).replay(), Ok(Some(3)));
        assert_eq!(IdempotencyOutcome::<i64>::ExistsDifferent.replay(), Err("idempotency.key_reused"));
    }

    #[test]
    fn the_fingerprint_is_the_one_stored_before() {
        // payouts stored sha256("payout|<amount>|<account>") before this module existed.
        assert_eq!(fingerprint(&["payout", "1", "2"]), fingerprint(&["payout|1|2"]));
        assert_eq!(fingerprint(&["a"]).len(), 64);
        assert_ne!(fingerprint(&["a", "b"]), fingerprint(&["ab"]));
    }
}
