//! Responses: a file from memory (negotiated form, ETag, 304, HEAD), the disk in development, and the
//! 503 page shown instead of a page that cannot render.

use super::negotiate::{choose, none_match_hits, Encoding};
use super::store::Asset;
use super::{Site, IMMUTABLE};
use agora_app::platform::errors::RequestErrors;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use tower::ServiceExt;
use tower_http::compression::predicate::Predicate;
use tower_http::services::ServeDir;

/// Marks a response whose encoding is already decided (a stored form, or identity for a file that
/// does not shrink), so that the global compression leaves it alone.
#[derive(Debug, Clone, Copy)]
struct Final;

/// The global CompressionLayer's extra condition: not a response this module already encoded.
/// (The layer skips responses with a Content-Encoding anyway; this also covers identity answers
/// that were chosen on purpose.)
#[derive(Debug, Clone, Copy, Default)]
pub struct NotPrecompressed;

impl Predicate for NotPrecompressed {
    fn should_compress<B: axum::body::HttpBody>(&self, response: &http::Response<B>) -> bool {
        response.extensions().get::<Final>().is_none()
    }
}

/// Marks `res` as encoded already (its form chosen, or identity on purpose): the global compression
/// leaves it alone. For answers made elsewhere from a stored form (http/page_cache).
pub fn mark_encoded(res: &mut Response) {
    res.extensions_mut().insert(Final);
}

const VARY: HeaderValue = HeaderValue::from_static("accept-encoding");

/// GET /pkg/{*file}: from memory; otherwise from disk in development (cargo leptos watch writes new
/// files without restarting the server), or 404 without touching the disk.
pub async fn serve_pkg(State(site): State<Arc<Site>>, req: Request) -> Response {
    let file = req.uri().path().strip_prefix("/pkg/").unwrap_or_default();
    if let Some(asset) = site.pkg.get(file) {
        return respond(asset, req.method(), req.headers())
            .unwrap_or_else(|| StatusCode::METHOD_NOT_ALLOWED.into_response());
    }
    if !site.pkg_from_disk {
        return StatusCode::NOT_FOUND.into_response();
    }
    from_disk(&site, req).await
}

async fn from_disk(site: &Site, req: Request) -> Response {
    let (mut parts, body) = req.into_parts();
    let rest = parts.uri.path().strip_prefix("/pkg").unwrap_or("/").to_string();
    parts.uri = Uri::try_from(rest).unwrap_or_else(|_| Uri::from_static("/"));
    let dir = ServeDir::new(&site.pkg_dir).precompressed_br().precompressed_gzip();
    let Ok(res) = dir.oneshot(Request::from_parts(parts, body)).await;
    let mut res = res.map(Body::new);
    if res.status().is_success() {
        // Unhashed names (hash_files off) change content in place: revalidate every time.
        let cache = if site.hashed { IMMUTABLE } else { "no-cache" };
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    res
}

/// The response for `asset`, or `None` for a method other than GET and HEAD.
pub(super) fn respond(asset: &Asset, method: &Method, headers: &HeaderMap) -> Option<Response> {
    if method != Method::GET && method != Method::HEAD {
        return None;
    }
    let forms = asset.forms.get();
    let accept = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok());
    let (encoding, bytes): (Encoding, &Bytes) = match forms {
        None => (Encoding::Identity, &asset.identity),
        Some(f) => match (choose(accept, f.gzip.is_some(), f.brotli.is_some()), &f.gzip, &f.brotli) {
            (Encoding::Brotli, _, Some(br)) => (Encoding::Brotli, br),
            (Encoding::Gzip, Some(gz), _) => (Encoding::Gzip, gz),
            _ => (Encoding::Identity, &asset.identity),
        },
    };
    // Until the forms are known the global layer may still compress this response: a weak ETag then.
    let etag = if forms.is_some() { asset.etag(encoding).to_string() } else { format!("W/{}", asset.etag(encoding)) };
    let mut res = Response::new(Body::empty());
    let h = res.headers_mut();
    h.insert(header::ETAG, HeaderValue::from_str(&etag).ok()?);
    h.insert(header::CACHE_CONTROL, asset.cache_control.clone());
    h.insert(header::VARY, VARY);
    let tags: Vec<&str> = asset.etags.iter().map(String::as_str).collect();
    let not_modified =
        headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|v| none_match_hits(v, &tags));
    if not_modified {
        *res.status_mut() = StatusCode::NOT_MODIFIED;
        res.extensions_mut().insert(Final);
        return Some(res);
    }
    h.insert(header::CONTENT_TYPE, asset.content_type.clone());
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    if let Some(coding) = encoding.header() {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    if forms.is_some() {
        res.extensions_mut().insert(Final);
    }
    if method == Method::GET {
        *res.body_mut() = Body::from(bytes.clone());
    }
    Some(res)
}

/// 503 with the request id, for a page that cannot be rendered (see `pages_need_the_hash_file`).
pub(super) fn unavailable_page(req: &Request, reason: &str) -> Response {
    let id = req.extensions().get::<RequestErrors>().map(|e| e.id().to_string()).unwrap_or_default();
    tracing::error!(request_id = %id, path = %req.uri().path(), reason, "page not rendered: the server is not ready");
    let html = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>503</title></head><body>\
         <h1>Agora is not available right now</h1><p>暂时无法访问，请稍后再试。</p>\
         <p>Reference / 参考编号: <code>{id}</code></p></body></html>"
    );
    let mut res = (StatusCode::SERVICE_UNAVAILABLE, axum::response::Html(html)).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
    res
}
