//! The account lock (issue 14): on top of the doubling wait per account and per IP, 10 failed
//! sign-ins within 15 minutes lock the account for 15 minutes and mail its owner a one-time unlock
//! link. The owner is never locked out for long (the link ends the lock at once, and the lock ends by
//! itself); a guesser cannot keep the account locked cheaply (each lock takes ten fresh failures, each
//! paid for by the IP's own wait). The rules are `domain::throttle`.

use super::tokens;
use crate::domain::account_token::{self, Purpose};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::throttle;
use crate::error::{AppError, Context};
use crate::platform::audit_log::Actor;
use crate::platform::caller::RequestMeta;
use crate::platform::change::{Audit, Change};
use crate::platform::outbox::OutboxEvent;
use crate::platform::state::AppState;
use serde_json::json;

pub const UNLOCK_PATH: &str = "/unlock";

/// What a sign-in to a locked account is told.
pub fn locked_error(until_ms: i64) -> AppError {
    AppError::SignInBlocked { code: "auth.locked".into(), until_ms: Some(until_ms), cause: None }
}

/// A failed sign-in, already counted by the throttle: the wait runs from now (when the caller hears
/// of it, so a slow password check does not use it up) and the account's 15-minute window counts it.
/// The failure that reaches ten locks the account; then, if the address is an account's, its owner
/// gets the unlock link (a second, audited change: the lock stands even if the mail cannot be queued,
/// and a password reset clears it too).
pub async fn count_failure(
    state: &AppState,
    account_key: &str,
    ip_key: &str,
    user_id: Option<i64>,
) -> Result<(), AppError> {
    let mut c = Change::unaudited(state, "sign-in throttle: a failure").await?;
    let now = c.now_ms();
    sqlx::query(
        "UPDATE sign_in_throttle SET last_failure_at = $1 WHERE throttle_key IN ($2, $3) AND last_failure_at < $1",
    )
    .bind(now)
    .bind(account_key)
    .bind(ip_key)
    .execute(c.conn())
    .await
    .context("restarting the sign-in wait")?;
    // The log the failed sign-in alert and the risk desk count (the throttle keeps counters only).
    sqlx::query("INSERT INTO sign_in_failures (at, ip, user_id) VALUES ($1, $2, $3)")
        .bind(now)
        .bind(ip_key.strip_prefix("ip:").unwrap_or(ip_key))
        .bind(user_id)
        .execute(c.conn())
        .await
        .context("logging a failed sign-in")?;
    // Touched first: on PostgreSQL parallel failures line up on the row, so exactly one reaches ten.
    sqlx::query("UPDATE sign_in_throttle SET window_failures = window_failures WHERE throttle_key = $1")
        .bind(account_key)
        .execute(c.conn())
        .await
        .context("touching the account's window")?;
    let (started_at, failures, was_locked_until): (i64, i64, i64) = sqlx::query_as(
        "SELECT window_started_at, window_failures, locked_until FROM sign_in_throttle WHERE throttle_key = $1",
    )
    .bind(account_key)
    .fetch_one(c.conn())
    .await
    .context("reading the account's window")?;
    let window = throttle::count_failure(started_at, failures, now);
    let locked_until = if window.locks { now + throttle::LOCK_MS } else { was_locked_until };
    sqlx::query(
        "UPDATE sign_in_throttle SET window_started_at = $1, window_failures = $2, locked_until = $3 \
         WHERE throttle_key = $4",
    )
    .bind(window.started_at)
    .bind(window.failures)
    .bind(locked_until)
    .bind(account_key)
    .execute(c.conn())
    .await
    .context("counting the failure in the account's window")?;
    c.commit().await?;
    match user_id {
        Some(user_id) if window.locks => mail_unlock_link(state, user_id, locked_until).await,
        _ => Ok(()),
    }
}

/// Records the lock and mails the owner the unlock link (valid an hour, once).
async fn mail_unlock_link(state: &AppState, user_id: i64, locked_until: i64) -> Result<(), AppError> {
    let key = tokens::signing_key(state).await?;
    let mut c = Change::system(state, "sign-in lock").await?;
    let name: String = sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(c.conn())
        .await
        .context("reading the name")?;
    let token = tokens::new_link_token();
    let hash = account_token::token_hash(&key, Purpose::Unlock, &token);
    tokens::issue(&mut c, user_id, Purpose::Unlock, &hash, None).await?;
    let link = tokens::link(state, UNLOCK_PATH, &token);
    let until = crate::components::format::time_text(locked_until);
    c.notify(OutboxEvent::email(user_id, "account.locked", json!({"secret_link": link, "name": name, "until": until})))
        .await?;
    c.audit(
        Audit::new(AuditAction::AccountLock, AuditTarget::User(user_id))
            .after(json!({"locked_until": locked_until}))
            .reason("10 failed sign-ins within 15 minutes"),
    )
    .await?;
    c.commit().await
}

/// Ends the lock with the mailed link: the account's throttle starts afresh (the IP's does not).
pub async fn unlock(state: &AppState, meta: &RequestMeta, token: &str) -> Result<(), AppError> {
    let key = tokens::signing_key(state).await?;
    let mut conn = state.db.read().acquire().await.context("opening a connection")?;
    let found = tokens::find_link(&mut conn, &key, Purpose::Unlock, token, state.now_ms())
        .await?
        .map_err(|problem| tokens::refused("token", problem))?;
    drop(conn);
    let user_id = found.user_id;
    // The owner acting through the link, not a session: audited under their id, like a reset.
    let actor = Actor { id: Some(user_id), roles: "unlock_link".into() };
    let mut c = Change::begin(state, actor, meta.clone()).await?;
    if let Err(problem) = tokens::spend(&mut c, found.id).await? {
        return Err(tokens::refused("token", problem));
    }
    let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(c.conn())
        .await
        .context("reading the address")?;
    let cleared = sqlx::query("DELETE FROM sign_in_throttle WHERE throttle_key = $1")
        .bind(format!("account:{email}"))
        .execute(c.conn())
        .await
        .context("clearing the account's lock")?
        .rows_affected();
    c.audit(
        Audit::new(AuditAction::AccountUnlock, AuditTarget::User(user_id))
            .before(json!({"locked": cleared > 0}))
            .after(json!({"locked": false}))
            .reason("unlock link"),
    )
    .await?;
    c.commit().await
}
