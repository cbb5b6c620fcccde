//! Accounts an operator creates and passwords an operator resets. Neither ever shows or sends a
//! password: the account's password is unset (`passwords::UNSET`, which no password matches) and its
//! owner gets a one-time link (`Purpose::SetPassword`, 72 hours) to the reset page, where they choose
//! their own. So the user must set a new password before their first or next sign-in, and an operator
//! never knows a user's password. Both are protected actions, audited, and told to the user by mail.

use super::model::NewUser;
use crate::auth::reset::RESET_PATH;
use crate::auth::tokens;
use crate::domain::account_token::{self, Purpose};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::permissions::OperatorRole;
use crate::domain::reason::Reason;
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change, RowLock};
use crate::platform::outbox::OutboxEvent;
use crate::platform::passwords;
use crate::platform::state::AppState;
use serde_json::json;

/// Creates an active account without a password and mails its owner the invitation. Returns its id.
/// An address that already has an account is refused next to the field.
pub async fn create_user(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    user: &NewUser,
    reason: &Reason,
) -> Result<i64, AppError> {
    let key = tokens::signing_key(state).await?;
    let mut c = Change::by_caller(state, caller, meta).await?;
    let now = c.now_ms();
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO users (email, display_name, password_hash, status, locale, created_at, updated_at) \
         VALUES ($1, $2, $3, 'active', $4, $5, $5) ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(user.email.as_str())
    .bind(user.display_name.as_str())
    .bind(passwords::UNSET)
    .bind(user.lang.code())
    .bind(now)
    .fetch_optional(c.conn())
    .await
    .context("creating the user")?;
    let id = id.ok_or_else(|| AppError::invalid("email", "email.taken"))?;
    let link = mail_set_password_link(&mut c, &key, id).await?;
    c.notify(OutboxEvent::email(
        id,
        "account.invitation",
        json!({"secret_link": link, "name": user.display_name.as_str()}),
    ))
    .await?;
    c.audit(
        Audit::new(AuditAction::UsersCreate, AuditTarget::User(id))
            .after(json!({
                "email": user.email.as_str(), "display_name": user.display_name.as_str(),
                "locale": user.lang.code(), "status": "active", "password": "unset",
            }))
            .reason(reason.as_str()),
    )
    .await?;
    c.commit().await?;
    Ok(id)
}

/// Unsets user `id`'s password, ends every session of theirs and mails them a link to choose a new
/// one. Not for one's own account (the account page changes it), and a super admin's only by a super
/// admin: a lesser role must not be able to shut the people who assign roles out of the console.
pub async fn reset_password(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    reason: &Reason,
) -> Result<(), AppError> {
    if id == caller.user_id {
        return Err(AppError::conflict("users.cannot_reset_self"));
    }
    let key = tokens::signing_key(state).await?;
    let mut c = Change::by_caller(state, caller, meta).await?;
    c.lock(RowLock::User(id)).await?;
    let (name, status): (String, String) = sqlx::query_as("SELECT display_name, status FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(c.conn())
        .await
        .context("loading the user")?
        .ok_or(AppError::NotFound)?;
    if status != "active" {
        return Err(AppError::conflict("users.reset_needs_active"));
    }
    let roles: Vec<String> = sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1")
        .bind(id)
        .fetch_all(c.conn())
        .await
        .context("loading the user's roles")?;
    let super_admin = OperatorRole::SuperAdmin.as_str();
    if roles.iter().any(|r| r == super_admin) && !caller.is_super_admin() {
        return Err(AppError::Forbidden);
    }
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(passwords::UNSET)
        .bind(c.now_ms())
        .bind(id)
        .execute(c.conn())
        .await
        .context("unsetting the password")?;
    let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(id)
        .execute(c.conn())
        .await
        .context("ending the user's sessions")?
        .rows_affected();
    let link = mail_set_password_link(&mut c, &key, id).await?;
    c.notify(OutboxEvent::email(id, "account.password_reset_by_operator", json!({"secret_link": link, "name": name})))
        .await?;
    c.audit(
        Audit::new(AuditAction::UsersResetPassword, AuditTarget::User(id))
            .before(json!({"password": "set"}))
            .after(json!({"password": "unset", "sessions_ended": ended}))
            .reason(reason.as_str()),
    )
    .await?;
    c.commit().await
}

/// Issues a new set-password token for `user_id` (retiring any earlier unused one) and returns the link
/// to put in the mail.
async fn mail_set_password_link(c: &mut Change, key: &[u8], user_id: i64) -> Result<String, AppError> {
    let token = tokens::new_link_token();
    let hash = account_token::token_hash(key, Purpose::SetPassword, &token);
    tokens::issue(c, user_id, Purpose::SetPassword, &hash, None).await?;
    Ok(tokens::link(c.state(), RESET_PATH, &token))
}
