//! The guards every server function starts with: `require(permission)` (signed in and granted it) and
//! `confirm_protected` (a protected action's reason and the operator's password typed again). A
//! refusal of a signed-in caller is put on the audit record (`audit::refusals`): apart from
//! `caller.rs`, which only says who is calling, so that recording (which needs a `Change`) does not
//! make the caller module depend on the unit of work that depends on it.

use super::audit_log::Actor;
use super::caller::{parts, require_signed_in, Ctx};
use super::passwords;
use crate::audit::refusals;
use crate::domain::audit::AuditAction;
use crate::domain::permissions::Permission;
use crate::domain::reason::Reason;
use crate::error::AppError;

/// Signed in and granted `permission`; everything else is refused.
pub async fn require(permission: Permission) -> Result<Ctx, AppError> {
    let ctx = require_signed_in().await?;
    if !ctx.caller.can(permission) {
        let reason = format!("needs {} ({})", permission.name(), request_path());
        refused(&ctx, AuditAction::AccessRefused, &reason).await;
        return Err(AppError::Forbidden);
    }
    Ok(ctx)
}

/// The path of the current request (a server function's endpoint), for the audit of a refusal.
fn request_path() -> String {
    parts().map(|p| p.uri.path().chars().take(200).collect()).unwrap_or_default()
}

/// Records that the signed-in caller was refused (see `audit::refusals`).
async fn refused(ctx: &Ctx, action: AuditAction, reason: &str) {
    let actor = Actor::of(&ctx.caller);
    refusals::record(&ctx.state, actor, &ctx.meta, action, ctx.caller.user_id, reason).await;
}

/// A protected action's confirmation: a written reason and the operator's password typed again.
pub async fn confirm_protected(ctx: &Ctx, reason: &str, password: &str) -> Result<Reason, AppError> {
    let reason = Reason::parse(reason).map_err(|e| AppError::invalid("reason", e.code()))?;
    confirm_password(ctx, password).await?;
    Ok(reason)
}

/// The caller's password typed again (alone: a seller's payout account change). A wrong one is a
/// refusal on record.
pub async fn confirm_password(ctx: &Ctx, password: &str) -> Result<(), AppError> {
    if !crate::domain::password::acceptable_attempt(password) {
        return Err(AppError::invalid("password", "password.required"));
    }
    let stored: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(ctx.caller.user_id)
        .fetch_one(ctx.state.db.read())
        .await?;
    if !passwords::verify(password.to_string(), stored).await {
        let why = format!("wrong password ({})", request_path());
        refused(ctx, AuditAction::ProtectedRefused, &why).await;
        return Err(AppError::invalid("password", "password.wrong"));
    }
    Ok(())
}
