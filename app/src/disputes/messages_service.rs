//! A dispute's conversation: reading it (its two sides or an operator) and adding a message (with
//! optional evidence) while it is open. Adding is one `Change` under the dispute's lock.

use super::model::{DisputeMessage, DisputeThread};
use super::queries::{facts, side_of, Scope};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::dispute::{self, Side, MAX_MESSAGES};
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change, RowLock};
use crate::platform::outbox::OutboxEvent;
use crate::platform::state::AppState;
use crate::refunds::evidence;
use serde_json::json;
use sqlx::AnyConnection;

/// Stores one message of the conversation; returns its id.
pub(super) async fn insert_message(
    conn: &mut AnyConnection,
    dispute_id: i64,
    author_id: i64,
    side: Side,
    body: &str,
    evidence_upload_id: Option<i64>,
    now: i64,
) -> Result<i64, AppError> {
    sqlx::query_scalar(
        "INSERT INTO dispute_messages (dispute_id, author_id, side, body, evidence_upload_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(dispute_id)
    .bind(author_id)
    .bind(side.as_str())
    .bind(body)
    .bind(evidence_upload_id)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .context("storing the dispute message")
}

/// The dispute and its order as the thread shows them.
#[derive(sqlx::FromRow)]
struct ThreadRecord {
    order_number: String,
    order_status: String,
    order_total: i64,
    order_refunded: i64,
    seller_name: String,
    claim_minor: i64,
    reason_code: String,
    details: String,
    opened_by: String,
    refund_id: Option<i64>,
    sla_due_at: i64,
    created_at: i64,
    decision: Option<String>,
    decision_amount_minor: Option<i64>,
    decision_reason: String,
    decided_at: Option<i64>,
}

const THREAD_SELECT: &str = "SELECT o.number AS order_number, o.status AS order_status, o.total_minor AS order_total, \
     o.refunded_minor AS order_refunded, org.name AS seller_name, d.claim_minor, d.reason_code, d.details, \
     d.opened_by, d.refund_id, d.sla_due_at, d.created_at, d.decision, d.decision_amount_minor, d.decision_reason, \
     d.decided_at \
     FROM disputes d JOIN orders o ON o.id = d.order_id JOIN organisations org ON org.id = d.organisation_id \
     WHERE d.id = $1";

/// The conversation, oldest first; authors' emails for operators only.
async fn messages_of(conn: &mut AnyConnection, id: i64, console: bool) -> Result<Vec<DisputeMessage>, AppError> {
    let mut messages: Vec<DisputeMessage> = sqlx::query_as(
        "SELECT m.id, m.side, u.email AS author, m.body, m.evidence_upload_id, m.created_at AS created_at_ms \
         FROM dispute_messages m JOIN users u ON u.id = m.author_id WHERE m.dispute_id = $1 ORDER BY m.id LIMIT $2",
    )
    .bind(id)
    .bind(MAX_MESSAGES)
    .fetch_all(&mut *conn)
    .await
    .context("reading the dispute's messages")?;
    if !console {
        messages.iter_mut().for_each(|m| m.author = None);
    }
    Ok(messages)
}

/// A dispute with its conversation, within `scope` (`NotFound` for anyone not a party).
pub async fn view(state: &AppState, id: i64, scope: Scope) -> Result<DisputeThread, AppError> {
    let mut conn = state.db.read().acquire().await.context("opening a read connection")?;
    let d = facts(&mut conn, id).await?;
    let viewer_side = match scope {
        Scope::Party(user) => side_of(&mut conn, &d, user).await?.ok_or(AppError::NotFound)?,
        Scope::Console => Side::Operator,
    };
    let r: ThreadRecord =
        sqlx::query_as(THREAD_SELECT).bind(id).fetch_one(&mut *conn).await.context("reading the dispute's thread")?;
    let messages = messages_of(&mut conn, id, scope == Scope::Console).await?;
    let messages_left = (MAX_MESSAGES - messages.len() as i64).max(0);
    Ok(DisputeThread {
        id,
        order_id: d.order_id,
        order_number: r.order_number,
        order_status: r.order_status,
        seller_name: r.seller_name,
        currency: d.currency,
        order_total_minor: r.order_total,
        refunded_minor: r.order_refunded,
        claim_minor: r.claim_minor,
        reason_code: r.reason_code,
        details: r.details,
        opened_by: r.opened_by,
        refund_id: r.refund_id,
        status: d.status.as_str().to_string(),
        sla_due_at_ms: r.sla_due_at,
        created_at_ms: r.created_at,
        decision: r.decision,
        decision_amount_minor: r.decision_amount_minor,
        decision_reason: r.decision_reason,
        decided_at_ms: r.decided_at,
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
    let mut c = Change::by_caller(state, caller, meta).await?;
    // The dispute's row lock: messages and the decision line up, and the count below holds.
    if !c.lock(RowLock::Dispute(id)).await? {
        return Err(AppError::NotFound);
    }
    let d = facts(c.conn(), id).await?;
    let side = match scope {
        Scope::Party(user) => side_of(c.conn(), &d, user).await?.ok_or(AppError::NotFound)?,
        Scope::Console => Side::Operator,
    };
    let body = dispute::parse_message(body, evidence_upload_id.is_some())
        .map_err(|(field, code)| AppError::invalid(field, code))?;
    if !d.status.accepts_messages() {
        return Err(AppError::conflict("disputes.closed"));
    }
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM dispute_messages WHERE dispute_id = $1")
        .bind(id)
        .fetch_one(c.conn())
        .await
        .context("counting the dispute's messages")?;
    if count >= MAX_MESSAGES {
        return Err(AppError::conflict("disputes.too_many_messages"));
    }
    if let Some(upload) = evidence_upload_id {
        evidence::check_attachable(c.conn(), "evidence", upload, d.order_id, caller.user_id).await?;
    }
    let now = c.now_ms();
    let message_id = insert_message(c.conn(), id, caller.user_id, side, &body, evidence_upload_id, now).await?;
    sqlx::query("UPDATE disputes SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(c.conn())
        .await
        .context("touching the dispute")?;
    let number: String = sqlx::query_scalar("SELECT number FROM orders WHERE id = $1")
        .bind(d.order_id)
        .fetch_one(c.conn())
        .await
        .context("reading the order number")?;
    let payload = json!({ "number": number, "dispute": id.to_string() });
    let buyer = |event: &str| OutboxEvent::notify(d.buyer_id, event, payload.clone());
    match side {
        Side::Buyer => c.notify_seller_members(d.organisation_id, "disputes.message_seller", payload.clone()).await?,
        Side::Seller => c.notify(buyer("disputes.message")).await?,
        Side::Operator => {
            c.notify(buyer("disputes.message_operator")).await?;
            c.notify_seller_members(d.organisation_id, "disputes.message_operator", payload.clone()).await?;
        }
    }
    let audit = Audit::new(AuditAction::DisputesMessage, AuditTarget::Dispute(id))
        .before(json!({ "messages": count }))
        .after(json!({ "messages": count + 1, "message_id": message_id, "side": side.as_str(),
                       "evidence_upload_id": evidence_upload_id }));
    c.audit(audit).await?;
    c.commit().await?;
    Ok(message_id)
}
