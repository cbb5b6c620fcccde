//! Where the cause of an internal error goes (this file knows nothing of `AppError`: `error.rs` uses
//! it, not the other way round). The user sees `AppError::Internal { reference }` and
//! nothing else; the cause (SQL text, I/O, a corrupt row), the code location and "while doing what" are
//! recorded here for the current request and logged ONCE, by the server's request-id middleware, after
//! the response, next to the request id, method, path and status.
//!
//! The current request is found two ways, because work for one request runs in two kinds of places:
//! - a tokio task-local set by the middleware around the handler (plain axum handlers and server
//!   functions run inside it);
//! - the request's `http::request::Parts` in the leptos context (SSR renders run resources on other
//!   tasks, outside the task-local; they keep their reactive owner, whose context holds the `Parts`
//!   and so the `RequestErrors` extension the middleware put on the request).
//!
//! Without a request (workers, timers, the CLI) the cause is logged at once under a fresh reference.

use std::future::Future;
use std::panic::Location;
use std::sync::{Arc, Mutex};

/// The header a request id comes in and goes out with.
pub const REQUEST_ID_HEADER: &str = "x-request-id";
/// Longer inbound ids are replaced: they end up in logs and on screen.
const MAX_REQUEST_ID_LEN: usize = 64;

/// One recorded failure: what failed, where (the `?` or the call), and what the code was doing.
#[derive(Debug, Clone)]
pub struct Cause {
    pub error: String,
    pub location: &'static Location<'static>,
    pub doing: Vec<String>,
}

impl Cause {
    /// One line: `error at file:line while a, while b`.
    pub fn line(&self) -> String {
        let mut s = format!("{} at {}:{}", self.error, self.location.file(), self.location.line());
        for d in &self.doing {
            s.push_str(" while ");
            s.push_str(d);
        }
        s
    }
}

/// The per-request slot: the request id and the causes recorded while serving it. Cloning shares the
/// slot (the middleware keeps one clone, the request extensions carry another).
#[derive(Debug, Clone)]
pub struct RequestErrors {
    id: String,
    causes: Arc<Mutex<Vec<Cause>>>,
}

impl RequestErrors {
    pub fn new(id: String) -> RequestErrors {
        RequestErrors { id, causes: Arc::default() }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn record(&self, cause: Cause) {
        self.lock().push(cause);
    }

    /// Adds "while doing what" to the latest cause (the one the error being returned carries).
    fn add_doing(&self, what: &str) {
        if let Some(last) = self.lock().last_mut() {
            last.doing.push(what.to_string());
        }
    }

    /// Empties the slot: whoever takes the causes logs them, so they are logged once.
    pub fn take(&self) -> Vec<Cause> {
        std::mem::take(&mut *self.lock())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Cause>> {
        // A panic while holding this lock loses nothing worth refusing the next request for.
        self.causes.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

tokio::task_local! {
    static CURRENT: RequestErrors;
}

/// Runs `f` with `errors` as the current request's slot.
pub async fn scope<F: Future>(errors: RequestErrors, f: F) -> F::Output {
    CURRENT.scope(errors, f).await
}

/// The slot of the request being served, if any.
pub fn current() -> Option<RequestErrors> {
    CURRENT.try_with(Clone::clone).ok().or_else(|| {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<RequestErrors>().cloned())
    })
}

/// A fresh request id: 16 hex digits, short enough to read out over the phone.
pub fn new_request_id() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// An inbound `x-request-id` is kept when it is short and plain (it is logged and shown to users).
pub fn sane_request_id(value: &str) -> Option<&str> {
    let ok = !value.is_empty()
        && value.len() <= MAX_REQUEST_ID_LEN
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    ok.then_some(value)
}

/// Records `error` for the current request and returns the reference the user will see. Without a
/// request the cause is logged now.
pub fn record(error: String, doing: Option<&str>, location: &'static Location<'static>) -> String {
    let cause = Cause { error, location, doing: doing.map(|d| vec![d.to_string()]).unwrap_or_default() };
    match current() {
        Some(slot) => {
            slot.record(cause);
            slot.id().to_string()
        }
        None => {
            let reference = new_request_id();
            tracing::error!(reference = %reference, cause = %cause.line(), "internal error");
            reference
        }
    }
}

/// Adds "while doing what" to the cause behind `reference`.
pub fn add_doing(reference: &str, what: &str) {
    match current() {
        Some(slot) if slot.id() == reference => slot.add_doing(what),
        _ => tracing::error!(reference = %reference, "internal error while {what}"),
    }
}

/// Logs the causes recorded for a finished request, once; returns how many there were.
pub fn log_failures(errors: &RequestErrors, method: &str, path: &str, status: u16) -> usize {
    let causes = errors.take();
    if !causes.is_empty() {
        let joined = causes.iter().map(Cause::line).collect::<Vec<_>>().join("; ");
        tracing::error!(request_id = %errors.id(), method, path, status, cause = %joined, "request failed");
    }
    causes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_kept_only_when_short_and_plain() {
        assert_eq!(sane_request_id("abc-123_x.y:z"), Some("abc-123_x.y:z"));
        assert_eq!(sane_request_id(""), None);
        assert_eq!(sane_request_id("a b"), None);
        assert_eq!(sane_request_id("<script>"), None);
        assert_eq!(sane_request_id(&"a".repeat(65)), None);
        assert!(sane_request_id(&new_request_id()).is_some());
    }

    #[tokio::test]
    async fn causes_are_recorded_for_the_request_and_logged_once() {
        let slot = RequestErrors::new("req-1".into());
        let reference = scope(slot.clone(), async {
            let r = record("disk full".into(), Some("storing an upload"), Location::caller());
            add_doing(&r, "accepting a payment proof");
            r
        })
        .await;
        assert_eq!(reference, "req-1");
        let causes = slot.take();
        assert_eq!(causes.len(), 1);
        let line = causes[0].line();
        assert!(line.starts_with("disk full at "), "{line}");
        assert!(line.ends_with("while storing an upload while accepting a payment proof"), "{line}");
        slot.record(causes[0].clone());
        assert_eq!(log_failures(&slot, "POST", "/api/x", 500), 1);
        assert_eq!(log_failures(&slot, "POST", "/api/x", 500), 0, "logged once");
    }

    #[test]
    fn without_a_request_a_fresh_reference_is_returned() {
        let r = record("a corrupt row".into(), None, Location::caller());
        assert_eq!(r.len(), 16);
    }
}
