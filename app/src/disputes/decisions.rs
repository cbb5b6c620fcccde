//! The operator's side of a dispute: the console page with the ledger effect of a refund, the
//! preview of a partial one, and the decision. A decision is one `Change`: the dispute's lock, then
//! the order's, then (inside `finance::settlement::settle`) the seller's finance row; a refund moves
//! money only through `settle`. Decisions are idempotent by key (`decision_key`/`decision_hash`).

use super::messages_service::view;
use super::model::{ConsoleDispute, EffectLine, LedgerEffect};
use super::opening::new_idempotency_key;
use super::queries::{facts, DisputeFacts, Scope};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::dispute::{self, Decision, DisputeStatus};
use crate::domain::ledger::{Account, Posting};
use crate::domain::money::Money;
use crate::domain::order::{OrderAction, OrderStatus};
use crate::domain::permissions::DISPUTES_DECIDE;
use crate::domain::reason::Reason;
use crate::domain::refund::{self, OrderMoney, RefundPlan};
use crate::error::{AppError, Context};
use crate::finance::{seller_finance, settlement};
use crate::orders::flow;
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change, RowLock};
use crate::platform::idempotency::{fingerprint, key_reused, IdempotencyOutcome};
use crate::platform::outbox::OutboxEvent;
use crate::platform::state::AppState;
use serde_json::json;

fn effect_lines(p: &Posting) -> Vec<EffectLine> {
    p.entries.iter().map(|e| EffectLine { account: e.account.code(), amount_minor: e.amount_minor }).collect()
}

/// The ledger effect of a plan, with the seller's available balance after it (when charged there).
fn effect_of(plan: &RefundPlan, available_now: i64) -> LedgerEffect {
    let source = match &plan.seller_account {
        Some(Account::SellerPending(_)) => "pending",
        Some(Account::SellerAvailable(_)) => "available",
        _ => "clearing",
    };
    let order_status_after =
        if plan.action == OrderAction::Refund { OrderStatus::Refunded } else { OrderStatus::PartiallyRefunded };
    LedgerEffect {
        amount_minor: plan.amount_minor,
        commission_reversed_minor: plan.commission_reversed_minor,
        seller_share_minor: plan.seller_share_minor,
        source: source.to_string(),
        lines: effect_lines(&plan.refund),
        remainder: plan.remainder.as_ref().map(effect_lines).unwrap_or_default(),
        seller_available_after: (source == "available").then(|| available_now - plan.seller_share_minor),
        order_status_after: order_status_after.as_str().to_string(),
    }
}

/// What refunding `amount` (typed, major units) on the dispute's order would post now.
pub async fn preview(state: &AppState, id: i64, amount: &str) -> Result<LedgerEffect, AppError> {
    let mut conn = state.db.read().acquire().await.context("opening a read connection")?;
    let d = facts(&mut conn, id).await?;
    let amount = Money::parse(amount, d.currency).map_err(|e| AppError::invalid("amount", e.code()))?.minor;
    let plan = settlement::preview(&mut conn, d.order_id, amount).await?;
    let available = seller_finance::balances(&mut conn, d.organisation_id, d.currency.code()).await?.available_minor;
    Ok(effect_of(&plan, available))
}

