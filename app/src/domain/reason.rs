//! The written reason a protected action needs. It is shown to auditors and often to the person
//! affected, so it must say something.

use serde::{Deserialize, Serialize};

pub const REASON_MIN_CHARS: usize = 5;
pub const REASON_MAX_CHARS: usize = 2000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonError {
    TooShort,
    TooLong,
}

impl ReasonError {
    pub fn code(self) -> &'static str {
        match self {
            ReasonError::TooShort => "reason.too_short",
            ReasonError::TooLong => "reason.too_long",
        }
    }
}

impl Reason {
    pub fn parse(input: &str) -> Result<Reason, ReasonError> {
        let s = input.trim();
        let n = s.chars().count();
        if n < REASON_MIN_CHARS {
            return Err(ReasonError::TooShort);
        }
        if n > REASON_MAX_CHARS {
            return Err(ReasonError::TooLong);
        }
        Ok(Reason(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_reason_is_rejected() {
        assert_eq!(Reason::parse("   "), Err(ReasonError::TooShort));
        assert_eq!(Reason::parse("ok"), Err(ReasonError::TooShort));
    }

    #[test]
    fn a_reason_is_trimmed() {
        assert_eq!(Reason::parse("  spam listings  ").unwrap().as_str(), "spam listings");
    }

    #[test]
    fn an_essay_is_rejected() {
        assert_eq!(Reason::parse(&"x".repeat(REASON_MAX_CHARS + 1)), Err(ReasonError::TooLong));
    }
}
