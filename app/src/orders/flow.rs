//! The order state machine's effects, inside a `Change`: `lock` takes the order's row lock and reads
//! it; `transition` applies `domain::order` to it, writes the new status, its timestamps and a
//! timeline row, does what the new state needs (timers, stock, ledger, notifications) and records
//! the audit entry the caller named in its `Step` (or states that the caller's own entry covers it).
//! The `Change` refuses to commit a privileged change without an audit entry, so no caller can
//! forget it.

use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::ledger::Posting;
use crate::domain::money::Currency;
use crate::domain::order::{OrderAction, OrderStatus, AUTO_COMPLETE_AFTER_MS, SHIP_WITHIN_MS};
use crate::domain::webhook::Scope;
use crate::error::{AppError, Context};
use crate::notifications::fanout::Recipients;
use crate::platform::change::{Audit, Change, RowLock};
use crate::platform::db::Backend;
use crate::platform::jobs;
use crate::platform::ledger::PostingRefs;
use crate::platform::outbox::OutboxEvent;
use crate::platform::sql::{lock_row, Arg, Sql};
use serde_json::{json, Value};
use sqlx::AnyConnection;

pub const JOB_CANCEL_UNPAID: &str = "order.cancel_unpaid";
pub const JOB_FLAG_OVERDUE: &str = "order.flag_overdue";
pub const JOB_AUTO_COMPLETE: &str = "order.auto_complete";
pub const JOB_RELEASE_HOLD: &str = "ledger.release_hold";

/// After a dispute decided for the seller, the shipping or completion deadline is at least this far.
pub const RESUME_GRACE_MS: i64 = 86_400_000;

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

/// The columns of `OrderRecord`.
const ORDER_COLUMNS: &str = "id, number, checkout_id, buyer_id, organisation_id, status, currency, total_minor, \
     commission_minor, overdue, pay_by, ship_by, complete_by";

/// An `orders` row as the flow selects it.
#[derive(sqlx::FromRow)]
struct OrderRecord {
    id: i64,
    number: String,
    checkout_id: i64,
    buyer_id: i64,
    organisation_id: i64,
    status: String,
    currency: String,
    total_minor: i64,
    commission_minor: i64,
    overdue: i64,
    pay_by: i64,
    ship_by: Option<i64>,
    complete_by: Option<i64>,
}

impl OrderRecord {
    fn order(self) -> Result<LockedOrder, AppError> {
        Ok(LockedOrder {
            id: self.id,
            number: self.number,
            checkout_id: self.checkout_id,
            buyer_id: self.buyer_id,
            organisation_id: self.organisation_id,
            status: OrderStatus::parse(&self.status).ok_or_else(|| corrupt("status", &self.status))?,
            currency: Currency::parse(&self.currency).ok_or_else(|| corrupt("currency", &self.currency))?,
            total_minor: self.total_minor,
            commission_minor: self.commission_minor,
            overdue: self.overdue != 0,
            pay_by: self.pay_by,
            ship_by: self.ship_by,
            complete_by: self.complete_by,
        })
    }
}

#[track_caller]
fn corrupt(what: &str, value: &str) -> AppError {
    AppError::internal(format!("order row with an unknown value: what={what} value={value}"))
}

