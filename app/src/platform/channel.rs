//! What a delivery channel sees and answers: the claimed outbox row, the outcome of one attempt, the
//! `Deliver` trait. Apart from `outbox.rs` (which registers the channels) so that a channel's file
//! never imports the file that imports it.

use super::state::AppState;
use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A claimed row, handed to its channel.
#[derive(Debug, Clone)]
pub struct OutboxMessage {
    pub id: i64,
    pub event_type: String,
    pub channel: String,
    pub recipient_user_id: Option<i64>,
    pub recipient_address: Option<String>,
    pub endpoint_id: Option<i64>,
    pub payload_json: String,
    /// Attempts made before this one.
    pub attempts: i64,
    pub created_at: i64,
}

/// What the other side said to one attempt (for the attempts log).
#[derive(Debug, Clone, Default)]
pub struct Attempt {
    /// The HTTP status or SMTP reply code; `None` when nothing answered.
    pub status_code: Option<i64>,
    pub latency_ms: i64,
    /// The start of the answer, at most 1 KB (`Attempt::excerpt`).
    pub excerpt: Option<String>,
}

impl Attempt {
    pub const EXCERPT_BYTES: usize = 1024;

    /// The first 1 KB of `answer`, cut on a character boundary.
    pub fn excerpt(answer: &str) -> String {
        let mut end = answer.len().min(Attempt::EXCERPT_BYTES);
        while !answer.is_char_boundary(end) {
            end -= 1;
        }
        answer[..end].to_string()
    }
}

/// How one attempt ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    Delivered(Attempt),
    /// Try again on the schedule (or later, when the receiver asked so with `Retry-After`).
    Retry {
        attempt: Attempt,
        error: String,
        retry_after_ms: Option<i64>,
    },
    /// Refused for good: no more attempts.
    Failed {
        attempt: Attempt,
        error: String,
    },
    /// Nothing to send (the recipient turned the category off, the address is suppressed).
    Skipped {
        reason: String,
    },
}

impl Outcome {
    /// A failure that may pass (a connection refused, a timeout, a database hiccup).
    pub fn retry(error: impl Into<String>) -> Outcome {
        Outcome::Retry { attempt: Attempt::default(), error: error.into(), retry_after_ms: None }
    }

    pub fn failed(error: impl Into<String>) -> Outcome {
        Outcome::Failed { attempt: Attempt::default(), error: error.into() }
    }
}

pub type DeliveryFuture<'a> = Pin<Box<dyn Future<Output = Outcome> + Send + 'a>>;

/// What a channel read once for the messages of one claimed batch (`Deliver::prepare`), handed to
/// the delivery of each; the channel that made it knows its type.
pub type Prepared = Arc<dyn Any + Send + Sync>;
/// A read that failed leaves its messages to be tried again on the schedule, with this error.
pub type PrepareFuture<'a> = Pin<Box<dyn Future<Output = Result<Prepared, String>> + Send + 'a>>;

/// A delivery channel. Delivery must be idempotent per message id: after a crash between delivering
/// and marking delivered, the same message is delivered again (webhook receivers dedupe on
/// `webhook-id`; in-app rows are unique per outbox id).
pub trait Deliver: Send + Sync {
    /// Reads, once for the batch, what delivering `messages` needs from the database: the email
    /// channel reads the recipients, the suppressed addresses and the templates of a batch in three
    /// statements, where reading them per message took twelve for each payment approval (its buyer's
    /// mail and its three sellers'). The default reads nothing.
    fn prepare<'a>(&'a self, _state: &'a AppState, _messages: &'a [OutboxMessage]) -> PrepareFuture<'a> {
        Box::pin(async { Ok(Arc::new(()) as Prepared) })
    }

    /// One attempt at `message`, with what `prepare` read for its batch.
    fn deliver<'a>(
        &'a self,
        state: &'a AppState,
        now_ms: i64,
        prepared: &'a Prepared,
        message: &'a OutboxMessage,
    ) -> DeliveryFuture<'a>;
}
