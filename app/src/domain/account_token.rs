//! Account tokens: the single-use secrets the account mails carry (address verification, password
//! reset, address change) and the sign-in codes. What a token is for and how long it lives, how it is
//! hashed for storage, when a stored one may still be used, and how often mails may be asked for.
//! Pure: the storage is `auth::tokens`.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// What a token proves; stored in `account_tokens.purpose` and mixed into its hash, so a token issued
/// for one purpose never passes for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
    ChangeEmail,
    SignInCode,
    /// Ends an account lock (mailed when failed sign-ins lock the account).
    Unlock,
    /// Sets a password an operator asked for: an account the console created (its invitation) or one
    /// whose password an operator reset. Used on the reset page, like `ResetPassword`.
    SetPassword,
    /// The second step of a sign-in: the password (or a mailed code) was right, the authenticator code
    /// is still to come. Held in a short-lived cookie, never mailed.
    SecondFactor,
}

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
            Purpose::ChangeEmail => "change_email",
            Purpose::SignInCode => "sign_in_code",
            Purpose::Unlock => "unlock",
            Purpose::SetPassword => "set_password",
            Purpose::SecondFactor => "second_factor",
        }
    }

    /// How long a token of this purpose can be used after it is issued.
    pub fn lifetime_ms(self) -> i64 {
        match self {
            Purpose::VerifyEmail | Purpose::ChangeEmail => 24 * HOUR_MS,
            // A reset link is a key to the account: short, so one found in an old mailbox is dead.
            Purpose::ResetPassword => 30 * MINUTE_MS,
            Purpose::SignInCode => 10 * MINUTE_MS,
            // Longer than the lock itself: the owner may read the mail after it ended and be locked
            // again by then.
            Purpose::Unlock => HOUR_MS,
            // Sent by an operator, often while the user is not waiting for it (an invitation is read
            // the next day): three days. The account has no usable password until then, so a lost link
            // opens nothing; a new one is one more reset away.
            Purpose::SetPassword => 72 * HOUR_MS,
            // Time to open the app and type six digits; then the password is asked again.
            Purpose::SecondFactor => 5 * MINUTE_MS,
        }
    }
}

/// Wrong entries a sign-in code survives: the fifth wrong one kills it (a million codes, five guesses).
pub const CODE_MAX_TRIES: i64 = 5;

type HmacSha256 = Hmac<Sha256>;

fn hmac_hex(key: &[u8], message: &str) -> String {
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(message.as_bytes());
    hex_lower(&mac.finalize().into_bytes())
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What is stored for a link token: `hex(HMAC-SHA256(key, purpose ":" token))`. Without the key a
/// leaked table gives nothing to try links with.
pub fn token_hash(key: &[u8], purpose: Purpose, token: &str) -> String {
    hmac_hex(key, &format!("{}:{token}", purpose.as_str()))
}

/// What is stored for a sign-in code: the user id is part of the hash, since six digits alone repeat
/// across users.
pub fn code_hash(key: &[u8], user_id: i64, code: &str) -> String {
    hmac_hex(key, &format!("{}:{user_id}:{code}", Purpose::SignInCode.as_str()))
}

/// What is stored for a recovery code (the second factor's): keyed, and with the user id, so a leaked
/// table neither reveals codes nor lets one user's code be tried for another.
pub fn recovery_code_hash(key: &[u8], user_id: i64, code: &str) -> String {
    hmac_hex(key, &format!("recovery:{user_id}:{code}"))
}

/// The length of a link token: 32 random bytes in base64url without padding.
pub const TOKEN_CHARS: usize = 43;

/// Whether `s` can be a link token at all. Anything else is refused before any look-up (and no
/// megabyte of input is hashed).
pub fn is_token_shaped(s: &str) -> bool {
    s.len() == TOKEN_CHARS && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A sign-in code as typed: six digits, spaces and dashes (as in "123 456") ignored.
pub fn parse_code(input: &str) -> Option<String> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// Six digits from a random number (any `u32`; the bias of the modulo is below one in four thousand).
pub fn code_from(random: u32) -> String {
    format!("{:06}", random % 1_000_000)
}

/// A stored token's state, as far as deciding whether it may be used now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenState {
    pub expires_at: i64,
    pub used_at: Option<i64>,
    pub attempts: i64,
}

/// Why a token cannot be used. An unknown (forged, mistyped) token is `Unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    Unknown,
    Expired,
    /// Used already, or replaced by a newer one of the same purpose.
    Used,
    /// A sign-in code entered wrongly `CODE_MAX_TRIES` times.
    Dead,
}

