//! Refused attempts leave a trace: a signed-in caller refused by a permission check, a wrong password
//! on a protected action, a sign-in refused because the account is locked or banned. Each is an audit
//! entry with result `refused`, the reason and no secret, about the user refused (so the user's audit
//! trail and the directory's "recent refusals" show it).
//!
//! Recording is best effort: the refusal itself must reach the caller even when the audit write fails
//! (it is logged then), and the write happens after the decision, in its own transaction.

use crate::domain::audit::{AuditAction, AuditTarget};
use crate::error::{AppError, Context};
use crate::platform::audit_log::Actor;
use crate::platform::caller::RequestMeta;
use crate::platform::change::{Audit, Change};
use crate::platform::state::AppState;
use crate::users::model::Refusal;

/// How many refusals the users directory shows.
pub const RECENT_REFUSALS: i64 = 10;

/// Records that `actor` was refused `action` on user `user_id` for `reason`.
pub async fn record(
    state: &AppState,
    actor: Actor,
    meta: &RequestMeta,
    action: AuditAction,
    user_id: i64,
    reason: &str,
) {
    if let Err(e) = write(state, actor, meta, action, user_id, reason).await {
        tracing::error!(error = %e, action = action.as_str(), user_id, "recording a refused attempt failed");
    }
}

async fn write(
    state: &AppState,
    actor: Actor,
    meta: &RequestMeta,
    action: AuditAction,
    user_id: i64,
    reason: &str,
) -> Result<(), AppError> {
    // A refusal is recorded whatever maintenance mode says: it records, it decides nothing.
    let mut c = Change::begin_through_maintenance(state, actor, meta.clone()).await?;
    c.audit(Audit::new(action, AuditTarget::User(user_id)).reason(reason).result("refused")).await?;
    c.commit().await
}

/// The latest refused attempts, newest first (the partial index `audit_log_refused` serves it).
pub async fn recent(state: &AppState) -> Result<Vec<Refusal>, AppError> {
    // Every refusal is about a user (`record`), so the cast of its target id cannot fail.
    sqlx::query_as(
        "SELECT l.id, l.at_ms, l.action, u.id AS user_id, u.email, l.reason, l.ip FROM \
         (SELECT id, at AS at_ms, action, target_id, reason, ip FROM audit_log WHERE result = 'refused' \
          ORDER BY id DESC LIMIT $1) l \
         LEFT JOIN users u ON u.id = CAST(l.target_id AS BIGINT) ORDER BY l.id DESC",
    )
    .bind(RECENT_REFUSALS)
    .fetch_all(state.db.read())
    .await
    .context("loading the recent refusals")
}
