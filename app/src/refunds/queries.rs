//! Reads about refunds and their orders that the refund services share and other capabilities need
//! (disputes refuse to open while a refund is requested). It imports no service: disputes read it
//! while refunds' escalation opens disputes, so neither service imports the other back.

use crate::domain::order::OrderStatus;
use crate::domain::refund::RefundStatus;
use crate::error::{AppError, Context};
use crate::orders::flow::{self, LockedOrder};
use crate::platform::change::{Change, RowLock};
use sqlx::AnyConnection;

/// The open (requested) refund of the order, if any. Disputes refuse to open while one exists.
pub async fn open_refund_of(conn: &mut AnyConnection, order_id: i64) -> Result<Option<i64>, AppError> {
    sqlx::query_scalar("SELECT id FROM refunds WHERE order_id = $1 AND status = $2 ORDER BY id LIMIT 1")
        .bind(order_id)
        .bind(RefundStatus::Requested.as_str())
        .fetch_optional(&mut *conn)
        .await
        .context("looking for the order's open refund")
}

/// The id of order `number`; `NotFound` when there is none.
pub(super) async fn order_id_of(conn: &mut AnyConnection, number: &str) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT id FROM orders WHERE number = $1")
        .bind(number)
        .fetch_optional(&mut *conn)
        .await
        .context("finding the order by number")?
        .ok_or(AppError::NotFound)
}

/// What was refunded on the order so far (minor units).
pub(super) async fn refunded_of(conn: &mut AnyConnection, order_id: i64) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT refunded_minor FROM orders WHERE id = $1")
        .bind(order_id)
        .fetch_one(&mut *conn)
        .await
        .context("reading what was refunded on the order")
}

/// Why the buyer cannot ask now, as a message key (`None`: they can).
pub(super) fn blocked(
    status: OrderStatus,
    open_refund: Option<i64>,
    open_dispute: Option<i64>,
) -> Option<&'static str> {
    if open_dispute.is_some() || status == OrderStatus::InDispute {
        Some("refunds.dispute_open")
    } else if !status.refundable() {
        Some("refunds.order_not_refundable")
    } else if open_refund.is_some() {
        Some("refunds.already_open")
    } else {
        None
    }
}

/// The buyer's own order `number`, locked in the change (`RowLock::Order`) and read under the lock:
/// what a refund request or a buyer's dispute starts from. Anyone else's order is `NotFound`, and is
/// not locked.
pub async fn lock_buyers_order(c: &mut Change, number: &str, buyer_id: i64) -> Result<LockedOrder, AppError> {
    let owner: Option<(i64, i64)> = sqlx::query_as("SELECT id, buyer_id FROM orders WHERE number = $1")
        .bind(number)
        .fetch_optional(c.conn())
        .await
        .context("finding the order by number")?;
    let Some((id, _)) = owner.filter(|(_, owner)| *owner == buyer_id) else { return Err(AppError::NotFound) };
    if !c.lock(RowLock::Order(id)).await? {
        return Err(AppError::NotFound);
    }
    flow::read_order(c.conn(), id).await.context("reading the buyer's order")
}
