//! Trust & safety's server functions. Buyers report (signed in), seller members appeal a takedown of
//! their own listing, operators read the queue (`reports.view`) and decide (`reports.decide`;
//! suspending the seller is protected and also needs `sellers.suspend`).

use super::model::{AppealContext, ReportCounters, ReportDetail, ReportRow};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{model, service};
#[cfg(feature = "ssr")]
use crate::domain::permissions::{REPORTS_DECIDE, REPORTS_VIEW, SELLERS_SUSPEND};
#[cfg(feature = "ssr")]
use crate::domain::reason::Reason;
#[cfg(feature = "ssr")]
use crate::domain::report::{parse_body, ReportCategory, ReportTarget as Target, Resolution};
#[cfg(feature = "ssr")]
use crate::domain::seller::SellerRight;
#[cfg(feature = "ssr")]
use crate::platform::caller::require_signed_in;
#[cfg(feature = "ssr")]
use crate::platform::guard::{confirm_protected, require};
#[cfg(feature = "ssr")]
use crate::platform::seller_access::require_seller;

#[cfg(feature = "ssr")]
fn body_of(body: &str) -> Result<String, AppError> {
    parse_body(body).map_err(|code| AppError::invalid("body", code))
}

#[cfg(feature = "ssr")]
fn reason_of(reason: &str) -> Result<Reason, AppError> {
    Reason::parse(reason).map_err(|e| AppError::invalid("reason", e.code()))
}

/// Reports a listing or a seller that buyers can see: `target` is `listing` or `seller`, `category`
/// one of `ReportCategory`. Once per reporter and target; never one's own.
#[server(prefix = "/api", endpoint = "report_target")]
pub async fn report_target(target: String, target_id: i64, category: String, body: String) -> Result<i64, AppError> {
    let ctx = require_signed_in().await?;
    let target = Target::parse(target.trim()).ok_or_else(|| AppError::invalid("target", "reports.bad_target"))?;
    let category =
        ReportCategory::parse(category.trim()).ok_or_else(|| AppError::invalid("category", "field.choose"))?;
    let body = body_of(&body)?;
    service::file_report(&ctx.state, &ctx.caller, &ctx.meta, target, target_id, category, &body).await
}

/// What the appeal page shows for one of the caller's organisation's listings.
#[server(prefix = "/api", endpoint = "appeal_status")]
pub async fn appeal_status(listing_id: i64) -> Result<AppealContext, AppError> {
    let s = require_seller(SellerRight::AppealTakedown).await?;
    service::appeal_context(&s.ctx.state, s.membership.organisation_id, listing_id).await
}

/// Appeals the takedown of one of the caller's organisation's listings.
#[server(prefix = "/api", endpoint = "appeal_takedown")]
pub async fn appeal_takedown(listing_id: i64, body: String) -> Result<i64, AppError> {
    let s = require_seller(SellerRight::AppealTakedown).await?;
    let body = body_of(&body)?;
    let ctx = &s.ctx;
    service::file_appeal(&ctx.state, &ctx.caller, &ctx.meta, s.membership.organisation_id, listing_id, &body).await
}

/// The queue: open cases first (oldest first), then decided ones. Empty filter values mean "all".
#[server(prefix = "/api", endpoint = "list_reports")]
pub async fn list_reports(
    kind: Option<String>,
    target: Option<String>,
    target_id: Option<String>,
    category: Option<String>,
    status: Option<String>,
    cursor: Option<String>,
) -> Result<Page<ReportRow>, AppError> {
    let ctx = require(REPORTS_VIEW).await?;
    let filter = model::ReportFilter::parse(
        kind.as_deref(),
        target.as_deref(),
        target_id.as_deref(),
        category.as_deref(),
        status.as_deref(),
    )?;
    service::list_reports(&ctx.state, &filter, cursor.as_deref()).await
}

#[server(prefix = "/api", endpoint = "report_queue_counters")]
pub async fn report_queue_counters() -> Result<ReportCounters, AppError> {
    let ctx = require(REPORTS_VIEW).await?;
    service::counters(&ctx.state).await
}

#[server(prefix = "/api", endpoint = "get_report")]
pub async fn get_report(id: i64) -> Result<ReportDetail, AppError> {
    let ctx = require(REPORTS_VIEW).await?;
    service::get_report(&ctx.state, id).await
}

/// Decides a case: `resolution` is `dismissed` (denies an appeal), `listing_taken_down` or
/// `reinstated` (upholds an appeal). Suspending the seller is `suspend_reported_seller`.
#[server(prefix = "/api", endpoint = "decide_report")]
pub async fn decide_report(id: i64, resolution: String, reason: String) -> Result<(), AppError> {
    let ctx = require(REPORTS_DECIDE).await?;
    let resolution = match Resolution::parse(resolution.trim()) {
        Some(Resolution::SellerSuspended) => return Err(AppError::invalid("resolution", "reports.suspend_protected")),
        Some(r) => r,
        None => return Err(AppError::invalid("resolution", "field.choose")),
    };
    let reason = reason_of(&reason)?;
    service::decide(&ctx.state, &ctx.caller, &ctx.meta, id, resolution, &reason).await
}

/// Suspends the reported seller (protected: reason and password), resolving the case and every other
/// open report against that seller and its listings.
#[server(prefix = "/api", endpoint = "suspend_reported_seller")]
pub async fn suspend_reported_seller(
    id: i64,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(REPORTS_DECIDE).await?;
    if !ctx.caller.can(SELLERS_SUSPEND) {
        return Err(AppError::Forbidden);
    }
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::decide(&ctx.state, &ctx.caller, &ctx.meta, id, Resolution::SellerSuspended, &reason).await
}
