//! Validated account fields: input is parsed into these types at the edge and never re-checked.

use serde::{Deserialize, Serialize};

/// Longest address SMTP allows (RFC 5321 path limit).
pub const EMAIL_MAX_CHARS: usize = 254;
pub const DISPLAY_NAME_MAX_CHARS: usize = 80;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailError {
    Empty,
    TooLong,
    Malformed,
}

impl EmailError {
    pub fn code(self) -> &'static str {
        match self {
            EmailError::Empty => "email.empty",
            EmailError::TooLong => "email.too_long",
            EmailError::Malformed => "email.malformed",
        }
    }
}

impl Email {
    /// Trims and lower-cases, then accepts `local@domain.tld` with no spaces or control characters.
    /// Deliberately loose beyond that: the only real check of an address is mail arriving.
    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        if s.chars().count() > EMAIL_MAX_CHARS {
            return Err(EmailError::TooLong);
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>') {
            return Err(EmailError::Malformed);
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return Err(EmailError::Malformed);
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        if local.is_empty() || !domain_ok {
            return Err(EmailError::Malformed);
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayName(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisplayNameError {
    Empty,
    TooLong,
    ControlCharacters,
}

impl DisplayNameError {
    pub fn code(self) -> &'static str {
        match self {
            DisplayNameError::Empty => "name.empty",
            DisplayNameError::TooLong => "name.too_long",
            DisplayNameError::ControlCharacters => "name.control_chars",
        }
    }
}

impl DisplayName {
    /// Any script and emoji are welcome; length is counted in characters, not bytes.
    pub fn parse(input: &str) -> Result<DisplayName, DisplayNameError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(DisplayNameError::Empty);
        }
        if s.chars().count() > DISPLAY_NAME_MAX_CHARS {
            return Err(DisplayNameError::TooLong);
        }
        if s.chars().any(|c| c.is_control() || is_invisible_format(c)) {
            return Err(DisplayNameError::ControlCharacters);
        }
        Ok(DisplayName(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Zero-width and bidirectional-override characters: invisible, they let a name pose as another in
/// the console ("admin" followed by a right-to-left override reads differently than it sorts).
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_is_trimmed_and_lowercased() {
        assert_eq!(Email::parse("  Ann@Example.COM ").unwrap().as_str(), "ann@example.com");
    }

    #[test]
    fn an_email_without_a_domain_dot_is_rejected() {
        assert_eq!(Email::parse("ann@localhost"), Err(EmailError::Malformed));
        assert_eq!(Email::parse("ann"), Err(EmailError::Malformed));
        assert_eq!(Email::parse("@example.com"), Err(EmailError::Malformed));
        assert_eq!(Email::parse("a b@example.com"), Err(EmailError::Malformed));
    }

    #[test]
    fn an_empty_or_huge_email_is_rejected() {
        assert_eq!(Email::parse("   "), Err(EmailError::Empty));
        let long = format!("{}@example.com", "a".repeat(300));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
    }

    #[test]
    fn a_display_name_accepts_emoji_and_cjk() {
        assert_eq!(DisplayName::parse(" 小明 🛒 ").unwrap().as_str(), "小明 🛒");
    }

    #[test]
    fn a_ten_thousand_character_name_is_rejected() {
        assert_eq!(DisplayName::parse(&"x".repeat(10_000)), Err(DisplayNameError::TooLong));
    }

    #[test]
    fn a_name_with_invisible_or_direction_overriding_characters_is_rejected() {
        assert_eq!(DisplayName::parse("ad\u{200B}min"), Err(DisplayNameError::ControlCharacters));
        assert_eq!(DisplayName::parse("abc\u{202E}gpj.exe"), Err(DisplayNameError::ControlCharacters));
    }

    #[test]
    fn a_name_with_control_characters_is_rejected() {
        assert_eq!(DisplayName::parse("a\u{0007}b"), Err(DisplayNameError::ControlCharacters));
    }
}
