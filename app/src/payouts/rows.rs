//! Reading payouts and payout accounts: the rows as stored (`sqlx::FromRow` records of plain
//! columns) and their conversion to the model the pages show. Shared by accounts, requests and
//! decisions; it depends on none of them.

use super::model::{PayoutAccountView, PayoutRow};
use crate::domain::money::Currency;
use crate::domain::payout::{NextAction, PayoutMethod, PayoutStatus, RiskFlag};
use crate::domain::seller::SellerStatus;
use crate::error::AppError;
use crate::finance::seller_finance::SellerFinance;
use sqlx::AnyConnection;

#[track_caller]
pub(super) fn corrupt(what: &str, value: &str) -> AppError {
    AppError::internal(format!("payout row with an unknown {what}: {value}"))
}

#[track_caller]
pub(super) fn posting_error(e: crate::domain::ledger::PostingError) -> AppError {
    AppError::internal(format!("payout posting refused: {}", e.code()))
}

pub(super) const SELECT_ACCOUNT: &str = "SELECT id, organisation_id, method, holder, account_masked, bank_name, \
     notes, status, created_at FROM payout_accounts";

/// A `payout_accounts` row as selected by `SELECT_ACCOUNT`.
#[derive(sqlx::FromRow)]
pub(super) struct AccountRecord {
    id: i64,
    method: String,
    holder: String,
    account_masked: String,
    bank_name: String,
    notes: String,
    status: String,
    created_at: i64,
}

impl AccountRecord {
    pub(super) fn view(self) -> Result<PayoutAccountView, AppError> {
        Ok(PayoutAccountView {
            id: self.id,
            method: PayoutMethod::parse(&self.method).ok_or_else(|| corrupt("method", &self.method))?,
            holder: self.holder,
            account_masked: self.account_masked,
            bank_name: self.bank_name,
            notes: self.notes,
            status: self.status,
            created_at_ms: self.created_at,
        })
    }
}

pub(super) async fn active_accounts(conn: &mut AnyConnection, org: i64) -> Result<Vec<PayoutAccountView>, AppError> {
    let sql = format!("{SELECT_ACCOUNT} WHERE organisation_id = $1 AND status = 'active' ORDER BY id");
    let rows: Vec<AccountRecord> = sqlx::query_as(&sql).bind(org).fetch_all(&mut *conn).await?;
    rows.into_iter().map(AccountRecord::view).collect()
}

/// The seller's account `id`; another seller's account does not exist as far as the caller can tell.
pub(super) async fn own_account(conn: &mut AnyConnection, org: i64, id: i64) -> Result<PayoutAccountView, AppError> {
    let sql = format!("{SELECT_ACCOUNT} WHERE id = $1 AND organisation_id = $2");
    let row: Option<AccountRecord> = sqlx::query_as(&sql).bind(id).bind(org).fetch_optional(&mut *conn).await?;
    row.ok_or(AppError::NotFound)?.view()
}

pub(super) const SELECT_ROW: &str = "SELECT p.id, p.organisation_id, o.name, p.currency, p.amount_minor, p.status, \
     a.account_masked, a.method, p.risk_flags, p.frozen, p.external_reference, p.failure_reason, p.retry_condition, \
     p.next_action, p.decision_reason, p.requested_at, p.closed_at \
     FROM payouts p JOIN organisations o ON o.id = p.organisation_id JOIN payout_accounts a ON a.id = p.payout_account_id";

/// A payout as selected by `SELECT_ROW`. `frozen` is an integer: the `Any` driver reads SQLite's
/// booleans as integers (and PostgreSQL's column is an integer too, for one code path).
#[derive(sqlx::FromRow)]
pub(super) struct PayoutRecord {
    id: i64,
    organisation_id: i64,
    name: String,
    currency: String,
    amount_minor: i64,
    status: String,
    account_masked: String,
    method: String,
    risk_flags: String,
    frozen: i64,
    external_reference: String,
    failure_reason: String,
    retry_condition: String,
    next_action: String,
    decision_reason: String,
    requested_at: i64,
    closed_at: Option<i64>,
}

impl PayoutRecord {
    /// The row as shown at `now` (its age is computed on the server so both sides render the same).
    pub(super) fn row(self, now: i64) -> Result<PayoutRow, AppError> {
        Ok(PayoutRow {
            id: self.id,
            organisation_id: self.organisation_id,
            seller_name: self.name,
            currency: Currency::parse(&self.currency).ok_or_else(|| corrupt("currency", &self.currency))?,
            amount_minor: self.amount_minor,
            status: PayoutStatus::parse(&self.status).ok_or_else(|| corrupt("status", &self.status))?,
            account_masked: self.account_masked,
            method: PayoutMethod::parse(&self.method).ok_or_else(|| corrupt("method", &self.method))?,
            risk_flags: RiskFlag::split(&self.risk_flags),
            frozen: self.frozen != 0,
            external_reference: self.external_reference,
            failure_reason: self.failure_reason,
            retry_condition: self.retry_condition,
            next_action: NextAction::parse(&self.next_action),
            decision_reason: self.decision_reason,
            requested_at_ms: self.requested_at,
            age_ms: now - self.requested_at,
            closed_at_ms: self.closed_at,
        })
    }
}

pub(super) fn rows(records: Vec<PayoutRecord>, now: i64) -> Result<Vec<PayoutRow>, AppError> {
    records.into_iter().map(|r| r.row(now)).collect()
}

/// Payout `id` as a row (`NotFound` when there is none).
pub(super) async fn payout(conn: &mut AnyConnection, id: i64, now: i64) -> Result<PayoutRow, AppError> {
    let sql = format!("{SELECT_ROW} WHERE p.id = $1");
    let r: Option<PayoutRecord> = sqlx::query_as(&sql).bind(id).fetch_optional(&mut *conn).await?;
    r.ok_or(AppError::NotFound)?.row(now)
}

pub(super) async fn has_open_request(conn: &mut AnyConnection, org: i64) -> Result<bool, AppError> {
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM payouts WHERE organisation_id = $1 AND status IN ('requested', 'approved')",
    )
    .bind(org)
    .fetch_one(&mut *conn)
    .await?;
    Ok(open > 0)
}

pub(super) fn frozen_seller(fin: &SellerFinance, status: SellerStatus) -> bool {
    fin.frozen || status == SellerStatus::Suspended
}

pub(super) fn hold_of(hold_until: i64, now: i64) -> Option<i64> {
    (hold_until > now).then_some(hold_until)
}
