//! The forgotten password: asking for a link (the answer is the same whether or not the address has
//! an account, and at most one mail a minute goes to an address), then setting a new password with it
//! (30 minutes, once), which ends every session of the account and tells its owner.

use super::tokens;
use crate::domain::account::EMAIL_MAX_CHARS;
use crate::domain::account_token::{self, Purpose};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::password::NewPassword;
use crate::error::{AppError, Context};
use crate::platform::audit_log::Actor;
use crate::platform::caller::RequestMeta;
use crate::platform::change::{Audit, Change, RowLock};
use crate::platform::outbox::OutboxEvent;
use crate::platform::passwords;
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::AnyConnection;

pub const RESET_PATH: &str = "/reset-password";

/// An active account by address (as typed: trimmed, any case), with its display name.
pub async fn active_user_by_email(conn: &mut AnyConnection, email: &str) -> Result<Option<(i64, String)>, AppError> {
    let email: String = email.trim().to_lowercase().chars().take(EMAIL_MAX_CHARS + 1).collect();
    sqlx::query_as("SELECT id, display_name FROM users WHERE email = $1 AND status = 'active'")
        .bind(email)
        .fetch_optional(&mut *conn)
        .await
        .context("looking the account up")
}

/// Mails a reset link to `email` if it is an active account's and none went out in the last minute.
/// Answers the same in every case (the IP's cap excepted, which says nothing about the address).
pub async fn request(state: &AppState, meta: &RequestMeta, email: &str) -> Result<(), AppError> {
    let key = tokens::signing_key(state).await?;
    // Asking for a link decides nothing; the reset itself is audited.
    let mut c = Change::unaudited(state, "password reset: a link is asked for").await?;
    tokens::count_ip(&mut c, &meta.ip).await?;
    if let Some((user_id, name)) = active_user_by_email(c.conn(), email).await? {
        // Parallel requests for one address line up here, so only one of them mails.
        c.lock(RowLock::User(user_id)).await?;
        let last = tokens::last_issued_at(c.conn(), user_id, Purpose::ResetPassword).await?;
        if account_token::may_mail_again(last, c.now_ms()) {
            let token = tokens::new_link_token();
            let hash = account_token::token_hash(&key, Purpose::ResetPassword, &token);
            tokens::issue(&mut c, user_id, Purpose::ResetPassword, &hash, None).await?;
            let link = tokens::link(state, RESET_PATH, &token);
            c.notify(OutboxEvent::email(user_id, "account.password_reset", json!({"secret_link": link, "name": name})))
                .await?;
        }
    }
    c.commit().await
}

/// The reset link's token, if it can still be used (the page says so before asking for a password):
/// one the owner asked for (`ResetPassword`) or one an operator's invitation or reset mailed
/// (`SetPassword`); the page is the same.
pub async fn check(state: &AppState, token: &str) -> Result<(tokens::Found, Purpose), AppError> {
    let key = tokens::signing_key(state).await?;
    let mut conn = state.db.read().acquire().await.context("opening a connection")?;
    let mut problem = account_token::TokenProblem::Unknown;
    for purpose in [Purpose::ResetPassword, Purpose::SetPassword] {
        match tokens::find_link(&mut conn, &key, purpose, token, state.now_ms()).await? {
            Ok(found) => return Ok((found, purpose)),
            Err(account_token::TokenProblem::Unknown) => {}
            Err(other) => problem = other,
        }
    }
    Err(tokens::refused("token", problem))
}

/// Sets a new password with a reset link: the link is spent, every session of the account ends, the
/// owner is told. A password the rules refuse leaves the link usable.
pub async fn reset(state: &AppState, meta: &RequestMeta, token: &str, new_password: &str) -> Result<(), AppError> {
    let new = NewPassword::parse(new_password).map_err(|e| AppError::invalid("new_password", e.code()))?;
    // Looked up before hashing (slow), so a dead link answers at once; spent below only if still
    // unused and unexpired.
    let (found, purpose) = check(state, token).await?;
    let hash = passwords::hash(new.expose().to_string()).await?;
    let user_id = found.user_id;
    // The account owner acting through the link, not through a session: audited under their id.
    let actor = Actor { id: Some(user_id), roles: "reset_link".into() };
    let mut c = Change::begin(state, actor, meta.clone()).await?;
    let now = c.now_ms();
    if let Err(problem) = tokens::spend(&mut c, found.id).await? {
        return Err(tokens::refused("token", problem));
    }
    // The link came to the account's address, so using it proves the address (an invitation's first).
    sqlx::query(
        "UPDATE users SET password_hash = $1, updated_at = $2, \
         email_verified_at = COALESCE(email_verified_at, $2) WHERE id = $3",
    )
    .bind(&hash)
    .bind(now)
    .bind(user_id)
    .execute(c.conn())
    .await
    .context("storing the new password")?;
    let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(c.conn())
        .await
        .context("ending every session")?
        .rows_affected();
    // Whoever knew the old password should not keep a way in that guessing would open.
    sqlx::query("DELETE FROM sign_in_throttle WHERE throttle_key = $1")
        .bind(format!("account:{}", account_email(c.conn(), user_id).await?))
        .execute(c.conn())
        .await
        .context("clearing the account's sign-in throttle")?;
    c.audit(
        Audit::new(AuditAction::AccountResetPassword, AuditTarget::User(user_id))
            .after(json!({"sessions_ended": ended}))
            .reason(if purpose == Purpose::SetPassword { "link from an operator" } else { "reset link" }),
    )
    .await?;
    let name: String = sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(c.conn())
        .await
        .context("reading the name")?;
    c.notify(OutboxEvent::notify(user_id, "account.password_changed", json!({"name": name}))).await?;
    c.commit().await
}

async fn account_email(conn: &mut AnyConnection, user_id: i64) -> Result<String, AppError> {
    sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut *conn)
        .await
        .context("reading the address")
}
