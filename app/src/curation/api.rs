//! Curation's server functions: the home page's featured listings and sections (`curation.manage`),
//! and the console's listing directory (`listings.view` to read, `listings.manage` to take a listing
//! down or correct its category). Each authorizes first, parses its input, then calls one service
//! function.
// The directory's list takes one argument per filter (a GET form's fields); the server function
// macro's generated client copies the signature, so the allow must cover the whole module.
#![allow(clippy::too_many_arguments)]

use super::model::{Curation, DirectoryDetail, DirectoryRow};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::model::{DirectoryFilter, RawDirectoryFilter};
#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::domain::curation::Schedule;
#[cfg(feature = "ssr")]
use crate::domain::permissions::{CURATION_MANAGE, LISTINGS_MANAGE, LISTINGS_VIEW};
#[cfg(feature = "ssr")]
use crate::domain::reason::Reason;
#[cfg(feature = "ssr")]
use crate::platform::guard::require;

#[cfg(feature = "ssr")]
fn schedule_of(
    state: &crate::platform::state::AppState,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Schedule, AppError> {
    Schedule::parse(from, to, state.settings().utc_offset_minutes).map_err(|(field, key)| AppError::invalid(field, key))
}

#[cfg(feature = "ssr")]
fn reason_of(reason: &str) -> Result<Reason, AppError> {
    Reason::parse(reason).map_err(|e| AppError::invalid("reason", e.code()))
}

#[cfg(feature = "ssr")]
fn direction_of(direction: &str) -> Result<bool, AppError> {
    match direction.trim() {
        "up" => Ok(true),
        "down" => Ok(false),
        _ => Err(AppError::invalid("direction", "field.choose")),
    }
}

/// The featured listings and the home page's sections, in their order.
#[server(prefix = "/api", endpoint = "curation_overview")]
pub async fn curation_overview() -> Result<Curation, AppError> {
    let ctx = require(CURATION_MANAGE).await?;
    service::curation(&ctx.state).await
}

/// Features a listing (by id), or changes a featured listing's schedule. `starts_at` / `ends_at`:
/// `YYYY-MM-DDTHH:MM` in the platform's time zone, empty for open ends.
#[server(prefix = "/api", endpoint = "feature_listing")]
pub async fn feature_listing(
    listing_id: String,
    starts_at: Option<String>,
    ends_at: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(CURATION_MANAGE).await?;
    let id = listing_id
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| AppError::invalid("listing_id", "curation.bad_listing_id"))?;
    let schedule = schedule_of(&ctx.state, starts_at.as_deref(), ends_at.as_deref())?;
    service::feature(&ctx.state, &ctx.caller, &ctx.meta, id, schedule).await
}

#[server(prefix = "/api", endpoint = "unfeature_listing")]
pub async fn unfeature_listing(listing_id: i64) -> Result<(), AppError> {
    let ctx = require(CURATION_MANAGE).await?;
    service::unfeature(&ctx.state, &ctx.caller, &ctx.meta, listing_id).await
}

/// Moves a featured listing one place `up` or `down`.
#[server(prefix = "/api", endpoint = "move_featured")]
pub async fn move_featured(listing_id: i64, direction: String) -> Result<(), AppError> {
    let ctx = require(CURATION_MANAGE).await?;
    let up = direction_of(&direction)?;
    service::move_feature(&ctx.state, &ctx.caller, &ctx.meta, listing_id, up).await
}

/// Shows (`visible` = `1`) or hides a home page section, with an optional schedule.
#[server(prefix = "/api", endpoint = "save_home_section")]
pub async fn save_home_section(
    key: String,
    visible: Option<String>,
    starts_at: Option<String>,
    ends_at: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(CURATION_MANAGE).await?;
    let schedule = schedule_of(&ctx.state, starts_at.as_deref(), ends_at.as_deref())?;
    let visible = visible.as_deref().is_some_and(|v| !v.is_empty() && v != "0");
    service::save_section(&ctx.state, &ctx.caller, &ctx.meta, key.trim(), visible, schedule).await
}

/// Moves a home page section one place `up` or `down`.
#[server(prefix = "/api", endpoint = "move_home_section")]
pub async fn move_home_section(key: String, direction: String) -> Result<(), AppError> {
    let ctx = require(CURATION_MANAGE).await?;
    let up = direction_of(&direction)?;
    service::move_section(&ctx.state, &ctx.caller, &ctx.meta, key.trim(), up).await
}

/// The listing directory: every listing, newest first. Empty filter values mean "all".
#[server(prefix = "/api", endpoint = "list_listing_directory")]
pub async fn list_listing_directory(
    seller: Option<String>,
    category: Option<String>,
    status: Option<String>,
    min: Option<String>,
    max: Option<String>,
    from: Option<String>,
    to: Option<String>,
    cursor: Option<String>,
) -> Result<Page<DirectoryRow>, AppError> {
    let ctx = require(LISTINGS_VIEW).await?;
    let raw = RawDirectoryFilter {
        seller: seller.as_deref(),
        category: category.as_deref(),
        status: status.as_deref(),
        min: min.as_deref(),
        max: max.as_deref(),
        from: from.as_deref(),
        to: to.as_deref(),
    };
    let filter = DirectoryFilter::parse(&raw, ctx.state.settings().currency, ctx.state.settings().utc_offset_minutes)?;
    service::list_directory(&ctx.state, &filter, cursor.as_deref()).await
}

#[server(prefix = "/api", endpoint = "directory_listing")]
pub async fn directory_listing(id: i64) -> Result<DirectoryDetail, AppError> {
    let ctx = require(LISTINGS_VIEW).await?;
    service::directory_detail(&ctx.state, id).await
}

/// Takes a live listing down with a reason the seller sees (and may appeal).
#[server(prefix = "/api", endpoint = "directory_take_down")]
pub async fn directory_take_down(id: i64, reason: String) -> Result<i64, AppError> {
    let ctx = require(LISTINGS_MANAGE).await?;
    let reason = reason_of(&reason)?;
    service::take_down(&ctx.state, &ctx.caller, &ctx.meta, id, &reason).await
}

/// Moves a listing to another category, with a reason the seller is told.
#[server(prefix = "/api", endpoint = "directory_recategorize")]
pub async fn directory_recategorize(id: i64, category_id: String, reason: String) -> Result<(), AppError> {
    let ctx = require(LISTINGS_MANAGE).await?;
    let category_id = category_id
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| AppError::invalid("category_id", "field.choose"))?;
    let reason = reason_of(&reason)?;
    service::recategorize(&ctx.state, &ctx.caller, &ctx.meta, id, category_id, &reason).await
}
