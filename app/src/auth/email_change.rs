//! Changing the account's address: asked for with the current password; a confirmation link goes to
//! the new address (24 h) and a notice to the old one, so a stolen session cannot move the account
//! away unseen. Confirming switches the address (checked free again then) and marks it proven.

use super::tokens;
use super::verification::mark_verified;
use crate::domain::account::Email;
use crate::domain::account_token::{self, Purpose};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::password::acceptable_attempt;
use crate::error::{AppError, Context};
use crate::platform::audit_log::Actor;
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change};
use crate::platform::outbox::OutboxEvent;
use crate::platform::passwords;
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::AnyConnection;

pub const CONFIRM_PATH: &str = "/account/email/confirm";

async fn address_taken(conn: &mut AnyConnection, email: &str) -> Result<bool, AppError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&mut *conn)
        .await
        .context("checking the address")?;
    Ok(n > 0)
}

/// Asks to move the caller's account to `new_email`.
pub async fn request(state: &AppState, caller: &Caller, new_email: &str, password: &str) -> Result<(), AppError> {
    let new = Email::parse(new_email).map_err(|e| AppError::invalid("new_email", e.code()))?;
    if new.as_str() == caller.email {
        return Err(AppError::invalid("new_email", "auth.email_same"));
    }
    if !acceptable_attempt(password) {
        return Err(AppError::invalid("password", "password.required"));
    }
    let stored: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(caller.user_id)
        .fetch_one(state.db.read())
        .await
        .context("loading the password hash")?;
    if !passwords::verify(password.to_string(), stored).await {
        return Err(AppError::invalid("password", "password.wrong"));
    }
    let key = tokens::signing_key(state).await?;
    // The owner's request decides nothing yet (the confirmation is audited); the old address is told.
    let mut c = Change::unaudited(state, "address change: asked for, waiting for the new address").await?;
    if address_taken(c.conn(), new.as_str()).await? {
        return Err(AppError::invalid("new_email", "email.taken"));
    }
    let last = tokens::last_issued_at(c.conn(), caller.user_id, Purpose::ChangeEmail).await?;
    let now = c.now_ms();
    if let Some(last) = last.filter(|last| !account_token::may_mail_again(Some(*last), now)) {
        return Err(AppError::RateLimited { retry_after_s: account_token::mail_again_in_s(last, now) });
    }
    let token = tokens::new_link_token();
    let hash = account_token::token_hash(&key, Purpose::ChangeEmail, &token);
    tokens::issue(&mut c, caller.user_id, Purpose::ChangeEmail, &hash, Some(new.as_str())).await?;
    let link = tokens::link(state, CONFIRM_PATH, &token);
    let name = &caller.display_name;
    let to_new = json!({"secret_link": link, "name": name, "new_email": new.as_str()});
    c.notify(OutboxEvent::email_to(new.as_str(), Some(caller.user_id), "account.change_email", to_new)).await?;
    // Pinned to the address of now: the notice must reach the old mailbox even once the change is done.
    let to_old = json!({"name": name, "new_email": new.as_str()});
    c.notify(OutboxEvent::email_to(&caller.email, Some(caller.user_id), "account.email_change_requested", to_old))
        .await?;
    c.commit().await
}

/// Opens the confirmation link: the account's address becomes the new one, proven. Audited.
pub async fn confirm(state: &AppState, meta: &RequestMeta, token: &str) -> Result<String, AppError> {
    let key = tokens::signing_key(state).await?;
    let found = {
        let mut conn = state.db.read().acquire().await.context("opening a connection")?;
        tokens::find_link(&mut conn, &key, Purpose::ChangeEmail, token, state.now_ms())
            .await?
            .map_err(|problem| tokens::refused("token", problem))?
    };
    let new_email =
        found.new_email.clone().ok_or_else(|| AppError::internal("an address change without an address"))?;
    // The owner acting through the link from the new mailbox, not through a session.
    let actor = Actor { id: Some(found.user_id), roles: "email_link".into() };
    let mut c = Change::begin(state, actor, meta.clone()).await?;
    let now = c.now_ms();
    if let Err(problem) = tokens::spend(&mut c, found.id).await? {
        return Err(tokens::refused("token", problem));
    }
    let old_email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(found.user_id)
        .fetch_one(c.conn())
        .await
        .context("reading the old address")?;
    // Someone may have signed up with the address since the request: the unique check again, in
    // the statement that switches (a lost race is refused, not a duplicate).
    let switched = sqlx::query(
        "UPDATE users SET email = $1, email_verified_at = NULL, updated_at = $2 WHERE id = $3 \
         AND NOT EXISTS (SELECT 1 FROM users other WHERE other.email = $1)",
    )
    .bind(&new_email)
    .bind(now)
    .bind(found.user_id)
    .execute(c.conn())
    .await
    .context("switching the address")?
    .rows_affected();
    if switched != 1 {
        return Err(AppError::invalid("token", "email.taken"));
    }
    mark_verified(&mut c, found.user_id).await?;
    c.audit(
        Audit::new(AuditAction::AccountChangeEmail, AuditTarget::User(found.user_id))
            .before(json!({"email": old_email}))
            .after(json!({"email": new_email, "verified": true}))
            .reason("confirmation link"),
    )
    .await?;
    c.commit().await?;
    Ok(new_email)
}
