//! What every change to a refund shares: the refund read under its locks (the order's, then the
//! refund's, in `RowLock` order), the guarded status move, and the notification payload. Used by
//! requests, answers and escalation; it depends on none of them.

use crate::domain::money::{Currency, Money};
use crate::domain::refund::{RefundAction, RefundStatus};
use crate::error::{AppError, Context};
use crate::orders::flow;
use crate::platform::change::{Change, RowLock};
use crate::platform::outbox::OutboxEvent;
use serde_json::{json, Value};

/// The durable timer that escalates an unanswered request at `respond_by` (target: the refund id).
pub const JOB_ESCALATE: &str = "refund.escalate";

/// A refund row's fields that decisions need, read under the order's and the refund's locks.
pub(super) struct Locked {
    pub id: i64,
    pub order_id: i64,
    pub order_number: String,
    pub organisation_id: i64,
    pub buyer_id: i64,
    pub status: RefundStatus,
    pub currency: Currency,
    pub amount_minor: i64,
    pub reason_code: String,
    pub details: String,
    pub respond_by: i64,
}

/// The stored columns of `Locked`.
#[derive(sqlx::FromRow)]
struct LockedRecord {
    id: i64,
    order_id: i64,
    organisation_id: i64,
    buyer_id: i64,
    status: String,
    currency: String,
    amount_minor: i64,
    reason_code: String,
    details: String,
    respond_by: i64,
}

impl LockedRecord {
    fn locked(self, order_number: String) -> Result<Locked, AppError> {
        Ok(Locked {
            id: self.id,
            order_id: self.order_id,
            order_number,
            organisation_id: self.organisation_id,
            buyer_id: self.buyer_id,
            status: RefundStatus::parse(&self.status).ok_or_else(|| corrupt("status", &self.status))?,
            currency: Currency::parse(&self.currency).ok_or_else(|| corrupt("currency", &self.currency))?,
            amount_minor: self.amount_minor,
            reason_code: self.reason_code,
            details: self.details,
            respond_by: self.respond_by,
        })
    }
}

impl Locked {
    /// The amount as the notifications show it.
    pub fn amount_text(&self) -> String {
        Money::new(self.amount_minor, self.currency).display()
    }
}

#[track_caller]
pub(super) fn corrupt(what: &str, value: &str) -> AppError {
    AppError::internal(format!("refund row with an unknown value: what={what} value={value}"))
}

/// Locks the refund's order, then the refund, and reads it. `NotFound` when absent.
pub(super) async fn lock_refund(c: &mut Change, id: i64) -> Result<Locked, AppError> {
    let order_id: i64 = sqlx::query_scalar("SELECT order_id FROM refunds WHERE id = $1")
        .bind(id)
        .fetch_optional(c.conn())
        .await
        .context("finding the refund's order")?
        .ok_or(AppError::NotFound)?;
    if !c.lock_all([RowLock::Order(order_id), RowLock::Refund(id)]).await? {
        return Err(AppError::NotFound);
    }
    let order = flow::read_order(c.conn(), order_id).await.context("reading the refund's order")?;
    let r: LockedRecord = sqlx::query_as(
        "SELECT id, order_id, organisation_id, buyer_id, status, currency, amount_minor, reason_code, details, \
         respond_by FROM refunds WHERE id = $1",
    )
    .bind(id)
    .fetch_one(c.conn())
    .await
    .context("reading the locked refund")?;
    r.locked(order.number)
}

/// Moves the refund from `from` to `to` if nobody did meanwhile.
pub(super) async fn set_status(c: &mut Change, id: i64, from: RefundStatus, to: RefundStatus) -> Result<(), AppError> {
    let now = c.now_ms();
    let changed = sqlx::query("UPDATE refunds SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
        .bind(to.as_str())
        .bind(now)
        .bind(id)
        .bind(from.as_str())
        .execute(c.conn())
        .await
        .context("moving the refund's status")?
        .rows_affected();
    if changed != 1 {
        return Err(AppError::conflict("refunds.changed_meanwhile"));
    }
    Ok(())
}

/// The status `action` leads to, or the domain's refusal as a conflict.
pub(super) fn next(status: RefundStatus, action: RefundAction) -> Result<RefundStatus, AppError> {
    status.apply(action).map_err(AppError::conflict)
}

/// What a refund notification shows (`notify.<event_type>` with {number} and {amount}).
pub(super) fn payload(number: &str, amount: &str, refund_id: i64) -> Value {
    json!({"number": number, "amount": amount, "refund_id": refund_id})
}

/// Tells the buyer about the refund.
pub(super) async fn notify_buyer(c: &mut Change, r: &Locked, event_type: &str) -> Result<(), AppError> {
    let payload = payload(&r.order_number, &r.amount_text(), r.id);
    crate::webhooks::publish(c, crate::domain::webhook::Scope::Seller(r.organisation_id), event_type, payload.clone())
        .await?;
    c.notify(OutboxEvent::notify(r.buyer_id, event_type, payload)).await
}

/// Tells every member of the seller organisation (the owner included) about the refund.
pub(super) async fn notify_seller(c: &mut Change, r: &Locked, event_type: &str) -> Result<(), AppError> {
    let payload = payload(&r.order_number, &r.amount_text(), r.id);
    crate::webhooks::publish(c, crate::domain::webhook::Scope::Seller(r.organisation_id), event_type, payload.clone())
        .await?;
    c.notify_seller_members(r.organisation_id, event_type, payload).await
}
