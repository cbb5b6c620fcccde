//! What every request handler can reach: the database, the clock and the settings.

use super::clock::SharedClock;
use super::db::Db;
use crate::domain::session::SessionPolicy;
use crate::error::AppError;
use std::sync::Arc;

/// The part of the configuration the application reads at run time (the server's `Config` fills it).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Production refuses development conveniences (sandbox payments, clock control, demo data).
    pub production: bool,
    /// The origin users reach us at, e.g. `https://agora.example`; cross-origin writes are refused.
    pub public_url: String,
    /// `Secure` and `__Host-` cookies: on whenever `public_url` is https.
    pub secure_cookies: bool,
    pub session: SessionPolicy,
    /// The recovery token of DESIGN.md: creates a super admin only while none can sign in.
    pub bootstrap_token: Option<String>,
    /// Take the client IP from `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
    /// Enables `POST /__dev/clock/advance` for end-to-end tests. Never in production.
    pub clock_control: bool,
    /// The currency every price on the platform is in.
    pub currency: crate::domain::money::Currency,
    /// How long a listing may wait in review before it counts as overdue.
    pub review_sla_ms: i64,
    /// Where uploaded files (seller documents, listing images) are stored.
    pub uploads_dir: std::path::PathBuf,
    pub upload_max_image_bytes: usize,
    pub upload_max_document_bytes: usize,
    /// How long a seller's earnings on a completed order stay pending before they become available.
    pub settlement_hold_ms: i64,
    /// Payment providers buyers may choose (sandbox never in production).
    pub payment_providers: Vec<crate::domain::payment::Provider>,
    /// The flat shipping fee added to every order (one per seller in a checkout), in minor units.
    pub shipping_fee_minor: i64,
    /// How long a seller has to answer a refund request before it escalates to a dispute.
    pub refund_response_ms: i64,
    /// How long an open dispute may wait for an operator's decision before it counts as overdue.
    pub dispute_sla_ms: i64,
    /// The smallest payout a seller may request, in minor units.
    pub payout_min_minor: i64,
    /// How long payouts wait after a payout account is added or changed.
    pub payout_cooling_off_ms: i64,
    /// Payout requests above this amount are flagged for review.
    pub payout_review_threshold_minor: i64,
    /// The platform's time zone as a fixed offset from UTC, in minutes (480 = UTC+8): where its days
    /// start for the KPI cards, charts, reports and exports.
    pub utc_offset_minutes: i32,
    /// An export of up to this many rows streams at once; a larger one runs as a background job
    /// whose file the requester downloads later (`crate::exports`).
    pub export_stream_max_rows: i64,
    /// The email channel (SMTP).
    pub mail: MailSettings,
    /// The webhook channel.
    pub webhooks: WebhookSettings,
    /// Who may create an account; `None` until the operator chooses (launch readiness warns).
    pub signup_policy: Option<SignupPolicy>,
    /// Operators must enrol a second factor before the console opens for them.
    pub operator_second_factor_required: bool,
    /// Launch readiness's trust thresholds.
    pub readiness_targets: ReadinessTargets,
    /// Sign-in with an OpenID Connect provider; `None`: off.
    pub oidc: Option<OidcSettings>,
    /// Sign-in with GitHub; `None`: off.
    pub github: Option<GithubSettings>,
    /// Maintenance mode (read-only or closed), its window and announcement (issue 15).
    pub maintenance: crate::domain::maintenance::Maintenance,
    /// What the product page's trust judgment counts (`domain::trust_judgment`).
    pub trust: crate::domain::trust_judgment::Thresholds,
    /// The risk desk's thresholds (runtime settings).
    pub risk: crate::domain::risk::Thresholds,
    /// Requests allowed per minute per IP address and per account, by class (`domain::rate_limit`).
    pub rate_limits: crate::domain::rate_limit::Limits,
    /// Feature flags changed in the settings centre; a flag not here has its default
    /// (`domain::flags::FLAGS`).
    pub flags: std::collections::BTreeMap<String, crate::domain::flags::FlagRule>,
}

/// GitHub's OAuth app (`github_*`); the URLs have no trailing slash.
#[derive(Debug, Clone)]
pub struct GithubSettings {
    pub client_id: String,
    pub client_secret: Secret,
    /// `https://github.com`: the authorization and token endpoints.
    pub web_url: String,
    /// `https://api.github.com`: the user and their emails.
    pub api_url: String,
}