impl TokenProblem {
    /// The message key shown to the person holding the link or code.
    pub fn code(self) -> &'static str {
        match self {
            TokenProblem::Unknown => "account_token.unknown",
            TokenProblem::Expired => "account_token.expired",
            TokenProblem::Used => "account_token.used",
            TokenProblem::Dead => "account_token.dead",
        }
    }
}

/// Whether a stored token may be used at `now`.
pub fn usable(t: &TokenState, now_ms: i64) -> Result<(), TokenProblem> {
    if t.used_at.is_some() {
        return Err(TokenProblem::Used);
    }
    if t.attempts >= CODE_MAX_TRIES {
        return Err(TokenProblem::Dead);
    }
    if now_ms >= t.expires_at {
        return Err(TokenProblem::Expired);
    }
    Ok(())
}

/// At most one mail of a purpose per address per minute: ten reset requests in a minute send one.
pub const MAIL_INTERVAL_MS: i64 = MINUTE_MS;

/// Whether another mail may go out, given when the last one of the same purpose was issued.
pub fn may_mail_again(last_issued_at: Option<i64>, now_ms: i64) -> bool {
    last_issued_at.is_none_or(|last| now_ms - last >= MAIL_INTERVAL_MS)
}

/// Seconds until `may_mail_again` allows the next mail (for a signed-in user's "resend", who may be
/// told).
pub fn mail_again_in_s(last_issued_at: i64, now_ms: i64) -> i64 {
    ((last_issued_at + MAIL_INTERVAL_MS - now_ms).max(0) + 999) / 1000
}

/// Requests for mails (reset links, sign-in codes) one IP may make per window, whatever the addresses:
/// the per-address limit alone would let one machine mail every address it knows once a minute.
pub const IP_REQUESTS_PER_WINDOW: i64 = 20;
pub const IP_WINDOW_MS: i64 = HOUR_MS;

/// An IP's count in its current window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpWindow {
    pub count: i64,
    pub started_at: i64,
}

