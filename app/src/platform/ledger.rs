//! Storing ledger postings: append-only rows (`ledger_postings`, `ledger_entries`) and the balance
//! kept on each account, all inside the caller's transaction. The rules (accounts, what each money
//! event posts, balancing) are `domain::ledger`.
//!
//! Idempotent: every posting carries a key (e.g. `order:<id>:completed`). Posting the same key again
//! with the same entries returns the first posting; with different entries it is refused
//! (`idempotency.key_reused`).

use super::db::Backend;
use super::sql::Sql;
use crate::domain::idempotency::{fingerprint, IdempotencyOutcome};
use crate::domain::ledger::{Account, Entry, Posting};
use crate::error::AppError;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

/// What a posting is attached to, for the console's order and checkout pages.
#[derive(Debug, Clone, Copy, Default)]
pub struct PostingRefs {
    pub order_id: Option<i64>,
    pub checkout_id: Option<i64>,
}

/// The account's id, created on first use. Two transactions opening the same account at once (the
/// first payments of a fresh ledger, on PostgreSQL) do not fail: the insert skips a row another one
/// made (waiting for it to commit), and the id is read afterwards.
pub async fn account_id(
    conn: &mut AnyConnection,
    now: i64,
    account: &Account,
    currency: &str,
) -> Result<i64, AppError> {
    let code = account.code();
    let select = || {
        sqlx::query_scalar::<_, i64>("SELECT id FROM ledger_accounts WHERE code = $1 AND currency = $2")
            .bind(code.clone())
            .bind(currency)
    };
    if let Some(id) = select().fetch_optional(&mut *conn).await? {
        return Ok(id);
    }
    sqlx::query(
        "INSERT INTO ledger_accounts (code, currency, kind, organisation_id, balance_minor, created_at) \
         VALUES ($1, $2, $3, $4, 0, $5) ON CONFLICT (code, currency) DO NOTHING",
    )
    .bind(&code)
    .bind(currency)
    .bind(account.kind())
    .bind(account.organisation())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(select().fetch_one(&mut *conn).await?)
}

