//! What crosses the wire for webhooks: endpoints as their owner sees them (never a secret, except
//! once right after it was made) and the attempts log.

use serde::{Deserialize, Serialize};

/// One endpoint in its owner's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndpointView {
    pub id: i64,
    pub url: String,
    pub description: String,
    /// Empty: every event of the owner's scope.
    pub event_types: Vec<String>,
    /// active | disabled
    pub status: String,
    /// manual | gone (the receiver answered 410) | failing (5 days without a success)
    pub disabled_reason: Option<String>,
    pub failing_since_ms: Option<i64>,
    /// While a rotation's previous secret still signs beside the new one.
    pub previous_secret_until_ms: Option<i64>,
    pub created_at_ms: i64,
}

/// The owner's endpoints and the event types they may subscribe to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndpointsView {
    pub endpoints: Vec<EndpointView>,
    pub offered: Vec<String>,
}

/// A secret shown once: after creating an endpoint or rotating its secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecretOnce {
    pub endpoint_id: i64,
    pub secret: String,
}

/// One delivery attempt of one of the endpoint's messages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AttemptView {
    pub id: i64,
    pub outbox_id: i64,
    pub event_type: String,
    pub attempt: i64,
    pub at_ms: i64,
    pub latency_ms: i64,
    pub status_code: Option<i64>,
    /// delivered | retry | failed | exhausted | skipped
    pub outcome: String,
    pub error: Option<String>,
    pub response_excerpt: Option<String>,
    /// Where the message stands now (pending, delivered, failed, exhausted, skipped): replayable
    /// once it is no longer pending.
    pub message_status: String,
}
