//! Reads about refunds that other capabilities need (disputes refuse to open while a refund is
//! requested). Apart from service.rs, which opens disputes: the two services must not import each other.

use crate::domain::refund::RefundStatus;
use crate::error::AppError;
use sqlx::AnyConnection;

/// The open (requested) refund of the order, if any. Disputes refuse to open while one exists.
pub async fn open_refund_of(conn: &mut AnyConnection, order_id: i64) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM refunds WHERE order_id = $1 AND status = $2 ORDER BY id LIMIT 1")
        .bind(order_id)
        .bind(RefundStatus::Requested.as_str())
        .fetch_optional(&mut *conn)
        .await?)
}
