//! The runtime configuration: `Leptos.toml`'s `[agora]` table, each key overridable by `AGORA_<KEY>`.
//! The file documents every key; this struct is the one place that reads them.

use agora_app::domain::delivery::SmtpSecurity;
use agora_app::domain::payment::Provider;
use agora_app::platform::state::SignupPolicy;
use anyhow::{bail, Context};
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub environment: String,
    pub database_url: String,
    pub database_max_connections: u32,
    pub site_addr: String,
    pub public_url: String,
    pub site_root: String,
    pub hash_files: bool,
    pub hash_file: String,
    pub session_idle_minutes: i64,
    pub console_session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    pub bootstrap_token: String,
    pub trust_forwarded_for: bool,
    pub max_body_bytes: usize,
    pub clock_control: bool,
    pub outbox_interval_ms: u64,
    pub request_deadline_ms: u64,
    pub currency: String,
    pub review_sla_hours: i64,
    pub uploads_dir: String,
    pub upload_max_image_bytes: usize,
    pub upload_max_document_bytes: usize,
    pub settlement_hold_days: i64,
    pub payment_providers: String,
    pub shipping_fee_minor: i64,
    pub refund_response_hours: i64,
    pub dispute_sla_hours: i64,
    pub payout_min_minor: i64,
    pub payout_cooling_off_hours: i64,
    pub payout_review_threshold_minor: i64,
    pub utc_offset_minutes: i64,
    pub export_stream_max_rows: i64,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_security: String,
    pub smtp_username: String,
    pub smtp_password: agora_app::platform::state::Secret,
    pub mail_from_address: String,
    pub mail_from_name: String,
    pub webhook_allow_private_targets: bool,
    pub webhook_timeout_ms: u64,
    pub signup_policy: String,
    pub operator_second_factor: String,
    pub oidc_issuer: String,
    pub oidc_client_id: String,
    pub oidc_client_secret: agora_app::platform::state::Secret,
    pub oidc_label: String,
    pub github_client_id: String,
    pub github_client_secret: agora_app::platform::state::Secret,
    pub github_web_url: String,
    pub github_api_url: String,
    pub readiness_target_listings: i64,
    pub readiness_target_sellers: i64,
    pub readiness_target_orders: i64,
    pub trust_dispute_window_days: i64,
    pub trust_price_ratio_percent: i64,
    pub trust_price_window_days: i64,
    pub risk_failed_sign_ins_per_hour: i64,
    pub risk_accounts_per_ip: i64,
    pub risk_refused_per_hour: i64,
    pub risk_refund_rate_percent: i64,
    pub risk_dispute_rate_percent: i64,
    pub risk_rate_min_orders: i64,
    pub risk_large_payment_minor: i64,
    pub rate_limits: String,
    pub rate_sign_in_per_minute: i64,
    pub rate_sign_up_per_minute: i64,
    pub rate_password_reset_per_minute: i64,
    pub rate_search_per_minute: i64,
    pub rate_checkout_per_minute: i64,
    pub rate_upload_per_minute: i64,
    pub rate_report_per_minute: i64,
    pub rate_write_per_minute: i64,
    pub maintenance_mode: String,
    pub maintenance_message: String,
    pub maintenance_starts_at: String,
    pub maintenance_ends_at: String,
    pub maintenance_allow: String,
    pub pinned_settings: String,
    pub settings_refresh_ms: u64,
    pub settings_key: agora_app::platform::state::Secret,
    pub settings_key_previous: agora_app::platform::state::Secret,
    pub log: String,
    pub log_format: String,
}

/// The defaults, identical to the shipped Leptos.toml, so the server also starts without the file.
const DEFAULTS: &str = include_str!("../../Leptos.toml");

