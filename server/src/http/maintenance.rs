//! Closed maintenance mode (`domain::maintenance`): while it is in force, everyone but the operators
//! on its allow list gets the announcement (503) instead of pages and server functions; signing in
//! stays open so those operators can get in, and so do the health checks and the site's assets.
//! Read-only mode needs nothing here: the unit of work refuses changes (`platform::maintenance`).

use agora_app::domain::maintenance::{Maintenance, MaintenanceMode};
use agora_app::i18n::{translate, Lang};
use agora_app::platform::caller::caller_of;
use agora_app::platform::maintenance::refusal;
use agora_app::platform::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// What closed mode leaves open to everyone: signing in (pages and server functions), the assets
/// those pages need, and the health checks.
fn always_open(path: &str) -> bool {
    const API: [&str; 8] = [
        "sign_in",
        "sign_out",
        "whoami",
        "set_language",
        "sign_in_second_factor",
        "sign_in_providers",
        "provider_start",
        "provider_callback",
    ];
    ["/pkg/", "/__dev/", "/signin"].iter().any(|p| path.starts_with(p))
        || matches!(path, "/favicon.svg" | "/healthz" | "/readyz" | "/metrics")
        || path.strip_prefix("/api/").is_some_and(|name| API.contains(&name))
}

pub async fn closed_gate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let settings = state.settings();
    let m = &settings.maintenance;
    if m.in_force(state.now_ms()) != MaintenanceMode::Closed || always_open(req.uri().path()) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    // A failed look-up counts as signed out: the announcement, never an error page.
    if let Ok(Some(caller)) = caller_of(&state, &parts).await {
        if m.allows(&caller.email) {
            return next.run(Request::from_parts(parts, body)).await;
        }
    }
    let mut res = if parts.uri.path().starts_with("/api/") {
        let body = serde_json::to_string(&refusal(m)).unwrap_or_default();
        (StatusCode::SERVICE_UNAVAILABLE, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    } else {
        let lang = if parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("zh"))
        {
            Lang::Zh
        } else {
            Lang::En
        };
        (StatusCode::SERVICE_UNAVAILABLE, axum::response::Html(closed_page(m, lang))).into_response()
    };
    if let Some(ends) = m.ends_ms {
        let seconds = ((ends - state.now_ms()) / 1000).max(1);
        if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The announcement page: plain HTML, no script, readable in both languages.
fn closed_page(m: &Maintenance, lang: Lang) -> String {
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let title = translate(lang, "maintenance.closed_title");
    let until = m
        .ends_ms
        .map(|e| {
            translate(lang, "maintenance.banner.until").replace("{end}", &agora_app::components::format::time_text(e))
        })
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>{title}</title></head>\
         <body style=\"font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#0f172a\">\
         <main><h1 data-testid=\"maintenance-closed\">{title}</h1><p>{until}</p><p data-testid=\"maintenance-message\">{message}</p>\
         <p><a href=\"/signin\">{sign_in}</a></p></main></body></html>",
        code = lang.code(),
        title = escape(&title),
        until = escape(&until),
        message = escape(&m.message),
        sign_in = escape(&translate(lang, "auth.sign_in")),
    )
}
