//! A shipping address in the buyer's address book.

use super::seller::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub recipient: String,
    pub phone: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
}

pub const MAX_ADDRESSES: i64 = 20;

fn text(field: &'static str, input: &str, min: usize, max: usize) -> Result<String, FieldError> {
    let s = input.trim();
    let n = s.chars().count();
    if n < min {
        return Err((field, if n == 0 { "field.required" } else { "field.too_short" }));
    }
    if n > max {
        return Err((field, "field.too_long"));
    }
    if s.chars().any(char::is_control) {
        return Err((field, "field.control_chars"));
    }
    Ok(s.to_string())
}

impl Address {
    pub fn parse(raw: &Address) -> Result<Address, FieldError> {
        let phone = raw.phone.trim();
        let digits = phone.chars().filter(|c| c.is_ascii_digit()).count();
        if !(6..=20).contains(&digits) || !phone.chars().all(|c| c.is_ascii_digit() || "+-() ".contains(c)) {
            return Err(("phone", "field.phone"));
        }
        let country = raw.country.trim().to_ascii_uppercase();
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(("country", "field.choose"));
        }
        Ok(Address {
            recipient: text("recipient", &raw.recipient, 1, 80)?,
            phone: phone.to_string(),
            line1: text("line1", &raw.line1, 3, 120)?,
            line2: text("line2", &raw.line2, 0, 120)?,
            city: text("city", &raw.city, 1, 80)?,
            region: text("region", &raw.region, 0, 80)?,
            postal_code: text("postal_code", &raw.postal_code, 0, 20)?,
            country,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> Address {
        Address {
            recipient: "Li Wei".into(),
            phone: "+86 138 0000 0000".into(),
            line1: "88 Jianguo Road".into(),
            line2: String::new(),
            city: "Beijing".into(),
            region: "Beijing".into(),
            postal_code: "100022".into(),
            country: "cn".into(),
        }
    }

    #[test]
    fn a_good_address_is_normalised() {
        assert_eq!(Address::parse(&raw()).unwrap().country, "CN");
    }

    #[test]
    fn bad_fields_are_named() {
        assert_eq!(Address::parse(&Address { recipient: " ".into(), ..raw() }), Err(("recipient", "field.required")));
        assert_eq!(Address::parse(&Address { phone: "abc".into(), ..raw() }), Err(("phone", "field.phone")));
        assert_eq!(Address::parse(&Address { country: "China".into(), ..raw() }), Err(("country", "field.choose")));
        assert_eq!(Address::parse(&Address { line1: "x".into(), ..raw() }), Err(("line1", "field.too_short")));
    }
}
