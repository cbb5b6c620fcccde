//! Payouts (DESIGN.md, seed 000's manual payout review queue): a seller's payout accounts, the rules
//! of a payout request, the request's state machine, and the risk flags finance sees.
//!
//! `requested -> approved -> paid` (a manual transfer with its external reference), or `rejected`
//! (from requested or approved) or `failed` (from approved) with a reason; both return the money to
//! the seller's available balance. One open (requested or approved) request per seller.

use super::account::Email;
use super::reason::Reason;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PayoutMethod {
    Paypal,
    Alipay,
    Bank,
}

impl PayoutMethod {
    pub const ALL: [PayoutMethod; 3] = [PayoutMethod::Paypal, PayoutMethod::Alipay, PayoutMethod::Bank];

    pub fn as_str(self) -> &'static str {
        match self {
            PayoutMethod::Paypal => "paypal",
            PayoutMethod::Alipay => "alipay",
            PayoutMethod::Bank => "bank",
        }
    }

    pub fn parse(s: &str) -> Option<PayoutMethod> {
        PayoutMethod::ALL.into_iter().find(|m| m.as_str() == s.trim())
    }
}

pub const HOLDER_MAX_CHARS: usize = 100;
pub const NOTES_MAX_CHARS: usize = 500;
pub const BANK_NAME_MAX_CHARS: usize = 100;
/// Payout accounts a seller may keep at once.
pub const MAX_ACCOUNTS: i64 = 5;

/// A payout account after parsing: the account normalised (emails lower-cased, bank numbers without
/// spaces) and its masked form for every screen but finance's detail view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutAccountInput {
    pub method: PayoutMethod,
    pub holder: String,
    pub account_number: String,
    pub account_masked: String,
    pub bank_name: String,
    pub notes: String,
}

fn text(value: &str, field: &'static str, max: usize, required: bool) -> Result<String, (&'static str, &'static str)> {
    let v = value.trim();
    if required && v.is_empty() {
        return Err((field, "field.required"));
    }
    if v.chars().count() > max {
        return Err((field, "field.too_long"));
    }
    if v.chars().any(char::is_control) {
        return Err((field, "field.control_chars"));
    }
    Ok(v.to_string())
}

/// PayPal: an email. Alipay: an email or an 11-digit mainland mobile number. Bank: 8-34 letters and
/// digits (IBAN or a domestic card/account number), with the bank's name.
pub fn parse_account(
    method: &str,
    holder: &str,
    account: &str,
    bank_name: &str,
    notes: &str,
) -> Result<PayoutAccountInput, (&'static str, &'static str)> {
    let method = PayoutMethod::parse(method).ok_or(("method", "field.choose"))?;
    let holder = text(holder, "holder", HOLDER_MAX_CHARS, true)?;
    let notes = text(notes, "notes", NOTES_MAX_CHARS, false)?;
    let raw = account.trim();
    if raw.is_empty() {
        return Err(("account", "field.required"));
    }
    let (account_number, bank_name) = match method {
        PayoutMethod::Paypal => {
            (Email::parse(raw).map_err(|_| ("account", "payouts.bad_email"))?.as_str().to_string(), String::new())
        }
        PayoutMethod::Alipay => {
            let digits: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
            if digits.len() == 11 && digits.starts_with('1') && digits.chars().all(|c| c.is_ascii_digit()) {
                (digits, String::new())
            } else {
                (Email::parse(raw).map_err(|_| ("account", "payouts.bad_alipay"))?.as_str().to_string(), String::new())
            }
        }
        PayoutMethod::Bank => {
            let compact: String =
                raw.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_uppercase();
            if !(8..=34).contains(&compact.len()) || !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(("account", "payouts.bad_bank_account"));
            }
            (compact, text(bank_name, "bank_name", BANK_NAME_MAX_CHARS, true)?)
        }
    };
    let account_masked = mask(&account_number);
    Ok(PayoutAccountInput { method, holder, account_number, account_masked, bank_name, notes })
}

