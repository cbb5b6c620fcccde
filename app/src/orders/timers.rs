//! The order timers' handlers. Each runs in one transaction, re-reads the order under its lock and
//! does nothing when the timer's reason has gone (paid before the deadline, shipped before overdue,
//! confirmed before auto-completion, hold already released): running one twice changes nothing.

use super::flow::{self, JOB_AUTO_COMPLETE, JOB_CANCEL_UNPAID, JOB_FLAG_OVERDUE, JOB_RELEASE_HOLD};
use crate::domain::ledger::Posting;
use crate::domain::order::{unpaid_deadline, OrderAction, OrderStatus, UnpaidDeadline};
use crate::domain::payment::PaymentStatus;
use crate::error::AppError;
use crate::platform::audit_log::{self, Actor, AuditEntry};
use crate::platform::caller::RequestMeta;
use crate::platform::jobs::{self, Job, JobFuture, JobHandler};
use crate::platform::ledger::{self, PostingRefs};
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

async fn audit(
    tx: &mut sqlx::AnyConnection,
    now: i64,
    action: &str,
    order_id: i64,
    before: serde_json::Value,
    after: serde_json::Value,
) -> Result<(), AppError> {
    audit_log::record(
        tx,
        &Actor::system("timers"),
        &RequestMeta::default(),
        now,
        AuditEntry {
            action,
            target_type: "order",
            target_id: order_id.to_string(),
            before,
            after,
            reason: "",
            result: "ok",
        },
    )
    .await?;
    Ok(())
}

