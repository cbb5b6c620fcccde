//! Incidents on the server: the queue (keyset pages), one incident with its timeline, the command
//! center's summary, the operators' steps (acknowledge, note, resolve: compare-and-set on the state,
//! so two operators cannot both move it), and what the evaluation job does (open one, count a
//! firing on it). Handling an incident works through maintenance mode: that is when it is needed.

use super::model::{IncidentDetail, IncidentEvent, IncidentRow, OpenIncidents};
use crate::domain::alerts::{IncidentAction, IncidentState, RuleInput};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::domain::permissions::{ALERTS_MANAGE, ALERTS_VIEW};
use crate::error::{AppError, Context};
use crate::platform::audit_log::Actor;
use crate::platform::caller::Ctx;
use crate::platform::cases::{self, CaseTables};
use crate::platform::change::{Audit, Change};
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::Row;

const COLUMNS: &str = "id, rule_id, title, severity, state, metric, threshold, opened_value, last_value, fire_count, \
     opened_at, last_fired_at, acknowledged_at, resolved_at";

fn row_of(r: &sqlx::any::AnyRow) -> Result<IncidentRow, sqlx::Error> {
    Ok(IncidentRow {
        id: r.try_get("id")?,
        rule_id: r.try_get("rule_id")?,
        title: r.try_get("title")?,
        severity: r.try_get("severity")?,
        state: r.try_get("state")?,
        metric: r.try_get("metric")?,
        threshold: r.try_get("threshold")?,
        opened_value: r.try_get("opened_value")?,
        last_value: r.try_get("last_value")?,
        fire_count: r.try_get("fire_count")?,
        opened_at_ms: r.try_get("opened_at")?,
        last_fired_at_ms: r.try_get("last_fired_at")?,
        acknowledged_at_ms: r.try_get("acknowledged_at")?,
        resolved_at_ms: r.try_get("resolved_at")?,
    })
}

/// Incidents in `state` (none: open and acknowledged), newest first, a page after `cursor`.
pub async fn list(
    state: &AppState,
    filter: Option<IncidentState>,
    cursor: Option<&str>,
) -> Result<Page<IncidentRow>, AppError> {
    let size = page_size(None);
    let before = parse_id_cursor(cursor).unwrap_or(i64::MAX);
    let states = match filter {
        Some(s) => format!("'{}'", s.key()),
        None => "'open', 'acknowledged'".to_string(),
    };
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM incidents WHERE state IN ({states}) AND id < $1 ORDER BY id DESC LIMIT $2"
    ))
    .bind(before)
    .bind(i64::from(size) + 1)
    .fetch_all(state.db.read())
    .await
    .context("listing incidents")?;
    let rows = rows.iter().map(row_of).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(rows, size, |r| r.id.to_string()))
}

pub async fn detail(ctx: &Ctx, id: i64) -> Result<IncidentDetail, AppError> {
    let db = ctx.state.db.read();
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM incidents WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
        .context("reading an incident")?;
    let Some(row) = row else { return Err(AppError::NotFound) };
    let incident = row_of(&row)?;
    let events = cases::timeline(db, TABLES, id).await.context("reading an incident's timeline")?;
    let silenced: Option<Option<i64>> = sqlx::query_scalar("SELECT silenced_until FROM alert_rules WHERE id = $1")
        .bind(incident.rule_id)
        .fetch_optional(db)
        .await
        .context("reading an incident's rule")?;
    let now = ctx.state.now_ms();
    Ok(IncidentDetail {
        incident,
        events: events
            .into_iter()
            .map(|(at_ms, kind, actor, note)| IncidentEvent { at_ms, kind, actor, note })
            .collect(),
        rule_silenced_until_ms: silenced.flatten().filter(|until| *until > now),
        can_manage: ctx.caller.can(ALERTS_MANAGE),
    })
}

/// Unresolved incidents: how many, and the five most severe, newest first.
pub async fn open_summary(state: &AppState) -> Result<OpenIncidents, AppError> {
    let db = state.db.read();
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM incidents WHERE state IN ('open', 'acknowledged')")
        .fetch_one(db)
        .await
        .context("counting open incidents")?;
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM incidents WHERE state IN ('open', 'acknowledged') \
         ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, id DESC LIMIT 5"
    ))
    .fetch_all(db)
    .await
    .context("reading open incidents")?;
    let newest = rows.iter().map(row_of).collect::<Result<Vec<_>, _>>()?;
    Ok(OpenIncidents { count, newest })
}

