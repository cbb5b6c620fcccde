//! Session lifetime rules. A session ends after `idle` without a request or `absolute` after sign-in,
//! whichever comes first; sign-out and bans end it at once by deleting it. An operator's session (a
//! user holding any console role) idles out sooner: an unattended console can move money and
//! ban people, an unattended shop tab cannot.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle_ms: i64,
    /// The idle timeout of an operator's sessions.
    pub operator_idle_ms: i64,
    pub absolute_ms: i64,
}

/// Writing `last_seen` on every request would make every page view a database write; once a minute is
/// precise enough for an idle timeout measured in tens of minutes.
pub const TOUCH_EVERY_MS: i64 = 60_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionCheck {
    Valid { touch: bool },
    IdleExpired,
    AbsoluteExpired,
}

impl SessionPolicy {
    /// The idle timeout of a session of a user who is (or is not) an operator.
    pub fn idle_for(&self, operator: bool) -> i64 {
        if operator {
            self.operator_idle_ms.min(self.idle_ms)
        } else {
            self.idle_ms
        }
    }

    pub fn check(&self, created_at_ms: i64, last_seen_ms: i64, now_ms: i64, operator: bool) -> SessionCheck {
        if now_ms - created_at_ms >= self.absolute_ms {
            return SessionCheck::AbsoluteExpired;
        }
        if now_ms - last_seen_ms >= self.idle_for(operator) {
            return SessionCheck::IdleExpired;
        }
        SessionCheck::Valid { touch: now_ms - last_seen_ms >= TOUCH_EVERY_MS }
    }
}

/// What a person recognises a session by in their sessions list: "Chrome on Windows", "Safari on
/// iPhone". Read from the User-Agent the browser sent at sign-in; anything unrecognised (or a UA
/// written to mislead) is shown as an unknown browser on an unknown system, never as raw text.
pub fn device_label(user_agent: &str) -> (&'static str, &'static str) {
    let ua = user_agent;
    // Order matters: Edge and Opera say "Chrome", Chrome says "Safari", every Android says "Linux".
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Safari/", "Safari"),
    ]
    .into_iter()
    .find(|(mark, _)| ua.contains(mark))
    .map_or("", |(_, name)| name);
    let system = [
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(mark, _)| ua.contains(mark))
    .map_or("", |(_, name)| name);
    (browser, system)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operators_session_idles_out_sooner() {
        let at_20_min = 20 * 60_000;
        assert_eq!(POLICY.check(0, 0, at_20_min, false), SessionCheck::Valid { touch: true });
        assert_eq!(POLICY.check(0, 0, at_20_min, true), SessionCheck::IdleExpired);
        // A console timeout set longer than the shop's never lengthens an operator's session.
        let loose = SessionPolicy { operator_idle_ms: 90 * 60_000, ..POLICY };
        assert_eq!(loose.idle_for(true), POLICY.idle_ms);
    }

    #[test]
    fn common_browsers_are_named_by_browser_and_system() {
        let chrome_windows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
        assert_eq!(device_label(chrome_windows), ("Chrome", "Windows"));
        let safari_iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
        assert_eq!(device_label(safari_iphone), ("Safari", "iPhone"));
        let edge_mac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
        assert_eq!(device_label(edge_mac), ("Edge", "macOS"));
        let firefox_android = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0";
        assert_eq!(device_label(firefox_android), ("Firefox", "Android"));
        let headless_linux = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36";
        assert_eq!(device_label(headless_linux).1, "Linux");
    }

    #[test]
    fn anything_else_is_unknown_not_echoed() {
        assert_eq!(device_label(""), ("", ""));
        assert_eq!(device_label("curl/8.5.0"), ("", ""));
        assert_eq!(device_label("<script>alert(1)</script>"), ("", ""));
    }

    const POLICY: SessionPolicy =
        SessionPolicy { idle_ms: 30 * 60_000, operator_idle_ms: 15 * 60_000, absolute_ms: 12 * 3_600_000 };

    #[test]
    fn a_fresh_session_is_valid_without_a_write() {
        assert_eq!(POLICY.check(0, 0, 1_000, false), SessionCheck::Valid { touch: false });
    }

    #[test]
    fn an_active_session_is_touched_once_a_minute() {
        assert_eq!(POLICY.check(0, 0, 61_000, false), SessionCheck::Valid { touch: true });
    }

    #[test]
    fn an_idle_session_expires() {
        assert_eq!(POLICY.check(0, 0, 30 * 60_000, false), SessionCheck::IdleExpired);
    }

    #[test]
    fn a_busy_session_still_ends_at_the_absolute_limit() {
        let t = 12 * 3_600_000;
        assert_eq!(POLICY.check(0, t - 1, t, false), SessionCheck::AbsoluteExpired);
    }
}
