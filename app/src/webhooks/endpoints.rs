//! Managing webhook endpoints: their owner (a seller organisation's owner in the seller center, an
//! operator with `webhooks.manage` in the console for the platform's) adds, changes, disables,
//! deletes them, rotates their secret, sends a test event, reads the attempts log and replays
//! messages. Every mutation is one audited `Change`. An endpoint of another owner does not exist as
//! far as the caller can tell.

use super::model::{AttemptView, EndpointView, EndpointsView, SecretOnce};
use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::domain::webhook::{self, Scope, ROTATION_OVERLAP_MS, TEST_EVENT};
use crate::error::AppError;
use crate::platform::caller::Ctx;
use crate::platform::change::{Audit, Change};
use crate::platform::outbox::{self, OutboxEvent};
use crate::platform::sql::{after_id, order_limit, Order, Sql};
use crate::platform::state::AppState;
use serde_json::json;
use sqlx::AnyConnection;

/// What the endpoint form carries, parsed.
#[derive(Debug, Clone)]
pub struct EndpointInput {
    pub url: String,
    pub description: String,
    pub event_types: Vec<String>,
}

/// Checks the form against the URL rules (`domain::webhook::check_url`) and the scope's events.
pub fn parse_input(
    state: &AppState,
    scope: Scope,
    url: &str,
    description: &str,
    event_types: &[String],
) -> Result<EndpointInput, AppError> {
    let allow_private = state.settings().webhooks.allow_private_targets;
    let url = webhook::check_url(url, allow_private).map_err(|code| AppError::invalid("url", code))?;
    let description = webhook::check_description(description).map_err(|code| AppError::invalid("description", code))?;
    let event_types =
        webhook::parse_event_types(event_types, scope).map_err(|code| AppError::invalid("event_types", code))?;
    Ok(EndpointInput { url: url.to_string(), description, event_types })
}

/// Where a host name points now: one that resolves to a private address is refused when the endpoint
/// is saved (the channel resolves and checks again at every send). A name that does not resolve now
/// is accepted: DNS may be down or the receiver not up yet, and the send-time check still stands.
pub async fn check_host(state: &AppState, input: &EndpointInput) -> Result<(), AppError> {
    if state.settings().webhooks.allow_private_targets {
        return Ok(());
    }
    let Ok(url) = url::Url::parse(&input.url) else { return Ok(()) };
    let Some(url::Host::Domain(host)) = url.host() else { return Ok(()) };
    let port = url.port_or_known_default().unwrap_or(443);
    let lookup = tokio::time::timeout(std::time::Duration::from_secs(3), tokio::net::lookup_host((host, port))).await;
    if let Ok(Ok(mut addrs)) = lookup {
        if addrs.any(|a| webhook::is_private(a.ip())) {
            return Err(AppError::invalid("url", "webhooks.url_private"));
        }
    }
    Ok(())
}

/// The `organisation_id` condition of `scope` on column `col`, with its argument bound by the caller
/// as `$n` (seller) or nothing (platform).
fn owner_condition(scope: Scope, col: &str, n: usize) -> String {
    match scope {
        Scope::Platform => format!("{col} IS NULL"),
        Scope::Seller(_) => format!("{col} = ${n}"),
    }
}

#[derive(sqlx::FromRow)]
struct EndpointRecord {
    id: i64,
    url: String,
    description: String,
    event_types: String,
    status: String,
    disabled_reason: Option<String>,
    failing_since: Option<i64>,
    previous_secret_until: Option<i64>,
    created_at: i64,
}

impl EndpointRecord {
    fn view(self, now: i64) -> EndpointView {
        EndpointView {
            id: self.id,
            url: self.url,
            description: self.description,
            event_types: webhook::split_event_types(&self.event_types),
            status: self.status,
            disabled_reason: self.disabled_reason,
            failing_since_ms: self.failing_since,
            previous_secret_until_ms: self.previous_secret_until.filter(|until| *until > now),
            created_at_ms: self.created_at,
        }
    }
}

const SELECT_ENDPOINT: &str = "SELECT id, url, description, event_types, status, disabled_reason, failing_since, \
     previous_secret_until, created_at FROM webhook_endpoints";

/// The owner's endpoints, oldest first (an owner has a handful), and what they may subscribe to.
pub async fn list(state: &AppState, scope: Scope) -> Result<EndpointsView, AppError> {
    let sql = format!("{SELECT_ENDPOINT} WHERE {} ORDER BY id", owner_condition(scope, "organisation_id", 1));
    let mut q = sqlx::query_as::<_, EndpointRecord>(&sql);
    if let Some(org) = scope.organisation_id() {
        q = q.bind(org);
    }
    let now = state.now_ms();
    let endpoints = q.fetch_all(state.db.read()).await?.into_iter().map(|r| r.view(now)).collect();
    Ok(EndpointsView { endpoints, offered: scope.offered().iter().map(|e| e.to_string()).collect() })
}

