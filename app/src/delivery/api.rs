//! Server functions of the delivery desk. `delivery.view` reads the desk and the suppression list;
//! `delivery.manage` replays messages and clears suppressed addresses (protected: reason + password).

use super::model::{DeliveryCounters, DeliveryDetail, DeliveryRow, SuppressionRow};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{model::DeliveryFilter, service};
#[cfg(feature = "ssr")]
use crate::domain::permissions::{DELIVERY_MANAGE, DELIVERY_VIEW};
#[cfg(feature = "ssr")]
use crate::platform::guard::{confirm_protected, require};

#[cfg(feature = "ssr")]
fn parse_filter(
    channel: Option<String>,
    status: Option<String>,
    event: Option<String>,
    recipient: Option<String>,
) -> Result<DeliveryFilter, AppError> {
    DeliveryFilter::parse(channel.as_deref(), status.as_deref(), event.as_deref(), recipient.as_deref())
        .map_err(|(field, code)| AppError::invalid(field, code))
}

#[server(prefix = "/api", endpoint = "delivery_desk_counters")]
pub async fn delivery_desk_counters() -> Result<DeliveryCounters, AppError> {
    let ctx = require(DELIVERY_VIEW).await?;
    service::counters(&ctx.state).await
}

/// Messages newest first; every filter optional.
#[server(prefix = "/api", endpoint = "list_deliveries")]
pub async fn list_deliveries(
    channel: Option<String>,
    status: Option<String>,
    event: Option<String>,
    recipient: Option<String>,
    cursor: Option<String>,
) -> Result<Page<DeliveryRow>, AppError> {
    let ctx = require(DELIVERY_VIEW).await?;
    let filter = parse_filter(channel, status, event, recipient)?;
    service::list(&ctx.state, &filter, cursor.as_deref()).await
}

#[server(prefix = "/api", endpoint = "get_delivery")]
pub async fn get_delivery(id: i64) -> Result<DeliveryDetail, AppError> {
    let ctx = require(DELIVERY_VIEW).await?;
    service::detail(&ctx.state, id).await
}

#[server(prefix = "/api", endpoint = "replay_delivery")]
pub async fn replay_delivery(id: i64, reason: String, password: String, code: Option<String>) -> Result<(), AppError> {
    let ctx = require(DELIVERY_MANAGE).await?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::replay_one(&ctx, id, &reason).await
}

/// Replays every failed or exhausted message matching the filter (at most 500); returns how many.
#[server(prefix = "/api", endpoint = "replay_deliveries")]
pub async fn replay_deliveries(
    #[server(default)] channel: Option<String>,
    #[server(default)] status: Option<String>,
    #[server(default)] event: Option<String>,
    #[server(default)] recipient: Option<String>,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<i64, AppError> {
    let ctx = require(DELIVERY_MANAGE).await?;
    let filter = parse_filter(channel, status, event, recipient)?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::replay_matching(&ctx, &filter, &reason).await
}

#[server(prefix = "/api", endpoint = "list_suppressions")]
pub async fn list_suppressions(cursor: Option<String>) -> Result<Page<SuppressionRow>, AppError> {
    let ctx = require(DELIVERY_VIEW).await?;
    service::suppressions(&ctx.state, cursor.as_deref()).await
}

#[server(prefix = "/api", endpoint = "clear_suppression")]
pub async fn clear_suppression(
    address: String,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(DELIVERY_MANAGE).await?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::clear_suppression(&ctx, address.trim(), &reason).await
}
