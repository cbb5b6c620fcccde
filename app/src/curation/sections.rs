//! The home page's sections: their order, shown or hidden, each with an optional schedule. The
//! table's trigger bumps the catalog version on every change; at a schedule boundary the
//! `curation.sections` timer bumps it, so every process rebuilds its cached home page then.

use super::model::SectionRow;
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::curation::{moved, section_key, Schedule, SECTIONS};
use crate::error::{AppError, Context};
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change};
use crate::platform::jobs;
use crate::platform::state::AppState;
use serde_json::json;

/// The timer at a section's schedule boundary (target: the section's index in `SECTIONS`).
pub const JOB_SECTIONS: &str = "curation.sections";

#[derive(sqlx::FromRow)]
struct SectionRecord {
    key: String,
    position: i64,
    visible: i64,
    starts_at: Option<i64>,
    ends_at: Option<i64>,
}

/// Every section in order, and whether it shows now.
pub async fn list(state: &AppState) -> Result<Vec<SectionRow>, AppError> {
    let records: Vec<SectionRecord> =
        sqlx::query_as("SELECT key, position, visible, starts_at, ends_at FROM home_sections ORDER BY position, key")
            .fetch_all(state.db.read())
            .await
            .context("reading the home page's sections")?;
    let now = state.now_ms();
    Ok(records
        .into_iter()
        .map(|r| {
            let schedule = Schedule { starts_at: r.starts_at, ends_at: r.ends_at };
            SectionRow {
                shown_now: r.visible != 0 && schedule.contains(now),
                key: r.key,
                position: r.position,
                visible: r.visible != 0,
                starts_at_ms: r.starts_at,
                ends_at_ms: r.ends_at,
            }
        })
        .collect())
}

/// The keys of the sections the home page shows now, in order (what the storefront draws).
pub async fn shown_now(state: &AppState) -> Result<Vec<String>, AppError> {
    Ok(list(state).await?.into_iter().filter(|s| s.shown_now).map(|s| s.key).collect())
}

fn unknown() -> AppError {
    AppError::invalid("key", "curation.unknown_section")
}

/// Shows or hides section `key`, with an optional schedule.
pub async fn save(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    key: &str,
    visible: bool,
    schedule: Schedule,
) -> Result<(), AppError> {
    let key = section_key(key).ok_or_else(unknown)?;
    let mut c = Change::by_caller_serialised(state, caller, meta).await?;
    let now = c.now_ms();
    let before: (i64, Option<i64>, Option<i64>) =
        sqlx::query_as("SELECT visible, starts_at, ends_at FROM home_sections WHERE key = $1")
            .bind(key)
            .fetch_optional(c.conn())
            .await
            .context("reading the section")?
            .ok_or_else(unknown)?;
    sqlx::query("UPDATE home_sections SET visible = $1, starts_at = $2, ends_at = $3, updated_at = $4 WHERE key = $5")
        .bind(i64::from(visible))
        .bind(schedule.starts_at)
        .bind(schedule.ends_at)
        .bind(now)
        .bind(key)
        .execute(c.conn())
        .await
        .context("saving the section")?;
    let index = SECTIONS.iter().position(|k| *k == key).unwrap_or_default() as i64;
    jobs::cancel(c.conn(), now, JOB_SECTIONS, index).await.context("cancelling the old boundaries")?;
    for at in schedule.boundaries_after(now) {
        jobs::schedule(c.conn(), now, JOB_SECTIONS, index, at).await.context("scheduling a boundary")?;
    }
    c.audit(
        Audit::new(AuditAction::CurationSections, AuditTarget::HomeSection(key))
            .before(json!({"visible": before.0 != 0, "starts_at": before.1, "ends_at": before.2}))
            .after(json!({"visible": visible, "starts_at": schedule.starts_at, "ends_at": schedule.ends_at})),
    )
    .await?;
    c.commit().await
}

/// Moves section `key` one place up or down.
pub async fn move_section(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    key: &str,
    up: bool,
) -> Result<(), AppError> {
    let key = section_key(key).ok_or_else(unknown)?;
    let mut c = Change::by_caller_serialised(state, caller, meta).await?;
    let order: Vec<String> = sqlx::query_scalar("SELECT key FROM home_sections ORDER BY position, key")
        .fetch_all(c.conn())
        .await
        .context("reading the sections' order")?;
    let Some(next) = moved(&order, &key.to_string(), up) else {
        return Err(AppError::conflict("curation.cannot_move"));
    };
    for (i, k) in next.iter().enumerate() {
        sqlx::query("UPDATE home_sections SET position = $1 WHERE key = $2 AND position <> $1")
            .bind(i as i64 + 1)
            .bind(k)
            .execute(c.conn())
            .await
            .context("renumbering the sections")?;
    }
    c.audit(
        Audit::new(AuditAction::CurationSections, AuditTarget::HomeSection(key))
            .before(json!({"order": order}))
            .after(json!({"order": next})),
    )
    .await?;
    c.commit().await
}

/// The `curation.sections` timer: a section's schedule starts or ends now, so every cached home page
/// is out of date.
pub async fn at_boundary(state: &AppState) -> Result<(), AppError> {
    let mut c = Change::unaudited(state, "a home section's schedule boundary").await?;
    crate::platform::cache::bump_catalog_version(c.conn()).await.context("bumping the catalog version")?;
    c.commit().await
}
