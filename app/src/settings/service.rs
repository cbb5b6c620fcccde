//! Changing the runtime settings: every change is a version (who, why, each key's stored value before
//! and after) written with its audit entry in one unit of work; a rollback is a new version putting
//! the values before back. Secrets are sealed before they are stored and never leave sealed: the audit
//! entry and the history say only whether one is set.

use super::bindings::value_of;
use super::live;
use super::model::{SettingRow, SettingsView, Source, VersionRow, VersionValue, SECRET_MASK};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::page::{parse_id_cursor, Page};
use crate::domain::reason::Reason;
use crate::domain::settings::{check_together, parse_input, spec, SettingProblem, SettingSpec, CATALOG};
use crate::error::{AppError, Context};
use crate::platform::audit_log::Actor;
use crate::platform::caller::{Caller, RequestMeta};
use crate::platform::change::{Audit, Change};
use crate::platform::sealed::is_sealed;
use crate::platform::state::{AppState, Settings};
use serde_json::{json, Map, Value};
use sqlx::AnyConnection;

pub const VERSIONS_PAGE: i64 = 20;

fn problem(key: &str, p: SettingProblem) -> AppError {
    AppError::invalid(key, p.code())
}

/// Every setting with its value in force and where it comes from.
pub async fn view(state: &AppState) -> Result<SettingsView, AppError> {
    let stored: Vec<(String, i64)> = sqlx::query_as("SELECT key, updated_at FROM runtime_settings")
        .fetch_all(state.db.read())
        .await
        .context("reading when settings changed")?;
    let live = &state.live;
    let (settings, base) = (state.settings(), live.base());
    let unreadable = live.unreadable.read().unwrap_or_else(|e| e.into_inner()).clone();
    let rows = CATALOG
        .iter()
        .map(|spec| {
            let changed_at_ms = stored.iter().find(|(k, _)| k == spec.key).map(|(_, at)| *at);
            let source = if live.is_pinned(spec.key) {
                Source::Pinned
            } else if changed_at_ms.is_some() && !unreadable.iter().any(|k| k == spec.key) {
                Source::Stored
            } else {
                Source::Configured
            };
            SettingRow {
                key: spec.key.to_string(),
                value: shown(spec, value_of(&settings, spec.key)),
                source,
                configured: shown(spec, value_of(base, spec.key)),
                changed_at_ms,
                unreadable: unreadable.iter().any(|k| k == spec.key),
            }
        })
        .collect();
    Ok(SettingsView {
        rows,
        utc_offset_minutes: settings.utc_offset_minutes,
        sealing_key: live.keys.configured(),
        revision: live.revision(),
    })
}

/// A value as the console may show it: a secret only says whether it is set.
fn shown(spec: &SettingSpec, value: String) -> String {
    match (spec.is_secret(), value.is_empty()) {
        (true, true) => String::new(),
        (true, false) => SECRET_MASK.to_string(),
        (false, _) => value,
    }
}

/// What one version writes for one key: the stored value after (`None`: back to the configuration's)
/// and the plain value that will then be in force (for the checks).
pub struct Write {
    spec: &'static SettingSpec,
    stored: Option<String>,
    plain: String,
}

/// Reads what a form sent (key, raw value) as a version's writes, refusing whatever the checks refuse
/// (before the caller is asked to confirm: a wrong value is pointed out first).
pub fn prepare(state: &AppState, inputs: &[(String, String)]) -> Result<Vec<Write>, AppError> {
    let settings = state.settings();
    let mut writes = vec![];
    for (key, raw) in inputs {
        let spec = spec(key).ok_or_else(|| problem(key, SettingProblem::UnknownKey))?;
        let plain = parse_input(spec, raw, settings.utc_offset_minutes).map_err(|p| problem(key, p))?;
        let stored = if spec.is_secret() && !plain.is_empty() {
            state.live.keys.seal(&plain).map_err(|e| AppError::invalid(key, e.code()))?
        } else {
            plain.clone()
        };
        writes.push(Write { spec, stored: Some(stored), plain });
    }
    check(state, &settings, &writes)?;
    // A form of several settings (maintenance) records only the ones it changes.
    writes.retain(|w| w.plain != value_of(&settings, w.spec.key));
    Ok(writes)
}

/// Stores `writes` (from `prepare`) as one version.
pub async fn change(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    writes: Vec<Write>,
    reason: &Reason,
    action: AuditAction,
) -> Result<i64, AppError> {
    write_version(state, caller, meta, writes, reason, action, None).await
}

/// Puts back the values version `id` replaced, as a new version.
pub async fn rollback(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    id: i64,
    reason: &Reason,
) -> Result<i64, AppError> {
    let values: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT key, value_before FROM setting_change_values WHERE change_id = $1 ORDER BY key")
            .bind(id)
            .fetch_all(state.db.read())
            .await
            .context("reading the version to roll back")?;
    if values.is_empty() {
        return Err(AppError::NotFound);
    }
    let mut writes = vec![];
    for (key, before) in values {
        // A key a later release removed from the catalog is left as it is.
        let Some(spec) = spec(&key) else { continue };
        let plain = match &before {
            None => value_of(state.live.base(), spec.key),
            Some(v) if spec.is_secret() && is_sealed(v) => {
                state.live.keys.open(v).map_err(|e| AppError::invalid(spec.key, e.code()))?
            }
            Some(v) => v.clone(),
        };
        writes.push(Write { spec, stored: before, plain });
    }
    write_version(state, caller, meta, writes, reason, AuditAction::SettingsRollback, Some(id)).await
}

