//! Finance's side: the queue, a payout's detail and the decisions (approve, mark paid, mark failed,
//! reject). A decision is one `Change`: the seller's finance lock, then the payout's, its state read
//! again and moved by the domain's state machine; a payout decided meanwhile is a conflict.

use super::model::{PayoutAudit, PayoutDetail, PayoutPosting, PayoutRow, QueueCounters, QueueFilter};
use super::rows::{own_account, payout, posting_error, rows, PayoutRecord, SELECT_ROW};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::ledger::Posting;
use crate::domain::money::Money;
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::domain::payout::{check_decision, Failure, PayoutAction, PayoutStatus};
use crate::domain::reason::Reason;
use crate::error::AppError;
use crate::finance::seller_finance;
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change, RowLock};
use crate::platform::ledger::PostingRefs;
use crate::platform::sql::{after_id, contains, order_limit, Order, Sql};
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::{AnyConnection, Row};

/// How many of the seller's other payouts the detail page lists.
const HISTORY: i64 = 10;
/// How many audit entries the detail page lists.
const AUDIT_LINES: i64 = 50;
const WEEK_MS: i64 = 7 * 86_400_000;

pub async fn counters(state: &AppState) -> Result<QueueCounters, AppError> {
    let db = state.db.read();
    let count =
        |sql: &'static str| async move { Ok::<i64, AppError>(sqlx::query_scalar::<_, i64>(sql).fetch_one(db).await?) };
    let failed_this_week: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM payouts WHERE status = 'failed' AND closed_at >= $1")
            .bind(state.now_ms() - WEEK_MS)
            .fetch_one(db)
            .await?;
    let in_transit: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount_minor), 0) AS BIGINT) FROM payouts WHERE status IN ('requested', 'approved') \
         AND currency = $1",
    )
    .bind(state.settings().currency.code())
    .fetch_one(db)
    .await?;
    Ok(QueueCounters {
        to_review: count("SELECT COUNT(*) FROM payouts WHERE status = 'requested'").await?,
        approved: count("SELECT COUNT(*) FROM payouts WHERE status = 'approved'").await?,
        failed_this_week,
        in_transit_minor: in_transit,
        flagged: count("SELECT COUNT(*) FROM payouts WHERE status IN ('requested', 'approved') AND risk_flags <> ''")
            .await?,
        currency: Some(state.settings().currency),
    })
}

/// The queue, oldest first (the longest-waiting request is worked first).
pub async fn list_queue(
    state: &AppState,
    filter: &QueueFilter,
    cursor: Option<&str>,
) -> Result<Page<PayoutRow>, AppError> {
    let size = page_size(None);
    let mut sql = Sql::new(state.db.backend, SELECT_ROW);
    sql.push(" WHERE 1 = 1");
    after_id(&mut sql, "p.id", Order::Asc, Some(parse_id_cursor(cursor).unwrap_or(0)));
    if let Some(s) = filter.status {
        sql.and_eq("p.status", s.as_str());
    }
    if let Some(seller) = &filter.seller {
        contains(&mut sql, "o.name", seller);
    }
    if filter.flagged {
        sql.push(" AND p.risk_flags <> ''");
    }
    if filter.frozen {
        sql.push(" AND p.frozen = 1");
    }
    order_limit(&mut sql, "p.id ASC", size);
    let records: Vec<PayoutRecord> = sql.query_as().fetch_all(state.db.read()).await?;
    Ok(Page::from_overfetch(rows(records, state.now_ms())?, size, |r| r.id.to_string()))
}

async fn email_of(conn: &mut AnyConnection, user: Option<i64>) -> Result<Option<String>, AppError> {
    match user {
        Some(u) => {
            Ok(sqlx::query_scalar("SELECT email FROM users WHERE id = $1").bind(u).fetch_optional(&mut *conn).await?)
        }
        None => Ok(None),
    }
}

/// The ledger postings of payout `id` (requested, paid, returned) with their entries.
async fn postings_of(conn: &mut AnyConnection, id: i64) -> Result<Vec<PayoutPosting>, AppError> {
    let entry_rows = sqlx::query(
        "SELECT p.id, p.kind, p.at, a.code, e.amount_minor FROM ledger_postings p \
         JOIN ledger_entries e ON e.posting_id = p.id JOIN ledger_accounts a ON a.id = e.account_id \
         WHERE p.idempotency_key IN ($1, $2, $3) ORDER BY p.id, e.id",
    )
    .bind(format!("payout:{id}:requested"))
    .bind(format!("payout:{id}:paid"))
    .bind(format!("payout:{id}:returned"))
    .fetch_all(&mut *conn)
    .await?;
    let mut postings: Vec<PayoutPosting> = vec![];
    for r in &entry_rows {
        let pid: i64 = r.try_get("id")?;
        let entry = (r.try_get::<String, _>("code")?, r.try_get::<i64, _>("amount_minor")?);
        match postings.last_mut() {
            Some(p) if p.id == pid => p.entries.push(entry),
            _ => postings.push(PayoutPosting {
                id: pid,
                kind: r.try_get("kind")?,
                at_ms: r.try_get("at")?,
                entries: vec![entry],
            }),
        }
    }
    Ok(postings)
}

