//! argon2id with OWASP's parameters (m = 19456 KiB, t = 2, p = 1), run on the blocking pool so a burst
//! of sign-ins never stalls the async runtime.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await?
}

/// What `users.password_hash` holds while an account has no password: created by an operator and not
/// yet set through its invitation, or reset by an operator. No password matches it.
pub const UNSET: &str = "!unset";

pub async fn verify(password: String, stored_hash: String) -> bool {
    tokio::task::spawn_blocking(move || match PasswordHash::new(&stored_hash) {
        Ok(parsed) => argon2().verify_password(password.as_bytes(), &parsed).is_ok(),
        // No password (UNSET) takes as long to refuse as a wrong one, so timing does not tell a
        // guesser which accounts are waiting for their owner to set one.
        Err(_) => {
            if let Ok(dummy) = PasswordHash::new(dummy_hash()) {
                let _ = argon2().verify_password(password.as_bytes(), &dummy);
            }
            false
        }
    })
    .await
    .unwrap_or(false)
}

/// A hash of a random password, verified against when the account does not exist, so that "no such
/// user" and "wrong password" take the same time.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2().hash_password(b"no account has this password", &salt).map(|h| h.to_string()).unwrap_or_default()
    })
}
