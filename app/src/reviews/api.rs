//! Server functions of the review queue. Reading needs `listings.view`; approving and rejecting
//! `listings.review`; blocking `listings.block` and is protected (reason + password).

use super::model::{QueueCounters, QueueRow, ReviewDetail};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{model::QueueFilter, service};
#[cfg(feature = "ssr")]
use crate::domain::permissions::{LISTINGS_BLOCK, LISTINGS_REVIEW, LISTINGS_VIEW};
#[cfg(feature = "ssr")]
use crate::domain::reason::Reason;
#[cfg(feature = "ssr")]
use crate::platform::guard::{confirm_protected, require};

/// Versions in review, most pressing first: SLA due time ascending, then risk (high first).
/// Filters: `risk` (low|medium|high), `sla` (on_track|pressure|overdue), `seller` (organisation id),
/// `category` (id; includes its subcategories), `kind` (new|re_review).
#[server(prefix = "/api", endpoint = "list_review_queue")]
pub async fn list_review_queue(
    risk: Option<String>,
    sla: Option<String>,
    seller: Option<String>,
    category: Option<String>,
    kind: Option<String>,
    cursor: Option<String>,
) -> Result<Page<QueueRow>, AppError> {
    let ctx = require(LISTINGS_VIEW).await?;
    let filter =
        QueueFilter::parse(risk.as_deref(), sla.as_deref(), seller.as_deref(), category.as_deref(), kind.as_deref())?;
    service::list_queue(&ctx.state, &filter, cursor.as_deref()).await
}

#[server(prefix = "/api", endpoint = "review_counters")]
pub async fn review_counters() -> Result<QueueCounters, AppError> {
    let ctx = require(LISTINGS_VIEW).await?;
    service::counters(&ctx.state).await
}

#[server(prefix = "/api", endpoint = "get_review")]
pub async fn get_review(version_id: i64) -> Result<ReviewDetail, AppError> {
    let ctx = require(LISTINGS_VIEW).await?;
    service::get_review(&ctx.state, version_id).await
}

/// Publishes the version: it becomes the listing's live copy.
#[server(prefix = "/api", endpoint = "approve_listing_version")]
pub async fn approve_listing_version(version_id: i64) -> Result<(), AppError> {
    let ctx = require(LISTINGS_REVIEW).await?;
    service::approve(&ctx, version_id).await
}

/// Sends the version back to the seller with `reason`, which the seller sees.
#[server(prefix = "/api", endpoint = "reject_listing_version")]
pub async fn reject_listing_version(version_id: i64, reason: String) -> Result<(), AppError> {
    let ctx = require(LISTINGS_REVIEW).await?;
    let reason = Reason::parse(&reason).map_err(|e| AppError::invalid("reason", e.code()))?;
    service::reject(&ctx, version_id, &reason).await
}

/// Blocks the listing for good (protected): it leaves the storefront and search.
#[server(prefix = "/api", endpoint = "block_listing_version")]
pub async fn block_listing_version(
    version_id: i64,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(LISTINGS_BLOCK).await?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::block(&ctx, version_id, &reason).await
}
