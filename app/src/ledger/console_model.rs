//! What the ledger console shows, and its filters (plain data, unit tested).

use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// Account kinds, as `domain::ledger::Account::kind` names them.
pub const KINDS: [&str; 3] = ["asset", "liability", "revenue"];

/// Posting kinds the filter offers (`domain::ledger::Posting` constructors).
pub const POSTING_KINDS: [&str; 3] = ["payment_received", "order_completed", "hold_released"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AccountRow {
    pub id: i64,
    pub code: String,
    pub kind: String,
    pub currency: String,
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    /// Signed: debits positive, credits negative (a liability or revenue normally reads negative).
    pub balance_minor: i64,
}

/// The sum of one kind's balances in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct KindTotal {
    pub kind: String,
    pub currency: String,
    pub accounts: i64,
    pub total_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrialLine {
    pub currency: String,
    /// Must be zero.
    pub total_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerSummary {
    pub kinds: Vec<KindTotal>,
    pub trial: Vec<TrialLine>,
    /// The platform's own accounts (bank, buyer clearing, commission); seller accounts are listed
    /// page by page.
    pub platform: Vec<AccountRow>,
}

impl LedgerSummary {
    pub fn balanced(&self) -> bool {
        self.trial.iter().all(|t| t.total_minor == 0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryRow {
    pub account_code: String,
    pub currency: String,
    pub amount_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostingRow {
    pub id: i64,
    pub kind: String,
    pub idempotency_key: String,
    pub order_id: Option<i64>,
    pub order_number: Option<String>,
    pub checkout_id: Option<i64>,
    pub at_ms: i64,
    pub memo: String,
    pub entries: Vec<EntryRow>,
}

/// The result of walking the ledger's rows (`platform::ledger::check_invariants`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyReport {
    pub problems: Vec<String>,
    pub checked_at_ms: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostingFilter {
    pub kind: Option<&'static str>,
    pub order: Option<String>,
    pub account: Option<String>,
}

fn present(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

/// `kind` one of `KINDS`.
pub fn parse_kind(kind: Option<&str>) -> Result<Option<&'static str>, AppError> {
    match present(kind) {
        None => Ok(None),
        Some(k) => {
            KINDS.into_iter().find(|x| *x == k).map(Some).ok_or_else(|| AppError::invalid("kind", "ledger.bad_kind"))
        }
    }
}

/// `kind` one of `POSTING_KINDS`; `order` an order number; `account` an account code.
pub fn parse_posting_filter(
    kind: Option<&str>,
    order: Option<&str>,
    account: Option<&str>,
) -> Result<PostingFilter, AppError> {
    let kind = match present(kind) {
        None => None,
        Some(k) => Some(
            POSTING_KINDS
                .into_iter()
                .find(|x| *x == k)
                .ok_or_else(|| AppError::invalid("kind", "ledger.bad_posting_kind"))?,
        ),
    };
    let order = match present(order) {
        None => None,
        Some(o) if o.len() <= 40 && o.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => {
            Some(o.to_ascii_uppercase())
        }
        Some(_) => return Err(AppError::invalid("order", "ledger.bad_order")),
    };
    let account = match present(account) {
        None => None,
        Some(a) if crate::domain::ledger::Account::parse(a).is_some() => Some(a.to_string()),
        Some(_) => return Err(AppError::invalid("account", "ledger.bad_account")),
    };
    Ok(PostingFilter { kind, order, account })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_or_name_their_field() {
        assert_eq!(parse_kind(Some("")).unwrap(), None);
        assert_eq!(parse_kind(Some("asset")).unwrap(), Some("asset"));
        assert_eq!(parse_kind(Some("equity")).unwrap_err().field(), Some("kind"));
        let f = parse_posting_filter(Some("order_completed"), Some(" ag-2024 "), Some("seller:7:pending")).unwrap();
        assert_eq!(f.kind, Some("order_completed"));
        assert_eq!(f.order.as_deref(), Some("AG-2024"));
        assert_eq!(f.account.as_deref(), Some("seller:7:pending"));
        assert_eq!(parse_posting_filter(Some("refund"), None, None).unwrap_err().field(), Some("kind"));
        assert_eq!(parse_posting_filter(None, Some("x' or 1=1"), None).unwrap_err().field(), Some("order"));
        assert_eq!(parse_posting_filter(None, None, Some("seller:x")).unwrap_err().field(), Some("account"));
        assert_eq!(parse_posting_filter(None, None, None).unwrap(), PostingFilter::default());
    }

    #[test]
    fn the_overview_is_balanced_only_when_every_currency_nets_to_zero() {
        let line = |c: &str, t| TrialLine { currency: c.into(), total_minor: t };
        let o = |trial| LedgerSummary { kinds: vec![], trial, platform: vec![] };
        assert!(o(vec![]).balanced());
        assert!(o(vec![line("USD", 0), line("EUR", 0)]).balanced());
        assert!(!o(vec![line("USD", 0), line("EUR", 1)]).balanced());
    }
}
