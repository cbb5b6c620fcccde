//! Finds who is signed in before a page renders, and hands it to the app as a request extension
//! (`RequestViewer`). The page embeds it for hydration, so no view has to fetch the viewer and wait on
//! it: views that waited on a fetched viewer rebuilt their own data on every resolve during server
//! rendering.

use agora_app::auth::model::RequestViewer;
use agora_app::auth::service::viewer_of;
use agora_app::platform::caller::caller_of;
use agora_app::platform::state::AppState;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// Paths that never render a page, so never need the viewer.
pub(crate) fn renders_a_page(req: &Request) -> bool {
    let path = req.uri().path();
    matches!(*req.method(), Method::GET | Method::HEAD)
        && !["/api/", "/pkg/", "/__dev/"].iter().any(|p| path.starts_with(p))
        && !matches!(path, "/healthz" | "/readyz" | "/metrics" | "/favicon.svg")
}

pub async fn attach_viewer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !renders_a_page(&req) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    // A failed look-up renders the page signed out; the error was logged where it happened.
    let caller = caller_of(&state, &parts).await.ok().flatten();
    let viewer = caller.as_ref().map(viewer_of);
    // An operator who must enrol a second factor is sent to the account page's enrolment before any
    // console page renders (the console shell does the same for navigation inside the app).
    let path = parts.uri.path();
    if viewer.as_ref().is_some_and(|v| v.must_enrol_second_factor)
        && (path == "/console" || path.starts_with("/console/"))
    {
        return Redirect::to("/account#second-factor").into_response();
    }
    parts.extensions.insert(RequestViewer(viewer));
    // The maintenance announcement every page shows while it is in force or coming, and the flags
    // that are on for this visitor.
    let maintenance = state.settings().maintenance.notice(state.now_ms());
    let (user_id, roles) = caller.map(|c| (Some(c.user_id), c.roles)).unwrap_or_default();
    let flags = agora_app::settings::flags::on_flags(&state, user_id, &roles).await;
    parts.extensions.insert(agora_app::settings::model::RequestSite { maintenance, flags });
    next.run(Request::from_parts(parts, body)).await
}
