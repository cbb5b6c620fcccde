//! Disputes: opening one (the buyer, a refused refund's escalation, the refund timer), the two
//! sides' and the operators' messages, the console queue, and the decision. Each mutation is one
//! transaction: the change, its audit record and its notifications. A refund decided here moves money
//! only through `finance::settlement::settle`.

use super::model::{
    parse_queue_cursor, ConsoleDispute, DisputeCounters, DisputeMessage, DisputeRow, DisputeThread, EffectLine,
    LedgerEffect, OpenDisputeInfo, OrderDisputeState, QueueFilter,
};
use crate::domain::dispute::{self, DisputeStatus, OpenedBy, Side, MAX_MESSAGES};
use crate::domain::ledger::{Account, Posting};
use crate::domain::money::{Currency, Money};
use crate::domain::order::{OrderAction, OrderStatus};
use crate::domain::page::{page_size, Page};
use crate::domain::reason::Reason;
use crate::domain::refund::{self, RefundPlan};
use crate::error::AppError;
use crate::finance::{seller_finance, settlement};
use crate::orders::flow;
use crate::platform::audit_log::{self, Actor, AuditEntry};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::db::Backend;
use crate::platform::outbox::{self, OutboxEvent};
use crate::platform::state::AppState;
use crate::refunds::evidence;
use crate::users::model::contains_pattern;
use rand::RngCore;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

const WEEK_MS: i64 = 7 * 86_400_000;

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

fn hash(parts: &[&str]) -> String {
    hex::encode(Sha256::digest(parts.join("|").as_bytes()))
}

#[track_caller]
fn corrupt(what: &str, value: &str) -> AppError {
    AppError::internal(format!("dispute row with an unknown value: what={what} value={value}"))
}

/// The open dispute of an order, if any.
pub async fn open_dispute_of(conn: &mut AnyConnection, order_id: i64) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM disputes WHERE order_id = $1 AND status = $2 ORDER BY id DESC LIMIT 1")
        .bind(order_id)
        .bind(DisputeStatus::Open.as_str())
        .fetch_optional(&mut *conn)
        .await?)
}

/// An open refund request on the order (a dispute is refused meanwhile: the buyer escalates it).
async fn open_refund_of(conn: &mut AnyConnection, order_id: i64) -> Result<Option<i64>, AppError> {
    crate::refunds::queries::open_refund_of(conn, order_id).await
}

