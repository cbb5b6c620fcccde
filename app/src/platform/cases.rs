//! A case an operator works through: an incident (`alerts`) or a risk signal (`risk`). Both move
//! open → acknowledged → resolved (`domain::alerts::transition`), keep a timeline of lines (what,
//! who, a note) in their own events table, and are moved by compare-and-set on the state, so two
//! operators acting at once cannot both move one.

use crate::domain::alerts::{parse_note, transition, IncidentAction, IncidentState};
use crate::error::AppError;
use crate::platform::change::Change;

/// Where a kind of case lives.
#[derive(Debug, Clone, Copy)]
pub struct CaseTables {
    /// The cases (`id`, `state`, `acknowledged_at`, `resolved_at`).
    pub cases: &'static str,
    /// Their timeline (`<parent>, at, kind, actor, note`).
    pub events: &'static str,
    /// The timeline's column naming the case.
    pub parent: &'static str,
    /// The message key when someone else moved the case meanwhile.
    pub changed: &'static str,
}

/// The note an operator's step carries: required, except to acknowledge.
pub fn step_note(action: IncidentAction, note: &str) -> Result<String, AppError> {
    match (action, note.trim().is_empty()) {
        (IncidentAction::Acknowledge, true) => Ok(String::new()),
        _ => parse_note(note).map_err(|code| AppError::invalid("note", code)),
    }
}

/// The timeline's name for a step.
pub fn step_kind(action: IncidentAction) -> &'static str {
    match action {
        IncidentAction::Acknowledge => "acknowledged",
        IncidentAction::Resolve => "resolved",
        IncidentAction::Note => "note",
    }
}

/// Moves case `id` by `action` (a note leaves the state as it is) and writes the timeline line.
/// Returns the state before and after. `NotFound` when there is no such case.
pub async fn step(
    c: &mut Change,
    t: CaseTables,
    id: i64,
    action: IncidentAction,
    actor: &str,
    note: &str,
) -> Result<(IncidentState, IncidentState), AppError> {
    let sql = format!("SELECT state FROM {} WHERE id = $1", t.cases);
    let state: Option<String> = sqlx::query_scalar(&sql).bind(id).fetch_optional(c.conn()).await?;
    let Some(from) = state.as_deref().and_then(IncidentState::parse) else { return Err(AppError::NotFound) };
    let to = transition(from, action).map_err(AppError::conflict)?;
    let stamp = match action {
        IncidentAction::Acknowledge => Some("acknowledged_at"),
        IncidentAction::Resolve => Some("resolved_at"),
        IncidentAction::Note => None,
    };
    if let Some(column) = stamp {
        let now = c.now_ms();
        let sql = format!("UPDATE {} SET state = $1, {column} = $2 WHERE id = $3 AND state = $4", t.cases);
        let moved = sqlx::query(&sql)
            .bind(to.key())
            .bind(now)
            .bind(id)
            .bind(from.key())
            .execute(c.conn())
            .await?
            .rows_affected();
        if moved == 0 {
            return Err(AppError::conflict(t.changed));
        }
    }
    log(c, t, id, step_kind(action), actor, note).await?;
    Ok((from, to))
}

/// A line of case `id`'s timeline.
pub async fn log(c: &mut Change, t: CaseTables, id: i64, kind: &str, actor: &str, note: &str) -> Result<(), AppError> {
    let now = c.now_ms();
    let sql = format!("INSERT INTO {} ({}, at, kind, actor, note) VALUES ($1, $2, $3, $4, $5)", t.events, t.parent);
    sqlx::query(&sql).bind(id).bind(now).bind(kind).bind(actor).bind(note).execute(c.conn()).await?;
    Ok(())
}

/// Case `id`'s timeline, oldest first (at most 500 lines): `(at, kind, actor, note)`.
pub async fn timeline(
    db: &sqlx::AnyPool,
    t: CaseTables,
    id: i64,
) -> Result<Vec<(i64, String, String, String)>, sqlx::Error> {
    let sql = format!("SELECT at, kind, actor, note FROM {} WHERE {} = $1 ORDER BY id LIMIT 500", t.events, t.parent);
    sqlx::query_as(&sql).bind(id).fetch_all(db).await
}