/// Entries of a stored posting as `(account code, amount)`, sorted, for comparing with a replay.
async fn stored_entries(conn: &mut AnyConnection, posting_id: i64) -> Result<Vec<(String, i64)>, AppError> {
    let rows = sqlx::query(
        "SELECT a.code, e.amount_minor FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id \
         WHERE e.posting_id = $1",
    )
    .bind(posting_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = rows
        .iter()
        .map(|r| Ok((r.try_get::<String, _>("code")?, r.try_get::<i64, _>("amount_minor")?)))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    out.sort();
    Ok(out)
}

fn entries_fingerprint(entries: &[(String, i64)]) -> String {
    let parts: Vec<String> = entries.iter().map(|(code, amount)| format!("{code}:{amount}")).collect();
    fingerprint(&parts.iter().map(String::as_str).collect::<Vec<_>>())
}

/// Appends `posting` under `key` and moves the account balances, in the caller's transaction.
/// Returns the posting id (the first one's, on an identical replay).
///
/// Three statements however many entries (every payment approval and completed order posts, inside
/// SQLite's one writer): the posting, unless its key exists; the entries, finding their accounts;
/// the balances. The balances come last: every payment moves the same two (bank, buyer clearing),
/// and PostgreSQL holds their row locks until the commit. An account's first posting opens it.
pub async fn post(
    conn: &mut AnyConnection,
    now: i64,
    key: &str,
    posting: &Posting,
    refs: PostingRefs,
    memo: &str,
) -> Result<i64, AppError> {
    let currency = posting.currency.code();
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO ledger_postings (kind, idempotency_key, order_id, checkout_id, at, memo) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(&posting.kind)
    .bind(key)
    .bind(refs.order_id)
    .bind(refs.checkout_id)
    .bind(now)
    .bind(memo)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(posting_id) = inserted else { return replay(conn, key, posting).await };
    let all: Vec<&Entry> = posting.entries.iter().collect();
    if write_entries(conn, posting_id, currency, &all).await? < all.len() as u64 {
        // Some account was not open yet (or was being opened by another transaction): the entries
        // not written are written once their accounts are.
        let written: Vec<String> = stored_entries(conn, posting_id).await?.into_iter().map(|(code, _)| code).collect();
        let rest: Vec<&Entry> = all.into_iter().filter(|e| !written.contains(&e.account.code())).collect();
        for e in &rest {
            account_id(conn, now, &e.account, currency).await?;
        }
        write_entries(conn, posting_id, currency, &rest).await?;
    }
    move_balances(conn, currency, posting).await?;
    Ok(posting_id)
}

/// The key was posted before: the same entries are a replay (the first posting's id), others are
/// refused (`idempotency.key_reused`). A posting's fingerprint is its entries.
async fn replay(conn: &mut AnyConnection, key: &str, posting: &Posting) -> Result<i64, AppError> {
    let id: i64 = sqlx::query_scalar("SELECT id FROM ledger_postings WHERE idempotency_key = $1")
        .bind(key)
        .fetch_one(&mut *conn)
        .await?;
    let mut wanted: Vec<(String, i64)> = posting.entries.iter().map(|e| (e.account.code(), e.amount_minor)).collect();
    wanted.sort();
    let stored = entries_fingerprint(&stored_entries(conn, id).await?);
    let outcome = IdempotencyOutcome::decide(Some((id, Some(stored.as_str()))), &entries_fingerprint(&wanted));
    outcome.replay().map_err(AppError::conflict).map(|first| first.unwrap_or(id))
}

/// Writes `entries` of the posting, in their order, each on its account found by code in one
/// `INSERT .. SELECT`. Returns how many were written: an entry whose account is not open yet is not.
async fn write_entries(
    conn: &mut AnyConnection,
    posting_id: i64,
    currency: &str,
    entries: &[&Entry],
) -> Result<u64, AppError> {
    if entries.is_empty() {
        return Ok(0);
    }
    let mut sql = Sql::new(
        Backend::of_conn(conn),
        "INSERT INTO ledger_entries (posting_id, account_id, currency, amount_minor) SELECT ",
    );
    let (posting, currency) = (sql.arg(posting_id), sql.arg(currency));
    sql.push(&format!("{posting}, a.id, a.currency, v.amount FROM ("));
    for (n, e) in entries.iter().enumerate() {
        let (code, amount) = (sql.arg(e.account.code()), sql.arg(e.amount_minor));
        let union = if n == 0 { "" } else { " UNION ALL " };
        sql.push(&format!("{union}SELECT {n} AS n, {code} AS code, {amount} AS amount"));
    }
    sql.push(&format!(") v JOIN ledger_accounts a ON a.code = v.code AND a.currency = {currency} ORDER BY v.n"));
    Ok(sql.query().execute(&mut *conn).await?.rows_affected())
}

/// Adds each account's share of the posting to its balance, in one statement. PostgreSQL locks the
/// balance rows in one global order (by id) first, whatever the posting's entry order: a payment
/// (bank, clearing) and a refund (clearing, bank) at the same moment would otherwise each hold one
/// row and wait for the other. `FOR NO KEY UPDATE`, the lock an `UPDATE` takes anyway: `FOR UPDATE`
/// would also wait for the key-share locks that other postings' entries hold on their accounts
/// (their foreign keys), and deadlock with them.
async fn move_balances(conn: &mut AnyConnection, currency: &str, posting: &Posting) -> Result<(), AppError> {
    // An account named twice in a posting moves once, by the sum.
    let mut moves: BTreeMap<String, i64> = BTreeMap::new();
    for e in &posting.entries {
        *moves.entry(e.account.code()).or_insert(0) += e.amount_minor;
    }
    let backend = Backend::of_conn(conn);
    let mut sql = Sql::new(backend, "UPDATE ledger_accounts SET balance_minor = balance_minor + CASE code");
    for (code, amount) in &moves {
        let (code, amount) = (sql.arg(code.as_str()), sql.arg(*amount));
        sql.push(&format!(" WHEN {code} THEN {amount}"));
    }
    let currency = sql.arg(currency);
    let codes = sql.list(moves.keys().map(String::as_str));
    let matching = format!("currency = {currency} AND code IN ({codes})");
    match backend {
        Backend::Sqlite => sql.push(&format!(" END WHERE {matching}")),
        Backend::Postgres => sql.push(&format!(
            " END WHERE id IN (SELECT id FROM ledger_accounts WHERE {matching} ORDER BY id FOR NO KEY UPDATE)"
        )),
    };
    let moved = sql.query().execute(&mut *conn).await?.rows_affected();
    if moved != moves.len() as u64 {
        return Err(AppError::internal(format!("ledger balances moved: {moved} of {}", moves.len())));
    }
    Ok(())
}

/// The invariants, checked from the rows themselves: every posting sums to zero, every account's
/// stored balance equals the sum of its entries, and all balances sum to zero per currency.
/// Returns the problems found (empty when the ledger is sound).
pub async fn check_invariants(conn: &mut AnyConnection) -> Result<Vec<String>, AppError> {
    let mut problems = vec![];
    let unbalanced: Vec<i64> = sqlx::query_scalar(
        "SELECT posting_id FROM ledger_entries GROUP BY posting_id, currency HAVING SUM(amount_minor) <> 0 LIMIT 20",
    )
    .fetch_all(&mut *conn)
    .await?;
    problems.extend(unbalanced.into_iter().map(|p| format!("posting {p} does not balance")));
    let drifted: Vec<String> = sqlx::query_scalar(
        "SELECT a.code FROM ledger_accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id \
         GROUP BY a.id, a.code, a.balance_minor HAVING a.balance_minor <> COALESCE(SUM(e.amount_minor), 0) LIMIT 20",
    )
    .fetch_all(&mut *conn)
    .await?;
    problems.extend(drifted.into_iter().map(|c| format!("account {c}: balance differs from its entries")));
    let totals = sqlx::query(
        "SELECT currency, CAST(SUM(balance_minor) AS BIGINT) AS total FROM ledger_accounts GROUP BY currency",
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in totals {
        let total: i64 = r.try_get("total")?;
        if total != 0 {
            problems.push(format!("trial balance in {} is {total}, not zero", r.try_get::<String, _>("currency")?));
        }
    }
    Ok(problems)
}
