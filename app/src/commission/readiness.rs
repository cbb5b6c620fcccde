//! Launch readiness: an active default commission rule (see `crate::readiness`).

use crate::domain::readiness::{fact, rules, Area, CheckDef, Measured};
use crate::error::{AppError, Context};
use crate::platform::state::AppState;

static DEFAULT_RULE: CheckDef = CheckDef {
    id: "monetisation.commission",
    area: Area::Monetisation,
    link: Some("/console/commission"),
    setting: None,
};

pub static CHECKS: &[&CheckDef] = &[&DEFAULT_RULE];

pub async fn measure(state: &AppState) -> Result<Vec<Measured>, AppError> {
    // `commission_rules_scope` (scope, scope_id, status).
    let active: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM commission_rules WHERE scope = 'default' AND status = 'active'")
            .fetch_one(state.db.read())
            .await
            .context("counting active default commission rules")?;
    Ok(vec![DEFAULT_RULE
        .measured(rules::default_commission(active), vec![fact("readiness.fact.active_default_rules", active)])])
}
