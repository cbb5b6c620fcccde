//! The command center's server functions. Today's work needs only `console.view` (each queue is
//! listed only with the permission that opens it); the KPI cards and trend charts need
//! `analytics.view`.

use super::model::{Kpis, TodaysWork, Trends};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{kpis, queues, trends};
#[cfg(feature = "ssr")]
use crate::domain::permissions::{ANALYTICS_VIEW, CONSOLE_VIEW};
#[cfg(feature = "ssr")]
use crate::platform::{guard::require, period::parse_period};

/// The period the KPI cards show when the URL names none (the picker shows the same).
pub const DEFAULT_PERIOD: &str = "7d";

#[server(prefix = "/api", endpoint = "command_center_work")]
pub async fn command_center_work() -> Result<TodaysWork, AppError> {
    let ctx = require(CONSOLE_VIEW).await?;
    queues::todays_work(&ctx.state, &ctx.caller).await
}

/// The KPI cards of a period (`today`, `7d`, `30d` or `custom` with `from`/`to`) and the changes
/// against the period before it.
#[server(prefix = "/api", endpoint = "command_center_kpis")]
pub async fn command_center_kpis(
    period: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<Kpis, AppError> {
    let ctx = require(ANALYTICS_VIEW).await?;
    let period = parse_period(&ctx.state, period.as_deref(), from.as_deref(), to.as_deref(), DEFAULT_PERIOD)?;
    kpis::measure(&ctx.state, period).await
}

/// Orders, GMV and refunds by day over the last `days` (7 or 30, default 30) local days.
#[server(prefix = "/api", endpoint = "command_center_trends")]
pub async fn command_center_trends(days: Option<String>) -> Result<Trends, AppError> {
    let ctx = require(ANALYTICS_VIEW).await?;
    let days = match days.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => 30,
        Some(d) => d
            .parse::<i64>()
            .ok()
            .filter(|d| trends::WINDOWS.contains(d))
            .ok_or_else(|| AppError::invalid("trend", "command_center.bad_trend"))?,
    };
    trends::daily(&ctx.state, days).await
}
