//! Rate limits (issue 15): a limited request over its limit is answered 429 with `Retry-After`,
//! `RateLimit` and `RateLimit-Policy` and a message in the caller's language, and changes nothing; it
//! is allowed again when the wait is over; server processes on one database share the counts; the
//! limits are settings; an account is limited across addresses. The clock is moved, never waited on.

use crate::helpers::{field_error, Persona, TestApp, PASSWORD};
use agora_app::components::states::error_text;
use agora_app::domain::permissions::OperatorRole;
use agora_app::domain::rate_limit::WINDOW_MS;
use agora_app::error::AppError;
use agora_app::i18n::Lang;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
}

impl Answer {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    fn retry_after_s(&self) -> i64 {
        self.header("retry-after").parse().unwrap_or_else(|_| panic!("a Retry-After: {:?}", self.headers))
    }
}

async fn answer(req: reqwest::RequestBuilder) -> Answer {
    let res = req.send().await.unwrap();
    Answer { status: res.status(), headers: res.headers().clone(), text: res.text().await.unwrap() }
}

/// Moves `apps`' clocks to one second into a new counting window, so a test's requests (fast, all
/// within seconds) fall in one window.
fn start_of_a_window(apps: &[&TestApp]) {
    let now = apps[0].state.now_ms();
    let to_next = WINDOW_MS - now.rem_euclid(WINDOW_MS) + 1_000;
    for app in apps {
        app.advance(to_next);
    }
}

const ADDRESS: [(&str, &str); 6] = [
    ("recipient", "Li Wei"),
    ("phone", "+86 138 0000 0000"),
    ("line1", "88 Jianguo Road"),
    ("city", "Beijing"),
    ("postal_code", "100022"),
    ("country", "cn"),
];

async fn save_address(app: &TestApp, who: &Persona) -> Answer {
    answer(who.client.post(app.url("/api/save_address")).form(&ADDRESS)).await
}

