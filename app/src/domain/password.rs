//! Password policy (NIST SP 800-63B style): length is what matters; common passwords are refused;
//! no composition rules. Hashing lives in the server layer (argon2id, off the async runtime).

use std::fmt;

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Passwords seen most often in breach corpora, at least eight characters long (shorter ones
/// already fail the length rule). Compared case-insensitively.
const COMMON: &str = include_str!("common_passwords.txt");

/// A password that passed the policy. Never printed: `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordError {
    TooShort,
    TooLong,
    TooCommon,
}

impl PasswordError {
    pub fn code(self) -> &'static str {
        match self {
            PasswordError::TooShort => "password.too_short",
            PasswordError::TooLong => "password.too_long",
            PasswordError::TooCommon => "password.too_common",
        }
    }
}

impl NewPassword {
    pub fn parse(input: &str) -> Result<NewPassword, PasswordError> {
        let n = input.chars().count();
        if n < PASSWORD_MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if n > PASSWORD_MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        if is_common(input) {
            return Err(PasswordError::TooCommon);
        }
        Ok(NewPassword(input.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

fn is_common(input: &str) -> bool {
    let lower = input.to_lowercase();
    let one_repeated_char = lower.chars().all(|c| lower.starts_with(c));
    one_repeated_char || COMMON.lines().any(|common| common == lower)
}

/// A password typed to sign in or to confirm a protected action: only its length is bounded, so an
/// attacker cannot make us hash megabytes.
pub fn acceptable_attempt(input: &str) -> bool {
    !input.is_empty() && input.chars().count() <= PASSWORD_MAX_CHARS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seven_characters_are_too_short() {
        assert_eq!(NewPassword::parse("abcdefg"), Err(PasswordError::TooShort));
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        assert!(NewPassword::parse("密码密码安全可靠").is_ok());
        assert_eq!(NewPassword::parse(&"密".repeat(129)), Err(PasswordError::TooLong));
    }

    #[test]
    fn a_common_password_is_refused_whatever_its_case() {
        assert_eq!(NewPassword::parse("Password123"), Err(PasswordError::TooCommon));
        assert_eq!(NewPassword::parse("QWERTYUIOP"), Err(PasswordError::TooCommon));
        assert_eq!(NewPassword::parse("zzzzzzzzzz"), Err(PasswordError::TooCommon));
    }

    #[test]
    fn a_long_unusual_password_is_accepted() {
        assert!(NewPassword::parse("correct horse battery staple").is_ok());
    }

    #[test]
    fn a_password_is_never_printed() {
        let p = NewPassword::parse("correct horse battery staple").unwrap();
        assert_eq!(format!("{p:?}"), "NewPassword(***)");
    }

    #[test]
    fn sign_in_attempts_are_bounded() {
        assert!(!acceptable_attempt(""));
        assert!(!acceptable_attempt(&"x".repeat(129)));
        assert!(acceptable_attempt("whatever"));
    }
}
