//! Alert rules on the server: the list with each rule's last measured value, creating one, turning
//! it off or on, silencing it until a time and ending a silence. Every change is audited; the
//! evaluation job is scheduled while an enabled rule exists (`evaluate::ensure_scheduled`).

use super::evaluate;
use super::model::{RuleRow, RulesView};
use crate::domain::alerts::RuleInput;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::permissions::ALERTS_MANAGE;
use crate::domain::reason::Reason;
use crate::error::{AppError, Context};
use crate::platform::audit_log::Actor;
use crate::platform::caller::Ctx;
use crate::platform::change::{Audit, Change};
use crate::platform::jobs;
use serde_json::json;
use sqlx::Row;

/// Rules are few and configured by hand; the cap keeps the list one page and the job's work bounded.
pub const MAX_RULES: i64 = 100;
/// The job that tells operators a silence has ended (target: the rule).
pub const SILENCE_END_JOB: &str = "alerts.silence_end";

const COLUMNS: &str = "r.id, r.name, r.metric, r.threshold, r.window_minutes, r.severity, r.notify_operators, \
     r.notify_webhook, r.notify_emails, r.enabled, r.silenced_until, r.silence_reason, r.last_value, \
     r.last_evaluated_at, (SELECT MIN(i.id) FROM incidents i WHERE i.rule_id = r.id AND i.state <> 'resolved') AS unresolved";

fn row_of(r: &sqlx::any::AnyRow, now: i64) -> Result<RuleRow, sqlx::Error> {
    let emails: String = r.try_get("notify_emails")?;
    let silenced_until: Option<i64> = r.try_get("silenced_until")?;
    Ok(RuleRow {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        metric: r.try_get("metric")?,
        threshold: r.try_get("threshold")?,
        window_minutes: r.try_get("window_minutes")?,
        severity: r.try_get("severity")?,
        notify_operators: r.try_get::<i64, _>("notify_operators")? != 0,
        notify_webhook: r.try_get::<i64, _>("notify_webhook")? != 0,
        emails: emails.split(',').filter(|e| !e.is_empty()).map(str::to_string).collect(),
        enabled: r.try_get::<i64, _>("enabled")? != 0,
        // A silence that has ended shows as none, even before its end job ran.
        silenced_until_ms: silenced_until.filter(|until| *until > now),
        silence_reason: r.try_get("silence_reason")?,
        last_value: r.try_get("last_value")?,
        last_evaluated_at_ms: r.try_get("last_evaluated_at")?,
        unresolved_incident: r.try_get("unresolved")?,
    })
}

pub async fn list(ctx: &Ctx) -> Result<RulesView, AppError> {
    let now = ctx.state.now_ms();
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM alert_rules r ORDER BY r.id DESC LIMIT {MAX_RULES}"))
        .fetch_all(ctx.state.db.read())
        .await
        .context("listing alert rules")?;
    let rules = rows.iter().map(|r| row_of(r, now)).collect::<Result<Vec<_>, _>>()?;
    Ok(RulesView { rules, can_manage: ctx.caller.can(ALERTS_MANAGE) })
}

/// The rule as the audit log keeps it.
fn audited(input: &RuleInput) -> serde_json::Value {
    json!({
        "name": input.name, "metric": input.metric.key(), "threshold": input.threshold,
        "window_minutes": input.window_minutes, "severity": input.severity.key(),
        "notify_operators": input.notify_operators, "notify_webhook": input.notify_webhook, "emails": input.emails,
    })
}

pub async fn create(ctx: &Ctx, input: RuleInput) -> Result<i64, AppError> {
    let mut c = Change::by(ctx).await?;
    c.serialise_with_audited_writers().await?;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM alert_rules").fetch_one(c.conn()).await?;
    if count >= MAX_RULES {
        return Err(AppError::conflict("alerts.too_many_rules"));
    }
    let now = c.now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO alert_rules (name, metric, threshold, window_minutes, severity, notify_operators, notify_webhook, \
         notify_emails, enabled, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9) RETURNING id",
    )
    .bind(&input.name)
    .bind(input.metric.key())
    .bind(input.threshold)
    .bind(input.window_minutes)
    .bind(input.severity.key())
    .bind(i64::from(input.notify_operators))
    .bind(i64::from(input.notify_webhook))
    .bind(input.emails.join(","))
    .bind(now)
    .fetch_one(c.conn())
    .await?;
    c.audit(Audit::new(AuditAction::AlertsRuleCreate, AuditTarget::AlertRule(id)).after(audited(&input))).await?;
    evaluate::ensure_scheduled(&mut c).await?;
    c.commit().await?;
    Ok(id)
}

