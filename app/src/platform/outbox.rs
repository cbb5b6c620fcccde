//! The outbox: domain events written in the same transaction as the change that caused them, and
//! delivered by a worker after commit. Channels plug in through `Deliver`; in-app notifications are the
//! first. Safe with several servers on one PostgreSQL: a worker claims rows with a lease, and a row
//! whose lease ran out (its worker died) is claimed again.

use super::db::Db;
use super::state::AppState;
use serde_json::Value;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// DESIGN.md's retry schedule, in seconds after the failed attempt; after the last the row is failed.
pub const RETRY_SCHEDULE_S: [i64; 8] = [0, 5, 300, 1_800, 7_200, 18_000, 36_000, 36_000];
/// How long a claimed row stays with its worker before another may take it.
pub const LEASE_MS: i64 = 60_000;
/// Rows claimed per round.
pub const BATCH: i64 = 20;

#[derive(Debug, Clone)]
pub struct OutboxEvent {
    pub event_type: String,
    pub channel: &'static str,
    pub recipient_user_id: Option<i64>,
    pub payload: Value,
}

impl OutboxEvent {
    /// An in-app notification for `user_id`; `payload` holds what the message template needs.
    pub fn notify(user_id: i64, event_type: &str, payload: Value) -> OutboxEvent {
        OutboxEvent { event_type: event_type.to_string(), channel: IN_APP, recipient_user_id: Some(user_id), payload }
    }
}

pub const IN_APP: &str = "in_app";

pub async fn enqueue(conn: &mut AnyConnection, at_ms: i64, event: &OutboxEvent) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO outbox (created_at, event_type, channel, recipient_user_id, payload_json, status, \
         attempts, next_attempt_at) VALUES ($1, $2, $3, $4, $5, 'pending', 0, $1) RETURNING id",
    )
    .bind(at_ms)
    .bind(&event.event_type)
    .bind(event.channel)
    .bind(event.recipient_user_id)
    .bind(event.payload.to_string())
    .fetch_one(&mut *conn)
    .await
}

/// A claimed row, handed to its channel.
#[derive(Debug, Clone)]
pub struct OutboxMessage {
    pub id: i64,
    pub event_type: String,
    pub channel: String,
    pub recipient_user_id: Option<i64>,
    pub payload_json: String,
    pub attempts: i64,
    pub created_at: i64,
}

pub type DeliveryFuture<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

/// A delivery channel. Delivery must be idempotent per message id: after a crash between delivering
/// and marking delivered, the same message is delivered again.
pub trait Deliver: Send + Sync {
    fn deliver<'a>(&'a self, db: &'a Db, now_ms: i64, message: &'a OutboxMessage) -> DeliveryFuture<'a>;
}

/// In-app: a row in `notifications`, unique per outbox id so a redelivery adds nothing.
pub struct InAppChannel;

impl Deliver for InAppChannel {
    fn deliver<'a>(&'a self, db: &'a Db, now_ms: i64, m: &'a OutboxMessage) -> DeliveryFuture<'a> {
        Box::pin(async move {
            let Some(user_id) = m.recipient_user_id else { return Err("in-app message without a recipient".into()) };
            let mut tx = db.begin().await.map_err(|e| e.to_string())?;
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM notifications WHERE outbox_id = $1")
                .bind(m.id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(|e| e.to_string())?;
            if exists.is_none() {
                sqlx::query(
                    "INSERT INTO notifications (user_id, outbox_id, kind, payload_json, created_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(user_id)
                .bind(m.id)
                .bind(&m.event_type)
                .bind(&m.payload_json)
                .bind(now_ms)
                .execute(&mut *tx)
                .await
                .map_err(|e| e.to_string())?;
            }
            tx.commit().await.map_err(|e| e.to_string())
        })
    }
}

