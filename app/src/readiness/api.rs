//! Launch readiness's server functions: authorize first, then one service call.

use super::model::ReadinessReport;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::{registry, service},
    crate::domain::permissions::{READINESS_MANAGE, READINESS_VIEW},
    crate::domain::readiness::deferral_expiry,
    crate::platform::guard::{confirm_protected, require},
};

#[server(prefix = "/api", endpoint = "get_readiness")]
pub async fn get_readiness() -> Result<ReadinessReport, AppError> {
    let ctx = require(READINESS_VIEW).await?;
    service::report(&ctx.state).await
}

#[server(prefix = "/api", endpoint = "defer_readiness_check")]
pub async fn defer_readiness_check(
    check: String,
    owner: String,
    expires: String,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(READINESS_MANAGE).await?;
    let check = registry::find(&check).ok_or(AppError::NotFound)?.id;
    if owner.trim().is_empty() {
        return Err(AppError::invalid("owner", "readiness.owner.required"));
    }
    let s = ctx.state.settings();
    let expires_at_ms = deferral_expiry(&expires, ctx.state.now_ms(), s.utc_offset_minutes)
        .map_err(|k| AppError::invalid("expires", k))?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    let req = service::DeferRequest { check, owner_email: owner, expires_at_ms };
    service::defer(&ctx, req, &reason).await
}

#[server(prefix = "/api", endpoint = "end_readiness_deferral")]
pub async fn end_readiness_deferral(
    check: String,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(READINESS_MANAGE).await?;
    let check = registry::find(&check).ok_or(AppError::NotFound)?.id;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::end_deferral(&ctx, check, &reason).await
}