/// The OpenID Connect provider (`oidc_*`). The issuer has no trailing slash; the callback is
/// `<public_url>/api/provider_callback`.
#[derive(Debug, Clone)]
pub struct OidcSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Secret,
    /// "Sign in with <label>".
    pub label: String,
}

/// Who may create an account from the sign-up page (`signup_policy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignupPolicy {
    Open,
    /// Public sign-up is refused; operators create accounts (`agora-server admin create`) until
    /// invitations exist.
    InviteOnly,
}

impl SignupPolicy {
    pub fn parse(s: &str) -> Option<SignupPolicy> {
        match s.trim() {
            "open" => Some(SignupPolicy::Open),
            "invite_only" => Some(SignupPolicy::InviteOnly),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SignupPolicy::Open => "open",
            SignupPolicy::InviteOnly => "invite_only",
        }
    }
}

/// How much a marketplace should show before launch (`readiness_target_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadinessTargets {
    pub live_listings: i64,
    pub active_sellers: i64,
    pub completed_orders: i64,
}

/// What the HTTP router applies, decided once at start-up from the configuration: the router reads
/// it to add the headers and mount the endpoints, and launch readiness reads the same value, so what
/// readiness reports is what the server does.
#[derive(Debug, Clone, Default)]
pub struct HttpFacts {
    /// Headers added to every response (lower-case names).
    pub security_headers: Vec<(&'static str, String)>,
    /// Development-only endpoints mounted (e.g. `/__dev/clock/advance`).
    pub dev_routes: Vec<&'static str>,
}

/// A value that must never reach a log or a page (the SMTP password): its `Debug` says so instead.
#[derive(Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() { "\"\"" } else { "\"(redacted)\"" })
    }
}

/// SMTP settings. An empty host means no mail server: in development every mail is then written to
/// the server log instead (so a developer can follow a verification link); in production mail waits
/// and is retried (the delivery desk shows it failing).
#[derive(Debug, Clone)]
pub struct MailSettings {
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_security: crate::domain::delivery::SmtpSecurity,
    pub smtp_username: String,
    pub smtp_password: Secret,
    pub from_address: String,
    pub from_name: String,
}

impl MailSettings {
    pub fn configured(&self) -> bool {
        !self.smtp_host.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// Allow endpoints on loopback, private and link-local addresses. Development and tests only:
    /// production refuses it.
    pub allow_private_targets: bool,
    /// How long one attempt may take, connection included.
    pub timeout_ms: u64,
}

impl Settings {
    pub fn for_tests() -> Settings {
        Settings {
            production: false,
            public_url: "http://127.0.0.1:3000".into(),
            secure_cookies: false,
            session: SessionPolicy { idle_ms: 60 * 60_000, operator_idle_ms: 30 * 60_000, absolute_ms: 12 * 3_600_000 },
            bootstrap_token: None,
            trust_forwarded_for: false,
            clock_control: true,
            currency: crate::domain::money::Currency::Usd,
            review_sla_ms: 24 * 3_600_000,
            uploads_dir: std::env::temp_dir().join("agora-test-uploads"),
            upload_max_image_bytes: 5 * 1024 * 1024,
            upload_max_document_bytes: 10 * 1024 * 1024,
            settlement_hold_ms: 7 * 86_400_000,
            payment_providers: vec![
                crate::domain::payment::Provider::BankTransfer,
                crate::domain::payment::Provider::Sandbox,
            ],
            shipping_fee_minor: 500,
            refund_response_ms: 48 * 3_600_000,
            dispute_sla_ms: 72 * 3_600_000,
            payout_min_minor: 1000,
            payout_cooling_off_ms: 48 * 3_600_000,
            payout_review_threshold_minor: 50_000,
            utc_offset_minutes: 0,
            export_stream_max_rows: 100_000,
            mail: MailSettings {
                smtp_host: String::new(),
                smtp_port: 25,
                smtp_security: crate::domain::delivery::SmtpSecurity::None,
                smtp_username: String::new(),
                smtp_password: Secret::default(),
                from_address: "no-reply@agora.test".into(),
                from_name: "Agora".into(),
            },
            webhooks: WebhookSettings { allow_private_targets: true, timeout_ms: 15_000 },
            signup_policy: None,
            operator_second_factor_required: false,
            readiness_targets: ReadinessTargets { live_listings: 20, active_sellers: 5, completed_orders: 10 },
            oidc: None,
            github: None,
            maintenance: Default::default(),
            trust: crate::domain::trust_judgment::Thresholds::SEED,
            risk: crate::domain::risk::Thresholds::SEED,
            rate_limits: Default::default(),
            flags: Default::default(),
        }
    }

