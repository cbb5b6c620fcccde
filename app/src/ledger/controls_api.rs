//! Server functions of the ledger controls and the reconciliation; read-only, `ledger.view`.

use super::controls_model::{ControlsReport, ReconRow};
use crate::domain::page::Page;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{controls_model, controls_service};
#[cfg(feature = "ssr")]
use crate::domain::permissions::LEDGER_VIEW;
#[cfg(feature = "ssr")]
use crate::platform::guard::require;

/// Seed 000's finance tasks: unposted items, releasable pending balances, totals, negative
/// balances and the trial balance with the ledger's invariants.
#[server(prefix = "/api", endpoint = "ledger_controls")]
pub async fn ledger_controls() -> Result<ControlsReport, AppError> {
    let ctx = require(LEDGER_VIEW).await?;
    controls_service::controls(&ctx.state).await
}

/// Per seller (by id, after `after`; `q` searches the name): earnings, commissions, refunds,
/// payouts and balances from the ledger entries, and whether they add up.
#[server(prefix = "/api", endpoint = "seller_reconciliation")]
pub async fn seller_reconciliation(after: Option<String>, q: Option<String>) -> Result<Page<ReconRow>, AppError> {
    let ctx = require(LEDGER_VIEW).await?;
    let search = controls_model::parse_search(q.as_deref())?;
    controls_service::reconciliation(&ctx.state, search.as_deref(), after.as_deref()).await
}
