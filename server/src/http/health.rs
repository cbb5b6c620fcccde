use crate::http::assets::Site;
use agora_app::platform::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;

/// Alive: answers while the process runs.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Ready: the database answers, every migration of this build is applied, and pages can be served
/// (the hash file they read and the files it names exist). 503 with the reason otherwise.
pub async fn readyz(State(state): State<AppState>, State(site): State<Arc<Site>>) -> (StatusCode, Json<Value>) {
    let reason = match site.readiness() {
        Err(reason) => Some(reason),
        Ok(()) if !state.db.is_ready().await => Some("the database is unreachable or not fully migrated".to_string()),
        Ok(()) => None,
    };
    match reason {
        None => (StatusCode::OK, Json(json!({ "ready": true }))),
        Some(reason) => (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "ready": false, "reason": reason }))),
    }
}