/// The audit entries about the payout and its account, newest first.
async fn audit_of(conn: &mut AnyConnection, id: i64, account_id: i64) -> Result<Vec<PayoutAudit>, AppError> {
    Ok(sqlx::query_as(
        "SELECT l.id, l.at AS at_ms, l.action, u.email AS actor, l.reason FROM audit_log l \
         LEFT JOIN users u ON u.id = l.actor_id \
         WHERE (l.target_type = 'payout' AND l.target_id = $1) OR (l.target_type = 'payout_account' AND l.target_id = $2) \
         ORDER BY l.id DESC LIMIT $3",
    )
    .bind(id.to_string())
    .bind(account_id.to_string())
    .bind(AUDIT_LINES)
    .fetch_all(&mut *conn)
    .await?)
}

/// The seller's other payouts, newest first.
async fn history_of(conn: &mut AnyConnection, org: i64, id: i64, now: i64) -> Result<Vec<PayoutRow>, AppError> {
    let sql = format!("{SELECT_ROW} WHERE p.organisation_id = $1 AND p.id <> $2 ORDER BY p.id DESC LIMIT $3");
    let records: Vec<PayoutRecord> =
        sqlx::query_as(&sql).bind(org).bind(id).bind(HISTORY).fetch_all(&mut *conn).await?;
    rows(records, now)
}

