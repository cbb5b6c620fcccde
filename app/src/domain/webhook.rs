//! Webhooks (Standard Webhooks, https://www.standardwebhooks.com): which events an endpoint may
//! subscribe to, which URLs it may point at, its secret, and how a message is signed. Pure: the
//! random bytes and the clock come from the caller.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The event every endpoint receives on "send test event", whatever its filter.
pub const TEST_EVENT: &str = "webhook.test";

/// What a seller organisation's endpoints may receive: its own orders, refunds, disputes, payouts
/// and listing decisions (the names the code emits when they happen).
pub const SELLER_EVENTS: [&str; 18] = [
    "orders.paid",
    "orders.shipped",
    "orders.completed",
    "orders.cancelled",
    "refunds.requested",
    "refunds.accepted",
    "refunds.refused",
    "refunds.withdrawn",
    "disputes.opened",
    "disputes.decided",
    "payouts.requested",
    "payouts.approved",
    "payouts.paid",
    "payouts.failed",
    "payouts.rejected",
    "listings.approved",
    "listings.rejected",
    "listings.blocked",
];

/// What the platform's endpoints (managed in the console) may receive: work arriving at the
/// operators' queues.
pub const PLATFORM_EVENTS: [&str; 6] = [
    "sellers.applied",
    "listings.submitted",
    "reports.created",
    "payouts.requested",
    "disputes.opened",
    "incidents.opened",
];

/// Whose endpoints a message is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The platform's own endpoints (`organisation_id` NULL).
    Platform,
    /// One seller organisation's endpoints.
    Seller(i64),
}

impl Scope {
    /// The scope of an endpoint row by its `organisation_id`.
    pub fn from_organisation(organisation_id: Option<i64>) -> Scope {
        organisation_id.map_or(Scope::Platform, Scope::Seller)
    }

    pub fn organisation_id(self) -> Option<i64> {
        match self {
            Scope::Platform => None,
            Scope::Seller(org) => Some(org),
        }
    }

    /// The event types an endpoint of this scope may subscribe to.
    pub fn offered(self) -> &'static [&'static str] {
        match self {
            Scope::Platform => &PLATFORM_EVENTS,
            Scope::Seller(_) => &SELLER_EVENTS,
        }
    }
}

/// Whether an endpoint subscribed to `filter` (empty: everything its scope offers) wants `event`.
/// The test event goes to whoever asks for it.
pub fn subscribed(filter: &[String], event: &str) -> bool {
    event == TEST_EVENT || filter.is_empty() || filter.iter().any(|e| e == event)
}

/// The stored form of an event filter (comma-separated) to a list.
pub fn split_event_types(stored: &str) -> Vec<String> {
    stored.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Parses a filter chosen in the form: each one offered to `scope`, no duplicates, sorted.
/// Error: the message key for the field.
pub fn parse_event_types(chosen: &[String], scope: Scope) -> Result<Vec<String>, &'static str> {
    let mut out: Vec<String> = Vec::new();
    for e in chosen.iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
        if !scope.offered().contains(&e) {
            return Err("webhooks.unknown_event");
        }
        if !out.iter().any(|o| o == e) {
            out.push(e.to_string());
        }
    }
    out.sort();
    Ok(out)
}

pub const URL_MAX_CHARS: usize = 2_000;
pub const DESCRIPTION_MAX_CHARS: usize = 200;

/// Parses and checks an endpoint URL: http or https, no credentials, at most 2,000 characters, a
/// host, and unless `allow_private` no IP literal in a loopback, private, link-local, unique-local
/// or unspecified range. (A host name is checked again after resolution, at delivery.)
/// Error: the message key for the field.
pub fn check_url(raw: &str, allow_private: bool) -> Result<url::Url, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("webhooks.url_required");
    }
    if raw.chars().count() > URL_MAX_CHARS {
        return Err("webhooks.url_too_long");
    }
    let url = url::Url::parse(raw).map_err(|_| "webhooks.url_invalid")?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err("webhooks.url_scheme");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("webhooks.url_credentials");
    }
    let ip = match url.host() {
        None => return Err("webhooks.url_invalid"),
        Some(url::Host::Domain(_)) => None,
        Some(url::Host::Ipv4(v4)) => Some(IpAddr::V4(v4)),
        Some(url::Host::Ipv6(v6)) => Some(IpAddr::V6(v6)),
    };
    if let Some(ip) = ip {
        if !allow_private && is_private(ip) {
            return Err("webhooks.url_private");
        }
    }
    Ok(url)
}