/// `set_language`: a write anyone may make, signed in or not, that changes nothing shared.
async fn set_language(app: &TestApp, who: &reqwest::Client, forwarded_for: Option<&str>) -> Answer {
    let mut req = who.post(app.url("/api/set_language")).form(&[("lang", "en")]);
    if let Some(ip) = forwarded_for {
        req = req.header("x-forwarded-for", ip);
    }
    answer(req).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_over_its_limit_answers_429_with_when_to_retry_and_changes_nothing() {
    let app = TestApp::spawn_with(&[("AGORA_RATE_WRITE_PER_MINUTE", "3")]).await;
    let buyer = app.persona("buyer", &[]).await;
    start_of_a_window(&[&app]);
    for remaining in [2, 1, 0] {
        let a = save_address(&app, &buyer).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        assert_eq!(a.header("ratelimit-policy"), "\"write\";q=3;w=60");
        assert!(a.header("ratelimit").starts_with(&format!("\"write\";r={remaining};t=")), "{:?}", a.headers);
    }

    let refused = save_address(&app, &buyer).await;
    eprintln!("429 answer: {} {:?} {}", refused.status, refused.headers, refused.text);
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    let wait = refused.retry_after_s();
    assert!((1..=120).contains(&wait), "{wait}");
    assert_eq!(refused.header("ratelimit-policy"), "\"write\";q=3;w=60");
    assert_eq!(refused.header("ratelimit"), format!("\"write\";r=0;t={wait}"));
    assert_eq!(refused.header("cache-control"), "no-store");
    // The body is the error the app shows where the form shows errors, in the visitor's language.
    let error: AppError = serde_json::from_str(&refused.text).unwrap();
    assert_eq!(error, AppError::RateLimited { retry_after_s: wait });
    assert_eq!(error_text(Lang::En, &error), format!("Too many attempts. Try again in {wait} seconds."));
    assert_eq!(error_text(Lang::Zh, &error), format!("尝试次数过多，请在 {wait} 秒后重试。"));
    assert_eq!(app.count("SELECT COUNT(*) FROM addresses").await, 3, "the refused call saved nothing");

    // When the wait is over the call goes through (a second sooner it would not: the unit tests).
    app.advance(wait * 1000);
    let again = save_address(&app, &buyer).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert_eq!(app.count("SELECT COUNT(*) FROM addresses").await, 4);

    // Windows that no longer count are pruned as the minutes pass.
    app.advance(3 * WINDOW_MS);
    assert_eq!(save_address(&app, &buyer).await.status, StatusCode::OK);
    let window = app.state.now_ms() - app.state.now_ms().rem_euclid(WINDOW_MS);
    let old =
        app.count(&format!("SELECT COUNT(*) FROM rate_counters WHERE window_start < {}", window - WINDOW_MS)).await;
    assert_eq!(old, 0);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_search_page_over_its_limit_is_a_small_page_in_the_visitors_language() {
    let app = TestApp::spawn_with(&[("AGORA_RATE_SEARCH_PER_MINUTE", "2")]).await;
    start_of_a_window(&[&app]);
    let client = reqwest::Client::new();
    let search = |lang: &'static str| client.get(app.url("/search?q=tea")).header("accept-language", lang);
    for _ in 0..2 {
        let a = answer(search("en")).await;
        assert_eq!(a.status, StatusCode::OK);
        assert!(a.header("ratelimit").starts_with("\"search\";r="), "{:?}", a.headers);
    }
    let zh = answer(search("zh-CN,zh;q=0.9")).await;
    assert_eq!(zh.status, StatusCode::TOO_MANY_REQUESTS);
    let wait = zh.retry_after_s();
    assert!(zh.text.contains(&format!("尝试次数过多，请在 {wait} 秒后重试。")), "{}", zh.text);
    assert!(zh.text.contains("lang=\"zh\""), "{}", zh.text);
    let en = answer(search("en")).await;
    assert_eq!(en.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(en.text.contains("Too many attempts. Try again in"), "{}", en.text);
    assert_eq!(en.header("ratelimit-policy"), "\"search\";q=2;w=60");
    // Other pages are not counted.
    assert_eq!(answer(client.get(app.url("/"))).await.status, StatusCode::OK);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_processes_on_one_database_share_the_counts() {
    let limit = [("AGORA_RATE_WRITE_PER_MINUTE", "4")];
    let a = TestApp::spawn_with(&limit).await;
    let b = a.another_server(&limit).await;
    start_of_a_window(&[&a, &b]);
    let client = reqwest::Client::new();
    for app in [&a, &b, &a, &b] {
        assert_eq!(set_language(app, &client, None).await.status, StatusCode::OK);
    }
    // Four in all, two on each: the fifth is refused by either process.
    let refused = set_language(&b, &client, None).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.text);
    assert_eq!(set_language(&a, &client, None).await.status, StatusCode::TOO_MANY_REQUESTS);
    b.finish().await;
    a.finish().await;
}

async fn change_write_limit(app: &TestApp, tech: &Persona, value: &str) -> (StatusCode, serde_json::Value) {
    let form = [("key", "rate_write_per_minute"), ("value", value), ("reason", "a bot"), ("password", PASSWORD)];
    app.call(tech, "change_setting", &form).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_limit_changed_in_the_settings_centre_is_in_force_at_once() {
    let app = TestApp::spawn().await;
    let tech = app.persona("tech", &[OperatorRole::Tech]).await;
    start_of_a_window(&[&app]);
    let (status, body) = change_write_limit(&app, &tech, "0").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_error(&body).map(|(_, code)| code).as_deref(), Some("settings.problem.out_of_bounds"));
    assert_eq!(app.state.settings().rate_limits.write.per_minute, 600, "the default, unchanged");

    let (status, body) = change_write_limit(&app, &tech, "4").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // The two change_setting calls and two more writes from this address make four.
    let client = reqwest::Client::new();
    for _ in 0..2 {
        let a = set_language(&app, &client, None).await;
        assert_eq!((a.status, a.header("ratelimit-policy")), (StatusCode::OK, "\"write\";q=4;w=60"));
    }
    assert_eq!(set_language(&app, &client, None).await.status, StatusCode::TOO_MANY_REQUESTS);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_off_count_and_refuse_nothing() {
    let app = TestApp::spawn_with(&[("AGORA_RATE_LIMITS", "off"), ("AGORA_RATE_WRITE_PER_MINUTE", "1")]).await;
    let client = reqwest::Client::new();
    for _ in 0..3 {
        let a = set_language(&app, &client, None).await;
        assert_eq!(a.status, StatusCode::OK);
        assert_eq!(a.header("ratelimit"), "");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM rate_counters").await, 0);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_is_limited_across_addresses_and_an_address_across_accounts() {
    let app = TestApp::spawn_with(&[("AGORA_TRUST_FORWARDED_FOR", "true"), ("AGORA_RATE_WRITE_PER_MINUTE", "3")]).await;
    let buyer = app.persona("buyer", &[]).await;
    start_of_a_window(&[&app]);
    for ip in ["10.0.0.1", "10.0.0.2", "10.0.0.3"] {
        assert_eq!(set_language(&app, &buyer.client, Some(ip)).await.status, StatusCode::OK);
    }
    let refused = set_language(&app, &buyer.client, Some("10.0.0.4")).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "the account's fourth, from a fresh address");
    let anonymous = reqwest::Client::new();
    assert_eq!(set_language(&app, &anonymous, Some("10.0.0.4")).await.status, StatusCode::OK, "someone else there");

    for _ in 0..3 {
        assert_eq!(set_language(&app, &anonymous, Some("10.0.0.9")).await.status, StatusCode::OK);
    }
    let other = app.persona("other", &[]).await;
    assert_eq!(
        set_language(&app, &other.client, Some("10.0.0.9")).await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "a fresh account from a busy address"
    );
    app.finish().await;
}
