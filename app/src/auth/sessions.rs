//! Where you are signed in: your live sessions (device, IP, last seen), and ending any of them but
//! the one you are using (that is "Sign out"), or all the others at once. Each ending is audited as
//! your own action.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One live session of the caller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionRow {
    /// Names the session to end it: the stored hash of its token (the token itself is only ever in
    /// its own browser's cookie, and the hash cannot be turned back into it).
    pub handle: String,
    /// `device_label`'s browser and system; empty when not recognised.
    pub browser: String,
    pub system: String,
    pub ip: String,
    pub created_at_ms: i64,
    pub last_seen_at_ms: i64,
    /// The session this request came with.
    pub current: bool,
}

/// At most this many sessions are listed, the most recently used first. Sessions end by themselves
/// after the idle and absolute timeouts, so a person has a handful; past this, "sign out everywhere
/// else" ends the rest.
pub const MAX_LISTED: i64 = 50;

/// The caller's live sessions, the most recently used first.
#[server(prefix = "/api", endpoint = "my_sessions")]
pub async fn my_sessions() -> Result<Vec<SessionRow>, AppError> {
    let ctx = crate::platform::caller::require_signed_in().await?;
    service::list(&ctx.state, &ctx.caller).await
}

/// Ends one of the caller's other sessions.
#[server(prefix = "/api", endpoint = "end_my_session")]
pub async fn end_my_session(handle: String) -> Result<(), AppError> {
    let ctx = crate::platform::caller::require_signed_in().await?;
    service::end_one(&ctx.state, &ctx.caller, &ctx.meta, &handle).await
}

/// Ends every session of the caller but this one.
#[server(prefix = "/api", endpoint = "end_my_other_sessions")]
pub async fn end_my_other_sessions() -> Result<(), AppError> {
    let ctx = crate::platform::caller::require_signed_in().await?;
    service::end_others(&ctx.state, &ctx.caller, &ctx.meta).await
}

#[cfg(feature = "ssr")]
mod service {
    use super::{SessionRow, MAX_LISTED};
    use crate::domain::audit::{AuditAction, AuditTarget};
    use crate::domain::session::device_label;
    use crate::error::{AppError, Context};
    use crate::platform::caller::{Caller, RequestMeta};
    use crate::platform::change::{Audit, Change};
    use crate::platform::state::AppState;
    use serde_json::json;

    /// A handle is a 64-character hex hash; anything else names no session.
    const HANDLE_CHARS: usize = 64;

    pub async fn list(state: &AppState, caller: &Caller) -> Result<Vec<SessionRow>, AppError> {
        let (now, policy) = (state.now_ms(), state.settings().session);
        let rows: Vec<(String, String, String, i64, i64)> = sqlx::query_as(
            "SELECT id_hash, user_agent, ip, created_at, last_seen_at FROM sessions \
             WHERE user_id = $1 AND created_at > $2 AND last_seen_at > $3 \
             ORDER BY last_seen_at DESC, id_hash LIMIT $4",
        )
        .bind(caller.user_id)
        .bind(now - policy.absolute_ms)
        .bind(now - policy.idle_for(!caller.roles.is_empty()))
        .bind(MAX_LISTED)
        .fetch_all(state.db.read())
        .await
        .context("listing the caller's sessions")?;
        Ok(rows
            .into_iter()
            .map(|(handle, user_agent, ip, created_at_ms, last_seen_at_ms)| {
                let (browser, system) = device_label(&user_agent);
                let current = handle == caller.session_hash;
                let (browser, system) = (browser.to_string(), system.to_string());
                SessionRow { handle, browser, system, ip, created_at_ms, last_seen_at_ms, current }
            })
            .collect())
    }

    pub async fn end_one(state: &AppState, caller: &Caller, meta: &RequestMeta, handle: &str) -> Result<(), AppError> {
        let handle = handle.trim();
        if handle.len() != HANDLE_CHARS || !handle.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AppError::NotFound);
        }
        if handle == caller.session_hash {
            return Err(AppError::conflict("auth.sessions.is_current"));
        }
        let mut c = Change::by_caller(state, caller, meta).await?;
        let ended: Option<(String, String, i64)> = sqlx::query_as(
            "DELETE FROM sessions WHERE id_hash = $1 AND user_id = $2 RETURNING ip, user_agent, created_at",
        )
        .bind(handle)
        .bind(caller.user_id)
        .fetch_optional(c.conn())
        .await
        .context("ending one of the caller's sessions")?;
        // Another person's session, or one already ended: the same answer, and nothing recorded.
        let Some((ip, user_agent, created_at)) = ended else {
            return Err(AppError::NotFound);
        };
        let (browser, system) = device_label(&user_agent);
        let before = json!({"session": {"ip": ip, "browser": browser, "system": system, "signed_in_at": created_at}});
        let audit = Audit::new(AuditAction::AccountEndSession, AuditTarget::User(caller.user_id));
        c.audit(audit.before(before).after(json!({"session": null}))).await?;
        c.commit().await
    }

    pub async fn end_others(state: &AppState, caller: &Caller, meta: &RequestMeta) -> Result<(), AppError> {
        let mut c = Change::by_caller(state, caller, meta).await?;
        let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
            .bind(caller.user_id)
            .bind(&caller.session_hash)
            .execute(c.conn())
            .await
            .context("ending the caller's other sessions")?
            .rows_affected();
        if ended == 0 {
            return Err(AppError::conflict("auth.sessions.no_others"));
        }
        let audit = Audit::new(AuditAction::AccountEndOtherSessions, AuditTarget::User(caller.user_id));
        c.audit(audit.before(json!({"other_sessions": ended})).after(json!({"other_sessions": 0}))).await?;
        c.commit().await
    }
}