/// 30 minutes after checkout: an order still unpaid is cancelled and its stock released, unless its
/// bank-transfer proof is waiting for finance (`domain::order::unpaid_deadline` decides).
pub async fn cancel_unpaid(state: AppState, job: Job) -> Result<(), AppError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let order = match flow::lock_order(&mut tx, job.target_id).await {
        Err(AppError::NotFound) => return Ok(()),
        other => other?,
    };
    if order.status != OrderStatus::PendingPayment {
        return Ok(());
    }
    let payment_status: Option<String> =
        sqlx::query_scalar("SELECT status FROM payments WHERE checkout_id = $1 ORDER BY id DESC LIMIT 1")
            .bind(order.checkout_id)
            .fetch_optional(&mut *tx)
            .await?;
    let payment = payment_status.as_deref().and_then(PaymentStatus::parse);
    match unpaid_deadline(order.pay_by, payment, now) {
        UnpaidDeadline::NotYet => return Ok(()),
        UnpaidDeadline::Extended { pay_by } => {
            sqlx::query("UPDATE orders SET pay_by = $1, updated_at = $2 WHERE id = $3")
                .bind(pay_by)
                .bind(now)
                .bind(order.id)
                .execute(&mut *tx)
                .await?;
            jobs::schedule(&mut tx, now, JOB_CANCEL_UNPAID, order.id, pay_by).await?;
            tx.commit().await?;
            return Ok(());
        }
        UnpaidDeadline::Expired => {}
    }
    flow::transition(&mut tx, &state, order.id, OrderAction::Cancel, None, "orders.note.payment_expired").await?;
    audit(
        &mut tx,
        now,
        "orders.cancel_unpaid",
        order.id,
        json!({"status": "pending_payment"}),
        json!({"status": "cancelled"}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// 3 days after payment: a paid order not yet shipped is flagged overdue and the seller told.
pub async fn flag_overdue(state: AppState, job: Job) -> Result<(), AppError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let order = match flow::lock_order(&mut tx, job.target_id).await {
        Err(AppError::NotFound) => return Ok(()),
        other => other?,
    };
    if order.status != OrderStatus::Paid || order.overdue || order.ship_by.is_none_or(|s| s > now) {
        return Ok(());
    }
    sqlx::query("UPDATE orders SET overdue = 1, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(order.id)
        .execute(&mut *tx)
        .await?;
    flow::record_event(&mut tx, order.id, "paid", "paid", "flagged_overdue", None, now, "orders.note.ship_overdue")
        .await?;
    flow::notify_seller(&mut tx, now, order.organisation_id, "orders.overdue", &order.number).await?;
    audit(&mut tx, now, "orders.flag_overdue", order.id, json!({"overdue": false}), json!({"overdue": true})).await?;
    tx.commit().await?;
    Ok(())
}

/// 7 days after shipping: a shipped order the buyer has not confirmed completes.
pub async fn auto_complete(state: AppState, job: Job) -> Result<(), AppError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let order = match flow::lock_order(&mut tx, job.target_id).await {
        Err(AppError::NotFound) => return Ok(()),
        other => other?,
    };
    if order.status != OrderStatus::Shipped || order.complete_by.is_none_or(|c| c > now) {
        return Ok(());
    }
    flow::transition(&mut tx, &state, order.id, OrderAction::AutoComplete, None, "orders.note.auto_completed").await?;
    audit(&mut tx, now, "orders.auto_complete", order.id, json!({"status": "shipped"}), json!({"status": "completed"}))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The settlement hold after completion ended: the seller's pending earnings on the order become
/// available. A suspended seller's earnings stay frozen (DESIGN.md's suspension matrix), and so do
/// earnings under dispute: the release is tried again a day later.
pub async fn release_hold(state: AppState, job: Job) -> Result<(), AppError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let order = match flow::lock_order(&mut tx, job.target_id).await {
        Err(AppError::NotFound) => return Ok(()),
        other => other?,
    };
    // Earnings under dispute stay held until it is decided.
    if order.status == OrderStatus::InDispute {
        jobs::schedule(&mut tx, now, JOB_RELEASE_HOLD, order.id, now + FROZEN_RETRY_MS).await?;
        tx.commit().await?;
        return Ok(());
    }
    if !matches!(order.status, OrderStatus::Completed | OrderStatus::PartiallyRefunded | OrderStatus::Refunded) {
        return Ok(());
    }
    let key = format!("order:{}:hold_released", order.id);
    let done: Option<i64> = sqlx::query_scalar("SELECT id FROM ledger_postings WHERE idempotency_key = $1")
        .bind(&key)
        .fetch_optional(&mut *tx)
        .await?;
    if done.is_some() {
        return Ok(());
    }
    let seller_status: String = sqlx::query_scalar("SELECT status FROM organisations WHERE id = $1")
        .bind(order.organisation_id)
        .fetch_one(&mut *tx)
        .await?;
    if seller_status == "suspended" {
        jobs::schedule(&mut tx, now, JOB_RELEASE_HOLD, order.id, now + FROZEN_RETRY_MS).await?;
        tx.commit().await?;
        return Ok(());
    }
    // What the order left in the seller's pending balance: its completion, less any refund taken
    // back from pending before the release (refunds after it come from available instead).
    let amount = crate::finance::settlement::pending_of_order(&mut tx, order.id, order.organisation_id).await?;
    if amount <= 0 {
        return Ok(());
    }
    // The seller's finance row before its balance rows (the lock order payout requests use).
    crate::finance::seller_finance::lock(&mut tx, order.organisation_id, now).await?;
    let posting = Posting::hold_released(order.currency, order.organisation_id, amount).map_err(|e| {
        AppError::internal(format!("hold_released posting refused: order_id={} code={}", order.id, e.code()))
    })?;
    ledger::post(
        &mut tx,
        now,
        &key,
        &posting,
        PostingRefs { order_id: Some(order.id), checkout_id: Some(order.checkout_id) },
        &format!("order {} hold released", order.number),
    )
    .await?;
    // Later earnings net off a negative balance first: the ledger does it by adding to the same
    // account; this records when the seller is back at zero or above.
    crate::finance::seller_finance::clear_negative_if_recovered(
        &mut tx,
        order.organisation_id,
        order.currency.code(),
        now,
    )
    .await?;
    audit(&mut tx, now, "ledger.release_hold", order.id, json!({"pending": amount}), json!({"available": amount}))
        .await?;
    tx.commit().await?;
    Ok(())
}
