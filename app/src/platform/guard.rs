//! The guards every server function starts with: `require(permission)` (signed in and granted it) and
//! `confirm_protected` (a protected action's reason and the operator's password typed again). A
//! refusal of a signed-in caller is put on the audit record (`audit::refusals`): apart from
//! `caller.rs`, which only says who is calling, so that recording (which needs a `Change`) does not
//! make the caller module depend on the unit of work that depends on it.

use super::audit_log::Actor;
use super::caller::{parts, require_signed_in, Ctx};
use super::change::{Change, RowLock};
use super::outbox::OutboxEvent;
use super::passwords;
use crate::audit::refusals;
use crate::auth::second_factor::service as second_factor;
use crate::domain::audit::AuditAction;
use crate::domain::permissions::Permission;
use crate::domain::reason::Reason;
use crate::error::AppError;

/// Signed in and granted `permission` by the stored grants of their roles; everything else is
/// refused. Every permission is an operator's, so it also needs their second factor where the
/// configuration requires one (`must_enrol_second_factor`).
pub async fn require(permission: Permission) -> Result<Ctx, AppError> {
    let ctx = require_signed_in().await?;
    if !ctx.caller.can(permission) {
        let reason = format!("needs {} ({})", permission.name(), request_path());
        refused(&ctx, AuditAction::AccessRefused, &reason).await;
        return Err(AppError::Forbidden);
    }
    if ctx.caller.must_enrol_second_factor {
        let reason = format!("no second factor enrolled ({})", request_path());
        refused(&ctx, AuditAction::AccessRefused, &reason).await;
        return Err(AppError::conflict("auth.second_factor_required"));
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
/// With a second factor enrolled, a current code too (`code`; a recovery code also works).
pub async fn confirm_protected(
    ctx: &Ctx,
    reason: &str,
    password: &str,
    code: Option<&str>,
) -> Result<Reason, AppError> {
    let reason = Reason::parse(reason).map_err(|e| AppError::invalid("reason", e.code()))?;
    confirm_password(ctx, password).await?;
    confirm_second_factor(ctx, code).await?;
    Ok(reason)
}

/// The current code of a caller who has a second factor (nothing for one who has none). The code is
/// spent: it cannot confirm a second action. A wrong one is a refusal on record.
pub async fn confirm_second_factor(ctx: &Ctx, code: Option<&str>) -> Result<(), AppError> {
    if !ctx.caller.second_factor {
        return Ok(());
    }
    let code =
        code.map(str::trim).filter(|c| !c.is_empty()).ok_or_else(|| AppError::invalid("code", "totp.required"))?;
    let key = crate::auth::tokens::signing_key(&ctx.state).await?;
    let mut c = Change::unaudited(&ctx.state, "a protected action's second factor").await?;
    c.lock(RowLock::User(ctx.caller.user_id)).await?;
    match second_factor::check_code(&mut c, &key, ctx.caller.user_id, code).await? {
        Ok(proof) => {
            if let second_factor::Proof::RecoveryCode { left } = proof {
                let payload = serde_json::json!({ "left": left });
                c.notify(OutboxEvent::email(ctx.caller.user_id, "account.recovery_code_used", payload)).await?;
            }
            c.commit().await
        }
        Err(problem) => {
            drop(c);
            let why = format!("wrong second-factor code ({})", request_path());
            refused(ctx, AuditAction::ProtectedRefused, &why).await;
            Err(second_factor::code_error(problem))
        }
    }
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
