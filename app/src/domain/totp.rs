//! The second factor: time-based one-time passwords (RFC 6238, HMAC-SHA1, 30-second steps, six
//! digits: what every authenticator app reads from an `otpauth://` QR code) and the ten one-time
//! recovery codes that stand in for a lost phone.
//!
//! A code is accepted one step either side of now (a phone's clock a little off) and never twice:
//! the caller stores the last step used and passes it back, so a code seen over a shoulder or in a
//! proxy log is dead once used.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds per step (RFC 6238's default; every authenticator app assumes it).
pub const STEP_SECONDS: i64 = 30;
/// Steps accepted either side of now: one, so a clock up to 30 s off still works and one further off
/// does not.
pub const SKEW_STEPS: i64 = 1;
/// Digits of a code.
pub const DIGITS: u32 = 6;
/// Bytes of a secret: 160 bits, RFC 4226's recommendation for HMAC-SHA1.
pub const SECRET_BYTES: usize = 20;
/// Recovery codes given at enrolment (and each time they are renewed).
pub const RECOVERY_CODES: usize = 10;
/// Bytes of randomness in one recovery code: 50 bits, written as ten base32 letters.
pub const RECOVERY_CODE_BYTES: usize = 7;

/// The shared key, as the authenticator app and the server both hold it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(redacted)")
    }
}

impl Secret {
    pub fn from_bytes(bytes: &[u8]) -> Secret {
        Secret(bytes.to_vec())
    }

    /// The secret as stored and as typed into an app by hand: RFC 4648 base32, no padding.
    pub fn to_base32(&self) -> String {
        base32_encode(&self.0)
    }

    pub fn from_base32(text: &str) -> Option<Secret> {
        base32_decode(text).filter(|b| !b.is_empty()).map(Secret)
    }

    /// The key in groups of four letters, easier to copy by eye.
    pub fn grouped(&self) -> String {
        let plain = self.to_base32();
        plain.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
    }
}

/// The step a moment falls in.
pub fn step_at(now_ms: i64) -> i64 {
    now_ms.div_euclid(1000).div_euclid(STEP_SECONDS)
}

/// The code of `step` with `digits` digits (RFC 4226's dynamic truncation).
pub fn code_of(secret: &Secret, step: i64, digits: u32) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(&secret.0).expect("HMAC accepts any key length");
    mac.update(&(step as u64).to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = (hash[hash.len() - 1] & 0x0f) as usize;
    let binary = u32::from_be_bytes([hash[offset] & 0x7f, hash[offset + 1], hash[offset + 2], hash[offset + 3]]);
    format!("{:0width$}", binary % 10u32.pow(digits), width = digits as usize)
}

/// Why a code was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeProblem {
    /// Not six digits.
    Malformed,
    /// No step within the skew has this code.
    Wrong,
    /// The code is right but its step (or a later one) was already used.
    Reused,
}

impl CodeProblem {
    pub fn code(self) -> &'static str {
        match self {
            CodeProblem::Malformed => "totp.malformed",
            CodeProblem::Wrong => "totp.wrong",
            CodeProblem::Reused => "totp.reused",
        }
    }
}

/// The six digits of a typed code (spaces and a dash allowed), or `None`.
pub fn parse_code(input: &str) -> Option<String> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    (digits.len() == DIGITS as usize && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// Checks `input` at `now_ms`; `last_used_step` is the step of the last accepted code (0: none).
/// Returns the step to store as the new last used one.
pub fn verify(secret: &Secret, input: &str, now_ms: i64, last_used_step: i64) -> Result<i64, CodeProblem> {
    let code = parse_code(input).ok_or(CodeProblem::Malformed)?;
    let now = step_at(now_ms);
    let matched = (now - SKEW_STEPS..=now + SKEW_STEPS)
        .find(|step| constant_time_eq(code_of(secret, *step, DIGITS).as_bytes(), code.as_bytes()))
        .ok_or(CodeProblem::Wrong)?;
    if matched <= last_used_step {
        return Err(CodeProblem::Reused);
    }
    Ok(matched)
}

/// What an authenticator app scans: `otpauth://totp/Issuer:account?secret=…&issuer=…`.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &Secret) -> String {
    let label = format!("{}:{}", percent(issuer), percent(account));
    format!(
        "otpauth://totp/{label}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        secret.to_base32(),
        percent(issuer)
    )
}

/// A recovery code as shown: ten base32 letters in lower case, split 5-5 (`abcde-fghij`).
pub fn recovery_code_from(bytes: &[u8; RECOVERY_CODE_BYTES]) -> String {
    let letters = base32_encode(bytes).to_lowercase();
    let letters = &letters[..10];
    format!("{}-{}", &letters[..5], &letters[5..])
}

