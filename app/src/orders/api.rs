//! Server functions of orders. Buyers read and act on their own orders (signed in; someone else's
//! order is 404), sellers on their organisation's (seller member; shipping needs `EditListings`, which
//! staff hold), the console reads every order with `orders.view` (ledger postings with `ledger.view`).

// A server function takes its form fields as arguments; the browser-side stub the macro generates
// does not carry a per-function allow, hence this one for the file.
#![allow(clippy::too_many_arguments)]

use super::model::{OrderDetail, OrderRow};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{model, service};
#[cfg(feature = "ssr")]
use crate::domain::order::OrderAction;
#[cfg(feature = "ssr")]
use crate::domain::permissions::{LEDGER_VIEW, ORDERS_VIEW};
#[cfg(feature = "ssr")]
use crate::domain::seller::SellerRight;
#[cfg(feature = "ssr")]
use crate::platform::caller::require_signed_in;
#[cfg(feature = "ssr")]
use crate::platform::guard::require;
#[cfg(feature = "ssr")]
use crate::platform::seller_access::require_seller;

/// The caller's orders, newest first; `status` narrows to one status.
#[server(prefix = "/api", endpoint = "list_my_orders")]
pub async fn list_my_orders(status: Option<String>, cursor: Option<String>) -> Result<Page<OrderRow>, AppError> {
    let ctx = require_signed_in().await?;
    let status = model::parse_status(status.as_deref())?;
    service::list_buyer(&ctx.state, ctx.caller.user_id, status, cursor.as_deref()).await
}

#[server(prefix = "/api", endpoint = "get_my_order")]
pub async fn get_my_order(number: String) -> Result<OrderDetail, AppError> {
    let ctx = require_signed_in().await?;
    let number = model::parse_number(&number)?;
    service::detail(&ctx.state, &number, service::Scope::Buyer(ctx.caller.user_id)).await
}

/// The buyer confirms receipt of a shipped order: it completes now.
#[server(prefix = "/api", endpoint = "confirm_order")]
pub async fn confirm_order(number: String) -> Result<(), AppError> {
    let ctx = require_signed_in().await?;
    let number = model::parse_number(&number)?;
    service::buyer_action(&ctx.state, &ctx.caller, &ctx.meta, &number, OrderAction::Confirm).await
}

/// The buyer cancels an order not yet paid; its stock is released.
#[server(prefix = "/api", endpoint = "cancel_order")]
pub async fn cancel_order(number: String) -> Result<(), AppError> {
    let ctx = require_signed_in().await?;
    let number = model::parse_number(&number)?;
    service::buyer_action(&ctx.state, &ctx.caller, &ctx.meta, &number, OrderAction::Cancel).await
}

/// The seller's orders: overdue first, then newest.
#[server(prefix = "/api", endpoint = "list_seller_orders")]
pub async fn list_seller_orders(status: Option<String>, cursor: Option<String>) -> Result<Page<OrderRow>, AppError> {
    let seller = require_seller(SellerRight::ViewOrders).await?;
    let status = model::parse_status(status.as_deref())?;
    service::list_seller(&seller.ctx.state, seller.membership.organisation_id, status, cursor.as_deref()).await
}

#[server(prefix = "/api", endpoint = "get_seller_order")]
pub async fn get_seller_order(number: String) -> Result<OrderDetail, AppError> {
    let seller = require_seller(SellerRight::ViewOrders).await?;
    let number = model::parse_number(&number)?;
    service::detail(&seller.ctx.state, &number, service::Scope::Seller(seller.membership.organisation_id)).await
}

/// Ships a paid order of the caller's organisation. `carrier` is one of `domain::order::CARRIERS`;
/// `other` takes `carrier_name`.
#[server(prefix = "/api", endpoint = "ship_order")]
pub async fn ship_order(
    number: String,
    carrier: String,
    #[server(default)] carrier_name: String,
    tracking_number: String,
) -> Result<(), AppError> {
    let seller = require_seller(SellerRight::Ship).await?;
    let number = model::parse_number(&number)?;
    let (carrier, tracking) = crate::domain::order::parse_shipment(&carrier, &carrier_name, &tracking_number)
        .map_err(|(field, code)| AppError::invalid(field, code))?;
    let ctx = &seller.ctx;
    service::ship(&ctx.state, &ctx.caller, &ctx.meta, seller.membership.organisation_id, &number, &carrier, &tracking)
        .await
}

/// Every order, newest first. `seller` is an organisation id or part of its name, `buyer` part of
/// the buyer's email, `from`/`to` dates (YYYY-MM-DD), `min`/`max` totals in major units.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "console_list_orders")]
pub async fn console_list_orders(
    status: Option<String>,
    seller: Option<String>,
    buyer: Option<String>,
    from: Option<String>,
    to: Option<String>,
    min: Option<String>,
    max: Option<String>,
    overdue: Option<String>,
    cursor: Option<String>,
) -> Result<Page<OrderRow>, AppError> {
    let ctx = require(ORDERS_VIEW).await?;
    let raw = model::RawConsoleFilter {
        status: status.as_deref(),
        seller: seller.as_deref(),
        buyer: buyer.as_deref(),
        from: from.as_deref(),
        to: to.as_deref(),
        min: min.as_deref(),
        max: max.as_deref(),
        overdue: overdue.as_deref(),
    };
    let filter = model::ConsoleFilter::parse(&raw, ctx.state.settings().currency)?;
    service::list_console(&ctx.state, &filter, cursor.as_deref()).await
}

/// One buyer's orders, newest first (a user's console page, "Orders").
#[server(prefix = "/api", endpoint = "console_user_orders")]
pub async fn console_user_orders(user_id: i64, cursor: Option<String>) -> Result<Page<OrderRow>, AppError> {
    let ctx = require(ORDERS_VIEW).await?;
    service::list_buyer(&ctx.state, user_id, None, cursor.as_deref()).await
}

#[server(prefix = "/api", endpoint = "console_get_order")]
pub async fn console_get_order(number: String) -> Result<OrderDetail, AppError> {
    let ctx = require(ORDERS_VIEW).await?;
    let number = model::parse_number(&number)?;
    let ledger = ctx.caller.can(LEDGER_VIEW);
    service::detail(&ctx.state, &number, service::Scope::Console { ledger }).await
}
