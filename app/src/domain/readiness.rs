//! Launch readiness (DESIGN.md "Launch readiness"): the areas, the statuses, the evidence a check shows,
//! each check's rule (a pure function of what was measured), deferrals and "the next three actions".
//! The measuring is done by the capability that owns what is measured (`<capability>/readiness.rs`);
//! the rules live here so each can be tested without a server.

use serde::{Deserialize, Serialize};

/// The areas, in the order the page and "the next three actions" use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Area {
    Identity,
    Messaging,
    Operations,
    Trust,
    Monetisation,
    Guardrails,
}

impl Area {
    pub const ALL: [Area; 6] =
        [Area::Identity, Area::Messaging, Area::Operations, Area::Trust, Area::Monetisation, Area::Guardrails];

    pub fn as_str(self) -> &'static str {
        match self {
            Area::Identity => "identity",
            Area::Messaging => "messaging",
            Area::Operations => "operations",
            Area::Trust => "trust",
            Area::Monetisation => "monetisation",
            Area::Guardrails => "guardrails",
        }
    }
}

/// A check's status. `Deferred` is never measured: it is a blocker or warning that an operator
/// deferred until a date (see `effective`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Status {
    Blocker,
    Warning,
    Ready,
    Deferred,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Blocker => "blocker",
            Status::Warning => "warning",
            Status::Ready => "ready",
            Status::Deferred => "deferred",
        }
    }

    /// Needs an operator (what "the next three actions" and the CLI's exit code look at).
    pub fn needs_action(self) -> bool {
        matches!(self, Status::Blocker | Status::Warning)
    }
}

/// One measured fact: a message key naming it and its value as shown (a number, a setting, a date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    pub key: String,
    pub value: String,
}

pub fn fact(key: &str, value: impl ToString) -> Fact {
    Fact { key: key.to_string(), value: value.to_string() }
}

/// A check as its capability declares it: the id (also its audit target and the stem of its message
/// keys `readiness.check.<id>` and `readiness.fix.<id>`), its area, and where it is fixed: a console
/// page, a configuration key, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckDef {
    pub id: &'static str,
    pub area: Area,
    pub link: Option<&'static str>,
    pub setting: Option<&'static str>,
}

/// A check measured now: its rule's verdict and the facts it looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measured {
    pub check: &'static CheckDef,
    pub status: Status,
    pub evidence: Vec<Fact>,
}

impl CheckDef {
    pub fn measured(&'static self, status: Status, evidence: Vec<Fact>) -> Measured {
        Measured { check: self, status, evidence }
    }
}

/// A deferral as stored: until when, and whether it is still in force at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeferralWindow {
    pub expires_at_ms: i64,
}

/// The status shown: a blocker or warning under a deferral that has not expired is `Deferred`; a
/// ready check stays ready (nothing to defer) and an expired deferral returns the measured status.
pub fn effective(measured: Status, deferral: Option<DeferralWindow>, now_ms: i64) -> Status {
    match deferral {
        Some(d) if measured.needs_action() && d.expires_at_ms > now_ms => Status::Deferred,
        _ => measured,
    }
}

/// The longest a check may be deferred: a year, so a deferral is a plan and not a way to hide it.
pub const MAX_DEFERRAL_DAYS: i64 = 366;
const DAY_MS: i64 = 86_400_000;

/// The instant a deferral ends for an expiry date typed as `YYYY-MM-DD` in the platform's time zone:
/// the end of that day. The date must be after today and at most a year away. Errors are message keys.
pub fn deferral_expiry(date: &str, now_ms: i64, offset_minutes: i32) -> Result<i64, &'static str> {
    let date = date.trim();
    if date.is_empty() {
        return Err("readiness.expiry.required");
    }
    let days = super::period::parse_date(date).ok_or("readiness.expiry.invalid")?;
    let start = days * DAY_MS - i64::from(offset_minutes) * 60_000;
    let today_start = super::period::local_day_start(now_ms, offset_minutes);
    if start <= today_start {
        return Err("readiness.expiry.past");
    }
    if start > today_start + MAX_DEFERRAL_DAYS * DAY_MS {
        return Err("readiness.expiry.too_far");
    }
    Ok(start + DAY_MS)
}

