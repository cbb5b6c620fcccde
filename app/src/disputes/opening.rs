//! Opening a dispute: by the buyer (idempotent by key), by a refused refund's escalation or by the
//! refund timer (both through `open_in`, called from `refunds::escalation` in its `Change`); the
//! buyer's form and the dispute link of an order page.

use super::messages_service::insert_message;
use super::model::{OpenDisputeInfo, OrderDisputeState};
use super::queries::{open_dispute_of, order_by_number};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::dispute::{DisputeStatus, OpenedBy, Side};
use crate::domain::money::Money;
use crate::domain::order::OrderAction;
use crate::domain::refund::{self, RefundRequest};
use crate::error::{AppError, Context};
use crate::finance::settlement;
use crate::orders::flow::{self, LockedOrder};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change};
use crate::platform::idempotency::{self, fingerprint, Scope};
use crate::platform::outbox::OutboxEvent;
use crate::platform::state::AppState;
use crate::refunds::evidence;
use crate::refunds::queries::{lock_buyers_order, open_refund_of};
use rand::RngCore;
use serde_json::json;

/// What opens a dispute. `details` become the opening message (side buyer).
#[derive(Debug, Clone)]
pub struct OpenDisputeInput {
    pub order_id: i64,
    pub refund_id: Option<i64>,
    pub opened_by: OpenedBy,
    pub claim_minor: i64,
    pub reason_code: String,
    pub details: String,
}

/// A new idempotency key for one rendering of a dispute form.
pub fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("dp-{}", hex::encode(bytes))
}

pub fn parse_key(input: &str) -> Result<String, AppError> {
    crate::domain::payment::parse_idempotency_key(input)
        .map_err(|_| AppError::invalid("idempotency_key", "disputes.form_stale"))
}

/// Another refund request still waiting for the seller would let the seller settle the order while
/// the dispute is open: the buyer escalates that request instead (`escalating`, the one escalating
/// now, is not counted).
async fn other_refund_open(c: &mut Change, order_id: i64, escalating: Option<i64>) -> Result<bool, AppError> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM refunds WHERE order_id = $1 AND status = 'requested' AND id <> $2")
            .bind(order_id)
            .bind(escalating.unwrap_or(0))
            .fetch_one(c.conn())
            .await
            .context("counting the order's open refunds")?;
    Ok(n > 0)
}

/// Opens a dispute on the order in the caller's change, which holds `RowLock::Order(order_id)`:
/// the order must be refundable with no open dispute, the claim within what is left to refund. The
/// order moves to in_dispute (its timers pause), the dispute and its opening message are stored,
/// both sides are told, and `disputes.open` is audited. The caller commits. Amount errors are
/// `Invalid("amount", ..)`.
pub async fn open_in(c: &mut Change, input: OpenDisputeInput) -> Result<i64, AppError> {
    let order = flow::read_order(c.conn(), input.order_id).await.context("reading the disputed order")?;
    if open_dispute_of(c.conn(), order.id).await?.is_some() {
        return Err(AppError::conflict("disputes.already_open"));
    }
    if !order.status.refundable() {
        return Err(AppError::conflict("disputes.order_not_disputable"));
    }
    if other_refund_open(c, order.id, input.refund_id).await? {
        return Err(AppError::conflict("disputes.refund_open"));
    }
    let money = settlement::order_money(c.conn(), order.id).await.context("reading the order's money")?;
    let request =
        refund::parse_request(input.claim_minor, money.refundable_minor(), &input.reason_code, &input.details)
            .map_err(|(field, code)| AppError::invalid(field, code))?;
    let state = c.state().clone();
    let actor = c.actor().id;
    flow::transition_in(c.conn(), &state, order.id, OrderAction::OpenDispute, actor, "").await?;
    let sla_due_at = c.now_ms() + state.settings().dispute_sla_ms;
    let id = insert_dispute(c, &order, &input, &request, sla_due_at).await?;
    let now = c.now_ms();
    insert_message(c.conn(), id, order.buyer_id, Side::Buyer, &request.details, None, now).await?;
    let payload = json!({ "number": order.number, "dispute": id.to_string() });
    c.notify(OutboxEvent::notify(order.buyer_id, "disputes.opened", payload.clone())).await?;
    crate::webhooks::publish(
        c,
        crate::domain::webhook::Scope::Seller(order.organisation_id),
        "disputes.opened",
        payload.clone(),
    )
    .await?;
    crate::webhooks::publish(c, crate::domain::webhook::Scope::Platform, "disputes.opened", payload.clone()).await?;
    c.notify_seller_members(order.organisation_id, "disputes.opened_seller", payload).await?;
    let audit = Audit::new(AuditAction::DisputesOpen, AuditTarget::Dispute(id))
        .before(json!({ "order": order.number, "order_status": order.status.as_str() }))
        .after(json!({
            "status": DisputeStatus::Open.as_str(),
            "opened_by": input.opened_by.as_str(),
            "refund_id": input.refund_id,
            "claim_minor": request.amount_minor,
            "reason_code": request.reason_code,
            "sla_due_at": sla_due_at,
        }));
    c.audit(audit).await?;
    Ok(id)
}

