//! The runtime settings catalog (issue 15): every setting an operator may change without a restart,
//! its group, its type and bounds. Values travel as canonical strings (what is stored and compared);
//! `parse_input` turns what a form sent into one, or says what is wrong. The start-up value of each
//! comes from the configuration (`Leptos.toml`, `AGORA_*`), which can also pin it.

use super::account::Email;
use super::curation::parse_local_time;

/// Where a setting is shown in the settings centre, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Platform,
    Orders,
    Payments,
    Trust,
    Delivery,
    Security,
    Flags,
    Maintenance,
}

impl Group {
    pub const ALL: [Group; 8] = [
        Group::Platform,
        Group::Orders,
        Group::Payments,
        Group::Trust,
        Group::Delivery,
        Group::Security,
        Group::Flags,
        Group::Maintenance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Group::Platform => "platform",
            Group::Orders => "orders",
            Group::Payments => "payments",
            Group::Trust => "trust",
            Group::Delivery => "delivery",
            Group::Security => "security",
            Group::Flags => "flags",
            Group::Maintenance => "maintenance",
        }
    }
}

/// What a number counts, for its label and hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    /// Minor units of the platform's currency.
    Minor,
    Ms,
    Minutes,
    Hours,
    Days,
    Bytes,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Minor => "minor",
            Unit::Ms => "ms",
            Unit::Minutes => "minutes",
            Unit::Hours => "hours",
            Unit::Days => "days",
            Unit::Bytes => "bytes",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int {
        min: i64,
        max: i64,
        unit: Unit,
    },
    Bool,
    /// One of the listed values.
    Choice(&'static [&'static str]),
    /// Any of the listed values, at least one (canonical: in the listed order, comma separated).
    Choices(&'static [&'static str]),
    /// One line of at most `max_chars` characters; may be empty.
    Text {
        max_chars: usize,
    },
    Email,
    /// At most `max` addresses (canonical: lower case, comma separated, no repeats); may be empty.
    EmailList {
        max: usize,
    },
    /// A host name or IP address, without scheme or port; may be empty (off).
    Host,
    /// Sealed at rest, shown masked, never logged; may be empty (not set).
    Secret {
        max_chars: usize,
    },
    /// An instant (Unix ms), entered in the platform's time zone; may be empty (none).
    Instant,
    /// A feature flag's rule (`domain::flags::FlagRule`, JSON).
    Flag,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingSpec {
    pub key: &'static str,
    pub group: Group,
    pub kind: Kind,
}

impl SettingSpec {
    pub fn is_secret(&self) -> bool {
        matches!(self.kind, Kind::Secret { .. })
    }
}

const fn int(key: &'static str, group: Group, min: i64, max: i64, unit: Unit) -> SettingSpec {
    SettingSpec { key, group, kind: Kind::Int { min, max, unit } }
}

const fn of(key: &'static str, group: Group, kind: Kind) -> SettingSpec {
    SettingSpec { key, group, kind }
}

/// The highest rate limit a setting takes (requests per minute, per IP address or account): beyond it
/// a limit would only cost the counting.
pub const RATE_PER_MINUTE_MAX: i64 = 1_000_000;
pub const MAINTENANCE_MODES: &[&str] = &["off", "read_only", "closed"];
pub const MAINTENANCE_ALLOW_MAX: usize = 20;
pub const MAINTENANCE_MESSAGE_MAX_CHARS: usize = 500;

