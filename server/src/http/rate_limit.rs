//! Rate limits (`domain::rate_limit`) at the edge: which class a request is, its count per IP address
//! and (signed in) per account, shared by every server process through the database
//! (`platform::rate_counters`), and the 429 answer with `Retry-After` and the IETF draft
//! `RateLimit`/`RateLimit-Policy` headers (also on the allowed answers of limited requests).
//!
//! Pages, assets and reads other than the search page are not limited and pay one match on the path.

use agora_app::components::states::error_text;
use agora_app::domain::rate_limit::{decide, tightest, Class, Decision, Limit};
use agora_app::error::AppError;
use agora_app::i18n::{translate, Lang};
use agora_app::platform::caller::{cookie_value, hash_token, request_meta_of, session_cookie_name};
use agora_app::platform::rate_counters::{count, ip_bucket, prune_if_due, user_bucket};
use agora_app::platform::state::AppState;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::AtomicI64;
use std::sync::Arc;

/// The limiter of one server process: the app's state and its own pruning mark.
pub struct Limiter {
    pub app: AppState,
    pruned_before: AtomicI64,
}

impl Limiter {
    pub fn new(app: AppState) -> Arc<Limiter> {
        Arc::new(Limiter { app, pruned_before: AtomicI64::new(i64::MIN) })
    }
}

/// Server functions that are not counted at all: the reads every page of the app makes as it loads
/// (who is signed in, the cart badge, the notification bell), so browsing never spends the write
/// allowance.
///
/// Every other server function counts as a write, reads included: leptos sends every server function
/// as a POST, and a list of the ~250 functions that only read would drift as functions are added,
/// while a write wrongly listed there would go unlimited. Counting a read costs one upsert; the
/// default (600 a minute) leaves room for any person's clicking.
const UNCOUNTED: [&str; 4] = ["whoami", "cart_count", "unread_notifications", "sign_in_providers"];

/// The class of a request, or `None` when it is not limited.
pub fn classify(method: &Method, path: &str) -> Option<Class> {
    if let Some(name) = path.strip_prefix("/api/") {
        return server_function_class(name);
    }
    if method == Method::GET {
        return matches!(path, "/search" | "/search/").then_some(Class::Search);
    }
    if method != Method::POST || path.starts_with("/__dev/") {
        return None;
    }
    // The other form POSTs (exports, one-click unsubscribe) change something or cost work: writes.
    Some(if path.starts_with("/uploads/") { Class::Upload } else { Class::Write })
}

fn server_function_class(name: &str) -> Option<Class> {
    Some(match name {
        "sign_in" | "sign_in_second_factor" | "sign_in_with_code" | "provider_start" | "provider_callback" => {
            Class::SignIn
        }
        "sign_up" => Class::SignUp,
        "forgot_password" | "request_sign_in_code" | "reset_password" => Class::PasswordReset,
        "storefront_search" => Class::Search,
        "checkout" => Class::Checkout,
        "report_target" => Class::Report,
        n if UNCOUNTED.contains(&n) => return None,
        _ => Class::Write,
    })
}

pub async fn enforce(State(limiter): State<Arc<Limiter>>, req: Request, next: Next) -> Response {
    let Some(class) = classify(req.method(), req.uri().path()) else { return next.run(req).await };
    let state = &limiter.app;
    let limits = state.settings().rate_limits;
    if !limits.enabled {
        return next.run(req).await;
    }
    let limit = limits.of(class);
    let (parts, body) = req.into_parts();
    let now = state.now_ms();
    let decision = match counted(state, &parts, class, limit, now).await {
        Ok(decision) => decision,
        Err(e) => {
            // The limits guard the service; a database hiccup here must not refuse every request.
            tracing::warn!(error = %e, class = class.as_str(), "rate limit not counted");
            return next.run(Request::from_parts(parts, body)).await;
        }
    };
    if let Err(e) = prune_if_due(state, &limiter.pruned_before, now).await {
        tracing::warn!(error = %e, "old rate limit windows not pruned");
    }
    match decision {
        Decision::Allowed { .. } => {
            let mut res = next.run(Request::from_parts(parts, body)).await;
            put_headers(res.headers_mut(), class, limit, decision);
            res
        }
        Decision::Refused { retry_after_s } => {
            let mut res = refusal(&parts, retry_after_s);
            put_headers(res.headers_mut(), class, limit, decision);
            res
        }
    }
}

