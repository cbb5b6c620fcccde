//! Deletion requests: asked by the owner, decided by an operator, each step one audited change. The
//! user's row is locked first (`RowLock::User`), so a request, its decision, a ban and the purge of
//! one account line up.

use super::model::{DeletionRow, RequestOutcome};
use super::purge::JOB_DELETION_PURGE;
use crate::domain::account_deletion::{self as rules, DeletionAction, DeletionStatus, Ties};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::order::OrderStatus;
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::domain::reason::Reason;
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change};
use crate::platform::jobs;
use crate::platform::outbox::OutboxEvent;
use crate::platform::sql::{after_id, order_limit, Order, RowLock, Sql};
use crate::platform::state::AppState;
use crate::users::model::UserStatus;
use crate::users::service::{end_every_session, locked_status, roles_in_tx};
use serde_json::json;
use sqlx::AnyConnection;

const COLUMNS: &str = "d.id, d.user_id, u.email, d.status, d.reason, d.requested_at, d.decided_at, \
                       d.decision_reason, d.purge_at";

#[derive(sqlx::FromRow)]
struct Record {
    id: i64,
    user_id: i64,
    email: String,
    status: String,
    reason: String,
    requested_at: i64,
    decided_at: Option<i64>,
    decision_reason: String,
    purge_at: Option<i64>,
}

impl Record {
    fn row(self) -> Result<DeletionRow, AppError> {
        let status = DeletionStatus::parse(&self.status)
            .ok_or_else(|| AppError::internal(format!("unknown deletion status {}", self.status)))?;
        Ok(DeletionRow {
            id: self.id,
            user_id: self.user_id,
            email: self.email,
            status,
            reason: self.reason,
            requested_at_ms: self.requested_at,
            decided_at_ms: self.decided_at,
            decision_reason: self.decision_reason,
            purge_at_ms: self.purge_at,
        })
    }
}

/// The user's latest request, whatever its status.
pub async fn latest_of(conn: &mut AnyConnection, user_id: i64) -> Result<Option<DeletionRow>, AppError> {
    let r: Option<Record> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM account_deletions d JOIN users u ON u.id = d.user_id WHERE d.user_id = $1 \
         ORDER BY d.id DESC LIMIT 1"
    ))
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await
    .context("loading the user's deletion request")?;
    r.map(Record::row).transpose()
}

/// The same, outside a change (the account page, the user's console page).
pub async fn latest_for(state: &AppState, user_id: i64) -> Result<Option<DeletionRow>, AppError> {
    let mut conn = state.db.read().acquire().await.context("opening a connection")?;
    latest_of(&mut conn, user_id).await
}

async fn by_id(conn: &mut AnyConnection, id: i64) -> Result<DeletionRow, AppError> {
    let r: Option<Record> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM account_deletions d JOIN users u ON u.id = d.user_id WHERE d.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .context("loading the deletion request")?;
    r.ok_or(AppError::NotFound)?.row()
}

/// Requests in one status (`requested` by default: the operators' queue), newest first.
pub async fn list(
    state: &AppState,
    status: DeletionStatus,
    cursor: Option<&str>,
) -> Result<Page<DeletionRow>, AppError> {
    let size = page_size(None);
    let mut sql = Sql::new(
        state.db.backend,
        &format!("SELECT {COLUMNS} FROM account_deletions d JOIN users u ON u.id = d.user_id WHERE 1 = 1"),
    );
    sql.and_eq("d.status", status.as_str());
    after_id(&mut sql, "d.id", Order::Desc, parse_id_cursor(cursor));
    order_limit(&mut sql, "d.id DESC", size);
    let records: Vec<Record> = sql.query_as().fetch_all(state.db.read()).await.context("listing deletion requests")?;
    let rows = records.into_iter().map(Record::row).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(rows, size, |r| r.id.to_string()))
}

/// Counts what still ties the user to others: as a buyer, and through the organisations they own.
pub async fn ties(conn: &mut AnyConnection, user_id: i64) -> Result<Ties, AppError> {
    const OWNED: &str = "SELECT id FROM organisations WHERE owner_user_id = $1";
    let open_orders = rules::OPEN_ORDER_STATUSES.map(OrderStatus::as_str).map(|s| format!("'{s}'")).join(", ");
    let queries = [
        format!(
            "SELECT COUNT(*) FROM orders WHERE status IN ({open_orders}) AND (buyer_id = $1 OR organisation_id IN ({OWNED}))"
        ),
        format!("SELECT COUNT(*) FROM refunds WHERE status = 'requested' AND (buyer_id = $1 OR organisation_id IN ({OWNED}))"),
        format!("SELECT COUNT(*) FROM disputes WHERE status = 'open' AND (buyer_id = $1 OR organisation_id IN ({OWNED}))"),
        format!("SELECT COUNT(*) FROM seller_finance WHERE negative_since IS NOT NULL AND organisation_id IN ({OWNED})"),
        format!("SELECT COUNT(*) FROM payouts WHERE status IN ('requested', 'approved') AND organisation_id IN ({OWNED})"),
    ];
    let mut n = [0i64; 5];
    for (i, sql) in queries.iter().enumerate() {
        n[i] = sqlx::query_scalar(sql).bind(user_id).fetch_one(&mut *conn).await.context("counting open ties")?;
    }
    Ok(Ties {
        open_orders: n[0],
        open_refunds: n[1],
        open_disputes: n[2],
        negative_balance: n[3] > 0,
        payouts_in_transit: n[4],
    })
}