impl Config {
    /// Reads `path` (when it exists) over the defaults, then the environment over both.
    pub fn load(path: &Path) -> anyhow::Result<Config> {
        let env: Vec<(String, String)> = std::env::vars().filter(|(k, _)| k.starts_with("AGORA_")).collect();
        let file = match std::fs::read_to_string(path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        Config::from_sources(file.as_deref(), &env)
    }

    pub fn from_sources(file: Option<&str>, env: &[(String, String)]) -> anyhow::Result<Config> {
        let mut table = agora_table(DEFAULTS).context("the built-in defaults")?;
        if let Some(text) = file {
            for (k, v) in agora_table(text).context("Leptos.toml")? {
                if !table.contains_key(&k) {
                    bail!("Leptos.toml: unknown key [agora].{k}");
                }
                table.insert(k, v);
            }
        }
        for (name, raw) in env {
            let Some(key) = name.strip_prefix("AGORA_").map(str::to_lowercase) else { continue };
            // Variables that are not configuration keys (AGORA_ADMIN_PASSWORD, test settings) are
            // someone else's; only keys of the table are read here.
            let Some(default) = table.get(&key) else { continue };
            let value = match default {
                toml::Value::Integer(_) => {
                    toml::Value::Integer(raw.trim().parse().with_context(|| format!("{name} must be a whole number"))?)
                }
                toml::Value::Boolean(_) => toml::Value::Boolean(match raw.trim() {
                    "1" | "true" | "yes" | "on" => true,
                    "0" | "false" | "no" | "off" | "" => false,
                    _ => bail!("{name} must be true or false"),
                }),
                _ => toml::Value::String(raw.clone()),
            };
            table.insert(key, value);
        }
        let config: Config = toml::Value::Table(table).try_into().context("configuration")?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> anyhow::Result<()> {
        if !matches!(self.environment.as_str(), "development" | "production") {
            bail!("environment must be development or production");
        }
        if self.is_production() && self.clock_control {
            bail!("clock_control cannot be enabled in production");
        }
        if !(self.public_url.starts_with("http://") || self.public_url.starts_with("https://")) {
            bail!("public_url must start with http:// or https://");
        }
        let issuer = self.oidc_issuer.trim();
        if !(issuer.is_empty() || issuer.starts_with("http://") || issuer.starts_with("https://")) {
            bail!("oidc_issuer must start with https:// (or http:// on a development machine)");
        }
        if !issuer.is_empty() && (self.oidc_client_id.trim().is_empty() || self.oidc_label.trim().is_empty()) {
            bail!("oidc_issuer needs oidc_client_id and oidc_label");
        }
        for (key, url) in [("github_web_url", &self.github_web_url), ("github_api_url", &self.github_api_url)] {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                bail!("{key} must start with https:// (or http:// on a development machine)");
            }
        }
        if self.session_idle_minutes <= 0 || self.console_session_idle_minutes <= 0 || self.session_absolute_hours <= 0
        {
            bail!("session timeouts must be positive");
        }
        if agora_app::domain::money::Currency::parse(&self.currency).is_none() {
            bail!("currency must be one of USD, EUR, CNY, JPY");
        }
        if SmtpSecurity::parse(&self.smtp_security).is_none() {
            bail!("smtp_security must be starttls, tls or none");
        }
        if !self.mail_from_address.contains('@') {
            bail!("mail_from_address must be an email address");
        }
        if self.is_production() && self.webhook_allow_private_targets {
            bail!("webhook_allow_private_targets cannot be enabled in production");
        }
        if !(1_000..=60_000).contains(&self.webhook_timeout_ms) {
            bail!("webhook_timeout_ms must be between 1000 and 60000");
        }
        if self.request_deadline_ms < 100 {
            bail!("request_deadline_ms must be at least 100");
        }
        if self.review_sla_hours <= 0 {
            bail!("review_sla_hours must be positive");
        }
        if self.upload_max_image_bytes == 0 || self.upload_max_document_bytes == 0 {
            bail!("upload limits must be positive");
        }
        if self.settlement_hold_days < 0 {
            bail!("settlement_hold_days cannot be negative");
        }
        if self.shipping_fee_minor < 0 {
            bail!("shipping_fee_minor cannot be negative");
        }
        if self.refund_response_hours <= 0 || self.dispute_sla_hours <= 0 {
            bail!("refund_response_hours and dispute_sla_hours must be positive");
        }
        if self.payout_min_minor <= 0 || self.payout_review_threshold_minor <= 0 {
            bail!("payout_min_minor and payout_review_threshold_minor must be positive");
        }
        if self.export_stream_max_rows < 1 {
            bail!("export_stream_max_rows must be at least 1");
        }
        // Every real time zone is a whole number of quarter hours from UTC; the KPI rollups' buckets
        // are quarter hours, so a local day is always a whole number of them.
        if !(-720..=840).contains(&self.utc_offset_minutes) || self.utc_offset_minutes % 15 != 0 {
            bail!("utc_offset_minutes must be a multiple of 15 between -720 and 840");
        }
        if self.payout_cooling_off_hours < 0 {
            bail!("payout_cooling_off_hours cannot be negative");
        }
        let providers = self.providers()?;
        if providers.is_empty() {
            bail!("payment_providers needs at least one provider");
        }
        if self.is_production() && providers.contains(&Provider::Sandbox) {
            bail!("the sandbox payment provider cannot be enabled in production");
        }
        if !matches!(self.operator_second_factor.trim(), "required" | "optional") {
            bail!("operator_second_factor must be required or optional");
        }
        if !self.signup_policy.trim().is_empty() && SignupPolicy::parse(&self.signup_policy).is_none() {
            bail!("signup_policy must be open, invite_only or empty (not chosen yet)");
        }
        if self.readiness_target_listings < 0 || self.readiness_target_sellers < 0 || self.readiness_target_orders < 0 {
            bail!("readiness targets cannot be negative");
        }
        if !matches!(self.log_format.as_str(), "text" | "json") {
            bail!("log_format must be text or json");
        }
        self.maintenance()?;
        self.pinned()?;
        // The runtime settings the console also checks: the same bounds at start-up.
        for (key, value) in [
            ("trust_dispute_window_days", self.trust_dispute_window_days),
            ("trust_price_ratio_percent", self.trust_price_ratio_percent),
            ("trust_price_window_days", self.trust_price_window_days),
            ("risk_failed_sign_ins_per_hour", self.risk_failed_sign_ins_per_hour),
            ("risk_accounts_per_ip", self.risk_accounts_per_ip),
            ("risk_refused_per_hour", self.risk_refused_per_hour),
            ("risk_refund_rate_percent", self.risk_refund_rate_percent),
            ("risk_dispute_rate_percent", self.risk_dispute_rate_percent),
            ("risk_rate_min_orders", self.risk_rate_min_orders),
            ("risk_large_payment_minor", self.risk_large_payment_minor),
            ("rate_sign_in_per_minute", self.rate_sign_in_per_minute),
            ("rate_sign_up_per_minute", self.rate_sign_up_per_minute),
            ("rate_password_reset_per_minute", self.rate_password_reset_per_minute),
            ("rate_search_per_minute", self.rate_search_per_minute),
            ("rate_checkout_per_minute", self.rate_checkout_per_minute),
            ("rate_upload_per_minute", self.rate_upload_per_minute),
            ("rate_report_per_minute", self.rate_report_per_minute),
            ("rate_write_per_minute", self.rate_write_per_minute),
        ] {
            let spec = agora_app::domain::settings::spec(key).expect("a catalog key");
            if agora_app::domain::settings::canonical(spec, &value.to_string()).is_err() {
                bail!("{key} is outside its bounds");
            }
        }
        if !matches!(self.rate_limits.trim(), "on" | "off") {
            bail!("rate_limits must be on or off");
        }
        self.seal_keys()?;
        if !(100..=600_000).contains(&self.settings_refresh_ms) {
            bail!("settings_refresh_ms must be between 100 and 600000");
        }
        Ok(())
    }

    /// The maintenance window as configured (the settings centre's start-up values), checked with
    /// the same rules as the console's.
    fn maintenance(&self) -> anyhow::Result<agora_app::domain::maintenance::Maintenance> {
        use agora_app::domain::maintenance::{Maintenance, MaintenanceMode};
        use agora_app::domain::settings::{check_together, parse_input, spec};
        let offset = i32::try_from(self.utc_offset_minutes).unwrap_or(0);
        let read = |key: &str, raw: &str| -> anyhow::Result<String> {
            parse_input(spec(key).expect("a catalog key"), raw, offset)
                .map_err(|p| anyhow::anyhow!("{key}: {}", p.code().trim_start_matches("settings.problem.")))
        };
        let mode = read("maintenance_mode", &self.maintenance_mode)?;
        let message = read("maintenance_message", &self.maintenance_message)?;
        let starts = read("maintenance_starts_at", &self.maintenance_starts_at)?;
        let ends = read("maintenance_ends_at", &self.maintenance_ends_at)?;
        let allow = read("maintenance_allow", &self.maintenance_allow)?;
        let value_of = |k: &str| match k {
            "maintenance_starts_at" => starts.clone(),
            "maintenance_ends_at" => ends.clone(),
            _ => String::new(),
        };
        check_together(value_of, false).map_err(|(k, _)| anyhow::anyhow!("{k}: the window ends before it starts"))?;
        Ok(Maintenance {
            mode: Some(MaintenanceMode::parse(&mode)),
            message,
            starts_ms: starts.parse().ok(),
            ends_ms: ends.parse().ok(),
            allow: allow.split(',').filter(|a| !a.is_empty()).map(str::to_string).collect(),
        })
    }

    /// `pinned_settings`: keys of the settings catalog whose configured value wins.
    pub fn pinned(&self) -> anyhow::Result<Vec<String>> {
        let mut keys = vec![];
        for key in self.pinned_settings.split(',').map(str::trim).filter(|k| !k.is_empty()) {
            if agora_app::domain::settings::spec(key).is_none() {
                bail!("pinned_settings: {key} is not a runtime setting");
            }
            keys.push(key.to_string());
        }
        Ok(keys)
    }

    pub fn seal_keys(&self) -> anyhow::Result<agora_app::platform::sealed::SealKeys> {
        agora_app::platform::sealed::SealKeys::from_hex(&self.settings_key.0, &self.settings_key_previous.0)
            .map_err(|e| anyhow::anyhow!(e))
    }

    /// The settings in force at start-up: the configuration's values, the pinned keys, the keys.
    pub fn live_settings(&self) -> anyhow::Result<agora_app::platform::state::LiveSettings> {
        Ok(agora_app::platform::state::LiveSettings::new(self.settings(), self.pinned()?, self.seal_keys()?))
    }

    fn providers(&self) -> anyhow::Result<Vec<Provider>> {
        self.payment_providers
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| Provider::parse(p).with_context(|| format!("unknown payment provider {p:?}")))
            .collect()
    }

