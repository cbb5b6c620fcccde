//! A user's phone number (optional, one account per number): written in the international form
//! (E.164: `+`, the country code, the number; 8 to 15 digits in all), typed with any spaces, dashes,
//! dots or brackets. Shown masked (`+86•••••••8000`) except to operators allowed to reveal it, each
//! reveal on the audit record.

/// Why a typed number was refused (a message key for the `phone` field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneError {
    /// Not `+` and digits, or too few or too many digits.
    Format,
}

impl PhoneError {
    pub fn code(self) -> &'static str {
        "users.phone.format"
    }
}

pub const MIN_DIGITS: usize = 8;
pub const MAX_DIGITS: usize = 15;

/// The number as stored (`+` and digits), `None` for an empty field (no number), or the problem.
pub fn parse(input: &str) -> Result<Option<String>, PhoneError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    // Bounded before any work: a megabyte of spaces is not a phone number.
    if trimmed.len() > 32 {
        return Err(PhoneError::Format);
    }
    let rest = trimmed.strip_prefix('+').ok_or(PhoneError::Format)?;
    let mut digits = String::with_capacity(MAX_DIGITS);
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return Err(PhoneError::Format),
        }
    }
    if !(MIN_DIGITS..=MAX_DIGITS).contains(&digits.len()) || digits.starts_with('0') {
        return Err(PhoneError::Format);
    }
    Ok(Some(format!("+{digits}")))
}

/// The number as most operators see it: the first two digits (about the country) and the last four.
pub fn mask(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 6 {
        return "•".repeat(digits.len().max(4));
    }
    let head: String = digits[..2].iter().collect();
    let tail: String = digits[digits.len() - 4..].iter().collect();
    format!("+{head}{}{tail}", "•".repeat(digits.len() - 6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn international_numbers_are_kept_as_plus_and_digits() {
        assert_eq!(parse("+86 138-0013-8000"), Ok(Some("+8613800138000".into())));
        assert_eq!(parse(" +1 (415) 555.0100 "), Ok(Some("+14155550100".into())));
        assert_eq!(parse(""), Ok(None));
        assert_eq!(parse("   "), Ok(None));
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "13800138000",
            "+86 138 0013 8000 1234",
            "+1234567",
            "+0 800 123 456",
            "+86 138<b>0013</b>8000",
            "+86 one three eight",
            "++8613800138000",
            &format!("+{}", " ".repeat(100_000)),
        ] {
            assert_eq!(parse(bad), Err(PhoneError::Format), "{bad:.30}");
        }
    }

    #[test]
    fn the_mask_keeps_the_country_and_the_last_four_digits() {
        assert_eq!(mask("+8613800138000"), "+86•••••••8000");
        assert_eq!(mask("+14155550100"), "+14•••••0100");
        assert!(!mask("+8613800138000").contains("138001"));
    }
}