/// Every runtime setting. The keys are the configuration's keys, in the configuration's units, so a
/// value means the same in `Leptos.toml` and in the console.
pub const CATALOG: &[SettingSpec] = &[
    of("signup_policy", Group::Platform, Kind::Choice(&["open", "invite_only"])),
    int("export_stream_max_rows", Group::Platform, 1, 1_000_000, Unit::Count),
    int("readiness_target_listings", Group::Platform, 0, 1_000_000, Unit::Count),
    int("readiness_target_sellers", Group::Platform, 0, 100_000, Unit::Count),
    int("readiness_target_orders", Group::Platform, 0, 1_000_000, Unit::Count),
    int("shipping_fee_minor", Group::Orders, 0, 100_000_000, Unit::Minor),
    int("refund_response_hours", Group::Orders, 1, 720, Unit::Hours),
    int("dispute_sla_hours", Group::Orders, 1, 720, Unit::Hours),
    int("settlement_hold_days", Group::Orders, 0, 90, Unit::Days),
    of("payment_providers", Group::Payments, Kind::Choices(&["bank_transfer", "sandbox"])),
    int("payout_min_minor", Group::Payments, 1, 100_000_000, Unit::Minor),
    int("payout_cooling_off_hours", Group::Payments, 0, 720, Unit::Hours),
    int("payout_review_threshold_minor", Group::Payments, 1, 10_000_000_000, Unit::Minor),
    int("review_sla_hours", Group::Trust, 1, 720, Unit::Hours),
    int("trust_dispute_window_days", Group::Trust, 1, 730, Unit::Days),
    int("trust_price_ratio_percent", Group::Trust, 101, 1_000, Unit::Count),
    int("trust_price_window_days", Group::Trust, 1, 1_095, Unit::Days),
    int("risk_failed_sign_ins_per_hour", Group::Trust, 1, 100000, Unit::Count),
    int("risk_accounts_per_ip", Group::Trust, 2, 100000, Unit::Count),
    int("risk_refused_per_hour", Group::Trust, 1, 100000, Unit::Count),
    int("risk_refund_rate_percent", Group::Trust, 1, 100, Unit::Count),
    int("risk_dispute_rate_percent", Group::Trust, 1, 100, Unit::Count),
    int("risk_rate_min_orders", Group::Trust, 1, 1000000, Unit::Count),
    int("risk_large_payment_minor", Group::Trust, 1, 10000000000, Unit::Minor),
    of("smtp_host", Group::Delivery, Kind::Host),
    int("smtp_port", Group::Delivery, 1, 65_535, Unit::Count),
    of("smtp_security", Group::Delivery, Kind::Choice(&["starttls", "tls", "none"])),
    of("smtp_username", Group::Delivery, Kind::Text { max_chars: 200 }),
    of("smtp_password", Group::Delivery, Kind::Secret { max_chars: 500 }),
    of("mail_from_address", Group::Delivery, Kind::Email),
    of("mail_from_name", Group::Delivery, Kind::Text { max_chars: 100 }),
    int("webhook_timeout_ms", Group::Delivery, 1_000, 60_000, Unit::Ms),
    of("operator_second_factor", Group::Security, Kind::Choice(&["required", "optional"])),
    int("session_idle_minutes", Group::Security, 5, 1_440, Unit::Minutes),
    int("console_session_idle_minutes", Group::Security, 5, 1_440, Unit::Minutes),
    int("session_absolute_hours", Group::Security, 1, 720, Unit::Hours),
    int("upload_max_image_bytes", Group::Security, 10_240, 50 * 1024 * 1024, Unit::Bytes),
    int("upload_max_document_bytes", Group::Security, 10_240, 100 * 1024 * 1024, Unit::Bytes),
    of("rate_limits", Group::Security, Kind::Choice(&["on", "off"])),
    int("rate_sign_in_per_minute", Group::Security, 1, RATE_PER_MINUTE_MAX, Unit::Count),
    int("rate_sign_up_per_minute", Group::Security, 1, RATE_PER_MINUTE_MAX, Unit::Count),
    int("rate_password_reset_per_minute", Group::Security, 1, RATE_PER_MINUTE_MAX, Unit::Count),
    int("rate_search_per_minute", Group::Security, 1, RATE_PER_MINUTE_MAX, Unit::Count),
    int("rate_checkout_per_minute", Group::Security, 1, RATE_PER_MINUTE_MAX, Unit::Count),
    int("rate_upload_per_minute", Group::Security, 1, RATE_PER_MINUTE_MAX, Unit::Count),
    int("rate_report_per_minute", Group::Security, 1, RATE_PER_MINUTE_MAX, Unit::Count),
    int("rate_write_per_minute", Group::Security, 1, RATE_PER_MINUTE_MAX, Unit::Count),
    of("flag.sandbox_card", Group::Flags, Kind::Flag),
    of("flag.seller_signups", Group::Flags, Kind::Flag),
    of("flag.public_signup", Group::Flags, Kind::Flag),
    of("maintenance_mode", Group::Maintenance, Kind::Choice(MAINTENANCE_MODES)),
    of("maintenance_message", Group::Maintenance, Kind::Text { max_chars: MAINTENANCE_MESSAGE_MAX_CHARS }),
    of("maintenance_starts_at", Group::Maintenance, Kind::Instant),
    of("maintenance_ends_at", Group::Maintenance, Kind::Instant),
    of("maintenance_allow", Group::Maintenance, Kind::EmailList { max: MAINTENANCE_ALLOW_MAX }),
];

