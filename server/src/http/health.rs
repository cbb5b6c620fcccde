use agora_app::platform::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;

/// Alive: answers while the process runs.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Ready: the database answers and every migration of this build is applied.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.db.is_ready().await {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready")
    }
}
