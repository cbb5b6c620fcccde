//! Server functions of alerts and incidents: reading needs `alerts.view`; creating and changing
//! rules, silences and handling incidents need `alerts.manage`. Each authorizes first, parses at the
//! edge, then makes one service call.

// `create_alert_rule` takes the rule form's fields; the browser build's generated twin does not carry
// a per-function allow, hence this one for the file.
#![allow(clippy::too_many_arguments)]

use super::model::{IncidentDetail, IncidentRow, OpenIncidents, RulesView};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{incidents, rules};
#[cfg(feature = "ssr")]
use crate::domain::alerts::{IncidentAction, RuleForm};
#[cfg(feature = "ssr")]
use crate::domain::permissions::{ALERTS_MANAGE, ALERTS_VIEW};
#[cfg(feature = "ssr")]
use crate::platform::guard::require;

/// Every rule with its last measured value.
#[server(prefix = "/api", endpoint = "alert_rules")]
pub async fn alert_rules() -> Result<RulesView, AppError> {
    let ctx = require(ALERTS_VIEW).await?;
    rules::list(&ctx).await
}

/// A new rule. The checkboxes send "on" when ticked. Returns its id.
#[server(prefix = "/api", endpoint = "create_alert_rule")]
pub async fn create_alert_rule(
    name: String,
    metric: String,
    threshold: String,
    window_minutes: String,
    severity: String,
    #[server(default)] notify_operators: String,
    #[server(default)] notify_webhook: String,
    #[server(default)] emails: String,
) -> Result<i64, AppError> {
    let ctx = require(ALERTS_MANAGE).await?;
    let form = RuleForm {
        name: &name,
        metric: &metric,
        threshold: &threshold,
        window_minutes: &window_minutes,
        severity: &severity,
        notify_operators: !notify_operators.is_empty(),
        notify_webhook: !notify_webhook.is_empty(),
        emails: &emails,
    };
    let input = crate::domain::alerts::parse_rule(&form).map_err(|(field, code)| AppError::invalid(field, code))?;
    rules::create(&ctx, input).await
}

/// Turns a rule off (it is no longer evaluated) or on again.
#[server(prefix = "/api", endpoint = "set_alert_rule_enabled")]
pub async fn set_alert_rule_enabled(id: i64, enabled: bool) -> Result<(), AppError> {
    let ctx = require(ALERTS_MANAGE).await?;
    rules::set_enabled(&ctx, id, enabled).await
}

/// Silences a rule for `minutes` (1 minute to a week), with a reason.
#[server(prefix = "/api", endpoint = "silence_alert_rule")]
pub async fn silence_alert_rule(id: i64, minutes: String, reason: String) -> Result<(), AppError> {
    let ctx = require(ALERTS_MANAGE).await?;
    let minutes =
        crate::domain::alerts::parse_silence_minutes(&minutes).map_err(|code| AppError::invalid("minutes", code))?;
    let reason = crate::domain::reason::Reason::parse(&reason).map_err(|e| AppError::invalid("reason", e.code()))?;
    rules::silence(&ctx, id, minutes, &reason).await
}

/// Ends a rule's silence now.
#[server(prefix = "/api", endpoint = "end_alert_silence")]
pub async fn end_alert_silence(id: i64) -> Result<(), AppError> {
    let ctx = require(ALERTS_MANAGE).await?;
    rules::end_silence(&ctx, id).await
}

/// Incidents in `state` (open, acknowledged, resolved; none: the unresolved ones), newest first.
#[server(prefix = "/api", endpoint = "incidents")]
pub async fn incidents(state: Option<String>, cursor: Option<String>) -> Result<Page<IncidentRow>, AppError> {
    let ctx = require(ALERTS_VIEW).await?;
    let state = match state.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            crate::domain::alerts::IncidentState::parse(s)
                .ok_or_else(|| AppError::invalid("state", "incidents.state_invalid"))?,
        ),
    };
    incidents::list(&ctx.state, state, cursor.as_deref()).await
}

/// One incident and its timeline.
#[server(prefix = "/api", endpoint = "incident")]
pub async fn incident(id: i64) -> Result<IncidentDetail, AppError> {
    let ctx = require(ALERTS_VIEW).await?;
    incidents::detail(&ctx, id).await
}

/// The command center's card. (Not `open_incidents`: the server macro would name its type like the
/// model's `OpenIncidents`.)
#[server(prefix = "/api", endpoint = "unresolved_incidents")]
pub async fn unresolved_incidents() -> Result<OpenIncidents, AppError> {
    let ctx = require(ALERTS_VIEW).await?;
    incidents::open_summary(&ctx.state).await
}

/// Acknowledges an open incident ("someone is on it"); the note is optional.
#[server(prefix = "/api", endpoint = "acknowledge_incident")]
pub async fn acknowledge_incident(id: i64, #[server(default)] note: String) -> Result<(), AppError> {
    let ctx = require(ALERTS_MANAGE).await?;
    incidents::act(&ctx, id, IncidentAction::Acknowledge, &note).await
}

/// Adds a note to the timeline.
#[server(prefix = "/api", endpoint = "add_incident_note")]
pub async fn add_incident_note(id: i64, note: String) -> Result<(), AppError> {
    let ctx = require(ALERTS_MANAGE).await?;
    incidents::act(&ctx, id, IncidentAction::Note, &note).await
}

/// Resolves an incident, saying what was done (required).
#[server(prefix = "/api", endpoint = "resolve_incident")]
pub async fn resolve_incident(id: i64, note: String) -> Result<(), AppError> {
    let ctx = require(ALERTS_MANAGE).await?;
    incidents::act(&ctx, id, IncidentAction::Resolve, &note).await
}
