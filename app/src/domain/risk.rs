//! The risk desk (issue 15): signals the platform raises about a user, a seller, a listing or a
//! payout when a rule over recent activity passes its threshold, for an operator to own, look into
//! and resolve, with links to the actions that fit (ban, suspend, hold a payout, take down). Plain
//! Rust: the scan (`risk::scan`) counts, this module decides what is a signal and how bad it is.
//!
//! A signal moves like an incident (`domain::alerts::transition`): open, acknowledged, resolved.
//! One unresolved signal per rule and subject: a new finding on it updates its evidence; once
//! resolved, the same finding stays quiet for `QUIET_AFTER_RESOLVED_MS` (the operator decided it).

use super::alerts::Severity;
use serde::{Deserialize, Serialize};

/// What a signal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    User,
    Seller,
    Listing,
    Payout,
}

impl Scope {
    pub const ALL: [Scope; 4] = [Scope::User, Scope::Seller, Scope::Listing, Scope::Payout];

    pub fn key(self) -> &'static str {
        match self {
            Scope::User => "user",
            Scope::Seller => "seller",
            Scope::Listing => "listing",
            Scope::Payout => "payout",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|v| v.key() == s)
    }

    /// The console page of the subject, where its actions are.
    pub fn page(self, id: i64) -> String {
        match self {
            Scope::User => format!("/console/users/{id}"),
            Scope::Seller => format!("/console/sellers/{id}"),
            Scope::Listing => format!("/console/listings/{id}"),
            Scope::Payout => format!("/console/payouts/{id}"),
        }
    }

    /// The action an operator would take on the subject (message `risk.action.<key>`).
    pub fn action(self) -> &'static str {
        match self {
            Scope::User => "ban",
            Scope::Seller => "suspend",
            Scope::Listing => "take_down",
            Scope::Payout => "hold_payout",
        }
    }
}

/// The rules that raise signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Rule {
    /// Many failed sign-ins on one account within an hour.
    FailedSignIns,
    /// Several accounts signed in from one IP address within a day.
    SharedIp,
    /// Many refused privileged attempts by one account within an hour.
    RefusedAttempts,
    /// A payout waiting with risk flags (large, new payout account, recent disputes, negative balance).
    PayoutFlags,
    /// A seller's refunds in the last 30 days above a share of its orders.
    RefundRate,
    /// A seller's disputes in the last 30 days above a share of its orders.
    DisputeRate,
    /// A live listing priced far above its own earlier prices.
    PriceSpike,
    /// A single large payment within the last day.
    LargePayment,
}

impl Rule {
    pub const ALL: [Rule; 8] = [
        Rule::FailedSignIns,
        Rule::SharedIp,
        Rule::RefusedAttempts,
        Rule::PayoutFlags,
        Rule::RefundRate,
        Rule::DisputeRate,
        Rule::PriceSpike,
        Rule::LargePayment,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Rule::FailedSignIns => "failed_sign_ins",
            Rule::SharedIp => "shared_ip",
            Rule::RefusedAttempts => "refused_attempts",
            Rule::PayoutFlags => "payout_flags",
            Rule::RefundRate => "refund_rate",
            Rule::DisputeRate => "dispute_rate",
            Rule::PriceSpike => "price_spike",
            Rule::LargePayment => "large_payment",
        }
    }

    pub fn parse(s: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|v| v.key() == s)
    }

    pub fn scope(self) -> Scope {
        match self {
            Rule::FailedSignIns | Rule::SharedIp | Rule::RefusedAttempts | Rule::LargePayment => Scope::User,
            Rule::PayoutFlags => Scope::Payout,
            Rule::RefundRate | Rule::DisputeRate => Scope::Seller,
            Rule::PriceSpike => Scope::Listing,
        }
    }
}

/// The thresholds, runtime settings (review and trust).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    pub failed_sign_ins_per_hour: i64,
    pub accounts_per_ip_per_day: i64,
    pub refused_per_hour: i64,
    pub refund_rate_percent: i64,
    pub dispute_rate_percent: i64,
    /// Rates are judged only from this many orders in the window (two refunds of three orders is luck).
    pub rate_min_orders: i64,
    pub large_payment_minor: i64,
}

impl Thresholds {
    pub const SEED: Thresholds = Thresholds {
        failed_sign_ins_per_hour: 20,
        accounts_per_ip_per_day: 5,
        refused_per_hour: 10,
        refund_rate_percent: 20,
        dispute_rate_percent: 5,
        rate_min_orders: 10,
        large_payment_minor: 100_000,
    };
}

/// Rates are counted over the last 30 days.
pub const RATE_WINDOW_MS: i64 = 30 * 86_400_000;
/// A resolved finding stays quiet this long (a week).
pub const QUIET_AFTER_RESOLVED_MS: i64 = 7 * 86_400_000;

/// A count against its threshold: a signal at the threshold, critical at five times it.
pub fn count_severity(count: i64, threshold: i64) -> Option<Severity> {
    if threshold <= 0 || count < threshold {
        None
    } else if count >= threshold.saturating_mul(5) {
        Some(Severity::Critical)
    } else {
        Some(Severity::Warning)
    }
}

/// A share of orders against its threshold in percent: nothing below `min_orders` orders; critical
/// at twice the threshold.
pub fn rate_severity(events: i64, orders: i64, threshold_percent: i64, min_orders: i64) -> Option<Severity> {
    if orders < min_orders.max(1) {
        return None;
    }
    // Compared in integers: events / orders >= threshold / 100.
    let scaled = events.saturating_mul(100);
    if scaled < threshold_percent.saturating_mul(orders) {
        None
    } else if scaled >= threshold_percent.saturating_mul(2).saturating_mul(orders) {
        Some(Severity::Critical)
    } else {
        Some(Severity::Warning)
    }
}

