//! Server functions of payouts. Seller side: any member of the seller organisation reads (accounts
//! masked); only its owner adds, changes or removes a payout account (password again) and requests
//! payouts. Finance side: `payouts.view` reads the queue and details, `payouts.approve` decides
//! (protected: reason + password), `payout_accounts.reveal` shows a full account number (audited
//! with a reason).

// A server function takes its form fields as arguments; the browser-side stub the macro generates
// does not carry a per-function allow, hence this one for the file.
#![allow(clippy::too_many_arguments)]

use super::model::{PayoutAccountsView, PayoutDetail, PayoutRow, QueueCounters, SellerPayoutsView};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{model, service};
#[cfg(feature = "ssr")]
use crate::domain::permissions::{PAYOUTS_APPROVE, PAYOUTS_VIEW, PAYOUT_ACCOUNTS_REVEAL};
#[cfg(feature = "ssr")]
use crate::domain::seller::SellerRight;
#[cfg(feature = "ssr")]
use crate::platform::guard::{confirm_protected, require};
#[cfg(feature = "ssr")]
use crate::platform::seller_access::require_seller;

/// The seller's active payout accounts, masked.
#[server(prefix = "/api", endpoint = "my_payout_accounts")]
pub async fn my_payout_accounts() -> Result<PayoutAccountsView, AppError> {
    let seller = require_seller(SellerRight::ViewFinance).await?;
    service::my_accounts(&seller).await
}

/// Adds a payout account (owner; password again). Payouts are held for the cooling-off period.
#[server(prefix = "/api", endpoint = "add_payout_account")]
pub async fn add_payout_account(
    method: String,
    holder: String,
    account: String,
    #[server(default)] bank_name: String,
    #[server(default)] notes: String,
    password: String,
) -> Result<i64, AppError> {
    let seller = require_seller(SellerRight::ManagePayouts).await?;
    service::owner_only(&seller)?;
    let input = service::parse_account(&method, &holder, &account, &bank_name, &notes)?;
    service::confirm_password(&seller.ctx, &password).await?;
    service::add_account(&seller, &input).await
}

/// Replaces payout account `id` by the new details (owner; password again); the old one is kept as
/// replaced. Payouts are held for the cooling-off period.
#[server(prefix = "/api", endpoint = "change_payout_account")]
pub async fn change_payout_account(
    id: i64,
    method: String,
    holder: String,
    account: String,
    #[server(default)] bank_name: String,
    #[server(default)] notes: String,
    password: String,
) -> Result<i64, AppError> {
    let seller = require_seller(SellerRight::ManagePayouts).await?;
    service::owner_only(&seller)?;
    let input = service::parse_account(&method, &holder, &account, &bank_name, &notes)?;
    service::confirm_password(&seller.ctx, &password).await?;
    service::change_account(&seller, id, &input).await
}

/// Removes payout account `id` (owner; password again), unless an open payout goes to it.
#[server(prefix = "/api", endpoint = "remove_payout_account")]
pub async fn remove_payout_account(id: i64, password: String) -> Result<(), AppError> {
    let seller = require_seller(SellerRight::ManagePayouts).await?;
    service::owner_only(&seller)?;
    service::confirm_password(&seller.ctx, &password).await?;
    service::remove_account(&seller, id).await
}

/// The seller's balances, what stops a payout request now, and a fresh idempotency key.
#[server(prefix = "/api", endpoint = "seller_payouts")]
pub async fn seller_payouts() -> Result<SellerPayoutsView, AppError> {
    let seller = require_seller(SellerRight::ViewFinance).await?;
    service::seller_payouts(&seller).await
}

/// The seller's payout requests, newest first.
#[server(prefix = "/api", endpoint = "list_my_payouts")]
pub async fn list_my_payouts(cursor: Option<String>) -> Result<Page<PayoutRow>, AppError> {
    let seller = require_seller(SellerRight::ViewFinance).await?;
    service::list_seller_payouts(&seller.ctx.state, seller.membership.organisation_id, cursor.as_deref()).await
}

