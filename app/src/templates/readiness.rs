//! Launch readiness: template coverage, every event x channel x locale (see `crate::readiness`).

use crate::domain::readiness::{fact, rules, Area, CheckDef, Measured};
use crate::error::{AppError, Context};
use crate::platform::state::AppState;

static COVERAGE: CheckDef =
    CheckDef { id: "messaging.templates", area: Area::Messaging, link: Some("/console/templates"), setting: None };

pub static CHECKS: &[&CheckDef] = &[&COVERAGE];

pub async fn measure(state: &AppState) -> Result<Vec<Measured>, AppError> {
    let missing = crate::notifications::templates::missing(&state.db).await.context("finding missing templates")?;
    let first = missing.first().map(|(e, c, l)| format!("{e} / {} / {l}", c.as_str())).unwrap_or_default();
    let mut evidence = vec![fact("readiness.fact.templates_missing", missing.len())];
    if !first.is_empty() {
        evidence.push(fact("readiness.fact.first_missing", first));
    }
    Ok(vec![COVERAGE.measured(rules::template_coverage(missing.len() as i64), evidence)])
}