pub fn spec(key: &str) -> Option<&'static SettingSpec> {
    CATALOG.iter().find(|s| s.key == key)
}

/// What is wrong with a value; each is a message key shown next to the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingProblem {
    UnknownKey,
    NotANumber,
    OutOfBounds,
    NotAChoice,
    NoneChosen,
    TooLong,
    NotOneLine,
    NotAnEmail,
    TooMany,
    NotAHost,
    NotATime,
    /// The maintenance window ends before (or when) it starts.
    EndsBeforeStarts,
    /// Production refuses the sandbox payment provider.
    SandboxInProduction,
    /// The configuration pins this setting: the console cannot change it.
    Pinned,
    /// The new value is the one in force already.
    Unchanged,
    /// A feature flag's rule is wrong (the message key says how).
    Flag(&'static str),
}

impl SettingProblem {
    pub fn code(self) -> &'static str {
        match self {
            SettingProblem::UnknownKey => "settings.problem.unknown",
            SettingProblem::NotANumber => "settings.problem.not_a_number",
            SettingProblem::OutOfBounds => "settings.problem.out_of_bounds",
            SettingProblem::NotAChoice => "settings.problem.not_a_choice",
            SettingProblem::NoneChosen => "settings.problem.none_chosen",
            SettingProblem::TooLong => "settings.problem.too_long",
            SettingProblem::NotOneLine => "settings.problem.not_one_line",
            SettingProblem::NotAnEmail => "settings.problem.not_an_email",
            SettingProblem::TooMany => "settings.problem.too_many",
            SettingProblem::NotAHost => "settings.problem.not_a_host",
            SettingProblem::NotATime => "settings.problem.not_a_time",
            SettingProblem::EndsBeforeStarts => "settings.problem.ends_before_starts",
            SettingProblem::SandboxInProduction => "settings.problem.sandbox_in_production",
            SettingProblem::Pinned => "settings.problem.pinned",
            SettingProblem::Unchanged => "settings.problem.unchanged",
            SettingProblem::Flag(code) => code,
        }
    }
}

/// What a form sent for `spec`, as its canonical value. `offset_minutes`: the platform's time zone,
/// in which instants are entered (`YYYY-MM-DDTHH:MM`).
pub fn parse_input(spec: &SettingSpec, raw: &str, offset_minutes: i32) -> Result<String, SettingProblem> {
    match spec.kind {
        Kind::Secret { max_chars } => {
            // A secret is taken as typed (a password may start with a space), but one line.
            one_line(raw, max_chars)?;
            Ok(raw.to_string())
        }
        Kind::Instant => {
            let raw = raw.trim();
            if raw.is_empty() {
                return Ok(String::new());
            }
            // A canonical value (ms) is accepted too: rollbacks and the configuration carry those.
            if let Ok(ms) = raw.parse::<i64>() {
                return Ok(ms.to_string());
            }
            parse_local_time(raw, offset_minutes).map(|ms| ms.to_string()).ok_or(SettingProblem::NotATime)
        }
        _ => canonical(spec, raw),
    }
}