/// Masks an account for display: emails keep their first letter and domain (`a•••@example.com`),
/// numbers their last four characters (`•••• 5678`).
pub fn mask(account: &str) -> String {
    if let Some((local, domain)) = account.split_once('@') {
        let first: String = local.chars().take(1).collect();
        return format!("{first}•••@{domain}");
    }
    let chars: Vec<char> = account.chars().collect();
    let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    format!("•••• {tail}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PayoutStatus {
    Requested,
    Approved,
    Paid,
    Failed,
    Rejected,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PayoutAction {
    Approve,
    MarkPaid,
    MarkFailed,
    Reject,
}

impl PayoutStatus {
    pub const ALL: [PayoutStatus; 5] = [
        PayoutStatus::Requested,
        PayoutStatus::Approved,
        PayoutStatus::Paid,
        PayoutStatus::Failed,
        PayoutStatus::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PayoutStatus::Requested => "requested",
            PayoutStatus::Approved => "approved",
            PayoutStatus::Paid => "paid",
            PayoutStatus::Failed => "failed",
            PayoutStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<PayoutStatus> {
        PayoutStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Requested or approved: the money is in transit and no second request may open.
    pub fn is_open(self) -> bool {
        matches!(self, PayoutStatus::Requested | PayoutStatus::Approved)
    }

    /// Rejected or failed: the money went back to the seller's available balance.
    pub fn returns_money(self) -> bool {
        matches!(self, PayoutStatus::Failed | PayoutStatus::Rejected)
    }

    pub fn apply(self, action: PayoutAction) -> Result<PayoutStatus, &'static str> {
        use PayoutAction as A;
        use PayoutStatus as S;
        match (self, action) {
            (S::Requested, A::Approve) => Ok(S::Approved),
            (S::Approved, A::MarkPaid) => Ok(S::Paid),
            (S::Approved, A::MarkFailed) => Ok(S::Failed),
            (S::Requested | S::Approved, A::Reject) => Ok(S::Rejected),
            (S::Requested, A::MarkPaid | A::MarkFailed) => Err("payouts.not_approved"),
            (S::Approved, A::Approve) => Err("payouts.already_approved"),
            (S::Paid, _) => Err("payouts.already_paid"),
            (S::Failed, _) => Err("payouts.already_failed"),
            (S::Rejected, _) => Err("payouts.already_rejected"),
        }
    }
}

/// The facts a payout request is checked against, read under the seller's finance lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestFacts {
    pub available_minor: i64,
    pub minimum_minor: i64,
    pub open_request: bool,
    pub frozen: bool,
    /// Payouts are held until then after an account change (cooling-off).
    pub hold_until: i64,
    pub now: i64,
    pub account_active: bool,
}

/// Checks a payout request of `amount`. Errors are `(field, message code)`.
pub fn check_request(amount: i64, f: &RequestFacts) -> Result<(), (&'static str, &'static str)> {
    if f.frozen {
        return Err(("amount", "payouts.frozen"));
    }
    if f.open_request {
        return Err(("amount", "payouts.one_open_request"));
    }
    if !f.account_active {
        return Err(("payout_account_id", "payouts.account_unknown"));
    }
    if f.hold_until > f.now {
        return Err(("payout_account_id", "payouts.cooling_off"));
    }
    if amount < f.minimum_minor {
        return Err(("amount", "payouts.below_minimum"));
    }
    if amount > f.available_minor {
        return Err(("amount", "payouts.above_available"));
    }
    Ok(())
}

/// Why finance should look twice at a request (seed 000). Stored as a comma-separated list of codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RiskFlag {
    /// Above `payout_review_threshold_minor`.
    LargeAmount,
    /// The payout account was added or changed in the last 7 days.
    NewAccount,
    /// A dispute on the seller's orders in the last 30 days.
    RecentDisputes,
    /// The seller's available balance has been negative (a refund it could not cover).
    NegativeBalanceHistory,
}

pub const NEW_ACCOUNT_WINDOW_MS: i64 = 7 * 86_400_000;
pub const RECENT_DISPUTES_WINDOW_MS: i64 = 30 * 86_400_000;

impl RiskFlag {
    pub const ALL: [RiskFlag; 4] =
        [RiskFlag::LargeAmount, RiskFlag::NewAccount, RiskFlag::RecentDisputes, RiskFlag::NegativeBalanceHistory];

    pub fn as_str(self) -> &'static str {
        match self {
            RiskFlag::LargeAmount => "large_amount",
            RiskFlag::NewAccount => "new_account",
            RiskFlag::RecentDisputes => "recent_disputes",
            RiskFlag::NegativeBalanceHistory => "negative_balance_history",
        }
    }

    pub fn parse(s: &str) -> Option<RiskFlag> {
        RiskFlag::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn join(flags: &[RiskFlag]) -> String {
        flags.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(",")
    }

    pub fn split(stored: &str) -> Vec<RiskFlag> {
        stored.split(',').filter_map(RiskFlag::parse).collect()
    }
}

/// The facts behind the risk flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RiskFacts {
    pub amount_minor: i64,
    pub threshold_minor: i64,
    pub account_changed_at: i64,
    pub last_dispute_at: Option<i64>,
    pub ever_negative: bool,
    pub now: i64,
}