/// Counts the request in its buckets and decides by the tightest of them.
async fn counted(
    state: &AppState,
    parts: &Parts,
    class: Class,
    limit: Limit,
    now: i64,
) -> Result<Decision, sqlx::Error> {
    let mut buckets = vec![ip_bucket(class.as_str(), &request_meta_of(state, parts).ip)];
    if let Some(user_id) = account_of(state, parts).await? {
        buckets.push(user_bucket(class.as_str(), user_id));
    }
    let counts = count(state, &buckets, now).await?;
    let decisions: Vec<Decision> = counts.into_iter().map(|c| decide(limit, c, now)).collect();
    Ok(tightest(&decisions).unwrap_or(Decision::Allowed { remaining: limit.per_minute, reset_s: 60 }))
}

/// The account whose session the request carries, by one look-up of the session id. Expiry is not
/// checked: a stale session still counts against its account, which is only stricter; the handler
/// decides whether it signs anyone in.
async fn account_of(state: &AppState, parts: &Parts) -> Result<Option<i64>, sqlx::Error> {
    let Some(token) = cookie_value(parts, session_cookie_name(state)) else { return Ok(None) };
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    sqlx::query_scalar("SELECT user_id FROM sessions WHERE id_hash = $1")
        .bind(hash_token(&token))
        .fetch_optional(state.db.read())
        .await
}

/// `RateLimit-Policy: "<class>";q=<limit>;w=60` and `RateLimit: "<class>";r=<remaining>;t=<seconds>`
/// (draft-ietf-httpapi-ratelimit-headers), and `Retry-After` on a refusal.
fn put_headers(headers: &mut HeaderMap, class: Class, limit: Limit, decision: Decision) {
    let window_s = agora_app::domain::rate_limit::WINDOW_MS / 1000;
    let name = class.as_str();
    let (remaining, reset_s) = match decision {
        Decision::Allowed { remaining, reset_s } => (remaining, reset_s),
        Decision::Refused { retry_after_s } => {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_s));
            (0, retry_after_s)
        }
    };
    let policy = format!("\"{name}\";q={};w={window_s}", limit.per_minute);
    let state = format!("\"{name}\";r={remaining};t={reset_s}");
    for (key, value) in [("ratelimit-policy", policy), ("ratelimit", state)] {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(key, v);
        }
    }
}

