//! Server functions of the settings centre: reading it needs `settings.view`; every change needs
//! `settings.manage` and is protected (reason, password, the second factor when enrolled).

// `set_maintenance` takes the maintenance form's fields plus the confirmation; the browser build's
// generated twin does not carry a per-function allow, hence this one for the file.
#![allow(clippy::too_many_arguments)]

use super::model::{SettingsView, VersionRow};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::domain::audit::AuditAction;
#[cfg(feature = "ssr")]
use crate::domain::permissions::{SETTINGS_MANAGE, SETTINGS_VIEW};
#[cfg(feature = "ssr")]
use crate::platform::guard::{confirm_protected, require};

/// Every runtime setting, its value in force and where it comes from.
#[server(prefix = "/api", endpoint = "settings_centre")]
pub async fn settings_centre() -> Result<SettingsView, AppError> {
    let ctx = require(SETTINGS_VIEW).await?;
    service::view(&ctx.state).await
}

/// The versions, newest first, a page after `cursor`.
#[server(prefix = "/api", endpoint = "setting_versions")]
pub async fn setting_versions(cursor: Option<String>) -> Result<Page<VersionRow>, AppError> {
    let ctx = require(SETTINGS_VIEW).await?;
    service::versions(&ctx.state, cursor.as_deref()).await
}

/// Changes one setting. `value` is the field; a setting of several choices sends `choices[]`.
#[server(prefix = "/api", endpoint = "change_setting")]
pub async fn change_setting(
    key: String,
    #[server(default)] value: String,
    #[server(default)] choices: Vec<String>,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(SETTINGS_MANAGE).await?;
    let is_choices = crate::domain::settings::spec(&key)
        .is_some_and(|s| matches!(s.kind, crate::domain::settings::Kind::Choices(_)));
    let value = if is_choices { choices.join(",") } else { value };
    // The form has one field: its errors go next to it.
    let to_field = |e: AppError| match e {
        AppError::Invalid { code, .. } => AppError::invalid("value", &code),
        other => other,
    };
    let writes = service::prepare(&ctx.state, &[(key, value)]).map_err(to_field)?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::change(&ctx.state, &ctx.caller, &ctx.meta, writes, &reason, AuditAction::SettingsChange)
        .await
        .map(drop)
        .map_err(to_field)
}

/// Puts back what version `id` changed, as a new version.
#[server(prefix = "/api", endpoint = "rollback_settings")]
pub async fn rollback_settings(
    id: i64,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(SETTINGS_MANAGE).await?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::rollback(&ctx.state, &ctx.caller, &ctx.meta, id, &reason).await.map(drop)
}

/// Maintenance mode and its window, as one version. Each field's errors go next to it.
#[server(prefix = "/api", endpoint = "set_maintenance")]
pub async fn set_maintenance(
    maintenance_mode: String,
    #[server(default)] maintenance_message: String,
    #[server(default)] maintenance_starts_at: String,
    #[server(default)] maintenance_ends_at: String,
    #[server(default)] maintenance_allow: String,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(SETTINGS_MANAGE).await?;
    let inputs = [
        ("maintenance_mode", maintenance_mode),
        ("maintenance_message", maintenance_message),
        ("maintenance_starts_at", maintenance_starts_at),
        ("maintenance_ends_at", maintenance_ends_at),
        ("maintenance_allow", maintenance_allow),
    ]
    .map(|(k, v)| (k.to_string(), v));
    let writes = service::prepare(&ctx.state, &inputs)?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::change(&ctx.state, &ctx.caller, &ctx.meta, writes, &reason, AuditAction::SettingsMaintenance)
        .await
        .map(drop)
}

/// Changes feature flag `name`'s rule: on or off, the percentage of users, the roles, sellers and
/// users (ids, comma separated) it is on for whatever the percentage, and an optional switch to on or
/// off at a time (the platform's time zone). Each field's errors go next to it.
#[server(prefix = "/api", endpoint = "set_flag")]
pub async fn set_flag(
    name: String,
    on: String,
    percent: String,
    #[server(default)] roles: String,
    #[server(default)] sellers: String,
    #[server(default)] users: String,
    #[server(default)] switch_at: String,
    #[server(default)] switch_to: String,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(SETTINGS_MANAGE).await?;
    let offset = ctx.state.settings().utc_offset_minutes;
    let form = super::flag_form::FlagForm { on, percent, roles, sellers, users, switch_at, switch_to };
    let rule = form.parse(offset)?;
    let key = format!("flag.{name}");
    let writes = service::prepare(&ctx.state, &[(key, rule.canonical())]).map_err(super::flag_form::to_field)?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::change(&ctx.state, &ctx.caller, &ctx.meta, writes, &reason, AuditAction::SettingsChange).await.map(drop)
}