/// Reads the order without locking it (pages and previews). `NotFound` when absent.
pub async fn read_order(conn: &mut AnyConnection, order_id: i64) -> Result<LockedOrder, AppError> {
    let record: Option<OrderRecord> = sqlx::query_as(&format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id = $1"))
        .bind(order_id)
        .fetch_optional(&mut *conn)
        .await
        .context("reading the order")?;
    record.ok_or(AppError::NotFound)?.order()
}

/// Takes the order's row lock in the change (`RowLock::Order`, in the kit's lock order) and reads
/// the order under it. `NotFound` when absent.
pub async fn lock(c: &mut Change, order_id: i64) -> Result<LockedOrder, AppError> {
    let record: Option<OrderRecord> =
        c.lock_returning(RowLock::Order(order_id), ORDER_COLUMNS).await.context("locking the order")?;
    record.ok_or(AppError::NotFound)?.order()
}

/// Takes the row locks of `order_ids` in the change (in lock order) and reads the orders under
/// them, in one statement; ascending ids. `NotFound` when one of them is absent.
pub async fn lock_all(c: &mut Change, order_ids: &[i64]) -> Result<Vec<LockedOrder>, AppError> {
    let records: Vec<OrderRecord> = c
        .lock_all_returning(order_ids.iter().map(|id| RowLock::Order(*id)), ORDER_COLUMNS)
        .await
        .context("locking the orders")?;
    let mut orders = records.into_iter().map(OrderRecord::order).collect::<Result<Vec<_>, _>>()?;
    orders.sort_by_key(|o| o.id);
    orders.dedup_by_key(|o| o.id);
    if orders.len() != order_ids.iter().collect::<std::collections::BTreeSet<_>>().len() {
        return Err(AppError::NotFound);
    }
    Ok(orders)
}

/// `lock` for `action`. A cancellation may cancel the checkout's payment too (when it closes the
/// checkout's last open order), so it takes the payment's lock first: a payment comes before its
/// orders in the lock order (`RowLock`), as an approval takes them. The other way round, a
/// cancellation (order, then payment) and an approval (payment, then orders) could each wait for
/// the other on PostgreSQL.
pub async fn lock_for(c: &mut Change, order_id: i64, action: OrderAction) -> Result<LockedOrder, AppError> {
    if action == OrderAction::Cancel {
        let payments: Vec<i64> = sqlx::query_scalar(
            "SELECT p.id FROM payments p JOIN orders o ON o.checkout_id = p.checkout_id WHERE o.id = $1 ORDER BY p.id",
        )
        .bind(order_id)
        .fetch_all(c.conn())
        .await
        .context("reading the order's payments")?;
        c.lock_all(payments.into_iter().map(RowLock::Payment)).await?;
    }
    lock(c, order_id).await
}

/// The same on a bare transaction, for the callers that do not run in a `Change` yet (refund
/// settlement, disputes). Inside a `Change` use `lock`, which keeps the lock order.
pub async fn lock_order(conn: &mut AnyConnection, order_id: i64) -> Result<LockedOrder, AppError> {
    if !lock_row(conn, RowLock::Order(order_id), 0).await.context("locking the order")? {
        return Err(AppError::NotFound);
    }
    read_order(conn, order_id).await
}

/// How a transition is audited. The caller has to say: the transition records it, or the caller's
/// own entry covers it.
#[derive(Debug, Clone)]
pub enum Audited {
    /// The transition is the change's decision: `action` on the order, before and after its status;
    /// the value's fields (an object) are added to "after" (e.g. the shipment).
    As(AuditAction, Value),
    /// One entry of the caller covers this transition and others (a payment approval names every
    /// order of the checkout). The `Change` still refuses to commit without it.
    ByCaller,
}

/// One step of an order: what happens, who does it (`None`: the system), the timeline note (a
/// message key or the actor's text) and how it is audited.
#[derive(Debug, Clone)]
pub struct Step<'a> {
    pub action: OrderAction,
    pub actor: Option<i64>,
    pub note: &'a str,
    pub audit: Audited,
}