pub fn risk_flags(f: &RiskFacts) -> Vec<RiskFlag> {
    let mut flags = vec![];
    if f.amount_minor > f.threshold_minor {
        flags.push(RiskFlag::LargeAmount);
    }
    if f.now - f.account_changed_at < NEW_ACCOUNT_WINDOW_MS {
        flags.push(RiskFlag::NewAccount);
    }
    if f.last_dispute_at.is_some_and(|at| f.now - at < RECENT_DISPUTES_WINDOW_MS) {
        flags.push(RiskFlag::RecentDisputes);
    }
    if f.ever_negative {
        flags.push(RiskFlag::NegativeBalanceHistory);
    }
    flags
}

/// What happens after a failed transfer; shown to the seller in plain words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NextAction {
    /// The account details were wrong: the seller fixes them, then requests again.
    SellerUpdatesAccount,
    /// A temporary problem: the seller may request again once the condition is met.
    SellerRequestsAgain,
    /// The seller should contact support first.
    ContactSupport,
}

impl NextAction {
    pub const ALL: [NextAction; 3] =
        [NextAction::SellerUpdatesAccount, NextAction::SellerRequestsAgain, NextAction::ContactSupport];

    pub fn as_str(self) -> &'static str {
        match self {
            NextAction::SellerUpdatesAccount => "seller_updates_account",
            NextAction::SellerRequestsAgain => "seller_requests_again",
            NextAction::ContactSupport => "contact_support",
        }
    }

    pub fn parse(s: &str) -> Option<NextAction> {
        NextAction::ALL.into_iter().find(|x| x.as_str() == s.trim())
    }
}

pub const RETRY_CONDITION_MAX_CHARS: usize = 500;

/// A failed transfer: why, when a retry makes sense, and what the seller does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub reason: Reason,
    pub retry_condition: String,
    pub next_action: NextAction,
}

pub fn parse_failure(
    reason: &str,
    retry_condition: &str,
    next_action: &str,
) -> Result<Failure, (&'static str, &'static str)> {
    let reason = Reason::parse(reason).map_err(|e| ("reason", e.code()))?;
    let retry_condition = text(retry_condition, "retry_condition", RETRY_CONDITION_MAX_CHARS, true)?;
    let next_action = NextAction::parse(next_action).ok_or(("next_action", "field.choose"))?;
    Ok(Failure { reason, retry_condition, next_action })
}

