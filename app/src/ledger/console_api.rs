//! Server functions of the ledger console; all read-only, all need `ledger.view`.

use super::console_model::{AccountRow, LedgerSummary, PostingRow, VerifyReport};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{console_model as model, console_service as service};
#[cfg(feature = "ssr")]
use crate::domain::permissions::LEDGER_VIEW;
#[cfg(feature = "ssr")]
use crate::platform::guard::require;

/// Balances by kind, the trial balance and the platform's own accounts.
#[server(prefix = "/api", endpoint = "ledger_overview")]
pub async fn ledger_overview() -> Result<LedgerSummary, AppError> {
    let ctx = require(LEDGER_VIEW).await?;
    service::overview(&ctx.state).await
}

/// Accounts newest first; `kind` is asset|liability|revenue.
#[server(prefix = "/api", endpoint = "list_ledger_accounts")]
pub async fn list_ledger_accounts(kind: Option<String>, cursor: Option<String>) -> Result<Page<AccountRow>, AppError> {
    let ctx = require(LEDGER_VIEW).await?;
    let kind = model::parse_kind(kind.as_deref())?;
    service::list_accounts(&ctx.state, kind, cursor.as_deref()).await
}

/// Postings newest first with their entries; filters: posting kind, order number, account code.
#[server(prefix = "/api", endpoint = "list_ledger_postings")]
pub async fn list_ledger_postings(
    kind: Option<String>,
    order: Option<String>,
    account: Option<String>,
    cursor: Option<String>,
) -> Result<Page<PostingRow>, AppError> {
    let ctx = require(LEDGER_VIEW).await?;
    let filter = model::parse_posting_filter(kind.as_deref(), order.as_deref(), account.as_deref())?;
    service::list_postings(&ctx.state, &filter, cursor.as_deref()).await
}

/// Walks every posting and account: postings balance, stored balances match their entries, the
/// trial balance is zero.
#[server(prefix = "/api", endpoint = "verify_ledger")]
pub async fn verify_ledger() -> Result<VerifyReport, AppError> {
    let ctx = require(LEDGER_VIEW).await?;
    let mut conn = ctx.state.db.read().acquire().await?;
    let problems = crate::platform::ledger::check_invariants(&mut conn).await?;
    Ok(VerifyReport { problems, checked_at_ms: ctx.state.now_ms() })
}