/// `raw` as `spec`'s canonical value (the configuration's and the store's form).
pub fn canonical(spec: &SettingSpec, raw: &str) -> Result<String, SettingProblem> {
    let trimmed = raw.trim();
    match spec.kind {
        Kind::Int { min, max, .. } => {
            let n: i64 = trimmed.replace('_', "").parse().map_err(|_| SettingProblem::NotANumber)?;
            if n < min || n > max {
                return Err(SettingProblem::OutOfBounds);
            }
            Ok(n.to_string())
        }
        Kind::Bool => match trimmed {
            "true" | "on" | "1" | "yes" => Ok("true".into()),
            "false" | "off" | "0" | "no" | "" => Ok("false".into()),
            _ => Err(SettingProblem::NotAChoice),
        },
        Kind::Choice(choices) => {
            choices.iter().find(|c| **c == trimmed).map(|c| c.to_string()).ok_or(SettingProblem::NotAChoice)
        }
        Kind::Choices(choices) => {
            let picked: Vec<&str> = trimmed.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
            if let Some(_unknown) = picked.iter().find(|p| !choices.contains(p)) {
                return Err(SettingProblem::NotAChoice);
            }
            let ordered: Vec<&str> = choices.iter().copied().filter(|c| picked.contains(c)).collect();
            if ordered.is_empty() {
                return Err(SettingProblem::NoneChosen);
            }
            Ok(ordered.join(","))
        }
        Kind::Text { max_chars } => {
            one_line(trimmed, max_chars)?;
            Ok(trimmed.to_string())
        }
        Kind::Email => Email::parse(trimmed).map(|e| e.as_str().to_string()).map_err(|_| SettingProblem::NotAnEmail),
        Kind::EmailList { max } => {
            let mut out: Vec<String> = vec![];
            for part in trimmed.split([',', '\n', ' ', ';']).map(str::trim).filter(|p| !p.is_empty()) {
                let email = Email::parse(part).map_err(|_| SettingProblem::NotAnEmail)?;
                if !out.iter().any(|e| e == email.as_str()) {
                    out.push(email.as_str().to_string());
                }
            }
            if out.len() > max {
                return Err(SettingProblem::TooMany);
            }
            Ok(out.join(","))
        }
        Kind::Host => {
            let host = trimmed.to_ascii_lowercase();
            let valid = host.len() <= 253
                && host.split('.').all(|label| {
                    !label.is_empty()
                        && label.len() <= 63
                        && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                        && !label.starts_with('-')
                        && !label.ends_with('-')
                });
            if host.is_empty() || valid || host.parse::<std::net::IpAddr>().is_ok() {
                Ok(host)
            } else {
                Err(SettingProblem::NotAHost)
            }
        }
        Kind::Secret { max_chars } => {
            one_line(raw, max_chars)?;
            Ok(raw.to_string())
        }
        Kind::Instant => {
            if trimmed.is_empty() {
                Ok(String::new())
            } else {
                trimmed.parse::<i64>().map(|n| n.to_string()).map_err(|_| SettingProblem::NotATime)
            }
        }
        Kind::Flag => super::flags::FlagRule::parse(trimmed).map(|r| r.canonical()).map_err(SettingProblem::Flag),
    }
}

fn one_line(s: &str, max_chars: usize) -> Result<(), SettingProblem> {
    if s.chars().any(char::is_control) {
        return Err(SettingProblem::NotOneLine);
    }
    if s.chars().count() > max_chars {
        return Err(SettingProblem::TooLong);
    }
    Ok(())
}

