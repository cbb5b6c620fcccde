//! Money: integer minor units with a currency. Never floats: amounts are parsed from the text a person
//! typed ("12.30") straight into minor units (1230) and formatted back the same way.

use serde::{Deserialize, Serialize};

/// Currencies the platform prices in. Each has two decimal places except JPY.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Currency {
    Usd,
    Eur,
    Cny,
    Jpy,
}

impl Currency {
    pub const ALL: [Currency; 4] = [Currency::Usd, Currency::Eur, Currency::Cny, Currency::Jpy];

    pub fn code(self) -> &'static str {
        match self {
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
            Currency::Cny => "CNY",
            Currency::Jpy => "JPY",
        }
    }

    pub fn parse(code: &str) -> Option<Currency> {
        Currency::ALL.into_iter().find(|c| c.code().eq_ignore_ascii_case(code.trim()))
    }

    /// Digits after the decimal point.
    pub fn exponent(self) -> u32 {
        match self {
            Currency::Jpy => 0,
            _ => 2,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Currency::Usd => "$",
            Currency::Eur => "€",
            Currency::Cny => "¥",
            Currency::Jpy => "JP¥",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    Empty,
    NotANumber,
    TooManyDecimals,
    Negative,
    TooLarge,
}

impl AmountError {
    pub fn code(self) -> &'static str {
        match self {
            AmountError::Empty => "money.required",
            AmountError::NotANumber => "money.not_a_number",
            AmountError::TooManyDecimals => "money.too_many_decimals",
            AmountError::Negative => "money.negative",
            AmountError::TooLarge => "money.too_large",
        }
    }
}

/// The largest amount anyone may type: 10 million in major units. Far above any real price, far
/// below where sums of many of them could overflow an i64.
pub const MAX_MAJOR_UNITS: i64 = 10_000_000;

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Money {
        Money { minor, currency }
    }

    /// Parses a non-negative amount typed in major units: `12`, `12.3`, `12.30`, `1,299.00`.
    pub fn parse(input: &str, currency: Currency) -> Result<Money, AmountError> {
        let s: String = input.trim().chars().filter(|c| *c != ',' && *c != '_' && *c != ' ').collect();
        if s.is_empty() {
            return Err(AmountError::Empty);
        }
        if s.starts_with('-') {
            return Err(AmountError::Negative);
        }
        let (whole, frac) = match s.split_once('.') {
            Some((w, f)) => (w, f),
            None => (s.as_str(), ""),
        };
        let digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
        if (whole.is_empty() && frac.is_empty()) || !digits(whole) || !digits(frac) {
            return Err(AmountError::NotANumber);
        }
        let exp = currency.exponent() as usize;
        if frac.len() > exp {
            return Err(AmountError::TooManyDecimals);
        }
        let significant = whole.trim_start_matches('0');
        // More than 8 digits is above MAX_MAJOR_UNITS whatever they are (and may not fit an i64).
        if significant.len() > 8 {
            return Err(AmountError::TooLarge);
        }
        let whole_units: i64 =
            if significant.is_empty() { 0 } else { significant.parse().map_err(|_| AmountError::NotANumber)? };
        if whole_units > MAX_MAJOR_UNITS {
            return Err(AmountError::TooLarge);
        }
        let scale = 10i64.pow(exp as u32);
        let frac_units: i64 =
            if frac.is_empty() { 0 } else { format!("{frac:0<exp$}").parse().map_err(|_| AmountError::NotANumber)? };
        Ok(Money { minor: whole_units * scale + frac_units, currency })
    }

    /// `12.30` (no symbol): what goes back into an input field.
    pub fn plain(self) -> String {
        let exp = self.currency.exponent();
        if exp == 0 {
            return self.minor.to_string();
        }
        let scale = 10i64.pow(exp);
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs() as i64;
        format!("{sign}{}.{:0width$}", abs / scale, abs % scale, width = exp as usize)
    }

    /// `$1,299.00`: for display.
    pub fn display(self) -> String {
        let plain = self.plain();
        let (sign, rest) = plain.strip_prefix('-').map(|r| ("-", r)).unwrap_or(("", plain.as_str()));
        let (whole, frac) = rest.split_once('.').map(|(w, f)| (w, Some(f))).unwrap_or((rest, None));
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        match frac {
            Some(f) => format!("{sign}{}{grouped}.{f}", self.currency.symbol()),
            None => format!("{sign}{}{grouped}", self.currency.symbol()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(s: &str) -> Result<i64, AmountError> {
        Money::parse(s, Currency::Usd).map(|m| m.minor)
    }

    #[test]
    fn parses_what_people_type() {
        assert_eq!(usd("12"), Ok(1200));
        assert_eq!(usd("12.3"), Ok(1230));
        assert_eq!(usd("12.30"), Ok(1230));
        assert_eq!(usd(" 1,299.00 "), Ok(129_900));
        assert_eq!(usd("0.05"), Ok(5));
        assert_eq!(usd(".5"), Ok(50));
        assert_eq!(usd("0"), Ok(0));
        assert_eq!(usd("007"), Ok(700));
    }

    #[test]
    fn refuses_nonsense() {
        assert_eq!(usd(""), Err(AmountError::Empty));
        assert_eq!(usd("-1"), Err(AmountError::Negative));
        assert_eq!(usd("1.234"), Err(AmountError::TooManyDecimals));
        assert_eq!(usd("abc"), Err(AmountError::NotANumber));
        assert_eq!(usd("1e5"), Err(AmountError::NotANumber));
        assert_eq!(usd("."), Err(AmountError::NotANumber));
        assert_eq!(usd("10000001"), Err(AmountError::TooLarge));
        assert_eq!(usd("99999999999999999999999"), Err(AmountError::TooLarge));
        assert_eq!(Money::parse("1.5", Currency::Jpy), Err(AmountError::TooManyDecimals));
    }

    #[test]
    fn formats_back() {
        assert_eq!(Money::new(129_900, Currency::Usd).display(), "$1,299.00");
        assert_eq!(Money::new(5, Currency::Usd).plain(), "0.05");
        assert_eq!(Money::new(-250, Currency::Eur).display(), "-€2.50");
        assert_eq!(Money::new(1500, Currency::Jpy).display(), "JP¥1,500");
        assert_eq!(Money::new(100, Currency::Cny).display(), "¥1.00");
    }

    #[test]
    fn round_trips() {
        for minor in [0, 1, 99, 100, 123_456, 1_000_000_000] {
            let m = Money::new(minor, Currency::Usd);
            assert_eq!(Money::parse(&m.plain(), Currency::Usd), Ok(m));
        }
    }
}