/// The refusal in the form the caller reads: a server function's error (the app shows it, translated,
/// where the form shows errors), an upload's `{field, code, message}`, or a small page.
fn refusal(parts: &Parts, retry_after_s: i64) -> Response {
    let error = AppError::RateLimited { retry_after_s };
    let lang = agora_app::auth::api::lang_of(parts);
    let path = parts.uri.path();
    let mut res = if path.starts_with("/api/") {
        let body = serde_json::to_string(&error).unwrap_or_default();
        (StatusCode::TOO_MANY_REQUESTS, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    } else if path.starts_with("/uploads/") {
        let body = serde_json::json!({
            "field": "",
            "code": error.message_key(),
            "message": error_text(lang, &error),
        });
        (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response()
    } else {
        (StatusCode::TOO_MANY_REQUESTS, axum::response::Html(refusal_page(lang, &error))).into_response()
    };
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The page a refused page request gets: plain HTML, no script, in the visitor's language.
fn refusal_page(lang: Lang, error: &AppError) -> String {
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    format!(
        "<!DOCTYPE html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>{message}</title></head>\
         <body style=\"font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#0f172a\">\
         <main><h1 data-testid=\"rate-limited\">{message}</h1><p><a href=\"/\">{home}</a></p></main></body></html>",
        code = lang.code(),
        message = escape(&error_text(lang, error)),
        home = escape(&translate(lang, "store.home")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_limited_request_has_its_class() {
        let post = |p: &str| classify(&Method::POST, p);
        assert_eq!(post("/api/sign_in"), Some(Class::SignIn));
        assert_eq!(post("/api/sign_in_second_factor"), Some(Class::SignIn));
        assert_eq!(post("/api/sign_up"), Some(Class::SignUp));
        assert_eq!(post("/api/forgot_password"), Some(Class::PasswordReset));
        assert_eq!(post("/api/request_sign_in_code"), Some(Class::PasswordReset));
        assert_eq!(post("/api/checkout"), Some(Class::Checkout));
        assert_eq!(post("/api/report_target"), Some(Class::Report));
        assert_eq!(post("/api/storefront_search"), Some(Class::Search));
        assert_eq!(post("/api/save_address"), Some(Class::Write));
        assert_eq!(post("/api/a_function_added_later"), Some(Class::Write), "unknown: a write");
        assert_eq!(post("/uploads/listing-image"), Some(Class::Upload));
        assert_eq!(post("/unsubscribe"), Some(Class::Write));
        assert_eq!(classify(&Method::GET, "/search"), Some(Class::Search));
        assert_eq!(classify(&Method::GET, "/api/provider_callback"), Some(Class::SignIn));
    }

    #[test]
    fn pages_assets_and_the_app_frames_reads_are_not_limited() {
        for path in ["/", "/p/42", "/c/tea", "/pkg/agora.wasm", "/healthz", "/console/settings", "/media/3"] {
            assert_eq!(classify(&Method::GET, path), None, "{path}");
        }
        for name in UNCOUNTED {
            assert_eq!(classify(&Method::POST, &format!("/api/{name}")), None, "{name}");
        }
        assert_eq!(classify(&Method::POST, "/__dev/clock/advance"), None);
    }

    #[test]
    fn the_headers_say_the_policy_and_what_is_left() {
        let mut h = HeaderMap::new();
        put_headers(&mut h, Class::Write, Limit { per_minute: 600 }, Decision::Allowed { remaining: 12, reset_s: 7 });
        assert_eq!(h["ratelimit-policy"], "\"write\";q=600;w=60");
        assert_eq!(h["ratelimit"], "\"write\";r=12;t=7");
        assert!(!h.contains_key(header::RETRY_AFTER));
        let mut h = HeaderMap::new();
        put_headers(&mut h, Class::SignIn, Limit { per_minute: 30 }, Decision::Refused { retry_after_s: 9 });
        assert_eq!(h[header::RETRY_AFTER], "9");
        assert_eq!(h["ratelimit"], "\"sign_in\";r=0;t=9");
    }
}

/// `bench/rate-limit-cost.sh`: what evaluating the limits costs a request, in process and in the
/// database. Timed here, never asserted.
#[cfg(test)]
mod cost {
    use super::*;
    use agora_app::domain::rate_limit::{Counts, Limits};
    use std::hint::black_box;
    use std::time::Instant;

    fn ns_per(rounds: u32, mut f: impl FnMut(u32)) -> f64 {
        let start = Instant::now();
        for i in 0..rounds {
            f(i);
        }
        start.elapsed().as_nanos() as f64 / f64::from(rounds)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "a benchmark: bench/rate-limit-cost.sh"]
    async fn rate_limit_cost_per_request() {
        let limits = Limits::DEFAULT;
        let rounds = 2_000_000;
        let page = ns_per(rounds, |_| {
            black_box(classify(black_box(&Method::GET), black_box("/p/42")));
        });
        let decided = ns_per(rounds, |i| {
            let class = classify(black_box(&Method::POST), black_box("/api/save_address")).unwrap();
            let counts = Counts { previous: i64::from(i % 500), current: i64::from(i % 700) };
            let now = 1_800_000_000_000 + i64::from(i) * 7;
            let ip = decide(limits.of(class), counts, now);
            let account = decide(limits.of(class), Counts { previous: 3, current: 4 }, now);
            black_box(tightest(&[ip, account]));
        });
        let headers = ns_per(rounds / 10, |i| {
            let mut h = HeaderMap::new();
            put_headers(
                &mut h,
                Class::Write,
                limits.write,
                Decision::Allowed { remaining: i64::from(i % 600), reset_s: 7 },
            );
            black_box(h);
        });
        println!(
            "rate limits in process: {page:.0} ns for an unlimited request (classify); {decided:.0} ns to classify and \
             decide a limited one (IP and account buckets); {headers:.0} ns for its two headers"
        );

        // The database part: one upsert per limited request, on a fresh SQLite file.
        let dir = tempfile::tempdir().unwrap();
        let env = [("AGORA_DATABASE_URL".to_string(), format!("sqlite://{}/agora.db", dir.path().display()))];
        let config = crate::config::Config::from_sources(None, &env).unwrap();
        let state = crate::startup::app_state(&config).await.unwrap();
        let now = state.now_ms();
        let n = 5_000u32;
        for (label, buckets) in [
            ("IP only (signed out)", vec![ip_bucket("write", "203.0.113.7")]),
            ("IP and account", vec![ip_bucket("write", "203.0.113.8"), user_bucket("write", 42)]),
        ] {
            let start = Instant::now();
            for i in 0..n {
                black_box(count(&state, &buckets, now + i64::from(i)).await.unwrap());
            }
            let us = start.elapsed().as_micros() as f64 / f64::from(n);
            println!("rate limits in the database (SQLite, one process, one at a time): {us:.1} µs per limited request, {label}");
        }
        state.db.close().await;
    }
}
