//! The storefront's browsing pages as anonymous visitors get them, kept whole for a few seconds.
//!
//! A browsing page (`frame::islands::is_islands_page`: home, category, search, product, seller store)
//! asked for by a visitor with no session and no guest cart is the same for every such visitor in the
//! same language: the app's data cache (`platform::cache`) already spares the grids' queries, and this
//! spares the render and the compression too (together most of such a request's CPU, measured with
//! `perf`; bench/README.md "Page cache"). Signed-in visitors, guests with a cart, and pages with a
//! keyset cursor (one visitor's position) are rendered every time, as before.
//!
//! **Fresh as the data cache.** An entry is stamped with the catalog version read before the render
//! (`platform::cache::catalog_version`, one primary-key read per request), so any change to what
//! these pages show (a listing approved, edited or taken down, a variant repriced, a category renamed,
//! a seller suspended: triggers of migrations 0006 and 0013) shows on the next request in every
//! server process. What the version does not track on purpose (stock counts, which every checkout
//! changes) is bounded by `TTL_MS`, shorter than the data cache's; stock reaching zero does bump it.
//!
//! **What is kept.** Only a 200 HTML answer that sets no cookie, with its headers (minus the
//! per-response ones), its bytes and their gzip form, made once per entry; a HEAD, an error page or
//! a redirect is never kept. `MAX_ENTRIES` and `MAX_BYTES` bound the memory whatever the URLs asked
//! for (every search text and product is its own key): past either, the map is cleared.
//!
//! **The nonce.** Leptos writes a per-response nonce into the page's inline scripts; a kept page
//! repeats its nonce for its lifetime. Nothing enforces it today (no Content-Security-Policy is
//! sent); a CSP for these pages would have to allow their scripts by hash, as a CDN-cached page must.

use super::assets::{choose, mark_encoded, Encoding};
use super::cache_control::has_cookie;
use agora_app::platform::cache::{catalog_version, is_fresh};
use agora_app::platform::caller::session_cookie_name;
use agora_app::platform::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, RwLock};

/// How long a kept page may show stock counts the catalog version does not track.
pub const TTL_MS: i64 = 10_000;
const MAX_ENTRIES: usize = 2_000;
const MAX_BYTES: usize = 64 * 1024 * 1024;
/// A longer URL is not kept (a query string is the visitor's input).
const MAX_URL_BYTES: usize = 1_024;
/// The most a kept page may weigh. Every browsing page is far smaller (12-32 KB); a render that
/// overran it would be answered 500 rather than sent unkept (its body is read up to this limit).
const MAX_PAGE_BYTES: usize = 1024 * 1024;
/// Tells a test, a benchmark or an operator's curl whether the answer was kept (`hit`) or rendered.
pub const STATUS_HEADER: HeaderName = HeaderName::from_static("x-agora-page-cache");

/// Headers that belong to one response, not to the page.
const PER_RESPONSE: [HeaderName; 7] = [
    header::CONTENT_LENGTH,
    header::TRANSFER_ENCODING,
    header::CONTENT_ENCODING,
    header::DATE,
    header::VARY,
    header::CACHE_CONTROL,
    header::SET_COOKIE,
];

struct Page {
    version: i64,
    stored_at_ms: i64,
    headers: HeaderMap,
    identity: Bytes,
    gzip: Option<Bytes>,
}

impl Page {
    fn size(&self) -> usize {
        self.identity.len() + self.gzip.as_ref().map_or(0, Bytes::len)
    }

    fn respond(&self, accept_encoding: Option<&str>, hit: bool) -> Response {
        let (encoding, bytes) = match (choose(accept_encoding, self.gzip.is_some(), false), &self.gzip) {
            (Encoding::Gzip, Some(gz)) => (Encoding::Gzip, gz.clone()),
            _ => (Encoding::Identity, self.identity.clone()),
        };
        let mut res = Response::new(Body::from(bytes));
        let h = res.headers_mut();
        h.extend(self.headers.clone());
        if let Some(coding) = encoding.header() {
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        h.insert(STATUS_HEADER, HeaderValue::from_static(if hit { "hit" } else { "miss" }));
        super::metrics::page_cache_answer(hit);
        mark_encoded(&mut res);
        res
    }
}

#[derive(Default)]
struct Entries {
    pages: HashMap<String, Arc<Page>>,
    bytes: usize,
}

/// The kept pages of this process.
#[derive(Default)]
pub struct PageCache {
    entries: RwLock<Entries>,
    /// One render per missing key at a time: when a hot page expires or the catalog changes, the
    /// visitors asking for it meanwhile wait for that render instead of each rendering it.
    rendering: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

/// Removes a key's render gate when its render ends, finished or dropped (the visitor went away).
struct Rendering<'a> {
    cache: &'a PageCache,
    key: &'a str,
}

impl Drop for Rendering<'_> {
    fn drop(&mut self) {
        self.cache.rendering.lock().unwrap_or_else(|e| e.into_inner()).remove(self.key);
    }
}