/// Addresses a webhook must not reach from the platform's own network: loopback, private (RFC 1918,
/// carrier-grade NAT), link-local (cloud metadata lives there), unique-local, unspecified, broadcast,
/// multicast, and IPv4 written inside IPv6.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_private_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private_v4(v4);
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (first & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (first & 0xffc0) == 0xfec0 // site-local (deprecated) fec0::/10
                || v6.segments()[..6] == [0, 0, 0, 0, 0, 0] // IPv4-compatible ::a.b.c.d
                || v6 == Ipv6Addr::LOCALHOST
        }
    }
}

fn is_private_v4(v4: Ipv4Addr) -> bool {
    let [a, b, ..] = v4.octets();
    v4.is_loopback()
        || v4.is_private()
        || v4.is_link_local()
        || v4.is_unspecified()
        || v4.is_broadcast()
        || v4.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT 100.64.0.0/10
}

/// Checks a description: at most 200 characters.
pub fn check_description(raw: &str) -> Result<String, &'static str> {
    let d = raw.trim();
    if d.chars().count() > DESCRIPTION_MAX_CHARS {
        return Err("webhooks.description_too_long");
    }
    Ok(d.to_string())
}

/// A new endpoint secret from 32 random bytes: `whsec_` + base64.
pub fn secret_from_bytes(bytes: &[u8; 32]) -> String {
    format!("whsec_{}", B64.encode(bytes))
}

/// The key bytes of a `whsec_` secret (`None` for anything else).
fn secret_key(secret: &str) -> Option<Vec<u8>> {
    B64.decode(secret.strip_prefix("whsec_")?).ok()
}

/// One signature: `v1,` + base64(HMAC-SHA256(key, "{msg_id}.{timestamp}.{body}")).
pub fn sign(secret: &str, msg_id: &str, timestamp_s: i64, body: &str) -> Option<String> {
    let key = secret_key(secret)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{msg_id}.{timestamp_s}.{body}").as_bytes());
    Some(format!("v1,{}", B64.encode(mac.finalize().into_bytes())))
}

/// The `webhook-signature` header: one signature per secret in use (two during a rotation),
/// space-separated, so a receiver holding either secret verifies the message.
pub fn signature_header(secrets: &[&str], msg_id: &str, timestamp_s: i64, body: &str) -> Option<String> {
    let signatures: Option<Vec<String>> = secrets.iter().map(|s| sign(s, msg_id, timestamp_s, body)).collect();
    Some(signatures?.join(" "))
}

/// The `webhook-id` of outbox row `outbox_id`: stable across retries and replays.
pub fn message_id(outbox_id: i64) -> String {
    format!("msg_{outbox_id}")
}

/// After a rotation the previous secret keeps signing for this long, so receivers can switch.
pub const ROTATION_OVERLAP_MS: i64 = 24 * 3_600_000;

/// An endpoint whose deliveries have failed without a success for this long is disabled.
pub const FAILING_DISABLE_MS: i64 = 5 * 24 * 3_600_000;

/// Whether an endpoint failing since `failing_since` has failed long enough to be disabled at `now`.
pub fn failing_too_long(failing_since: Option<i64>, now_ms: i64) -> bool {
    failing_since.is_some_and(|since| now_ms - since >= FAILING_DISABLE_MS)
}

/// The message body (Standard Webhooks): `{"type", "timestamp", "data"}`, the time in RFC 3339 UTC.
pub fn body(event_type: &str, at_ms: i64, data: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"type": event_type, "timestamp": rfc3339(at_ms), "data": data})
}

/// `YYYY-MM-DDTHH:MM` (a datetime-local field, read as UTC) in Unix ms; `None` when malformed.
pub fn parse_utc_minute(s: &str) -> Option<i64> {
    let (date, time) = s.trim().split_once('T')?;
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let (h, min) = time.split_once(':')?;
    let (h, min): (i64, i64) = (h.parse().ok()?, min.get(..2)?.parse().ok()?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) || !(0..24).contains(&h) || !(0..60).contains(&min) {
        return None;
    }
    // Days from civil (H. Hinnant), the inverse of `order::civil_from_days`.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400_000 + h * 3_600_000 + min * 60_000)
}