/// What a transition leaves for the change to do once the order's own rows are written.
enum Effect {
    Buyer(&'static str),
    Post { key: String, posting: Posting, memo: String },
}

/// Applies the step to `order` (locked by `lock` in this change): checks the state machine against
/// the state read under the lock, writes the new status with its timestamps and a timeline row, and
/// runs the side effects:
/// - Pay: `ship_by` = now + 3 days and the overdue timer; the seller is told.
/// - Cancel: stock goes back, timers are cancelled, and the checkout's payment is cancelled once
///   every order of the checkout is; the buyer is told.
/// - Ship: `complete_by` = now + 7 days and the auto-complete timer; the buyer is told.
/// - Confirm / AutoComplete: the ledger's order_completed posting and the hold-release timer.
///
/// A refused transition is `Conflict` with the domain's code (`orders.not_paid`, `orders.already_paid`...).
pub async fn transition(c: &mut Change, order: &LockedOrder, step: Step<'_>) -> Result<OrderStatus, AppError> {
    if step.action == OrderAction::Pay {
        pay_all(c, std::slice::from_ref(order), step).await?;
        return Ok(OrderStatus::Paid);
    }
    let (now, hold_ms) = (c.now_ms(), c.state().settings().settlement_hold_ms);
    let (to, effects) = apply(c.conn(), order, step.action, step.actor, step.note, now, hold_ms).await?;
    let payload = json!({ "number": order.number });
    for effect in effects {
        match effect {
            Effect::Buyer(event) => c.notify(OutboxEvent::notify(order.buyer_id, event, payload.clone())).await?,
            Effect::Post { key, posting, memo } => {
                let refs = PostingRefs { order_id: Some(order.id), checkout_id: Some(order.checkout_id) };
                c.post(&key, &posting, refs, &memo).await.context("posting the order's completion")?;
            }
        }
    }
    // The seller's webhooks hear of every move their scope offers (orders.paid, .shipped, ...).
    let data = json!({ "order_id": order.id, "number": order.number, "status": to.as_str() });
    crate::webhooks::publish(
        c,
        crate::domain::webhook::Scope::Seller(order.organisation_id),
        &format!("orders.{}", to.as_str()),
        data,
    )
    .await?;
    audit_step(c, order, to, &step.audit).await?;
    Ok(to)
}

/// Pays `orders` (locked by `lock_all` in this change: every order of the checkout a payment
/// approval pays) as `transition` pays one, in one statement per table rather than per order and
/// table: the statuses with `paid_at` and `ship_by`, the timeline rows, the unpaid timers cancelled,
/// the overdue timers scheduled, each seller told, each seller's webhooks. An approval runs inside
/// SQLite's one writer, so each statement counts: for three orders, 21 became 7.
pub async fn pay_all(c: &mut Change, orders: &[LockedOrder], step: Step<'_>) -> Result<(), AppError> {
    if step.action != OrderAction::Pay {
        return Err(AppError::internal(format!("pay_all with the step {}", step.action.as_str())));
    }
    if orders.is_empty() {
        return Ok(());
    }
    let (now, ship_by) = (c.now_ms(), c.now_ms() + SHIP_WITHIN_MS);
    let mut paid = vec![];
    for order in orders {
        let to = order.status.apply(OrderAction::Pay).map_err(|e| AppError::conflict(e.code()))?;
        paid.push((order, to));
    }
    let ids: Vec<i64> = orders.iter().map(|o| o.id).collect();
    write_paid(c.conn(), &paid, now, ship_by).await?;
    let events: Vec<Event> = paid.iter().map(|(o, to)| Event::of(o, *to, step.action, step.actor, step.note)).collect();
    record_events(c.conn(), now, &events).await?;
    jobs::cancel_many(c.conn(), now, JOB_CANCEL_UNPAID, &ids).await.context("cancelling the orders' timers")?;
    let timers: Vec<(i64, i64)> = ids.iter().map(|id| (*id, ship_by)).collect();
    let backend = Backend::of_conn(c.conn());
    jobs::schedule_many(c.conn(), backend, now, JOB_FLAG_OVERDUE, &timers)
        .await
        .context("scheduling the orders' timers")?;
    let told: Vec<(Recipients, Value)> =
        orders.iter().map(|o| (Recipients::SellerMembers(o.organisation_id), json!({ "number": o.number }))).collect();
    c.notify_each("orders.paid", &told).await?;
    let hooks: Vec<(Scope, Value)> = paid
        .iter()
        .map(|(o, to)| {
            (Scope::Seller(o.organisation_id), json!({ "order_id": o.id, "number": o.number, "status": to.as_str() }))
        })
        .collect();
    crate::webhooks::publish_each(c, "orders.paid", hooks).await?;
    for (order, to) in paid {
        audit_step(c, order, to, &step.audit).await?;
    }
    Ok(())
}

/// Every order's status, `paid_at`, `ship_by`, each only if still what was read under the lock.
async fn write_paid(
    conn: &mut AnyConnection,
    paid: &[(&LockedOrder, OrderStatus)],
    now: i64,
    ship_by: i64,
) -> Result<(), AppError> {
    let mut sql = Sql::new(Backend::of_conn(conn), "UPDATE orders SET status = ");
    let (to, at, by, from) = (
        sql.arg(OrderStatus::Paid.as_str()),
        sql.arg(now),
        sql.arg(ship_by),
        sql.arg(OrderStatus::PendingPayment.as_str()),
    );
    let ids = sql.list(paid.iter().map(|(o, _)| o.id));
    sql.push(&format!(
        "{to}, paid_at = {at}, ship_by = {by}, updated_at = {at} WHERE status = {from} AND id IN ({ids})"
    ));
    let changed = sql.query().execute(&mut *conn).await.context("writing the orders' status")?.rows_affected();
    if changed != paid.len() as u64 {
        return Err(AppError::conflict("orders.changed_meanwhile"));
    }
    Ok(())
}

/// The audit entry `audit` asks for, on one order's step.
async fn audit_step(c: &mut Change, order: &LockedOrder, to: OrderStatus, audit: &Audited) -> Result<(), AppError> {
    if let Audited::As(action, extra) = audit {
        let mut after = json!({ "status": to.as_str() });
        if let (Some(after), Value::Object(extra)) = (after.as_object_mut(), extra) {
            after.extend(extra.clone());
        }
        let entry =
            Audit::new(*action, AuditTarget::Order(order.id)).before(json!({ "status": order.status.as_str() }));
        c.audit(entry.after(after)).await?;
    }
    Ok(())
}

/// `transition` for the callers that hold a bare transaction and audit themselves (refund
/// settlement, disputes): only for the steps that neither notify nor post (disputes and refunds).
pub async fn transition_in(
    conn: &mut AnyConnection,
    state: &crate::platform::state::AppState,
    order_id: i64,
    action: OrderAction,
    actor: Option<i64>,
    note: &str,
) -> Result<OrderStatus, AppError> {
    let order = lock_order(conn, order_id).await?;
    let (now, hold_ms) = (state.now_ms(), state.settings().settlement_hold_ms);
    let (to, effects) = apply(conn, &order, action, actor, note, now, hold_ms).await?;
    if !effects.is_empty() {
        return Err(AppError::internal(format!("order step {} outside a Change", action.as_str())));
    }
    Ok(to)
}

/// The status change and its timers; returns the new status and what is left for the change.
async fn apply(
    conn: &mut AnyConnection,
    order: &LockedOrder,
    action: OrderAction,
    actor: Option<i64>,
    note: &str,
    now: i64,
    hold_ms: i64,
) -> Result<(OrderStatus, Vec<Effect>), AppError> {
    if action == OrderAction::Pay {
        // Paying has its own path, for one order or all of a checkout's at once.
        return Err(AppError::internal("order step pay outside pay_all".to_string()));
    }
    let to = next_status(conn, order, action).await?;
    write_status(conn, order, action, to, now).await?;
    record_events(conn, now, &[Event::of(order, to, action, actor, note)]).await?;
    let effects = match action {
        OrderAction::Pay => vec![],
        OrderAction::Cancel => on_cancel(conn, order, now).await?,
        OrderAction::Ship => on_ship(conn, order, now).await?,
        OrderAction::Confirm | OrderAction::AutoComplete => on_complete(conn, order, now, hold_ms).await?,
        OrderAction::OpenDispute => on_open_dispute(conn, order, now).await?,
        OrderAction::CloseDispute => on_close_dispute(conn, order, to, now).await?,
        OrderAction::Refund | OrderAction::PartiallyRefund => on_refund(conn, order, now).await?,
    };
    Ok((to, effects))
}

/// The state machine's answer for `action` on the order as read under the lock.
async fn next_status(
    conn: &mut AnyConnection,
    order: &LockedOrder,
    action: OrderAction,
) -> Result<OrderStatus, AppError> {
    let from = order.status;
    let to = if action == OrderAction::CloseDispute {
        let before: Option<String> = sqlx::query_scalar("SELECT status_before_dispute FROM orders WHERE id = $1")
            .bind(order.id)
            .fetch_one(&mut *conn)
            .await
            .context("reading the status before the dispute")?;
        let before =
            before.as_deref().and_then(OrderStatus::parse).ok_or_else(|| corrupt("status_before_dispute", ""))?;
        from.close_dispute(before)
    } else {
        from.apply(action)
    };
    to.map_err(|e| AppError::conflict(e.code()))
}

/// The deadline a step sets with its status: shipped orders complete by themselves later (paid ones
/// must ship in time: `pay_all` writes their `ship_by`). Written in the status's own UPDATE.
fn deadline_of(action: OrderAction, now: i64) -> Option<(&'static str, i64)> {
    match action {
        OrderAction::Ship => Some(("complete_by", now + AUTO_COMPLETE_AFTER_MS)),
        _ => None,
    }
}

async fn write_status(
    conn: &mut AnyConnection,
    order: &LockedOrder,
    action: OrderAction,
    to: OrderStatus,
    now: i64,
) -> Result<(), AppError> {
    let stamp = match action {
        OrderAction::Cancel => "cancelled_at = $2, ",
        // A shipped order is no longer overdue.
        OrderAction::Ship => "shipped_at = $2, overdue = 0, ",
        OrderAction::Confirm | OrderAction::AutoComplete => "completed_at = $2, ",
        // PostgreSQL refuses `updated_at` assigned twice: actions without their own stamp set it once.
        _ => "",
    };
    let deadline = deadline_of(action, now);
    let set_deadline = deadline.map_or(String::new(), |(column, _)| format!("{column} = $5, "));
    let sql =
        format!("UPDATE orders SET status = $1, {stamp}{set_deadline}updated_at = $2 WHERE id = $3 AND status = $4");
    let mut q = sqlx::query(&sql).bind(to.as_str()).bind(now).bind(order.id).bind(order.status.as_str());
    if let Some((_, at)) = deadline {
        q = q.bind(at);
    }
    let changed = q.execute(&mut *conn).await.context("writing the order's status")?.rows_affected();
    if changed != 1 {
        return Err(AppError::conflict("orders.changed_meanwhile"));
    }
    Ok(())
}

async fn set_deadline(conn: &mut AnyConnection, column: &str, at: i64, order_id: i64) -> Result<(), AppError> {
    sqlx::query(&format!("UPDATE orders SET {column} = $1 WHERE id = $2"))
        .bind(at)
        .bind(order_id)
        .execute(&mut *conn)
        .await
        .context("setting the order's deadline")?;
    Ok(())
}

async fn cancel_jobs(conn: &mut AnyConnection, now: i64, order_id: i64, kinds: &[&str]) -> Result<(), AppError> {
    for kind in kinds {
        jobs::cancel(conn, now, kind, order_id).await.context("cancelling the order's timers")?;
    }
    Ok(())
}

async fn schedule(conn: &mut AnyConnection, now: i64, kind: &str, order_id: i64, at: i64) -> Result<(), AppError> {
    jobs::schedule(conn, now, kind, order_id, at).await.context("scheduling the order's timer")?;
    Ok(())
}

async fn on_cancel(conn: &mut AnyConnection, order: &LockedOrder, now: i64) -> Result<Vec<Effect>, AppError> {
    release_stock(conn, order.id).await?;
    cancel_jobs(conn, now, order.id, &[JOB_CANCEL_UNPAID, JOB_FLAG_OVERDUE]).await?;
    let still_open: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE checkout_id = $1 AND status <> 'cancelled'")
            .bind(order.checkout_id)
            .fetch_one(&mut *conn)
            .await
            .context("counting the checkout's open orders")?;
    if still_open == 0 {
        sqlx::query(
            "UPDATE payments SET status = 'cancelled', updated_at = $1 \
             WHERE checkout_id = $2 AND status IN ('pending', 'proof_submitted', 'rejected')",
        )
        .bind(now)
        .bind(order.checkout_id)
        .execute(&mut *conn)
        .await
        .context("cancelling the checkout's payment")?;
        sqlx::query("UPDATE checkouts SET status = 'cancelled' WHERE id = $1")
            .bind(order.checkout_id)
            .execute(&mut *conn)
            .await
            .context("cancelling the checkout")?;
    }
    Ok(vec![Effect::Buyer("orders.cancelled")])
}

async fn on_ship(conn: &mut AnyConnection, order: &LockedOrder, now: i64) -> Result<Vec<Effect>, AppError> {
    let complete_by = now + AUTO_COMPLETE_AFTER_MS; // written with the status (`deadline_of`)
    cancel_jobs(conn, now, order.id, &[JOB_FLAG_OVERDUE]).await?;
    schedule(conn, now, JOB_AUTO_COMPLETE, order.id, complete_by).await?;
    Ok(vec![Effect::Buyer("orders.shipped")])
}

async fn on_complete(
    conn: &mut AnyConnection,
    order: &LockedOrder,
    now: i64,
    hold_ms: i64,
) -> Result<Vec<Effect>, AppError> {
    let posting =
        Posting::order_completed(order.currency, order.organisation_id, order.total_minor, order.commission_minor)
            .map_err(|e| {
                AppError::internal(format!("order_completed posting refused: order_id={} code={}", order.id, e.code()))
            })?;
    cancel_jobs(conn, now, order.id, &[JOB_AUTO_COMPLETE]).await?;
    schedule(conn, now, JOB_RELEASE_HOLD, order.id, now + hold_ms).await?;
    Ok(vec![
        Effect::Post {
            key: format!("order:{}:completed", order.id),
            posting,
            memo: format!("order {} completed", order.number),
        },
        Effect::Buyer("orders.completed"),
    ])
}

/// The dispute pauses the order's timers; the status it interrupted is kept to resume.
async fn on_open_dispute(conn: &mut AnyConnection, order: &LockedOrder, now: i64) -> Result<Vec<Effect>, AppError> {
    sqlx::query("UPDATE orders SET status_before_dispute = $1 WHERE id = $2")
        .bind(order.status.as_str())
        .bind(order.id)
        .execute(&mut *conn)
        .await
        .context("keeping the status before the dispute")?;
    cancel_jobs(conn, now, order.id, &[JOB_FLAG_OVERDUE, JOB_AUTO_COMPLETE]).await?;
    Ok(vec![])
}

/// Decided for the seller: the timers resume, leaving the buyer (or seller) at least a day.
async fn on_close_dispute(
    conn: &mut AnyConnection,
    order: &LockedOrder,
    to: OrderStatus,
    now: i64,
) -> Result<Vec<Effect>, AppError> {
    clear_status_before_dispute(conn, order.id).await?;
    let at_least = now + RESUME_GRACE_MS;
    match to {
        OrderStatus::Paid => {
            let ship_by = order.ship_by.unwrap_or(at_least).max(at_least);
            set_deadline(conn, "ship_by", ship_by, order.id).await?;
            schedule(conn, now, JOB_FLAG_OVERDUE, order.id, ship_by).await?;
        }
        OrderStatus::Shipped => {
            let complete_by = order.complete_by.unwrap_or(at_least).max(at_least);
            set_deadline(conn, "complete_by", complete_by, order.id).await?;
            schedule(conn, now, JOB_AUTO_COMPLETE, order.id, complete_by).await?;
        }
        // Completed orders: the hold-release timer waits out the dispute by itself.
        _ => {}
    }
    Ok(vec![])
}

/// The money side is `finance::settlement`; here the order stops waiting for anything.
async fn on_refund(conn: &mut AnyConnection, order: &LockedOrder, now: i64) -> Result<Vec<Effect>, AppError> {
    clear_status_before_dispute(conn, order.id).await?;
    cancel_jobs(conn, now, order.id, &[JOB_FLAG_OVERDUE, JOB_AUTO_COMPLETE]).await?;
    Ok(vec![])
}

async fn clear_status_before_dispute(conn: &mut AnyConnection, order_id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE orders SET status_before_dispute = NULL WHERE id = $1")
        .bind(order_id)
        .execute(&mut *conn)
        .await
        .context("clearing the status before the dispute")?;
    Ok(())
}

/// A timeline row: what moved the order from one status to another, by whom, with which note (a
/// message key or the actor's text). `from == to` for flags that do not change the status (overdue).
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub order_id: i64,
    pub from: &'a str,
    pub to: &'a str,
    pub action: &'a str,
    pub actor: Option<i64>,
    pub note: &'a str,
}

