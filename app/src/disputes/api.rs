//! Server functions of disputes for the two sides: the buyer opens one on their order; the buyer and
//! the seller's members read it and add messages (anyone else gets 404; operators use the console).

// A server function takes its form fields as arguments; the browser-side stub the macro generates
// does not carry a per-function allow, hence this one for the file.
#![allow(clippy::too_many_arguments)]

use super::model::{DisputeThread, OpenDisputeInfo, OrderDisputeState};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::domain::permissions::{ORDERS_VIEW, REFUNDS_VIEW};
#[cfg(feature = "ssr")]
use crate::orders::model::parse_number;
#[cfg(feature = "ssr")]
use crate::platform::caller::require_signed_in;

/// The buyer's "open a dispute" form for their order: what may still be claimed, a fresh key.
#[server(prefix = "/api", endpoint = "open_dispute_form")]
pub async fn open_dispute_form(order_number: String) -> Result<OpenDisputeInfo, AppError> {
    let ctx = require_signed_in().await?;
    let number = parse_number(&order_number)?;
    service::open_form(&ctx.state, &ctx.caller, &number).await
}

/// The buyer opens a dispute on their order: `claim` in major units (at most what is left to
/// refund), `reason_code` one of `domain::refund::REASONS`, `details` the opening message. Refused
/// while a refund request on the order is open (`disputes.refund_open`: escalate it instead).
#[server(prefix = "/api", endpoint = "open_dispute")]
pub async fn open_dispute(
    idempotency_key: String,
    order_number: String,
    claim: String,
    reason_code: String,
    details: String,
) -> Result<i64, AppError> {
    let ctx = require_signed_in().await?;
    let key = service::parse_key(&idempotency_key)?;
    let number = parse_number(&order_number)?;
    let form =
        service::BuyerClaim { key: &key, number: &number, claim: &claim, reason_code: &reason_code, details: &details };
    service::open_by_buyer(&ctx.state, &ctx.caller, &ctx.meta, form).await
}

/// The dispute link of an order page: for its buyer, its seller's members and operators who read
/// orders or disputes (404 for anyone else).
#[server(prefix = "/api", endpoint = "order_dispute_link")]
pub async fn order_dispute_link(order_number: String) -> Result<OrderDisputeState, AppError> {
    let ctx = require_signed_in().await?;
    let number = parse_number(&order_number)?;
    let operator = ctx.caller.can(ORDERS_VIEW) || ctx.caller.can(REFUNDS_VIEW);
    service::order_link(&ctx.state, ctx.caller.user_id, operator, &number).await
}

/// A dispute with its conversation, for its buyer and its seller's members (404 for anyone else).
#[server(prefix = "/api", endpoint = "dispute_view")]
pub async fn dispute_view(id: i64) -> Result<DisputeThread, AppError> {
    let ctx = require_signed_in().await?;
    service::view(&ctx.state, id, service::Scope::Party(ctx.caller.user_id)).await
}

/// The buyer or a seller member adds a message, with optional evidence they uploaded about the order
/// (`POST /uploads/evidence`). Refused once the dispute is decided.
#[server(prefix = "/api", endpoint = "add_dispute_message")]
pub async fn add_dispute_message(
    id: i64,
    #[server(default)] body: String,
    #[server(default)] evidence_upload_id: Option<i64>,
) -> Result<i64, AppError> {
    let ctx = require_signed_in().await?;
    let scope = service::Scope::Party(ctx.caller.user_id);
    service::add_message(&ctx.state, &ctx.caller, &ctx.meta, id, scope, &body, evidence_upload_id).await
}
