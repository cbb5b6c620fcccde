//! The buyer's side of a refund: the request form, the request (one open request per order,
//! idempotent by key under the order's lock) and its withdrawal. Each mutation is one `Change`.

use super::evidence;
use super::locked::{lock_refund, next, notify_seller, payload, set_status, JOB_ESCALATE};
use super::model::RefundForm;
use super::queries::{blocked, lock_buyers_order, open_refund_of, order_id_of, refunded_of};
use crate::disputes::queries::open_dispute_of;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::money::Money;
use crate::domain::refund::{self, RefundAction, RefundRequest, RefundStatus};
use crate::error::{AppError, Context};
use crate::orders::flow::{self, LockedOrder};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change};
use crate::platform::idempotency::{self, fingerprint, Scope};
use crate::platform::jobs;
use crate::platform::state::AppState;
use rand::RngCore;
use serde_json::json;

/// A new idempotency key for one rendering of the request form.
pub fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("rf-{}", hex::encode(bytes))
}

/// The request form of the buyer's order `number` (someone else's order is `NotFound`).
pub async fn form(state: &AppState, caller: &Caller, number: &str) -> Result<RefundForm, AppError> {
    let mut conn = state.db.read().acquire().await.context("opening a read connection")?;
    let id = order_id_of(&mut conn, number).await?;
    let order = flow::read_order(&mut conn, id).await.context("reading the order")?;
    if order.buyer_id != caller.user_id {
        return Err(AppError::NotFound);
    }
    let refunded = refunded_of(&mut conn, id).await?;
    let refundable = (order.total_minor - refunded).max(0);
    let open_refund = open_refund_of(&mut conn, id).await?;
    let open_dispute = open_dispute_of(&mut conn, id).await?;
    Ok(RefundForm {
        order_id: id,
        order_number: order.number,
        order_status: order.status.as_str().to_string(),
        currency: order.currency,
        total_minor: order.total_minor,
        refunded_minor: refunded,
        refundable_minor: refundable,
        refundable_plain: Money::new(refundable, order.currency).plain(),
        blocked: blocked(order.status, open_refund, open_dispute).map(str::to_string),
        open_refund_id: open_refund,
        open_dispute_id: open_dispute,
        idempotency_key: new_idempotency_key(),
    })
}

/// The buyer's raw request, as typed.
pub struct RequestInput<'a> {
    pub key: &'a str,
    pub number: &'a str,
    pub amount: &'a str,
    pub reason_code: &'a str,
    pub details: &'a str,
    pub evidence_upload_id: Option<i64>,
}

/// What identifies a request besides its key (the parts stored before the idempotency kit existed).
fn request_fingerprint(order_id: i64, amount: i64, input: &RequestInput<'_>) -> String {
    let evidence = input.evidence_upload_id.unwrap_or(0).to_string();
    let (order, amount) = (order_id.to_string(), amount.to_string());
    fingerprint(&[&order, &amount, input.reason_code.trim(), &evidence, input.details.trim()])
}

/// The buyer asks for a refund of their order. Returns the refund id; the same key with the same
/// request returns the first refund, with another request `Conflict("idempotency.key_reused")`.
pub async fn request(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    input: RequestInput<'_>,
) -> Result<i64, AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    // The order's lock serialises the buyer's retries of this request.
    let order = lock_buyers_order(&mut c, input.number, caller.user_id).await?;
    let id = order.id;
    let amount = Money::parse(input.amount, order.currency).map_err(|e| AppError::invalid("amount", e.code()))?.minor;
    let fp = request_fingerprint(id, amount, &input);
    let scope = Scope { table: "refunds", column: "buyer_id", id: caller.user_id };
    if let Some(first) = idempotency::replay(c.conn(), scope, input.key, &fp).await? {
        return Ok(first);
    }
    let open_refund = open_refund_of(c.conn(), id).await?;
    let open_dispute = open_dispute_of(c.conn(), id).await?;
    if let Some(code) = blocked(order.status, open_refund, open_dispute) {
        return Err(AppError::conflict(code));
    }
    let refunded = refunded_of(c.conn(), id).await?;
    let req = refund::parse_request(amount, order.total_minor - refunded, input.reason_code, input.details)
        .map_err(|(field, code)| AppError::invalid(field, code))?;
    if let Some(upload) = input.evidence_upload_id {
        evidence::check_attachable(c.conn(), "evidence_upload_id", upload, id, caller.user_id).await?;
    }
    let respond_by = c.now_ms() + state.settings().refund_response_ms;
    let refund_id = insert(&mut c, &order, caller.user_id, &req, &input, &fp, respond_by).await?;
    let now = c.now_ms();
    jobs::schedule(c.conn(), now, JOB_ESCALATE, refund_id, respond_by)
        .await
        .context("scheduling the refund's escalation")?;
    let amount_text = Money::new(req.amount_minor, order.currency).display();
    let data = payload(&order.number, &amount_text, refund_id);
    crate::webhooks::publish(
        &mut c,
        crate::domain::webhook::Scope::Seller(order.organisation_id),
        "refunds.requested",
        data,
    )
    .await?;
    c.notify_seller_members(
        order.organisation_id,
        "refunds.requested",
        payload(&order.number, &amount_text, refund_id),
    )
    .await?;
    let after = json!({"status": "requested", "order": order.number, "amount_minor": req.amount_minor,
                       "reason_code": req.reason_code, "respond_by": respond_by,
                       "evidence_upload_id": input.evidence_upload_id});
    c.audit(Audit::new(AuditAction::RefundsRequest, AuditTarget::Refund(refund_id)).before(json!({})).after(after))
        .await?;
    c.commit().await?;
    Ok(refund_id)
}

/// Stores the request with its key and fingerprint; returns its id.
async fn insert(
    c: &mut Change,
    order: &LockedOrder,
    buyer_id: i64,
    req: &RefundRequest,
    input: &RequestInput<'_>,
    fingerprint: &str,
    respond_by: i64,
) -> Result<i64, AppError> {
    let now = c.now_ms();
    sqlx::query_scalar(
        "INSERT INTO refunds (order_id, organisation_id, buyer_id, currency, amount_minor, reason_code, details, \
         evidence_upload_id, status, idempotency_key, request_hash, respond_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(order.id)
    .bind(order.organisation_id)
    .bind(buyer_id)
    .bind(order.currency.code())
    .bind(req.amount_minor)
    .bind(&req.reason_code)
    .bind(&req.details)
    .bind(input.evidence_upload_id)
    .bind(RefundStatus::Requested.as_str())
    .bind(input.key)
    .bind(fingerprint)
    .bind(respond_by)
    .bind(now)
    .fetch_one(c.conn())
    .await
    .context("storing the refund request")
}

/// The buyer withdraws a request the seller has not answered.
pub async fn withdraw(state: &AppState, caller: &Caller, meta: &RequestMeta, id: i64) -> Result<(), AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    let r = lock_refund(&mut c, id).await?;
    if r.buyer_id != caller.user_id {
        return Err(AppError::NotFound);
    }
    let to = next(r.status, RefundAction::Withdraw)?;
    set_status(&mut c, r.id, r.status, to).await?;
    let now = c.now_ms();
    jobs::cancel(c.conn(), now, JOB_ESCALATE, r.id).await.context("cancelling the refund's escalation")?;
    notify_seller(&mut c, &r, "refunds.withdrawn").await?;
    let audit = Audit::new(AuditAction::RefundsWithdraw, AuditTarget::Refund(r.id))
        .before(json!({"status": r.status.as_str()}))
        .after(json!({"status": to.as_str()}));
    c.audit(audit).await?;
    c.commit().await
}
