//! Launch readiness on the server: the report (measured now, never cached), the summary for the
//! command center, and deferrals (protected, audited).

use super::model::{CheckView, DeferralView, ReadinessReport, ReadinessSummary};
use super::registry;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::readiness::{counts, effective, next_actions, DeferralWindow, Measured};
use crate::domain::reason::Reason;
use crate::error::{AppError, Context};
use crate::platform::caller::Ctx;
use crate::platform::change::{Audit, Change};
use crate::platform::state::AppState;
use serde_json::json;
use std::collections::HashMap;

/// Every check measured now, with the deferrals in force.
pub async fn report(state: &AppState) -> Result<ReadinessReport, AppError> {
    let measured = registry::measure_all(state).await;
    let deferrals = deferrals(state).await?;
    let now = state.now_ms();
    let checks: Vec<CheckView> = measured.into_iter().map(|m| view(m, &deferrals, now)).collect();
    let [blockers, warnings, ready, deferred] = counts(checks.iter().map(|c| c.status));
    let next = next_actions(&checks, |c| c.status, |c| c.area).into_iter().map(|i| checks[i].id.clone()).collect();
    Ok(ReadinessReport {
        production: state.settings().production,
        checked_at_ms: now,
        summary: ReadinessSummary { blockers, warnings, ready, deferred },
        next,
        checks,
    })
}

/// Counts per status, for the command center.
pub async fn summary(state: &AppState) -> Result<ReadinessSummary, AppError> {
    Ok(report(state).await?.summary)
}

fn view(m: Measured, deferrals: &HashMap<String, DeferralView>, now: i64) -> CheckView {
    let deferral = deferrals.get(m.check.id).cloned();
    let window = deferral.as_ref().map(|d| DeferralWindow { expires_at_ms: d.expires_at_ms });
    CheckView {
        id: m.check.id.to_string(),
        area: m.check.area,
        status: effective(m.status, window, now),
        measured: m.status,
        evidence: m.evidence,
        link: m.check.link.map(str::to_string),
        setting: m.check.setting.map(str::to_string),
        deferral,
    }
}

#[derive(sqlx::FromRow)]
struct DeferralRecord {
    check_id: String,
    owner_email: String,
    reason: String,
    expires_at: i64,
    deferred_by: String,
    deferred_at: i64,
}

async fn deferrals(state: &AppState) -> Result<HashMap<String, DeferralView>, AppError> {
    let now = state.now_ms();
    let rows: Vec<DeferralRecord> = sqlx::query_as(
        "SELECT d.check_id, o.email AS owner_email, d.reason, d.expires_at, b.email AS deferred_by, d.deferred_at \
         FROM readiness_deferrals d JOIN users o ON o.id = d.owner_id JOIN users b ON b.id = d.deferred_by",
    )
    .fetch_all(state.db.read())
    .await
    .context("loading readiness deferrals")?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let view = DeferralView {
                owner_email: r.owner_email,
                reason: r.reason,
                expires_at_ms: r.expires_at,
                deferred_by: r.deferred_by,
                deferred_at_ms: r.deferred_at,
                expired: r.expires_at <= now,
            };
            (r.check_id, view)
        })
        .collect())
}

/// A deferral as asked: which check, whose it is, until when.
pub struct DeferRequest {
    pub check: &'static str,
    pub owner_email: String,
    pub expires_at_ms: i64,
}

/// Defers a check. Serialised with every audited writer (the audit head first), so of two operators
/// deferring the same check at once the second sees the first's deferral and is refused.
pub async fn defer(ctx: &Ctx, req: DeferRequest, reason: &Reason) -> Result<(), AppError> {
    let mut c = Change::by_caller_serialised(&ctx.state, &ctx.caller, &ctx.meta).await?;
    let now = c.now_ms();
    let owner: Option<i64> = sqlx::query_scalar(
        "SELECT u.id FROM users u WHERE u.email = $1 AND u.status = 'active' \
         AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id)",
    )
    .bind(req.owner_email.trim().to_lowercase())
    .fetch_optional(c.conn())
    .await
    .context("finding the deferral's owner")?;
    let owner = owner.ok_or_else(|| AppError::invalid("owner", "readiness.owner.not_operator"))?;
    let current: Option<i64> = sqlx::query_scalar("SELECT expires_at FROM readiness_deferrals WHERE check_id = $1")
        .bind(req.check)
        .fetch_optional(c.conn())
        .await
        .context("reading the check's deferral")?;
    match current {
        Some(expires) if expires > now => return Err(AppError::conflict("readiness.already_deferred")),
        // An expired deferral is replaced (the audit log keeps it).
        Some(_) => {
            sqlx::query("DELETE FROM readiness_deferrals WHERE check_id = $1")
                .bind(req.check)
                .execute(c.conn())
                .await
                .context("removing an expired deferral")?;
        }
        None => {}
    }
    sqlx::query(
        "INSERT INTO readiness_deferrals (check_id, owner_id, reason, expires_at, deferred_by, deferred_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(req.check)
    .bind(owner)
    .bind(reason.as_str())
    .bind(req.expires_at_ms)
    .bind(ctx.caller.user_id)
    .bind(now)
    .execute(c.conn())
    .await
    .context("storing the deferral")?;
    c.audit(
        Audit::new(AuditAction::ReadinessDefer, AuditTarget::ReadinessCheck(req.check))
            .after(json!({"owner": req.owner_email.trim().to_lowercase(), "expires_at": req.expires_at_ms}))
            .reason(reason.as_str()),
    )
    .await?;
    c.commit().await
}

/// Ends a check's deferral: the check shows its measured status again.
pub async fn end_deferral(ctx: &Ctx, check: &'static str, reason: &Reason) -> Result<(), AppError> {
    let mut c = Change::by_caller_serialised(&ctx.state, &ctx.caller, &ctx.meta).await?;
    let before: Option<(i64, i64)> =
        sqlx::query_as("SELECT owner_id, expires_at FROM readiness_deferrals WHERE check_id = $1")
            .bind(check)
            .fetch_optional(c.conn())
            .await
            .context("reading the check's deferral")?;
    let (owner, expires) = before.ok_or_else(|| AppError::conflict("readiness.not_deferred"))?;
    sqlx::query("DELETE FROM readiness_deferrals WHERE check_id = $1")
        .bind(check)
        .execute(c.conn())
        .await
        .context("ending the deferral")?;
    c.audit(
        Audit::new(AuditAction::ReadinessEndDeferral, AuditTarget::ReadinessCheck(check))
            .before(json!({"owner_id": owner, "expires_at": expires}))
            .reason(reason.as_str()),
    )
    .await?;
    c.commit().await
}
