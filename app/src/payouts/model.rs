//! What the payout pages show and accept: payout accounts (always masked here), the seller's payout
//! overview and requests, and finance's queue and detail. Plain data shared by server and browser;
//! the filter parsing lives here so it is unit-tested without a database.

use crate::domain::money::Currency;
use crate::domain::payout::{NextAction, PayoutMethod, PayoutStatus, RiskFlag};
use serde::{Deserialize, Serialize};

/// A payout account as every screen but finance's reveal shows it: the number masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutAccountView {
    pub id: i64,
    pub method: PayoutMethod,
    pub holder: String,
    pub account_masked: String,
    pub bank_name: String,
    pub notes: String,
    /// `active`, `replaced` or `removed`.
    pub status: String,
    pub created_at_ms: i64,
}

/// The seller's payout accounts page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutAccountsView {
    pub is_owner: bool,
    pub accounts: Vec<PayoutAccountView>,
    /// Payouts are held until then (cooling-off after the last change); `None` when not held.
    pub hold_until_ms: Option<i64>,
    pub cooling_off_hours: i64,
    pub max_accounts: i64,
}

/// One payout request as the seller and the queue list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutRow {
    pub id: i64,
    pub organisation_id: i64,
    pub seller_name: String,
    pub currency: Currency,
    pub amount_minor: i64,
    pub status: PayoutStatus,
    pub account_masked: String,
    pub method: PayoutMethod,
    pub risk_flags: Vec<RiskFlag>,
    pub frozen: bool,
    pub external_reference: String,
    pub failure_reason: String,
    pub retry_condition: String,
    pub next_action: Option<NextAction>,
    pub decision_reason: String,
    pub requested_at_ms: i64,
    /// How long ago it was requested (server time, so the page renders the same on both sides).
    pub age_ms: i64,
    pub closed_at_ms: Option<i64>,
}

/// The seller's payouts page: balances, what stops a request now, and the request form's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerPayoutsView {
    pub organisation_name: String,
    pub is_owner: bool,
    pub currency: Currency,
    pub pending_minor: i64,
    pub available_minor: i64,
    pub in_transit_minor: i64,
    pub minimum_minor: i64,
    pub frozen: bool,
    pub hold_until_ms: Option<i64>,
    pub open_request: bool,
    pub accounts: Vec<PayoutAccountView>,
    /// A fresh key for this rendering of the request form.
    pub idempotency_key: String,
}

/// The finance queue's counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct QueueCounters {
    pub to_review: i64,
    pub approved: i64,
    pub failed_this_week: i64,
    pub in_transit_minor: i64,
    pub flagged: i64,
    pub currency: Option<Currency>,
}

/// A ledger posting of a payout, for the detail page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutPosting {
    pub id: i64,
    pub kind: String,
    pub at_ms: i64,
    /// `(account code, amount)`: debits positive, credits negative.
    pub entries: Vec<(String, i64)>,
}

/// One audit entry about the payout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PayoutAudit {
    pub id: i64,
    pub at_ms: i64,
    pub action: String,
    pub actor: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutDetail {
    pub row: PayoutRow,
    pub account: PayoutAccountView,
    pub seller_status: String,
    pub seller_frozen: bool,
    pub pending_minor: i64,
    pub available_minor: i64,
    pub in_transit_minor: i64,
    pub requested_by: String,
    pub approved_by: Option<String>,
    pub approved_at_ms: Option<i64>,
    pub closed_by: Option<String>,
    /// The seller's other recent payouts, newest first.
    pub history: Vec<PayoutRow>,
    pub postings: Vec<PayoutPosting>,
    pub audit: Vec<PayoutAudit>,
}

/// The finance queue's filters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueueFilter {
    pub status: Option<PayoutStatus>,
    pub seller: Option<String>,
    pub flagged: bool,
    pub frozen: bool,
}

pub const SELLER_SEARCH_MAX_CHARS: usize = 100;

fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

fn flag(value: Option<&str>) -> Result<bool, (&'static str, &'static str)> {
    match present(value) {
        None | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") | Some("on") => Ok(true),
        Some(_) => Err(("flagged", "payouts.bad_filter")),
    }
}

impl QueueFilter {
    /// Empty values mean "no filter", as an untouched GET form sends them.
    pub fn parse(
        status: Option<&str>,
        seller: Option<&str>,
        flagged: Option<&str>,
        frozen: Option<&str>,
    ) -> Result<QueueFilter, (&'static str, &'static str)> {
        let status = match present(status) {
            None => None,
            Some(s) => Some(PayoutStatus::parse(s).ok_or(("status", "payouts.bad_filter"))?),
        };
        let seller = match present(seller) {
            None => None,
            Some(s) if s.chars().count() > SELLER_SEARCH_MAX_CHARS => return Err(("seller", "field.too_long")),
            Some(s) if s.chars().any(char::is_control) => return Err(("seller", "field.control_chars")),
            Some(s) => Some(s.to_string()),
        };
        let flagged = flag(flagged)?;
        let frozen = flag(frozen).map_err(|_| ("frozen", "payouts.bad_filter"))?;
        Ok(QueueFilter { status, seller, flagged, frozen })
    }
}