/// Where incidents and their timelines live (`platform::cases`).
pub const TABLES: CaseTables =
    CaseTables { cases: "incidents", events: "incident_events", parent: "incident_id", changed: "incidents.changed" };

/// An operator's step on incident `id`. A note is required to resolve and for a note; optional to
/// acknowledge.
pub async fn act(ctx: &Ctx, id: i64, action: IncidentAction, note: &str) -> Result<(), AppError> {
    let note = cases::step_note(action, note)?;
    let mut c = Change::begin_through_maintenance(&ctx.state, Actor::of(&ctx.caller), ctx.meta.clone()).await?;
    let (from, to) = cases::step(&mut c, TABLES, id, action, &ctx.caller.email, &note).await?;
    let audit_action = match action {
        IncidentAction::Acknowledge => AuditAction::IncidentsAcknowledge,
        IncidentAction::Resolve => AuditAction::IncidentsResolve,
        IncidentAction::Note => AuditAction::IncidentsNote,
    };
    c.audit(
        Audit::new(audit_action, AuditTarget::Incident(id))
            .before(json!({"state": from.key()}))
            .after(json!({"state": to.key(), "note": note})),
    )
    .await?;
    c.commit().await
}

/// A line of incident `id`'s timeline.
async fn log(c: &mut Change, id: i64, kind: &str, actor: &str, note: &str) -> Result<(), AppError> {
    cases::log(c, TABLES, id, kind, actor, note).await
}

/// The unresolved incident of rule `rule_id`, if any.
pub async fn unresolved_of(c: &mut Change, rule_id: i64) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT MIN(id) FROM incidents WHERE rule_id = $1 AND state <> 'resolved'")
        .bind(rule_id)
        .fetch_one(c.conn())
        .await?)
}

/// A line on rule `rule_id`'s unresolved incident, when it has one (a silence set or ended).
pub async fn log_on_unresolved(
    c: &mut Change,
    rule_id: i64,
    kind: &str,
    actor: &str,
    note: &str,
) -> Result<(), AppError> {
    if let Some(id) = unresolved_of(c, rule_id).await? {
        log(c, id, kind, actor, note).await?;
    }
    Ok(())
}

/// Users whose roles grant `alerts.view`: who hears about incidents in the app.
pub async fn handlers_of_incidents(c: &mut Change) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT ur.user_id FROM user_roles ur JOIN role_grants g ON g.role = ur.role \
         JOIN users u ON u.id = ur.user_id WHERE g.permission = $1 AND u.status = 'active' ORDER BY ur.user_id LIMIT 200",
    )
    .bind(ALERTS_VIEW.name())
    .fetch_all(c.conn())
    .await?)
}

/// Opens an incident for rule `rule_id` (as the evaluation found it firing at `value`); returns its id.
pub async fn open(c: &mut Change, rule_id: i64, rule: &RuleInput, value: i64) -> Result<i64, AppError> {
    let now = c.now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO incidents (rule_id, state, severity, title, metric, threshold, opened_value, last_value, fire_count, \
         opened_at, last_fired_at) VALUES ($1, 'open', $2, $3, $4, $5, $6, $6, 1, $7, $7) RETURNING id",
    )
    .bind(rule_id)
    .bind(rule.severity.key())
    .bind(&rule.name)
    .bind(rule.metric.key())
    .bind(rule.threshold)
    .bind(value)
    .bind(now)
    .fetch_one(c.conn())
    .await?;
    // The measured value is the incident's own fact (opened value); the line needs no note.
    log(c, id, "opened", "system", "").await?;
    c.audit(
        Audit::new(AuditAction::IncidentsOpen, AuditTarget::Incident(id)).after(
            json!({"rule_id": rule_id, "metric": rule.metric.key(), "threshold": rule.threshold, "value": value}),
        ),
    )
    .await?;
    Ok(id)
}

/// Counts one more firing on incident `id`.
pub async fn fired_again(c: &mut Change, id: i64, value: i64) -> Result<(), AppError> {
    let now = c.now_ms();
    sqlx::query("UPDATE incidents SET fire_count = fire_count + 1, last_value = $1, last_fired_at = $2 WHERE id = $3")
        .bind(value)
        .bind(now)
        .bind(id)
        .execute(c.conn())
        .await?;
    Ok(())
}
