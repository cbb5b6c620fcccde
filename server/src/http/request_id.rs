//! One id per request: taken from `x-request-id` when the caller (a proxy) sent a sane one, made up
//! otherwise; it goes back in the response header, it is the reference a user quotes for an internal
//! error, and the causes recorded while serving the request (`platform::errors`) are logged once with
//! it, the method, the path and the status.

use agora_app::platform::errors::{self, RequestErrors, REQUEST_ID_HEADER};
use axum::body::{Body, Bytes, HttpBody as _};
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use futures_util::StreamExt;

pub async fn request_id(mut req: Request, next: Next) -> Response {
    let inbound = req.headers().get(REQUEST_ID_HEADER).and_then(|v| v.to_str().ok());
    let id = inbound.and_then(errors::sane_request_id).map(str::to_string).unwrap_or_else(errors::new_request_id);
    let slot = RequestErrors::new(id.clone());
    // Through the extensions the slot reaches the leptos context (`Parts`), where SSR resources find it.
    req.extensions_mut().insert(slot.clone());
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let mut res = errors::scope(slot.clone(), next.run(req)).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID_HEADER, v);
    }
    let report = Report { slot, method, path, status: res.status().as_u16() };
    if res.body().size_hint().exact().is_some() {
        // A whole body (server functions, plain handlers): everything has been recorded already.
        report.log();
        return res;
    }
    // A streamed body (SSR): resources still run while it streams; log when it ends or is dropped.
    let (parts, body) = res.into_parts();
    let mut report = Some(report);
    let end = futures_util::stream::poll_fn(move |_| -> std::task::Poll<Option<Result<Bytes, axum::Error>>> {
        if let Some(r) = report.take() {
            r.log();
        }
        std::task::Poll::Ready(None)
    });
    Response::from_parts(parts, Body::from_stream(body.into_data_stream().chain(end)))
}

/// Logs the request's causes when told to or, failing that, when dropped (a client that went away).
struct Report {
    slot: RequestErrors,
    method: String,
    path: String,
    status: u16,
}

impl Report {
    fn log(&self) {
        errors::log_failures(&self.slot, &self.method, &self.path, self.status);
    }
}

impl Drop for Report {
    fn drop(&mut self) {
        // `log_failures` empties the slot, so a report already logged logs nothing here.
        self.log();
    }
}
