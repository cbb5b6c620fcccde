//! Server functions of the commission console. Everything needs `commission.manage` (finance);
//! activating a version is protected (reason + password) because it changes what every later order
//! pays.

use super::model::RuleRow;
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{model, service};
#[cfg(feature = "ssr")]
use crate::domain::permissions::COMMISSION_MANAGE;
#[cfg(feature = "ssr")]
use crate::platform::guard::{confirm_protected, require};

/// Rule versions newest first; `scope` is default|category|seller, `status` draft|active|retired.
#[server(prefix = "/api", endpoint = "list_commission_rules")]
pub async fn list_commission_rules(
    scope: Option<String>,
    status: Option<String>,
    cursor: Option<String>,
) -> Result<Page<RuleRow>, AppError> {
    let ctx = require(COMMISSION_MANAGE).await?;
    let (scope, status) = model::parse_filter(scope.as_deref(), status.as_deref())?;
    service::list_rules(&ctx.state, scope, status, cursor.as_deref()).await
}

/// Creates a draft version. `rate` is a percent with at most two decimals (`10.5` = 1050 bps);
/// `fixed`, `floor` and `cap` are amounts in the platform currency (empty cap: none). `scope_id` is
/// the category or seller organisation id (absent for the default scope). Returns the new id.
#[server(prefix = "/api", endpoint = "create_commission_rule")]
pub async fn create_commission_rule(
    scope: String,
    scope_id: Option<String>,
    rate: String,
    fixed: Option<String>,
    floor: Option<String>,
    cap: Option<String>,
    note: Option<String>,
) -> Result<i64, AppError> {
    let ctx = require(COMMISSION_MANAGE).await?;
    let currency = ctx.state.settings().currency;
    let new = model::parse_new_rule(
        &scope,
        scope_id.as_deref(),
        &rate,
        fixed.as_deref().unwrap_or(""),
        floor.as_deref().unwrap_or(""),
        cap.as_deref(),
        currency,
    )?;
    let note = model::parse_note(note.as_deref().unwrap_or(""))?;
    service::create_rule(&ctx.state, &ctx.caller, &ctx.meta, &new, &note).await
}

/// Activates a draft version (protected) and retires the active version of the same scope.
#[server(prefix = "/api", endpoint = "activate_commission_rule")]
pub async fn activate_commission_rule(
    id: i64,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(COMMISSION_MANAGE).await?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::activate_rule(&ctx.state, &ctx.caller, &ctx.meta, id, &reason).await
}
