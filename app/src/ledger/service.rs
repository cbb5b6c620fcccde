//! Reading a seller's two ledger accounts (`seller:<org>:pending`, `seller:<org>:available`).

use super::model::{account_part, seller_side, BalanceSummary, SellerEntry};
use crate::domain::ledger::Account;
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::error::{AppError, Context};
use crate::platform::seller_access::Membership;
use crate::platform::state::AppState;

pub async fn balance(state: &AppState, membership: &Membership) -> Result<BalanceSummary, AppError> {
    let org = membership.organisation_id;
    let currency = state.settings().currency.code();
    let read = |account: Account| async move {
        let b: Option<i64> =
            sqlx::query_scalar("SELECT balance_minor FROM ledger_accounts WHERE code = $1 AND currency = $2")
                .bind(account.code())
                .bind(currency)
                .fetch_optional(state.db.read())
                .await
                .context("reading a seller balance")?;
        Ok::<i64, AppError>(seller_side(b.unwrap_or(0)))
    };
    Ok(BalanceSummary {
        organisation_name: membership.organisation_name.clone(),
        currency: currency.to_string(),
        pending_minor: read(Account::SellerPending(org)).await?,
        available_minor: read(Account::SellerAvailable(org)).await?,
        hold_days: state.settings().settlement_hold_ms / 86_400_000,
    })
}

/// A ledger entry of the seller's as stored; `entry` turns it to the seller's side.
#[derive(sqlx::FromRow)]
struct EntryRecord {
    id: i64,
    at: i64,
    kind: String,
    code: String,
    currency: String,
    amount_minor: i64,
    order_number: Option<String>,
}

impl EntryRecord {
    fn entry(self) -> SellerEntry {
        SellerEntry {
            id: self.id,
            at_ms: self.at,
            kind: self.kind,
            account: account_part(&self.code),
            currency: self.currency,
            amount_minor: seller_side(self.amount_minor),
            order_number: self.order_number,
        }
    }
}

pub async fn history(
    state: &AppState,
    organisation_id: i64,
    cursor: Option<&str>,
) -> Result<Page<SellerEntry>, AppError> {
    let size = page_size(None);
    let records: Vec<EntryRecord> = sqlx::query_as(
        "SELECT e.id, p.at, p.kind, a.code, e.currency, e.amount_minor, o.number AS order_number \
         FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id \
         JOIN ledger_postings p ON p.id = e.posting_id LEFT JOIN orders o ON o.id = p.order_id \
         WHERE a.organisation_id = $1 AND e.id < $2 ORDER BY e.id DESC LIMIT $3",
    )
    .bind(organisation_id)
    .bind(parse_id_cursor(cursor).unwrap_or(i64::MAX))
    .bind(size as i64 + 1)
    .fetch_all(state.db.read())
    .await
    .context("loading the seller's ledger entries")?;
    let rows = records.into_iter().map(EntryRecord::entry).collect();
    Ok(Page::from_overfetch(rows, size, |e| e.id.to_string()))
}
