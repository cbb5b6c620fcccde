//! Refund requests: the buyer asks (one open request per order, idempotent by key), the seller
//! accepts (the money moves through `finance::settlement::settle`, key `refund:<id>`) or refuses, the
//! buyer withdraws or escalates a refusal to a dispute, and the `refund.escalate` timer escalates a
//! request the seller left unanswered. Each mutation is one transaction: the change, its audit
//! record and its notifications. Decisions lock the order first, then the refund, and re-read the
//! refund's status under the lock, so a second answer is a named conflict.

use super::evidence;
use super::model::{
    EffectEntry, EvidenceLink, HistoryItem, LedgerEffect, OrderRefunds, RefundCounters, RefundDetail, RefundForm,
    RefundLine, RefundRow, RefundViewer, SellerFilter, MAX_HISTORY, MAX_REFUNDS_PER_ORDER,
};
use crate::domain::dispute::OpenedBy;
use crate::domain::ledger::Account;
use crate::domain::money::{Currency, Money};
use crate::domain::order::OrderStatus;
use crate::domain::page::{page_size, Page};
use crate::domain::refund::{self, RefundAction, RefundStatus, RESPONSE_MAX_CHARS};
use crate::error::AppError;
use crate::finance::settlement;
use crate::orders::flow;
use crate::platform::audit_log::{self, Actor, AuditEntry};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::db::Backend;
use crate::platform::jobs;
use crate::platform::outbox::{self, OutboxEvent};
use crate::platform::state::AppState;
use crate::platform::uploads;
use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{Any, AnyConnection, Row};

/// The durable timer that escalates an unanswered request at `respond_by` (target: the refund id).
pub const JOB_ESCALATE: &str = "refund.escalate";
/// Shortest refusal reason the buyer is shown.
pub const RESPONSE_MIN_CHARS: usize = 5;
const WEEK_MS: i64 = 7 * 86_400_000;

/// A new idempotency key for one rendering of the request form.
pub fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("rf-{}", hex::encode(bytes))
}

// Disputes read it too (and this file opens disputes): it lives in queries.rs, nameable here.
pub use super::queries::open_refund_of;

async fn open_dispute_of(conn: &mut AnyConnection, order_id: i64) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM disputes WHERE order_id = $1 AND status = 'open' ORDER BY id LIMIT 1")
        .bind(order_id)
        .fetch_optional(&mut *conn)
        .await?)
}

async fn order_id_of(conn: &mut AnyConnection, number: &str) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT id FROM orders WHERE number = $1")
        .bind(number)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)
}

async fn refunded_of(conn: &mut AnyConnection, order_id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT refunded_minor FROM orders WHERE id = $1")
        .bind(order_id)
        .fetch_one(&mut *conn)
        .await?)
}

/// Why the buyer cannot ask now, as a message key (`None`: they can).
fn blocked(status: OrderStatus, open_refund: Option<i64>, open_dispute: Option<i64>) -> Option<&'static str> {
    if open_dispute.is_some() || status == OrderStatus::InDispute {
        Some("refunds.dispute_open")
    } else if !status.refundable() {
        Some("refunds.order_not_refundable")
    } else if open_refund.is_some() {
        Some("refunds.already_open")
    } else {
        None
    }
}

