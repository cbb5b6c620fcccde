//! Launch readiness: the trial balance and unposted money events (see `crate::readiness`). The trial
//! balance sums the accounts' running balances (one row per account and currency, maintained by
//! every posting), never the postings: fast with a million postings. Unposted events are looked for
//! among the newest `UNPOSTED_WINDOW` records of each kind (orders, payments, refunds, disputes,
//! payouts), read through their primary keys; the ledger controls page (`/console/ledger/controls`,
//! where the check links) counts every record, which takes a scan of each table.

use crate::domain::readiness::{fact, rules, Area, CheckDef, Measured};
use crate::error::{AppError, Context};
use crate::platform::state::AppState;

static TRIAL_BALANCE: CheckDef =
    CheckDef { id: "operations.ledger", area: Area::Operations, link: Some("/console/ledger/controls"), setting: None };

static UNPOSTED: CheckDef = CheckDef {
    id: "operations.unposted",
    area: Area::Operations,
    link: Some("/console/ledger/controls"),
    setting: None,
};

pub static CHECKS: &[&CheckDef] = &[&TRIAL_BALANCE, &UNPOSTED];

/// How many of the newest records of each kind the unposted check reads on every view: each is one
/// seek into the postings' idempotency keys, and the command center measures readiness on every
/// view too (5,000 of each kind were 25,000 seeks, most of a readiness view's 40 ms with a million
/// orders). A posting that failed shows among the newest records the same day; older history is
/// the ledger controls page's.
pub const UNPOSTED_WINDOW: i64 = 1_000;

pub async fn measure(state: &AppState) -> Result<Vec<Measured>, AppError> {
    let sums: Vec<(String, i64)> = sqlx::query_as(
        "SELECT currency, CAST(COALESCE(SUM(balance_minor), 0) AS BIGINT) FROM ledger_accounts GROUP BY currency ORDER BY currency",
    )
    .fetch_all(state.db.read())
    .await
    .context("summing the ledger's balances")?;
    let off: Vec<String> = sums.iter().filter(|(_, s)| *s != 0).map(|(c, s)| format!("{c} {s}")).collect();
    let shown = if off.is_empty() { "0".to_string() } else { off.join(", ") };
    let unposted = super::controls_service::unposted_among_newest(state, UNPOSTED_WINDOW).await?;
    Ok(vec![
        TRIAL_BALANCE.measured(
            rules::ledger(off.len() as i64),
            vec![fact("readiness.fact.currencies", sums.len()), fact("readiness.fact.trial_balance", shown)],
        ),
        UNPOSTED.measured(
            rules::unposted(unposted),
            vec![fact("readiness.fact.unposted", unposted), fact("readiness.fact.unposted_window", UNPOSTED_WINDOW)],
        ),
    ])
}
