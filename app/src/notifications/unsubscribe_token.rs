//! The token in an email's unsubscribe link: who (user id) and what (category), signed with the
//! platform's signing key (HMAC-SHA256), so that the link works without signing in and cannot be
//! altered to switch off someone else's mail. It does not expire: the link in an old mail still works
//! (RFC 8058 expects that).
//!
//! Format: `<user id>.<category>.<hex HMAC of "unsubscribe:<user id>:<category>">`.

use crate::domain::delivery::Category;
use hmac::{Hmac, Mac};
use sha2::Sha256;

fn mac(key: &[u8], user_id: i64, category: Category) -> Hmac<Sha256> {
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(format!("unsubscribe:{user_id}:{}", category.as_str()).as_bytes());
    mac
}

pub fn sign(key: &[u8], user_id: i64, category: Category) -> String {
    let tag = mac(key, user_id, category).finalize().into_bytes();
    format!("{user_id}.{}.{}", category.as_str(), hex::encode(tag))
}

/// The user and category of a genuine token; `None` for anything else (altered, truncated, made up).
pub fn verify(key: &[u8], token: &str) -> Option<(i64, Category)> {
    let mut parts = token.trim().splitn(3, '.');
    let user_id: i64 = parts.next()?.parse().ok()?;
    let category = Category::parse(parts.next()?)?;
    let tag = hex::decode(parts.next()?).ok()?;
    mac(key, user_id, category).verify_slice(&tag).ok()?;
    Some((user_id, category))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn a_signed_token_verifies() {
        let token = sign(KEY, 42, Category::Orders);
        assert_eq!(verify(KEY, &token), Some((42, Category::Orders)));
    }

    #[test]
    fn altered_or_foreign_tokens_do_not_verify() {
        let token = sign(KEY, 42, Category::Orders);
        let other_user = token.replacen("42.", "43.", 1);
        let other_category = token.replacen("orders", "announcements", 1);
        let mut flipped = token.clone();
        let last = flipped.pop().unwrap();
        flipped.push(if last == '0' { '1' } else { '0' });
        for bad in
            [other_user.as_str(), &other_category, &flipped, "42.orders", "", "x.orders.00", &token[..token.len() - 2]]
        {
            assert_eq!(verify(KEY, bad), None, "{bad}");
        }
        assert_eq!(verify(b"another key", &token), None);
    }
}
