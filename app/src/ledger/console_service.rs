//! The ledger console's queries. Balances are read from `ledger_accounts.balance_minor`, which every
//! posting moves in the same transaction as its entries (`platform::ledger::post`); the "verify"
//! action re-derives them from the entries.

use super::console_model::{AccountRow, EntryRow, KindTotal, LedgerSummary, PostingFilter, PostingRow, TrialLine};
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::error::{AppError, Context};
use crate::platform::sql::{after_id, order_limit, Order, Sql};
use crate::platform::state::AppState;
use std::collections::HashMap;

const ACCOUNT: &str = "SELECT a.id, a.code, a.kind, a.currency, a.organisation_id, o.name AS organisation_name, \
     a.balance_minor FROM ledger_accounts a LEFT JOIN organisations o ON o.id = a.organisation_id";

pub async fn overview(state: &AppState) -> Result<LedgerSummary, AppError> {
    let db = state.db.read();
    let kinds: Vec<KindTotal> = sqlx::query_as(
        "SELECT kind, currency, COUNT(*) AS accounts, CAST(SUM(balance_minor) AS BIGINT) AS total_minor \
         FROM ledger_accounts GROUP BY kind, currency ORDER BY currency, kind",
    )
    .fetch_all(db)
    .await
    .context("summing the ledger accounts by kind")?;
    let mut trial: Vec<TrialLine> = vec![];
    for k in &kinds {
        match trial.iter_mut().find(|t| t.currency == k.currency) {
            Some(t) => t.total_minor += k.total_minor,
            None => trial.push(TrialLine { currency: k.currency.clone(), total_minor: k.total_minor }),
        }
    }
    if trial.is_empty() {
        trial.push(TrialLine { currency: state.settings().currency.code().to_string(), total_minor: 0 });
    }
    let platform: Vec<AccountRow> =
        sqlx::query_as(&format!("{ACCOUNT} WHERE a.organisation_id IS NULL ORDER BY a.currency, a.code LIMIT 50"))
            .fetch_all(db)
            .await
            .context("loading the platform accounts")?;
    Ok(LedgerSummary { kinds, trial, platform })
}

pub async fn list_accounts(
    state: &AppState,
    kind: Option<&str>,
    cursor: Option<&str>,
) -> Result<Page<AccountRow>, AppError> {
    let size = page_size(None);
    let mut sql = Sql::new(state.db.backend, ACCOUNT);
    sql.push(" WHERE 1 = 1");
    after_id(&mut sql, "a.id", Order::Desc, parse_id_cursor(cursor));
    if let Some(kind) = kind.filter(|k| !k.is_empty()) {
        sql.and_eq("a.kind", kind);
    }
    order_limit(&mut sql, "a.id DESC", size);
    let rows: Vec<AccountRow> = sql.query_as().fetch_all(state.db.read()).await.context("listing ledger accounts")?;
    Ok(Page::from_overfetch(rows, size, |a| a.id.to_string()))
}

/// A `ledger_postings` row as listed; its entries are added by `list_postings`.
#[derive(sqlx::FromRow)]
struct PostingRecord {
    id: i64,
    kind: String,
    idempotency_key: String,
    order_id: Option<i64>,
    order_number: Option<String>,
    checkout_id: Option<i64>,
    at_ms: i64,
    memo: String,
}

impl PostingRecord {
    fn row(self) -> PostingRow {
        PostingRow {
            id: self.id,
            kind: self.kind,
            idempotency_key: self.idempotency_key,
            order_id: self.order_id,
            order_number: self.order_number,
            checkout_id: self.checkout_id,
            at_ms: self.at_ms,
            memo: self.memo,
            entries: vec![],
        }
    }
}

pub async fn list_postings(
    state: &AppState,
    filter: &PostingFilter,
    cursor: Option<&str>,
) -> Result<Page<PostingRow>, AppError> {
    let size = page_size(None);
    let mut sql = Sql::new(
        state.db.backend,
        "SELECT p.id, p.kind, p.idempotency_key, p.order_id, o.number AS order_number, p.checkout_id, \
         p.at AS at_ms, p.memo FROM ledger_postings p LEFT JOIN orders o ON o.id = p.order_id WHERE 1 = 1",
    );
    after_id(&mut sql, "p.id", Order::Desc, parse_id_cursor(cursor));
    if let Some(kind) = filter.kind.filter(|k| !k.is_empty()) {
        sql.and_eq("p.kind", kind);
    }
    if let Some(order) = filter.order.as_deref().filter(|o| !o.is_empty()) {
        sql.and_eq("o.number", order);
    }
    if let Some(account) = filter.account.as_deref().filter(|a| !a.is_empty()) {
        let p = sql.arg(account);
        sql.push(&format!(
            " AND EXISTS (SELECT 1 FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id \
             WHERE e.posting_id = p.id AND a.code = {p})"
        ));
    }
    order_limit(&mut sql, "p.id DESC", size);
    let records: Vec<PostingRecord> =
        sql.query_as().fetch_all(state.db.read()).await.context("listing ledger postings")?;
    let rows = records.into_iter().map(PostingRecord::row).collect();
    let mut page = Page::from_overfetch(rows, size, |p| p.id.to_string());
    add_entries(state, &mut page.rows).await?;
    Ok(page)
}

/// The entries of a page of postings, in one query (a page is at most `MAX_PAGE_SIZE` postings).
async fn add_entries(state: &AppState, postings: &mut [PostingRow]) -> Result<(), AppError> {
    if postings.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(
        state.db.backend,
        "SELECT e.posting_id, a.code AS account_code, e.currency, e.amount_minor FROM ledger_entries e \
         JOIN ledger_accounts a ON a.id = e.account_id WHERE e.posting_id IN (",
    );
    let posting_ids = sql.list(postings.iter().map(|p| p.id));
    sql.push(&posting_ids);
    sql.push(") ORDER BY e.id");
    let entries: Vec<(i64, String, String, i64)> =
        sql.query_as().fetch_all(state.db.read()).await.context("loading the postings' entries")?;
    let mut by_posting: HashMap<i64, Vec<EntryRow>> = HashMap::new();
    for (posting_id, account_code, currency, amount_minor) in entries {
        by_posting.entry(posting_id).or_default().push(EntryRow { account_code, currency, amount_minor });
    }
    for p in postings {
        p.entries = by_posting.remove(&p.id).unwrap_or_default();
    }
    Ok(())
}
