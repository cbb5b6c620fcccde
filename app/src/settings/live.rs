//! Keeping a process's settings current: the stored values over the configuration's, reloaded when
//! the highest settings version moves. Every process polls that number (one indexed read) every
//! `settings_refresh_ms`; the process that made a change reloads at once.

use super::bindings::binding;
use crate::domain::settings::{canonical, spec};
use crate::error::{AppError, Context};
use crate::platform::db::Db;
use crate::platform::sealed::{is_sealed, SealKeys};
use crate::platform::state::{AppState, Settings};

/// The highest settings version (0: none yet).
pub async fn revision(db: &Db) -> Result<i64, AppError> {
    let id: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM setting_changes")
        .fetch_one(db.read())
        .await
        .context("reading the settings version")?;
    Ok(id.unwrap_or(0))
}

/// `base` with the stored `rows` (key, stored value) over it, skipping pinned keys; the keys whose
/// stored value could not be read (a sealed secret no key opens) keep their configured value and
/// are returned. The error never carries a value.
pub fn overlay(
    base: &Settings,
    pinned: &[String],
    keys: &SealKeys,
    rows: &[(String, String)],
) -> (Settings, Vec<String>) {
    let mut settings = base.clone();
    let mut unreadable = vec![];
    for (key, stored) in rows {
        let (Some(spec), Some(bind)) = (spec(key), binding(key)) else { continue };
        if pinned.iter().any(|p| p == key) {
            continue;
        }
        let plain = if spec.is_secret() && is_sealed(stored) {
            match keys.open(stored) {
                Ok(plain) => plain,
                Err(_) => {
                    unreadable.push(key.clone());
                    continue;
                }
            }
        } else {
            stored.clone()
        };
        // A stored value from an older catalog that no longer fits keeps the configured one.
        match canonical(spec, &plain) {
            Ok(value) if (bind.set)(&mut settings, &value).is_some() => {}
            _ => unreadable.push(key.clone()),
        }
    }
    (settings, unreadable)
}

/// Reads every stored value and puts the result in force in this process.
pub async fn reload(state: &AppState) -> Result<(), AppError> {
    let rev = revision(&state.db).await?;
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT key, value FROM runtime_settings")
        .fetch_all(state.db.read())
        .await
        .context("reading the stored settings")?;
    let live = &state.live;
    let (settings, unreadable) = overlay(live.base(), &live.pinned, &live.keys, &rows);
    if !unreadable.is_empty() {
        tracing::error!(keys = ?unreadable, "stored settings that cannot be read keep their configured values");
    }
    live.install(settings, rev);
    *live.unreadable.write().unwrap_or_else(|e| e.into_inner()) = unreadable;
    Ok(())
}

/// Reloads when another process stored a newer version; true when it did.
pub async fn refresh(state: &AppState) -> Result<bool, AppError> {
    if revision(&state.db).await? > state.live.revision() {
        reload(state).await?;
        return Ok(true);
    }
    Ok(false)
}

/// Polls for changes every `every` for as long as the process runs.
pub fn spawn_refresher(state: AppState, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = refresh(&state).await {
                tracing::warn!(error = %e, "settings refresh failed; trying again at the next tick");
            }
        }
    });
}
