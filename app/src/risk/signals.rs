//! Risk signals on the server: the queue (keyset pages, filtered by state, rule and scope), one
//! signal with its timeline, and the operators' steps: take it (owner), acknowledge (an unowned one
//! becomes the caller's), note, resolve (`platform::cases`). Every step is audited.

use super::model::{Fact, SignalDetail, SignalEvent, SignalRow};
use crate::domain::alerts::{IncidentAction, IncidentState};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::domain::permissions::RISK_MANAGE;
use crate::domain::risk::{Rule, Scope};
use crate::error::{AppError, Context};
use crate::platform::audit_log::Actor;
use crate::platform::caller::Ctx;
use crate::platform::cases::{self, CaseTables};
use crate::platform::change::{Audit, Change};
use crate::platform::sql::Sql;
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::Row;

/// Where signals and their timelines live.
pub const TABLES: CaseTables =
    CaseTables { cases: "risk_signals", events: "risk_signal_events", parent: "signal_id", changed: "risk.changed" };

/// The queue's filters, parsed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    /// None: open and acknowledged.
    pub state: Option<IncidentState>,
    pub rule: Option<Rule>,
    pub scope: Option<Scope>,
}

impl Filter {
    pub fn parse(state: Option<&str>, rule: Option<&str>, scope: Option<&str>) -> Result<Filter, AppError> {
        fn one<T>(v: Option<&str>, parse: fn(&str) -> Option<T>, field: &str) -> Result<Option<T>, AppError> {
            match v.filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => parse(s).map(Some).ok_or_else(|| AppError::invalid(field, "risk.filter_invalid")),
            }
        }
        Ok(Filter {
            state: one(state, IncidentState::parse, "state")?,
            rule: one(rule, Rule::parse, "rule")?,
            scope: one(scope, Scope::parse, "scope")?,
        })
    }
}

const COLUMNS: &str = "s.id, s.rule, s.scope, s.subject_id, s.subject_label, s.severity, s.state, u.email AS owner, \
     s.evidence_json, s.first_seen_at, s.last_seen_at, s.seen_count";

fn row_of(r: &sqlx::any::AnyRow) -> Result<SignalRow, sqlx::Error> {
    let scope: String = r.try_get("scope")?;
    let subject_id: i64 = r.try_get("subject_id")?;
    let parsed = Scope::parse(&scope).unwrap_or(Scope::User);
    let evidence: Vec<(String, String)> =
        serde_json::from_str(&r.try_get::<String, _>("evidence_json")?).unwrap_or_default();
    Ok(SignalRow {
        id: r.try_get("id")?,
        rule: r.try_get("rule")?,
        subject_page: parsed.page(subject_id),
        action: parsed.action().to_string(),
        scope,
        subject_id,
        subject_label: r.try_get("subject_label")?,
        severity: r.try_get("severity")?,
        state: r.try_get("state")?,
        owner: r.try_get("owner")?,
        evidence: evidence.into_iter().map(|(key, value)| Fact { key, value }).collect(),
        first_seen_at_ms: r.try_get("first_seen_at")?,
        last_seen_at_ms: r.try_get("last_seen_at")?,
        seen_count: r.try_get("seen_count")?,
    })
}

pub async fn list(state: &AppState, f: Filter, cursor: Option<&str>) -> Result<Page<SignalRow>, AppError> {
    let size = page_size(None);
    let mut sql = Sql::new(
        state.db.backend,
        &format!("SELECT {COLUMNS} FROM risk_signals s LEFT JOIN users u ON u.id = s.owner_id WHERE "),
    );
    match f.state {
        Some(s) => {
            let s = sql.arg(s.key());
            sql.push(&format!("s.state = {s}"));
        }
        None => {
            sql.push("s.state IN ('open', 'acknowledged')");
        }
    }
    if let Some(rule) = f.rule {
        let r = sql.arg(rule.key());
        sql.push(&format!(" AND s.rule = {r}"));
    }
    if let Some(scope) = f.scope {
        let s = sql.arg(scope.key());
        sql.push(&format!(" AND s.scope = {s}"));
    }
    let before = sql.arg(parse_id_cursor(cursor).unwrap_or(i64::MAX));
    let limit = sql.arg(i64::from(size) + 1);
    sql.push(&format!(" AND s.id < {before} ORDER BY s.id DESC LIMIT {limit}"));
    let rows = sql.query().fetch_all(state.db.read()).await.context("listing risk signals")?;
    let rows = rows.iter().map(row_of).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(rows, size, |r| r.id.to_string()))
}