    /// Flag `name`'s rule in force: the stored one, or its default.
    pub fn flag(&self, name: &str) -> crate::domain::flags::FlagRule {
        use crate::domain::flags::{FlagRule, FLAGS};
        self.flags
            .get(name)
            .cloned()
            .unwrap_or_else(|| FlagRule::everyone(FLAGS.iter().find(|(n, _)| *n == name).is_some_and(|(_, on)| *on)))
    }
}

/// The settings in force in this process: the start-up `Settings` (from the configuration) with the
/// settings centre's stored values over them (`crate::settings::live` reloads them when another
/// process, or this one, stores a new version). Readers take a snapshot (`get`) per use, so one
/// request never sees half a change.
pub struct LiveSettings {
    base: Arc<Settings>,
    current: std::sync::RwLock<Arc<Settings>>,
    /// The highest settings version applied (0: none).
    revision: std::sync::atomic::AtomicI64,
    /// Keys the configuration pins: stored values do not apply and the console cannot change them.
    pub pinned: Vec<String>,
    /// The keys that seal secret settings at rest.
    pub keys: super::sealed::SealKeys,
    /// Stored secrets this process could not open (a rotation went wrong): their configured value
    /// applies meanwhile; the settings centre and readiness say so.
    pub unreadable: std::sync::RwLock<Vec<String>>,
}

impl LiveSettings {
    pub fn new(base: Settings, pinned: Vec<String>, keys: super::sealed::SealKeys) -> LiveSettings {
        let base = Arc::new(base);
        LiveSettings {
            current: std::sync::RwLock::new(base.clone()),
            base,
            revision: std::sync::atomic::AtomicI64::new(0),
            pinned,
            keys,
            unreadable: Default::default(),
        }
    }

    /// A fixed set of settings (tests, tools): nothing pinned, no sealing key.
    pub fn fixed(settings: Settings) -> LiveSettings {
        LiveSettings::new(settings, vec![], Default::default())
    }

    pub fn get(&self) -> Arc<Settings> {
        self.current.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The start-up values (what the configuration says).
    pub fn base(&self) -> &Settings {
        &self.base
    }

    pub fn revision(&self) -> i64 {
        self.revision.load(std::sync::atomic::Ordering::Acquire)
    }

    pub fn is_pinned(&self, key: &str) -> bool {
        self.pinned.iter().any(|k| k == key)
    }

    /// Puts `settings` in force as of version `revision` (ignored when a later one is in already).
    pub fn install(&self, settings: Settings, revision: i64) {
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        if revision >= self.revision() {
            *current = Arc::new(settings);
            self.revision.store(revision, std::sync::atomic::Ordering::Release);
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub clock: SharedClock,
    /// The settings in force; read them with `settings()`.
    pub live: Arc<LiveSettings>,
    /// What every visitor sees alike (storefront sections, the category tree); see `platform::cache`.
    pub cache: Arc<super::cache::Cache>,
    /// First pages of storefront searches, kept apart from `cache` so that many distinct queries
    /// (each a key) can only evict one another, never the home page.
    pub search_cache: Arc<super::cache::Cache>,
    /// The key that signs links and hashes account tokens (`platform::secrets`), read once.
    pub signing_key: super::secrets::SigningKey,
    /// What the router applies (security headers, development endpoints); see `HttpFacts`.
    pub http: Arc<HttpFacts>,
}

impl AppState {
    /// The settings in force now (a snapshot: hold it for one piece of work, not across requests).
    pub fn settings(&self) -> Arc<Settings> {
        self.live.get()
    }

    pub fn now_ms(&self) -> i64 {
        use super::clock::Clock;
        self.clock.now_ms()
    }

    /// The wall clock, for other parties' timestamps (see `Clock::world_ms`).
    pub fn world_ms(&self) -> i64 {
        use super::clock::Clock;
        self.clock.world_ms()
    }
}

/// The state, from the leptos context every server function and SSR render runs in.
pub fn app_state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| AppError::internal("AppState missing from the leptos context"))
}
