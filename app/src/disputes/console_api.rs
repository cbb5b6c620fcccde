//! Server functions of the console's dispute desk: the queue and a dispute's page need
//! `refunds.view`; operator messages and the decision need `disputes.decide` (the decision is a
//! protected action: reason and password).

// A server function takes its form fields as arguments; the browser-side stub the macro generates
// does not carry a per-function allow, hence this one for the file.
#![allow(clippy::too_many_arguments)]

use crate::disputes::model::{ConsoleDispute, DisputeCounters, DisputeRow, LedgerEffect};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::disputes::{model::QueueFilter, service};
#[cfg(feature = "ssr")]
use crate::domain::permissions::{DISPUTES_DECIDE, LEDGER_VIEW, REFUNDS_VIEW};
#[cfg(feature = "ssr")]
use crate::platform::guard::{confirm_protected, require};

/// The dispute queue, oldest SLA first. `status` is a dispute status or `all` (default open),
/// `seller` an organisation id or part of its name, `past_sla` "1", `opened_by` buyer,
/// refused_refund or seller_silent.
#[server(prefix = "/api", endpoint = "console_list_disputes")]
pub async fn console_list_disputes(
    status: Option<String>,
    seller: Option<String>,
    past_sla: Option<String>,
    opened_by: Option<String>,
    cursor: Option<String>,
) -> Result<Page<DisputeRow>, AppError> {
    let ctx = require(REFUNDS_VIEW).await?;
    let filter = QueueFilter::parse(status.as_deref(), seller.as_deref(), past_sla.as_deref(), opened_by.as_deref())?;
    service::queue(&ctx.state, &filter, cursor.as_deref()).await
}

#[server(prefix = "/api", endpoint = "console_dispute_counters")]
pub async fn console_dispute_counters() -> Result<DisputeCounters, AppError> {
    let ctx = require(REFUNDS_VIEW).await?;
    service::counters(&ctx.state).await
}

/// A dispute with its order, conversation, the seller's balances and the ledger effect of a full refund.
#[server(prefix = "/api", endpoint = "console_get_dispute")]
pub async fn console_get_dispute(id: i64) -> Result<ConsoleDispute, AppError> {
    let ctx = require(REFUNDS_VIEW).await?;
    service::console_detail(&ctx.state, &ctx.caller, id, ctx.caller.can(LEDGER_VIEW)).await
}

/// What refunding `amount` (major units) would post now: the partial decision's ledger effect.
#[server(prefix = "/api", endpoint = "dispute_decision_preview")]
pub async fn dispute_decision_preview(id: i64, amount: String) -> Result<LedgerEffect, AppError> {
    let ctx = require(REFUNDS_VIEW).await?;
    service::preview(&ctx.state, id, &amount).await
}

/// An operator's message to both sides.
#[server(prefix = "/api", endpoint = "add_operator_dispute_message")]
pub async fn add_operator_dispute_message(id: i64, body: String) -> Result<i64, AppError> {
    let ctx = require(DISPUTES_DECIDE).await?;
    service::add_message(&ctx.state, &ctx.caller, &ctx.meta, id, service::Scope::Console, &body, None).await
}

/// Decides an open dispute: `decision` refund_full, refund_partial (with `amount`, major units) or
/// seller_wins; a written reason and the operator's password. Same key + same request -> the first
/// result; a second decision -> `disputes.already_decided`.
#[server(prefix = "/api", endpoint = "decide_dispute")]
pub async fn decide_dispute(
    id: i64,
    decision: String,
    #[server(default)] amount: String,
    reason: String,
    password: String,
    code: Option<String>,
    idempotency_key: String,
) -> Result<String, AppError> {
    let ctx = require(DISPUTES_DECIDE).await?;
    let key = service::parse_key(&idempotency_key)?;
    let reason = confirm_protected(&ctx, &reason, &password, code.as_deref()).await?;
    let input = service::DecisionInput { kind: &decision, amount: &amount, reason: &reason, key: &key };
    let decided = service::decide(&ctx.state, &ctx.caller, &ctx.meta, id, input).await?;
    Ok(decided.status.as_str().to_string())
}