/// `2026-12-05T16:20:00.123Z`.
pub fn rfc3339(at_ms: i64) -> String {
    let (y, m, d) = super::order::civil_from_days(at_ms.div_euclid(86_400_000));
    let in_day = at_ms.rem_euclid(86_400_000);
    let (h, min, s, ms) = (in_day / 3_600_000, in_day / 60_000 % 60, in_day / 1000 % 60, in_day % 1000);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{ms:03}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked() {
        assert!(check_url("https://example.com/hooks", false).is_ok());
        assert!(check_url("http://example.com:8080/x?y=1", false).is_ok());
        assert_eq!(check_url("", false).unwrap_err(), "webhooks.url_required");
        assert_eq!(check_url("ftp://example.com/", false).unwrap_err(), "webhooks.url_scheme");
        assert_eq!(check_url("https://user:pw@example.com/", false).unwrap_err(), "webhooks.url_credentials");
        assert_eq!(check_url("https://user@example.com/", false).unwrap_err(), "webhooks.url_credentials");
        assert_eq!(check_url("not a url", false).unwrap_err(), "webhooks.url_invalid");
        let long = format!("https://example.com/{}", "a".repeat(2_000));
        assert_eq!(check_url(&long, false).unwrap_err(), "webhooks.url_too_long");
        for private in [
            "http://10.0.0.1/",
            "http://127.0.0.1:9000/",
            "http://192.168.1.2/",
            "http://172.16.0.1/",
            "http://169.254.169.254/latest",
            "http://0.0.0.0/",
            "http://100.64.0.1/",
            "http://[::1]/",
            "http://[::]/",
            "http://[fe80::1]/",
            "http://[fd00::1]/",
            "http://[::ffff:10.0.0.1]/",
            "http://[::ffff:127.0.0.1]/",
        ] {
            assert_eq!(check_url(private, false).unwrap_err(), "webhooks.url_private", "{private}");
            assert!(check_url(private, true).is_ok(), "{private} allowed");
        }
        assert!(check_url("http://8.8.8.8/", false).is_ok());
        assert!(check_url("http://[2606:4700::1111]/", false).is_ok());
    }

    #[test]
    fn event_filters_stay_within_the_scope() {
        let chosen = vec!["orders.paid".to_string(), "orders.paid".into(), "listings.approved".into()];
        assert_eq!(parse_event_types(&chosen, Scope::Seller(1)).unwrap(), vec!["listings.approved", "orders.paid"]);
        assert_eq!(parse_event_types(&chosen, Scope::Platform).unwrap_err(), "webhooks.unknown_event");
        assert_eq!(
            parse_event_types(&["sellers.applied".to_string()], Scope::Platform).unwrap(),
            vec!["sellers.applied"]
        );
        assert!(subscribed(&[], "orders.paid"));
        assert!(subscribed(&["orders.paid".into()], "orders.paid"));
        assert!(!subscribed(&["orders.paid".into()], "orders.shipped"));
        assert!(subscribed(&["orders.paid".into()], TEST_EVENT));
        assert_eq!(split_event_types("a.b, c.d,,"), vec!["a.b", "c.d"]);
    }

    #[test]
    fn signatures_follow_the_standard() {
        // The example of the Standard Webhooks specification (and its reference libraries' tests).
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).unwrap(),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
        let both = signature_header(&[secret, "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="], "m", 1, "{}");
        let both = both.unwrap();
        assert_eq!(both.split(' ').count(), 2);
        assert!(both.starts_with(&sign(secret, "m", 1, "{}").unwrap()));
        assert!(sign("not-a-secret", "m", 1, "{}").is_none());
        let s = secret_from_bytes(&[7; 32]);
        assert!(s.starts_with("whsec_"));
        assert_eq!(secret_key(&s).unwrap(), vec![7; 32]);
    }

    #[test]
    fn failing_endpoints_are_disabled_after_five_days() {
        assert!(!failing_too_long(None, 10 * FAILING_DISABLE_MS));
        assert!(!failing_too_long(Some(1_000), 1_000 + FAILING_DISABLE_MS - 1));
        assert!(failing_too_long(Some(1_000), 1_000 + FAILING_DISABLE_MS));
    }

    #[test]
    fn bodies_carry_type_timestamp_and_data() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(parse_utc_minute("2026-12-05T16:40"), Some(1_796_488_800_000));
        assert_eq!(parse_utc_minute("1970-01-01T00:00"), Some(0));
        assert_eq!(parse_utc_minute("2026-13-05T16:40"), None);
        assert_eq!(parse_utc_minute("yesterday"), None);
        assert_eq!(rfc3339(1_796_488_800_123), "2026-12-05T16:40:00.123Z");
        let b = body("orders.paid", 0, serde_json::json!({"number": "AG-1"}));
        assert_eq!(b["type"], "orders.paid");
        assert_eq!(b["data"]["number"], "AG-1");
        assert_eq!(message_id(42), "msg_42");
    }
}
