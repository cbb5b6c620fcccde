//! Server functions of the seller's balance page: any member of the seller organisation.

use super::model::{BalanceSummary, SellerEntry};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::domain::seller::SellerRight;
#[cfg(feature = "ssr")]
use crate::platform::seller_access::require_seller;

#[server(prefix = "/api", endpoint = "seller_balance")]
pub async fn seller_balance() -> Result<BalanceSummary, AppError> {
    let seller = require_seller(SellerRight::ViewFinance).await?;
    service::balance(&seller.ctx.state, &seller.membership).await
}

/// The entries on the caller's seller accounts, newest first.
#[server(prefix = "/api", endpoint = "seller_ledger_history")]
pub async fn seller_ledger_history(cursor: Option<String>) -> Result<Page<SellerEntry>, AppError> {
    let seller = require_seller(SellerRight::ViewFinance).await?;
    service::history(&seller.ctx.state, seller.membership.organisation_id, cursor.as_deref()).await
}
