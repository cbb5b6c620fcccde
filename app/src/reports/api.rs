//! Server functions of the reports (`analytics.view`). Each takes the period picker's fields
//! (`period`, `from`, `to`; 30 days when none) and answers a bad period with its field error.

use super::model::{RevenueReport, SellersReport, SlaReport};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::domain::permissions::ANALYTICS_VIEW;
#[cfg(feature = "ssr")]
use crate::platform::guard::require;
#[cfg(feature = "ssr")]
use crate::platform::period::parse_period;

/// The period a report shows when the URL names none.
pub const DEFAULT_PERIOD: &str = "30d";

/// Revenue: gross, refunds, net, commission against the period before; by method, category, seller.
#[server(prefix = "/api", endpoint = "revenue_figures")]
pub async fn revenue_figures(
    period: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<RevenueReport, AppError> {
    let ctx = require(ANALYTICS_VIEW).await?;
    let p = parse_period(&ctx.state, period.as_deref(), from.as_deref(), to.as_deref(), DEFAULT_PERIOD)?;
    super::service::revenue(&ctx.state, p).await
}

/// Seller performance: orders, GMV, refund and dispute rates, time to ship; `seller` narrows by name.
#[server(prefix = "/api", endpoint = "seller_performance_report")]
pub async fn seller_performance_report(
    period: Option<String>,
    from: Option<String>,
    to: Option<String>,
    seller: Option<String>,
) -> Result<SellersReport, AppError> {
    let ctx = require(ANALYTICS_VIEW).await?;
    let p = parse_period(&ctx.state, period.as_deref(), from.as_deref(), to.as_deref(), DEFAULT_PERIOD)?;
    let name = seller.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if name.is_some_and(|n| n.chars().count() > 100) {
        return Err(AppError::invalid("seller", "analytics_reports.seller_too_long"));
    }
    super::service::sellers(&ctx.state, p, name).await
}

/// Operations SLA: time to review a listing, to decide a dispute, to pay a payout.
#[server(prefix = "/api", endpoint = "operations_sla_report")]
pub async fn operations_sla_report(
    period: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<SlaReport, AppError> {
    let ctx = require(ANALYTICS_VIEW).await?;
    let p = parse_period(&ctx.state, period.as_deref(), from.as_deref(), to.as_deref(), DEFAULT_PERIOD)?;
    super::service::sla(&ctx.state, p).await
}
