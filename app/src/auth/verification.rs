//! Proving the account's address: the link mailed at sign-up (and on "resend"), opening it, and the
//! gate that keeps unverified accounts from applying to sell or requesting a payout. Browsing and
//! buying need no proof.

use super::model::EmailStatus;
use super::tokens;
use crate::domain::account_token::{self, Purpose};
use crate::error::{AppError, Context};
use crate::platform::caller::Caller;
use crate::platform::change::Change;
use crate::platform::outbox::OutboxEvent;
use crate::platform::state::AppState;
use serde_json::json;

pub const VERIFY_PATH: &str = "/account/verify";

/// Issues a verification token and enqueues its mail, inside the caller's change (sign-up's own).
pub async fn send_link(c: &mut Change, key: &[u8], user_id: i64, name: &str) -> Result<(), AppError> {
    let token = tokens::new_link_token();
    let hash = account_token::token_hash(key, Purpose::VerifyEmail, &token);
    tokens::issue(c, user_id, Purpose::VerifyEmail, &hash, None).await?;
    let link = tokens::link(c.state(), VERIFY_PATH, &token);
    c.notify(OutboxEvent::email(user_id, "account.verify_email", json!({"secret_link": link, "name": name}))).await
}

/// Whether the caller's address is proven, and an address change waiting for its confirmation.
pub async fn email_status(state: &AppState, user_id: i64) -> Result<EmailStatus, AppError> {
    let verified_at: Option<i64> = sqlx::query_scalar("SELECT email_verified_at FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(state.db.read())
        .await
        .context("reading the verification state")?;
    let pending_email: Option<String> = sqlx::query_scalar(
        "SELECT new_email FROM account_tokens WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL \
         AND expires_at > $3 ORDER BY id DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(Purpose::ChangeEmail.as_str())
    .bind(state.now_ms())
    .fetch_optional(state.db.read())
    .await
    .context("reading a pending address change")?
    .flatten();
    Ok(EmailStatus { verified: verified_at.is_some(), pending_email })
}

/// "Send the link again", for a signed-in unverified user: at most once a minute (they are told how
/// long to wait; it is their own address, nothing is revealed).
pub async fn resend(state: &AppState, caller: &Caller) -> Result<(), AppError> {
    let key = tokens::signing_key(state).await?;
    let mut c = Change::unaudited(state, "verification: the user asks for a new link").await?;
    let now = c.now_ms();
    let verified: Option<i64> = sqlx::query_scalar("SELECT email_verified_at FROM users WHERE id = $1")
        .bind(caller.user_id)
        .fetch_one(c.conn())
        .await
        .context("reading the verification state")?;
    if verified.is_some() {
        return Err(AppError::conflict("auth.email_already_verified"));
    }
    if let Some(last) = tokens::last_issued_at(c.conn(), caller.user_id, Purpose::VerifyEmail).await? {
        if !account_token::may_mail_again(Some(last), now) {
            return Err(AppError::RateLimited { retry_after_s: account_token::mail_again_in_s(last, now) });
        }
    }
    send_link(&mut c, &key, caller.user_id, &caller.display_name).await?;
    c.commit().await
}

/// Opens a verification link: marks the address proven. Expired, used or forged links change nothing.
pub async fn verify(state: &AppState, token: &str) -> Result<(), AppError> {
    let key = tokens::signing_key(state).await?;
    // The owner proving their own address: not a decision the audit log records.
    let mut c = Change::unaudited(state, "verification: the link from the mail").await?;
    let now = c.now_ms();
    let found = match tokens::find_link(c.conn(), &key, Purpose::VerifyEmail, token, now).await? {
        Ok(found) => found,
        Err(problem) => return Err(tokens::refused("token", problem)),
    };
    if let Err(problem) = tokens::spend(&mut c, found.id).await? {
        return Err(tokens::refused("token", problem));
    }
    mark_verified(&mut c, found.user_id).await?;
    c.commit().await
}

/// Marks the user's current address proven (a verification link, or a confirmed address change).
pub async fn mark_verified(c: &mut Change, user_id: i64) -> Result<(), AppError> {
    let now = c.now_ms();
    sqlx::query("UPDATE users SET email_verified_at = $1, updated_at = $1 WHERE id = $2 AND email_verified_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(c.conn())
        .await
        .context("marking the address verified")?;
    Ok(())
}

/// The gate of applying to sell and requesting a payout: refused, with how to verify, until the
/// account's address is proven. Read in the caller's transaction, so a check and the write it
/// guards see one state.
pub async fn require_verified(c: &mut Change, user_id: i64) -> Result<(), AppError> {
    let verified: Option<i64> = sqlx::query_scalar("SELECT email_verified_at FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(c.conn())
        .await
        .context("reading the verification state")?
        .flatten();
    match verified {
        Some(_) => Ok(()),
        None => Err(AppError::conflict("auth.email_unverified")),
    }
}
