//! The order timers' handlers. Each runs in one transaction, re-reads the order under its lock and
//! does nothing when the timer's reason has gone (paid before the deadline, shipped before overdue,
//! confirmed before auto-completion, hold already released): running one twice changes nothing.
//! A decision runs in `Change::system` (audited as `system:timers`); a timer that only moves its own
//! deadline on decides nothing and reschedules in an unaudited change.

use super::flow::{
    self, Audited, LockedOrder, Step, JOB_AUTO_COMPLETE, JOB_CANCEL_UNPAID, JOB_FLAG_OVERDUE, JOB_RELEASE_HOLD,
};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::ledger::Posting;
use crate::domain::order::{unpaid_deadline, OrderAction, OrderStatus, UnpaidDeadline};
use crate::domain::payment::PaymentStatus;
use crate::error::{AppError, Context};
use crate::platform::change::{Audit, Change, RowLock};
use crate::platform::jobs::{self, Job, JobFuture, JobHandler};
use crate::platform::ledger::PostingRefs;
use crate::platform::state::AppState;
use serde_json::json;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

/// How long a suspended seller's held earnings wait before the release is tried again.
pub const FROZEN_RETRY_MS: i64 = 86_400_000;

fn handler<F, Fut>(f: F) -> JobHandler
where
    F: Fn(AppState, Job) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), AppError>> + Send + 'static,
{
    Arc::new(move |state, job| -> JobFuture { Box::pin(f(state, job)) })
}

/// Registers the order kinds (called from `crate::timers::handlers`).
pub fn register(map: &mut HashMap<&'static str, JobHandler>) {
    map.insert(JOB_CANCEL_UNPAID, handler(cancel_unpaid));
    map.insert(JOB_FLAG_OVERDUE, handler(flag_overdue));
    map.insert(JOB_AUTO_COMPLETE, handler(auto_complete));
    map.insert(JOB_RELEASE_HOLD, handler(release_hold));
}

/// The order of the job under its lock in a system change, or `None` when the order is gone.
async fn locked(c: &mut Change, order_id: i64) -> Result<Option<LockedOrder>, AppError> {
    found(flow::lock(c, order_id).await)
}

/// A lock's answer with a missing order as `None`.
fn found(order: Result<LockedOrder, AppError>) -> Result<Option<LockedOrder>, AppError> {
    match order {
        Err(AppError::NotFound) => Ok(None),
        other => other.map(Some),
    }
}

/// Runs `kind` for the order again at `at`, and (for the unpaid timer) moves `pay_by` with it while
/// the order is still unpaid. Nothing is decided, so nothing is audited. The caller has dropped its
/// system change first (SQLite has one writer).
async fn reschedule(state: &AppState, kind: &str, order_id: i64, at: i64, pay_by: bool) -> Result<(), AppError> {
    let mut c = Change::unaudited(state, "an order timer moves its own deadline on: nothing decided").await?;
    c.lock(RowLock::Order(order_id)).await.context("locking the order")?;
    let now = c.now_ms();
    if pay_by {
        let moved = sqlx::query("UPDATE orders SET pay_by = $1, updated_at = $2 WHERE id = $3 AND status = $4")
            .bind(at)
            .bind(now)
            .bind(order_id)
            .bind(OrderStatus::PendingPayment.as_str())
            .execute(c.conn())
            .await
            .context("moving the payment deadline")?
            .rows_affected();
        if moved == 0 {
            return Ok(());
        }
    }
    jobs::schedule(c.conn(), now, kind, order_id, at).await.context("rescheduling the order timer")?;
    c.commit().await
}

/// 30 minutes after checkout: an order still unpaid is cancelled and its stock released, unless its
/// bank-transfer proof is waiting for finance (`domain::order::unpaid_deadline` decides).
pub async fn cancel_unpaid(state: AppState, job: Job) -> Result<(), AppError> {
    let mut c = Change::system(&state, "timers").await?;
    let Some(order) = found(flow::lock_for(&mut c, job.target_id, OrderAction::Cancel).await)? else { return Ok(()) };
    if order.status != OrderStatus::PendingPayment {
        return Ok(());
    }
    let payment_status: Option<String> =
        sqlx::query_scalar("SELECT status FROM payments WHERE checkout_id = $1 ORDER BY id DESC LIMIT 1")
            .bind(order.checkout_id)
            .fetch_optional(c.conn())
            .await
            .context("reading the checkout's payment")?;
    let payment = payment_status.as_deref().and_then(PaymentStatus::parse);
    match unpaid_deadline(order.pay_by, payment, c.now_ms()) {
        UnpaidDeadline::NotYet => return Ok(()),
        UnpaidDeadline::Extended { pay_by } => {
            drop(c);
            return reschedule(&state, JOB_CANCEL_UNPAID, order.id, pay_by, true).await;
        }
        UnpaidDeadline::Expired => {}
    }
    let step = Step {
        action: OrderAction::Cancel,
        actor: None,
        note: "orders.note.payment_expired",
        audit: Audited::As(AuditAction::OrdersCancelUnpaid, json!({})),
    };
    flow::transition(&mut c, &order, step).await?;
    c.commit().await
}

