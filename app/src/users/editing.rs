//! Editing a user by group, as the detail page's forms do: the profile (display name, language of the
//! mails) and the platform's own record (tags and the internal note). Each is a protected action whose
//! audit entry carries the group's fields before and after; an edit that changes nothing is refused, so
//! the audit log only records real changes.

use super::model::{ContactEdit, ProfileEdit, RecordEdit};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::reason::Reason;
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change, RowLock};
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::AnyConnection;

pub async fn edit_profile(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    edit: &ProfileEdit,
    reason: &Reason,
) -> Result<(), AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    c.lock(RowLock::User(id)).await?;
    let (name, locale): (String, String) = sqlx::query_as("SELECT display_name, locale FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(c.conn())
        .await
        .context("loading the profile")?
        .ok_or(AppError::NotFound)?;
    let (new_name, new_locale) = (edit.display_name.as_str(), edit.lang.code());
    if name == new_name && locale == new_locale {
        return Err(AppError::conflict("users.edit.unchanged"));
    }
    sqlx::query("UPDATE users SET display_name = $1, locale = $2, updated_at = $3 WHERE id = $4")
        .bind(new_name)
        .bind(new_locale)
        .bind(c.now_ms())
        .bind(id)
        .execute(c.conn())
        .await
        .context("saving the profile")?;
    c.audit(
        Audit::new(AuditAction::UsersEditProfile, AuditTarget::User(id))
            .before(json!({"display_name": name, "locale": locale}))
            .after(json!({"display_name": new_name, "locale": new_locale}))
            .reason(reason.as_str()),
    )
    .await?;
    c.commit().await
}

pub async fn edit_record(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    edit: &RecordEdit,
    reason: &Reason,
) -> Result<(), AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    c.lock(RowLock::User(id)).await?;
    let note: String = sqlx::query_scalar("SELECT internal_note FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(c.conn())
        .await
        .context("loading the note")?
        .ok_or(AppError::NotFound)?;
    let tags = tags_of(c.conn(), id).await?;
    if tags == edit.tags.as_slice() && note == edit.note {
        return Err(AppError::conflict("users.edit.unchanged"));
    }
    sqlx::query("UPDATE users SET internal_note = $1, updated_at = $2 WHERE id = $3")
        .bind(&edit.note)
        .bind(c.now_ms())
        .bind(id)
        .execute(c.conn())
        .await
        .context("saving the note")?;
    sqlx::query("DELETE FROM user_tags WHERE user_id = $1")
        .bind(id)
        .execute(c.conn())
        .await
        .context("clearing the tags")?;
    for tag in edit.tags.as_slice() {
        sqlx::query("INSERT INTO user_tags (user_id, tag) VALUES ($1, $2)")
            .bind(id)
            .bind(tag)
            .execute(c.conn())
            .await
            .context("saving a tag")?;
    }
    c.audit(
        Audit::new(AuditAction::UsersEditRecord, AuditTarget::User(id))
            .before(json!({"tags": tags, "note": note}))
            .after(json!({"tags": edit.tags.as_slice(), "note": edit.note}))
            .reason(reason.as_str()),
    )
    .await?;
    c.commit().await
}

/// A user's tags, sorted.
pub async fn tags_of(conn: &mut AnyConnection, id: i64) -> Result<Vec<String>, AppError> {
    sqlx::query_scalar("SELECT tag FROM user_tags WHERE user_id = $1 ORDER BY tag")
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .context("loading the user's tags")
}

/// The contact group: the phone number, one account per number. The audit entry keeps the numbers
/// masked: the log is read more widely than the numbers may be.
pub async fn edit_contact(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    edit: &ContactEdit,
    reason: &Reason,
) -> Result<(), AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    c.lock(RowLock::User(id)).await?;
    let phone = phone_of(c.conn(), id).await?;
    if phone == edit.phone {
        return Err(AppError::conflict("users.edit.unchanged"));
    }
    let saved = sqlx::query("UPDATE users SET phone = $1, updated_at = $2 WHERE id = $3")
        .bind(&edit.phone)
        .bind(c.now_ms())
        .bind(id)
        .execute(c.conn())
        .await;
    // One account per number: the unique index decides (also between two edits at once), and the
    // change is dropped, so nothing is saved.
    if let Err(sqlx::Error::Database(e)) = &saved {
        if e.is_unique_violation() {
            return Err(AppError::invalid("phone", "users.phone.taken"));
        }
    }
    saved.context("saving the phone number")?;
    let masked = |p: &Option<String>| p.as_deref().map(crate::domain::phone::mask);
    c.audit(
        Audit::new(AuditAction::UsersEditContact, AuditTarget::User(id))
            .before(json!({"phone": masked(&phone)}))
            .after(json!({"phone": masked(&edit.phone)}))
            .reason(reason.as_str()),
    )
    .await?;
    c.commit().await
}

/// The full phone number, for an operator allowed to see it; the reveal itself is audited.
pub async fn reveal_phone(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    reason: &Reason,
) -> Result<String, AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    let phone = phone_of(c.conn(), id).await?;
    let phone = phone.ok_or_else(|| AppError::conflict("users.phone.none"))?;
    c.audit(
        Audit::new(AuditAction::UsersRevealPhone, AuditTarget::User(id))
            .after(json!({"phone": crate::domain::phone::mask(&phone)}))
            .reason(reason.as_str()),
    )
    .await?;
    c.commit().await?;
    Ok(phone)
}

/// The user's phone number (`None`: none on file); `NotFound` for no such user.
async fn phone_of(conn: &mut AnyConnection, id: i64) -> Result<Option<String>, AppError> {
    sqlx::query_scalar::<_, Option<String>>("SELECT phone FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .context("loading the phone number")?
        .ok_or(AppError::NotFound)
}
