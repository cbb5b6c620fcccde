//! Launch readiness: failing or disabled webhook endpoints (see `crate::readiness`). Endpoints are
//! few (one table row each, platform and sellers): counting them is cheap.

use crate::domain::readiness::{fact, rules, Area, CheckDef, Measured};
use crate::error::{AppError, Context};
use crate::platform::state::AppState;

static ENDPOINTS: CheckDef =
    CheckDef { id: "messaging.webhooks", area: Area::Messaging, link: Some("/console/webhooks"), setting: None };

pub static CHECKS: &[&CheckDef] = &[&ENDPOINTS];

pub async fn measure(state: &AppState) -> Result<Vec<Measured>, AppError> {
    let (failing, disabled): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN status = 'active' AND failing_since IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN status = 'disabled' THEN 1 ELSE 0 END), 0) AS BIGINT) FROM webhook_endpoints",
    )
    .fetch_one(state.db.read())
    .await
    .context("counting failing webhook endpoints")?;
    Ok(vec![ENDPOINTS.measured(
        rules::webhook_endpoints(failing, disabled),
        vec![fact("readiness.fact.endpoints_failing", failing), fact("readiness.fact.endpoints_disabled", disabled)],
    )])
}
