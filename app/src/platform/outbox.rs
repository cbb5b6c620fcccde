//! The outbox: domain events written in the same transaction as the change that caused them, and
//! delivered by a worker after commit. In-app messages are rows of our own database, written here;
//! the channels that leave the platform plug in through `Deliver` (email, webhook); each attempt is
//! logged in `delivery_attempts`. Safe with several servers on one PostgreSQL: a worker
//! claims rows with a lease, and a row whose lease ran out (its worker died) is claimed again.
//!
//! A row's `status`: `pending` (retrying once `attempts` > 0), `delivered`, `failed` (refused for good:
//! SMTP 5xx, HTTP 410, no such recipient), `exhausted` (the retry schedule ran out) or `skipped`
//! (nothing to send: a preference turned off, a suppressed address).

use super::db::{Backend, Db};
use super::sql::Sql;
// The channel interface lives in `channel.rs` so that channels (email, webhook) can implement it
// without importing this file (the registry of channels is `crate::channels`).
pub use super::channel::{Attempt, Deliver, DeliveryFuture, OutboxMessage, Outcome, PrepareFuture, Prepared};
use super::state::AppState;
use serde_json::Value;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;
use std::sync::Arc;

pub use crate::domain::delivery::RETRY_SCHEDULE_S;
/// How long a claimed row stays with its worker before another may take it.
pub const LEASE_MS: i64 = 60_000;
/// Rows claimed per round.
pub const BATCH: i64 = 20;

#[derive(Debug, Clone)]
pub struct OutboxEvent {
    pub event_type: String,
    pub channel: &'static str,
    pub recipient_user_id: Option<i64>,
    /// Email sent to an address rather than to a user's current one (confirming a new address).
    pub recipient_address: Option<String>,
    /// Webhook messages: the endpoint this row is for.
    pub endpoint_id: Option<i64>,
    pub payload: Value,
}

impl OutboxEvent {
    fn new(event_type: &str, channel: &'static str, payload: Value) -> OutboxEvent {
        OutboxEvent {
            event_type: event_type.to_string(),
            channel,
            recipient_user_id: None,
            recipient_address: None,
            endpoint_id: None,
            payload,
        }
    }

    /// An in-app notification for `user_id`; `payload` holds what the message template needs.
    pub fn notify(user_id: i64, event_type: &str, payload: Value) -> OutboxEvent {
        OutboxEvent { recipient_user_id: Some(user_id), ..OutboxEvent::new(event_type, IN_APP, payload) }
    }

    /// An email to `user_id` at their current address, in their locale.
    pub fn email(user_id: i64, event_type: &str, payload: Value) -> OutboxEvent {
        OutboxEvent { recipient_user_id: Some(user_id), ..OutboxEvent::new(event_type, EMAIL, payload) }
    }

    /// An email to `address` (not the user's current one), in the locale of `user_id` when given.
    pub fn email_to(address: &str, user_id: Option<i64>, event_type: &str, payload: Value) -> OutboxEvent {
        OutboxEvent {
            recipient_user_id: user_id,
            recipient_address: Some(address.to_string()),
            ..OutboxEvent::new(event_type, EMAIL, payload)
        }
    }

    /// A webhook message for one endpoint; `payload` is the whole body that will be signed and sent.
    pub fn webhook(endpoint_id: i64, event_type: &str, payload: Value) -> OutboxEvent {
        OutboxEvent { endpoint_id: Some(endpoint_id), ..OutboxEvent::new(event_type, WEBHOOK, payload) }
    }
}

pub const IN_APP: &str = "in_app";
pub const EMAIL: &str = "email";
pub const WEBHOOK: &str = "webhook";

pub async fn enqueue(conn: &mut AnyConnection, at_ms: i64, event: &OutboxEvent) -> Result<i64, sqlx::Error> {
    let mut sql = Sql::new(
        Backend::of_conn(conn),
        "INSERT INTO outbox (created_at, event_type, channel, recipient_user_id, recipient_address, endpoint_id, \
         payload_json, status, attempts, next_attempt_at, updated_at) VALUES ",
    );
    sql.values_row(vec![
        at_ms.into(),
        event.event_type.as_str().into(),
        event.channel.into(),
        event.recipient_user_id.into(),
        event.recipient_address.as_deref().into(),
        event.endpoint_id.into(),
        event.payload.to_string().into(),
        "pending".into(),
        0.into(),
        at_ms.into(),
        at_ms.into(),
    ]);
    sql.push(" RETURNING id");
    sql.query_scalar().fetch_one(&mut *conn).await
}