impl<'a> Event<'a> {
    /// The row of `action` taking `order` to `to`.
    fn of(
        order: &'a LockedOrder,
        to: OrderStatus,
        action: OrderAction,
        actor: Option<i64>,
        note: &'a str,
    ) -> Event<'a> {
        Event { order_id: order.id, from: order.status.as_str(), to: to.as_str(), action: action.as_str(), actor, note }
    }
}

/// Writes the timeline rows at `at`, in one statement; notes are cut to 500 characters.
pub async fn record_events(conn: &mut AnyConnection, at: i64, events: &[Event<'_>]) -> Result<(), AppError> {
    if events.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(
        Backend::of_conn(conn),
        "INSERT INTO order_events (order_id, from_status, to_status, action, actor_id, at, note) VALUES ",
    );
    for e in events {
        let note: String = e.note.chars().take(500).collect();
        let actor = e.actor.map_or(Arg::NullInt, Arg::Int);
        sql.values_row(vec![
            e.order_id.into(),
            e.from.into(),
            e.to.into(),
            e.action.into(),
            actor,
            at.into(),
            note.into(),
        ]);
    }
    sql.query().execute(&mut *conn).await.context("writing the order's timeline")?;
    Ok(())
}

/// Puts the order's quantities back on their variants; each listing's stock total follows by
/// trigger (migration 0015). Variants in (listing, variant) order, the order checkout takes them in.
async fn release_stock(conn: &mut AnyConnection, order_id: i64) -> Result<(), AppError> {
    let lines: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT listing_id, variant_id, quantity FROM order_lines WHERE order_id = $1 ORDER BY listing_id, variant_id",
    )
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await
    .context("reading the order's lines")?;
    for (_, variant_id, quantity) in lines {
        sqlx::query("UPDATE listing_variants SET stock = stock + $1 WHERE id = $2")
            .bind(quantity)
            .bind(variant_id)
            .execute(&mut *conn)
            .await
            .context("putting stock back")?;
    }
    Ok(())
}
