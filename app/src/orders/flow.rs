//! The order state machine's effects, inside the caller's transaction: `transition` locks and
//! re-reads the order, applies `domain::order`, writes the new status, its timestamps and a timeline
//! row, and does what the new state needs (timers, stock, ledger, notifications). Callers (server
//! functions, payment approval, job handlers) add their audit record and commit.

use crate::domain::ledger::Posting;
use crate::domain::money::Currency;
use crate::domain::order::{OrderAction, OrderStatus, AUTO_COMPLETE_AFTER_MS, SHIP_WITHIN_MS};
use crate::error::AppError;
use crate::platform::jobs;
use crate::platform::ledger::{self, PostingRefs};
use crate::platform::outbox::{self, OutboxEvent};
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::{AnyConnection, Row};

pub const JOB_CANCEL_UNPAID: &str = "order.cancel_unpaid";
pub const JOB_FLAG_OVERDUE: &str = "order.flag_overdue";
pub const JOB_AUTO_COMPLETE: &str = "order.auto_complete";
pub const JOB_RELEASE_HOLD: &str = "ledger.release_hold";

/// The order fields the flow works with, read inside the transaction after the row lock.
#[derive(Debug, Clone)]
pub struct LockedOrder {
    pub id: i64,
    pub number: String,
    pub checkout_id: i64,
    pub buyer_id: i64,
    pub organisation_id: i64,
    pub status: OrderStatus,
    pub currency: Currency,
    pub total_minor: i64,
    pub commission_minor: i64,
    pub overdue: bool,
    pub pay_by: i64,
    pub ship_by: Option<i64>,
    pub complete_by: Option<i64>,
}

