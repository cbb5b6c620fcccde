//! Every request has a server-side deadline, so no response can hold a connection forever.
//!
//! A server-rendered page is produced whole within the deadline: its body is collected here before
//! the first byte leaves, so a render that overruns can still be answered with a proper 503 (with the
//! request id to quote) instead of a page cut off mid-stream. Pages are small (tens of KB) and every
//! storefront page must be complete without JavaScript anyway, so nothing is lost by not streaming.
//! Other responses (server functions, files, uploads) get the same deadline on their headers; their
//! bodies are whole or read from memory or disk.

use agora_app::platform::errors::RequestErrors;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

const UPLOAD_FACTOR: u32 = 6;

#[derive(Clone, Copy)]
pub struct Deadline(pub Duration);

pub async fn enforce(State(Deadline(limit)): State<Deadline>, req: Request, next: Next) -> Response {
    let id = req.extensions().get::<RequestErrors>().map(|s| s.id().to_string()).unwrap_or_default();
    let route = format!("{} {}", req.method(), req.uri().path());
    let whole_page = is_page(&req);
    // An upload's time is mostly the client sending the file.
    let limit = if req.uri().path().starts_with("/uploads/") { limit * UPLOAD_FACTOR } else { limit };
    let work = async move {
        let res = next.run(req).await;
        if !whole_page || !is_html(&res) {
            return Ok(res);
        }
        let (parts, body) = res.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX).await?;
        Ok::<_, axum::Error>(Response::from_parts(parts, Body::from(bytes)))
    };
    match tokio::time::timeout(limit, work).await {
        Ok(Ok(res)) => res,
        Ok(Err(e)) => {
            tracing::error!(request_id = %id, %route, error = %e, "the response body failed");
            overrun(&id, StatusCode::INTERNAL_SERVER_ERROR)
        }
        Err(_) => {
            tracing::error!(request_id = %id, %route, deadline_ms = limit.as_millis() as u64, "request deadline exceeded");
            overrun(&id, StatusCode::SERVICE_UNAVAILABLE)
        }
    }
}

/// A GET or HEAD of a page: everything that is not a server function, a file or a health probe.
fn is_page(req: &Request) -> bool {
    let path = req.uri().path();
    matches!(*req.method(), Method::GET | Method::HEAD)
        && !["/api/", "/pkg/", "/media/", "/documents/", "/proofs/", "/evidence/"].iter().any(|p| path.starts_with(p))
}

fn is_html(res: &Response) -> bool {
    res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"))
}

/// A short page in both languages: the visitor's language is not known without the render that failed.
fn overrun(request_id: &str, status: StatusCode) -> Response {
    let id = plain(request_id);
    let body = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Agora</title></head><body>\
         <h1>This page could not be prepared in time. Please try again.</h1>\
         <p lang=\"zh\">页面未能及时生成，请稍后重试。</p>\
         <p>Reference / 参考编号: <code data-testid=\"error-reference\">{id}</code></p></body></html>"
    );
    let mut res = (status, body).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    res
}

/// Request ids are hex or a proxy's sane id; only the characters such ids use reach the page.
fn plain(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_' || *c == '.').collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::request_id;
    use agora_app::platform::errors::REQUEST_ID_HEADER;
    use axum::body::Bytes;
    use axum::middleware::{from_fn, from_fn_with_state};
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt;

    const LIMIT: Duration = Duration::from_millis(300);

    fn html(body: Body) -> Response {
        let mut res = Response::new(body);
        res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        res
    }

    /// A streamed page whose second chunk never comes: what a stalled render looks like from here.
    fn stalled_page() -> Response {
        let first = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"<html><body>"))]);
        html(Body::from_stream(futures_util::StreamExt::chain(first, futures_util::stream::pending())))
    }

    fn streamed_page() -> Response {
        let chunks =
            ["<html><body>", "<p>whole</p>", "</body></html>"].map(|c| Ok::<_, std::io::Error>(Bytes::from(c)));
        html(Body::from_stream(futures_util::stream::iter(chunks)))
    }

    fn app() -> Router {
        Router::new()
            .route("/stalled", get(|| async { stalled_page() }))
            .route("/streamed", get(|| async { streamed_page() }))
            .route("/api/never", get(std::future::pending::<&'static str>))
            .layer(from_fn_with_state(Deadline(LIMIT), enforce))
            .layer(from_fn(request_id::request_id))
    }

    async fn get_path(path: &str) -> (StatusCode, String, String) {
        let res = app().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
        let id = res.headers().get(REQUEST_ID_HEADER).unwrap().to_str().unwrap().to_string();
        let status = res.status();
        let body =
            String::from_utf8(axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap().to_vec()).unwrap();
        (status, id, body)
    }

    #[tokio::test]
    async fn a_page_that_never_finishes_answers_503_with_its_request_id() {
        let (status, id, body) = get_path("/stalled").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(body.contains(&format!(">{id}</code>")), "{body}");
        assert!(!body.contains("<html><body><html>"), "the stalled page's first chunk must not leak into the answer");
    }

    #[tokio::test]
    async fn a_page_that_finishes_in_time_is_sent_whole() {
        let (status, _, body) = get_path("/streamed").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, "<html><body><p>whole</p></body></html>");
    }

    #[tokio::test]
    async fn a_server_function_that_never_answers_gets_503_too() {
        let (status, id, body) = get_path("/api/never").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(body.contains(&id));
    }

    #[test]
    fn only_plain_id_characters_reach_the_page() {
        assert_eq!(plain("ab12-<script>"), "ab12-script");
    }
}
