//! Where each runtime setting lives in `Settings`: how to read its value as the catalog's canonical
//! string (`domain::settings`) and how to put a canonical value in. One line per key; a unit test
//! checks every catalog key has one and that reading what was put in gives it back.

use crate::domain::delivery::SmtpSecurity;
use crate::domain::maintenance::MaintenanceMode;
use crate::domain::payment::Provider;
use crate::platform::state::{Secret, Settings, SignupPolicy};

pub struct Binding {
    pub key: &'static str,
    pub get: fn(&Settings) -> String,
    /// `None`: the value does not fit (the setting keeps what it had).
    pub set: fn(&mut Settings, &str) -> Option<()>,
}

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 86_400_000;
const MINUTE_MS: i64 = 60_000;

/// Puts `value` in `slot` when there is one.
fn put<T>(slot: &mut T, value: Option<T>) -> Option<()> {
    *slot = value?;
    Some(())
}

fn int(v: &str) -> Option<i64> {
    v.parse().ok()
}

fn instant(ms: Option<i64>) -> String {
    ms.map(|m| m.to_string()).unwrap_or_default()
}

fn optional_instant(v: &str) -> Option<Option<i64>> {
    if v.is_empty() {
        Some(None)
    } else {
        int(v).map(Some)
    }
}

pub const BINDINGS: &[Binding] = &[
    Binding {
        key: "signup_policy",
        get: |s| s.signup_policy.map(|p| p.as_str().to_string()).unwrap_or_default(),
        set: |s, v| put(&mut s.signup_policy, SignupPolicy::parse(v).map(Some)),
    },
    Binding {
        key: "export_stream_max_rows",
        get: |s| s.export_stream_max_rows.to_string(),
        set: |s, v| put(&mut s.export_stream_max_rows, int(v)),
    },
    Binding {
        key: "readiness_target_listings",
        get: |s| s.readiness_targets.live_listings.to_string(),
        set: |s, v| put(&mut s.readiness_targets.live_listings, int(v)),
    },
    Binding {
        key: "readiness_target_sellers",
        get: |s| s.readiness_targets.active_sellers.to_string(),
        set: |s, v| put(&mut s.readiness_targets.active_sellers, int(v)),
    },
    Binding {
        key: "readiness_target_orders",
        get: |s| s.readiness_targets.completed_orders.to_string(),
        set: |s, v| put(&mut s.readiness_targets.completed_orders, int(v)),
    },
    Binding {
        key: "shipping_fee_minor",
        get: |s| s.shipping_fee_minor.to_string(),
        set: |s, v| put(&mut s.shipping_fee_minor, int(v)),
    },
    Binding {
        key: "refund_response_hours",
        get: |s| (s.refund_response_ms / HOUR_MS).to_string(),
        set: |s, v| put(&mut s.refund_response_ms, int(v).map(|n| n * HOUR_MS)),
    },
    Binding {
        key: "dispute_sla_hours",
        get: |s| (s.dispute_sla_ms / HOUR_MS).to_string(),
        set: |s, v| put(&mut s.dispute_sla_ms, int(v).map(|n| n * HOUR_MS)),
    },
    Binding {
        key: "settlement_hold_days",
        get: |s| (s.settlement_hold_ms / DAY_MS).to_string(),
        set: |s, v| put(&mut s.settlement_hold_ms, int(v).map(|n| n * DAY_MS)),
    },
    Binding {
        key: "payment_providers",
        get: |s| s.payment_providers.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(","),
        set: |s, v| put(&mut s.payment_providers, v.split(',').map(Provider::parse).collect::<Option<Vec<_>>>()),
    },
    Binding {
        key: "payout_min_minor",
        get: |s| s.payout_min_minor.to_string(),
        set: |s, v| put(&mut s.payout_min_minor, int(v)),
    },
    Binding {
        key: "payout_cooling_off_hours",
        get: |s| (s.payout_cooling_off_ms / HOUR_MS).to_string(),
        set: |s, v| put(&mut s.payout_cooling_off_ms, int(v).map(|n| n * HOUR_MS)),
    },
    Binding {
        key: "payout_review_threshold_minor",
        get: |s| s.payout_review_threshold_minor.to_string(),
        set: |s, v| put(&mut s.payout_review_threshold_minor, int(v)),
    },
    Binding {
        key: "review_sla_hours",
        get: |s| (s.review_sla_ms / HOUR_MS).to_string(),
        set: |s, v| put(&mut s.review_sla_ms, int(v).map(|n| n * HOUR_MS)),
    },
    Binding {
        key: "trust_dispute_window_days",
        get: |s| s.trust.dispute_window_days.to_string(),
        set: |s, v| put(&mut s.trust.dispute_window_days, int(v)),
    },
    Binding {
        key: "trust_price_ratio_percent",
        get: |s| s.trust.price_ratio_percent.to_string(),
        set: |s, v| put(&mut s.trust.price_ratio_percent, int(v)),
    },
    Binding {
        key: "trust_price_window_days",
        get: |s| s.trust.price_window_days.to_string(),
        set: |s, v| put(&mut s.trust.price_window_days, int(v)),
    },
    Binding {
        key: "risk_failed_sign_ins_per_hour",
        get: |s| s.risk.failed_sign_ins_per_hour.to_string(),
        set: |s, v| put(&mut s.risk.failed_sign_ins_per_hour, int(v)),
    },
    Binding {
        key: "risk_accounts_per_ip",
        get: |s| s.risk.accounts_per_ip_per_day.to_string(),
        set: |s, v| put(&mut s.risk.accounts_per_ip_per_day, int(v)),
    },
    Binding {
        key: "risk_refused_per_hour",
        get: |s| s.risk.refused_per_hour.to_string(),
        set: |s, v| put(&mut s.risk.refused_per_hour, int(v)),
    },
    Binding {
        key: "risk_refund_rate_percent",
        get: |s| s.risk.refund_rate_percent.to_string(),
        set: |s, v| put(&mut s.risk.refund_rate_percent, int(v)),
    },
    Binding {
        key: "risk_dispute_rate_percent",
        get: |s| s.risk.dispute_rate_percent.to_string(),
        set: |s, v| put(&mut s.risk.dispute_rate_percent, int(v)),
    },
    Binding {
        key: "risk_rate_min_orders",
        get: |s| s.risk.rate_min_orders.to_string(),
        set: |s, v| put(&mut s.risk.rate_min_orders, int(v)),
    },
    Binding {
        key: "risk_large_payment_minor",
        get: |s| s.risk.large_payment_minor.to_string(),
        set: |s, v| put(&mut s.risk.large_payment_minor, int(v)),
    },
    Binding {
        key: "smtp_host",
        get: |s| s.mail.smtp_host.clone(),
        set: |s, v| put(&mut s.mail.smtp_host, Some(v.to_string())),
    },
    Binding {
        key: "smtp_port",
        get: |s| s.mail.smtp_port.to_string(),
        set: |s, v| put(&mut s.mail.smtp_port, v.parse().ok()),
    },
    Binding {
        key: "smtp_security",
        get: |s| s.mail.smtp_security.as_str().to_string(),
        set: |s, v| put(&mut s.mail.smtp_security, SmtpSecurity::parse(v)),
    },
    Binding {
        key: "smtp_username",
        get: |s| s.mail.smtp_username.clone(),
        set: |s, v| put(&mut s.mail.smtp_username, Some(v.to_string())),
    },
    Binding {
        key: "smtp_password",
        get: |s| s.mail.smtp_password.0.clone(),
        set: |s, v| put(&mut s.mail.smtp_password, Some(Secret(v.to_string()))),
    },
    Binding {
        key: "mail_from_address",
        get: |s| s.mail.from_address.clone(),
        set: |s, v| put(&mut s.mail.from_address, Some(v.to_string())),
    },
    Binding {
        key: "mail_from_name",
        get: |s| s.mail.from_name.clone(),
        set: |s, v| put(&mut s.mail.from_name, Some(v.to_string())),
    },
    Binding {
        key: "webhook_timeout_ms",
        get: |s| s.webhooks.timeout_ms.to_string(),
        set: |s, v| put(&mut s.webhooks.timeout_ms, v.parse().ok()),
    },
    Binding {
        key: "operator_second_factor",
        get: |s| if s.operator_second_factor_required { "required" } else { "optional" }.to_string(),
        set: |s, v| put(&mut s.operator_second_factor_required, Some(v == "required")),
    },
    Binding {
        key: "session_idle_minutes",
        get: |s| (s.session.idle_ms / MINUTE_MS).to_string(),
        set: |s, v| put(&mut s.session.idle_ms, int(v).map(|n| n * MINUTE_MS)),
    },
    Binding {
        key: "console_session_idle_minutes",
        get: |s| (s.session.operator_idle_ms / MINUTE_MS).to_string(),
        set: |s, v| put(&mut s.session.operator_idle_ms, int(v).map(|n| n * MINUTE_MS)),
    },
    Binding {
        key: "session_absolute_hours",
        get: |s| (s.session.absolute_ms / HOUR_MS).to_string(),
        set: |s, v| put(&mut s.session.absolute_ms, int(v).map(|n| n * HOUR_MS)),
    },
    Binding {
        key: "upload_max_image_bytes",
        get: |s| s.upload_max_image_bytes.to_string(),
        set: |s, v| put(&mut s.upload_max_image_bytes, v.parse().ok()),
    },
    Binding {
        key: "upload_max_document_bytes",
        get: |s| s.upload_max_document_bytes.to_string(),
        set: |s, v| put(&mut s.upload_max_document_bytes, v.parse().ok()),
    },
    Binding {
        key: "rate_limits",
        get: |s| if s.rate_limits.enabled { "on" } else { "off" }.to_string(),
        set: |s, v| put(&mut s.rate_limits.enabled, Some(v == "on")),
    },
    Binding {
        key: "rate_sign_in_per_minute",
        get: |s| s.rate_limits.sign_in.per_minute.to_string(),
        set: |s, v| put(&mut s.rate_limits.sign_in.per_minute, int(v)),
    },
    Binding {
        key: "rate_sign_up_per_minute",
        get: |s| s.rate_limits.sign_up.per_minute.to_string(),
        set: |s, v| put(&mut s.rate_limits.sign_up.per_minute, int(v)),
    },
    Binding {
        key: "rate_password_reset_per_minute",
        get: |s| s.rate_limits.password_reset.per_minute.to_string(),
        set: |s, v| put(&mut s.rate_limits.password_reset.per_minute, int(v)),
    },
    Binding {
        key: "rate_search_per_minute",
        get: |s| s.rate_limits.search.per_minute.to_string(),
        set: |s, v| put(&mut s.rate_limits.search.per_minute, int(v)),
    },
    Binding {
        key: "rate_checkout_per_minute",
        get: |s| s.rate_limits.checkout.per_minute.to_string(),
        set: |s, v| put(&mut s.rate_limits.checkout.per_minute, int(v)),
    },
    Binding {
        key: "rate_upload_per_minute",
        get: |s| s.rate_limits.upload.per_minute.to_string(),
        set: |s, v| put(&mut s.rate_limits.upload.per_minute, int(v)),
    },
    Binding {
        key: "rate_report_per_minute",
        get: |s| s.rate_limits.report.per_minute.to_string(),
        set: |s, v| put(&mut s.rate_limits.report.per_minute, int(v)),
    },
    Binding {
        key: "rate_write_per_minute",
        get: |s| s.rate_limits.write.per_minute.to_string(),
        set: |s, v| put(&mut s.rate_limits.write.per_minute, int(v)),
    },
    Binding {
        key: "flag.sandbox_card",
        get: |s| flag_value(s, "flag.sandbox_card"),
        set: |s, v| put_flag(s, "flag.sandbox_card", v),
    },
    Binding {
        key: "flag.seller_signups",
        get: |s| flag_value(s, "flag.seller_signups"),
        set: |s, v| put_flag(s, "flag.seller_signups", v),
    },
    Binding {
        key: "flag.public_signup",
        get: |s| flag_value(s, "flag.public_signup"),
        set: |s, v| put_flag(s, "flag.public_signup", v),
    },
    Binding {
        key: "maintenance_mode",
        get: |s| s.maintenance.mode.unwrap_or(MaintenanceMode::Off).as_str().to_string(),
        set: |s, v| put(&mut s.maintenance.mode, Some(Some(MaintenanceMode::parse(v)))),
    },
    Binding {
        key: "maintenance_message",
        get: |s| s.maintenance.message.clone(),
        set: |s, v| put(&mut s.maintenance.message, Some(v.to_string())),
    },
    Binding {
        key: "maintenance_starts_at",
        get: |s| instant(s.maintenance.starts_ms),
        set: |s, v| put(&mut s.maintenance.starts_ms, optional_instant(v)),
    },
    Binding {
        key: "maintenance_ends_at",
        get: |s| instant(s.maintenance.ends_ms),
        set: |s, v| put(&mut s.maintenance.ends_ms, optional_instant(v)),
    },
    Binding {
        key: "maintenance_allow",
        get: |s| s.maintenance.allow.join(","),
        set: |s, v| {
            put(&mut s.maintenance.allow, Some(v.split(',').filter(|a| !a.is_empty()).map(str::to_string).collect()))
        },
    },
];

