//! Refuses state-changing requests from other origins (CSRF). Browsers send `Origin` on every
//! cross-origin POST and `Sec-Fetch-Site` on every request; a request carrying neither is not from a
//! browser, so it cannot ride on a victim's cookies.

use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

#[derive(Clone)]
pub struct AllowedOrigin(pub String);

pub async fn refuse_cross_origin(State(allowed): State<AllowedOrigin>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) || is_same_origin(&allowed.0, &req) {
        return next.run(req).await;
    }
    (StatusCode::FORBIDDEN, "cross-origin request refused").into_response()
}

fn is_same_origin(allowed: &str, req: &Request) -> bool {
    let headers = req.headers();
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        if origin.eq_ignore_ascii_case(allowed) {
            return true;
        }
        // The host the request was sent to: a browser's `Origin` for a same-origin form post names it.
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or("");
        return !host.is_empty() && origin_host.eq_ignore_ascii_case(host);
    }
    match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        Some(site) => site == "same-origin" || site == "none",
        None => true,
    }
}