/// A typed recovery code in the form it is hashed in (lower case, no dash or spaces), or `None` when
/// it cannot be one (so no hashing of arbitrary input).
pub fn parse_recovery_code(input: &str) -> Option<String> {
    let plain: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_lowercase();
    (plain.len() == 10 && plain.bytes().all(|b| matches!(b, b'a'..=b'z' | b'2'..=b'7'))).then_some(plain)
}

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | b as u32;
        bits += 8;
        while bits >= 5 {
            out.push(ALPHABET[((buffer >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let value = ALPHABET.iter().position(|a| *a as char == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            out.push((buffer >> (bits - 8)) as u8);
            bits -= 8;
        }
        buffer &= (1 << bits) - 1;
    }
    Some(out)
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B's SHA-1 key: the ASCII string "12345678901234567890".
    fn rfc_secret() -> Secret {
        Secret::from_bytes(b"12345678901234567890")
    }

    #[test]
    fn the_rfc_6238_test_vectors_hold() {
        let vectors = [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ];
        for (seconds, expected) in vectors {
            assert_eq!(code_of(&rfc_secret(), step_at(seconds * 1000), 8), expected, "T = {seconds}");
        }
        // Six digits are the last six of the eight.
        assert_eq!(code_of(&rfc_secret(), step_at(59_000), 6), "287082");
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_no_further() {
        let s = rfc_secret();
        let now = 1_111_111_111_000;
        let step = step_at(now);
        for offset in [-1, 0, 1] {
            assert_eq!(verify(&s, &code_of(&s, step + offset, 6), now, 0), Ok(step + offset));
        }
        for offset in [-2, 2, 10] {
            assert_eq!(verify(&s, &code_of(&s, step + offset, 6), now, 0), Err(CodeProblem::Wrong), "{offset}");
        }
    }

    #[test]
    fn a_code_is_never_accepted_twice_nor_an_older_one_after_a_newer() {
        let s = rfc_secret();
        let now = 1_234_567_890_000;
        let step = step_at(now);
        let used = verify(&s, &code_of(&s, step, 6), now, 0).unwrap();
        assert_eq!(verify(&s, &code_of(&s, step, 6), now, used), Err(CodeProblem::Reused));
        assert_eq!(verify(&s, &code_of(&s, step - 1, 6), now, used), Err(CodeProblem::Reused));
        assert_eq!(verify(&s, &code_of(&s, step + 1, 6), now, used), Ok(step + 1));
    }

    #[test]
    fn malformed_codes_are_refused_before_any_hashing() {
        let s = rfc_secret();
        for input in ["", "12345", "1234567", "12a456", "<b>123</b>", &"9".repeat(10_000)] {
            assert_eq!(verify(&s, input, 0, 0), Err(CodeProblem::Malformed), "{input:.20}");
        }
        assert_eq!(parse_code(" 287 082 "), Some("287082".into()));
        assert_eq!(parse_code("287-082"), Some("287082".into()));
    }

    #[test]
    fn base32_round_trips_and_matches_rfc_4648() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_decode("MZXW6YTBOI").unwrap(), b"foobar");
        assert_eq!(base32_decode("mzxw 6ytb oi======").unwrap(), b"foobar");
        assert!(base32_decode("MZXW1").is_none(), "1 is not in the alphabet");
        let s = Secret::from_bytes(&[7u8; SECRET_BYTES]);
        assert_eq!(Secret::from_base32(&s.to_base32()), Some(s.clone()));
        assert_eq!(s.to_base32().len(), 32);
        assert_eq!(Secret::from_base32(&s.grouped()), Some(s));
    }

    #[test]
    fn the_otpauth_uri_names_issuer_account_and_secret() {
        let uri = otpauth_uri("Agora Market", "ann@example.com", &rfc_secret());
        assert_eq!(
            uri,
            "otpauth://totp/Agora%20Market:ann@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Agora%20Market&algorithm=SHA1&digits=6&period=30"
        );
    }

    #[test]
    fn recovery_codes_are_ten_letters_and_parse_back_whatever_the_case_and_dash() {
        let code = recovery_code_from(&[0xff, 0x00, 0x12, 0x34, 0x56, 0x78, 0x9a]);
        assert_eq!(code.len(), 11);
        assert_eq!(&code[5..6], "-");
        let plain = parse_recovery_code(&code).unwrap();
        assert_eq!(parse_recovery_code(&code.to_uppercase()), Some(plain.clone()));
        assert_eq!(parse_recovery_code(&code.replace('-', " ")), Some(plain));
        for bad in ["", "abcde-fghi", "abcde-fghij1", "abcde-fgh1j", "<script>", &"a".repeat(5000)] {
            assert_eq!(parse_recovery_code(bad), None, "{bad:.20}");
        }
    }

    #[test]
    fn a_secret_never_prints() {
        assert_eq!(format!("{:?}", rfc_secret()), "Secret(redacted)");
    }
}
