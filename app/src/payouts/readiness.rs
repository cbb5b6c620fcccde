//! Launch readiness: the payout minimum and review threshold (see `crate::readiness`).

use crate::domain::readiness::{fact, rules, Area, CheckDef, Measured};
use crate::error::AppError;
use crate::platform::state::AppState;

static LIMITS: CheckDef = CheckDef {
    id: "monetisation.payout_limits",
    area: Area::Monetisation,
    link: Some("/console/payouts"),
    setting: Some("payout_min_minor"),
};

pub static CHECKS: &[&CheckDef] = &[&LIMITS];

pub async fn measure(state: &AppState) -> Result<Vec<Measured>, AppError> {
    let s = state.settings();
    Ok(vec![LIMITS.measured(
        rules::payout_limits(s.payout_min_minor, s.payout_review_threshold_minor),
        vec![
            fact("readiness.fact.payout_min", s.payout_min_minor),
            fact("readiness.fact.payout_review_threshold", s.payout_review_threshold_minor),
        ],
    )])
}