    pub fn is_production(&self) -> bool {
        self.environment == "production"
    }

    /// What the router applies, decided here once so readiness reports exactly what is served.
    pub fn http_facts(&self) -> agora_app::platform::state::HttpFacts {
        let mut headers = vec![
            ("x-content-type-options", "nosniff".to_string()),
            ("x-frame-options", "DENY".to_string()),
            ("referrer-policy", "strict-origin-when-cross-origin".to_string()),
        ];
        // HSTS only where browsers honour it and it cannot lock a development host out of http.
        if self.public_url.starts_with("https://") {
            headers.push(("strict-transport-security", "max-age=31536000; includeSubDomains".to_string()));
        }
        let mut dev_routes = Vec::new();
        if self.clock_control && !self.is_production() {
            dev_routes.push("/__dev/clock/advance");
            dev_routes.push("/__dev/risk/scan");
        }
        agora_app::platform::state::HttpFacts { security_headers: headers, dev_routes }
    }

    /// The origin part of `public_url` (scheme, host, port), as browsers send it in `Origin`.
    pub fn public_origin(&self) -> String {
        let url = self.public_url.trim_end_matches('/');
        match url.find("://").map(|i| i + 3) {
            Some(start) => match url[start..].find('/') {
                Some(slash) => url[..start + slash].to_string(),
                None => url.to_string(),
            },
            None => url.to_string(),
        }
    }

