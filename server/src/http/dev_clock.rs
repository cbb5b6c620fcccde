//! `POST /__dev/clock/advance?ms=N`: moves the application clock forward, so end-to-end tests can pass
//! timers (7 days to auto-complete, 48 h of cooling-off) without sleeping. Only mounted when
//! `clock_control` is on, which configuration refuses in production.

use agora_app::platform::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Advance {
    ms: i64,
}

/// At most a year per call: a typo should not throw the clock decades ahead.
const MAX_ADVANCE_MS: i64 = 366 * 86_400_000;

pub async fn advance(State(state): State<AppState>, Query(q): Query<Advance>) -> (StatusCode, String) {
    if !(0..=MAX_ADVANCE_MS).contains(&q.ms) {
        return (StatusCode::BAD_REQUEST, "ms must be between 0 and one year".into());
    }
    state.clock.advance(q.ms);
    (StatusCode::OK, state.now_ms().to_string())
}

/// `POST /__dev/risk/scan`: runs the risk desk's scan now (the worker runs it every five minutes), so
/// end-to-end tests see a signal right after the activity that raises it. Mounted with the clock.
pub async fn risk_scan(State(state): State<AppState>) -> (StatusCode, String) {
    match agora_app::risk::scan::scan(&state).await {
        Ok(found) => (StatusCode::OK, found.to_string()),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{e:?}")),
    }
}
