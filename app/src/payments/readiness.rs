//! Launch readiness: the platform's bank account and the sandbox provider (see `crate::readiness`).

use crate::domain::payment::Provider;
use crate::domain::readiness::{fact, rules, Area, CheckDef, Measured};
use crate::error::{AppError, Context};
use crate::platform::state::AppState;

static BANK_ACCOUNT: CheckDef = CheckDef {
    id: "monetisation.bank_account",
    area: Area::Monetisation,
    link: Some("/console/settings/payments"),
    setting: None,
};
static SANDBOX: CheckDef = CheckDef {
    id: "monetisation.sandbox_provider",
    area: Area::Monetisation,
    link: Some("/console/settings/payments"),
    setting: Some("payment_providers"),
};

pub static CHECKS: &[&CheckDef] = &[&BANK_ACCOUNT, &SANDBOX];

pub async fn measure(state: &AppState) -> Result<Vec<Measured>, AppError> {
    let mut conn = state.db.read().acquire().await.context("opening a read connection")?;
    let set = super::bank_transfer::bank_account(&mut conn).await?.is_some();
    drop(conn);
    let providers = &state.settings().payment_providers;
    let bank_transfer = providers.contains(&Provider::BankTransfer);
    let sandbox = providers.contains(&Provider::Sandbox);
    let names = providers.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ");
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    Ok(vec![
        BANK_ACCOUNT.measured(
            rules::bank_account(set, bank_transfer),
            vec![fact("readiness.fact.bank_account_set", yes_no(set)), fact("readiness.fact.providers", &names)],
        ),
        SANDBOX.measured(
            rules::sandbox_provider(sandbox, state.settings().production),
            vec![fact("readiness.fact.providers", names)],
        ),
    ])
}
