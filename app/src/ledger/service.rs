//! Reading a seller's two ledger accounts (`seller:<org>:pending`, `seller:<org>:available`).

use super::model::{account_part, seller_side, BalanceSummary, SellerEntry};
use crate::domain::ledger::Account;
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::error::AppError;
use crate::platform::seller_access::Membership;
use crate::platform::state::AppState;
use sqlx::Row;

pub async fn balance(state: &AppState, membership: &Membership) -> Result<BalanceSummary, AppError> {
    let org = membership.organisation_id;
    let currency = state.settings.currency.code();
    let read = |account: Account| async move {
        let b: Option<i64> =
            sqlx::query_scalar("SELECT balance_minor FROM ledger_accounts WHERE code = $1 AND currency = $2")
                .bind(account.code())
                .bind(currency)
                .fetch_optional(state.db.read())
                .await?;
        Ok::<i64, AppError>(seller_side(b.unwrap_or(0)))
    };
    Ok(BalanceSummary {
        organisation_name: membership.organisation_name.clone(),
        currency: currency.to_string(),
        pending_minor: read(Account::SellerPending(org)).await?,
        available_minor: read(Account::SellerAvailable(org)).await?,
        hold_days: state.settings.settlement_hold_ms / 86_400_000,
    })
}

pub async fn history(
    state: &AppState,
    organisation_id: i64,
    cursor: Option<&str>,
) -> Result<Page<SellerEntry>, AppError> {
    let size = page_size(None);
    let rows = sqlx::query(
        "SELECT e.id, p.at, p.kind, a.code, e.currency, e.amount_minor, o.number AS order_number \
         FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id \
         JOIN ledger_postings p ON p.id = e.posting_id LEFT JOIN orders o ON o.id = p.order_id \
         WHERE a.organisation_id = $1 AND e.id < $2 ORDER BY e.id DESC LIMIT $3",
    )
    .bind(organisation_id)
    .bind(parse_id_cursor(cursor).unwrap_or(i64::MAX))
    .bind(size as i64 + 1)
    .fetch_all(state.db.read())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let code: String = r.try_get("code")?;
        out.push(SellerEntry {
            id: r.try_get("id")?,
            at_ms: r.try_get("at")?,
            kind: r.try_get("kind")?,
            account: account_part(&code),
            currency: r.try_get("currency")?,
            amount_minor: seller_side(r.try_get("amount_minor")?),
            order_number: r.try_get("order_number")?,
        });
    }
    Ok(Page::from_overfetch(out, size, |e| e.id.to_string()))
}