/// Requests a payout of `amount` (typed in the platform's currency) to `payout_account_id` (owner).
#[server(prefix = "/api", endpoint = "request_payout")]
pub async fn request_payout(idempotency_key: String, amount: String, payout_account_id: i64) -> Result<i64, AppError> {
    let seller = require_seller(SellerRight::ManagePayouts).await?;
    service::owner_only(&seller)?;
    let key = crate::domain::payment::parse_idempotency_key(&idempotency_key)
        .map_err(|_| AppError::invalid("idempotency_key", "payouts.bad_idempotency_key"))?;
    let amount = crate::domain::money::Money::parse(&amount, seller.ctx.state.settings().currency)
        .map_err(|e| AppError::invalid("amount", e.code()))?;
    service::request_payout(&seller, &key, amount.minor, payout_account_id).await
}

#[server(prefix = "/api", endpoint = "payout_counters")]
pub async fn payout_counters() -> Result<QueueCounters, AppError> {
    let ctx = require(PAYOUTS_VIEW).await?;
    service::counters(&ctx.state).await
}

/// The queue, oldest first. `status` is a payout status; `seller` matches the seller's name;
/// `flagged` and `frozen` (`true`) keep only flagged or frozen requests.
#[server(prefix = "/api", endpoint = "list_payouts")]
pub async fn list_payouts(
    status: Option<String>,
    seller: Option<String>,
    flagged: Option<String>,
    frozen: Option<String>,
    cursor: Option<String>,
) -> Result<Page<PayoutRow>, AppError> {
    let ctx = require(PAYOUTS_VIEW).await?;
    let filter = model::QueueFilter::parse(status.as_deref(), seller.as_deref(), flagged.as_deref(), frozen.as_deref())
        .map_err(|(f, c)| AppError::invalid(f, c))?;
    service::list_queue(&ctx.state, &filter, cursor.as_deref()).await
}

#[server(prefix = "/api", endpoint = "get_payout")]
pub async fn get_payout(id: i64) -> Result<PayoutDetail, AppError> {
    let ctx = require(PAYOUTS_VIEW).await?;
    service::get_payout(&ctx.state, id).await
}

/// The full number of payout account `id`, audited with `reason`.
#[server(prefix = "/api", endpoint = "reveal_payout_account")]
pub async fn reveal_payout_account(id: i64, reason: String) -> Result<String, AppError> {
    let ctx = require(PAYOUT_ACCOUNTS_REVEAL).await?;
    let reason = crate::domain::reason::Reason::parse(&reason).map_err(|e| AppError::invalid("reason", e.code()))?;
    service::reveal_account(&ctx, id, &reason).await
}

#[server(prefix = "/api", endpoint = "approve_payout")]
pub async fn approve_payout(id: i64, reason: String, password: String, code: Option<String>) -> Result<(), AppError> {
    let ctx = require(PAYOUTS_APPROVE).await?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::decide(&ctx.state, &ctx.caller, &ctx.meta, id, service::Decision::Approve, &reason).await
}

/// Finance made the transfer: `external_reference` is the bank's or wallet's transfer reference.
#[server(prefix = "/api", endpoint = "mark_payout_paid")]
pub async fn mark_payout_paid(
    id: i64,
    external_reference: String,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(PAYOUTS_APPROVE).await?;
    let reference =
        crate::domain::payout::parse_reference(&external_reference).map_err(|(f, c)| AppError::invalid(f, c))?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::decide(&ctx.state, &ctx.caller, &ctx.meta, id, service::Decision::MarkPaid { reference }, &reason).await
}

/// The transfer failed: `reason` (shown to the seller), when a retry makes sense, and what next.
#[server(prefix = "/api", endpoint = "mark_payout_failed")]
pub async fn mark_payout_failed(
    id: i64,
    reason: String,
    retry_condition: String,
    next_action: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(PAYOUTS_APPROVE).await?;
    let failure = crate::domain::payout::parse_failure(&reason, &retry_condition, &next_action)
        .map_err(|(f, c)| AppError::invalid(f, c))?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::decide(&ctx.state, &ctx.caller, &ctx.meta, id, service::Decision::MarkFailed(failure), &reason).await
}

/// Refuses the request with `reason` (shown to the seller); the money returns to available.
#[server(prefix = "/api", endpoint = "reject_payout")]
pub async fn reject_payout(id: i64, reason: String, password: String, code: Option<String>) -> Result<(), AppError> {
    let ctx = require(PAYOUTS_APPROVE).await?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::decide(&ctx.state, &ctx.caller, &ctx.meta, id, service::Decision::Reject, &reason).await
}