impl PageCache {
    fn fresh(&self, key: &str, version: i64, now_ms: i64) -> Option<Arc<Page>> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let page = entries.pages.get(key)?;
        is_fresh(page.version, page.stored_at_ms, version, now_ms, TTL_MS).then(|| page.clone())
    }

    fn store(&self, key: String, page: Arc<Page>) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if let Some(old) = entries.pages.remove(&key) {
            entries.bytes -= old.size();
        }
        if entries.pages.len() >= MAX_ENTRIES || entries.bytes + page.size() > MAX_BYTES {
            entries.pages.clear();
            entries.bytes = 0;
        }
        entries.bytes += page.size();
        entries.pages.insert(key, page);
    }

    fn gate(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut rendering = self.rendering.lock().unwrap_or_else(|e| e.into_inner());
        rendering.entry(key.to_string()).or_default().clone()
    }

    #[cfg(test)]
    fn len(&self) -> (usize, usize) {
        let entries = self.entries.read().unwrap();
        (entries.pages.len(), entries.bytes)
    }
}

#[derive(Clone)]
pub struct PageCacheState {
    pub app: AppState,
    pub pages: Arc<PageCache>,
}

/// The URL a request's page is kept under (with its language: `key`), or `None` when its page is not
/// the same for everyone.
fn keepable_url<'a>(method: &Method, uri: &'a Uri, headers: &HeaderMap, private_cookies: [&str; 2]) -> Option<&'a str> {
    let url = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let keepable = *method == Method::GET
        && agora_app::frame::islands::is_islands_page(uri.path())
        && url.len() <= MAX_URL_BYTES
        && !uri.query().is_some_and(|q| q.split('&').any(|p| p.starts_with("cursor=")))
        && !private_cookies.iter().any(|c| has_cookie(headers, c));
    keepable.then_some(url)
}

/// A rendered answer worth keeping: 200, HTML, no cookie set, not already encoded.
fn keepable_response(res: &Response) -> bool {
    let h = res.headers();
    res.status() == StatusCode::OK
        && !h.contains_key(header::SET_COOKIE)
        && !h.contains_key(header::CONTENT_ENCODING)
        && h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"))
}

fn gzip(bytes: &[u8]) -> Option<Bytes> {
    let mut enc = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 3), flate2::Compression::default());
    enc.write_all(bytes).and_then(|_| enc.finish()).ok().filter(|gz| gz.len() < bytes.len()).map(Bytes::from)
}

