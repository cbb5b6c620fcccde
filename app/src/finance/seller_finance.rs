//! A seller's finance state beside its balances: frozen while suspended, payouts held during the
//! cooling-off after a payout account change, and when its available balance went negative. The row
//! is created on first use. Its row lock (`RowLock::SellerFinance`, taken through `Change::lock`)
//! makes one seller's payout requests, account changes, refunds and freezes decided one at a time
//! (PostgreSQL; SQLite has one writer).

use crate::domain::ledger::Account;
use crate::error::{AppError, Context};
use crate::platform::sql::{lock_row, RowLock};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SellerFinance {
    pub organisation_id: i64,
    pub frozen: bool,
    pub frozen_at: Option<i64>,
    /// Payout requests are refused until then (cooling-off after an account change).
    pub payouts_hold_until: i64,
    /// Since when the available balance is negative (cleared once it is back at zero or above).
    pub negative_since: Option<i64>,
    /// The last time it went negative: the "negative balance history" risk flag.
    pub last_negative_at: Option<i64>,
}

/// A seller's three balances in one currency, in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SellerBalances {
    pub pending_minor: i64,
    pub available_minor: i64,
    pub in_transit_minor: i64,
}

async fn ensure(conn: &mut AnyConnection, organisation_id: i64, now: i64) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO seller_finance (organisation_id, updated_at) VALUES ($1, $2) ON CONFLICT (organisation_id) DO NOTHING",
    )
    .bind(organisation_id)
    .bind(now)
    .execute(&mut *conn)
    .await
    .context("creating the seller's finance row")?;
    Ok(())
}

/// Reads the seller's finance state (the defaults when it never had any).
pub async fn read(conn: &mut AnyConnection, organisation_id: i64) -> Result<SellerFinance, AppError> {
    let row = sqlx::query(
        "SELECT frozen, frozen_at, payouts_hold_until, negative_since, last_negative_at FROM seller_finance \
         WHERE organisation_id = $1",
    )
    .bind(organisation_id)
    .fetch_optional(&mut *conn)
    .await
    .context("reading the seller's finance state")?;
    let Some(r) = row else {
        return Ok(SellerFinance { organisation_id, ..SellerFinance::default() });
    };
    Ok(SellerFinance {
        organisation_id,
        frozen: r.try_get::<i64, _>("frozen")? != 0,
        frozen_at: r.try_get("frozen_at")?,
        payouts_hold_until: r.try_get("payouts_hold_until")?,
        negative_since: r.try_get("negative_since")?,
        last_negative_at: r.try_get("last_negative_at")?,
    })
}

/// Locks the seller's finance row (creating it) and reads it, for a transaction that is not a
/// `Change` yet; inside a `Change` take `RowLock::SellerFinance(org)` with `Change::lock` and `read`.
pub async fn lock(tx: &mut AnyConnection, organisation_id: i64, now: i64) -> Result<SellerFinance, AppError> {
    lock_row(tx, RowLock::SellerFinance(organisation_id), now).await.context("locking the seller's finance row")?;
    read(tx, organisation_id).await
}

/// Records that the seller's available balance went below zero (a refund it could not cover).
pub async fn mark_negative(tx: &mut AnyConnection, organisation_id: i64, now: i64) -> Result<(), AppError> {
    ensure(tx, organisation_id, now).await?;
    sqlx::query(
        "UPDATE seller_finance SET negative_since = COALESCE(negative_since, $1), last_negative_at = $1, updated_at = $1 \
         WHERE organisation_id = $2",
    )
    .bind(now)
    .bind(organisation_id)
    .execute(&mut *tx)
    .await
    .context("recording the seller's negative balance")?;
    Ok(())
}

/// Clears `negative_since` once later earnings brought the available balance back to zero or above
/// (the history, `last_negative_at`, stays).
pub async fn clear_negative_if_recovered(
    tx: &mut AnyConnection,
    organisation_id: i64,
    currency: &str,
    now: i64,
) -> Result<(), AppError> {
    let b = balances(tx, organisation_id, currency).await?;
    if b.available_minor >= 0 {
        sqlx::query(
            "UPDATE seller_finance SET negative_since = NULL, updated_at = $1 WHERE organisation_id = $2 \
             AND negative_since IS NOT NULL",
        )
        .bind(now)
        .bind(organisation_id)
        .execute(&mut *tx)
        .await
        .context("clearing the seller's negative balance")?;
    }
    Ok(())
}

/// Freezes (`true`) or unfreezes the seller's unsettled earnings and open payout requests: the
/// suspension and the reinstatement call this in their transaction. Returns the open payout
/// requests it froze or released.
pub async fn set_frozen(tx: &mut AnyConnection, organisation_id: i64, frozen: bool, now: i64) -> Result<u64, AppError> {
    ensure(tx, organisation_id, now).await?;
    sqlx::query("UPDATE seller_finance SET frozen = $1, frozen_at = $2, updated_at = $3 WHERE organisation_id = $4")
        .bind(i64::from(frozen))
        .bind(if frozen { Some(now) } else { None })
        .bind(now)
        .bind(organisation_id)
        .execute(&mut *tx)
        .await
        .context("freezing or releasing the seller's finance")?;
    let payouts = sqlx::query(
        "UPDATE payouts SET frozen = $1, updated_at = $2 WHERE organisation_id = $3 AND status IN ('requested', 'approved')",
    )
    .bind(i64::from(frozen))
    .bind(now)
    .bind(organisation_id)
    .execute(&mut *tx)
    .await
    .context("freezing or releasing the seller's open payouts")?
    .rows_affected();
    Ok(payouts)
}

/// Extends the payout hold to `until` (cooling-off after a payout account change).
pub async fn hold_payouts_until(
    tx: &mut AnyConnection,
    organisation_id: i64,
    until: i64,
    now: i64,
) -> Result<(), AppError> {
    ensure(tx, organisation_id, now).await?;
    sqlx::query("UPDATE seller_finance SET payouts_hold_until = $1, updated_at = $2 WHERE organisation_id = $3")
        .bind(until)
        .bind(now)
        .bind(organisation_id)
        .execute(&mut *tx)
        .await
        .context("holding the seller's payouts")?;
    Ok(())
}

/// The seller's pending, available and in-transit balances from the ledger.
pub async fn balances(
    conn: &mut AnyConnection,
    organisation_id: i64,
    currency: &str,
) -> Result<SellerBalances, AppError> {
    let rows =
        sqlx::query("SELECT code, balance_minor FROM ledger_accounts WHERE organisation_id = $1 AND currency = $2")
            .bind(organisation_id)
            .bind(currency)
            .fetch_all(&mut *conn)
            .await
            .context("reading the seller's balances")?;
    let mut b = SellerBalances::default();
    for r in rows {
        let code: String = r.try_get("code")?;
        // Liabilities are credit (negative) balances: what the platform owes the seller is minus it.
        let owed = -r.try_get::<i64, _>("balance_minor")?;
        match Account::parse(&code) {
            Some(Account::SellerPending(_)) => b.pending_minor = owed,
            Some(Account::SellerAvailable(_)) => b.available_minor = owed,
            Some(Account::SellerInTransit(_)) => b.in_transit_minor = owed,
            _ => {}
        }
    }
    Ok(b)
}
