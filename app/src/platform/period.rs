//! The server's side of the period picker: the picker's raw fields, read against the clock and the
//! platform's time zone. Every server function that takes a period calls this, so a bad one gets the
//! same field error everywhere.

use super::state::AppState;
use crate::domain::period::Period;
use crate::error::AppError;

/// `period` defaults to `default` when the URL names none (the picker's own default).
pub fn parse_period(
    state: &AppState,
    period: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    default: &str,
) -> Result<Period, AppError> {
    let preset = period.map(str::trim).filter(|p| !p.is_empty()).unwrap_or(default);
    Period::parse(preset, from, to, state.now_ms(), state.settings().utc_offset_minutes)
        .map_err(|(field, code)| AppError::invalid(field, code))
}