/// The request form of the buyer's order `number` (someone else's order is `NotFound`).
pub async fn form(state: &AppState, caller: &Caller, number: &str) -> Result<RefundForm, AppError> {
    let mut conn = state.db.read().acquire().await?;
    let id = order_id_of(&mut conn, number).await?;
    let order = flow::read_order(&mut conn, id).await?;
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

/// What identifies a request besides its key.
fn request_hash(order_id: i64, amount: i64, reason: &str, details: &str, evidence: Option<i64>) -> String {
    let text = format!("{order_id}|{amount}|{reason}|{}|{details}", evidence.unwrap_or(0));
    hex::encode(Sha256::digest(text.as_bytes()))
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

/// The buyer asks for a refund of their order. Returns the refund id; the same key with the same
/// request returns the first refund, with another request `Conflict("refunds.key_reused")`.
pub async fn request(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    input: RequestInput<'_>,
) -> Result<i64, AppError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let id = order_id_of(&mut tx, input.number).await?;
    let order = flow::lock_order(&mut tx, id).await?;
    if order.buyer_id != caller.user_id {
        return Err(AppError::NotFound);
    }
    let amount = Money::parse(input.amount, order.currency).map_err(|e| AppError::invalid("amount", e.code()))?.minor;
    let hash = request_hash(id, amount, input.reason_code.trim(), input.details.trim(), input.evidence_upload_id);
    if let Some(r) = sqlx::query("SELECT id, request_hash FROM refunds WHERE buyer_id = $1 AND idempotency_key = $2")
        .bind(caller.user_id)
        .bind(input.key)
        .fetch_optional(&mut *tx)
        .await?
    {
        let stored: String = r.try_get("request_hash")?;
        if stored != hash {
            return Err(AppError::conflict("refunds.key_reused"));
        }
        return Ok(r.try_get("id")?);
    }
    let open_refund = open_refund_of(&mut tx, id).await?;
    let open_dispute = open_dispute_of(&mut tx, id).await?;
    if let Some(code) = blocked(order.status, open_refund, open_dispute) {
        return Err(AppError::conflict(code));
    }
    let refunded = refunded_of(&mut tx, id).await?;
    let req = refund::parse_request(amount, order.total_minor - refunded, input.reason_code, input.details)
        .map_err(|(field, code)| AppError::invalid(field, code))?;
    if let Some(upload) = input.evidence_upload_id {
        evidence::check_attachable(&mut tx, "evidence_upload_id", upload, id, caller.user_id).await?;
    }
    let respond_by = now + state.settings.refund_response_ms;
    let refund_id: i64 = sqlx::query_scalar(
        "INSERT INTO refunds (order_id, organisation_id, buyer_id, currency, amount_minor, reason_code, details, \
         evidence_upload_id, status, idempotency_key, request_hash, respond_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(id)
    .bind(order.organisation_id)
    .bind(caller.user_id)
    .bind(order.currency.code())
    .bind(req.amount_minor)
    .bind(&req.reason_code)
    .bind(&req.details)
    .bind(input.evidence_upload_id)
    .bind(RefundStatus::Requested.as_str())
    .bind(input.key)
    .bind(&hash)
    .bind(respond_by)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    jobs::schedule(&mut tx, now, JOB_ESCALATE, refund_id, respond_by).await?;
    let amount_text = Money::new(req.amount_minor, order.currency).display();
    notify_seller(&mut tx, now, order.organisation_id, "refunds.requested", &order.number, &amount_text, refund_id)
        .await?;
    audit(
        &mut tx,
        &Actor::of(caller),
        meta,
        now,
        "refunds.request",
        refund_id,
        json!({}),
        json!({"status": "requested", "order": order.number, "amount_minor": req.amount_minor,
               "reason_code": req.reason_code, "respond_by": respond_by,
               "evidence_upload_id": input.evidence_upload_id}),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(refund_id)
}

/// A refund row's fields that decisions need, read under the order's lock.
struct Locked {
    id: i64,
    order_id: i64,
    order_number: String,
    organisation_id: i64,
    buyer_id: i64,
    status: RefundStatus,
    currency: Currency,
    amount_minor: i64,
    reason_code: String,
    details: String,
}

/// Locks the refund's order, then the refund, and reads it. `NotFound` when absent.
async fn lock_refund(tx: &mut AnyConnection, id: i64) -> Result<Locked, AppError> {
    let order_id: i64 = sqlx::query_scalar("SELECT order_id FROM refunds WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let order = flow::lock_order(tx, order_id).await?;
    sqlx::query("UPDATE refunds SET updated_at = updated_at WHERE id = $1").bind(id).execute(&mut *tx).await?;
    let r = sqlx::query(
        "SELECT id, order_id, organisation_id, buyer_id, status, currency, amount_minor, reason_code, details \
         FROM refunds WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let status: String = r.try_get("status")?;
    let currency: String = r.try_get("currency")?;
    Ok(Locked {
        id: r.try_get("id")?,
        order_id: r.try_get("order_id")?,
        order_number: order.number,
        organisation_id: r.try_get("organisation_id")?,
        buyer_id: r.try_get("buyer_id")?,
        status: RefundStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        currency: Currency::parse(&currency).ok_or_else(|| corrupt("currency", &currency))?,
        amount_minor: r.try_get("amount_minor")?,
        reason_code: r.try_get("reason_code")?,
        details: r.try_get("details")?,
    })
}

#[track_caller]
fn corrupt(what: &str, value: &str) -> AppError {
    AppError::internal(format!("refund row with an unknown value: what={what} value={value}"))
}

/// Moves the refund from `from` to `to` if nobody did meanwhile.
async fn set_status(
    tx: &mut AnyConnection,
    id: i64,
    from: RefundStatus,
    to: RefundStatus,
    now: i64,
) -> Result<(), AppError> {
    let changed = sqlx::query("UPDATE refunds SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
        .bind(to.as_str())
        .bind(now)
        .bind(id)
        .bind(from.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed != 1 {
        return Err(AppError::conflict("refunds.changed_meanwhile"));
    }
    Ok(())
}

fn next(status: RefundStatus, action: RefundAction) -> Result<RefundStatus, AppError> {
    status.apply(action).map_err(AppError::conflict)
}

/// The seller accepts: the refund is settled in the ledger now, the buyer is told.
pub async fn accept(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    organisation_id: i64,
    id: i64,
) -> Result<(), AppError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let r = lock_refund(&mut tx, id).await?;
    if r.organisation_id != organisation_id {
        return Err(AppError::NotFound);
    }
    let to = next(r.status, RefundAction::Accept)?;
    // While a dispute is open on the order the operator's decision settles it, not the seller.
    let order_status: String =
        sqlx::query_scalar("SELECT status FROM orders WHERE id = $1").bind(r.order_id).fetch_one(&mut *tx).await?;
    if order_status == "in_dispute" {
        return Err(AppError::conflict("refunds.order_in_dispute"));
    }
    let settled = settlement::settle(
        &mut tx,
        state,
        r.order_id,
        r.amount_minor,
        &format!("refund:{}", r.id),
        Some(caller.user_id),
        "refunds.note.accepted",
    )
    .await?;
    set_status(&mut tx, r.id, r.status, to, now).await?;
    sqlx::query(
        "UPDATE refunds SET responded_by = $1, responded_at = $2, commission_reversed_minor = $3, posting_id = $4, \
         settled_at = $2 WHERE id = $5",
    )
    .bind(caller.user_id)
    .bind(now)
    .bind(settled.plan.commission_reversed_minor)
    .bind(settled.posting_id)
    .bind(r.id)
    .execute(&mut *tx)
    .await?;
    jobs::cancel(&mut tx, now, JOB_ESCALATE, r.id).await?;
    let amount = Money::new(r.amount_minor, r.currency).display();
    notify(&mut tx, now, r.buyer_id, "refunds.accepted", &r.order_number, &amount, r.id).await?;
    audit(
        &mut tx,
        &Actor::of(caller),
        meta,
        now,
        "refunds.accept",
        r.id,
        json!({"status": r.status.as_str()}),
        json!({"status": to.as_str(), "amount_minor": r.amount_minor,
               "commission_reversed_minor": settled.plan.commission_reversed_minor,
               "posting_id": settled.posting_id, "order_status": settled.order_status.as_str(),
               "seller_available_after": settled.seller_available_after}),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
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
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let r = lock_refund(&mut tx, id).await?;
    if r.organisation_id != organisation_id {
        return Err(AppError::NotFound);
    }
    let to = next(r.status, RefundAction::Refuse)?;
    set_status(&mut tx, r.id, r.status, to, now).await?;
    sqlx::query("UPDATE refunds SET seller_response = $1, responded_by = $2, responded_at = $3 WHERE id = $4")
        .bind(&reason)
        .bind(caller.user_id)
        .bind(now)
        .bind(r.id)
        .execute(&mut *tx)
        .await?;
    jobs::cancel(&mut tx, now, JOB_ESCALATE, r.id).await?;
    let amount = Money::new(r.amount_minor, r.currency).display();
    notify(&mut tx, now, r.buyer_id, "refunds.refused", &r.order_number, &amount, r.id).await?;
    audit(
        &mut tx,
        &Actor::of(caller),
        meta,
        now,
        "refunds.refuse",
        r.id,
        json!({"status": r.status.as_str()}),
        json!({"status": to.as_str()}),
        &reason,
    )
    .await?;
    tx.commit().await?;
    Ok(())
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

/// The buyer withdraws a request the seller has not answered.
pub async fn withdraw(state: &AppState, caller: &Caller, meta: &RequestMeta, id: i64) -> Result<(), AppError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let r = lock_refund(&mut tx, id).await?;
    if r.buyer_id != caller.user_id {
        return Err(AppError::NotFound);
    }
    let to = next(r.status, RefundAction::Withdraw)?;
    set_status(&mut tx, r.id, r.status, to, now).await?;
    jobs::cancel(&mut tx, now, JOB_ESCALATE, r.id).await?;
    let amount = Money::new(r.amount_minor, r.currency).display();
    notify_seller(&mut tx, now, r.organisation_id, "refunds.withdrawn", &r.order_number, &amount, r.id).await?;
    audit(
        &mut tx,
        &Actor::of(caller),
        meta,
        now,
        "refunds.withdraw",
        r.id,
        json!({"status": r.status.as_str()}),
        json!({"status": to.as_str()}),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Turns the refund into a dispute (opened by `opened_by`) inside the caller's transaction, after
/// the status check; returns the dispute id. The refund is marked escalated first, so the dispute
/// does not see an open request on the order.
async fn escalate_in(
    tx: &mut AnyConnection,
    state: &AppState,
    actor: &Actor,
    meta: &RequestMeta,
    r: &Locked,
    opened_by: OpenedBy,
) -> Result<(i64, RefundStatus), AppError> {
    let now = state.now_ms();
    let to = next(r.status, RefundAction::Escalate)?;
    set_status(tx, r.id, r.status, to, now).await?;
    jobs::cancel(tx, now, JOB_ESCALATE, r.id).await?;
    let refundable = r.amount_minor.min(settlement::order_money(tx, r.order_id).await?.refundable_minor());
    let dispute_id = crate::disputes::service::open_in(
        tx,
        state,
        actor,
        meta,
        crate::disputes::service::OpenDisputeInput {
            order_id: r.order_id,
            refund_id: Some(r.id),
            opened_by,
            claim_minor: refundable,
            reason_code: r.reason_code.clone(),
            details: r.details.clone(),
        },
    )
    .await?;
    sqlx::query("UPDATE refunds SET dispute_id = $1 WHERE id = $2")
        .bind(dispute_id)
        .bind(r.id)
        .execute(&mut *tx)
        .await?;
    audit(
        tx,
        actor,
        meta,
        now,
        "refunds.escalate",
        r.id,
        json!({"status": r.status.as_str()}),
        json!({"status": to.as_str(), "dispute_id": dispute_id, "opened_by": opened_by.as_str()}),
        "",
    )
    .await?;
    Ok((dispute_id, to))
}

/// The buyer escalates a refused refund to a dispute. Returns the dispute id.
pub async fn escalate(state: &AppState, caller: &Caller, meta: &RequestMeta, id: i64) -> Result<i64, AppError> {
    let mut tx = state.db.begin().await?;
    let r = lock_refund(&mut tx, id).await?;
    if r.buyer_id != caller.user_id {
        return Err(AppError::NotFound);
    }
    // The buyer escalates a refusal; an unanswered request escalates by itself at its deadline.
    if r.status == RefundStatus::Requested {
        return Err(AppError::conflict("refunds.wait_for_answer"));
    }
    let (dispute_id, _) = escalate_in(&mut tx, state, &Actor::of(caller), meta, &r, OpenedBy::RefusedRefund).await?;
    tx.commit().await?;
    Ok(dispute_id)
}

/// The `refund.escalate` timer: a request still unanswered at `respond_by` becomes a dispute opened
/// because the seller was silent. Re-reads the state under the locks; anything else does nothing.
pub async fn escalate_silent(state: &AppState, id: i64) -> Result<(), AppError> {
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let r = match lock_refund(&mut tx, id).await {
        Err(AppError::NotFound) => return Ok(()),
        other => other?,
    };
    let respond_by: i64 =
        sqlx::query_scalar("SELECT respond_by FROM refunds WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
    if r.status != RefundStatus::Requested || respond_by > now {
        return Ok(());
    }
    escalate_in(&mut tx, state, &Actor::system("timers"), &RequestMeta::default(), &r, OpenedBy::SellerSilent).await?;
    tx.commit().await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn audit(
    conn: &mut AnyConnection,
    actor: &Actor,
    meta: &RequestMeta,
    now: i64,
    action: &str,
    refund_id: i64,
    before: serde_json::Value,
    after: serde_json::Value,
    reason: &str,
) -> Result<(), AppError> {
    audit_log::record(
        conn,
        actor,
        meta,
        now,
        AuditEntry {
            action,
            target_type: "refund",
            target_id: refund_id.to_string(),
            before,
            after,
            reason,
            result: "ok",
        },
    )
    .await?;
    Ok(())
}

/// An in-app notification (`notify.<event_type>` with {number} and {amount}).
async fn notify(
    conn: &mut AnyConnection,
    now: i64,
    user_id: i64,
    event_type: &str,
    number: &str,
    amount: &str,
    refund_id: i64,
) -> Result<(), AppError> {
    let payload = json!({"number": number, "amount": amount, "refund_id": refund_id});
    outbox::enqueue(conn, now, &OutboxEvent::notify(user_id, event_type, payload)).await?;
    Ok(())
}

/// Tells every member of the seller organisation (the owner included).
async fn notify_seller(
    conn: &mut AnyConnection,
    now: i64,
    organisation_id: i64,
    event_type: &str,
    number: &str,
    amount: &str,
    refund_id: i64,
) -> Result<(), AppError> {
    let members: Vec<i64> = sqlx::query_scalar(
        "SELECT user_id FROM organisation_members WHERE organisation_id = $1 \
         UNION SELECT owner_user_id FROM organisations WHERE id = $1",
    )
    .bind(organisation_id)
    .fetch_all(&mut *conn)
    .await?;
    for user_id in members {
        notify(conn, now, user_id, event_type, number, amount, refund_id).await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------
// Reading.

enum Arg {
    Int(i64),
    Text(String),
}

/// SQL assembled from optional filters, numbering its `$n` placeholders as arguments are added.
struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    fn new(text: &str) -> Sql {
        Sql { text: text.to_string(), args: vec![] }
    }

    fn arg(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        format!("${}", self.args.len())
    }

    fn push(&mut self, sql: &str) {
        self.text.push_str(sql);
    }

    fn query(&self) -> sqlx::query::Query<'_, Any, AnyArguments<'_>> {
        self.args.iter().fold(sqlx::query(&self.text), |q, a| match a {
            Arg::Int(i) => q.bind(*i),
            Arg::Text(s) => q.bind(s.clone()),
        })
    }
}

const ROW_SELECT: &str = "SELECT r.id, r.status, r.currency, r.amount_minor, r.reason_code, r.organisation_id, \
     r.seller_response, r.respond_by, r.responded_at, r.settled_at, r.dispute_id, r.created_at, o.number, \
     org.name AS seller_name, u.display_name AS buyer_name \
     FROM refunds r JOIN orders o ON o.id = r.order_id JOIN organisations org ON org.id = r.organisation_id \
     JOIN users u ON u.id = r.buyer_id WHERE ";

fn row_of(r: &AnyRow, now: i64, with_buyer: bool) -> Result<RefundRow, AppError> {
    let status: String = r.try_get("status")?;
    let currency: String = r.try_get("currency")?;
    let respond_by: i64 = r.try_get("respond_by")?;
    let created_at: i64 = r.try_get("created_at")?;
    Ok(RefundRow {
        id: r.try_get("id")?,
        order_number: r.try_get("number")?,
        overdue: status == RefundStatus::Requested.as_str() && respond_by <= now,
        status,
        currency: Currency::parse(&currency).ok_or_else(|| corrupt("currency", &currency))?,
        amount_minor: r.try_get("amount_minor")?,
        reason_code: r.try_get("reason_code")?,
        seller_name: r.try_get("seller_name")?,
        organisation_id: r.try_get("organisation_id")?,
        buyer_name: if with_buyer { Some(r.try_get("buyer_name")?) } else { None },
        seller_response: r.try_get("seller_response")?,
        respond_by_ms: respond_by,
        responded_at_ms: r.try_get("responded_at")?,
        settled_at_ms: r.try_get("settled_at")?,
        dispute_id: r.try_get("dispute_id")?,
        created_at_ms: created_at,
        age_hours: (now - created_at).max(0) / 3_600_000,
    })
}

/// Who reads an order's refunds.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Buyer(i64),
    /// The seller organisation, and whether the caller may answer (their role allows it).
    Seller {
        organisation_id: i64,
        may_answer: bool,
    },
    Console,
}

/// The refunds of order `number` for its buyer or its seller (anyone else: `NotFound`).
pub async fn order_refunds(state: &AppState, number: &str, scope: Scope) -> Result<OrderRefunds, AppError> {
    let mut conn = state.db.read().acquire().await?;
    let id = order_id_of(&mut conn, number).await?;
    let order = flow::read_order(&mut conn, id).await?;
    let with_buyer = match scope {
        Scope::Buyer(user) if user == order.buyer_id => false,
        Scope::Seller { organisation_id, .. } if organisation_id == order.organisation_id => true,
        Scope::Console => true,
        _ => return Err(AppError::NotFound),
    };
    let now = state.now_ms();
    let rows = sqlx::query(&format!("{ROW_SELECT} r.order_id = $1 ORDER BY r.id DESC LIMIT $2"))
        .bind(id)
        .bind(MAX_REFUNDS_PER_ORDER)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| row_of(r, now, with_buyer))
        .collect::<Result<Vec<_>, _>>()?;
    let refunded = refunded_of(&mut conn, id).await?;
    let open_refund = open_refund_of(&mut conn, id).await?;
    let open_dispute = open_dispute_of(&mut conn, id).await?;
    Ok(OrderRefunds {
        order_number: order.number,
        can_request: blocked(order.status, open_refund, open_dispute).is_none(),
        refundable_minor: (order.total_minor - refunded).max(0),
        currency: order.currency,
        open_dispute_id: open_dispute,
        rows,
    })
}

/// The seller's refunds: open ones first, soonest deadline first; then answered ones, newest first.
/// Cursor `rank:key:id` over `(rank, key, id)` ascending, key = respond_by when open, -id otherwise.
pub async fn list_seller(
    state: &AppState,
    organisation_id: i64,
    status: Option<RefundStatus>,
    cursor: Option<&str>,
) -> Result<Page<RefundRow>, AppError> {
    const RANK: &str = "(CASE WHEN r.status = 'requested' THEN 0 ELSE 1 END)";
    const KEY: &str = "(CASE WHEN r.status = 'requested' THEN r.respond_by ELSE -r.id END)";
    let size = page_size(None);
    let mut sql = Sql::new(ROW_SELECT);
    let org = sql.arg(Arg::Int(organisation_id));
    sql.push(&format!("r.organisation_id = {org}"));
    if let Some(s) = status {
        let p = sql.arg(Arg::Text(s.as_str().into()));
        sql.push(&format!(" AND r.status = {p}"));
    }
    if let Some((rank, key, id)) = parse_triple(cursor) {
        let (a, b, c) = (sql.arg(Arg::Int(rank)), sql.arg(Arg::Int(key)), sql.arg(Arg::Int(id)));
        sql.push(&format!(
            " AND ({RANK} > {a} OR ({RANK} = {a} AND {KEY} > {b}) OR ({RANK} = {a} AND {KEY} = {b} AND r.id > {c}))"
        ));
    }
    let limit = sql.arg(Arg::Int(size as i64 + 1));
    sql.push(&format!(" ORDER BY {RANK}, {KEY}, r.id LIMIT {limit}"));
    let now = state.now_ms();
    let rows = sql.query().fetch_all(state.db.read()).await?;
    let out = rows.iter().map(|r| row_of(r, now, true)).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(out, size, |r| {
        let open = r.status == RefundStatus::Requested.as_str();
        format!("{}:{}:{}", if open { 0 } else { 1 }, if open { r.respond_by_ms } else { -r.id }, r.id)
    }))
}

fn parse_triple(cursor: Option<&str>) -> Option<(i64, i64, i64)> {
    let mut it = cursor?.trim().splitn(3, ':');
    Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?, it.next()?.parse().ok()?))
}

/// The console's filter.
#[derive(Debug, Clone, Default)]
pub struct ConsoleFilter {
    pub status: Option<RefundStatus>,
    pub seller: Option<SellerFilter>,
    pub overdue_only: bool,
}

fn like(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "LIKE",
        Backend::Postgres => "ILIKE",
    }
}

/// Every refund, oldest first (the queue's order), narrowed by the filter. Cursor: the last id.
pub async fn list_console(
    state: &AppState,
    f: &ConsoleFilter,
    cursor: Option<&str>,
) -> Result<Page<RefundRow>, AppError> {
    let size = page_size(None);
    let now = state.now_ms();
    let mut sql = Sql::new(ROW_SELECT);
    let after = sql.arg(Arg::Int(crate::domain::page::parse_id_cursor(cursor).unwrap_or(0)));
    sql.push(&format!("r.id > {after}"));
    if let Some(s) = f.status {
        let p = sql.arg(Arg::Text(s.as_str().into()));
        sql.push(&format!(" AND r.status = {p}"));
    }
    match &f.seller {
        Some(SellerFilter::Id(id)) => {
            let p = sql.arg(Arg::Int(*id));
            sql.push(&format!(" AND r.organisation_id = {p}"));
        }
        Some(SellerFilter::Name(name)) => {
            let p = sql.arg(Arg::Text(crate::platform::sql::contains_pattern(name)));
            sql.push(&format!(" AND org.name {} {p} ESCAPE '\\'", like(state.db.backend)));
        }
        None => {}
    }
    if f.overdue_only {
        let p = sql.arg(Arg::Int(now));
        sql.push(&format!(" AND r.status = 'requested' AND r.respond_by <= {p}"));
    }
    let limit = sql.arg(Arg::Int(size as i64 + 1));
    sql.push(&format!(" ORDER BY r.id LIMIT {limit}"));
    let rows = sql.query().fetch_all(state.db.read()).await?;
    let out = rows.iter().map(|r| row_of(r, now, true)).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(out, size, |r| r.id.to_string()))
}

/// The console's counters: waiting for the seller, overdue answers, refunded in the last 7 days
/// (count and amount in the platform's currency).
pub async fn counters(state: &AppState) -> Result<RefundCounters, AppError> {
    let now = state.now_ms();
    let db = state.db.read();
    let waiting: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM refunds WHERE status = 'requested'").fetch_one(db).await?;
    let overdue: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM refunds WHERE status = 'requested' AND respond_by <= $1")
            .bind(now)
            .fetch_one(db)
            .await?;
    let currency = state.settings.currency;
    let r = sqlx::query(
        "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) AS total FROM refunds \
         WHERE status = 'refunded' AND settled_at >= $1 AND currency = $2",
    )
    .bind(now - WEEK_MS)
    .bind(currency.code())
    .fetch_one(db)
    .await?;
    Ok(RefundCounters {
        waiting,
        overdue,
        refunded_week: r.try_get("n")?,
        currency,
        refunded_week_minor: r.try_get("total")?,
    })
}

/// One refund for the seller (its own organisation's) or the console.
pub async fn detail(state: &AppState, id: i64, scope: Scope) -> Result<RefundDetail, AppError> {
    let now = state.now_ms();
    let mut conn = state.db.read().acquire().await?;
    let r = sqlx::query(&format!(
        "{} r.id = $1",
        ROW_SELECT.replace(
            "SELECT r.id,",
            "SELECT r.order_id, r.details, r.evidence_upload_id, r.commission_reversed_minor, r.posting_id, \
             r.buyer_id, u.email AS buyer_email, r.id,"
        )
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let row = row_of(&r, now, true)?;
    let (viewer, can_answer) = match scope {
        Scope::Seller { organisation_id, may_answer } if organisation_id == row.organisation_id => {
            (RefundViewer::Seller, may_answer && row.status == RefundStatus::Requested.as_str())
        }
        Scope::Console => (RefundViewer::Console, false),
        Scope::Buyer(user) if user == r.try_get::<i64, _>("buyer_id")? => (RefundViewer::Buyer, false),
        _ => return Err(AppError::NotFound),
    };
    let order_id: i64 = r.try_get("order_id")?;
    let order = flow::read_order(&mut conn, order_id).await?;
    let lines = sqlx::query(
        "SELECT title, variant_label, quantity, line_total_minor, commission_minor FROM order_lines \
         WHERE order_id = $1 ORDER BY id LIMIT 200",
    )
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|l| {
        Ok(RefundLine {
            title: l.try_get("title")?,
            variant_label: l.try_get("variant_label")?,
            quantity: l.try_get("quantity")?,
            line_total_minor: l.try_get("line_total_minor")?,
            commission_minor: l.try_get("commission_minor")?,
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    let evidence = match r.try_get::<Option<i64>, _>("evidence_upload_id")? {
        Some(upload) => uploads::find(state, upload).await?.map(|u| EvidenceLink {
            id: u.id,
            url: uploads::url_of(u.purpose, u.id),
            file_name: u.file_name,
            content_type: u.content_type,
        }),
        None => None,
    };
    let commission_reversed: i64 = r.try_get("commission_reversed_minor")?;
    let posting_id: Option<i64> = r.try_get("posting_id")?;
    let effect = effect(&mut conn, &row, order_id, order.organisation_id, posting_id, commission_reversed).await?;
    let history = if viewer == RefundViewer::Console { history(&mut conn, id).await? } else { vec![] };
    Ok(RefundDetail {
        order_id,
        order_status: order.status.as_str().to_string(),
        order_total_minor: order.total_minor,
        order_refunded_minor: refunded_of(&mut conn, order_id).await?,
        details: r.try_get("details")?,
        evidence,
        commission_reversed_minor: commission_reversed,
        lines,
        effect,
        buyer_email: if viewer == RefundViewer::Console { Some(r.try_get("buyer_email")?) } else { None },
        history,
        viewer,
        can_answer,
        row,
    })
}

fn source_of(account: Option<&Account>) -> &'static str {
    match account {
        Some(Account::SellerPending(_)) => "pending",
        Some(Account::SellerAvailable(_)) => "available",
        _ => "clearing",
    }
}

/// The ledger effect: the posting made for a settled refund, the preview for an open one, nothing
/// for a refusal, withdrawal or escalation (a dispute decides the money then).
async fn effect(
    conn: &mut AnyConnection,
    row: &RefundRow,
    order_id: i64,
    seller: i64,
    posting_id: Option<i64>,
    commission_reversed: i64,
) -> Result<LedgerEffect, AppError> {
    let none = |code: &str| LedgerEffect {
        source: String::new(),
        refund_minor: row.amount_minor,
        seller_gives_minor: 0,
        commission_returned_minor: 0,
        seller_earns_minor: None,
        entries: vec![],
        posted: false,
        posting_id: None,
        unavailable: Some(code.to_string()),
    };
    if let Some(pid) = posting_id {
        let entries = sqlx::query(
            "SELECT a.code, e.amount_minor FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id \
             WHERE e.posting_id = $1 ORDER BY e.id",
        )
        .bind(pid)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|e| Ok(EffectEntry { account: e.try_get("code")?, amount_minor: e.try_get("amount_minor")? }))
        .collect::<Result<Vec<_>, AppError>>()?;
        let pending = Account::SellerPending(seller).code();
        let available = Account::SellerAvailable(seller).code();
        let from_seller = entries.iter().find(|e| e.account == pending || e.account == available);
        let source = match from_seller {
            Some(e) if e.account == pending => "pending",
            Some(_) => "available",
            None => "clearing",
        };
        return Ok(LedgerEffect {
            source: source.to_string(),
            refund_minor: row.amount_minor,
            seller_gives_minor: from_seller.map(|e| e.amount_minor).unwrap_or(0),
            commission_returned_minor: if from_seller.is_some() { commission_reversed } else { 0 },
            seller_earns_minor: None,
            entries,
            posted: true,
            posting_id: Some(pid),
            unavailable: None,
        });
    }
    if row.status != RefundStatus::Requested.as_str() {
        return Ok(none("refunds.effect.nothing_moved"));
    }
    let plan = match settlement::preview(conn, order_id, row.amount_minor).await {
        Ok(plan) => plan,
        Err(AppError::Invalid { code, .. } | AppError::Conflict { code }) => return Ok(none(&code)),
        Err(e) => return Err(e),
    };
    let seller_earns = plan.remainder.as_ref().map(|rest| {
        -rest
            .entries
            .iter()
            .filter(|e| e.account == Account::SellerPending(seller))
            .map(|e| e.amount_minor)
            .sum::<i64>()
    });
    Ok(LedgerEffect {
        source: source_of(plan.seller_account.as_ref()).to_string(),
        refund_minor: plan.amount_minor,
        seller_gives_minor: plan.seller_share_minor,
        commission_returned_minor: if plan.seller_account.is_some() { plan.commission_reversed_minor } else { 0 },
        seller_earns_minor: seller_earns,
        entries: plan
            .refund
            .entries
            .iter()
            .map(|e| EffectEntry { account: e.account.code(), amount_minor: e.amount_minor })
            .collect(),
        posted: false,
        posting_id: None,
        unavailable: None,
    })
}

async fn history(conn: &mut AnyConnection, id: i64) -> Result<Vec<HistoryItem>, AppError> {
    sqlx::query(
        "SELECT a.at, a.action, a.actor_roles, a.reason, u.email FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id \
         WHERE a.target_type = 'refund' AND a.target_id = $1 ORDER BY a.id LIMIT $2",
    )
    .bind(id.to_string())
    .bind(MAX_HISTORY)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|a| {
        Ok(HistoryItem {
            at_ms: a.try_get("at")?,
            action: a.try_get("action")?,
            actor: a.try_get("email")?,
            actor_roles: a.try_get("actor_roles")?,
            reason: a.try_get("reason")?,
        })
    })
    .collect()
}