/// 3 days after payment: a paid order not yet shipped is flagged overdue and the seller told.
pub async fn flag_overdue(state: AppState, job: Job) -> Result<(), AppError> {
    let mut c = Change::system(&state, "timers").await?;
    let now = c.now_ms();
    let Some(order) = locked(&mut c, job.target_id).await? else { return Ok(()) };
    if order.status != OrderStatus::Paid || order.overdue || order.ship_by.is_none_or(|s| s > now) {
        return Ok(());
    }
    sqlx::query("UPDATE orders SET overdue = 1, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(order.id)
        .execute(c.conn())
        .await
        .context("flagging the order overdue")?;
    let flag = flow::Event {
        order_id: order.id,
        from: "paid",
        to: "paid",
        action: "flagged_overdue",
        actor: None,
        note: "orders.note.ship_overdue",
    };
    flow::record_events(c.conn(), now, &[flag]).await?;
    c.notify_seller_members(order.organisation_id, "orders.overdue", json!({ "number": order.number })).await?;
    let audit = Audit::new(AuditAction::OrdersFlagOverdue, AuditTarget::Order(order.id));
    c.audit(audit.before(json!({"overdue": false})).after(json!({"overdue": true}))).await?;
    c.commit().await
}

/// 7 days after shipping: a shipped order the buyer has not confirmed completes.
pub async fn auto_complete(state: AppState, job: Job) -> Result<(), AppError> {
    let mut c = Change::system(&state, "timers").await?;
    let now = c.now_ms();
    let Some(order) = locked(&mut c, job.target_id).await? else { return Ok(()) };
    if order.status != OrderStatus::Shipped || order.complete_by.is_none_or(|at| at > now) {
        return Ok(());
    }
    let step = Step {
        action: OrderAction::AutoComplete,
        actor: None,
        note: "orders.note.auto_completed",
        audit: Audited::As(AuditAction::OrdersAutoComplete, json!({})),
    };
    flow::transition(&mut c, &order, step).await?;
    c.commit().await
}

/// Why the hold of a completed order is not released now.
enum Hold {
    /// Nothing (left) to release: done, refunded from pending, or the order never completed.
    Nothing,
    /// Under dispute or the seller is suspended: try again later.
    Wait,
    /// Release this amount.
    Release(i64),
}

/// What the release of the order's hold would do, read under the order's lock.
async fn hold_of(c: &mut Change, order: &LockedOrder, key: &str) -> Result<Hold, AppError> {
    // Earnings under dispute stay held until it is decided.
    if order.status == OrderStatus::InDispute {
        return Ok(Hold::Wait);
    }
    if !matches!(order.status, OrderStatus::Completed | OrderStatus::PartiallyRefunded | OrderStatus::Refunded) {
        return Ok(Hold::Nothing);
    }
    let done: Option<i64> = sqlx::query_scalar("SELECT id FROM ledger_postings WHERE idempotency_key = $1")
        .bind(key)
        .fetch_optional(c.conn())
        .await
        .context("looking for the hold's release")?;
    if done.is_some() {
        return Ok(Hold::Nothing);
    }
    let seller_status: String = sqlx::query_scalar("SELECT status FROM organisations WHERE id = $1")
        .bind(order.organisation_id)
        .fetch_one(c.conn())
        .await
        .context("reading the seller's status")?;
    if seller_status == "suspended" {
        return Ok(Hold::Wait);
    }
    // What the order left in the seller's pending balance: its completion, less any refund taken
    // back from pending before the release (refunds after it come from available instead).
    let amount = crate::finance::settlement::pending_of_order(c.conn(), order.id, order.organisation_id).await?;
    Ok(if amount <= 0 { Hold::Nothing } else { Hold::Release(amount) })
}

/// The settlement hold after completion ended: the seller's pending earnings on the order become
/// available. A suspended seller's earnings stay frozen (DESIGN.md's suspension matrix), and so do
/// earnings under dispute: the release is tried again a day later.
pub async fn release_hold(state: AppState, job: Job) -> Result<(), AppError> {
    let mut c = Change::system(&state, "timers").await?;
    let now = c.now_ms();
    let Some(order) = locked(&mut c, job.target_id).await? else { return Ok(()) };
    let key = format!("order:{}:hold_released", order.id);
    let amount = match hold_of(&mut c, &order, &key).await? {
        Hold::Nothing => return Ok(()),
        Hold::Wait => {
            drop(c);
            return reschedule(&state, JOB_RELEASE_HOLD, order.id, now + FROZEN_RETRY_MS, false).await;
        }
        Hold::Release(amount) => amount,
    };
    // The seller's finance row before its balance rows (the lock order payout requests use).
    c.lock(RowLock::SellerFinance(order.organisation_id)).await.context("locking the seller's finance")?;
    let posting = Posting::hold_released(order.currency, order.organisation_id, amount).map_err(|e| {
        AppError::internal(format!("hold_released posting refused: order_id={} code={}", order.id, e.code()))
    })?;
    let refs = PostingRefs { order_id: Some(order.id), checkout_id: Some(order.checkout_id) };
    c.post(&key, &posting, refs, &format!("order {} hold released", order.number))
        .await
        .context("releasing the hold")?;
    // Later earnings net off a negative balance first: the ledger does it by adding to the same
    // account; this records when the seller is back at zero or above.
    crate::finance::seller_finance::clear_negative_if_recovered(
        c.conn(),
        order.organisation_id,
        order.currency.code(),
        now,
    )
    .await?;
    let audit = Audit::new(AuditAction::LedgerReleaseHold, AuditTarget::Order(order.id));
    c.audit(audit.before(json!({"pending": amount})).after(json!({"available": amount}))).await?;
    c.commit().await
}