/// A payout's risk flags (the stored comma list): any flag is a signal; a new payout account on a
/// large amount, the classic account takeover, is critical.
pub fn payout_severity(flags: &str) -> Option<Severity> {
    let flags: Vec<&str> = flags.split(',').map(str::trim).filter(|f| !f.is_empty()).collect();
    if flags.is_empty() {
        None
    } else if flags.contains(&"new_account") && flags.contains(&"large_amount") {
        Some(Severity::Critical)
    } else {
        Some(Severity::Warning)
    }
}

/// A price against the listing's highest earlier price: a signal above `ratio_percent` of it,
/// critical above twice that ratio.
pub fn price_severity(price_minor: i64, highest_earlier_minor: i64, ratio_percent: i64) -> Option<Severity> {
    if highest_earlier_minor <= 0 {
        return None;
    }
    let scaled = price_minor.saturating_mul(100);
    if scaled <= ratio_percent.saturating_mul(highest_earlier_minor) {
        None
    } else if scaled > ratio_percent.saturating_mul(2).saturating_mul(highest_earlier_minor) {
        Some(Severity::Critical)
    } else {
        Some(Severity::Warning)
    }
}

/// A payment against the large-payment threshold: critical at ten times it.
pub fn payment_severity(amount_minor: i64, threshold_minor: i64) -> Option<Severity> {
    if threshold_minor <= 0 || amount_minor < threshold_minor {
        None
    } else if amount_minor >= threshold_minor.saturating_mul(10) {
        Some(Severity::Critical)
    } else {
        Some(Severity::Warning)
    }
}

/// The key one unresolved signal per rule and subject is kept under.
pub fn dedupe_key(rule: Rule, subject_id: i64) -> String {
    format!("{}:{}", rule.key(), subject_id)
}

/// What the scan does with a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    /// Raise a new signal.
    Raise,
    /// Update the unresolved signal's evidence and last seen time.
    Update(i64),
    /// Resolved lately: stay quiet.
    Quiet,
}

/// Decides a finding from the subject's unresolved signal and when its last one was resolved.
pub fn on_finding(unresolved: Option<i64>, last_resolved_at_ms: Option<i64>, now_ms: i64) -> Finding {
    match (unresolved, last_resolved_at_ms) {
        (Some(id), _) => Finding::Update(id),
        (None, Some(at)) if now_ms - at < QUIET_AFTER_RESOLVED_MS => Finding::Quiet,
        (None, _) => Finding::Raise,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_signal_at_the_threshold_and_are_critical_at_five_times() {
        assert_eq!(count_severity(19, 20), None);
        assert_eq!(count_severity(20, 20), Some(Severity::Warning));
        assert_eq!(count_severity(100, 20), Some(Severity::Critical));
        assert_eq!(count_severity(5, 0), None, "a zero threshold never fires");
    }

    #[test]
    fn rates_need_enough_orders() {
        assert_eq!(rate_severity(3, 5, 20, 10), None, "five orders are too few to judge");
        assert_eq!(rate_severity(1, 10, 20, 10), None);
        assert_eq!(rate_severity(2, 10, 20, 10), Some(Severity::Warning));
        assert_eq!(rate_severity(4, 10, 20, 10), Some(Severity::Critical));
        assert_eq!(rate_severity(1, 0, 20, 0), None, "no orders, no rate");
    }

    #[test]
    fn payout_flags_are_signals_and_a_new_account_on_a_large_amount_is_critical() {
        assert_eq!(payout_severity(""), None);
        assert_eq!(payout_severity("recent_disputes"), Some(Severity::Warning));
        assert_eq!(payout_severity("large_amount,new_account"), Some(Severity::Critical));
    }

    #[test]
    fn prices_above_the_ratio_signal() {
        assert_eq!(price_severity(1_200, 1_000, 120), None, "exactly 1.2 x is not above");
        assert_eq!(price_severity(1_201, 1_000, 120), Some(Severity::Warning));
        assert_eq!(price_severity(2_401, 1_000, 120), Some(Severity::Critical));
        assert_eq!(price_severity(5_000, 0, 120), None, "no history, nothing to compare");
    }

    #[test]
    fn large_payments() {
        assert_eq!(payment_severity(99_999, 100_000), None);
        assert_eq!(payment_severity(100_000, 100_000), Some(Severity::Warning));
        assert_eq!(payment_severity(1_000_000, 100_000), Some(Severity::Critical));
    }

    #[test]
    fn one_unresolved_signal_per_subject_and_a_quiet_week_after_resolving() {
        let now = 100 * 86_400_000;
        assert_eq!(on_finding(Some(7), None, now), Finding::Update(7));
        assert_eq!(on_finding(None, None, now), Finding::Raise);
        assert_eq!(on_finding(None, Some(now - 86_400_000), now), Finding::Quiet);
        assert_eq!(on_finding(None, Some(now - QUIET_AFTER_RESOLVED_MS), now), Finding::Raise);
    }

    #[test]
    fn every_rule_has_a_scope_with_a_page_and_an_action() {
        for rule in Rule::ALL {
            assert_eq!(Rule::parse(rule.key()), Some(rule));
            assert!(rule.scope().page(1).starts_with("/console/"));
        }
        assert_eq!(dedupe_key(Rule::RefundRate, 9), "refund_rate:9");
    }
}