pub async fn detail(ctx: &Ctx, id: i64) -> Result<SignalDetail, AppError> {
    let db = ctx.state.db.read();
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS}, s.owner_id FROM risk_signals s LEFT JOIN users u ON u.id = s.owner_id WHERE s.id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
    .context("reading a risk signal")?;
    let Some(row) = row else { return Err(AppError::NotFound) };
    let owner_id: Option<i64> = row.try_get("owner_id")?;
    let events = cases::timeline(db, TABLES, id).await.context("reading a risk signal's timeline")?;
    Ok(SignalDetail {
        signal: row_of(&row)?,
        events: events.into_iter().map(|(at_ms, kind, actor, note)| SignalEvent { at_ms, kind, actor, note }).collect(),
        can_manage: ctx.caller.can(RISK_MANAGE),
        mine: owner_id == Some(ctx.caller.user_id),
    })
}

/// Makes the caller the owner of signal `id` (not of a resolved one).
pub async fn take(ctx: &Ctx, id: i64) -> Result<(), AppError> {
    let mut c = Change::by(ctx).await?;
    let row: Option<(String, Option<i64>)> = sqlx::query_as("SELECT state, owner_id FROM risk_signals WHERE id = $1")
        .bind(id)
        .fetch_optional(c.conn())
        .await?;
    let Some((state, before)) = row else { return Err(AppError::NotFound) };
    if state == IncidentState::Resolved.key() {
        return Err(AppError::conflict("risk.already_resolved"));
    }
    if before == Some(ctx.caller.user_id) {
        return Err(AppError::conflict("risk.already_yours"));
    }
    set_owner(&mut c, id, ctx.caller.user_id).await?;
    cases::log(&mut c, TABLES, id, "taken", &ctx.caller.email, "").await?;
    c.audit(
        Audit::new(AuditAction::RiskTake, AuditTarget::RiskSignal(id))
            .before(json!({"owner_id": before}))
            .after(json!({"owner_id": ctx.caller.user_id})),
    )
    .await?;
    c.commit().await
}

async fn set_owner(c: &mut Change, id: i64, owner: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE risk_signals SET owner_id = $1 WHERE id = $2").bind(owner).bind(id).execute(c.conn()).await?;
    Ok(())
}

/// An operator's step on signal `id`; acknowledging an unowned signal makes it the caller's.
pub async fn act(ctx: &Ctx, id: i64, action: IncidentAction, note: &str) -> Result<(), AppError> {
    let note = cases::step_note(action, note)?;
    let mut c = Change::begin(&ctx.state, Actor::of(&ctx.caller), ctx.meta.clone()).await?;
    let (from, to) = cases::step(&mut c, TABLES, id, action, &ctx.caller.email, &note).await?;
    if action == IncidentAction::Acknowledge {
        sqlx::query("UPDATE risk_signals SET owner_id = $1 WHERE id = $2 AND owner_id IS NULL")
            .bind(ctx.caller.user_id)
            .bind(id)
            .execute(c.conn())
            .await?;
    }
    let audit_action = match action {
        IncidentAction::Acknowledge => AuditAction::RiskAcknowledge,
        IncidentAction::Resolve => AuditAction::RiskResolve,
        IncidentAction::Note => AuditAction::RiskNote,
    };
    c.audit(
        Audit::new(audit_action, AuditTarget::RiskSignal(id))
            .before(json!({"state": from.key()}))
            .after(json!({"state": to.key(), "note": note})),
    )
    .await?;
    c.commit().await
}