pub async fn serve(State(state): State<PageCacheState>, req: Request, next: Next) -> Response {
    // While maintenance is announced every page carries the banner: rendered each time, so the
    // banner comes and goes with the setting, never with a kept page's age.
    if state.app.settings().maintenance.notice(state.app.now_ms()).is_some() {
        return next.run(req).await;
    }
    let private = [session_cookie_name(&state.app), agora_app::cart::service::guest_cookie_name(&state.app)];
    let Some(url) = keepable_url(req.method(), req.uri(), req.headers(), private).map(str::to_string) else {
        return next.run(req).await;
    };
    let (parts, body) = req.into_parts();
    let key = format!("{}|{url}", agora_app::auth::api::lang_of(&parts).code());
    // Read before the render: an entry can only be newer than its stamp, never older.
    let Ok(catalog) = catalog_version(&state.app.db).await else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    // A settings version (a flag, the announcement) changes every page too: both stamp the entry.
    let version = catalog + (state.app.live.revision() << 32);
    let now = state.app.now_ms();
    let accept = parts.headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).map(str::to_string);
    if let Some(page) = state.pages.fresh(&key, version, now) {
        return page.respond(accept.as_deref(), true);
    }
    let gate = state.pages.gate(&key);
    let _rendering = match gate.try_lock() {
        Ok(guard) => {
            // The render before this one may have kept the page since the look-up above.
            if let Some(page) = state.pages.fresh(&key, version, now) {
                return page.respond(accept.as_deref(), true);
            }
            Some((guard, Rendering { cache: &state.pages, key: &key }))
        }
        Err(_) => {
            // Another request is rendering this page: wait for it, then take what it kept. If it
            // kept nothing (an error page, a cookie set), render without waiting again.
            drop(gate.lock().await);
            if let Some(page) = state.pages.fresh(&key, version, now) {
                return page.respond(accept.as_deref(), true);
            }
            None
        }
    };
    let res = next.run(Request::from_parts(parts, body)).await;
    if !keepable_response(&res) {
        return res;
    }
    let (head, body) = res.into_parts();
    let identity = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(e) => {
            // Larger than any browsing page, or the render failed mid-stream: nothing complete to send.
            tracing::error!(error = %e, key, "a browsing page could not be read whole");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut headers = head.headers;
    for name in PER_RESPONSE {
        headers.remove(name);
    }
    let page = Arc::new(Page { version, stored_at_ms: now, headers, gzip: gzip(&identity), identity });
    state.pages.store(key.clone(), page.clone());
    page.respond(accept.as_deref(), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRIVATE: [&str; 2] = ["agora_session", "agora_cart"];

    fn key(method: Method, url: &str, cookie: Option<&str>) -> Option<String> {
        let mut headers = HeaderMap::new();
        if let Some(c) = cookie {
            headers.insert(header::COOKIE, HeaderValue::from_str(c).unwrap());
        }
        let uri = url.parse::<Uri>().unwrap();
        keepable_url(&method, &uri, &headers, PRIVATE).map(|url| format!("en|{url}"))
    }

    #[test]
    fn browsing_pages_of_anonymous_visitors_are_kept_per_language_and_url() {
        assert_eq!(key(Method::GET, "/", None).as_deref(), Some("en|/"));
        assert_eq!(
            key(Method::GET, "/search?q=mug&sort=price_asc", None).as_deref(),
            Some("en|/search?q=mug&sort=price_asc")
        );
        assert_eq!(key(Method::GET, "/c/tea", Some("agora_lang=zh; theme=dark")).as_deref(), Some("en|/c/tea"));
        for page in ["/p/7", "/s/5"] {
            assert!(key(Method::GET, page, None).is_some(), "{page}");
        }
    }

    #[test]
    fn signed_in_visitors_guests_with_a_cart_cursors_and_other_pages_are_rendered() {
        assert_eq!(key(Method::GET, "/", Some("agora_session=abc")), None);
        assert_eq!(key(Method::GET, "/", Some("agora_lang=en; agora_cart=00ff")), None);
        assert_eq!(key(Method::GET, "/search?q=mug&cursor=1.2", None), None);
        assert_eq!(key(Method::HEAD, "/", None), None);
        assert_eq!(key(Method::POST, "/", None), None);
        for page in ["/c/", "/c/tea/x", "/p/7/x", "/cart", "/console", "/seller", "/signin", "/api/storefront_home"] {
            assert_eq!(key(Method::GET, page, None), None, "{page}");
        }
        let long = format!("/search?q={}", "a".repeat(MAX_URL_BYTES));
        assert_eq!(key(Method::GET, &long, None), None);
    }

    fn page(version: i64, at: i64, size: usize) -> Arc<Page> {
        Arc::new(Page {
            version,
            stored_at_ms: at,
            headers: HeaderMap::new(),
            identity: Bytes::from(vec![b'x'; size]),
            gzip: None,
        })
    }

    #[test]
    fn an_entry_serves_until_the_catalog_changes_or_its_ttl_passes() {
        let cache = PageCache::default();
        cache.store("en|/".into(), page(3, 1_000, 10));
        assert!(cache.fresh("en|/", 3, 1_000 + TTL_MS - 1).is_some());
        assert!(cache.fresh("en|/", 3, 1_000 + TTL_MS).is_none());
        assert!(cache.fresh("en|/", 4, 1_000).is_none());
        assert!(cache.fresh("zh|/", 3, 1_000).is_none());
    }

    #[test]
    fn no_url_can_grow_the_cache_past_its_bounds() {
        let cache = PageCache::default();
        for i in 0..MAX_ENTRIES + 10 {
            cache.store(format!("en|/search?q={i}"), page(1, 0, 100));
        }
        assert!(cache.len().0 <= MAX_ENTRIES);
        cache.store("en|/a".into(), page(1, 0, MAX_BYTES / 2));
        cache.store("en|/a".into(), page(1, 0, MAX_BYTES / 2));
        cache.store("en|/b".into(), page(1, 0, MAX_BYTES / 2 + 1));
        let (entries, bytes) = cache.len();
        assert!(bytes <= MAX_BYTES, "{entries} entries, {bytes} bytes");
    }

    #[test]
    fn only_a_whole_html_answer_that_sets_no_cookie_is_kept() {
        let html = |status: StatusCode, extra: Option<(HeaderName, &'static str)>| {
            let mut res = Response::new(Body::empty());
            *res.status_mut() = status;
            res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
            if let Some((name, value)) = extra {
                res.headers_mut().insert(name, HeaderValue::from_static(value));
            }
            res
        };
        assert!(keepable_response(&html(StatusCode::OK, None)));
        assert!(!keepable_response(&html(StatusCode::NOT_FOUND, None)));
        assert!(!keepable_response(&html(StatusCode::SEE_OTHER, None)));
        assert!(!keepable_response(&html(StatusCode::OK, Some((header::SET_COOKIE, "a=b")))));
        assert!(!keepable_response(&html(StatusCode::OK, Some((header::CONTENT_ENCODING, "gzip")))));
        assert!(!keepable_response(&html(StatusCode::OK, Some((header::CONTENT_TYPE, "application/json")))));
    }
}