pub async fn set_enabled(ctx: &Ctx, id: i64, enabled: bool) -> Result<(), AppError> {
    let mut c = Change::begin_through_maintenance(&ctx.state, Actor::of(&ctx.caller), ctx.meta.clone()).await?;
    let was: Option<i64> =
        sqlx::query_scalar("SELECT enabled FROM alert_rules WHERE id = $1").bind(id).fetch_optional(c.conn()).await?;
    let Some(was) = was else { return Err(AppError::NotFound) };
    let now = c.now_ms();
    sqlx::query("UPDATE alert_rules SET enabled = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(enabled))
        .bind(now)
        .bind(id)
        .execute(c.conn())
        .await?;
    let action = if enabled { AuditAction::AlertsRuleEnable } else { AuditAction::AlertsRuleDisable };
    c.audit(
        Audit::new(action, AuditTarget::AlertRule(id))
            .before(json!({"enabled": was != 0}))
            .after(json!({"enabled": enabled})),
    )
    .await?;
    if enabled {
        evaluate::ensure_scheduled(&mut c).await?;
    }
    c.commit().await
}

/// Silences rule `id` for `minutes`: it is still measured, but opens and tells nothing until then.
/// The rule's unresolved incident gets a line; a job tells the operators when the silence ends.
pub async fn silence(ctx: &Ctx, id: i64, minutes: i64, reason: &Reason) -> Result<(), AppError> {
    let mut c = Change::begin_through_maintenance(&ctx.state, Actor::of(&ctx.caller), ctx.meta.clone()).await?;
    let before: Option<Option<i64>> = sqlx::query_scalar("SELECT silenced_until FROM alert_rules WHERE id = $1")
        .bind(id)
        .fetch_optional(c.conn())
        .await?;
    let Some(before) = before else { return Err(AppError::NotFound) };
    let now = c.now_ms();
    let until = now + minutes * 60_000;
    sqlx::query("UPDATE alert_rules SET silenced_until = $1, silence_reason = $2, updated_at = $3 WHERE id = $4")
        .bind(until)
        .bind(reason.as_str())
        .bind(now)
        .bind(id)
        .execute(c.conn())
        .await?;
    jobs::cancel(c.conn(), now, SILENCE_END_JOB, id).await?;
    jobs::schedule(c.conn(), now, SILENCE_END_JOB, id, until).await?;
    c.audit(
        Audit::new(AuditAction::AlertsSilence, AuditTarget::AlertRule(id))
            .before(json!({"silenced_until": before}))
            .after(json!({"silenced_until": until}))
            .reason(reason.as_str()),
    )
    .await?;
    let actor = ctx.caller.email.clone();
    super::incidents::log_on_unresolved(&mut c, id, "silenced", &actor, reason.as_str()).await?;
    c.commit().await
}

/// Ends rule `id`'s silence now (the operators are not told: the one who ended it knows).
pub async fn end_silence(ctx: &Ctx, id: i64) -> Result<(), AppError> {
    let mut c = Change::begin_through_maintenance(&ctx.state, Actor::of(&ctx.caller), ctx.meta.clone()).await?;
    let now = c.now_ms();
    let ended = clear_silence(&mut c, id, now, false).await?;
    if ended.is_none() {
        return Err(AppError::conflict("alerts.not_silenced"));
    }
    let actor = ctx.caller.email.clone();
    super::incidents::log_on_unresolved(&mut c, id, "silence_ended", &actor, "").await?;
    c.commit().await
}

/// Clears rule `id`'s silence when one is set and (unless `only_if_over`) whatever its end; audits
/// it. Returns the rule's name when a silence was cleared.
async fn clear_silence(c: &mut Change, id: i64, now: i64, only_if_over: bool) -> Result<Option<String>, AppError> {
    let row = sqlx::query("SELECT name, silenced_until FROM alert_rules WHERE id = $1")
        .bind(id)
        .fetch_optional(c.conn())
        .await?;
    let Some(row) = row else { return Err(AppError::NotFound) };
    let until: Option<i64> = row.try_get("silenced_until")?;
    let Some(until) = until else { return Ok(None) };
    if only_if_over && until > now {
        return Ok(None);
    }
    sqlx::query("UPDATE alert_rules SET silenced_until = NULL, silence_reason = '', updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(c.conn())
        .await?;
    jobs::cancel(c.conn(), now, SILENCE_END_JOB, id).await?;
    c.audit(
        Audit::new(AuditAction::AlertsSilenceEnd, AuditTarget::AlertRule(id))
            .before(json!({"silenced_until": until}))
            .after(json!({"silenced_until": null})),
    )
    .await?;
    Ok(Some(row.try_get("name")?))
}

/// The silence-end job: when rule `id`'s silence is over, clears it and tells the operators who
/// handle incidents (in the app), so a silenced problem is looked at again.
pub async fn silence_ended(state: &crate::platform::state::AppState, id: i64) -> Result<(), AppError> {
    let mut c = Change::system(state, "alerts").await?;
    let now = c.now_ms();
    let Some(name) = clear_silence(&mut c, id, now, true).await? else { return Ok(()) };
    super::incidents::log_on_unresolved(&mut c, id, "silence_ended", "system", "").await?;
    for user in super::incidents::handlers_of_incidents(&mut c).await? {
        c.notify(crate::platform::outbox::OutboxEvent::notify(user, "alerts.silence_ended", json!({"title": name})))
            .await?;
    }
    c.commit().await
}
