//! Launch readiness: the trial balance (see `crate::readiness`). It sums the accounts' running
//! balances (one row per account and currency, maintained by every posting), never the postings:
//! fast with a million postings. Unposted money events are found by the ledger controls page
//! (`/console/ledger/controls`), which scans the business tables; the link takes the operator there.

use crate::domain::readiness::{fact, rules, Area, CheckDef, Measured};
use crate::error::{AppError, Context};
use crate::platform::state::AppState;

static TRIAL_BALANCE: CheckDef =
    CheckDef { id: "operations.ledger", area: Area::Operations, link: Some("/console/ledger/controls"), setting: None };

pub static CHECKS: &[&CheckDef] = &[&TRIAL_BALANCE];

pub async fn measure(state: &AppState) -> Result<Vec<Measured>, AppError> {
    let sums: Vec<(String, i64)> = sqlx::query_as(
        "SELECT currency, CAST(COALESCE(SUM(balance_minor), 0) AS BIGINT) FROM ledger_accounts GROUP BY currency ORDER BY currency",
    )
    .fetch_all(state.db.read())
    .await
    .context("summing the ledger's balances")?;
    let off: Vec<String> = sums.iter().filter(|(_, s)| *s != 0).map(|(c, s)| format!("{c} {s}")).collect();
    let shown = if off.is_empty() { "0".to_string() } else { off.join(", ") };
    Ok(vec![TRIAL_BALANCE.measured(
        rules::ledger(off.len() as i64),
        vec![fact("readiness.fact.currencies", sums.len()), fact("readiness.fact.trial_balance", shown)],
    )])
}