/// Rules that span settings, checked on the values that would be in force after a change: the key
/// the problem belongs to, and the problem.
pub fn check_together(
    value_of: impl Fn(&str) -> String,
    production: bool,
) -> Result<(), (&'static str, SettingProblem)> {
    let instant = |key: &str| value_of(key).parse::<i64>().ok();
    if let (Some(starts), Some(ends)) = (instant("maintenance_starts_at"), instant("maintenance_ends_at")) {
        if ends <= starts {
            return Err(("maintenance_ends_at", SettingProblem::EndsBeforeStarts));
        }
    }
    if production && value_of("payment_providers").split(',').any(|p| p == "sandbox") {
        return Err(("payment_providers", SettingProblem::SandboxInProduction));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(key: &str, raw: &str) -> Result<String, SettingProblem> {
        parse_input(spec(key).unwrap(), raw, 480)
    }

    #[test]
    fn every_flag_the_code_asks_about_is_a_setting() {
        for (name, _) in super::super::flags::FLAGS {
            assert!(spec(&format!("flag.{name}")).is_some_and(|s| s.kind == Kind::Flag), "{name}");
        }
        assert_eq!(CATALOG.iter().filter(|s| s.kind == Kind::Flag).count(), super::super::flags::FLAGS.len());
        let wrong = r#"{"on":true,"percent":101}"#;
        assert_eq!(check("flag.sandbox_card", wrong), Err(SettingProblem::Flag("flags.problem.percent")));
    }

    #[test]
    fn every_key_is_listed_once() {
        for s in CATALOG {
            assert_eq!(CATALOG.iter().filter(|o| o.key == s.key).count(), 1, "{}", s.key);
        }
        assert!(spec("nope").is_none());
    }

    #[test]
    fn numbers_keep_to_their_bounds() {
        assert_eq!(check("refund_response_hours", " 48 "), Ok("48".into()));
        assert_eq!(check("refund_response_hours", "0"), Err(SettingProblem::OutOfBounds));
        assert_eq!(check("refund_response_hours", "721"), Err(SettingProblem::OutOfBounds));
        assert_eq!(check("refund_response_hours", "4.5"), Err(SettingProblem::NotANumber));
        assert_eq!(check("refund_response_hours", "ten"), Err(SettingProblem::NotANumber));
        assert_eq!(check("refund_response_hours", ""), Err(SettingProblem::NotANumber));
        assert_eq!(check("shipping_fee_minor", "-1"), Err(SettingProblem::OutOfBounds));
        assert_eq!(check("shipping_fee_minor", "99999999999999999999"), Err(SettingProblem::NotANumber));
        assert_eq!(check("payout_review_threshold_minor", "1_000_000"), Ok("1000000".into()));
    }

    #[test]
    fn choices_and_lists_are_canonical() {
        assert_eq!(check("smtp_security", "tls"), Ok("tls".into()));
        assert_eq!(check("smtp_security", "TLS"), Err(SettingProblem::NotAChoice));
        assert_eq!(check("payment_providers", "sandbox, bank_transfer"), Ok("bank_transfer,sandbox".into()));
        assert_eq!(check("payment_providers", "paypal"), Err(SettingProblem::NotAChoice));
        assert_eq!(check("payment_providers", " , "), Err(SettingProblem::NoneChosen));
        assert_eq!(
            check("maintenance_allow", "Ops@Example.com\nops@example.com, b@example.com"),
            Ok("ops@example.com,b@example.com".into())
        );
        assert_eq!(check("maintenance_allow", "not-an-address"), Err(SettingProblem::NotAnEmail));
        let many: Vec<String> = (0..=MAINTENANCE_ALLOW_MAX).map(|i| format!("u{i}@example.com")).collect();
        assert_eq!(check("maintenance_allow", &many.join(",")), Err(SettingProblem::TooMany));
        assert_eq!(check("maintenance_allow", ""), Ok(String::new()));
    }

    #[test]
    fn text_hosts_and_secrets() {
        assert_eq!(check("mail_from_name", &"x".repeat(101)), Err(SettingProblem::TooLong));
        assert_eq!(check("mail_from_name", "a\nb"), Err(SettingProblem::NotOneLine));
        assert_eq!(check("smtp_host", "Mail.Example.com"), Ok("mail.example.com".into()));
        assert_eq!(check("smtp_host", "127.0.0.1"), Ok("127.0.0.1".into()));
        assert_eq!(check("smtp_host", "smtp://mail"), Err(SettingProblem::NotAHost));
        assert_eq!(check("smtp_host", ""), Ok(String::new()));
        assert_eq!(check("smtp_password", " keeps spaces "), Ok(" keeps spaces ".into()));
        assert!(spec("smtp_password").unwrap().is_secret());
        assert_eq!(check("mail_from_address", "nope"), Err(SettingProblem::NotAnEmail));
    }

    #[test]
    fn instants_are_entered_in_the_platform_zone() {
        // 2026-12-08T10:00 at UTC+8 is 02:00Z.
        assert_eq!(check("maintenance_starts_at", "2026-12-08T10:00"), Ok("1796695200000".into()));
        assert_eq!(check("maintenance_starts_at", "1796695200000"), Ok("1796695200000".into()));
        assert_eq!(check("maintenance_starts_at", "2026-02-30T10:00"), Err(SettingProblem::NotATime));
        assert_eq!(check("maintenance_starts_at", "tomorrow"), Err(SettingProblem::NotATime));
        assert_eq!(check("maintenance_starts_at", " "), Ok(String::new()));
    }

    #[test]
    fn a_window_must_end_after_it_starts_and_production_refuses_the_sandbox() {
        let values = |starts: &'static str, ends: &'static str, providers: &'static str| {
            move |k: &str| match k {
                "maintenance_starts_at" => starts.to_string(),
                "maintenance_ends_at" => ends.to_string(),
                "payment_providers" => providers.to_string(),
                _ => String::new(),
            }
        };
        assert_eq!(
            check_together(values("2000", "1000", "bank_transfer"), false),
            Err(("maintenance_ends_at", SettingProblem::EndsBeforeStarts))
        );
        assert_eq!(
            check_together(values("1000", "1000", "bank_transfer"), false),
            Err(("maintenance_ends_at", SettingProblem::EndsBeforeStarts))
        );
        assert_eq!(check_together(values("1000", "2000", "bank_transfer"), false), Ok(()));
        assert_eq!(check_together(values("", "2000", "bank_transfer"), false), Ok(()));
        assert_eq!(check_together(values("", "", "bank_transfer,sandbox"), false), Ok(()));
        assert_eq!(
            check_together(values("", "", "bank_transfer,sandbox"), true),
            Err(("payment_providers", SettingProblem::SandboxInProduction))
        );
    }
}
