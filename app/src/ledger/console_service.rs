//! The ledger console's queries. Balances are read from `ledger_accounts.balance_minor`, which every
//! posting moves in the same transaction as its entries (`platform::ledger::post`); the "verify"
//! action re-derives them from the entries.

use super::console_model::{AccountRow, EntryRow, KindTotal, LedgerSummary, PostingFilter, PostingRow, TrialLine};
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::error::AppError;
use crate::platform::state::AppState;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;

const ACCOUNT: &str = "SELECT a.id, a.code, a.kind, a.currency, a.organisation_id, o.name AS organisation_name, \
     a.balance_minor FROM ledger_accounts a LEFT JOIN organisations o ON o.id = a.organisation_id";

fn account_of(r: &AnyRow) -> Result<AccountRow, AppError> {
    Ok(AccountRow {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        kind: r.try_get("kind")?,
        currency: r.try_get("currency")?,
        organisation_id: r.try_get("organisation_id")?,
        organisation_name: r.try_get("organisation_name")?,
        balance_minor: r.try_get("balance_minor")?,
    })
}

pub async fn overview(state: &AppState) -> Result<LedgerSummary, AppError> {
    let db = state.db.read();
    let kinds = sqlx::query(
        "SELECT kind, currency, COUNT(*) AS accounts, CAST(SUM(balance_minor) AS BIGINT) AS total \
         FROM ledger_accounts GROUP BY kind, currency ORDER BY currency, kind",
    )
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| {
        Ok(KindTotal {
            kind: r.try_get("kind")?,
            currency: r.try_get("currency")?,
            accounts: r.try_get("accounts")?,
            total_minor: r.try_get("total")?,
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    let mut trial: Vec<TrialLine> = vec![];
    for k in &kinds {
        match trial.iter_mut().find(|t| t.currency == k.currency) {
            Some(t) => t.total_minor += k.total_minor,
            None => trial.push(TrialLine { currency: k.currency.clone(), total_minor: k.total_minor }),
        }
    }
    if trial.is_empty() {
        trial.push(TrialLine { currency: state.settings.currency.code().to_string(), total_minor: 0 });
    }
    let platform =
        sqlx::query(&format!("{ACCOUNT} WHERE a.organisation_id IS NULL ORDER BY a.currency, a.code LIMIT 50"))
            .fetch_all(db)
            .await?
            .iter()
            .map(account_of)
            .collect::<Result<Vec<_>, _>>()?;
    Ok(LedgerSummary { kinds, trial, platform })
}

pub async fn list_accounts(
    state: &AppState,
    kind: Option<&str>,
    cursor: Option<&str>,
) -> Result<Page<AccountRow>, AppError> {
    let size = page_size(None);
    let rows =
        sqlx::query(&format!("{ACCOUNT} WHERE a.id < $1 AND ($2 = '' OR a.kind = $2) ORDER BY a.id DESC LIMIT $3"))
            .bind(parse_id_cursor(cursor).unwrap_or(i64::MAX))
            .bind(kind.unwrap_or(""))
            .bind(size as i64 + 1)
            .fetch_all(state.db.read())
            .await?;
    let rows = rows.iter().map(account_of).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(rows, size, |a| a.id.to_string()))
}

pub async fn list_postings(
    state: &AppState,
    filter: &PostingFilter,
    cursor: Option<&str>,
) -> Result<Page<PostingRow>, AppError> {
    let size = page_size(None);
    let db = state.db.read();
    let rows = sqlx::query(
        "SELECT p.id, p.kind, p.idempotency_key, p.order_id, o.number AS order_number, p.checkout_id, p.at, p.memo \
         FROM ledger_postings p LEFT JOIN orders o ON o.id = p.order_id \
         WHERE p.id < $1 AND ($2 = '' OR p.kind = $2) AND ($3 = '' OR o.number = $3) \
         AND ($4 = '' OR EXISTS (SELECT 1 FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id \
              WHERE e.posting_id = p.id AND a.code = $4)) \
         ORDER BY p.id DESC LIMIT $5",
    )
    .bind(parse_id_cursor(cursor).unwrap_or(i64::MAX))
    .bind(filter.kind.unwrap_or(""))
    .bind(filter.order.as_deref().unwrap_or(""))
    .bind(filter.account.as_deref().unwrap_or(""))
    .bind(size as i64 + 1)
    .fetch_all(db)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(PostingRow {
            id: r.try_get("id")?,
            kind: r.try_get("kind")?,
            idempotency_key: r.try_get("idempotency_key")?,
            order_id: r.try_get("order_id")?,
            order_number: r.try_get("order_number")?,
            checkout_id: r.try_get("checkout_id")?,
            at_ms: r.try_get("at")?,
            memo: r.try_get("memo")?,
            entries: vec![],
        });
    }
    let mut page = Page::from_overfetch(out, size, |p| p.id.to_string());
    if !page.rows.is_empty() {
        // The page's entries in one query (a page is at most `MAX_PAGE_SIZE` postings).
        let placeholders: Vec<String> = (1..=page.rows.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT e.posting_id, a.code, e.currency, e.amount_minor FROM ledger_entries e \
             JOIN ledger_accounts a ON a.id = e.account_id WHERE e.posting_id IN ({}) ORDER BY e.id",
            placeholders.join(", ")
        );
        let entries = page.rows.iter().fold(sqlx::query(&sql), |q, p| q.bind(p.id)).fetch_all(db).await?;
        let mut by_posting: HashMap<i64, Vec<EntryRow>> = HashMap::new();
        for e in &entries {
            by_posting.entry(e.try_get("posting_id")?).or_default().push(EntryRow {
                account_code: e.try_get("code")?,
                currency: e.try_get("currency")?,
                amount_minor: e.try_get("amount_minor")?,
            });
        }
        for p in &mut page.rows {
            p.entries = by_posting.remove(&p.id).unwrap_or_default();
        }
    }
    Ok(page)
}
