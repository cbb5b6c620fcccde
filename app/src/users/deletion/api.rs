//! Server functions of account deletion. The owner's three need a signed-in caller (asking also their
//! password again); the queue needs `users.view`; approving, rejecting and restoring are protected
//! actions of `users.manage` (reason, password, and the second factor when enrolled).

use super::model::{DeletionRow, RequestOutcome};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::domain::permissions::{USERS_MANAGE, USERS_VIEW};
#[cfg(feature = "ssr")]
use crate::platform::guard::{confirm_password, confirm_protected, require};

/// The caller's latest deletion request, if they ever made one.
#[server(prefix = "/api", endpoint = "my_account_deletion")]
pub async fn my_account_deletion() -> Result<Option<DeletionRow>, AppError> {
    let ctx = crate::platform::caller::require_signed_in().await?;
    service::latest_for(&ctx.state, ctx.caller.user_id).await
}

/// Asks for the caller's account to be deleted. `reason` is optional; `password` is theirs again.
/// Refused (nothing recorded) with every reason while orders, refunds, disputes, a negative balance
/// or payouts are open.
#[server(prefix = "/api", endpoint = "request_account_deletion")]
pub async fn request_account_deletion(reason: String, password: String) -> Result<RequestOutcome, AppError> {
    let ctx = crate::platform::caller::require_signed_in().await?;
    let reason =
        crate::domain::account_deletion::parse_reason(&reason).map_err(|code| AppError::invalid("reason", code))?;
    confirm_password(&ctx, &password).await?;
    service::request(&ctx.state, &ctx.caller, &ctx.meta, &reason).await
}

/// Takes back the caller's request while no operator has decided it.
#[server(prefix = "/api", endpoint = "withdraw_account_deletion")]
pub async fn withdraw_account_deletion() -> Result<(), AppError> {
    let ctx = crate::platform::caller::require_signed_in().await?;
    service::withdraw(&ctx.state, &ctx.caller, &ctx.meta).await
}

/// Deletion requests in one status (default `requested`), newest first.
#[server(prefix = "/api", endpoint = "list_account_deletions")]
pub async fn list_account_deletions(
    status: Option<String>,
    cursor: Option<String>,
) -> Result<Page<DeletionRow>, AppError> {
    let ctx = require(USERS_VIEW).await?;
    let status = super::model::parse_status_filter(status.as_deref())?;
    service::list(&ctx.state, status, cursor.as_deref()).await
}

/// Approves request `id`: the account is deactivated at once and purged in 30 days.
#[server(prefix = "/api", endpoint = "approve_account_deletion")]
pub async fn approve_account_deletion(
    id: i64,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(USERS_MANAGE).await?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::approve(&ctx.state, &ctx.caller, &ctx.meta, id, &reason).await
}

/// Rejects request `id`; the owner is told the reason.
#[server(prefix = "/api", endpoint = "reject_account_deletion")]
pub async fn reject_account_deletion(
    id: i64,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(USERS_MANAGE).await?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::reject(&ctx.state, &ctx.caller, &ctx.meta, id, &reason).await
}

/// Restores the account of approved request `id` before its purge.
#[server(prefix = "/api", endpoint = "restore_account_deletion")]
pub async fn restore_account_deletion(
    id: i64,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(USERS_MANAGE).await?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::restore(&ctx.state, &ctx.caller, &ctx.meta, id, &reason).await
}
