//! The purge: 30 days after an approved deletion, a durable timer removes or anonymizes the account's
//! personal data in one change. The user row stays (orders, ledger postings, payouts and the audit log
//! refer to it by id) with its email replaced by one nobody can own, no name, no phone, no password;
//! what only described the person goes (sessions, devices, second factor, tokens, tags, note, roles,
//! addresses, cart, in-app messages, preferences); orders keep their money and lines but lose who and
//! where exactly they were delivered to; delivered mails lose their text. The ledger is not touched
//! (no entry names a person) and neither is the audit log: it is append-only and hash-chained, and its
//! entries name the user by id; the purge itself is one more entry, so the chain still verifies.

use crate::domain::account_deletion::{self as rules, DeletionAction, DeletionStatus};
use crate::domain::address::Address;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::error::{AppError, Context};
use crate::platform::change::{Audit, Change};
use crate::platform::jobs::{Job, JobFuture, JobHandler};
use crate::platform::sql::RowLock;
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::AnyConnection;
use std::collections::HashMap;
use std::sync::Arc;

/// The durable timer of an approved deletion (target: the request).
pub const JOB_DELETION_PURGE: &str = "users.deletion_purge";

/// Registers the purge (called from `users::timers`).
pub fn register(map: &mut HashMap<&'static str, JobHandler>) {
    map.insert(
        JOB_DELETION_PURGE,
        Arc::new(|state: AppState, job: Job| -> JobFuture {
            Box::pin(async move { purge(&state, job.target_id).await })
        }),
    );
}

/// Tables whose rows for the user are only about the person: deleted outright.
const PERSONAL_ROWS: [&str; 10] = [
    "sessions",
    "known_devices",
    "user_second_factors",
    "user_recovery_codes",
    "account_tokens",
    "user_tags",
    "user_roles",
    "addresses",
    "notifications",
    "notification_preferences",
];

/// Purges request `id` if it is still an approved deletion whose window has passed (a restored one,
/// or a repeat of the timer, changes nothing).
pub async fn purge(state: &AppState, id: i64) -> Result<(), AppError> {
    let mut c = Change::system(state, "timers").await?;
    let Some((user_id, status, purge_at)) = request_of(c.conn(), id).await? else { return Ok(()) };
    c.lock(RowLock::User(user_id)).await?;
    let Some((_, status_now, _)) = request_of(c.conn(), id).await? else { return Ok(()) };
    let now = c.now_ms();
    let due = purge_at.is_some_and(|at| now >= at);
    if status != DeletionStatus::Approved || status_now.apply(DeletionAction::Purge).is_err() || !due {
        return Ok(());
    }
    let removed = remove_personal_rows(c.conn(), user_id).await?;
    let orders = anonymize_orders(c.conn(), user_id).await?;
    blank_delivered_messages(c.conn(), user_id).await?;
    anonymize_user(c.conn(), user_id, now).await?;
    sqlx::query("UPDATE account_deletions SET status = 'purged', closed_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(c.conn())
        .await
        .context("closing the deletion request")?;
    c.audit(
        Audit::new(AuditAction::UsersDeletionPurge, AuditTarget::User(user_id))
            .before(json!({"request": id, "status": "approved", "user_status": "deleted"}))
            .after(json!({"request": id, "status": "purged", "rows_removed": removed, "orders_anonymized": orders}))
            .reason("the restore window ended"),
    )
    .await?;
    c.commit().await
}

async fn request_of(conn: &mut AnyConnection, id: i64) -> Result<Option<(i64, DeletionStatus, Option<i64>)>, AppError> {
    let row: Option<(i64, String, Option<i64>)> =
        sqlx::query_as("SELECT user_id, status, purge_at FROM account_deletions WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
            .context("loading the deletion request")?;
    Ok(row.and_then(|(user, status, at)| DeletionStatus::parse(&status).map(|s| (user, s, at))))
}

async fn remove_personal_rows(conn: &mut AnyConnection, user_id: i64) -> Result<u64, AppError> {
    let mut removed = 0;
    for table in PERSONAL_ROWS {
        let done = sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
            .bind(user_id)
            .execute(&mut *conn)
            .await
            .context("purging a personal table")?;
        removed += done.rows_affected();
    }
    // The cart is keyed by its owner (`cart::owner`): `u:<id>` for a signed-in buyer.
    let cart = sqlx::query("DELETE FROM cart_items WHERE owner_key = $1")
        .bind(format!("u:{user_id}"))
        .execute(&mut *conn)
        .await
        .context("purging the cart")?;
    removed += cart.rows_affected();
    let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut *conn)
        .await
        .context("reading the address to forget")?;
    let done = sqlx::query("DELETE FROM email_suppressions WHERE address = $1")
        .bind(email)
        .execute(&mut *conn)
        .await
        .context("purging the address's suppression")?;
    Ok(removed + done.rows_affected())
}

/// The buyer's orders keep everything but who and where exactly: see `rules::anonymized_address`.
async fn anonymize_orders(conn: &mut AnyConnection, user_id: i64) -> Result<u64, AppError> {
    let orders: Vec<(i64, String)> = sqlx::query_as("SELECT id, address_json FROM orders WHERE buyer_id = $1")
        .bind(user_id)
        .fetch_all(&mut *conn)
        .await
        .context("reading the buyer's orders")?;
    for (id, json) in &orders {
        let address: Address = serde_json::from_str(json).unwrap_or_default();
        let anonymized = serde_json::to_string(&rules::anonymized_address(address))
            .map_err(|e| AppError::internal(format!("writing an address: {e}")))?;
        sqlx::query("UPDATE orders SET address_json = $1 WHERE id = $2")
            .bind(anonymized)
            .bind(id)
            .execute(&mut *conn)
            .await
            .context("anonymizing an order's address")?;
    }
    Ok(orders.len() as u64)
}

/// Mails and in-app messages already sent to the user keep their event and time, not their text or
/// address. (The outbox has no index by recipient: this reads it once, in a job that runs rarely.)
async fn blank_delivered_messages(conn: &mut AnyConnection, user_id: i64) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE outbox SET payload_json = '{}', recipient_address = NULL WHERE recipient_user_id = $1 AND status <> 'pending'",
    )
    .bind(user_id)
    .execute(&mut *conn)
    .await
    .context("blanking the user's delivered messages")?;
    Ok(())
}

async fn anonymize_user(conn: &mut AnyConnection, user_id: i64, now: i64) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE users SET email = $1, display_name = '', password_hash = $2, phone = NULL, internal_note = '', \
         email_verified_at = NULL, banned_at = NULL, ban_reason = NULL, ban_category = NULL, ban_ends_at = NULL, \
         purged_at = $3, updated_at = $3 WHERE id = $4",
    )
    .bind(rules::anonymized_email(user_id))
    .bind(crate::platform::passwords::UNSET)
    .bind(now)
    .bind(user_id)
    .execute(&mut *conn)
    .await
    .context("anonymizing the user")?;
    Ok(())
}
