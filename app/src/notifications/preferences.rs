//! What each user receives, per (category, channel): `notification_preferences`, where no row means
//! on. Categories that are always on (account security) read as on whatever is stored.

use crate::domain::delivery::{Category, Channel};
use sqlx::AnyConnection;

/// The stored choices of `user` (the rest are on).
pub async fn stored(conn: &mut AnyConnection, user: i64) -> Result<Vec<(Category, Channel, bool)>, sqlx::Error> {
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT category, channel, enabled FROM notification_preferences WHERE user_id = $1")
            .bind(user)
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(cat, ch, on)| Some((Category::parse(&cat)?, Channel::parse(&ch)?, on != 0)))
        .collect())
}

/// Stores one choice. An always-on category is never stored off (the caller refuses it first; this
/// is the last guard).
pub async fn set(
    conn: &mut AnyConnection,
    now_ms: i64,
    user: i64,
    category: Category,
    channel: Channel,
    on: bool,
) -> Result<(), sqlx::Error> {
    let on = on || category.always_on();
    sqlx::query(
        "INSERT INTO notification_preferences (user_id, category, channel, enabled, updated_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, category, channel) \
         DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at",
    )
    .bind(user)
    .bind(category.as_str())
    .bind(channel.as_str())
    .bind(i64::from(on))
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