/// Endpoint `id` of `scope` as it is now (NotFound for another owner's).
async fn find(conn: &mut AnyConnection, scope: Scope, id: i64, now: i64) -> Result<EndpointView, AppError> {
    let sql = format!("{SELECT_ENDPOINT} WHERE id = $1 AND {}", owner_condition(scope, "organisation_id", 2));
    let mut q = sqlx::query_as::<_, EndpointRecord>(&sql).bind(id);
    if let Some(org) = scope.organisation_id() {
        q = q.bind(org);
    }
    Ok(q.fetch_optional(&mut *conn).await?.ok_or(AppError::NotFound)?.view(now))
}

fn snapshot(e: &EndpointView) -> serde_json::Value {
    json!({"url": e.url, "description": e.description, "event_types": e.event_types, "status": e.status})
}

fn new_secret() -> String {
    webhook::secret_from_bytes(&rand::random::<[u8; 32]>())
}

/// Adds an endpoint; its secret is returned this once.
pub async fn create(ctx: &Ctx, scope: Scope, input: &EndpointInput) -> Result<SecretOnce, AppError> {
    let mut c = Change::by(ctx).await?;
    let now = c.now_ms();
    let secret = new_secret();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO webhook_endpoints (organisation_id, url, description, event_types, status, secret, created_at, \
         created_by, updated_at) VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, $6) RETURNING id",
    )
    .bind(scope.organisation_id())
    .bind(&input.url)
    .bind(&input.description)
    .bind(input.event_types.join(","))
    .bind(&secret)
    .bind(now)
    .bind(ctx.caller.user_id)
    .fetch_one(c.conn())
    .await?;
    let after = json!({"url": input.url, "description": input.description, "event_types": input.event_types,
                       "organisation_id": scope.organisation_id()});
    c.audit(Audit::new(AuditAction::WebhooksCreate, AuditTarget::WebhookEndpoint(id)).after(after)).await?;
    c.commit().await?;
    Ok(SecretOnce { endpoint_id: id, secret })
}

