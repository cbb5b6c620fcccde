//! Maintenance mode's gate (the rules are `domain::maintenance`). In read-only and closed mode, every
//! change a person makes through the unit of work (`platform::change`) and every cart edit is refused
//! with the announcement (503), except by the operators on the allow list. Sign-in, sign-out and the
//! platform's own timers keep working: they record, they do not decide. Closed mode also shuts the
//! pages and reads to everyone else (the server's `http::maintenance`).

use super::state::AppState;
use crate::domain::maintenance::{Maintenance, MaintenanceMode};
use crate::error::{AppError, Context};

/// The refusal a client gets while `m` is in force.
pub fn refusal(m: &Maintenance) -> AppError {
    AppError::Maintenance { message: m.message.clone(), until_ms: m.ends_ms }
}

/// Refuses a write by `user_id` (none: a signed-out visitor) while maintenance is in force, unless
/// that user is on the allow list. Reads the user's address only while it is.
pub async fn check_writes(state: &AppState, user_id: Option<i64>) -> Result<(), AppError> {
    let settings = state.settings();
    let m = &settings.maintenance;
    if m.in_force(state.now_ms()) == MaintenanceMode::Off {
        return Ok(());
    }
    if let Some(id) = user_id {
        let email: Option<String> = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(state.db.read())
            .await
            .context("reading who writes during maintenance")?;
        if email.is_some_and(|e| m.allows(&e)) {
            return Ok(());
        }
    }
    Err(refusal(m))
}