/// Takes the order's row lock (PostgreSQL; SQLite has one writer) and reads it. `NotFound` when absent.
pub async fn lock_order(tx: &mut AnyConnection, order_id: i64) -> Result<LockedOrder, AppError> {
    let locked = sqlx::query("UPDATE orders SET updated_at = updated_at WHERE id = $1")
        .bind(order_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if locked == 0 {
        return Err(AppError::NotFound);
    }
    read_order(tx, order_id).await
}

/// Reads the order without locking it (pages and previews). `NotFound` when absent.
pub async fn read_order(tx: &mut AnyConnection, order_id: i64) -> Result<LockedOrder, AppError> {
    let r = sqlx::query(
        "SELECT id, number, checkout_id, buyer_id, organisation_id, status, currency, total_minor, commission_minor, \
         overdue, pay_by, ship_by, complete_by FROM orders WHERE id = $1",
    )
    .bind(order_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let status: String = r.try_get("status")?;
    let currency: String = r.try_get("currency")?;
    Ok(LockedOrder {
        id: r.try_get("id")?,
        number: r.try_get("number")?,
        checkout_id: r.try_get("checkout_id")?,
        buyer_id: r.try_get("buyer_id")?,
        organisation_id: r.try_get("organisation_id")?,
        status: OrderStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        currency: Currency::parse(&currency).ok_or_else(|| corrupt("currency", &currency))?,
        total_minor: r.try_get("total_minor")?,
        commission_minor: r.try_get("commission_minor")?,
        overdue: r.try_get::<i64, _>("overdue")? != 0,
        pay_by: r.try_get("pay_by")?,
        ship_by: r.try_get("ship_by")?,
        complete_by: r.try_get("complete_by")?,
    })
}

#[track_caller]
fn corrupt(what: &str, value: &str) -> AppError {
    AppError::internal(format!("order row with an unknown value: what={what} value={value}"))
}

/// Applies `action` to the order: checks the state machine against the state read under the lock,
/// writes the new status with its timestamps and a timeline row, and runs the side effects:
/// - Pay: `ship_by` = now + 3 days and the overdue timer; the seller is told.
/// - Cancel: stock goes back, timers are cancelled, and the checkout's payment is cancelled once
///   every order of the checkout is; the buyer is told.
/// - Ship: `complete_by` = now + 7 days and the auto-complete timer; the buyer is told.
/// - Confirm / AutoComplete: the ledger's order_completed posting and the hold-release timer.
///
/// A refused transition is `Conflict` with the domain's code (`orders.not_paid`, `orders.already_paid`...).
pub async fn transition(
    tx: &mut AnyConnection,
    state: &AppState,
    order_id: i64,
    action: OrderAction,
    actor: Option<i64>,
    note: &str,
) -> Result<OrderStatus, AppError> {
    let order = lock_order(tx, order_id).await?;
    let from = order.status;
    let to = if action == OrderAction::CloseDispute {
        let before: Option<String> = sqlx::query_scalar("SELECT status_before_dispute FROM orders WHERE id = $1")
            .bind(order.id)
            .fetch_one(&mut *tx)
            .await?;
        let before =
            before.as_deref().and_then(OrderStatus::parse).ok_or_else(|| corrupt("status_before_dispute", ""))?;
        from.close_dispute(before)
    } else {
        from.apply(action)
    }
    .map_err(|e| AppError::conflict(e.code()))?;
    let now = state.now_ms();
    let stamp = match action {
        OrderAction::Pay => "paid_at",
        OrderAction::Cancel => "cancelled_at",
        OrderAction::Ship => "shipped_at",
        OrderAction::Confirm | OrderAction::AutoComplete => "completed_at",
        _ => "updated_at",
    };
    // PostgreSQL refuses `updated_at` assigned twice: actions without their own stamp set it once.
    let stamp = if stamp == "updated_at" { String::new() } else { format!("{stamp} = $2, ") };
    let changed =
        sqlx::query(&format!("UPDATE orders SET status = $1, {stamp}updated_at = $2 WHERE id = $3 AND status = $4"))
            .bind(to.as_str())
            .bind(now)
            .bind(order.id)
            .bind(from.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if changed != 1 {
        return Err(AppError::conflict("orders.changed_meanwhile"));
    }
    record_event(tx, order.id, from.as_str(), to.as_str(), action.as_str(), actor, now, note).await?;
    match action {
        OrderAction::Pay => {
            let ship_by = now + SHIP_WITHIN_MS;
            sqlx::query("UPDATE orders SET ship_by = $1 WHERE id = $2")
                .bind(ship_by)
                .bind(order.id)
                .execute(&mut *tx)
                .await?;
            jobs::cancel(tx, now, JOB_CANCEL_UNPAID, order.id).await?;
            jobs::schedule(tx, now, JOB_FLAG_OVERDUE, order.id, ship_by).await?;
            notify_seller(tx, now, order.organisation_id, "orders.paid", &order.number).await?;
        }
        OrderAction::Cancel => {
            release_stock(tx, order.id).await?;
            jobs::cancel(tx, now, JOB_CANCEL_UNPAID, order.id).await?;
            jobs::cancel(tx, now, JOB_FLAG_OVERDUE, order.id).await?;
            let still_open: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE checkout_id = $1 AND status <> 'cancelled'")
                    .bind(order.checkout_id)
                    .fetch_one(&mut *tx)
                    .await?;
            if still_open == 0 {
                sqlx::query(
                    "UPDATE payments SET status = 'cancelled', updated_at = $1 \
                     WHERE checkout_id = $2 AND status IN ('pending', 'proof_submitted', 'rejected')",
                )
                .bind(now)
                .bind(order.checkout_id)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE checkouts SET status = 'cancelled' WHERE id = $1")
                    .bind(order.checkout_id)
                    .execute(&mut *tx)
                    .await?;
            }
            notify(tx, now, order.buyer_id, "orders.cancelled", &order.number).await?;
        }
        OrderAction::Ship => {
            let complete_by = now + AUTO_COMPLETE_AFTER_MS;
            sqlx::query("UPDATE orders SET complete_by = $1, overdue = 0 WHERE id = $2")
                .bind(complete_by)
                .bind(order.id)
                .execute(&mut *tx)
                .await?;
            jobs::cancel(tx, now, JOB_FLAG_OVERDUE, order.id).await?;
            jobs::schedule(tx, now, JOB_AUTO_COMPLETE, order.id, complete_by).await?;
            notify(tx, now, order.buyer_id, "orders.shipped", &order.number).await?;
        }
        OrderAction::Confirm | OrderAction::AutoComplete => {
            let posting = Posting::order_completed(
                order.currency,
                order.organisation_id,
                order.total_minor,
                order.commission_minor,
            )
            .map_err(|e| {
                AppError::internal(format!("order_completed posting refused: order_id={} code={}", order.id, e.code()))
            })?;
            ledger::post(
                tx,
                now,
                &format!("order:{}:completed", order.id),
                &posting,
                PostingRefs { order_id: Some(order.id), checkout_id: Some(order.checkout_id) },
                &format!("order {} completed", order.number),
            )
            .await?;
            jobs::cancel(tx, now, JOB_AUTO_COMPLETE, order.id).await?;
            jobs::schedule(tx, now, JOB_RELEASE_HOLD, order.id, now + state.settings.settlement_hold_ms).await?;
            notify(tx, now, order.buyer_id, "orders.completed", &order.number).await?;
        }
        // The dispute pauses the order's timers; the status it interrupted is kept to resume.
        OrderAction::OpenDispute => {
            sqlx::query("UPDATE orders SET status_before_dispute = $1 WHERE id = $2")
                .bind(from.as_str())
                .bind(order.id)
                .execute(&mut *tx)
                .await?;
            jobs::cancel(tx, now, JOB_FLAG_OVERDUE, order.id).await?;
            jobs::cancel(tx, now, JOB_AUTO_COMPLETE, order.id).await?;
        }
        // Decided for the seller: the timers resume, leaving the buyer (or seller) at least a day.
        OrderAction::CloseDispute => {
            sqlx::query("UPDATE orders SET status_before_dispute = NULL WHERE id = $1")
                .bind(order.id)
                .execute(&mut *tx)
                .await?;
            let at_least = now + RESUME_GRACE_MS;
            match to {
                OrderStatus::Paid => {
                    let ship_by = order.ship_by.unwrap_or(at_least).max(at_least);
                    sqlx::query("UPDATE orders SET ship_by = $1 WHERE id = $2")
                        .bind(ship_by)
                        .bind(order.id)
                        .execute(&mut *tx)
                        .await?;
                    jobs::schedule(tx, now, JOB_FLAG_OVERDUE, order.id, ship_by).await?;
                }
                OrderStatus::Shipped => {
                    let complete_by = order.complete_by.unwrap_or(at_least).max(at_least);
                    sqlx::query("UPDATE orders SET complete_by = $1 WHERE id = $2")
                        .bind(complete_by)
                        .bind(order.id)
                        .execute(&mut *tx)
                        .await?;
                    jobs::schedule(tx, now, JOB_AUTO_COMPLETE, order.id, complete_by).await?;
                }
                // Completed orders: the hold-release timer waits out the dispute by itself.
                _ => {}
            }
        }
        // The money side is `finance::settlement`; here the order stops waiting for anything.
        OrderAction::Refund | OrderAction::PartiallyRefund => {
            sqlx::query("UPDATE orders SET status_before_dispute = NULL WHERE id = $1")
                .bind(order.id)
                .execute(&mut *tx)
                .await?;
            jobs::cancel(tx, now, JOB_FLAG_OVERDUE, order.id).await?;
            jobs::cancel(tx, now, JOB_AUTO_COMPLETE, order.id).await?;
        }
    }
    Ok(to)
}

/// After a dispute decided for the seller, the shipping or completion deadline is at least this far.
pub const RESUME_GRACE_MS: i64 = 86_400_000;

/// A timeline row. `from == to` for flags that do not change the status (overdue).
#[allow(clippy::too_many_arguments)]
pub async fn record_event(
    tx: &mut AnyConnection,
    order_id: i64,
    from: &str,
    to: &str,
    action: &str,
    actor: Option<i64>,
    at: i64,
    note: &str,
) -> Result<(), AppError> {
    let note: String = note.chars().take(500).collect();
    sqlx::query(
        "INSERT INTO order_events (order_id, from_status, to_status, action, actor_id, at, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(order_id)
    .bind(from)
    .bind(to)
    .bind(action)
    .bind(actor)
    .bind(at)
    .bind(note)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Puts the order's quantities back on their variants and refreshes each listing's stock total.
async fn release_stock(tx: &mut AnyConnection, order_id: i64) -> Result<(), AppError> {
    let lines = sqlx::query("SELECT listing_id, variant_id, quantity FROM order_lines WHERE order_id = $1 ORDER BY id")
        .bind(order_id)
        .fetch_all(&mut *tx)
        .await?;
    let mut listings: Vec<i64> = vec![];
    for l in &lines {
        let (listing_id, variant_id, quantity): (i64, i64, i64) =
            (l.try_get("listing_id")?, l.try_get("variant_id")?, l.try_get("quantity")?);
        sqlx::query("UPDATE listing_variants SET stock = stock + $1 WHERE id = $2")
            .bind(quantity)
            .bind(variant_id)
            .execute(&mut *tx)
            .await?;
        if !listings.contains(&listing_id) {
            listings.push(listing_id);
        }
    }
    for listing_id in listings {
        sqlx::query(
            "UPDATE listings SET stock_total = (SELECT COALESCE(SUM(v.stock), 0) FROM listing_variants v \
             WHERE v.listing_id = $1 AND v.status <> 'removed') WHERE id = $1",
        )
        .bind(listing_id)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// An in-app notification about order `number` (message key `notify.<event_type>`, placeholder {number}).
pub async fn notify(
    tx: &mut AnyConnection,
    now: i64,
    user_id: i64,
    event_type: &str,
    number: &str,
) -> Result<(), AppError> {
    outbox::enqueue(tx, now, &OutboxEvent::notify(user_id, event_type, json!({ "number": number }))).await?;
    Ok(())
}

/// Tells every member of the seller organisation (the owner included).
pub async fn notify_seller(
    tx: &mut AnyConnection,
    now: i64,
    organisation_id: i64,
    event_type: &str,
    number: &str,
) -> Result<(), AppError> {
    let members: Vec<i64> = sqlx::query_scalar(
        "SELECT user_id FROM organisation_members WHERE organisation_id = $1 \
         UNION SELECT owner_user_id FROM organisations WHERE id = $1",
    )
    .bind(organisation_id)
    .fetch_all(&mut *tx)
    .await?;
    for user_id in members {
        notify(tx, now, user_id, event_type, number).await?;
    }
    Ok(())
}