pub async fn get_payout(state: &AppState, id: i64) -> Result<PayoutDetail, AppError> {
    let now = state.now_ms();
    let mut conn = state.db.read().acquire().await?;
    let row = payout(&mut conn, id, now).await?;
    let org = row.organisation_id;
    let facts = sqlx::query(
        "SELECT p.payout_account_id, p.requested_by, p.approved_by, p.approved_at, p.closed_by, o.status AS seller_status \
         FROM payouts p JOIN organisations o ON o.id = p.organisation_id WHERE p.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let account_id: i64 = facts.try_get("payout_account_id")?;
    let b = seller_finance::balances(&mut conn, org, row.currency.code()).await?;
    let fin = seller_finance::read(&mut conn, org).await?;
    Ok(PayoutDetail {
        account: own_account(&mut conn, org, account_id).await?,
        seller_status: facts.try_get("seller_status")?,
        seller_frozen: fin.frozen,
        pending_minor: b.pending_minor,
        available_minor: b.available_minor,
        in_transit_minor: b.in_transit_minor,
        requested_by: email_of(&mut conn, Some(facts.try_get("requested_by")?)).await?.unwrap_or_default(),
        approved_by: email_of(&mut conn, facts.try_get("approved_by")?).await?,
        approved_at_ms: facts.try_get("approved_at")?,
        closed_by: email_of(&mut conn, facts.try_get("closed_by")?).await?,
        history: history_of(&mut conn, org, id, now).await?,
        postings: postings_of(&mut conn, id).await?,
        audit: audit_of(&mut conn, id, account_id).await?,
        row,
    })
}

/// A finance decision on a payout.
pub enum Decision {
    Approve,
    MarkPaid { reference: String },
    MarkFailed(Failure),
    Reject,
}

impl Decision {
    fn action(&self) -> PayoutAction {
        match self {
            Decision::Approve => PayoutAction::Approve,
            Decision::MarkPaid { .. } => PayoutAction::MarkPaid,
            Decision::MarkFailed(_) => PayoutAction::MarkFailed,
            Decision::Reject => PayoutAction::Reject,
        }
    }

    fn audit_action(&self) -> AuditAction {
        match self {
            Decision::Approve => AuditAction::PayoutsApprove,
            Decision::MarkPaid { .. } => AuditAction::PayoutsMarkPaid,
            Decision::MarkFailed(_) => AuditAction::PayoutsMarkFailed,
            Decision::Reject => AuditAction::PayoutsReject,
        }
    }

    /// The columns a closing decision writes.
    fn outcome(&self, reason: &Reason) -> Outcome {
        let mut o = Outcome::default();
        match self {
            Decision::MarkPaid { reference } => o.reference = reference.clone(),
            Decision::MarkFailed(f) => {
                o.failure_reason = f.reason.as_str().to_string();
                o.retry = f.retry_condition.clone();
                o.next_action = f.next_action.as_str().to_string();
            }
            Decision::Reject => o.decision_reason = reason.as_str().to_string(),
            Decision::Approve => {}
        }
        o
    }
}

/// What a decision records on the payout besides its status.
#[derive(Default)]
struct Outcome {
    reference: String,
    failure_reason: String,
    retry: String,
    next_action: String,
    decision_reason: String,
}

/// Moves payout `id` from `from` to `to`; `false` when it was decided meanwhile.
async fn write_status(
    c: &mut Change,
    id: i64,
    from: PayoutStatus,
    to: PayoutStatus,
    o: &Outcome,
    by: i64,
) -> Result<bool, AppError> {
    let now = c.now_ms();
    let q = if to == PayoutStatus::Approved {
        sqlx::query(
            "UPDATE payouts SET status = $1, approved_by = $2, approved_at = $3, updated_at = $3 WHERE id = $4 AND status = $5",
        )
        .bind(to.as_str())
        .bind(by)
        .bind(now)
        .bind(id)
        .bind(from.as_str())
    } else {
        sqlx::query(
            "UPDATE payouts SET status = $1, closed_by = $2, closed_at = $3, updated_at = $3, external_reference = $4, \
             failure_reason = $5, retry_condition = $6, next_action = $7, decision_reason = $8 \
             WHERE id = $9 AND status = $10",
        )
        .bind(to.as_str())
        .bind(by)
        .bind(now)
        .bind(o.reference.clone())
        .bind(o.failure_reason.clone())
        .bind(o.retry.clone())
        .bind(o.next_action.clone())
        .bind(o.decision_reason.clone())
        .bind(id)
        .bind(from.as_str())
    };
    Ok(q.execute(c.conn()).await?.rows_affected() == 1)
}

/// The ledger side of a decision: paid leaves the platform, failed and rejected return to available.
async fn post_decision(
    c: &mut Change,
    p: &PayoutRow,
    action: PayoutAction,
    to: PayoutStatus,
) -> Result<Option<i64>, AppError> {
    let (id, org) = (p.id, p.organisation_id);
    let (key, posting) = match action {
        PayoutAction::Approve => return Ok(None),
        PayoutAction::MarkPaid => (format!("payout:{id}:paid"), Posting::payout_paid(p.currency, org, p.amount_minor)),
        PayoutAction::MarkFailed | PayoutAction::Reject => {
            (format!("payout:{id}:returned"), Posting::payout_returned(p.currency, org, p.amount_minor))
        }
    };
    let posting = posting.map_err(posting_error)?;
    let memo = format!("payout {id} {}", to.as_str());
    Ok(Some(c.post(&key, &posting, PostingRefs::default(), &memo).await?))
}

/// Applies `decision` to payout `id`: under the seller's finance lock, then the payout's, its state is
/// read again and moved by the domain's state machine; a payout decided meanwhile is a conflict.
pub async fn decide(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    decision: Decision,
    reason: &Reason,
) -> Result<(), AppError> {
    let org: i64 = sqlx::query_scalar("SELECT organisation_id FROM payouts WHERE id = $1")
        .bind(id)
        .fetch_optional(state.db.read())
        .await?
        .ok_or(AppError::NotFound)?;
    let mut c = Change::by_caller(state, caller, meta).await?;
    c.lock_all([RowLock::SellerFinance(org), RowLock::Payout(id)]).await?;
    let fin = seller_finance::read(c.conn(), org).await?;
    let now = c.now_ms();
    let p = payout(c.conn(), id, now).await?;
    let action = decision.action();
    let next = p.status.apply(action).map_err(AppError::conflict)?;
    check_decision(action, fin.frozen).map_err(AppError::conflict)?;
    let o = decision.outcome(reason);
    if !write_status(&mut c, id, p.status, next, &o, caller.user_id).await? {
        return Err(AppError::conflict("payouts.changed_meanwhile"));
    }
    let posting_id = post_decision(&mut c, &p, action, next).await?;
    if next.returns_money() {
        seller_finance::clear_negative_if_recovered(c.conn(), org, p.currency.code(), now).await?;
    }
    let audit = Audit::new(decision.audit_action(), AuditTarget::Payout(id))
        .before(json!({"status": p.status.as_str(), "amount_minor": p.amount_minor, "organisation_id": org}))
        .after(json!({
            "status": next.as_str(),
            "external_reference": o.reference,
            "retry_condition": o.retry,
            "next_action": o.next_action,
            "posting_id": posting_id,
        }))
        .reason(reason.as_str());
    c.audit(audit).await?;
    let payload = json!({
        "id": id,
        "amount": Money::new(p.amount_minor, p.currency).display(),
        "reference": o.reference,
        "reason": if o.decision_reason.is_empty() { &o.failure_reason } else { &o.decision_reason },
    });
    crate::webhooks::publish(
        &mut c,
        crate::domain::webhook::Scope::Seller(org),
        &format!("payouts.{}", next.as_str()),
        payload.clone(),
    )
    .await?;
    c.notify_seller_members(org, &format!("payouts.{}", next.as_str()), payload).await?;
    c.commit().await
}
