//! Deciding a payment: the sandbox card, finance's approval of a transfer, finance's rejection of a
//! proof. Each is one `Change` that locks the payment row, re-reads its status, applies
//! `domain::payment`, and commits its audit entry and notifications with it.

use super::providers::{self, Charge, Flow};
use super::rows::{self, expired, order_ids_of_payment, owned_by, payment_of_checkout, provider_enabled, Facts};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::ledger::Posting;
use crate::domain::money::Money;
use crate::domain::order::{OrderAction, OrderStatus};
use crate::domain::payment::{PaymentStatus, Provider};
use crate::domain::reason::Reason;
use crate::error::{AppError, Context};
use crate::orders::flow::{self, Audited, Step};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change};
use crate::platform::ledger::PostingRefs;
use crate::platform::outbox::OutboxEvent;
use crate::platform::state::AppState;
use serde_json::json;

/// The sandbox card: the success card approves at once, the decline card is refused with a message.
pub async fn pay_by_card(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    checkout_id: i64,
    card_number: &str,
) -> Result<(), AppError> {
    let p = {
        let mut conn = state.db.read().acquire().await.context("opening a read connection")?;
        owned_by(payment_of_checkout(&mut conn, checkout_id).await?, caller)?
    };
    provider_enabled(state, p.provider)?;
    let adapter = providers::adapter(p.provider);
    if adapter.flow() != Flow::Card {
        return Err(AppError::conflict("payments.wrong_provider"));
    }
    p.status.approve(p.provider).map_err(|e| AppError::conflict(e.code()))?;
    match adapter.charge_card(card_number).map_err(|code| AppError::invalid("card_number", code))? {
        Charge::Succeeded => approve(state, caller, meta, p.id, "sandbox card").await,
        Charge::Declined(code) => Err(AppError::invalid("card_number", code)),
    }
}

/// Writes the decision on the payment if its status is still the one read under the lock.
async fn decide(c: &mut Change, p: &Facts, next: PaymentStatus, by: i64, reason: Option<&str>) -> Result<(), AppError> {
    let now = c.now_ms();
    let reason_sql = if reason.is_some() { ", decision_reason = $6" } else { "" };
    let sql = format!(
        "UPDATE payments SET status = $1, decided_by = $2, decided_at = $3, updated_at = $3{reason_sql} \
         WHERE id = $4 AND status = $5"
    );
    let mut q = sqlx::query(&sql).bind(next.as_str()).bind(by).bind(now).bind(p.id).bind(p.status.as_str());
    if let Some(r) = reason {
        q = q.bind(r.to_string());
    }
    let changed = q.execute(c.conn()).await.context("writing the payment's decision")?.rows_affected();
    if changed != 1 {
        return Err(AppError::conflict("payments.changed_meanwhile"));
    }
    Ok(())
}

/// Approves the payment: payment approved, the ledger's payment_received posting, and every order of
/// the checkout paid, in one change. By finance (bank transfer) or the sandbox card.
pub async fn approve(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    payment_id: i64,
    how: &str,
) -> Result<(), AppError> {
    // A checkout's orders are fixed when it is placed: their ids are read before the write
    // transaction (on SQLite, outside the one writer), their state under the locks below.
    let order_ids = {
        let mut conn = state.db.read().acquire().await.context("opening a read connection")?;
        order_ids_of_payment(&mut conn, payment_id).await?
    };
    let mut c = Change::by_caller(state, caller, meta).await?;
    let now = c.now_ms();
    let p = rows::lock(&mut c, payment_id).await?;
    let next = p.status.approve(p.provider).map_err(|e| AppError::conflict(e.code()))?;
    // Lock order: the payment, then its orders (ascending ids), all before the ledger's balances.
    let orders = flow::lock_all(&mut c, &order_ids).await?;
    if orders.is_empty() || orders.iter().any(|o| o.status == OrderStatus::Cancelled) {
        return Err(AppError::conflict("payments.checkout_expired"));
    }
    // The buyer paying by card after the deadline is refused; finance may still approve a transfer
    // whose orders the timer has not cancelled (the proof may have arrived in time).
    let pay_by = orders.iter().map(|o| o.pay_by).min();
    if p.provider == Provider::Sandbox && expired(&p, false, pay_by, now) {
        return Err(AppError::conflict("payments.checkout_expired"));
    }
    decide(&mut c, &p, next, caller.user_id, None).await?;
    let posting = Posting::payment_received(p.currency, p.amount_minor).map_err(|e| {
        AppError::internal(format!("payment_received posting refused: payment={} code={}", p.id, e.code()))
    })?;
    let note = format!("payment {} approved", p.reference);
    // The approval's one audit entry below names every order it paid.
    let step = Step { action: OrderAction::Pay, actor: Some(caller.user_id), note: &note, audit: Audited::ByCaller };
    flow::pay_all(&mut c, &orders, step).await?;
    let amount = Money::new(p.amount_minor, p.currency).display();
    let payload = json!({"reference": p.reference, "amount": amount, "checkout_id": p.checkout_id});
    c.notify(OutboxEvent::notify(p.buyer_id, "payments.approved", payload)).await?;
    // The posting last but for the audit entry: every approval moves the same two balances (bank,
    // buyer clearing), whose row locks PostgreSQL holds until the commit, so the fewer statements
    // after it, the more approvals per second.
    let key = format!("checkout:{}:paid", p.checkout_id);
    let refs = PostingRefs { order_id: None, checkout_id: Some(p.checkout_id) };
    let memo = format!("payment {} ({})", p.reference, p.provider.as_str());
    let posting_id = c.post(&key, &posting, refs, &memo).await.context("posting the payment")?;
    let after = json!({
        "status": next.as_str(),
        "via": how,
        "posting_id": posting_id,
        "orders": orders.iter().map(|o| o.number.clone()).collect::<Vec<_>>(),
    });
    let audit = Audit::new(AuditAction::PaymentsApprove, AuditTarget::Payment(p.id));
    c.audit(audit.before(json!({"status": p.status.as_str()})).after(after)).await?;
    c.commit().await
}

/// Finance rejects the proof with a reason the buyer reads; the buyer may upload again.
pub async fn reject(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    payment_id: i64,
    reason: &Reason,
) -> Result<(), AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    let p = rows::lock(&mut c, payment_id).await?;
    let next = p.status.reject().map_err(|e| AppError::conflict(e.code()))?;
    decide(&mut c, &p, next, caller.user_id, Some(reason.as_str())).await?;
    let audit = Audit::new(AuditAction::PaymentsReject, AuditTarget::Payment(p.id))
        .before(json!({"status": p.status.as_str(), "proof_upload_id": p.proof_upload_id}))
        .after(json!({"status": next.as_str()}))
        .reason(reason.as_str());
    c.audit(audit).await?;
    let payload = json!({"reference": p.reference, "reason": reason.as_str(), "checkout_id": p.checkout_id});
    c.notify(OutboxEvent::notify(p.buyer_id, "payments.rejected", payload)).await?;
    c.commit().await
}