#[derive(Clone)]
pub struct Channels(Arc<HashMap<&'static str, Arc<dyn Deliver>>>);

impl Channels {
    pub fn standard() -> Channels {
        let mut map: HashMap<&'static str, Arc<dyn Deliver>> = HashMap::new();
        map.insert(IN_APP, Arc::new(InAppChannel));
        Channels(Arc::new(map))
    }
}

/// One round: claim due rows, deliver each, record the outcome. Returns how many were attempted.
pub async fn deliver_due(state: &AppState, channels: &Channels, worker_id: &str) -> Result<usize, sqlx::Error> {
    let now = state.now_ms();
    let lease_until = now + LEASE_MS;
    // The outer conditions repeat the inner ones on purpose: PostgreSQL re-checks them against the
    // latest row version when two workers race, so only one of them gets each row.
    let claim = sqlx::query(
        "UPDATE outbox SET lease_owner = $1, lease_until = $2 \
         WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $3 \
                      AND (lease_until IS NULL OR lease_until < $3) ORDER BY id LIMIT $4) \
         AND status = 'pending' AND (lease_until IS NULL OR lease_until < $3)",
    )
    .bind(worker_id)
    .bind(lease_until)
    .bind(now)
    .bind(BATCH);
    state.db.execute_write(claim).await?;
    let rows = sqlx::query(
        "SELECT id, event_type, channel, recipient_user_id, payload_json, attempts, created_at FROM outbox \
         WHERE lease_owner = $1 AND lease_until = $2 AND status = 'pending' ORDER BY id",
    )
    .bind(worker_id)
    .bind(lease_until)
    .fetch_all(state.db.read())
    .await?;
    let mut attempted = 0;
    for row in rows {
        let m = OutboxMessage {
            id: row.try_get("id")?,
            event_type: row.try_get("event_type")?,
            channel: row.try_get("channel")?,
            recipient_user_id: row.try_get("recipient_user_id")?,
            payload_json: row.try_get("payload_json")?,
            attempts: row.try_get("attempts")?,
            created_at: row.try_get("created_at")?,
        };
        let outcome = match channels.0.get(m.channel.as_str()) {
            Some(channel) => channel.deliver(&state.db, now, &m).await,
            None => Err(format!("no channel named {}", m.channel)),
        };
        record_outcome(state, &m, now, outcome).await?;
        attempted += 1;
    }
    Ok(attempted)
}

async fn record_outcome(
    state: &AppState,
    m: &OutboxMessage,
    now: i64,
    outcome: Result<(), String>,
) -> Result<(), sqlx::Error> {
    let attempts = m.attempts + 1;
    let q = match outcome {
        Ok(()) => sqlx::query(
            "UPDATE outbox SET status = 'delivered', attempts = $1, delivered_at = $2, lease_owner = NULL, \
             lease_until = NULL, last_error = NULL WHERE id = $3",
        )
        .bind(attempts)
        .bind(now)
        .bind(m.id),
        Err(error) => {
            tracing::warn!(outbox_id = m.id, attempts, %error, "delivery failed");
            let error: String = error.chars().take(1000).collect();
            match RETRY_SCHEDULE_S.get(attempts as usize) {
                Some(delay_s) => sqlx::query(
                    "UPDATE outbox SET attempts = $1, next_attempt_at = $2, last_error = $3, lease_owner = NULL, \
                     lease_until = NULL WHERE id = $4",
                )
                .bind(attempts)
                .bind(now + delay_s * 1000)
                .bind(error)
                .bind(m.id),
                None => sqlx::query(
                    "UPDATE outbox SET status = 'failed', attempts = $1, last_error = $2, lease_owner = NULL, \
                     lease_until = NULL WHERE id = $3",
                )
                .bind(attempts)
                .bind(error)
                .bind(m.id),
            }
        }
    };
    state.db.execute_write(q).await?;
    Ok(())
}

/// Pending rows (for the console and the test harness, which fails when work is left behind).
pub async fn pending_count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").fetch_one(db.read()).await
}

/// Runs until `shutdown` fires, delivering every `interval`. Errors are logged and retried next round.
pub async fn run_worker(
    state: AppState,
    worker_id: String,
    interval: std::time::Duration,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    let channels = Channels::standard();
    loop {
        match deliver_due(&state, &channels, &worker_id).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "outbox round failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = shutdown.changed() => return,
        }
    }
}