/// The console's dispute page.
pub async fn console_detail(
    state: &AppState,
    caller: &Caller,
    id: i64,
    ledger: bool,
) -> Result<ConsoleDispute, AppError> {
    let dispute = view(state, id, Scope::Console).await?;
    let order =
        crate::orders::service::detail(state, &dispute.order_number, crate::orders::service::Scope::Console { ledger })
            .await?;
    let mut conn = state.db.read().acquire().await.context("opening a read connection")?;
    let d = facts(&mut conn, id).await?;
    let status_before_dispute: Option<String> =
        sqlx::query_scalar("SELECT status_before_dispute FROM orders WHERE id = $1")
            .bind(d.order_id)
            .fetch_one(&mut *conn)
            .await
            .context("reading the order's status before the dispute")?;
    let money = settlement::order_money(&mut conn, d.order_id).await.context("reading the order's money")?;
    let balances = seller_finance::balances(&mut conn, d.organisation_id, d.currency.code()).await?;
    let finance = seller_finance::read(&mut conn, d.organisation_id).await?;
    let open = d.status == DisputeStatus::Open;
    let full_effect = if open && money.refundable_minor() > 0 {
        refund::plan(&money, money.refundable_minor()).ok().map(|p| effect_of(&p, balances.available_minor))
    } else {
        None
    };
    Ok(ConsoleDispute {
        dispute,
        order,
        status_before_dispute,
        refundable_minor: money.refundable_minor(),
        pending_minor: balances.pending_minor,
        available_minor: balances.available_minor,
        in_transit_minor: balances.in_transit_minor,
        negative_since_ms: finance.negative_since,
        full_effect,
        can_decide: open && caller.can(DISPUTES_DECIDE),
        idempotency_key: new_idempotency_key(),
    })
}

/// The result of a decision (also what a retry with the same key returns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    pub status: DisputeStatus,
    pub posting_id: Option<i64>,
}

/// The operator's decision as typed.
pub struct DecisionInput<'a> {
    pub kind: &'a str,
    pub amount: &'a str,
    pub reason: &'a Reason,
    pub key: &'a str,
}

/// A retry or a reuse of the decision key. A decided dispute answers a retry of its own decision
/// (same key, same request) with the first result; the same key with another request, or a key
/// already used on another dispute, is `idempotency.key_reused`; any other second decision is
/// `disputes.already_decided`. `Ok(None)`: decide now.
async fn replay(c: &mut Change, d: &DisputeFacts, key: &str, fp: &str) -> Result<Option<Decided>, AppError> {
    if d.status != DisputeStatus::Open {
        if d.decision_key.as_deref() != Some(key) {
            return Err(AppError::conflict("disputes.already_decided"));
        }
        let first = Decided { status: d.status, posting_id: d.posting_id };
        return IdempotencyOutcome::decide(Some((first, d.decision_hash.as_deref())), fp)
            .replay()
            .map_err(AppError::conflict);
    }
    let reused: Option<i64> = sqlx::query_scalar("SELECT id FROM disputes WHERE decision_key = $1 LIMIT 1")
        .bind(key)
        .fetch_optional(c.conn())
        .await
        .context("looking for the decision key")?;
    match reused {
        Some(_) => Err(key_reused()),
        None => Ok(None),
    }
}

/// What the decision did to the money.
struct Outcome {
    posting_id: Option<i64>,
    refunded: Option<i64>,
    available_after: Option<i64>,
}

/// Refunds through `settlement::settle` (key `dispute:<id>:decision`) or returns the order to where
/// the dispute found it.
async fn apply(
    c: &mut Change,
    id: i64,
    d: &DisputeFacts,
    decision: &Decision,
    money: &OrderMoney,
    by: i64,
) -> Result<Outcome, AppError> {
    let note = format!("dispute {id}: {}", decision.as_str());
    match decision.refund_amount(money.refundable_minor()) {
        None => {
            let state = c.state().clone();
            flow::transition_in(c.conn(), &state, d.order_id, OrderAction::CloseDispute, Some(by), &note).await?;
            Ok(Outcome { posting_id: None, refunded: None, available_after: None })
        }
        Some(refund_minor) => {
            let key = format!("dispute:{id}:decision");
            let settled = settlement::settle(c, d.order_id, refund_minor, &key, Some(by), &note).await?;
            Ok(Outcome {
                posting_id: Some(settled.posting_id),
                refunded: Some(refund_minor),
                available_after: settled.seller_available_after,
            })
        }
    }
}

