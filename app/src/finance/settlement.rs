//! Settling a refund: the seller accepted it or an operator decided a dispute. Inside the caller's
//! `Change`, under the order's lock: read where the order's money is, plan the refund with
//! `domain::refund::plan`, append its postings, record the refunded amount and reversed commission
//! on the order, and move the order to refunded or partially refunded. Old postings are never
//! touched: a refund is new entries.

use super::seller_finance;
use crate::domain::ledger::Account;
use crate::domain::order::OrderStatus;
use crate::domain::refund::{self, OrderMoney, RefundError, RefundPlan, Settlement};
use crate::error::{AppError, Context};
use crate::orders::flow::{self, JOB_RELEASE_HOLD};
use crate::platform::change::{Change, RowLock};
use crate::platform::jobs;
use crate::platform::ledger::PostingRefs;
use sqlx::AnyConnection;

/// A settled refund: the plan that was posted and what it left behind.
#[derive(Debug, Clone)]
pub struct SettledRefund {
    pub plan: RefundPlan,
    pub posting_id: i64,
    pub order_status: OrderStatus,
    /// The seller's available balance after the refund, when it came from available (negative when
    /// the seller could not cover it).
    pub seller_available_after: Option<i64>,
}

async fn posted(conn: &mut AnyConnection, key: &str) -> Result<bool, AppError> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM ledger_postings WHERE idempotency_key = $1")
        .bind(key)
        .fetch_optional(&mut *conn)
        .await
        .context("looking for an order's posting")?;
    Ok(id.is_some())
}

/// The order's money facts (no lock: callers that change anything lock the order first).
pub async fn order_money(conn: &mut AnyConnection, order_id: i64) -> Result<OrderMoney, AppError> {
    let order = flow::read_order(conn, order_id).await?;
    let (refunded, reversed): (i64, i64) = {
        use sqlx::Row;
        let r = sqlx::query("SELECT refunded_minor, refund_commission_minor FROM orders WHERE id = $1")
            .bind(order_id)
            .fetch_one(&mut *conn)
            .await
            .context("reading what was refunded on the order")?;
        (r.try_get("refunded_minor")?, r.try_get("refund_commission_minor")?)
    };
    let settlement = if !posted(conn, &format!("order:{order_id}:completed")).await? {
        Settlement::InClearing
    } else if posted(conn, &format!("order:{order_id}:hold_released")).await? {
        Settlement::Released
    } else {
        Settlement::Held
    };
    Ok(OrderMoney {
        currency: order.currency,
        seller: order.organisation_id,
        status: order.status,
        total_minor: order.total_minor,
        commission_minor: order.commission_minor,
        refunded_minor: refunded,
        refund_commission_minor: reversed,
        settlement,
    })
}

/// What a refund of `amount` would post now, for the detail pages' "ledger effect".
pub async fn preview(conn: &mut AnyConnection, order_id: i64, amount: i64) -> Result<RefundPlan, AppError> {
    let money = order_money(conn, order_id).await?;
    refund::plan(&money, amount).map_err(refusal)
}

fn refusal(e: RefundError) -> AppError {
    match e {
        RefundError::AmountNotPositive | RefundError::AmountTooLarge => AppError::invalid("amount", e.code()),
        RefundError::NotRefundable => AppError::conflict(e.code()),
        RefundError::Ledger(p) => AppError::internal(format!("refund posting refused: code={}", p.code())),
    }
}

/// Settles a refund of `amount` on the order under `key` (e.g. `refund:<id>` or
/// `dispute:<id>:decision`) in the caller's change, which already holds `RowLock::Order(order_id)`
/// (and possibly the refund's or dispute's lock): this takes the seller's finance lock when the seller
/// gives money back, posts, and moves the order. The caller audits, notifies and commits.
pub async fn settle(
    c: &mut Change,
    order_id: i64,
    amount: i64,
    key: &str,
    actor: Option<i64>,
    note: &str,
) -> Result<SettledRefund, AppError> {
    let order = flow::read_order(c.conn(), order_id).await.context("reading the order to refund")?;
    let now = c.now_ms();
    let money = order_money(c.conn(), order_id).await.context("reading where the order's money is")?;
    let plan = refund::plan(&money, amount).map_err(refusal)?;
    // Lock order: the seller's finance row before its balance rows (taken by `post`), as payout
    // requests do, so a refund and a payout of the same seller never wait for each other in a cycle.
    if plan.seller_account.is_some() {
        c.lock(RowLock::SellerFinance(order.organisation_id)).await?;
    }
    let refs = PostingRefs { order_id: Some(order.id), checkout_id: Some(order.checkout_id) };
    let posting_id = c.post(key, &plan.refund, refs, &format!("refund on order {}", order.number)).await?;
    if let Some(rest) = &plan.remainder {
        let memo = format!("order {} settled after a partial refund", order.number);
        c.post(&format!("order:{}:completed", order.id), rest, refs, &memo).await?;
        let release_at = now + c.state().settings().settlement_hold_ms;
        jobs::schedule(c.conn(), now, JOB_RELEASE_HOLD, order.id, release_at)
            .await
            .context("scheduling the hold release")?;
    }
    sqlx::query(
        "UPDATE orders SET refunded_minor = refunded_minor + $1, refund_commission_minor = refund_commission_minor + $2 \
         WHERE id = $3",
    )
    .bind(plan.amount_minor)
    .bind(plan.commission_reversed_minor)
    .bind(order.id)
    .execute(c.conn())
    .await
    .context("recording the refunded amount on the order")?;
    let state = c.state().clone();
    let order_status = flow::transition_in(c.conn(), &state, order.id, plan.action, actor, note).await?;
    let seller_available_after = match &plan.seller_account {
        Some(Account::SellerAvailable(org)) => {
            let available = seller_finance::balances(c.conn(), *org, money.currency.code()).await?.available_minor;
            if available < 0 {
                seller_finance::mark_negative(c.conn(), *org, now).await?;
            }
            Some(available)
        }
        _ => None,
    };
    Ok(SettledRefund { plan, posting_id, order_status, seller_available_after })
}

/// What the order's postings left in the seller's pending balance: its completion less refunds
/// taken back from pending. The hold release moves exactly this to available.
pub async fn pending_of_order(conn: &mut AnyConnection, order_id: i64, seller: i64) -> Result<i64, AppError> {
    let sum: Option<i64> = sqlx::query_scalar(
        "SELECT CAST(SUM(e.amount_minor) AS BIGINT) FROM ledger_entries e \
         JOIN ledger_postings p ON p.id = e.posting_id JOIN ledger_accounts a ON a.id = e.account_id \
         WHERE p.order_id = $1 AND a.code = $2",
    )
    .bind(order_id)
    .bind(Account::SellerPending(seller).code())
    .fetch_one(&mut *conn)
    .await
    .context("summing the order's pending earnings")?;
    // Credits are negative: the seller's pending liability for this order is minus the sum.
    Ok(-sum.unwrap_or(0))
}