/// "The next three actions": blockers first, then warnings, each by area order and then by the
/// order the registry lists them (the input's order); ready and deferred checks never appear.
pub fn next_actions<T>(checks: &[T], status: impl Fn(&T) -> Status, area: impl Fn(&T) -> Area) -> Vec<usize> {
    let mut open: Vec<usize> = (0..checks.len()).filter(|&i| status(&checks[i]).needs_action()).collect();
    open.sort_by_key(|&i| (status(&checks[i]), area(&checks[i]), i));
    open.truncate(3);
    open
}

/// Counts per status, in the order blocker, warning, ready, deferred.
pub fn counts(statuses: impl IntoIterator<Item = Status>) -> [i64; 4] {
    let mut n = [0i64; 4];
    for s in statuses {
        n[s as usize] += 1;
    }
    n
}

/// The rule of every check: what was measured in, a status out.
pub mod rules {
    use super::Status::{self, Blocker, Ready, Warning};

    /// Sessions and the sign-in form over plain http can be read on the way.
    pub fn public_url_https(is_https: bool) -> Status {
        if is_https {
            Ready
        } else {
            Blocker
        }
    }

    /// Session cookies must be `Secure` and `__Host-` (they follow the public URL's scheme).
    pub fn secure_cookies(secure: bool) -> Status {
        if secure {
            Ready
        } else {
            Blocker
        }
    }

    /// The recovery token creates a super admin; once one exists it is an open door. With no super
    /// admin at all nobody can run the console.
    pub fn bootstrap_token(token_set: bool, super_admins: i64) -> Status {
        match (token_set, super_admins) {
            (_, 0) => Blocker,
            (true, _) => Blocker,
            (false, _) => Ready,
        }
    }

    /// Operators run the console that moves money: each needs a second factor. Not required at all
    /// blocks; required with some operators not enrolled yet warns (they cannot open the console).
    pub fn operator_second_factor(required: bool, operators_without: i64) -> Status {
        match (required, operators_without) {
            (false, _) => Blocker,
            (true, 0) => Ready,
            (true, _) => Warning,
        }
    }

    /// Who may create an account must be a decision, not a default.
    pub fn signup_policy(chosen: bool) -> Status {
        if chosen {
            Ready
        } else {
            Warning
        }
    }

    /// New accounts prove their address with a mailed link; without a mail server the link never
    /// arrives and new buyers cannot verify.
    pub fn email_verification(mail_configured: bool) -> Status {
        if mail_configured {
            Ready
        } else {
            Blocker
        }
    }

    /// Mail must be configured, and have delivered something in the last `RECENT_DAYS` once the
    /// platform has sent any (a fresh install has nothing to deliver yet).
    pub const RECENT_MAIL_DAYS: i64 = 7;
    pub fn smtp(configured: bool, last_delivered_ms: Option<i64>, any_email_sent: bool, now_ms: i64) -> Status {
        if !configured {
            return Blocker;
        }
        match last_delivered_ms {
            Some(at) if now_ms - at <= RECENT_MAIL_DAYS * 86_400_000 => Ready,
            None if !any_email_sent => Ready,
            _ => Warning,
        }
    }

    /// Every event x channel x locale needs a template: a missing one sends nothing.
    pub fn template_coverage(missing: i64) -> Status {
        if missing == 0 {
            Ready
        } else {
            Warning
        }
    }

    /// Addresses suppressed in the last week (hard bounces, complaints) may be a misconfigured sender.
    pub fn suppressions(suppressed_last_week: i64) -> Status {
        if suppressed_last_week == 0 {
            Ready
        } else {
            Warning
        }
    }

    /// Failing or disabled webhook endpoints lose events their owners rely on.
    pub fn webhook_endpoints(failing: i64, disabled: i64) -> Status {
        if failing == 0 && disabled == 0 {
            Ready
        } else {
            Warning
        }
    }

    /// Messages waiting long past their time mean the outbox worker is stuck; messages that gave up
    /// in the last day were lost to their recipients.
    pub const OUTBOX_BACKLOG_MS: i64 = 15 * 60_000;
    pub fn outbox(oldest_due_ms: Option<i64>, gave_up_24h: i64, now_ms: i64) -> Status {
        match oldest_due_ms {
            Some(due) if now_ms - due > OUTBOX_BACKLOG_MS => Blocker,
            _ if gave_up_24h > 0 => Warning,
            _ => Ready,
        }
    }