/// Counts one request from an IP: the new window state, or the seconds to wait when the cap is
/// reached. A window older than `IP_WINDOW_MS` starts over.
pub fn count_ip_request(w: IpWindow, now_ms: i64) -> Result<IpWindow, i64> {
    if now_ms - w.started_at >= IP_WINDOW_MS {
        return Ok(IpWindow { count: 1, started_at: now_ms });
    }
    if w.count >= IP_REQUESTS_PER_WINDOW {
        return Err((w.started_at + IP_WINDOW_MS - now_ms + 999) / 1000);
    }
    Ok(IpWindow { count: w.count + 1, started_at: w.started_at })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        assert_eq!(
            hmac_hex(b"Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn a_token_hash_depends_on_the_key_the_purpose_and_the_token() {
        let t = "A".repeat(TOKEN_CHARS);
        let h = token_hash(KEY, Purpose::ResetPassword, &t);
        assert_eq!(h.len(), 64);
        assert_eq!(h, token_hash(KEY, Purpose::ResetPassword, &t), "deterministic: it is looked up");
        assert_ne!(h, token_hash(KEY, Purpose::VerifyEmail, &t), "a verify link is no reset link");
        assert_ne!(h, token_hash(b"another key", Purpose::ResetPassword, &t));
        assert_ne!(h, token_hash(KEY, Purpose::ResetPassword, &"B".repeat(TOKEN_CHARS)));
    }

    #[test]
    fn a_code_hash_is_bound_to_its_user() {
        assert_ne!(code_hash(KEY, 1, "123456"), code_hash(KEY, 2, "123456"));
        assert_eq!(code_hash(KEY, 1, "123456"), code_hash(KEY, 1, "123456"));
    }

    #[test]
    fn lifetimes_follow_the_issue() {
        assert_eq!(Purpose::VerifyEmail.lifetime_ms(), 86_400_000);
        assert_eq!(Purpose::ChangeEmail.lifetime_ms(), 86_400_000);
        assert_eq!(Purpose::ResetPassword.lifetime_ms(), 1_800_000);
        assert_eq!(Purpose::SignInCode.lifetime_ms(), 600_000);
        assert_eq!(Purpose::Unlock.lifetime_ms(), 3_600_000);
    }

    #[test]
    fn only_token_shaped_input_is_looked_up() {
        assert!(is_token_shaped(&"aZ09-_a".repeat(7)[..TOKEN_CHARS]));
        assert!(!is_token_shaped(""));
        assert!(!is_token_shaped(&"a".repeat(TOKEN_CHARS + 1)));
        assert!(!is_token_shaped(&format!("{}=", "a".repeat(TOKEN_CHARS - 1))));
        assert!(!is_token_shaped(&"é".repeat(TOKEN_CHARS)));
    }

    #[test]
    fn codes_are_six_digits_as_typed() {
        assert_eq!(parse_code(" 123 456 ").as_deref(), Some("123456"));
        assert_eq!(parse_code("123-456").as_deref(), Some("123456"));
        assert_eq!(parse_code("12345"), None);
        assert_eq!(parse_code("1234567"), None);
        assert_eq!(parse_code("12345a"), None);
        assert_eq!(parse_code("١٢٣٤٥٦"), None, "only ASCII digits");
        assert_eq!(code_from(7), "000007");
        assert_eq!(code_from(u32::MAX), "967295");
    }

    #[test]
    fn a_token_is_usable_once_before_it_expires() {
        let fresh = TokenState { expires_at: 1_000, used_at: None, attempts: 0 };
        assert_eq!(usable(&fresh, 999), Ok(()));
        assert_eq!(usable(&fresh, 1_000), Err(TokenProblem::Expired));
        let used = TokenState { used_at: Some(500), ..fresh };
        assert_eq!(usable(&used, 600), Err(TokenProblem::Used));
    }

    #[test]
    fn a_code_dies_at_the_fifth_wrong_entry() {
        let t = TokenState { expires_at: 1_000, used_at: None, attempts: CODE_MAX_TRIES - 1 };
        assert_eq!(usable(&t, 0), Ok(()));
        assert_eq!(usable(&TokenState { attempts: CODE_MAX_TRIES, ..t }, 0), Err(TokenProblem::Dead));
    }

    #[test]
    fn one_mail_a_minute_per_address() {
        assert!(may_mail_again(None, 0));
        assert!(!may_mail_again(Some(10_000), 69_999));
        assert!(may_mail_again(Some(10_000), 70_000));
        assert_eq!(mail_again_in_s(10_000, 10_000), 60);
        assert_eq!(mail_again_in_s(10_000, 69_500), 1);
    }

    #[test]
    fn an_ip_gets_a_capped_number_of_requests_per_window() {
        let mut w = IpWindow { count: 0, started_at: 0 };
        w = count_ip_request(w, IP_WINDOW_MS).unwrap();
        assert_eq!(w, IpWindow { count: 1, started_at: IP_WINDOW_MS }, "a stale window starts over");
        for _ in 1..IP_REQUESTS_PER_WINDOW {
            w = count_ip_request(w, IP_WINDOW_MS + 1).unwrap();
        }
        assert_eq!(w.count, IP_REQUESTS_PER_WINDOW);
        assert_eq!(count_ip_request(w, IP_WINDOW_MS + 1_000), Err(3_599));
        assert!(count_ip_request(w, 2 * IP_WINDOW_MS).is_ok(), "the next window allows again");
    }
}
