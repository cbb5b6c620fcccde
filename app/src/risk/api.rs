//! Server functions of the risk desk: reading needs `risk.view`; taking, acknowledging, noting and
//! resolving a signal need `risk.manage`. The actions a signal links to (ban, suspend, take down,
//! hold a payout) are the subject's own pages, with their own permissions.

use super::model::{SignalDetail, SignalRow};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::signals;
#[cfg(feature = "ssr")]
use crate::domain::alerts::IncidentAction;
#[cfg(feature = "ssr")]
use crate::domain::permissions::{RISK_MANAGE, RISK_VIEW};
#[cfg(feature = "ssr")]
use crate::platform::guard::require;

/// Signals, newest first, a page after `cursor`; `state` none: the unresolved ones; `rule` and
/// `scope` narrow it.
#[server(prefix = "/api", endpoint = "risk_signals")]
pub async fn risk_signals(
    state: Option<String>,
    rule: Option<String>,
    scope: Option<String>,
    cursor: Option<String>,
) -> Result<Page<SignalRow>, AppError> {
    let ctx = require(RISK_VIEW).await?;
    let filter = signals::Filter::parse(state.as_deref(), rule.as_deref(), scope.as_deref())?;
    signals::list(&ctx.state, filter, cursor.as_deref()).await
}

/// One signal and its timeline.
#[server(prefix = "/api", endpoint = "risk_signal")]
pub async fn risk_signal(id: i64) -> Result<SignalDetail, AppError> {
    let ctx = require(RISK_VIEW).await?;
    signals::detail(&ctx, id).await
}

/// Makes the caller the signal's owner.
#[server(prefix = "/api", endpoint = "take_risk_signal")]
pub async fn take_risk_signal(id: i64) -> Result<(), AppError> {
    let ctx = require(RISK_MANAGE).await?;
    signals::take(&ctx, id).await
}

/// Acknowledges an open signal (the note is optional); an unowned one becomes the caller's.
#[server(prefix = "/api", endpoint = "acknowledge_risk_signal")]
pub async fn acknowledge_risk_signal(id: i64, #[server(default)] note: String) -> Result<(), AppError> {
    let ctx = require(RISK_MANAGE).await?;
    signals::act(&ctx, id, IncidentAction::Acknowledge, &note).await
}

#[server(prefix = "/api", endpoint = "note_risk_signal")]
pub async fn note_risk_signal(id: i64, note: String) -> Result<(), AppError> {
    let ctx = require(RISK_MANAGE).await?;
    signals::act(&ctx, id, IncidentAction::Note, &note).await
}

/// Resolves a signal, saying what was found and done (required).
#[server(prefix = "/api", endpoint = "resolve_risk_signal")]
pub async fn resolve_risk_signal(id: i64, note: String) -> Result<(), AppError> {
    let ctx = require(RISK_MANAGE).await?;
    signals::act(&ctx, id, IncidentAction::Resolve, &note).await
}