    pub fn database(reachable: bool) -> Status {
        if reachable {
            Ready
        } else {
            Blocker
        }
    }

    /// The database must be at exactly the schema this binary was built for.
    pub fn migrations(recorded: Option<i64>, latest_known: i64) -> Status {
        if recorded == Some(latest_known) {
            Ready
        } else {
            Blocker
        }
    }

    /// Uploads (seller documents, listing images) need a writable directory with room to grow.
    pub const MIN_FREE_BYTES: u64 = 1 << 30;
    pub fn uploads(writable: bool, free_bytes: Option<u64>) -> Status {
        match (writable, free_bytes) {
            (false, _) => Blocker,
            (true, Some(free)) if free < MIN_FREE_BYTES => Warning,
            _ => Ready,
        }
    }

    /// Durable jobs (cancel unpaid orders, release earnings) late by minutes are a slow worker; by an
    /// hour, a stopped one.
    pub const JOBS_LATE_MS: i64 = 5 * 60_000;
    pub const JOBS_STOPPED_MS: i64 = 60 * 60_000;
    pub fn jobs(oldest_due_ms: Option<i64>, now_ms: i64) -> Status {
        match oldest_due_ms.map(|due| now_ms - due) {
            Some(late) if late > JOBS_STOPPED_MS => Blocker,
            Some(late) if late > JOBS_LATE_MS => Warning,
            _ => Ready,
        }
    }

    /// What the incremental verification of the audit chain found.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum ChainFinding {
        /// Every entry up to the head verified.
        Intact,
        /// Verified so far, more entries remain (the next view continues).
        Behind,
        Broken,
    }
    pub fn audit_chain(finding: ChainFinding) -> Status {
        match finding {
            ChainFinding::Intact => Ready,
            ChainFinding::Behind => Warning,
            ChainFinding::Broken => Blocker,
        }
    }

    /// The ledger's accounts must sum to zero in every currency.
    pub fn ledger(nonzero_currencies: i64) -> Status {
        if nonzero_currencies == 0 {
            Ready
        } else {
            Blocker
        }
    }

    /// Every money event must have its posting: one without is money the books do not know of.
    pub fn unposted(events_without_posting: i64) -> Status {
        if events_without_posting == 0 {
            Ready
        } else {
            Blocker
        }
    }

    /// A trust threshold (live listings, active sellers, completed orders): below target a buyer
    /// finds too little to trust the place.
    pub fn threshold(counted: i64, target: i64) -> Status {
        if counted >= target {
            Ready
        } else {
            Warning
        }
    }

    /// Without an active default commission rule orders earn the platform nothing.
    pub fn default_commission(active_default_rules: i64) -> Status {
        if active_default_rules > 0 {
            Ready
        } else {
            Blocker
        }
    }

    /// Buyers paying by bank transfer need the platform's account.
    pub fn bank_account(set: bool, bank_transfer_enabled: bool) -> Status {
        match (set, bank_transfer_enabled) {
            (true, _) | (false, false) => Ready,
            (false, true) => Blocker,
        }
    }

    /// The payout minimum must be positive and below the review threshold, or every payout is flagged.
    pub fn payout_limits(min_minor: i64, review_threshold_minor: i64) -> Status {
        if min_minor > 0 && review_threshold_minor > min_minor {
            Ready
        } else {
            Warning
        }
    }

    /// The sandbox test card takes orders without money; production refuses it at start-up too.
    pub fn sandbox_provider(enabled: bool, production: bool) -> Status {
        match (enabled, production) {
            (false, _) => Ready,
            (true, true) => Blocker,
            (true, false) => Warning,
        }
    }

    pub fn environment(production: bool) -> Status {
        if production {
            Ready
        } else {
            Blocker
        }
    }

    /// Clock control lets anyone move the platform's time.
    pub fn clock_control(on: bool) -> Status {
        if on {
            Blocker
        } else {
            Ready
        }
    }

    /// Accounts of the test fixtures (known addresses with well-known passwords) betray demo data.
    pub fn demo_data(known_test_accounts: i64) -> Status {
        if known_test_accounts == 0 {
            Ready
        } else {
            Blocker
        }
    }

    /// Development endpoints (`/__dev/...`) mounted.
    pub fn debug_endpoints(mounted: usize) -> Status {
        if mounted == 0 {
            Ready
        } else {
            Blocker
        }
    }

    /// The headers every response must carry, and HSTS once the site is on https.
    pub const REQUIRED_HEADERS: [&str; 3] = ["x-content-type-options", "x-frame-options", "referrer-policy"];
    pub fn security_headers(applied: &[&str], https: bool) -> Status {
        let has = |h: &str| applied.iter().any(|a| a.eq_ignore_ascii_case(h));
        if !REQUIRED_HEADERS.iter().all(|h| has(h)) {
            Blocker
        } else if https && !has("strict-transport-security") {
            Warning
        } else {
            Ready
        }
    }
}

