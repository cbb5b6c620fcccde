//! Launch readiness: the settings centre's secrets can be read with the configured key, and no
//! maintenance window is in force (see `crate::readiness`).

use crate::domain::maintenance::MaintenanceMode;
use crate::domain::readiness::{fact, Area, CheckDef, Measured, Status};
use crate::error::AppError;
use crate::platform::state::AppState;

static SECRETS: CheckDef = CheckDef {
    id: "guardrails.settings_secrets",
    area: Area::Guardrails,
    link: Some("/console/settings"),
    setting: Some("settings_key"),
};

static MAINTENANCE: CheckDef = CheckDef {
    id: "operations.maintenance",
    area: Area::Operations,
    link: Some("/console/settings"),
    setting: Some("maintenance_mode"),
};

pub static CHECKS: &[&CheckDef] = &[&SECRETS, &MAINTENANCE];

pub async fn measure(state: &AppState) -> Result<Vec<Measured>, AppError> {
    let unreadable = state.live.unreadable.read().unwrap_or_else(|e| e.into_inner()).clone();
    // A stored secret no key opens: its configured value is in force, not the one operators set.
    let secrets = if unreadable.is_empty() { Status::Ready } else { Status::Blocker };
    let mode = state.settings().maintenance.in_force(state.now_ms());
    let maintenance = if mode == MaintenanceMode::Off { Status::Ready } else { Status::Warning };
    Ok(vec![
        SECRETS.measured(
            secrets,
            vec![
                fact("readiness.fact.sealing_key", state.live.keys.current_id().unwrap_or("-")),
                fact(
                    "readiness.fact.unreadable_settings",
                    if unreadable.is_empty() { "-".to_string() } else { unreadable.join(", ") },
                ),
            ],
        ),
        MAINTENANCE.measured(maintenance, vec![fact("readiness.fact.maintenance_mode", mode.as_str())]),
    ])
}