    pub fn settings(&self) -> agora_app::platform::state::Settings {
        use agora_app::domain::session::SessionPolicy;
        agora_app::platform::state::Settings {
            production: self.is_production(),
            public_url: self.public_url.clone(),
            secure_cookies: self.public_url.starts_with("https://"),
            session: SessionPolicy {
                idle_ms: self.session_idle_minutes * 60_000,
                operator_idle_ms: self.console_session_idle_minutes * 60_000,
                absolute_ms: self.session_absolute_hours * 3_600_000,
            },
            bootstrap_token: Some(self.bootstrap_token.trim().to_string()).filter(|t| !t.is_empty()),
            trust_forwarded_for: self.trust_forwarded_for,
            clock_control: self.clock_control,
            currency: agora_app::domain::money::Currency::parse(&self.currency).expect("validated"),
            review_sla_ms: self.review_sla_hours * 3_600_000,
            uploads_dir: std::path::PathBuf::from(&self.uploads_dir),
            upload_max_image_bytes: self.upload_max_image_bytes,
            upload_max_document_bytes: self.upload_max_document_bytes,
            settlement_hold_ms: self.settlement_hold_days * 86_400_000,
            payment_providers: self.providers().expect("validated"),
            shipping_fee_minor: self.shipping_fee_minor,
            refund_response_ms: self.refund_response_hours * 3_600_000,
            dispute_sla_ms: self.dispute_sla_hours * 3_600_000,
            payout_min_minor: self.payout_min_minor,
            payout_cooling_off_ms: self.payout_cooling_off_hours * 3_600_000,
            payout_review_threshold_minor: self.payout_review_threshold_minor,
            utc_offset_minutes: i32::try_from(self.utc_offset_minutes).expect("validated"),
            export_stream_max_rows: self.export_stream_max_rows,
            mail: agora_app::platform::state::MailSettings {
                smtp_host: self.smtp_host.trim().to_string(),
                smtp_port: self.smtp_port,
                smtp_security: SmtpSecurity::parse(&self.smtp_security).expect("validated"),
                smtp_username: self.smtp_username.clone(),
                smtp_password: self.smtp_password.clone(),
                from_address: self.mail_from_address.clone(),
                from_name: self.mail_from_name.clone(),
            },
            webhooks: agora_app::platform::state::WebhookSettings {
                allow_private_targets: self.webhook_allow_private_targets,
                timeout_ms: self.webhook_timeout_ms,
            },
            signup_policy: SignupPolicy::parse(&self.signup_policy),
            operator_second_factor_required: self.operator_second_factor.trim() == "required",
            oidc: (!self.oidc_issuer.trim().is_empty()).then(|| agora_app::platform::state::OidcSettings {
                issuer: self.oidc_issuer.trim().trim_end_matches('/').to_string(),
                client_id: self.oidc_client_id.trim().to_string(),
                client_secret: self.oidc_client_secret.clone(),
                label: self.oidc_label.trim().to_string(),
            }),
            github: (!self.github_client_id.trim().is_empty()).then(|| agora_app::platform::state::GithubSettings {
                client_id: self.github_client_id.trim().to_string(),
                client_secret: self.github_client_secret.clone(),
                web_url: self.github_web_url.trim().trim_end_matches('/').to_string(),
                api_url: self.github_api_url.trim().trim_end_matches('/').to_string(),
            }),
            readiness_targets: agora_app::platform::state::ReadinessTargets {
                live_listings: self.readiness_target_listings,
                active_sellers: self.readiness_target_sellers,
                completed_orders: self.readiness_target_orders,
            },
            maintenance: self.maintenance().expect("validated"),
            trust: agora_app::domain::trust_judgment::Thresholds {
                dispute_window_days: self.trust_dispute_window_days,
                price_ratio_percent: self.trust_price_ratio_percent,
                price_window_days: self.trust_price_window_days,
            },
            risk: agora_app::domain::risk::Thresholds {
                failed_sign_ins_per_hour: self.risk_failed_sign_ins_per_hour,
                accounts_per_ip_per_day: self.risk_accounts_per_ip,
                refused_per_hour: self.risk_refused_per_hour,
                refund_rate_percent: self.risk_refund_rate_percent,
                dispute_rate_percent: self.risk_dispute_rate_percent,
                rate_min_orders: self.risk_rate_min_orders,
                large_payment_minor: self.risk_large_payment_minor,
            },
            rate_limits: self.rate_limits(),
            flags: Default::default(),
        }
    }