async fn insert_dispute(
    c: &mut Change,
    order: &LockedOrder,
    input: &OpenDisputeInput,
    request: &RefundRequest,
    sla_due_at: i64,
) -> Result<i64, AppError> {
    let now = c.now_ms();
    sqlx::query_scalar(
        "INSERT INTO disputes (order_id, organisation_id, buyer_id, refund_id, opened_by, currency, claim_minor, \
         reason_code, details, status, sla_due_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(order.id)
    .bind(order.organisation_id)
    .bind(order.buyer_id)
    .bind(input.refund_id)
    .bind(input.opened_by.as_str())
    .bind(order.currency.code())
    .bind(request.amount_minor)
    .bind(&request.reason_code)
    .bind(&request.details)
    .bind(DisputeStatus::Open.as_str())
    .bind(sla_due_at)
    .bind(now)
    .fetch_one(c.conn())
    .await
    .context("storing the dispute")
}

/// The buyer's "open a dispute" page: the order (theirs, else 404) and what may still be claimed.
pub async fn open_form(state: &AppState, caller: &Caller, number: &str) -> Result<OpenDisputeInfo, AppError> {
    let mut conn = state.db.read().acquire().await.context("opening a read connection")?;
    let (order_id, buyer_id) = order_by_number(&mut conn, number).await?;
    if buyer_id != caller.user_id {
        return Err(AppError::NotFound);
    }
    let order = flow::read_order(&mut conn, order_id).await.context("reading the order")?;
    let money = settlement::order_money(&mut conn, order_id).await.context("reading the order's money")?;
    let seller_name: String = sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
        .bind(order.organisation_id)
        .fetch_one(&mut *conn)
        .await
        .context("reading the seller's name")?;
    let open_dispute_id = open_dispute_of(&mut conn, order_id).await?;
    let open_refund_id = open_refund_of(&mut conn, order_id).await?;
    let can_open = order.status.refundable()
        && money.refundable_minor() > 0
        && open_dispute_id.is_none()
        && open_refund_id.is_none();
    Ok(OpenDisputeInfo {
        order_number: order.number,
        order_status: order.status.as_str().to_string(),
        seller_name,
        currency: order.currency,
        total_minor: order.total_minor,
        refundable_minor: money.refundable_minor(),
        open_dispute_id,
        open_refund_id,
        can_open,
        idempotency_key: new_idempotency_key(),
    })
}

/// The dispute link of an order page (buyer, seller or console): its latest dispute and whether the
/// buyer may open one now.
pub async fn order_link(
    state: &AppState,
    user_id: i64,
    operator: bool,
    number: &str,
) -> Result<OrderDisputeState, AppError> {
    let mut conn = state.db.read().acquire().await.context("opening a read connection")?;
    let (order_id, buyer_id) = order_by_number(&mut conn, number).await?;
    let order = flow::read_order(&mut conn, order_id).await.context("reading the order")?;
    if !(operator || buyer_id == user_id || evidence::is_member(&mut conn, order.organisation_id, user_id).await?) {
        return Err(AppError::NotFound);
    }
    let latest: Option<(i64, String)> =
        sqlx::query_as("SELECT id, status FROM disputes WHERE order_id = $1 ORDER BY id DESC LIMIT 1")
            .bind(order_id)
            .fetch_optional(&mut *conn)
            .await
            .context("reading the order's latest dispute")?;
    let (dispute_id, dispute_status) = latest.unzip();
    let money = settlement::order_money(&mut conn, order_id).await.context("reading the order's money")?;
    let open = dispute_status.as_deref() == Some(DisputeStatus::Open.as_str());
    let can_open = order.status.refundable()
        && money.refundable_minor() > 0
        && !open
        && open_refund_of(&mut conn, order_id).await?.is_none();
    Ok(OrderDisputeState { dispute_id, dispute_status, can_open })
}

/// The buyer's raw "open a dispute" form, as typed.
pub struct BuyerClaim<'a> {
    pub key: &'a str,
    pub number: &'a str,
    pub claim: &'a str,
    pub reason_code: &'a str,
    pub details: &'a str,
}

/// The buyer opens a dispute on their order (`NotFound` for anyone else's). The idempotency key makes
/// a retry return the first dispute; the same key with another request is `idempotency.key_reused`.
pub async fn open_by_buyer(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    form: BuyerClaim<'_>,
) -> Result<i64, AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    // The order's lock first: a retry racing the first request waits, then finds its dispute.
    let order = lock_buyers_order(&mut c, form.number, caller.user_id).await?;
    let order_id = order.id;
    let fp = fingerprint(&[form.number, form.claim.trim(), form.reason_code.trim(), form.details.trim()]);
    let scope = Scope { table: "disputes", column: "buyer_id", id: caller.user_id };
    if let Some(first) = idempotency::replay(c.conn(), scope, form.key, &fp).await? {
        return Ok(first);
    }
    let claim_minor = Money::parse(form.claim, order.currency).map_err(|e| AppError::invalid("claim", e.code()))?.minor;
    let input = OpenDisputeInput {
        order_id,
        refund_id: None,
        opened_by: OpenedBy::Buyer,
        claim_minor,
        reason_code: form.reason_code.to_string(),
        details: form.details.to_string(),
    };
    let id = open_in(&mut c, input).await.map_err(|e| match e {
        AppError::Invalid { field, code } if field == "amount" => AppError::invalid("claim", &code),
        other => other,
    })?;
    idempotency::store(c.conn(), scope, id, form.key, &fp).await.context("storing the dispute's key")?;
    c.commit().await?;
    Ok(id)
}