/// The external transfer reference finance enters when marking a payout paid.
pub fn parse_reference(reference: &str) -> Result<String, (&'static str, &'static str)> {
    let r = text(reference, "external_reference", 100, true)?;
    if r.chars().count() < 4 {
        return Err(("external_reference", "field.too_short"));
    }
    Ok(r)
}

/// The decision guard: while a seller is frozen (suspended), its payouts cannot be approved or paid;
/// failing or rejecting them returns the money to the seller and stays allowed.
pub fn check_decision(action: PayoutAction, seller_frozen: bool) -> Result<(), &'static str> {
    if seller_frozen && matches!(action, PayoutAction::Approve | PayoutAction::MarkPaid) {
        Err("payouts.frozen")
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PayoutAction as A;
    use PayoutStatus as S;

    #[test]
    fn every_payout_transition_is_allowed_or_refused_by_name() {
        let allowed = [
            (S::Requested, A::Approve, S::Approved),
            (S::Approved, A::MarkPaid, S::Paid),
            (S::Approved, A::MarkFailed, S::Failed),
            (S::Requested, A::Reject, S::Rejected),
            (S::Approved, A::Reject, S::Rejected),
        ];
        for from in PayoutStatus::ALL {
            for action in [A::Approve, A::MarkPaid, A::MarkFailed, A::Reject] {
                let want = allowed.iter().find(|(f, a, _)| *f == from && *a == action).map(|t| t.2);
                match (from.apply(action), want) {
                    (Ok(to), Some(w)) => assert_eq!(to, w),
                    (Err(code), None) => assert!(code.starts_with("payouts."), "{code}"),
                    (got, want) => panic!("{from:?} {action:?}: got {got:?}, want {want:?}"),
                }
            }
        }
        assert_eq!(S::Rejected.apply(A::Approve), Err("payouts.already_rejected"));
        assert_eq!(S::Requested.apply(A::MarkPaid), Err("payouts.not_approved"));
        assert!(S::Requested.is_open() && S::Approved.is_open() && !S::Paid.is_open());
        assert!(S::Failed.returns_money() && S::Rejected.returns_money() && !S::Paid.returns_money());
    }

    fn facts() -> RequestFacts {
        RequestFacts {
            available_minor: 5_000,
            minimum_minor: 1_000,
            open_request: false,
            frozen: false,
            hold_until: 0,
            now: 1_000_000,
            account_active: true,
        }
    }

    #[test]
    fn a_request_stays_between_the_minimum_and_the_available_balance() {
        assert_eq!(check_request(1_000, &facts()), Ok(()));
        assert_eq!(check_request(5_000, &facts()), Ok(()));
        assert_eq!(check_request(999, &facts()), Err(("amount", "payouts.below_minimum")));
        assert_eq!(check_request(5_001, &facts()), Err(("amount", "payouts.above_available")));
        let negative = RequestFacts { available_minor: -300, ..facts() };
        assert_eq!(check_request(1_000, &negative), Err(("amount", "payouts.above_available")));
    }

    #[test]
    fn open_requests_freezes_cooling_off_and_unknown_accounts_refuse() {
        assert_eq!(
            check_request(1_000, &RequestFacts { open_request: true, ..facts() }),
            Err(("amount", "payouts.one_open_request"))
        );
        assert_eq!(check_request(1_000, &RequestFacts { frozen: true, ..facts() }), Err(("amount", "payouts.frozen")));
        assert_eq!(
            check_request(1_000, &RequestFacts { hold_until: 1_000_001, ..facts() }),
            Err(("payout_account_id", "payouts.cooling_off"))
        );
        assert_eq!(
            check_request(1_000, &RequestFacts { account_active: false, ..facts() }),
            Err(("payout_account_id", "payouts.account_unknown"))
        );
    }

    #[test]
    fn accounts_are_validated_and_masked() {
        let p = parse_account("paypal", " Li Wei ", " Li.Wei@Example.com ", "", "").unwrap();
        assert_eq!(p.account_number, "li.wei@example.com");
        assert_eq!(p.account_masked, "l•••@example.com");
        let a = parse_account("alipay", "Li Wei", "138 0013 8000", "", "").unwrap();
        assert_eq!(a.account_number, "13800138000");
        assert_eq!(a.account_masked, "•••• 8000");
        let b = parse_account("bank", "Li Wei", "6222 0200 1234 5678", "ICBC", "salary card").unwrap();
        assert_eq!((b.account_number.as_str(), b.account_masked.as_str()), ("6222020012345678", "•••• 5678"));
        assert_eq!(parse_account("cash", "x", "y", "", ""), Err(("method", "field.choose")));
        assert_eq!(parse_account("paypal", "", "a@b.co", "", ""), Err(("holder", "field.required")));
        assert_eq!(parse_account("paypal", "x", "not-an-email", "", ""), Err(("account", "payouts.bad_email")));
        assert_eq!(parse_account("alipay", "x", "12345", "", ""), Err(("account", "payouts.bad_alipay")));
        assert_eq!(parse_account("bank", "x", "12ab", "ICBC", ""), Err(("account", "payouts.bad_bank_account")));
        assert_eq!(parse_account("bank", "x", "6222020012345678", " ", ""), Err(("bank_name", "field.required")));
        assert_eq!(
            parse_account("bank", "x", "6222020012345678", "ICBC", &"n".repeat(NOTES_MAX_CHARS + 1)),
            Err(("notes", "field.too_long"))
        );
        assert_eq!(mask("ab"), "•••• ab");
    }

    #[test]
    fn risk_flags_name_each_signal() {
        let day = 86_400_000;
        let f = RiskFacts {
            amount_minor: 60_000,
            threshold_minor: 50_000,
            account_changed_at: 100 * day - 2 * day,
            last_dispute_at: Some(100 * day - 10 * day),
            ever_negative: true,
            now: 100 * day,
        };
        assert_eq!(risk_flags(&f), RiskFlag::ALL.to_vec());
        let calm = RiskFacts {
            amount_minor: 50_000,
            account_changed_at: 0,
            last_dispute_at: Some(100 * day - 31 * day),
            ever_negative: false,
            ..f
        };
        assert!(risk_flags(&calm).is_empty());
        assert_eq!(RiskFlag::split(&RiskFlag::join(&RiskFlag::ALL)), RiskFlag::ALL.to_vec());
        assert!(RiskFlag::split("").is_empty());
    }

    #[test]
    fn a_failure_needs_a_reason_a_retry_condition_and_a_next_action() {
        let f =
            parse_failure("Bank returned: account closed", "After the account is updated", "seller_updates_account")
                .unwrap();
        assert_eq!(f.next_action, NextAction::SellerUpdatesAccount);
        assert_eq!(parse_failure("", "x", "contact_support").unwrap_err().0, "reason");
        assert_eq!(
            parse_failure("Bank down today", " ", "contact_support"),
            Err(("retry_condition", "field.required"))
        );
        assert_eq!(parse_failure("Bank down today", "tomorrow", "wait"), Err(("next_action", "field.choose")));
        assert_eq!(parse_reference(" TRX-2026-0001 "), Ok("TRX-2026-0001".into()));
        assert_eq!(parse_reference("ab"), Err(("external_reference", "field.too_short")));
    }

    #[test]
    fn a_frozen_seller_is_neither_approved_nor_paid() {
        for action in [PayoutAction::Approve, PayoutAction::MarkPaid] {
            assert_eq!(check_decision(action, true), Err("payouts.frozen"));
            assert_eq!(check_decision(action, false), Ok(()));
        }
        for action in [PayoutAction::MarkFailed, PayoutAction::Reject] {
            assert_eq!(check_decision(action, true), Ok(()));
        }
    }
}
