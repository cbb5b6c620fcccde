use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::error::Context;
#[cfg(feature = "ssr")]
use crate::platform::caller::require_signed_in;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    /// Template values, e.g. `{"roles": "finance"}`.
    pub params: Vec<(String, String)>,
    pub created_at_ms: i64,
    pub read: bool,
}

#[server(prefix = "/api", endpoint = "unread_notifications")]
pub async fn unread_notifications() -> Result<i64, AppError> {
    let ctx = require_signed_in().await?;
    sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(ctx.caller.user_id)
        .fetch_one(ctx.state.db.read())
        .await
        .context("counting unread notifications")
}

/// A `notifications` row as stored; `notification` reads its payload.
#[cfg(feature = "ssr")]
#[derive(sqlx::FromRow)]
struct NotificationRecord {
    id: i64,
    kind: String,
    payload_json: String,
    created_at: i64,
    read_at: Option<i64>,
}

#[cfg(feature = "ssr")]
impl NotificationRecord {
    /// The payload's values as template parameters (strings as they are, anything else as JSON).
    fn notification(self) -> Notification {
        let params = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&self.payload_json)
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
            .collect();
        Notification {
            id: self.id,
            kind: self.kind,
            params,
            created_at_ms: self.created_at,
            read: self.read_at.is_some(),
        }
    }
}

#[server(prefix = "/api", endpoint = "list_notifications")]
pub async fn list_notifications(cursor: Option<String>) -> Result<Page<Notification>, AppError> {
    let ctx = require_signed_in().await?;
    let size = crate::domain::page::page_size(None);
    let before = crate::domain::page::parse_id_cursor(cursor.as_deref()).unwrap_or(i64::MAX);
    let records: Vec<NotificationRecord> = sqlx::query_as(
        "SELECT id, kind, payload_json, created_at, read_at FROM notifications \
         WHERE user_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(ctx.caller.user_id)
    .bind(before)
    .bind(size as i64 + 1)
    .fetch_all(ctx.state.db.read())
    .await
    .context("listing notifications")?;
    let rows = records.into_iter().map(NotificationRecord::notification).collect();
    Ok(Page::from_overfetch(rows, size, |n| n.id.to_string()))
}

/// Marks one notification (or, without an id, all of them) read. Only the owner's rows are touched.
/// The reader's own bookkeeping, not an audited decision: a `Change::unaudited`.
#[server(prefix = "/api", endpoint = "mark_notifications_read")]
pub async fn mark_notifications_read(id: Option<i64>) -> Result<(), AppError> {
    use crate::platform::change::Change;
    let ctx = require_signed_in().await?;
    let mut c = Change::unaudited(&ctx.state, "notifications: the reader marks them read").await?;
    let now = c.now_ms();
    let q = match id {
        Some(id) => {
            sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND id = $3 AND read_at IS NULL")
                .bind(now)
                .bind(ctx.caller.user_id)
                .bind(id)
        }
        None => sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
            .bind(now)
            .bind(ctx.caller.user_id),
    };
    q.execute(c.conn()).await.context("marking notifications read")?;
    c.commit().await
}