#[cfg(test)]
mod tests {
    use super::rules::*;
    use super::Status::*;
    use super::*;

    const NOW: i64 = 1_800_000_000_000;
    const MIN: i64 = 60_000;
    const DAY: i64 = 86_400_000;

    #[test]
    fn a_deferral_hides_a_blocker_or_warning_until_it_expires() {
        let d = Some(DeferralWindow { expires_at_ms: NOW + 1 });
        assert_eq!(effective(Blocker, d, NOW), Deferred);
        assert_eq!(effective(Warning, d, NOW), Deferred);
        assert_eq!(effective(Ready, d, NOW), Ready);
        let expired = Some(DeferralWindow { expires_at_ms: NOW });
        assert_eq!(effective(Blocker, expired, NOW), Blocker);
        assert_eq!(effective(Warning, None, NOW), Warning);
    }

    #[test]
    fn an_expiry_date_must_be_after_today_and_within_a_year() {
        // NOW is 2027-01-15 08:00 UTC.
        assert_eq!(deferral_expiry("2027-01-16", NOW, 0), Ok(NOW - 8 * 3_600_000 + 2 * DAY));
        assert_eq!(deferral_expiry("2027-01-15", NOW, 0), Err("readiness.expiry.past"));
        assert_eq!(deferral_expiry("2026-12-01", NOW, 0), Err("readiness.expiry.past"));
        assert_eq!(deferral_expiry("2029-01-01", NOW, 0), Err("readiness.expiry.too_far"));
        assert_eq!(deferral_expiry("2027-02-30", NOW, 0), Err("readiness.expiry.invalid"));
        assert_eq!(deferral_expiry(" ", NOW, 0), Err("readiness.expiry.required"));
        // At UTC+8 it is already the 15th at 16:00: the 16th is still tomorrow there.
        assert!(deferral_expiry("2027-01-16", NOW, 480).is_ok());
    }

    #[test]
    fn next_actions_are_blockers_first_then_warnings_by_area() {
        let checks = [
            (Warning, Area::Identity),
            (Ready, Area::Identity),
            (Blocker, Area::Guardrails),
            (Deferred, Area::Identity),
            (Blocker, Area::Monetisation),
            (Warning, Area::Messaging),
            (Warning, Area::Identity),
        ];
        assert_eq!(next_actions(&checks, |c| c.0, |c| c.1), vec![4, 2, 0]);
        assert_eq!(next_actions(&checks[..2], |c| c.0, |c| c.1), vec![0]);
        assert!(next_actions(&checks[1..2], |c| c.0, |c| c.1).is_empty());
    }

    #[test]
    fn counts_are_per_status() {
        assert_eq!(counts([Blocker, Ready, Ready, Deferred]), [1, 0, 2, 1]);
    }

    #[test]
    fn identity_rules() {
        assert_eq!(public_url_https(true), Ready);
        assert_eq!(public_url_https(false), Blocker);
        assert_eq!(secure_cookies(true), Ready);
        assert_eq!(secure_cookies(false), Blocker);
        assert_eq!(bootstrap_token(false, 1), Ready);
        assert_eq!(bootstrap_token(true, 1), Blocker);
        assert_eq!(bootstrap_token(false, 0), Blocker);
        assert_eq!(bootstrap_token(true, 0), Blocker);
        assert_eq!(signup_policy(true), Ready);
        assert_eq!(signup_policy(false), Warning);
        assert_eq!(email_verification(true), Ready);
        assert_eq!(email_verification(false), Blocker);
    }