/// The owner asks (their password confirmed by the caller). Refused, with every reason and nothing
/// recorded, while something is open; a second open request is refused by name.
pub async fn request(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    reason: &str,
) -> Result<RequestOutcome, AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    c.lock(RowLock::User(caller.user_id)).await?;
    if latest_of(c.conn(), caller.user_id).await?.is_some_and(|d| d.status.is_open()) {
        return Err(AppError::conflict("deletion.already_requested"));
    }
    let blockers = ties(c.conn(), caller.user_id).await?.blockers();
    if !blockers.is_empty() {
        return Ok(RequestOutcome::Refused(blockers));
    }
    let now = c.now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO account_deletions (user_id, status, reason, requested_at) VALUES ($1, 'requested', $2, $3) \
         RETURNING id",
    )
    .bind(caller.user_id)
    .bind(reason)
    .bind(now)
    .fetch_one(c.conn())
    .await
    .context("recording the deletion request")?;
    c.audit(
        Audit::new(AuditAction::AccountDeletionRequest, AuditTarget::User(caller.user_id))
            .after(json!({"request": id, "status": "requested"}))
            .reason(reason),
    )
    .await?;
    c.commit().await?;
    Ok(RequestOutcome::Requested)
}

/// The owner takes back a request no operator has decided yet.
pub async fn withdraw(state: &AppState, caller: &Caller, meta: &RequestMeta) -> Result<(), AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    c.lock(RowLock::User(caller.user_id)).await?;
    let Some(d) = latest_of(c.conn(), caller.user_id).await? else { return Err(AppError::NotFound) };
    let next = d.status.apply(DeletionAction::Withdraw).map_err(AppError::conflict)?;
    let now = c.now_ms();
    set_status(c.conn(), d.id, next, now).await?;
    c.audit(
        Audit::new(AuditAction::AccountDeletionWithdraw, AuditTarget::User(caller.user_id))
            .before(json!({"request": d.id, "status": d.status.as_str()}))
            .after(json!({"request": d.id, "status": next.as_str()})),
    )
    .await?;
    c.commit().await
}

async fn set_status(conn: &mut AnyConnection, id: i64, status: DeletionStatus, now: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE account_deletions SET status = $1, closed_at = $2 WHERE id = $3")
        .bind(status.as_str())
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await
        .context("updating the deletion request")?;
    Ok(())
}

/// Opens a decision on request `id`: the user's row locked, then the request read again under it.
async fn decision(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    action: DeletionAction,
) -> Result<(Change, DeletionRow, DeletionStatus), AppError> {
    let mut c = Change::by_caller(state, caller, meta).await?;
    let user_id = by_id(c.conn(), id).await?.user_id;
    if user_id == caller.user_id {
        return Err(AppError::conflict("deletion.not_own"));
    }
    c.lock(RowLock::User(user_id)).await?;
    let d = by_id(c.conn(), id).await?;
    let next = d.status.apply(action).map_err(AppError::conflict)?;
    Ok((c, d, next))
}

async fn record_decision(
    conn: &mut AnyConnection,
    d: &DeletionRow,
    next: DeletionStatus,
    by: i64,
    now: i64,
    reason: &Reason,
    purge_at: Option<i64>,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE account_deletions SET status = $1, decided_by = $2, decided_at = $3, decision_reason = $4, \
         purge_at = COALESCE($5, purge_at), closed_at = CASE WHEN $1 = 'approved' THEN NULL ELSE $3 END WHERE id = $6",
    )
    .bind(next.as_str())
    .bind(by)
    .bind(now)
    .bind(reason.as_str())
    .bind(purge_at)
    .bind(d.id)
    .execute(&mut *conn)
    .await
    .context("deciding the deletion request")?;
    Ok(())
}

