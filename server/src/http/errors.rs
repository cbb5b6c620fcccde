//! Server functions answer errors with status 500 and the serialised `AppError`; this gives each the
//! status it means (401, 403, 404, 400, 409, 429), which clients, logs and metrics rely on.

use agora_app::error::AppError;
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Error bodies are small; anything larger is passed through untouched.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn error_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(e) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let Some(seconds) = retry_after_s(&e) {
            parts.headers.insert(header::RETRY_AFTER, seconds.into());
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// How long a refused client should wait (`Retry-After`, seconds), where the error says.
fn retry_after_s(e: &AppError) -> Option<u64> {
    match e {
        AppError::RateLimited { retry_after_s } => Some((*retry_after_s).max(1) as u64),
        AppError::Maintenance { until_ms: Some(until), .. } => {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok()?.as_millis() as i64;
            Some(((until - now) / 1000).max(1) as u64)
        }
        _ => None,
    }
}

/// Server functions read their body themselves and call any failure to read it a malformed request
/// (400). A body without a Content-Length (chunked) is read here first, under the body limit, so one
/// over the limit is answered 413 like a body that declared its size. Must sit inside the limit layer.
pub async fn read_chunked_api_body(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") || req.headers().contains_key(header::CONTENT_LENGTH) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    match Bytes::from_request(Request::from_parts(parts.clone(), body), &()).await {
        Ok(bytes) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Err(rejection) => rejection.into_response(),
    }
}