/// Stores the decision on the dispute if it is still open.
#[allow(clippy::too_many_arguments)]
async fn store(
    c: &mut Change,
    id: i64,
    to: DisputeStatus,
    decision: &Decision,
    reason: &Reason,
    o: &Outcome,
    by: i64,
    key: &str,
    fp: &str,
) -> Result<(), AppError> {
    let now = c.now_ms();
    let changed = sqlx::query(
        "UPDATE disputes SET status = $1, decision = $2, decision_amount_minor = $3, decision_reason = $4, \
         decided_by = $5, decided_at = $6, posting_id = $7, decision_key = $8, decision_hash = $9, updated_at = $6 \
         WHERE id = $10 AND status = $11",
    )
    .bind(to.as_str())
    .bind(decision.as_str())
    .bind(o.refunded)
    .bind(reason.as_str())
    .bind(by)
    .bind(now)
    .bind(o.posting_id)
    .bind(key)
    .bind(fp)
    .bind(id)
    .bind(DisputeStatus::Open.as_str())
    .execute(c.conn())
    .await
    .context("storing the decision")?
    .rows_affected();
    if changed != 1 {
        return Err(AppError::conflict("disputes.already_decided"));
    }
    Ok(())
}

/// Decides an open dispute in one change: re-reads it under its lock (a second decision is
/// `disputes.already_decided`), refunds or returns the order (`apply`), stores the decision, tells
/// both sides and audits `disputes.decide`. The same idempotency key with the same request returns
/// the first result.
pub async fn decide(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    input: DecisionInput<'_>,
) -> Result<Decided, AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    if !c.lock(RowLock::Dispute(id)).await? {
        return Err(AppError::NotFound);
    }
    let d = facts(c.conn(), id).await?;
    let kind = input.kind.trim();
    let amount = if kind == "refund_partial" { input.amount.trim() } else { "" };
    let fp = fingerprint(&[&id.to_string(), kind, amount, input.reason.as_str()]);
    if let Some(first) = replay(&mut c, &d, input.key, &fp).await? {
        return Ok(first);
    }
    c.lock(RowLock::Order(d.order_id)).await?;
    let order = flow::read_order(c.conn(), d.order_id).await.context("reading the disputed order")?;
    let money = settlement::order_money(c.conn(), d.order_id).await.context("reading the order's money")?;
    let amount_minor = match amount {
        "" => None,
        a => Some(Money::parse(a, d.currency).map_err(|e| AppError::invalid("amount", e.code()))?.minor),
    };
    let (decision, reason) =
        dispute::parse_decision(input.kind, amount_minor, money.refundable_minor(), input.reason.as_str())
            .map_err(|(field, code)| AppError::invalid(field, code))?;
    let to = d.status.decide(&decision).map_err(AppError::conflict)?;
    let o = apply(&mut c, id, &d, &decision, &money, caller.user_id).await?;
    store(&mut c, id, to, &decision, &reason, &o, caller.user_id, input.key, &fp).await?;
    let amount_text = o.refunded.map(|m| Money::new(m, d.currency).display()).unwrap_or_default();
    let payload = json!({ "number": order.number, "dispute": id.to_string(), "amount": amount_text });
    let event = if o.refunded.is_some() { "disputes.decided_refund" } else { "disputes.decided_seller" };
    c.notify(OutboxEvent::notify(d.buyer_id, event, payload.clone())).await?;
    crate::webhooks::publish(
        &mut c,
        crate::domain::webhook::Scope::Seller(d.organisation_id),
        "disputes.decided",
        payload.clone(),
    )
    .await?;
    c.notify_seller_members(d.organisation_id, &format!("{event}_to_seller"), payload).await?;
    let audit = Audit::new(AuditAction::DisputesDecide, AuditTarget::Dispute(id))
        .before(json!({ "status": d.status.as_str(), "order_status": order.status.as_str(),
                        "refundable_minor": money.refundable_minor() }))
        .after(json!({ "status": to.as_str(), "decision": decision.as_str(), "amount_minor": o.refunded,
                       "posting_id": o.posting_id, "seller_available_after": o.available_after }))
        .reason(reason.as_str());
    c.audit(audit).await?;
    c.commit().await?;
    Ok(Decided { status: to, posting_id: o.posting_id })
}
