//! The registry of launch readiness checks: each capability contributes its own (`CHECKS`, the
//! declarations, and `measure`, the measuring). Adding a check = adding it to its capability's
//! `readiness.rs`; adding a contributing capability = one line in each list below, in area order.

use crate::domain::readiness::{fact, CheckDef, Measured, Status};
use crate::error::AppError;
use crate::platform::state::AppState;

/// Every check, in the order the page lists them.
pub fn all_checks() -> impl Iterator<Item = &'static CheckDef> {
    [
        crate::auth::readiness::CHECKS,
        crate::delivery::readiness::CHECKS,
        crate::templates::readiness::CHECKS,
        crate::webhooks::readiness::CHECKS,
        super::operations::CHECKS,
        crate::settings::readiness::CHECKS,
        crate::audit::readiness::CHECKS,
        crate::ledger::readiness::CHECKS,
        super::thresholds::CHECKS,
        crate::commission::readiness::CHECKS,
        crate::payments::readiness::CHECKS,
        crate::payouts::readiness::CHECKS,
        super::guardrails::CHECKS,
    ]
    .into_iter()
    .flat_map(|c| c.iter().copied())
}

pub fn find(id: &str) -> Option<&'static CheckDef> {
    all_checks().find(|c| c.id == id)
}

/// Measures every check now. A capability whose measuring fails shows its checks as blockers with
/// the error's reference as evidence, so one broken query cannot hide the rest of the page.
pub async fn measure_all(state: &AppState) -> Vec<Measured> {
    let mut all = Vec::new();
    all.extend(part(crate::auth::readiness::CHECKS, crate::auth::readiness::measure(state).await));
    all.extend(part(crate::delivery::readiness::CHECKS, crate::delivery::readiness::measure(state).await));
    all.extend(part(crate::templates::readiness::CHECKS, crate::templates::readiness::measure(state).await));
    all.extend(part(crate::webhooks::readiness::CHECKS, crate::webhooks::readiness::measure(state).await));
    all.extend(part(super::operations::CHECKS, super::operations::measure(state).await));
    all.extend(part(crate::settings::readiness::CHECKS, crate::settings::readiness::measure(state).await));
    all.extend(part(crate::audit::readiness::CHECKS, crate::audit::readiness::measure(state).await));
    all.extend(part(crate::ledger::readiness::CHECKS, crate::ledger::readiness::measure(state).await));
    all.extend(part(super::thresholds::CHECKS, super::thresholds::measure(state).await));
    all.extend(part(crate::commission::readiness::CHECKS, crate::commission::readiness::measure(state).await));
    all.extend(part(crate::payments::readiness::CHECKS, crate::payments::readiness::measure(state).await));
    all.extend(part(crate::payouts::readiness::CHECKS, crate::payouts::readiness::measure(state).await));
    all.extend(part(super::guardrails::CHECKS, super::guardrails::measure(state).await));
    all
}

fn part(checks: &'static [&'static CheckDef], measured: Result<Vec<Measured>, AppError>) -> Vec<Measured> {
    match measured {
        Ok(m) => m,
        Err(e) => {
            let reference = match &e {
                AppError::Internal { reference } => reference.clone(),
                other => other.message_key().to_string(),
            };
            checks
                .iter()
                .map(|c| c.measured(Status::Blocker, vec![fact("readiness.fact.not_measured", &reference)]))
                .collect()
        }
    }
}