/// A flag's binding: `flag.<name>` holds its rule.
fn flag_value(s: &Settings, key: &str) -> String {
    s.flag(key.trim_start_matches("flag.")).canonical()
}

fn put_flag(s: &mut Settings, key: &str, v: &str) -> Option<()> {
    let rule = crate::domain::flags::FlagRule::parse(v).ok()?;
    s.flags.insert(key.trim_start_matches("flag.").to_string(), rule);
    Some(())
}

pub fn binding(key: &str) -> Option<&'static Binding> {
    BINDINGS.iter().find(|b| b.key == key)
}

/// The value of `key` in `settings`, canonical (empty for an unknown key).
pub fn value_of(settings: &Settings, key: &str) -> String {
    binding(key).map(|b| (b.get)(settings)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::settings::{canonical, CATALOG};

    #[test]
    fn every_catalog_key_is_bound_and_reads_back_what_was_put_in() {
        assert_eq!(BINDINGS.len(), CATALOG.len());
        let samples = |key: &str| -> &'static str {
            match key {
                "signup_policy" => "invite_only",
                "payment_providers" => "bank_transfer",
                "smtp_host" => "mail.example.com",
                "smtp_security" => "tls",
                "smtp_username" | "mail_from_name" | "maintenance_message" => "Ops team",
                "smtp_password" => "pa ss",
                "mail_from_address" => "ops@example.com",
                "operator_second_factor" => "required",
                "rate_limits" => "off",
                "maintenance_mode" => "read_only",
                "maintenance_starts_at" => "1800000000000",
                "maintenance_ends_at" => "1800003600000",
                "maintenance_allow" => "a@example.com,b@example.com",
                "upload_max_image_bytes" | "upload_max_document_bytes" => "20480",
                "trust_price_ratio_percent" => "150",
                "webhook_timeout_ms" => "2000",
                k if k.starts_with("flag.") => {
                    r#"{"on":false,"percent":25,"roles":["tech"],"sellers":[3],"users":[9],"switch_at":1800000000000,"switch_to":true}"#
                }
                _ => "7",
            }
        };
        for spec in CATALOG {
            let b = binding(spec.key).unwrap_or_else(|| panic!("{} has no binding", spec.key));
            let value = canonical(spec, samples(spec.key)).unwrap_or_else(|p| panic!("{}: {p:?}", spec.key));
            let mut s = Settings::for_tests();
            assert!((b.set)(&mut s, &value).is_some(), "{}", spec.key);
            assert_eq!((b.get)(&s), value, "{}", spec.key);
        }
    }
}