    fn rate_limits(&self) -> agora_app::domain::rate_limit::Limits {
        use agora_app::domain::rate_limit::{Limit, Limits};
        Limits {
            enabled: self.rate_limits.trim() == "on",
            sign_in: Limit { per_minute: self.rate_sign_in_per_minute },
            sign_up: Limit { per_minute: self.rate_sign_up_per_minute },
            password_reset: Limit { per_minute: self.rate_password_reset_per_minute },
            search: Limit { per_minute: self.rate_search_per_minute },
            checkout: Limit { per_minute: self.rate_checkout_per_minute },
            upload: Limit { per_minute: self.rate_upload_per_minute },
            report: Limit { per_minute: self.rate_report_per_minute },
            write: Limit { per_minute: self.rate_write_per_minute },
        }
    }
}

fn agora_table(text: &str) -> anyhow::Result<toml::Table> {
    let doc: toml::Table = text.parse()?;
    match doc.get("agora") {
        Some(toml::Value::Table(t)) => Ok(t.clone()),
        _ => bail!("missing [agora] table"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn the_defaults_load_without_a_file() {
        let c = Config::from_sources(None, &[]).unwrap();
        assert_eq!(c.database_url, "sqlite://data/agora.db");
        assert_eq!(c.site_addr, "127.0.0.1:3000");
    }

    #[test]
    fn environment_variables_override_the_file() {
        let file = "[agora]\nsite_addr = \"0.0.0.0:8080\"\n";
        let c = Config::from_sources(
            Some(file),
            &env(&[
                ("AGORA_SITE_ADDR", "127.0.0.1:9"),
                ("AGORA_DATABASE_MAX_CONNECTIONS", "3"),
                ("AGORA_CLOCK_CONTROL", "true"),
            ]),
        )
        .unwrap();
        assert_eq!(c.site_addr, "127.0.0.1:9");
        assert_eq!(c.database_max_connections, 3);
        assert!(c.clock_control);
    }

    #[test]
    fn a_typo_in_the_file_is_an_error() {
        assert!(Config::from_sources(Some("[agora]\ndatabse_url = \"x\"\n"), &[]).is_err());
    }

    #[test]
    fn a_non_numeric_override_is_an_error() {
        assert!(Config::from_sources(None, &env(&[("AGORA_MAX_BODY_BYTES", "lots")])).is_err());
    }

    #[test]
    fn the_time_zone_is_whole_quarter_hours_within_range() {
        let offset = |v: &str| Config::from_sources(None, &env(&[("AGORA_UTC_OFFSET_MINUTES", v)]));
        assert_eq!(offset("345").unwrap().utc_offset_minutes, 345, "Nepal, UTC+5:45");
        assert_eq!(offset("-570").unwrap().utc_offset_minutes, -570, "Marquesas, UTC-9:30");
        let refused = offset("481").unwrap_err().to_string();
        assert!(refused.contains("multiple of 15"), "{refused}");
        assert!(offset("900").is_err(), "beyond UTC+14");
    }

    #[test]
    fn production_refuses_clock_control() {
        let e = env(&[("AGORA_ENVIRONMENT", "production"), ("AGORA_CLOCK_CONTROL", "1")]);
        assert!(Config::from_sources(None, &e).is_err());
    }

    #[test]
    fn production_refuses_the_sandbox_payment_provider() {
        let e =
            Config::from_sources(None, &env(&[("AGORA_ENVIRONMENT", "production"), ("AGORA_CLOCK_CONTROL", "false")]));
        assert!(e.unwrap_err().to_string().contains("sandbox"));
        let ok = Config::from_sources(
            None,
            &env(&[
                ("AGORA_ENVIRONMENT", "production"),
                ("AGORA_CLOCK_CONTROL", "false"),
                ("AGORA_PAYMENT_PROVIDERS", "bank_transfer"),
            ]),
        );
        assert!(ok.is_ok());
    }

    #[test]
    fn the_shipped_rate_limits_are_the_domains_defaults_and_keep_to_their_bounds() {
        let c = Config::from_sources(None, &[]).unwrap();
        assert_eq!(c.settings().rate_limits, agora_app::domain::rate_limit::Limits::DEFAULT);
        let zero = Config::from_sources(None, &env(&[("AGORA_RATE_SIGN_IN_PER_MINUTE", "0")]));
        assert!(zero.unwrap_err().to_string().contains("rate_sign_in_per_minute"));
        assert!(Config::from_sources(None, &env(&[("AGORA_RATE_LIMITS", "maybe")])).is_err());
        let off = Config::from_sources(None, &env(&[("AGORA_RATE_LIMITS", "off")])).unwrap();
        assert!(!off.settings().rate_limits.enabled);
    }

    #[test]
    fn https_turns_on_secure_cookies() {
        let c = Config::from_sources(None, &env(&[("AGORA_PUBLIC_URL", "https://shop.example/")])).unwrap();
        assert!(c.settings().secure_cookies);
        assert_eq!(c.public_origin(), "https://shop.example");
    }
}
