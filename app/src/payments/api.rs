//! Server functions of payments. The buyer's (`my_payment`, `pay_with_sandbox`) need a signed-in
//! buyer and answer 404 for someone else's checkout; the finance queue needs `payments.view`,
//! decisions `payments.approve`, and the bank account `payment_settings.manage` (a protected change:
//! reason + password). Proof uploads are a multipart route (`POST /uploads/payment-proof`, server's
//! `http::uploads`).

// A server function takes its form fields as arguments; the browser-side stub the macro generates
// does not carry a per-function allow, hence this one for the file.
#![allow(clippy::too_many_arguments)]

use super::model::{PaymentDetail, PaymentRow, PaymentSettingsView, PaymentView};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{model, service};
#[cfg(feature = "ssr")]
use crate::domain::permissions::{PAYMENTS_APPROVE, PAYMENTS_VIEW, PAYMENT_SETTINGS_MANAGE};
#[cfg(feature = "ssr")]
use crate::platform::caller::require_signed_in;
#[cfg(feature = "ssr")]
use crate::platform::guard::{confirm_protected, require};

/// The payment of the caller's checkout `checkout_id`, for the pay page.
#[server(prefix = "/api", endpoint = "my_payment")]
pub async fn my_payment(checkout_id: i64) -> Result<PaymentView, AppError> {
    let ctx = require_signed_in().await?;
    service::buyer_payment(&ctx.state, &ctx.caller, checkout_id).await
}

/// Pays the caller's checkout with the sandbox test card.
#[server(prefix = "/api", endpoint = "pay_with_sandbox")]
pub async fn pay_with_sandbox(checkout_id: i64, card_number: String) -> Result<(), AppError> {
    let ctx = require_signed_in().await?;
    service::pay_by_card(&ctx.state, &ctx.caller, &ctx.meta, checkout_id, &card_number).await
}

/// Payments by status (`pending`, `proof_submitted`, ...; empty for all), keyset-paged.
#[server(prefix = "/api", endpoint = "list_payments")]
pub async fn list_payments(status: Option<String>, cursor: Option<String>) -> Result<Page<PaymentRow>, AppError> {
    let ctx = require(PAYMENTS_VIEW).await?;
    let status = model::parse_status_filter(status.as_deref()).map_err(|(f, c)| AppError::invalid(f, c))?;
    service::list_payments(&ctx.state, status, cursor.as_deref()).await
}

#[server(prefix = "/api", endpoint = "get_payment")]
pub async fn get_payment(id: i64) -> Result<PaymentDetail, AppError> {
    let ctx = require(PAYMENTS_VIEW).await?;
    service::get_payment(&ctx.state, id).await
}

/// Finance confirms the transfer arrived: the orders become paid.
#[server(prefix = "/api", endpoint = "approve_payment")]
pub async fn approve_payment(id: i64) -> Result<(), AppError> {
    let ctx = require(PAYMENTS_APPROVE).await?;
    service::approve(&ctx.state, &ctx.caller, &ctx.meta, id, "finance").await
}

/// Finance rejects the proof; the buyer reads `reason` and may upload again.
#[server(prefix = "/api", endpoint = "reject_payment")]
pub async fn reject_payment(id: i64, reason: String) -> Result<(), AppError> {
    let ctx = require(PAYMENTS_APPROVE).await?;
    let reason = crate::domain::reason::Reason::parse(&reason).map_err(|e| AppError::invalid("reason", e.code()))?;
    service::reject(&ctx.state, &ctx.caller, &ctx.meta, id, &reason).await
}

#[server(prefix = "/api", endpoint = "payment_settings")]
pub async fn payment_settings() -> Result<PaymentSettingsView, AppError> {
    let ctx = require(PAYMENT_SETTINGS_MANAGE).await?;
    service::payment_settings(&ctx.state).await
}

/// Replaces the bank account buyers transfer to (protected: reason + password).
#[server(prefix = "/api", endpoint = "save_bank_account")]
#[allow(clippy::too_many_arguments)]
pub async fn save_bank_account(
    holder: String,
    bank_name: String,
    account_number: String,
    #[server(default)] branch: String,
    #[server(default)] note: String,
    reason: String,
    password: String,
    code: Option<String>,
) -> Result<(), AppError> {
    let ctx = require(PAYMENT_SETTINGS_MANAGE).await?;
    let account = model::BankAccount::parse(&holder, &bank_name, &account_number, &branch, &note)
        .map_err(|(f, c)| AppError::invalid(f, c))?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    service::save_bank_account(&ctx.state, &ctx.caller, &ctx.meta, &account, &reason).await
}
