//! Adds the security headers of `AppState::http` (decided by `Config::http_facts`) to every response
//! that does not set them itself. Launch readiness reads the same list, so it reports what is served.

use agora_app::platform::state::HttpFacts;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

pub async fn apply(State(facts): State<Arc<HttpFacts>>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    for (name, value) in &facts.security_headers {
        let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) else {
            continue;
        };
        headers.entry(name).or_insert(value);
    }
    res
}
