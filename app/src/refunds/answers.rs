//! The seller's answer to a refund request: accept (the money moves through
//! `finance::settlement::settle`, key `refund:<id>`) or refuse with a reason the buyer reads. Each is
//! one `Change` that locks the order, then the refund, and re-reads the refund's status under the
//! locks, so a second answer is a named conflict.

use super::locked::{lock_refund, next, notify_buyer, set_status, JOB_ESCALATE};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::order::OrderStatus;
use crate::domain::refund::{RefundAction, RESPONSE_MAX_CHARS};
use crate::error::{AppError, Context};
use crate::finance::settlement;
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change};
use crate::platform::jobs;
use crate::platform::state::AppState;
use serde_json::json;

/// Shortest refusal reason the buyer is shown.
pub const RESPONSE_MIN_CHARS: usize = 5;

/// The seller accepts: the refund is settled in the ledger now, the buyer is told.
pub async fn accept(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    organisation_id: i64,
    id: i64,
) -> Result<(), AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    let r = lock_refund(&mut c, id).await?;
    if r.organisation_id != organisation_id {
        return Err(AppError::NotFound);
    }
    let to = next(r.status, RefundAction::Accept)?;
    // While a dispute is open on the order the operator's decision settles it, not the seller.
    let order_status: String = sqlx::query_scalar("SELECT status FROM orders WHERE id = $1")
        .bind(r.order_id)
        .fetch_one(c.conn())
        .await
        .context("reading the order's status")?;
    if order_status == OrderStatus::InDispute.as_str() {
        return Err(AppError::conflict("refunds.order_in_dispute"));
    }
    let key = format!("refund:{}", r.id);
    let settled =
        settlement::settle(&mut c, r.order_id, r.amount_minor, &key, Some(caller.user_id), "refunds.note.accepted")
            .await?;
    set_status(&mut c, r.id, r.status, to).await?;
    let now = c.now_ms();
    sqlx::query(
        "UPDATE refunds SET responded_by = $1, responded_at = $2, commission_reversed_minor = $3, posting_id = $4, \
         settled_at = $2 WHERE id = $5",
    )
    .bind(caller.user_id)
    .bind(now)
    .bind(settled.plan.commission_reversed_minor)
    .bind(settled.posting_id)
    .bind(r.id)
    .execute(c.conn())
    .await
    .context("recording the accepted refund")?;
    jobs::cancel(c.conn(), now, JOB_ESCALATE, r.id).await.context("cancelling the refund's escalation")?;
    notify_buyer(&mut c, &r, "refunds.accepted").await?;
    let audit = Audit::new(AuditAction::RefundsAccept, AuditTarget::Refund(r.id))
        .before(json!({"status": r.status.as_str()}))
        .after(json!({"status": to.as_str(), "amount_minor": r.amount_minor,
               "commission_reversed_minor": settled.plan.commission_reversed_minor,
               "posting_id": settled.posting_id, "order_status": settled.order_status.as_str(),
               "seller_available_after": settled.seller_available_after}));
    c.audit(audit).await?;
    c.commit().await
}

/// The seller refuses with a reason the buyer reads; the buyer may then open a dispute.
pub async fn refuse(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    organisation_id: i64,
    id: i64,
    reason: &str,
) -> Result<(), AppError> {
    let reason = parse_response(reason)?;
    let mut c = Change::by_caller(state, caller, meta).await?;
    let r = lock_refund(&mut c, id).await?;
    if r.organisation_id != organisation_id {
        return Err(AppError::NotFound);
    }
    let to = next(r.status, RefundAction::Refuse)?;
    set_status(&mut c, r.id, r.status, to).await?;
    let now = c.now_ms();
    sqlx::query("UPDATE refunds SET seller_response = $1, responded_by = $2, responded_at = $3 WHERE id = $4")
        .bind(&reason)
        .bind(caller.user_id)
        .bind(now)
        .bind(r.id)
        .execute(c.conn())
        .await
        .context("recording the refusal")?;
    jobs::cancel(c.conn(), now, JOB_ESCALATE, r.id).await.context("cancelling the refund's escalation")?;
    notify_buyer(&mut c, &r, "refunds.refused").await?;
    let audit = Audit::new(AuditAction::RefundsRefuse, AuditTarget::Refund(r.id))
        .before(json!({"status": r.status.as_str()}))
        .after(json!({"status": to.as_str()}))
        .reason(&reason);
    c.audit(audit).await?;
    c.commit().await
}

/// A refusal reason: 5 to `RESPONSE_MAX_CHARS` characters.
pub fn parse_response(input: &str) -> Result<String, AppError> {
    let s = input.trim();
    let n = s.chars().count();
    if n < RESPONSE_MIN_CHARS {
        return Err(AppError::invalid("reason", "reason.too_short"));
    }
    if n > RESPONSE_MAX_CHARS {
        return Err(AppError::invalid("reason", "field.too_long"));
    }
    Ok(s.to_string())
}
