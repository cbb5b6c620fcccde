use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(ctx.caller.user_id)
        .fetch_one(ctx.state.db.read())
        .await?)
}

#[server(prefix = "/api", endpoint = "list_notifications")]
pub async fn list_notifications(cursor: Option<String>) -> Result<Page<Notification>, AppError> {
    use sqlx::Row;
    let ctx = require_signed_in().await?;
    let size = crate::domain::page::page_size(None);
    let before = crate::domain::page::parse_id_cursor(cursor.as_deref()).unwrap_or(i64::MAX);
    let rows = sqlx::query(
        "SELECT id, kind, payload_json, created_at, read_at FROM notifications \
         WHERE user_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(ctx.caller.user_id)
    .bind(before)
    .bind(size as i64 + 1)
    .fetch_all(ctx.state.db.read())
    .await?;
    let mut out = vec![];
    for r in rows {
        let payload: String = r.try_get("payload_json")?;
        let params = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&payload)
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
            .collect();
        out.push(Notification {
            id: r.try_get("id")?,
            kind: r.try_get("kind")?,
            params,
            created_at_ms: r.try_get("created_at")?,
            read: r.try_get::<Option<i64>, _>("read_at")?.is_some(),
        });
    }
    Ok(Page::from_overfetch(out, size, |n| n.id.to_string()))
}

/// Marks one notification (or, without an id, all of them) read. Only the owner's rows are touched.
#[server(prefix = "/api", endpoint = "mark_notifications_read")]
pub async fn mark_notifications_read(id: Option<i64>) -> Result<(), AppError> {
    let ctx = require_signed_in().await?;
    let now = ctx.state.now_ms();
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
    ctx.state.db.execute_write(q).await?;
    Ok(())
}