#[derive(Clone)]
pub struct Channels(Arc<HashMap<&'static str, Arc<dyn Deliver>>>);

impl Channels {
    /// No channel yet: the ones that leave the platform are added by `crate::channels::standard`
    /// (the registry of channels, like `crate::timers` for job handlers: a channel lives in its
    /// capability and uses this module, so this module cannot name it). In-app messages need none:
    /// they are rows in our own database, written by `deliver_in_app`.
    pub fn empty() -> Channels {
        Channels(Arc::new(HashMap::new()))
    }

    /// These channels and `channel` under `name` (replacing one of that name): the registry adds the
    /// email and webhook channels this way, a test its own.
    pub fn with(self, name: &'static str, channel: Arc<dyn Deliver>) -> Channels {
        let mut map: HashMap<&'static str, Arc<dyn Deliver>> = (*self.0).clone();
        map.insert(name, channel);
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
        "SELECT id, event_type, channel, recipient_user_id, recipient_address, endpoint_id, payload_json, attempts, \
         created_at FROM outbox \
         WHERE lease_owner = $1 AND lease_until = $2 AND status = 'pending' ORDER BY id",
    )
    .bind(worker_id)
    .bind(lease_until)
    .fetch_all(state.db.read())
    .await?;
    let messages = rows
        .into_iter()
        .map(|row| {
            Ok(OutboxMessage {
                id: row.try_get("id")?,
                event_type: row.try_get("event_type")?,
                channel: row.try_get("channel")?,
                recipient_user_id: row.try_get("recipient_user_id")?,
                recipient_address: row.try_get("recipient_address")?,
                endpoint_id: row.try_get("endpoint_id")?,
                payload_json: row.try_get("payload_json")?,
                attempts: row.try_get("attempts")?,
                created_at: row.try_get("created_at")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    // Messages that leave the platform (mail, webhooks) go out together: one slow receiver (a
    // webhook that hangs until its timeout) must not hold up the others claimed beside it. In-app
    // messages are written meanwhile, all in one transaction.
    let attempted = messages.len();
    let (local, remote): (Vec<_>, Vec<_>) = messages.into_iter().partition(|m| m.channel == IN_APP);
    let mut sends = tokio::task::JoinSet::new();
    for (name, messages) in by_channel(remote) {
        let Some(channel) = channels.0.get(name.as_str()).cloned() else {
            for m in messages {
                let outcome = Outcome::retry(format!("no channel named {name}"));
                sends.spawn(async move { recorded(&m, now, outcome) });
            }
            continue;
        };
        let prepared = channel.prepare(state, &messages).await;
        for m in messages {
            let (state, channel, prepared) = (state.clone(), channel.clone(), prepared.clone());
            sends.spawn(async move {
                let outcome = match &prepared {
                    Ok(prepared) => channel.deliver(&state, now, prepared, &m).await,
                    Err(e) => Outcome::retry(e.clone()),
                };
                recorded(&m, now, outcome)
            });
        }
    }
    let mut first_error = deliver_in_app(state, now, local).await.err();
    // Each outcome is recorded as soon as its send ends, together with those that ended meanwhile:
    // one transaction for them rather than one each.
    while let Some(done) = sends.join_next().await {
        let mut ended = vec![];
        for done in std::iter::once(done).chain(std::iter::from_fn(|| sends.try_join_next())) {
            match done {
                Ok(r) => ended.push(r),
                // A panicking channel: its row keeps its lease and is claimed again when the lease runs out.
                Err(e) => tracing::error!(error = %e, "a delivery task panicked"),
            }
        }
        if let Err(e) = record(state, now, &ended).await {
            first_error = first_error.or(Some(e));
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(attempted),
    }
}

/// In-app messages become rows in `notifications`. The claimed ones are written together, with their
/// attempts and their statuses, in one transaction of three statements however many they are: a
/// payment approval notifies its buyer and each paid order's sellers, and on SQLite one transaction
/// per message (two, with its status) took the single writer from the changes themselves. Rows keep
/// their claimed order, which is the order their events happened (the notification list's order).
/// A database error rolls the batch back and leaves its rows leased: they are claimed again when the
/// lease runs out, like the rows of a worker that stopped.
async fn deliver_in_app(state: &AppState, now: i64, messages: Vec<OutboxMessage>) -> Result<(), sqlx::Error> {
    if messages.is_empty() {
        return Ok(());
    }
    let mut notifications = Sql::new(
        state.db.backend,
        "INSERT INTO notifications (user_id, outbox_id, kind, payload_json, created_at) VALUES ",
    );
    let mut outcomes = vec![];
    for m in &messages {
        let outcome = match m.recipient_user_id {
            Some(user) => {
                let (kind, payload) = (m.event_type.as_str(), m.payload_json.as_str());
                notifications.values_row(vec![user.into(), m.id.into(), kind.into(), payload.into(), now.into()]);
                Outcome::Delivered(Attempt::default())
            }
            None => Outcome::failed("in-app message without a recipient"),
        };
        outcomes.push(recorded(m, now, outcome));
    }
    // A message written before whose status was not recorded (its worker stopped in between) is
    // not written twice: one notification per outbox row.
    notifications.push(" ON CONFLICT (outbox_id) DO NOTHING");
    let mut tx = state.db.begin().await?;
    if !notifications.args().is_empty() {
        notifications.query().execute(&mut *tx).await?;
    }
    record_in(&mut tx, state.db.backend, now, &outcomes).await?;
    tx.commit().await
}

/// The messages of each channel, in their claimed order.
fn by_channel(messages: Vec<OutboxMessage>) -> Vec<(String, Vec<OutboxMessage>)> {
    let mut groups: Vec<(String, Vec<OutboxMessage>)> = vec![];
    for m in messages {
        match groups.iter_mut().find(|(name, _)| *name == m.channel) {
            Some((_, group)) => group.push(m),
            None => groups.push((m.channel.clone(), vec![m])),
        }
    }
    groups
}

/// What one attempt leaves: a `delivery_attempts` row and the outbox row's new state.
struct Recorded {
    id: i64,
    endpoint_id: Option<i64>,
    attempts: i64,
    status: &'static str,
    next_at: Option<i64>,
    attempt: Attempt,
    error: Option<String>,
    outcome: &'static str,
}

fn recorded(m: &OutboxMessage, now: i64, outcome: Outcome) -> Recorded {
    let attempts = m.attempts + 1;
    let (status, next_at, attempt, error, outcome_name) = match outcome {
        Outcome::Delivered(a) => ("delivered", None, a, None, "delivered"),
        Outcome::Skipped { reason } => ("skipped", None, Attempt::default(), Some(reason), "skipped"),
        Outcome::Failed { attempt, error } => ("failed", None, attempt, Some(error), "failed"),
        Outcome::Retry { attempt, error, retry_after_ms } => {
            let jitter = rand::random::<f64>() * 2.0 - 1.0;
            match crate::domain::delivery::next_attempt_in_ms(attempts, retry_after_ms, jitter) {
                Some(delay) => ("pending", Some(now + delay), attempt, Some(error), "retry"),
                None => ("exhausted", None, attempt, Some(error), "exhausted"),
            }
        }
    };
    let error: Option<String> = error.map(|e| e.chars().take(1000).collect());
    if let Some(e) = &error {
        if status != "skipped" {
            tracing::warn!(outbox_id = m.id, attempts, status, error = %e, "delivery failed");
        }
    }
    let (id, endpoint_id) = (m.id, m.endpoint_id);
    Recorded { id, endpoint_id, attempts, status, next_at, attempt, error, outcome: outcome_name }
}

async fn record(state: &AppState, now: i64, rows: &[Recorded]) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut tx = state.db.begin().await?;
    record_in(&mut tx, state.db.backend, now, rows).await?;
    tx.commit().await
}

/// The attempts in the caller's transaction: one INSERT into the attempts log and one UPDATE of
/// the outbox rows (from a list of their new values), however many there are.
async fn record_in(conn: &mut AnyConnection, backend: Backend, now: i64, rows: &[Recorded]) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut log = Sql::new(
        backend,
        "INSERT INTO delivery_attempts (outbox_id, endpoint_id, attempt, at, latency_ms, status_code, outcome, error, \
         response_excerpt) VALUES ",
    );
    for r in rows {
        log.values_row(vec![
            r.id.into(),
            r.endpoint_id.into(),
            r.attempts.into(),
            now.into(),
            r.attempt.latency_ms.into(),
            r.attempt.status_code.into(),
            r.outcome.into(),
            r.error.as_deref().into(),
            r.attempt.excerpt.as_deref().into(),
        ]);
    }
    log.query().execute(&mut *conn).await?;
    let mut update = Sql::new(
        backend,
        "UPDATE outbox SET status = v.status, attempts = v.attempts, \
         next_attempt_at = COALESCE(v.next_at, outbox.next_attempt_at), last_error = v.error, delivered_at = ",
    );
    let at = update.arg(now);
    update.push(&format!(
        "CASE WHEN v.status = 'delivered' THEN {at} ELSE outbox.delivered_at END, lease_owner = NULL, \
         lease_until = NULL, updated_at = {at} FROM ("
    ));
    for (i, r) in rows.iter().enumerate() {
        let (id, status, attempts) = (update.arg(r.id), update.arg(r.status), update.arg(r.attempts));
        let (next_at, error) = (update.arg(r.next_at), update.arg(r.error.as_deref()));
        let union = if i == 0 { "" } else { " UNION ALL " };
        update.push(&format!(
            "{union}SELECT {id} AS id, {status} AS status, {attempts} AS attempts, {next_at} AS next_at, {error} AS error"
        ));
    }
    update.push(") AS v WHERE outbox.id = v.id");
    update.query().execute(&mut *conn).await?;
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
    channels: Channels,
    interval: std::time::Duration,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
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