/// Changes an endpoint's URL, description and event filter.
pub async fn update(ctx: &Ctx, scope: Scope, id: i64, input: &EndpointInput) -> Result<(), AppError> {
    let mut c = Change::by(ctx).await?;
    let now = c.now_ms();
    let before = find(c.conn(), scope, id, now).await?;
    sqlx::query(
        "UPDATE webhook_endpoints SET url = $1, description = $2, event_types = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(&input.url)
    .bind(&input.description)
    .bind(input.event_types.join(","))
    .bind(now)
    .bind(id)
    .execute(c.conn())
    .await?;
    let after = json!({"url": input.url, "description": input.description, "event_types": input.event_types,
                       "status": before.status});
    c.audit(
        Audit::new(AuditAction::WebhooksUpdate, AuditTarget::WebhookEndpoint(id))
            .before(snapshot(&before))
            .after(after),
    )
    .await?;
    c.commit().await
}

/// Turns an endpoint on (its run of failures forgotten) or off. Messages of a disabled endpoint
/// are skipped; none are made for it.
pub async fn set_enabled(ctx: &Ctx, scope: Scope, id: i64, enabled: bool) -> Result<(), AppError> {
    let mut c = Change::by(ctx).await?;
    let now = c.now_ms();
    let before = find(c.conn(), scope, id, now).await?;
    let (status, reason, action) = if enabled {
        ("active", None, AuditAction::WebhooksEnable)
    } else {
        ("disabled", Some("manual"), AuditAction::WebhooksDisable)
    };
    sqlx::query(
        "UPDATE webhook_endpoints SET status = $1, disabled_reason = $2, failing_since = NULL, updated_at = $3 \
         WHERE id = $4",
    )
    .bind(status)
    .bind(reason)
    .bind(now)
    .bind(id)
    .execute(c.conn())
    .await?;
    let after = json!({"status": status});
    c.audit(Audit::new(action, AuditTarget::WebhookEndpoint(id)).before(json!({"status": before.status})).after(after))
        .await?;
    c.commit().await
}

/// Deletes an endpoint. Its messages still waiting are skipped at delivery; the log stays.
pub async fn delete(ctx: &Ctx, scope: Scope, id: i64) -> Result<(), AppError> {
    let mut c = Change::by(ctx).await?;
    let now = c.now_ms();
    let before = find(c.conn(), scope, id, now).await?;
    sqlx::query("DELETE FROM webhook_endpoints WHERE id = $1").bind(id).execute(c.conn()).await?;
    c.audit(Audit::new(AuditAction::WebhooksDelete, AuditTarget::WebhookEndpoint(id)).before(snapshot(&before)))
        .await?;
    c.commit().await
}

/// A new secret, returned this once; the previous one keeps signing beside it for 24 hours so the
/// receiver can switch without losing a message.
pub async fn rotate(ctx: &Ctx, scope: Scope, id: i64) -> Result<SecretOnce, AppError> {
    let mut c = Change::by(ctx).await?;
    let now = c.now_ms();
    find(c.conn(), scope, id, now).await?;
    let secret = new_secret();
    let until = now + ROTATION_OVERLAP_MS;
    // One statement: the secret being replaced is read and moved aside atomically.
    sqlx::query(
        "UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_until = $1, secret = $2, \
         updated_at = $3 WHERE id = $4",
    )
    .bind(until)
    .bind(&secret)
    .bind(now)
    .bind(id)
    .execute(c.conn())
    .await?;
    c.audit(
        Audit::new(AuditAction::WebhooksRotateSecret, AuditTarget::WebhookEndpoint(id))
            .after(json!({"previous_secret_until": until})),
    )
    .await?;
    c.commit().await?;
    Ok(SecretOnce { endpoint_id: id, secret })
}

/// Enqueues a `webhook.test` message for the endpoint; returns its outbox id.
pub async fn send_test(ctx: &Ctx, scope: Scope, id: i64) -> Result<i64, AppError> {
    let mut c = Change::by(ctx).await?;
    let now = c.now_ms();
    let e = find(c.conn(), scope, id, now).await?;
    if e.status != "active" {
        return Err(AppError::conflict("webhooks.endpoint_disabled"));
    }
    let data = json!({"endpoint_id": id, "message": "This is a test event from Agora."});
    let event = OutboxEvent::webhook(id, TEST_EVENT, webhook::body(TEST_EVENT, now, data));
    let outbox_id = outbox::enqueue(c.conn(), now, &event).await?;
    c.audit(
        Audit::new(AuditAction::WebhooksSendTest, AuditTarget::WebhookEndpoint(id))
            .after(json!({"outbox_id": outbox_id})),
    )
    .await?;
    c.commit().await?;
    Ok(outbox_id)
}

/// The endpoint's attempts log, newest first, a keyset page at a time.
pub async fn attempts(
    state: &AppState,
    scope: Scope,
    id: i64,
    cursor: Option<&str>,
) -> Result<Page<AttemptView>, AppError> {
    let mut conn = state.db.read().acquire().await?;
    find(&mut conn, scope, id, state.now_ms()).await?;
    drop(conn);
    let size = page_size(None);
    let mut sql = Sql::new(
        state.db.backend,
        "SELECT a.id, a.outbox_id, o.event_type, a.attempt, a.at AS at_ms, a.latency_ms, a.status_code, a.outcome, \
         a.error, a.response_excerpt, o.status AS message_status \
         FROM delivery_attempts a JOIN outbox o ON o.id = a.outbox_id",
    );
    let p = sql.arg(id);
    sql.push(&format!(" WHERE a.endpoint_id = {p}"));
    after_id(&mut sql, "a.id", Order::Desc, parse_id_cursor(cursor));
    order_limit(&mut sql, "a.id DESC", size);
    let rows: Vec<AttemptView> = sql.query_as().fetch_all(state.db.read()).await?;
    Ok(Page::from_overfetch(rows, size, |r| r.id.to_string()))
}

/// Sends message `outbox_id` of the endpoint again, now, with the same `webhook-id` (receivers
/// dedupe on it) and a fresh retry schedule. A message still pending needs no replay.
pub async fn replay(ctx: &Ctx, scope: Scope, id: i64, outbox_id: i64) -> Result<(), AppError> {
    let mut c = Change::by(ctx).await?;
    let now = c.now_ms();
    find(c.conn(), scope, id, now).await?;
    let changed = requeue(c.conn(), now, "id = $3", id, outbox_id).await?;
    if changed == 0 {
        return Err(AppError::conflict("webhooks.not_replayable"));
    }
    c.audit(
        Audit::new(AuditAction::WebhooksReplay, AuditTarget::WebhookEndpoint(id))
            .after(json!({"outbox_id": outbox_id})),
    )
    .await?;
    c.commit().await
}

/// Replays every message of the endpoint that failed or ran out of retries and was made at or
/// after `since_ms`. Returns how many.
pub async fn replay_since(ctx: &Ctx, scope: Scope, id: i64, since_ms: i64) -> Result<u64, AppError> {
    let mut c = Change::by(ctx).await?;
    let now = c.now_ms();
    find(c.conn(), scope, id, now).await?;
    let n = requeue(c.conn(), now, "created_at >= $3", id, since_ms).await?;
    c.audit(
        Audit::new(AuditAction::WebhooksReplaySince, AuditTarget::WebhookEndpoint(id))
            .after(json!({"since": since_ms, "messages": n})),
    )
    .await?;
    c.commit().await?;
    Ok(n)
}

/// Puts the endpoint's finished-unsuccessfully messages matching `condition` (on `$3`) back in the
/// queue: due now, attempts counted afresh (the log keeps the earlier ones).
async fn requeue(
    conn: &mut AnyConnection,
    now: i64,
    condition: &str,
    endpoint: i64,
    arg: i64,
) -> Result<u64, AppError> {
    let sql = format!(
        "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $1, lease_owner = NULL, \
         lease_until = NULL, updated_at = $1 \
         WHERE channel = 'webhook' AND endpoint_id = $2 AND status IN ('failed', 'exhausted') AND {condition}"
    );
    Ok(sqlx::query(&sql).bind(now).bind(endpoint).bind(arg).execute(&mut *conn).await?.rows_affected())
}
