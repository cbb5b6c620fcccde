//! `/metrics` in Prometheus text format: request counts and latency by route class and status class,
//! plus gauges read from the database at scrape time.

use agora_app::platform::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS_S: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];
const CLASSES: [&str; 4] = ["api", "page", "asset", "probe"];
const STATUSES: [&str; 5] = ["1xx", "2xx", "3xx", "4xx", "5xx"];

pub struct Metrics {
    requests: [[AtomicU64; 5]; 4],
    buckets: [[AtomicU64; BUCKETS_S.len()]; 4],
    sum_us: [AtomicU64; 4],
    /// Grid pages answered from the page cache, and rendered for it (http/page_cache).
    page_cache: [AtomicU64; 2],
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            requests: std::array::from_fn(|_| std::array::from_fn(|_| AtomicU64::new(0))),
            buckets: std::array::from_fn(|_| std::array::from_fn(|_| AtomicU64::new(0))),
            sum_us: std::array::from_fn(|_| AtomicU64::new(0)),
            page_cache: std::array::from_fn(|_| AtomicU64::new(0)),
        }
    }
}

pub static METRICS: std::sync::LazyLock<Metrics> = std::sync::LazyLock::new(Metrics::default);

fn class_of(path: &str) -> usize {
    if path.starts_with("/api/") {
        0
    } else if path.starts_with("/pkg/") || path.contains('.') {
        2
    } else if matches!(path, "/healthz" | "/readyz" | "/metrics") {
        3
    } else {
        1
    }
}

/// Counts one answer of the page cache: kept (`hit`) or rendered and kept (`miss`).
pub fn page_cache_answer(hit: bool) {
    METRICS.page_cache[usize::from(!hit)].fetch_add(1, Ordering::Relaxed);
}

pub async fn record(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let class = class_of(req.uri().path());
    let started = Instant::now();
    let res = next.run(req).await;
    let elapsed = started.elapsed();
    let status = (res.status().as_u16() / 100).clamp(1, 5) as usize - 1;
    // Pages and server functions feed the alert rules on latency and server errors.
    if class <= 1 {
        let ms = elapsed.as_millis() as u64;
        agora_app::platform::request_window::RECENT.record(state.now_ms(), ms, status == 4);
    }
    let m = &*METRICS;
    m.requests[class][status].fetch_add(1, Ordering::Relaxed);
    m.sum_us[class].fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
    let secs = elapsed.as_secs_f64();
    for (i, bound) in BUCKETS_S.iter().enumerate() {
        if secs <= *bound {
            m.buckets[class][i].fetch_add(1, Ordering::Relaxed);
        }
    }
    res
}

pub async fn scrape(State(state): State<AppState>) -> Response {
    let m = &*METRICS;
    let mut out = String::new();
    out.push_str("# HELP agora_http_requests_total HTTP requests by route class and status class.\n");
    out.push_str("# TYPE agora_http_requests_total counter\n");
    for (c, class) in CLASSES.iter().enumerate() {
        for (s, status) in STATUSES.iter().enumerate() {
            let n = m.requests[c][s].load(Ordering::Relaxed);
            out.push_str(&format!("agora_http_requests_total{{class=\"{class}\",status=\"{status}\"}} {n}\n"));
        }
    }
    out.push_str("# HELP agora_http_request_duration_seconds Request latency by route class.\n");
    out.push_str("# TYPE agora_http_request_duration_seconds histogram\n");
    for (c, class) in CLASSES.iter().enumerate() {
        let total: u64 = m.requests[c].iter().map(|a| a.load(Ordering::Relaxed)).sum();
        for (i, bound) in BUCKETS_S.iter().enumerate() {
            let n = m.buckets[c][i].load(Ordering::Relaxed);
            out.push_str(&format!(
                "agora_http_request_duration_seconds_bucket{{class=\"{class}\",le=\"{bound}\"}} {n}\n"
            ));
        }
        out.push_str(&format!("agora_http_request_duration_seconds_bucket{{class=\"{class}\",le=\"+Inf\"}} {total}\n"));
        let sum = m.sum_us[c].load(Ordering::Relaxed) as f64 / 1e6;
        out.push_str(&format!("agora_http_request_duration_seconds_sum{{class=\"{class}\"}} {sum}\n"));
        out.push_str(&format!("agora_http_request_duration_seconds_count{{class=\"{class}\"}} {total}\n"));
    }
    out.push_str(
        "# HELP agora_page_cache_answers_total Grid pages of anonymous visitors: kept (hit) or rendered (miss).\n",
    );
    out.push_str("# TYPE agora_page_cache_answers_total counter\n");
    for (i, result) in ["hit", "miss"].iter().enumerate() {
        let n = m.page_cache[i].load(Ordering::Relaxed);
        out.push_str(&format!("agora_page_cache_answers_total{{result=\"{result}\"}} {n}\n"));
    }
    let gauges: [(&str, &str, &str); 5] = [
        ("agora_outbox_pending", "Outbox deliveries waiting.", "SELECT COUNT(*) FROM outbox WHERE status = 'pending'"),
        (
            "agora_outbox_failed",
            "Outbox deliveries refused for good (SMTP 5xx, HTTP 410).",
            "SELECT COUNT(*) FROM outbox WHERE status = 'failed'",
        ),
        (
            "agora_outbox_exhausted",
            "Outbox deliveries that exhausted their retries.",
            "SELECT COUNT(*) FROM outbox WHERE status = 'exhausted'",
        ),
        ("agora_users", "User accounts.", "SELECT COUNT(*) FROM users"),
        ("agora_sessions", "Stored sessions.", "SELECT COUNT(*) FROM sessions"),
    ];
    for (name, help, sql) in gauges {
        if let Ok(n) = sqlx::query_scalar::<_, i64>(sql).fetch_one(state.db.read()).await {
            out.push_str(&format!("# HELP {name} {help}\n# TYPE {name} gauge\n{name} {n}\n"));
        }
    }
    let ready = i64::from(state.db.is_ready().await);
    out.push_str(&format!(
        "# HELP agora_ready Database reachable and migrated.\n# TYPE agora_ready gauge\nagora_ready {ready}\n"
    ));
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response()
}