/// The checks every version passes, then the version, its values, the stored values and the audit
/// entry in one unit of work; this process puts it in force at once, the others at their next poll.
async fn write_version(
    state: &AppState,
    caller: &Caller,
    meta: &RequestMeta,
    writes: Vec<Write>,
    reason: &Reason,
    action: AuditAction,
    rollback_of: Option<i64>,
) -> Result<i64, AppError> {
    let settings = state.settings();
    check(state, &settings, &writes)?;
    // The settings centre works through maintenance mode: whoever may change settings can end it.
    let mut c = Change::begin_through_maintenance(state, Actor::of(caller), meta.clone()).await?;
    c.serialise_with_audited_writers().await?;
    let now = c.now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO setting_changes (actor_id, reason, rollback_of, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(caller.user_id)
    .bind(reason.as_str())
    .bind(rollback_of)
    .bind(now)
    .fetch_one(c.conn())
    .await
    .context("recording the settings version")?;
    let (mut before, mut after) = (Map::new(), Map::new());
    for w in &writes {
        let stored_before = stored_value(c.conn(), w.spec.key).await?;
        sqlx::query(
            "INSERT INTO setting_change_values (change_id, key, value_before, value_after) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(w.spec.key)
        .bind(&stored_before)
        .bind(&w.stored)
        .execute(c.conn())
        .await
        .context("recording a setting's values")?;
        store(c.conn(), w.spec.key, w.stored.as_deref(), id, now).await?;
        before.insert(w.spec.key.into(), audit_value(w.spec, &value_of(&settings, w.spec.key)));
        after.insert(w.spec.key.into(), audit_value(w.spec, &w.plain));
    }
    c.audit(
        Audit::new(action, AuditTarget::SettingsVersion(id))
            .before(Value::Object(before))
            .after(Value::Object(after))
            .reason(reason.as_str()),
    )
    .await?;
    c.commit().await?;
    live::reload(state).await?;
    Ok(id)
}

/// Pinned keys, the rules across settings on the values that would be in force, and a version that
/// would change nothing, are refused before anything is written.
fn check(state: &AppState, settings: &Settings, writes: &[Write]) -> Result<(), AppError> {
    for w in writes {
        if state.live.is_pinned(w.spec.key) {
            return Err(problem(w.spec.key, SettingProblem::Pinned));
        }
    }
    let value_after = |key: &str| match writes.iter().find(|w| w.spec.key == key) {
        Some(w) => w.plain.clone(),
        None => value_of(settings, key),
    };
    check_together(value_after, settings.production).map_err(|(key, p)| problem(key, p))?;
    if writes.iter().all(|w| w.plain == value_of(settings, w.spec.key)) {
        let key = writes.first().map(|w| w.spec.key).unwrap_or("value");
        return Err(problem(key, SettingProblem::Unchanged));
    }
    Ok(())
}

/// A value as the audit log records it: a secret only as set or not.
fn audit_value(spec: &SettingSpec, value: &str) -> Value {
    match (spec.is_secret(), value.is_empty()) {
        (true, true) => json!("(not set)"),
        (true, false) => json!("(set)"),
        (false, _) => json!(value),
    }
}

async fn stored_value(conn: &mut AnyConnection, key: &str) -> Result<Option<String>, AppError> {
    sqlx::query_scalar("SELECT value FROM runtime_settings WHERE key = $1")
        .bind(key)
        .fetch_optional(conn)
        .await
        .context("reading a stored setting")
}

async fn store(
    conn: &mut AnyConnection,
    key: &str,
    value: Option<&str>,
    change_id: i64,
    now: i64,
) -> Result<(), AppError> {
    let q = match value {
        Some(v) => sqlx::query(
            "INSERT INTO runtime_settings (key, value, change_id, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, change_id = excluded.change_id, \
             updated_at = excluded.updated_at",
        )
        .bind(key)
        .bind(v)
        .bind(change_id)
        .bind(now),
        None => sqlx::query("DELETE FROM runtime_settings WHERE key = $1").bind(key),
    };
    q.execute(conn).await.context("storing a setting")?;
    Ok(())
}

/// A version as stored: id, the operator's address, reason, when, what it rolled back.
type VersionHead = (i64, Option<String>, String, i64, Option<i64>);

/// The versions, newest first, `VERSIONS_PAGE` at a time after the cursor (the last id shown).
pub async fn versions(state: &AppState, cursor: Option<&str>) -> Result<Page<VersionRow>, AppError> {
    let before = parse_id_cursor(cursor);
    let rows: Vec<VersionHead> = sqlx::query_as(
        "SELECT c.id, u.email, c.reason, c.created_at, c.rollback_of FROM setting_changes c \
         LEFT JOIN users u ON u.id = c.actor_id WHERE c.id < $1 ORDER BY c.id DESC LIMIT $2",
    )
    .bind(before.unwrap_or(i64::MAX))
    .bind(VERSIONS_PAGE + 1)
    .fetch_all(state.db.read())
    .await
    .context("reading the settings versions")?;
    let more = rows.len() as i64 > VERSIONS_PAGE;
    let rows: Vec<_> = rows.into_iter().take(VERSIONS_PAGE as usize).collect();
    let (Some(newest), Some(oldest)) = (rows.first().map(|r| r.0), rows.last().map(|r| r.0)) else {
        return Ok(Page { rows: vec![], next: None });
    };
    let values: Vec<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT change_id, key, value_before, value_after FROM setting_change_values \
         WHERE change_id BETWEEN $1 AND $2 ORDER BY change_id, key",
    )
    .bind(oldest)
    .bind(newest)
    .fetch_all(state.db.read())
    .await
    .context("reading the versions' values")?;
    let masked = |key: &str, v: Option<String>| match (spec(key), v) {
        (Some(s), Some(v)) if s.is_secret() => Some(if v.is_empty() { String::new() } else { SECRET_MASK.to_string() }),
        (_, v) => v,
    };
    let next = more.then(|| oldest.to_string());
    let rows = rows
        .into_iter()
        .map(|(id, actor, reason, created_at_ms, rollback_of)| VersionRow {
            id,
            actor: actor.unwrap_or_default(),
            reason,
            created_at_ms,
            rollback_of,
            values: values
                .iter()
                .filter(|v| v.0 == id)
                .map(|(_, key, b, a)| VersionValue {
                    key: key.clone(),
                    before: masked(key, b.clone()),
                    after: masked(key, a.clone()),
                })
                .collect(),
        })
        .collect();
    Ok(Page { rows, next })
}

/// What a key rotation did, or the keys no configured key opens (then nothing changed).
#[derive(Debug, PartialEq, Eq)]
pub enum Rotation {
    Done { resealed: usize, current_already: usize },
    Unreadable(Vec<String>),
}

/// Seals every stored secret (in force and in the history) again under the current key, in one
/// transaction: all or nothing. Audited as the platform's own change.
pub async fn rotate_key(state: &AppState) -> Result<Rotation, AppError> {
    let keys = &state.live.keys;
    if !keys.configured() {
        return Err(AppError::invalid("settings_key", "settings.problem.no_key"));
    }
    let mut c = Change::system(state, "settings-key-rotation").await?;
    // (column, key, version id (0 for the value in force), stored value)
    let mut found: Vec<(&'static str, String, i64, String)> = vec![];
    let in_force: Vec<(String, String)> = sqlx::query_as("SELECT key, value FROM runtime_settings")
        .fetch_all(c.conn())
        .await
        .context("reading the stored settings")?;
    for (key, value) in in_force {
        found.push(("runtime_settings", key, 0, value));
    }
    let history: Vec<(i64, String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT change_id, key, value_before, value_after FROM setting_change_values")
            .fetch_all(c.conn())
            .await
            .context("reading the settings history")?;
    for (id, key, before, after) in history {
        for (column, v) in [("value_before", before), ("value_after", after)] {
            if let Some(v) = v {
                found.push((column, key.clone(), id, v));
            }
        }
    }
    let (mut resealed, mut current_already, mut unreadable) = (0, 0, vec![]);
    for (place, key, change_id, value) in found.into_iter().filter(|f| is_sealed(&f.3)) {
        if keys.is_current(&value) {
            current_already += 1;
            continue;
        }
        let Ok(plain) = keys.open(&value) else {
            if !unreadable.contains(&key) {
                unreadable.push(key);
            }
            continue;
        };
        let sealed = keys.seal(&plain).map_err(|e| AppError::invalid("settings_key", e.code()))?;
        let q = match place {
            "runtime_settings" => sqlx::query("UPDATE runtime_settings SET value = $1 WHERE key = $2"),
            "value_before" => {
                sqlx::query("UPDATE setting_change_values SET value_before = $1 WHERE key = $2 AND change_id = $3")
            }
            _ => sqlx::query("UPDATE setting_change_values SET value_after = $1 WHERE key = $2 AND change_id = $3"),
        };
        let q = q.bind(sealed).bind(&key);
        let q = if place == "runtime_settings" { q } else { q.bind(change_id) };
        q.execute(c.conn()).await.context("sealing again")?;
        resealed += 1;
    }
    if !unreadable.is_empty() {
        // Dropping the change rolls every re-sealed value back.
        return Ok(Rotation::Unreadable(unreadable));
    }
    c.audit(
        Audit::new(AuditAction::SettingsRotateKey, AuditTarget::PlatformSetting("settings_key"))
            .after(json!({"key": keys.current_id(), "resealed": resealed}))
            .reason("the settings key was rotated"),
    )
    .await?;
    c.commit().await?;
    Ok(Rotation::Done { resealed, current_already })
}
