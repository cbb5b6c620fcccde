//! A refund becomes a dispute: the buyer escalates a refusal, or the `refund.escalate` timer
//! escalates a request the seller left unanswered at `respond_by`. The dispute is opened by
//! `disputes::opening::open_in` in the same `Change` (disputes never import this file back).

use super::locked::{lock_refund, next, set_status, Locked, JOB_ESCALATE};
use crate::disputes::opening::{open_in, OpenDisputeInput};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::dispute::OpenedBy;
use crate::domain::refund::{RefundAction, RefundStatus};
use crate::error::{AppError, Context};
use crate::finance::settlement;
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change};
use crate::platform::jobs;
use crate::platform::state::AppState;
use serde_json::json;

/// Turns the locked refund into a dispute (opened by `opened_by`) inside the change, after the
/// status check; returns the dispute id. The refund is marked escalated first, so the dispute does
/// not see an open request on the order. The change holds the order's lock (`lock_refund`).
async fn escalate_in(c: &mut Change, r: &Locked, opened_by: OpenedBy) -> Result<i64, AppError> {
    let to = next(r.status, RefundAction::Escalate)?;
    set_status(c, r.id, r.status, to).await?;
    let now = c.now_ms();
    jobs::cancel(c.conn(), now, JOB_ESCALATE, r.id).await.context("cancelling the refund's escalation")?;
    let money = settlement::order_money(c.conn(), r.order_id).await.context("reading the order's money")?;
    let input = OpenDisputeInput {
        order_id: r.order_id,
        refund_id: Some(r.id),
        opened_by,
        claim_minor: r.amount_minor.min(money.refundable_minor()),
        reason_code: r.reason_code.clone(),
        details: r.details.clone(),
    };
    let dispute_id = open_in(c, input).await?;
    sqlx::query("UPDATE refunds SET dispute_id = $1 WHERE id = $2")
        .bind(dispute_id)
        .bind(r.id)
        .execute(c.conn())
        .await
        .context("linking the refund to its dispute")?;
    let audit = Audit::new(AuditAction::RefundsEscalate, AuditTarget::Refund(r.id))
        .before(json!({"status": r.status.as_str()}))
        .after(json!({"status": to.as_str(), "dispute_id": dispute_id, "opened_by": opened_by.as_str()}));
    c.audit(audit).await?;
    Ok(dispute_id)
}

/// The buyer escalates a refused refund to a dispute. Returns the dispute id.
pub async fn escalate(state: &AppState, caller: &Caller, meta: &RequestMeta, id: i64) -> Result<i64, AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    let r = lock_refund(&mut c, id).await?;
    if r.buyer_id != caller.user_id {
        return Err(AppError::NotFound);
    }
    // The buyer escalates a refusal; an unanswered request escalates by itself at its deadline.
    if r.status == RefundStatus::Requested {
        return Err(AppError::conflict("refunds.wait_for_answer"));
    }
    let dispute_id = escalate_in(&mut c, &r, OpenedBy::RefusedRefund).await?;
    c.commit().await?;
    Ok(dispute_id)
}

/// The `refund.escalate` timer: a request still unanswered at `respond_by` becomes a dispute opened
/// because the seller was silent. Re-reads the state under the locks; anything else does nothing
/// (the change is dropped, nothing written).
pub async fn escalate_silent(state: &AppState, id: i64) -> Result<(), AppError> {
    let mut c = Change::system(state, "timers").await?;
    let r = match lock_refund(&mut c, id).await {
        Err(AppError::NotFound) => return Ok(()),
        other => other?,
    };
    if r.status != RefundStatus::Requested || r.respond_by > c.now_ms() {
        return Ok(());
    }
    escalate_in(&mut c, &r, OpenedBy::SellerSilent).await?;
    c.commit().await
}
