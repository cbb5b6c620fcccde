//! Server functions of the console's seller pages. Reading needs `sellers.view`; return, approve,
//! reject and activate need `sellers.decide`; suspend and reinstate need `sellers.suspend` and are
//! protected (reason + password).

use super::console_model::{SellerCounts, SellerDetail, SellerRow};
use crate::domain::page::Page;
use crate::domain::seller::SellerStatus;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{console_model as model, console_service as service};
#[cfg(feature = "ssr")]
use crate::domain::permissions::{SELLERS_DECIDE, SELLERS_SUSPEND, SELLERS_VIEW};
#[cfg(feature = "ssr")]
use crate::domain::seller::SellerAction;
#[cfg(feature = "ssr")]
use crate::platform::guard::{confirm_protected, require};
#[cfg(feature = "ssr")]
use crate::sellers::service::{decision_reason, transition};

/// Sellers, oldest waiting first, filtered by state (`all` or empty: every state), region and
/// submitted day range (`YYYY-MM-DD`, UTC, both inclusive).
#[server(prefix = "/api", endpoint = "list_sellers")]
pub async fn list_sellers(
    status: Option<String>,
    region: Option<String>,
    from: Option<String>,
    to: Option<String>,
    cursor: Option<String>,
) -> Result<Page<SellerRow>, AppError> {
    let ctx = require(SELLERS_VIEW).await?;
    let filter = model::SellerFilter::parse(status.as_deref(), region.as_deref(), from.as_deref(), to.as_deref())?;
    service::list_sellers(&ctx.state, &filter, cursor.as_deref()).await
}

/// How many sellers are in each state.
#[server(prefix = "/api", endpoint = "count_sellers")]
pub async fn count_sellers() -> Result<SellerCounts, AppError> {
    let ctx = require(SELLERS_VIEW).await?;
    service::seller_counts(&ctx.state).await
}

#[server(prefix = "/api", endpoint = "get_seller")]
pub async fn get_seller(id: i64) -> Result<SellerDetail, AppError> {
    let ctx = require(SELLERS_VIEW).await?;
    service::get_seller(&ctx.state, id).await
}

/// Return (reason), approve, reject (reason) or activate. `seen` is the newest transition id the
/// page showed; a seller that moved since is refused with a conflict.
#[server(prefix = "/api", endpoint = "decide_seller")]
pub async fn decide_seller(
    id: i64,
    action: String,
    #[server(default)] reason: String,
    seen: Option<i64>,
) -> Result<SellerStatus, AppError> {
    let ctx = require(SELLERS_DECIDE).await?;
    let action = match SellerAction::parse(&action) {
        Some(a @ (SellerAction::Return | SellerAction::Approve | SellerAction::Reject | SellerAction::Activate)) => a,
        _ => return Err(AppError::invalid("action", "sellers.bad_action")),
    };
    let reason = decision_reason(action, &reason)?;
    transition(&ctx.state, &ctx.caller, &ctx.meta, id, action, &reason, seen).await
}

/// Suspends an active seller: its listings leave the storefront at once (protected).
#[server(prefix = "/api", endpoint = "suspend_seller")]
pub async fn suspend_seller(
    id: i64,
    reason: String,
    password: String,
    code: Option<String>,
    seen: Option<i64>,
) -> Result<SellerStatus, AppError> {
    let ctx = require(SELLERS_SUSPEND).await?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    transition(&ctx.state, &ctx.caller, &ctx.meta, id, SellerAction::Suspend, reason.as_str(), seen).await
}

/// Reinstates a suspended seller (protected).
#[server(prefix = "/api", endpoint = "reinstate_seller")]
pub async fn reinstate_seller(
    id: i64,
    reason: String,
    password: String,
    code: Option<String>,
    seen: Option<i64>,
) -> Result<SellerStatus, AppError> {
    let ctx = require(SELLERS_SUSPEND).await?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    transition(&ctx.state, &ctx.caller, &ctx.meta, id, SellerAction::Reinstate, reason.as_str(), seen).await
}