    #[test]
    fn messaging_rules() {
        assert_eq!(smtp(false, Some(NOW), true, NOW), Blocker);
        assert_eq!(smtp(true, None, false, NOW), Ready);
        assert_eq!(smtp(true, None, true, NOW), Warning);
        assert_eq!(smtp(true, Some(NOW - 8 * DAY), true, NOW), Warning);
        assert_eq!(smtp(true, Some(NOW - DAY), true, NOW), Ready);
        assert_eq!(template_coverage(0), Ready);
        assert_eq!(template_coverage(3), Warning);
        assert_eq!(suppressions(0), Ready);
        assert_eq!(suppressions(1), Warning);
        assert_eq!(webhook_endpoints(0, 0), Ready);
        assert_eq!(webhook_endpoints(1, 0), Warning);
        assert_eq!(webhook_endpoints(0, 1), Warning);
        assert_eq!(outbox(None, 0, NOW), Ready);
        assert_eq!(outbox(Some(NOW - MIN), 0, NOW), Ready);
        assert_eq!(outbox(Some(NOW - 16 * MIN), 0, NOW), Blocker);
        assert_eq!(outbox(Some(NOW), 2, NOW), Warning);
    }

    #[test]
    fn operations_rules() {
        assert_eq!(database(true), Ready);
        assert_eq!(database(false), Blocker);
        assert_eq!(migrations(Some(8), 8), Ready);
        assert_eq!(migrations(Some(7), 8), Blocker);
        assert_eq!(migrations(Some(9), 8), Blocker);
        assert_eq!(migrations(None, 8), Blocker);
        assert_eq!(uploads(true, Some(MIN_FREE_BYTES)), Ready);
        assert_eq!(uploads(true, None), Ready);
        assert_eq!(uploads(true, Some(MIN_FREE_BYTES - 1)), Warning);
        assert_eq!(uploads(false, Some(u64::MAX)), Blocker);
        assert_eq!(jobs(None, NOW), Ready);
        assert_eq!(jobs(Some(NOW - 4 * MIN), NOW), Ready);
        assert_eq!(jobs(Some(NOW - 6 * MIN), NOW), Warning);
        assert_eq!(jobs(Some(NOW - 61 * MIN), NOW), Blocker);
        assert_eq!(audit_chain(ChainFinding::Intact), Ready);
        assert_eq!(audit_chain(ChainFinding::Behind), Warning);
        assert_eq!(audit_chain(ChainFinding::Broken), Blocker);
        assert_eq!(ledger(0), Ready);
        assert_eq!(ledger(1), Blocker);
        assert_eq!(unposted(0), Ready);
        assert_eq!(unposted(1), Blocker);
    }

    #[test]
    fn trust_and_monetisation_rules() {
        assert_eq!(threshold(20, 20), Ready);
        assert_eq!(threshold(19, 20), Warning);
        assert_eq!(default_commission(1), Ready);
        assert_eq!(default_commission(0), Blocker);
        assert_eq!(bank_account(true, true), Ready);
        assert_eq!(bank_account(false, false), Ready);
        assert_eq!(bank_account(false, true), Blocker);
        assert_eq!(payout_limits(1000, 50_000), Ready);
        assert_eq!(payout_limits(1000, 1000), Warning);
        assert_eq!(payout_limits(0, 50_000), Warning);
        assert_eq!(sandbox_provider(false, true), Ready);
        assert_eq!(sandbox_provider(true, true), Blocker);
        assert_eq!(sandbox_provider(true, false), Warning);
    }

    #[test]
    fn guardrail_rules() {
        assert_eq!(environment(true), Ready);
        assert_eq!(environment(false), Blocker);
        assert_eq!(clock_control(false), Ready);
        assert_eq!(clock_control(true), Blocker);
        assert_eq!(demo_data(0), Ready);
        assert_eq!(demo_data(1), Blocker);
        assert_eq!(debug_endpoints(0), Ready);
        assert_eq!(debug_endpoints(1), Blocker);
        let all = ["X-Content-Type-Options", "x-frame-options", "referrer-policy", "strict-transport-security"];
        assert_eq!(security_headers(&all, true), Ready);
        assert_eq!(security_headers(&all[..3], false), Ready);
        assert_eq!(security_headers(&all[..3], true), Warning);
        assert_eq!(security_headers(&all[1..], true), Blocker);
    }
}