/// Every member of the seller organisation, the owner included.
async fn seller_members(conn: &mut AnyConnection, organisation_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT user_id FROM organisation_members WHERE organisation_id = $1 \
         UNION SELECT owner_user_id FROM organisations WHERE id = $1",
    )
    .bind(organisation_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// An in-app notification about dispute `id` of order `number` (`notify.<event_type>`).
async fn notify(
    conn: &mut AnyConnection,
    now: i64,
    users: &[i64],
    event_type: &str,
    payload: &Value,
) -> Result<(), AppError> {
    for user in users {
        outbox::enqueue(conn, now, &OutboxEvent::notify(*user, event_type, payload.clone())).await?;
    }
    Ok(())
}

/// Opens a dispute on the order in the caller's transaction: the order must be refundable with no
/// open dispute, the claim within what is left to refund. The order moves to in_dispute (its timers
/// pause), the dispute and its opening message are stored, both sides are told, and `disputes.open`
/// is audited. The caller commits. Amount errors are `Invalid("amount", ..)`.
pub async fn open_in(
    tx: &mut AnyConnection,
    state: &AppState,
    actor: &Actor,
    meta: &RequestMeta,
    input: OpenDisputeInput,
) -> Result<i64, AppError> {
    let order = flow::lock_order(tx, input.order_id).await?;
    if open_dispute_of(tx, order.id).await?.is_some() {
        return Err(AppError::conflict("disputes.already_open"));
    }
    if !order.status.refundable() {
        return Err(AppError::conflict("disputes.order_not_disputable"));
    }
    // Another refund request still waiting for the seller would let the seller settle the order
    // while the dispute is open: the buyer escalates that request instead (the one escalating now,
    // `input.refund_id`, is not counted).
    let other_open: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM refunds WHERE order_id = $1 AND status = 'requested' AND id <> $2")
            .bind(order.id)
            .bind(input.refund_id.unwrap_or(0))
            .fetch_one(&mut *tx)
            .await?;
    if other_open > 0 {
        return Err(AppError::conflict("disputes.refund_open"));
    }
    let money = settlement::order_money(tx, order.id).await?;
    let request =
        refund::parse_request(input.claim_minor, money.refundable_minor(), &input.reason_code, &input.details)
            .map_err(|(field, code)| AppError::invalid(field, code))?;
    let now = state.now_ms();
    flow::transition_in(tx, state, order.id, OrderAction::OpenDispute, actor.id, "").await?;
    let sla_due_at = now + state.settings.dispute_sla_ms;
    let id: i64 = sqlx::query_scalar(
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
    .fetch_one(&mut *tx)
    .await?;
    insert_message(tx, id, order.buyer_id, Side::Buyer, &request.details, None, now).await?;
    let payload = json!({ "number": order.number, "dispute": id.to_string() });
    notify(tx, now, &[order.buyer_id], "disputes.opened", &payload).await?;
    let members = seller_members(tx, order.organisation_id).await?;
    notify(tx, now, &members, "disputes.opened_seller", &payload).await?;
    audit_log::record(
        tx,
        actor,
        meta,
        now,
        AuditEntry {
            action: "disputes.open",
            target_type: "dispute",
            target_id: id.to_string(),
            before: json!({ "order": order.number, "order_status": order.status.as_str() }),
            after: json!({
                "status": DisputeStatus::Open.as_str(),
                "opened_by": input.opened_by.as_str(),
                "refund_id": input.refund_id,
                "claim_minor": request.amount_minor,
                "reason_code": request.reason_code,
                "sla_due_at": sla_due_at,
            }),
            reason: "",
            result: "ok",
        },
    )
    .await?;
    Ok(id)
}

async fn insert_message(
    tx: &mut AnyConnection,
    dispute_id: i64,
    author_id: i64,
    side: Side,
    body: &str,
    evidence_upload_id: Option<i64>,
    now: i64,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO dispute_messages (dispute_id, author_id, side, body, evidence_upload_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(dispute_id)
    .bind(author_id)
    .bind(side.as_str())
    .bind(body)
    .bind(evidence_upload_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?)
}

async fn order_by_number(conn: &mut AnyConnection, number: &str) -> Result<(i64, i64), AppError> {
    let r = sqlx::query("SELECT id, buyer_id FROM orders WHERE number = $1")
        .bind(number)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((r.try_get("id")?, r.try_get("buyer_id")?))
}

/// The buyer's "open a dispute" page: the order (theirs, else 404) and what may still be claimed.
pub async fn open_form(state: &AppState, caller: &Caller, number: &str) -> Result<OpenDisputeInfo, AppError> {
    let mut conn = state.db.read().acquire().await?;
    let (order_id, buyer_id) = order_by_number(&mut conn, number).await?;
    if buyer_id != caller.user_id {
        return Err(AppError::NotFound);
    }
    let order = flow::read_order(&mut conn, order_id).await?;
    let money = settlement::order_money(&mut conn, order_id).await?;
    let seller_name: String = sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
        .bind(order.organisation_id)
        .fetch_one(&mut *conn)
        .await?;
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
    let mut conn = state.db.read().acquire().await?;
    let (order_id, buyer_id) = order_by_number(&mut conn, number).await?;
    let order = flow::read_order(&mut conn, order_id).await?;
    if !(operator || buyer_id == user_id || evidence::is_member(&mut conn, order.organisation_id, user_id).await?) {
        return Err(AppError::NotFound);
    }
    let latest = sqlx::query("SELECT id, status FROM disputes WHERE order_id = $1 ORDER BY id DESC LIMIT 1")
        .bind(order_id)
        .fetch_optional(&mut *conn)
        .await?;
    let (dispute_id, dispute_status) = match latest {
        Some(r) => (Some(r.try_get::<i64, _>("id")?), Some(r.try_get::<String, _>("status")?)),
        None => (None, None),
    };
    let money = settlement::order_money(&mut conn, order_id).await?;
    let open = dispute_status.as_deref() == Some(DisputeStatus::Open.as_str());
    let can_open = order.status.refundable()
        && money.refundable_minor() > 0
        && !open
        && open_refund_of(&mut conn, order_id).await?.is_none();
    Ok(OrderDisputeState { dispute_id, dispute_status, can_open })
}

/// The buyer opens a dispute on their order (`NotFound` for anyone else's). The idempotency key makes
/// a retry return the first dispute; the same key with another request is `disputes.key_reused`.
#[allow(clippy::too_many_arguments)]
pub async fn open_by_buyer(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    key: &str,
    number: &str,
    claim: &str,
    reason_code: &str,
    details: &str,
) -> Result<i64, AppError> {
    let mut tx = state.db.begin().await?;
    let (order_id, buyer_id) = order_by_number(&mut tx, number).await?;
    if buyer_id != caller.user_id {
        return Err(AppError::NotFound);
    }
    // The order's lock first: a retry racing the first request waits, then finds its dispute.
    let order = flow::lock_order(&mut tx, order_id).await?;
    let request_hash = hash(&[number, claim.trim(), reason_code.trim(), details.trim()]);
    let existing = sqlx::query("SELECT id, request_hash FROM disputes WHERE buyer_id = $1 AND idempotency_key = $2")
        .bind(caller.user_id)
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(r) = existing {
        let stored: Option<String> = r.try_get("request_hash")?;
        return if stored.as_deref() == Some(request_hash.as_str()) {
            Ok(r.try_get("id")?)
        } else {
            Err(AppError::conflict("disputes.key_reused"))
        };
    }
    let claim_minor = Money::parse(claim, order.currency).map_err(|e| AppError::invalid("claim", e.code()))?.minor;
    let input = OpenDisputeInput {
        order_id,
        refund_id: None,
        opened_by: OpenedBy::Buyer,
        claim_minor,
        reason_code: reason_code.to_string(),
        details: details.to_string(),
    };
    let id = open_in(&mut tx, state, &Actor::of(caller), meta, input).await.map_err(|e| match e {
        AppError::Invalid { field, code } if field == "amount" => AppError::invalid("claim", &code),
        other => other,
    })?;
    sqlx::query("UPDATE disputes SET idempotency_key = $1, request_hash = $2 WHERE id = $3")
        .bind(key)
        .bind(&request_hash)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Who reads a dispute: one of its two sides, or an operator (console).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Party(i64),
    Console,
}

struct DisputeFacts {
    order_id: i64,
    organisation_id: i64,
    buyer_id: i64,
    status: DisputeStatus,
    currency: Currency,
}

fn facts_of(r: &AnyRow) -> Result<DisputeFacts, AppError> {
    let status: String = r.try_get("status")?;
    let currency: String = r.try_get("currency")?;
    Ok(DisputeFacts {
        order_id: r.try_get("order_id")?,
        organisation_id: r.try_get("organisation_id")?,
        buyer_id: r.try_get("buyer_id")?,
        status: DisputeStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        currency: Currency::parse(&currency).ok_or_else(|| corrupt("currency", &currency))?,
    })
}

/// The side `user_id` takes in the dispute, `None` when they are neither its buyer nor its seller.
async fn side_of(conn: &mut AnyConnection, d: &DisputeFacts, user_id: i64) -> Result<Option<Side>, AppError> {
    if d.buyer_id == user_id {
        Ok(Some(Side::Buyer))
    } else if evidence::is_member(conn, d.organisation_id, user_id).await? {
        Ok(Some(Side::Seller))
    } else {
        Ok(None)
    }
}

const VIEW_SELECT: &str =
    "SELECT d.*, o.number AS order_number, o.status AS order_status, o.total_minor AS order_total, \
     o.refunded_minor AS order_refunded, org.name AS seller_name \
     FROM disputes d JOIN orders o ON o.id = d.order_id JOIN organisations org ON org.id = d.organisation_id \
     WHERE d.id = $1";

/// A dispute with its conversation, within `scope` (`NotFound` for anyone not a party).
pub async fn view(state: &AppState, id: i64, scope: Scope) -> Result<DisputeThread, AppError> {
    let mut conn = state.db.read().acquire().await?;
    let r = sqlx::query(VIEW_SELECT).bind(id).fetch_optional(&mut *conn).await?.ok_or(AppError::NotFound)?;
    let facts = facts_of(&r)?;
    let viewer_side = match scope {
        Scope::Party(user) => side_of(&mut conn, &facts, user).await?.ok_or(AppError::NotFound)?,
        Scope::Console => Side::Operator,
    };
    let console = scope == Scope::Console;
    let rows = sqlx::query(
        "SELECT m.id, m.side, m.body, m.evidence_upload_id, m.created_at, u.email FROM dispute_messages m \
         JOIN users u ON u.id = m.author_id WHERE m.dispute_id = $1 ORDER BY m.id LIMIT $2",
    )
    .bind(id)
    .bind(MAX_MESSAGES)
    .fetch_all(&mut *conn)
    .await?;
    let messages = rows
        .iter()
        .map(|m| {
            Ok(DisputeMessage {
                id: m.try_get("id")?,
                side: m.try_get("side")?,
                author: if console { Some(m.try_get("email")?) } else { None },
                body: m.try_get("body")?,
                evidence_upload_id: m.try_get("evidence_upload_id")?,
                created_at_ms: m.try_get("created_at")?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let messages_left = (MAX_MESSAGES - messages.len() as i64).max(0);
    Ok(DisputeThread {
        id,
        order_id: facts.order_id,
        order_number: r.try_get("order_number")?,
        order_status: r.try_get("order_status")?,
        seller_name: r.try_get("seller_name")?,
        currency: facts.currency,
        order_total_minor: r.try_get("order_total")?,
        refunded_minor: r.try_get("order_refunded")?,
        claim_minor: r.try_get("claim_minor")?,
        reason_code: r.try_get("reason_code")?,
        details: r.try_get("details")?,
        opened_by: r.try_get("opened_by")?,
        refund_id: r.try_get("refund_id")?,
        status: facts.status.as_str().to_string(),
        sla_due_at_ms: r.try_get("sla_due_at")?,
        created_at_ms: r.try_get("created_at")?,
        decision: r.try_get("decision")?,
        decision_amount_minor: r.try_get("decision_amount_minor")?,
        decision_reason: r.try_get("decision_reason")?,
        decided_at_ms: r.try_get("decided_at")?,
        viewer_side: viewer_side.as_str().to_string(),
        messages,
        messages_left,
    })
}

/// Adds a message (with optional evidence the author uploaded about the order) while the dispute is
/// open. Parties write as their side; operators (`Scope::Console`) as the operator. The other side(s)
/// are told. Audited as `disputes.message`.
pub async fn add_message(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    scope: Scope,
    body: &str,
    evidence_upload_id: Option<i64>,
) -> Result<i64, AppError> {
    let mut tx = state.db.begin().await?;
    // The dispute's row lock: messages and the decision line up, and the count below holds.
    let locked = sqlx::query("UPDATE disputes SET updated_at = updated_at WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if locked == 0 {
        return Err(AppError::NotFound);
    }
    let r = sqlx::query("SELECT * FROM disputes WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
    let d = facts_of(&r)?;
    let side = match scope {
        Scope::Party(user) => side_of(&mut tx, &d, user).await?.ok_or(AppError::NotFound)?,
        Scope::Console => Side::Operator,
    };
    let body = dispute::parse_message(body, evidence_upload_id.is_some())
        .map_err(|(field, code)| AppError::invalid(field, code))?;
    if !d.status.accepts_messages() {
        return Err(AppError::conflict("disputes.closed"));
    }
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM dispute_messages WHERE dispute_id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    if count >= MAX_MESSAGES {
        return Err(AppError::conflict("disputes.too_many_messages"));
    }
    if let Some(upload) = evidence_upload_id {
        evidence::check_attachable(&mut tx, "evidence", upload, d.order_id, caller.user_id).await?;
    }
    let now = state.now_ms();
    let message_id = insert_message(&mut tx, id, caller.user_id, side, &body, evidence_upload_id, now).await?;
    sqlx::query("UPDATE disputes SET updated_at = $1 WHERE id = $2").bind(now).bind(id).execute(&mut *tx).await?;
    let number: String =
        sqlx::query_scalar("SELECT number FROM orders WHERE id = $1").bind(d.order_id).fetch_one(&mut *tx).await?;
    let payload = json!({ "number": number, "dispute": id.to_string() });
    let members = seller_members(&mut tx, d.organisation_id).await?;
    match side {
        Side::Buyer => notify(&mut tx, now, &members, "disputes.message_seller", &payload).await?,
        Side::Seller => notify(&mut tx, now, &[d.buyer_id], "disputes.message", &payload).await?,
        Side::Operator => {
            notify(&mut tx, now, &[d.buyer_id], "disputes.message_operator", &payload).await?;
            notify(&mut tx, now, &members, "disputes.message_operator", &payload).await?;
        }
    }
    audit_log::record(
        &mut tx,
        &Actor::of(caller),
        meta,
        now,
        AuditEntry {
            action: "disputes.message",
            target_type: "dispute",
            target_id: id.to_string(),
            before: json!({ "messages": count }),
            after: json!({ "messages": count + 1, "message_id": message_id, "side": side.as_str(),
                           "evidence_upload_id": evidence_upload_id }),
            reason: "",
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(message_id)
}

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

async fn dispute_order(conn: &mut AnyConnection, id: i64) -> Result<DisputeFacts, AppError> {
    let r = sqlx::query("SELECT * FROM disputes WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?;
    facts_of(&r.ok_or(AppError::NotFound)?)
}

/// What refunding `amount` (typed, major units) on the dispute's order would post now.
pub async fn preview(state: &AppState, id: i64, amount: &str) -> Result<LedgerEffect, AppError> {
    let mut conn = state.db.read().acquire().await?;
    let d = dispute_order(&mut conn, id).await?;
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
    let mut conn = state.db.read().acquire().await?;
    let d = dispute_order(&mut conn, id).await?;
    let status_before_dispute: Option<String> =
        sqlx::query_scalar("SELECT status_before_dispute FROM orders WHERE id = $1")
            .bind(d.order_id)
            .fetch_one(&mut *conn)
            .await?;
    let money = settlement::order_money(&mut conn, d.order_id).await?;
    let balances = seller_finance::balances(&mut conn, d.organisation_id, d.currency.code()).await?;
    let finance = seller_finance::read(&mut conn, d.organisation_id).await?;
    let full_effect = if d.status == DisputeStatus::Open && money.refundable_minor() > 0 {
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
        can_decide: d.status == DisputeStatus::Open && caller.can(crate::domain::permissions::DISPUTES_DECIDE),
        idempotency_key: new_idempotency_key(),
    })
}

/// The result of a decision (also what a retry with the same key returns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    pub status: DisputeStatus,
    pub posting_id: Option<i64>,
}

/// Decides an open dispute in one transaction: re-reads it under its lock (a second decision is
/// `disputes.already_decided`), refunds through `settlement::settle` (key `dispute:<id>:decision`) or
/// returns the order to where the dispute found it, stores the decision, tells both sides and audits
/// `disputes.decide`. The same idempotency key with the same request returns the first result.
#[allow(clippy::too_many_arguments)]
pub async fn decide(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    kind: &str,
    amount: &str,
    reason: &Reason,
    key: &str,
) -> Result<Decided, AppError> {
    let mut tx = state.db.begin().await?;
    let locked = sqlx::query("UPDATE disputes SET updated_at = updated_at WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if locked == 0 {
        return Err(AppError::NotFound);
    }
    let r = sqlx::query("SELECT * FROM disputes WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
    let d = facts_of(&r)?;
    let amount = if kind.trim() == "refund_partial" { amount.trim() } else { "" };
    let request_hash = hash(&[&id.to_string(), kind.trim(), amount, reason.as_str()]);
    if d.status != DisputeStatus::Open {
        let stored_key: Option<String> = r.try_get("decision_key")?;
        let stored_hash: Option<String> = r.try_get("decision_hash")?;
        if stored_key.as_deref() == Some(key) {
            return if stored_hash.as_deref() == Some(request_hash.as_str()) {
                Ok(Decided { status: d.status, posting_id: r.try_get("posting_id")? })
            } else {
                Err(AppError::conflict("disputes.key_reused"))
            };
        }
        return Err(AppError::conflict("disputes.already_decided"));
    }
    let reused: Option<i64> = sqlx::query_scalar("SELECT id FROM disputes WHERE decision_key = $1 LIMIT 1")
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?;
    if reused.is_some() {
        return Err(AppError::conflict("disputes.key_reused"));
    }
    let order = flow::lock_order(&mut tx, d.order_id).await?;
    let money = settlement::order_money(&mut tx, d.order_id).await?;
    let amount_minor = if amount.is_empty() {
        None
    } else {
        Some(Money::parse(amount, d.currency).map_err(|e| AppError::invalid("amount", e.code()))?.minor)
    };
    let (decision, reason) = dispute::parse_decision(kind, amount_minor, money.refundable_minor(), reason.as_str())
        .map_err(|(field, code)| AppError::invalid(field, code))?;
    let to = d.status.decide(&decision).map_err(AppError::conflict)?;
    let note = format!("dispute {id}: {}", decision.as_str());
    let (posting_id, refunded, available_after) = match decision.refund_amount(money.refundable_minor()) {
        None => {
            flow::transition_in(&mut tx, state, d.order_id, OrderAction::CloseDispute, Some(caller.user_id), &note)
                .await?;
            (None, None, None)
        }
        Some(refund_minor) => {
            let settled = settlement::settle(
                &mut tx,
                state,
                d.order_id,
                refund_minor,
                &format!("dispute:{id}:decision"),
                Some(caller.user_id),
                &note,
            )
            .await?;
            (Some(settled.posting_id), Some(refund_minor), settled.seller_available_after)
        }
    };
    let now = state.now_ms();
    let changed = sqlx::query(
        "UPDATE disputes SET status = $1, decision = $2, decision_amount_minor = $3, decision_reason = $4, \
         decided_by = $5, decided_at = $6, posting_id = $7, decision_key = $8, decision_hash = $9, updated_at = $6 \
         WHERE id = $10 AND status = $11",
    )
    .bind(to.as_str())
    .bind(decision.as_str())
    .bind(refunded)
    .bind(reason.as_str())
    .bind(caller.user_id)
    .bind(now)
    .bind(posting_id)
    .bind(key)
    .bind(&request_hash)
    .bind(id)
    .bind(DisputeStatus::Open.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(AppError::conflict("disputes.already_decided"));
    }
    let amount_text = refunded.map(|m| Money::new(m, d.currency).display()).unwrap_or_default();
    let payload = json!({ "number": order.number, "dispute": id.to_string(), "amount": amount_text });
    let event = if refunded.is_some() { "disputes.decided_refund" } else { "disputes.decided_seller" };
    notify(&mut tx, now, &[d.buyer_id], event, &payload).await?;
    let members = seller_members(&mut tx, d.organisation_id).await?;
    notify(&mut tx, now, &members, &format!("{event}_to_seller"), &payload).await?;
    audit_log::record(
        &mut tx,
        &Actor::of(caller),
        meta,
        now,
        AuditEntry {
            action: "disputes.decide",
            target_type: "dispute",
            target_id: id.to_string(),
            before: json!({ "status": d.status.as_str(), "order_status": order.status.as_str(),
                            "refundable_minor": money.refundable_minor() }),
            after: json!({ "status": to.as_str(), "decision": decision.as_str(), "amount_minor": refunded,
                           "posting_id": posting_id, "seller_available_after": available_after }),
            reason: reason.as_str(),
            result: "ok",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Decided { status: to, posting_id })
}

fn contains(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "LIKE",
        Backend::Postgres => "ILIKE",
    }
}

enum Arg {
    Int(i64),
    Text(String),
}

/// The console queue: oldest SLA first, narrowed by the filter.
pub async fn queue(state: &AppState, f: &QueueFilter, cursor: Option<&str>) -> Result<Page<DisputeRow>, AppError> {
    let size = page_size(None);
    let now = state.now_ms();
    let mut args: Vec<Arg> = vec![];
    let mut arg = |a: Arg| {
        args.push(a);
        format!("${}", args.len())
    };
    let mut sql = String::from(
        "SELECT d.id, d.organisation_id, d.opened_by, d.status, d.currency, d.claim_minor, d.reason_code, \
         d.created_at, d.sla_due_at, d.decided_at, o.number, org.name AS seller_name, u.email AS buyer_email \
         FROM disputes d JOIN orders o ON o.id = d.order_id JOIN organisations org ON org.id = d.organisation_id \
         JOIN users u ON u.id = d.buyer_id WHERE 1 = 1",
    );
    if let Some((sla, id)) = parse_queue_cursor(cursor) {
        let s = arg(Arg::Int(sla));
        let i = arg(Arg::Int(id));
        sql.push_str(&format!(" AND (d.sla_due_at > {s} OR (d.sla_due_at = {s} AND d.id > {i}))"));
    }
    if let Some(status) = f.status {
        let p = arg(Arg::Text(status.as_str().into()));
        sql.push_str(&format!(" AND d.status = {p}"));
    }
    if let Some(org) = f.seller_id {
        let p = arg(Arg::Int(org));
        sql.push_str(&format!(" AND d.organisation_id = {p}"));
    }
    if let Some(name) = &f.seller_name {
        let p = arg(Arg::Text(contains_pattern(name)));
        sql.push_str(&format!(" AND org.name {} {p} ESCAPE '\\'", contains(state.db.backend)));
    }
    if f.past_sla {
        let p = arg(Arg::Int(now));
        let open = arg(Arg::Text(DisputeStatus::Open.as_str().into()));
        sql.push_str(&format!(" AND d.status = {open} AND d.sla_due_at < {p}"));
    }
    if let Some(by) = f.opened_by {
        let p = arg(Arg::Text(by.as_str().into()));
        sql.push_str(&format!(" AND d.opened_by = {p}"));
    }
    let limit = arg(Arg::Int(size as i64 + 1));
    sql.push_str(&format!(" ORDER BY d.sla_due_at, d.id LIMIT {limit}"));
    let query = args.iter().fold(sqlx::query(&sql), |q, a| match a {
        Arg::Int(i) => q.bind(*i),
        Arg::Text(s) => q.bind(s.clone()),
    });
    let rows = query.fetch_all(state.db.read()).await?;
    let out = rows
        .iter()
        .map(|r| {
            let currency: String = r.try_get("currency")?;
            Ok(DisputeRow {
                id: r.try_get("id")?,
                order_number: r.try_get("number")?,
                seller_name: r.try_get("seller_name")?,
                organisation_id: r.try_get("organisation_id")?,
                buyer_email: r.try_get("buyer_email")?,
                opened_by: r.try_get("opened_by")?,
                status: r.try_get("status")?,
                currency: Currency::parse(&currency).ok_or_else(|| corrupt("currency", &currency))?,
                claim_minor: r.try_get("claim_minor")?,
                reason_code: r.try_get("reason_code")?,
                created_at_ms: r.try_get("created_at")?,
                sla_due_at_ms: r.try_get("sla_due_at")?,
                decided_at_ms: r.try_get("decided_at")?,
                age_ms: 0,
                past_sla: false,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let out = out
        .into_iter()
        .map(|d: DisputeRow| DisputeRow {
            age_ms: d.decided_at_ms.unwrap_or(now) - d.created_at_ms,
            past_sla: d.status == DisputeStatus::Open.as_str() && d.sla_due_at_ms < now,
            ..d
        })
        .collect();
    Ok(Page::from_overfetch(out, size, |d| format!("{}:{}", d.sla_due_at_ms, d.id)))
}

/// The queue's counters: open, open past the SLA, decided in the last 7 days, the amount claimed in
/// open disputes (platform currency).
pub async fn counters(state: &AppState) -> Result<DisputeCounters, AppError> {
    let now = state.now_ms();
    let currency = state.settings.currency;
    let r = sqlx::query(
        "SELECT \
           (SELECT COUNT(*) FROM disputes WHERE status = $1) AS open, \
           (SELECT COUNT(*) FROM disputes WHERE status = $1 AND sla_due_at < $2) AS past_sla, \
           (SELECT COUNT(*) FROM disputes WHERE decided_at >= $3) AS decided, \
           (SELECT CAST(COALESCE(SUM(claim_minor), 0) AS BIGINT) FROM disputes WHERE status = $1 AND currency = $4) \
             AS claimed",
    )
    .bind(DisputeStatus::Open.as_str())
    .bind(now)
    .bind(now - WEEK_MS)
    .bind(currency.code())
    .fetch_one(state.db.read())
    .await?;
    Ok(DisputeCounters {
        open: r.try_get("open")?,
        past_sla: r.try_get("past_sla")?,
        decided_this_week: r.try_get("decided")?,
        currency,
        claimed_open_minor: r.try_get("claimed")?,
    })
}