pub fn status_key(s: PayoutStatus) -> &'static str {
    match s {
        PayoutStatus::Requested => "payouts.status.requested",
        PayoutStatus::Approved => "payouts.status.approved",
        PayoutStatus::Paid => "payouts.status.paid",
        PayoutStatus::Failed => "payouts.status.failed",
        PayoutStatus::Rejected => "payouts.status.rejected",
    }
}

pub fn method_key(m: PayoutMethod) -> &'static str {
    match m {
        PayoutMethod::Paypal => "payouts.method.paypal",
        PayoutMethod::Alipay => "payouts.method.alipay",
        PayoutMethod::Bank => "payouts.method.bank",
    }
}

pub fn flag_key(f: RiskFlag) -> &'static str {
    match f {
        RiskFlag::LargeAmount => "payouts.flag.large_amount",
        RiskFlag::NewAccount => "payouts.flag.new_account",
        RiskFlag::RecentDisputes => "payouts.flag.recent_disputes",
        RiskFlag::NegativeBalanceHistory => "payouts.flag.negative_balance_history",
    }
}

/// The explanation of a risk flag on the detail page.
pub fn flag_hint_key(f: RiskFlag) -> &'static str {
    match f {
        RiskFlag::LargeAmount => "payouts.flag_hint.large_amount",
        RiskFlag::NewAccount => "payouts.flag_hint.new_account",
        RiskFlag::RecentDisputes => "payouts.flag_hint.recent_disputes",
        RiskFlag::NegativeBalanceHistory => "payouts.flag_hint.negative_balance_history",
    }
}

pub fn next_action_key(a: NextAction) -> &'static str {
    match a {
        NextAction::SellerUpdatesAccount => "payouts.next.seller_updates_account",
        NextAction::SellerRequestsAgain => "payouts.next.seller_requests_again",
        NextAction::ContactSupport => "payouts.next.contact_support",
    }
}

/// `3 d 4 h`, `5 h`, `12 min`: an age for the queue.
pub fn age_text(ms: i64) -> String {
    let minutes = ms.max(0) / 60_000;
    let (d, h, m) = (minutes / 1_440, minutes % 1_440 / 60, minutes % 60);
    match (d, h) {
        (0, 0) => format!("{m} min"),
        (0, _) => format!("{h} h"),
        _ => format!("{d} d {h} h"),
    }
}

/// What happens next with a request, in plain words, for the seller (message key).
pub fn plain_state_key(s: PayoutStatus) -> &'static str {
    match s {
        PayoutStatus::Requested => "payouts.plain.requested",
        PayoutStatus::Approved => "payouts.plain.approved",
        PayoutStatus::Paid => "payouts.plain.paid",
        PayoutStatus::Failed => "payouts.plain.failed",
        PayoutStatus::Rejected => "payouts.plain.rejected",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_queue_filters_mean_no_filter() {
        assert_eq!(QueueFilter::parse(Some(""), Some(" "), None, Some("")).unwrap(), QueueFilter::default());
    }

    #[test]
    fn queue_filters_are_parsed_or_refused_next_to_their_field() {
        let f = QueueFilter::parse(Some("requested"), Some(" Tea "), Some("true"), Some("1")).unwrap();
        assert_eq!(f.status, Some(PayoutStatus::Requested));
        assert_eq!(f.seller.as_deref(), Some("Tea"));
        assert!(f.flagged && f.frozen);
        assert_eq!(QueueFilter::parse(Some("lost"), None, None, None), Err(("status", "payouts.bad_filter")));
        assert_eq!(QueueFilter::parse(None, None, Some("maybe"), None), Err(("flagged", "payouts.bad_filter")));
        assert_eq!(QueueFilter::parse(None, None, None, Some("maybe")), Err(("frozen", "payouts.bad_filter")));
        assert_eq!(
            QueueFilter::parse(None, Some(&"x".repeat(SELLER_SEARCH_MAX_CHARS + 1)), None, None),
            Err(("seller", "field.too_long"))
        );
    }

    #[test]
    fn ages_read_in_the_largest_units() {
        assert_eq!(age_text(-5), "0 min");
        assert_eq!(age_text(12 * 60_000), "12 min");
        assert_eq!(age_text(5 * 3_600_000 + 59_000), "5 h");
        assert_eq!(age_text(3 * 86_400_000 + 4 * 3_600_000), "3 d 4 h");
    }

    #[test]
    fn every_status_flag_and_action_has_a_message_key() {
        for s in PayoutStatus::ALL {
            assert!(status_key(s).starts_with("payouts.status.") && plain_state_key(s).starts_with("payouts.plain."));
        }
        for f in RiskFlag::ALL {
            assert!(flag_key(f).ends_with(f.as_str()) && flag_hint_key(f).ends_with(f.as_str()));
        }
        for a in NextAction::ALL {
            assert!(next_action_key(a).ends_with(a.as_str()));
        }
        for m in PayoutMethod::ALL {
            assert!(method_key(m).ends_with(m.as_str()));
        }
    }
}