/// Approves: the account is deactivated at once (status `deleted`, every session ended), its purge is
/// scheduled for 30 days on, and the owner is told until when it can be restored. What was open when
/// they asked is checked again: an order placed since refuses the approval.
pub async fn approve(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    reason: &Reason,
) -> Result<(), AppError> {
    let (mut c, d, next) = decision(state, caller, meta, id, DeletionAction::Approve).await?;
    if !ties(c.conn(), d.user_id).await?.blockers().is_empty() {
        return Err(AppError::conflict("deletion.ties_open"));
    }
    if locked_status(c.conn(), d.user_id).await? != UserStatus::Active {
        return Err(AppError::conflict("deletion.user_not_active"));
    }
    // A super admin's role goes first, through the role editor and its last-super-admin guard (a
    // check over many users, which this change, holding a row lock, cannot make race-free).
    if crate::domain::roles::any_super_admin(&roles_in_tx(c.conn(), d.user_id).await?) {
        return Err(AppError::conflict("deletion.super_admin"));
    }
    let now = c.now_ms();
    let purge_at = rules::purge_at(now);
    record_decision(c.conn(), &d, next, caller.user_id, now, reason, Some(purge_at)).await?;
    set_user_status(c.conn(), d.user_id, UserStatus::Deleted, now).await?;
    let ended = end_every_session(c.conn(), d.user_id).await?;
    jobs::schedule(c.conn(), now, JOB_DELETION_PURGE, d.id, purge_at).await.context("scheduling the purge")?;
    let until = crate::components::format::time_text(purge_at);
    c.notify(OutboxEvent::notify(d.user_id, "account.deletion_approved", json!({"until": until}))).await?;
    c.audit(
        Audit::new(AuditAction::UsersDeletionApprove, AuditTarget::User(d.user_id))
            .before(json!({"request": d.id, "status": "requested", "user_status": "active"}))
            .after(json!({"request": d.id, "status": "approved", "user_status": "deleted", "purge_at": purge_at,
                          "sessions_ended": ended}))
            .reason(reason.as_str()),
    )
    .await?;
    c.commit().await
}

/// Rejects: the account stays as it is; the owner is told why.
pub async fn reject(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    reason: &Reason,
) -> Result<(), AppError> {
    let (mut c, d, next) = decision(state, caller, meta, id, DeletionAction::Reject).await?;
    let now = c.now_ms();
    record_decision(c.conn(), &d, next, caller.user_id, now, reason, None).await?;
    c.notify(OutboxEvent::notify(d.user_id, "account.deletion_rejected", json!({"reason": reason.as_str()}))).await?;
    c.audit(
        Audit::new(AuditAction::UsersDeletionReject, AuditTarget::User(d.user_id))
            .before(json!({"request": d.id, "status": "requested"}))
            .after(json!({"request": d.id, "status": "rejected"}))
            .reason(reason.as_str()),
    )
    .await?;
    c.commit().await
}

/// Restores an approved account before its purge: active again (the owner signs in with their
/// password; sessions ended at approval stay ended), the purge cancelled, the owner told.
pub async fn restore(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    reason: &Reason,
) -> Result<(), AppError> {
    let (mut c, d, next) = decision(state, caller, meta, id, DeletionAction::Restore).await?;
    let now = c.now_ms();
    if d.purge_at_ms.is_some_and(|at| now >= at) {
        return Err(AppError::conflict("deletion.restore_window_over"));
    }
    record_decision(c.conn(), &d, next, caller.user_id, now, reason, None).await?;
    set_user_status(c.conn(), d.user_id, UserStatus::Active, now).await?;
    jobs::cancel(c.conn(), now, JOB_DELETION_PURGE, d.id).await.context("cancelling the purge")?;
    c.notify(OutboxEvent::notify(d.user_id, "account.deletion_restored", json!({}))).await?;
    c.audit(
        Audit::new(AuditAction::UsersDeletionRestore, AuditTarget::User(d.user_id))
            .before(json!({"request": d.id, "status": "approved", "user_status": "deleted"}))
            .after(json!({"request": d.id, "status": "restored", "user_status": "active"}))
            .reason(reason.as_str()),
    )
    .await?;
    c.commit().await
}

async fn set_user_status(conn: &mut AnyConnection, user_id: i64, status: UserStatus, now: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status.as_str())
        .bind(now)
        .bind(user_id)
        .execute(&mut *conn)
        .await
        .context("setting the user's status")?;
    Ok(())
}

/// When a deleted account's sign-in is refused: until when it can still be restored.
pub async fn restorable_until(state: &AppState, user_id: i64) -> Result<Option<i64>, AppError> {
    sqlx::query_scalar(
        "SELECT purge_at FROM account_deletions WHERE user_id = $1 AND status = 'approved' ORDER BY id DESC LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(state.db.read())
    .await
    .context("reading the restore window")
    .map(Option::flatten)
}
