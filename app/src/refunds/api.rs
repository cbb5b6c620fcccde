//! Server functions of refunds. Buyers act on their own orders (signed in; someone else's order or
//! refund is 404); sellers read their organisation's refunds (seller member) and answer them (the
//! role that ships orders, `EditListings`); the console reads every refund with `refunds.view`
//! (read-only: operators decide through disputes).

// A server function takes its form fields as arguments; the browser-side stub the macro generates
// does not carry a per-function allow, hence this one for the file.
#![allow(clippy::too_many_arguments)]

use super::model::{OrderRefunds, RefundCounters, RefundDetail, RefundForm, RefundRow};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{model, service};
#[cfg(feature = "ssr")]
use crate::domain::permissions::REFUNDS_VIEW;
#[cfg(feature = "ssr")]
use crate::domain::seller::SellerRight;
#[cfg(feature = "ssr")]
use crate::platform::caller::require_signed_in;
#[cfg(feature = "ssr")]
use crate::platform::guard::require;
#[cfg(feature = "ssr")]
use crate::platform::seller_access::require_seller;

/// The request form of the caller's order: what is left to refund and a fresh idempotency key.
#[server(prefix = "/api", endpoint = "get_refund_form")]
pub async fn get_refund_form(number: String) -> Result<RefundForm, AppError> {
    let ctx = require_signed_in().await?;
    let number = model::parse_number(&number)?;
    service::form(&ctx.state, &ctx.caller, &number).await
}

/// The buyer asks for a refund of `amount` (major units) on their order. Returns the refund id. The
/// same key with the same request answers the first refund; with another, `idempotency.key_reused`.
#[server(prefix = "/api", endpoint = "request_refund")]
pub async fn request_refund(
    idempotency_key: String,
    order_number: String,
    amount: String,
    reason_code: String,
    details: String,
    #[server(default)] evidence_upload_id: Option<i64>,
) -> Result<i64, AppError> {
    let ctx = require_signed_in().await?;
    let key = crate::domain::payment::parse_idempotency_key(&idempotency_key)
        .map_err(|_| AppError::invalid("idempotency_key", "refunds.bad_idempotency_key"))?;
    let number = model::parse_number(&order_number)?;
    let input = service::RequestInput {
        key: &key,
        number: &number,
        amount: &amount,
        reason_code: &reason_code,
        details: &details,
        evidence_upload_id,
    };
    service::request(&ctx.state, &ctx.caller, &ctx.meta, input).await
}

/// The buyer withdraws a request the seller has not answered.
#[server(prefix = "/api", endpoint = "withdraw_refund")]
pub async fn withdraw_refund(id: i64) -> Result<(), AppError> {
    let ctx = require_signed_in().await?;
    service::withdraw(&ctx.state, &ctx.caller, &ctx.meta, id).await
}

/// The buyer escalates a refused refund to a dispute. Returns the dispute id.
#[server(prefix = "/api", endpoint = "escalate_refund")]
pub async fn escalate_refund(id: i64) -> Result<i64, AppError> {
    let ctx = require_signed_in().await?;
    service::escalate(&ctx.state, &ctx.caller, &ctx.meta, id).await
}

/// The refunds of the caller's order (buyer side).
#[server(prefix = "/api", endpoint = "my_order_refunds")]
pub async fn my_order_refunds(number: String) -> Result<OrderRefunds, AppError> {
    let ctx = require_signed_in().await?;
    let number = model::parse_number(&number)?;
    service::order_refunds(&ctx.state, &number, service::Scope::Buyer(ctx.caller.user_id)).await
}

/// The refunds of an order of the caller's organisation (seller side).
#[server(prefix = "/api", endpoint = "seller_order_refunds")]
pub async fn seller_order_refunds(number: String) -> Result<OrderRefunds, AppError> {
    let seller = require_seller(SellerRight::ViewOrders).await?;
    let number = model::parse_number(&number)?;
    let scope = service::Scope::Seller {
        organisation_id: seller.membership.organisation_id,
        may_answer: seller.membership.role.may(SellerRight::AnswerRefunds),
    };
    service::order_refunds(&seller.ctx.state, &number, scope).await
}

/// The seller's refunds: open ones first by deadline, then answered ones newest first.
#[server(prefix = "/api", endpoint = "list_seller_refunds")]
pub async fn list_seller_refunds(status: Option<String>, cursor: Option<String>) -> Result<Page<RefundRow>, AppError> {
    let seller = require_seller(SellerRight::ViewOrders).await?;
    let status = model::parse_status(status.as_deref())?;
    service::list_seller(&seller.ctx.state, seller.membership.organisation_id, status, cursor.as_deref()).await
}

#[server(prefix = "/api", endpoint = "get_seller_refund")]
pub async fn get_seller_refund(id: i64) -> Result<RefundDetail, AppError> {
    let seller = require_seller(SellerRight::ViewOrders).await?;
    let scope = service::Scope::Seller {
        organisation_id: seller.membership.organisation_id,
        may_answer: seller.membership.role.may(SellerRight::AnswerRefunds),
    };
    service::detail(&seller.ctx.state, id, scope).await
}

/// The seller accepts: the refund is paid back and posted in the ledger now.
#[server(prefix = "/api", endpoint = "accept_refund")]
pub async fn accept_refund(id: i64) -> Result<(), AppError> {
    let seller = require_seller(SellerRight::AnswerRefunds).await?;
    let ctx = &seller.ctx;
    service::accept(&ctx.state, &ctx.caller, &ctx.meta, seller.membership.organisation_id, id).await
}

/// The seller refuses with a reason the buyer reads.
#[server(prefix = "/api", endpoint = "refuse_refund")]
pub async fn refuse_refund(id: i64, reason: String) -> Result<(), AppError> {
    let seller = require_seller(SellerRight::AnswerRefunds).await?;
    let ctx = &seller.ctx;
    service::refuse(&ctx.state, &ctx.caller, &ctx.meta, seller.membership.organisation_id, id, &reason).await
}

#[server(prefix = "/api", endpoint = "console_refund_counters")]
pub async fn console_refund_counters() -> Result<RefundCounters, AppError> {
    let ctx = require(REFUNDS_VIEW).await?;
    service::counters(&ctx.state).await
}

/// Every refund, oldest first. `seller` is an organisation id or part of its name; `overdue` keeps
/// requests past their answer deadline.
#[server(prefix = "/api", endpoint = "console_list_refunds")]
pub async fn console_list_refunds(
    status: Option<String>,
    seller: Option<String>,
    overdue: Option<String>,
    cursor: Option<String>,
) -> Result<Page<RefundRow>, AppError> {
    let ctx = require(REFUNDS_VIEW).await?;
    let filter = service::ConsoleFilter {
        status: model::parse_status(status.as_deref())?,
        seller: model::parse_seller(seller.as_deref())?,
        overdue_only: model::parse_flag(overdue.as_deref()),
    };
    service::list_console(&ctx.state, &filter, cursor.as_deref()).await
}

#[server(prefix = "/api", endpoint = "console_get_refund")]
pub async fn console_get_refund(id: i64) -> Result<RefundDetail, AppError> {
    let ctx = require(REFUNDS_VIEW).await?;
    service::detail(&ctx.state, id, service::Scope::Console).await
}
