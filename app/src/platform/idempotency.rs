//! Loading and storing idempotency keys for the tables that record them (`idempotency_key` and
//! `request_hash` columns, unique per scope such as a buyer or a seller). The decision itself is
//! `domain::idempotency`. Call `check` under the lock that serialises the scope (so two retries
//! cannot both find nothing), then on `New` insert the row with the key and fingerprint (or `store`).
//!
//! ```ignore
//! let fp = fingerprint(&["payout", &amount.to_string(), &account_id.to_string()]);
//! let scope = Scope { table: "payouts", column: "organisation_id", id: org };
//! if let Some(first) = idempotency::replay(c.conn(), scope, key, &fp).await? {
//!     return Ok(first);
//! }
//! ```

pub use crate::domain::idempotency::{fingerprint, IdempotencyOutcome, KEY_REUSED};
use crate::error::AppError;
use sqlx::{AnyConnection, Row};

/// Where a kind of request keeps its keys: `table` has `id`, `idempotency_key` and `request_hash`,
/// and keys are unique per `column = id` (the buyer, the seller organisation, ...).
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub table: &'static str,
    pub column: &'static str,
    pub id: i64,
}

/// The refusal of "same key, different request".
pub fn key_reused() -> AppError {
    AppError::conflict(KEY_REUSED)
}

/// The row stored under `key` in `scope` (its id and fingerprint), if any.
pub async fn load(
    conn: &mut AnyConnection,
    scope: Scope,
    key: &str,
) -> Result<Option<(i64, Option<String>)>, AppError> {
    let sql =
        format!("SELECT id, request_hash FROM {} WHERE {} = $1 AND idempotency_key = $2", scope.table, scope.column);
    let row = sqlx::query(&sql).bind(scope.id).bind(key).fetch_optional(&mut *conn).await?;
    Ok(match row {
        Some(r) => Some((r.try_get("id")?, r.try_get("request_hash")?)),
        None => None,
    })
}

/// What a request with `fingerprint` under `key` is (the stored row's id on a replay).
pub async fn check(
    conn: &mut AnyConnection,
    scope: Scope,
    key: &str,
    fingerprint: &str,
) -> Result<IdempotencyOutcome<i64>, AppError> {
    let stored = load(conn, scope, key).await?;
    Ok(IdempotencyOutcome::decide(stored.as_ref().map(|(id, h)| (*id, h.as_deref())), fingerprint))
}

/// `check` as the caller usually wants it: `Some(first id)` to answer a replay, `None` to go on,
/// `Err(idempotency.key_reused)` for another request under the same key.
pub async fn replay(
    conn: &mut AnyConnection,
    scope: Scope,
    key: &str,
    fingerprint: &str,
) -> Result<Option<i64>, AppError> {
    check(conn, scope, key, fingerprint).await?.replay().map_err(AppError::conflict)
}

/// Records `key` and `fingerprint` on row `id` of `scope.table` (for rows created before the key
/// is known, e.g. a dispute opened by another path first).
pub async fn store(
    conn: &mut AnyConnection,
    scope: Scope,
    id: i64,
    key: &str,
    fingerprint: &str,
) -> Result<(), AppError> {
    let sql = format!("UPDATE {} SET idempotency_key = $1, request_hash = $2 WHERE id = $3", scope.table);
    sqlx::query(&sql).bind(key).bind(fingerprint).bind(id).execute(&mut *conn).await?;
    Ok(())
}
