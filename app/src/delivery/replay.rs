//! Sending again what gave up, and clearing a suppressed address: protected, audited operator actions
//! (each one `Change`). A replayed message keeps its id, so a webhook receiver sees the same
//! `webhook-id` and can drop a duplicate; its attempt count starts again, its attempts log goes on.

use super::model::DeliveryFilter;
use super::queries::push_filter;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::delivery::{DeliveryStatus, REPLAY_BATCH_MAX};
use crate::domain::reason::Reason;
use crate::error::AppError;
use crate::platform::caller::Ctx;
use crate::platform::change::{Audit, Change};
use crate::platform::sql::Sql;
use serde_json::json;

/// Back to pending, due now, only if it still gave up (a concurrent replay finds nothing to do).
const REQUEUE: &str = "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $1, last_error = NULL, \
     lease_owner = NULL, lease_until = NULL, updated_at = $1 WHERE id = $2 AND status IN ('failed', 'exhausted')";

pub async fn replay_one(ctx: &Ctx, id: i64, reason: &Reason) -> Result<(), AppError> {
    let mut c = Change::by(ctx).await?;
    let now = c.now_ms();
    let row: Option<(String, i64, Option<String>)> =
        sqlx::query_as("SELECT status, attempts, last_error FROM outbox WHERE id = $1")
            .bind(id)
            .fetch_optional(c.conn())
            .await?;
    let (status, attempts, last_error) = row.ok_or(AppError::NotFound)?;
    if !DeliveryStatus::from_row(&status, attempts).is_some_and(DeliveryStatus::replayable) {
        return Err(AppError::conflict("console_delivery.not_replayable"));
    }
    let done = sqlx::query(REQUEUE).bind(now).bind(id).execute(c.conn()).await?.rows_affected();
    if done == 0 {
        return Err(AppError::conflict("console_delivery.not_replayable"));
    }
    c.audit(
        Audit::new(AuditAction::DeliveryReplay, AuditTarget::OutboxMessage(id))
            .before(json!({"status": status, "attempts": attempts, "last_error": last_error}))
            .after(json!({"status": "pending", "attempts": 0}))
            .reason(reason.as_str()),
    )
    .await?;
    c.commit().await
}

/// Replays every failed or exhausted message that matches `filter`, oldest first, at most
/// `REPLAY_BATCH_MAX`; returns how many. A filter on another state matches nothing to replay.
pub async fn replay_matching(ctx: &Ctx, filter: &DeliveryFilter, reason: &Reason) -> Result<i64, AppError> {
    if filter.status.is_some_and(|s| !s.replayable()) {
        return Err(AppError::invalid("status", "console_delivery.not_replayable"));
    }
    let mut c = Change::by(ctx).await?;
    let now = c.now_ms();
    let mut sql = Sql::new(
        ctx.state.db.backend,
        "SELECT o.id FROM outbox o LEFT JOIN users u ON u.id = o.recipient_user_id \
         LEFT JOIN webhook_endpoints w ON w.id = o.endpoint_id WHERE o.status IN ('failed', 'exhausted')",
    );
    push_filter(&mut sql, filter);
    let limit = sql.arg(REPLAY_BATCH_MAX);
    sql.push(&format!(" ORDER BY o.id ASC LIMIT {limit}"));
    let ids: Vec<i64> = sql.query_scalar().fetch_all(c.conn()).await?;
    let Some(&last) = ids.last() else {
        return Err(AppError::conflict("console_delivery.nothing_to_replay"));
    };
    for id in &ids {
        sqlx::query(REQUEUE).bind(now).bind(id).execute(c.conn()).await?;
    }
    c.audit(
        Audit::new(AuditAction::DeliveryReplayMany, AuditTarget::OutboxMessage(last))
            .before(json!({
                "channel": filter.channel, "status": filter.status.map(|s| s.as_str()),
                "event": filter.event, "recipient": filter.recipient,
            }))
            .after(json!({"count": ids.len(), "ids": ids}))
            .reason(reason.as_str()),
    )
    .await?;
    c.commit().await?;
    Ok(ids.len() as i64)
}

/// Lets mail go to `address` again (after the recipient fixed their mailbox).
pub async fn clear_suppression(ctx: &Ctx, address: &str, reason: &Reason) -> Result<(), AppError> {
    let mut c = Change::by(ctx).await?;
    let row: Option<(Option<i64>, String, i64)> =
        sqlx::query_as("SELECT smtp_code, reason, created_at FROM email_suppressions WHERE address = $1")
            .bind(address)
            .fetch_optional(c.conn())
            .await?;
    let (code, why, since) = row.ok_or(AppError::NotFound)?;
    sqlx::query("DELETE FROM email_suppressions WHERE address = $1").bind(address).execute(c.conn()).await?;
    // Addresses are not a kind of target of their own: the list is the target, the address is in `before`.
    c.audit(
        Audit::new(AuditAction::DeliverySuppressionClear, AuditTarget::PlatformSetting("email_suppressions"))
            .before(json!({"address": address, "smtp_code": code, "reason": why, "since": since}))
            .reason(reason.as_str()),
    )
    .await?;
    c.commit().await
}
