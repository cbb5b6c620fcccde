//! `Cache-Control` for pages and server functions, decided in one place.
//!
//! - A storefront page (`/`, `/c/..`, `/p/..`, `/s/..`, `/search`) answered with success to a visitor
//!   without a session cookie is the same for every such visitor: browsers and a CDN may keep it for
//!   30 s (`PUBLIC`; short: a listing just taken down may show that long) and serve it stale for
//!   another minute while they refetch. `Vary: Cookie` keeps a shared cache
//!   from handing that copy to someone signed in (or with another language cookie).
//! - Everything else that is not a static file or a media file (console, seller center, cart,
//!   account pages, server functions, error pages) and every response that sets a cookie is
//!   `private, no-store`: it may hold one person's data, or a cookie that must not be replayed from a
//!   cache. A response that already says how to cache it (health, hashed assets) keeps its header.
//!
//! Leptos and axum set no `Cache-Control` on pages; the compression layer adds `Vary: Accept-Encoding`,
//! to which `Cookie` is appended.

use agora_app::platform::caller::session_cookie_name;
use agora_app::platform::state::AppState;
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, COOKIE, SET_COOKIE, VARY};
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

pub const PUBLIC: &str = "public, max-age=30, stale-while-revalidate=60";
pub const PRIVATE: &str = "private, no-store";

#[derive(Debug, PartialEq, Eq)]
enum Kind {
    /// A storefront page: public for anonymous visitors.
    Storefront,
    /// Files whose routes say how to cache them (`/pkg` is immutable, media by id).
    File,
    /// Anything else: private.
    Other,
}

fn kind(path: &str) -> Kind {
    if path == "/" || path == "/search" || ["/c/", "/p/", "/s/"].iter().any(|p| path.starts_with(p)) {
        Kind::Storefront
    } else if ["/pkg/", "/media/"].iter().any(|p| path.starts_with(p)) || path == "/favicon.svg" {
        Kind::File
    } else {
        Kind::Other
    }
}

/// Whether the request carries a cookie called `name` (with any value).
pub(crate) fn has_cookie(headers: &HeaderMap, name: &str) -> bool {
    headers.get_all(COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).any(|pair| {
        let key = pair.split('=').next().unwrap_or("").trim();
        key == name
    })
}

pub async fn cache_control(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let kind = kind(req.uri().path());
    let read = matches!(*req.method(), Method::GET | Method::HEAD);
    let signed_in = has_cookie(req.headers(), session_cookie_name(&state));
    let mut res = next.run(req).await;
    let sets_cookie = res.headers().contains_key(SET_COOKIE);
    let success = res.status().is_success();
    let headers = res.headers_mut();
    let value = match kind {
        _ if sets_cookie => PRIVATE,
        Kind::File => return res,
        Kind::Storefront if read && !signed_in && success => PUBLIC,
        Kind::Storefront => PRIVATE,
        Kind::Other if headers.contains_key(CACHE_CONTROL) => return res,
        Kind::Other => PRIVATE,
    };
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(value));
    if kind == Kind::Storefront {
        headers.append(VARY, HeaderValue::from_static("cookie"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storefront_paths_are_told_apart_from_the_rest() {
        for p in ["/", "/search", "/c/tea", "/p/7000000001", "/s/5"] {
            assert_eq!(kind(p), Kind::Storefront, "{p}");
        }
        for p in ["/console", "/console/users", "/seller", "/cart", "/signin", "/api/storefront_home", "/cart/x"] {
            assert_eq!(kind(p), Kind::Other, "{p}");
        }
        assert_eq!(kind("/pkg/agora.css"), Kind::File);
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(COOKIE, HeaderValue::from_static("agora_lang=zh; agora_session=abc"));
        assert!(has_cookie(&h, "agora_session"));
        assert!(!has_cookie(&h, "agora_sess"));
        assert!(has_cookie(&h, "agora_lang"));
    }
}
