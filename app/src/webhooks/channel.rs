//! The webhook channel: signs an outbox row's body (Standard Webhooks headers) and POSTs it to its
//! endpoint. Guards against server-side request forgery: the host is resolved here and refused when
//! it resolves to a private address (unless `webhooks.allow_private_targets`), then the connection
//! goes to exactly that address, so DNS cannot answer differently between check and connect.
//! Redirects are never followed. At most the first 1 KB of the answer is read.
//!
//! The endpoint's health: a success clears `failing_since`; a failure starts it; an endpoint that
//! has failed for 5 days in a row, or that answered 410 Gone, is disabled and its owner told.

use crate::domain::audit::{AuditAction, AuditTarget};
use crate::domain::webhook::{self, Scope};
use crate::platform::change::{Audit, Change};
use crate::platform::outbox::{Attempt, Deliver, DeliveryFuture, OutboxEvent, OutboxMessage, Outcome, Prepared};
use crate::platform::state::AppState;
use serde_json::json;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

pub struct WebhookChannel;

impl Deliver for WebhookChannel {
    fn deliver<'a>(
        &'a self,
        state: &'a AppState,
        now_ms: i64,
        _: &'a Prepared,
        m: &'a OutboxMessage,
    ) -> DeliveryFuture<'a> {
        Box::pin(async move {
            let Some(endpoint_id) = m.endpoint_id else {
                return Outcome::failed("webhook message without an endpoint");
            };
            let endpoint = match load(state, endpoint_id).await {
                Ok(Some(e)) => e,
                Ok(None) => return Outcome::Skipped { reason: "endpoint deleted".into() },
                Err(e) => return Outcome::retry(e.to_string()),
            };
            if endpoint.status != "active" {
                return Outcome::Skipped { reason: "endpoint disabled".into() };
            }
            let outcome = send(state, now_ms, &endpoint, m).await;
            if let Err(e) = track_health(state, now_ms, &endpoint, &outcome).await {
                tracing::error!(endpoint_id, error = %e, "recording the webhook endpoint's health failed");
            }
            outcome
        })
    }
}

#[derive(sqlx::FromRow)]
struct Endpoint {
    id: i64,
    organisation_id: Option<i64>,
    url: String,
    status: String,
    secret: String,
    previous_secret: Option<String>,
    previous_secret_until: Option<i64>,
    failing_since: Option<i64>,
    created_by: i64,
}

async fn load(state: &AppState, id: i64) -> Result<Option<Endpoint>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, organisation_id, url, status, secret, previous_secret, previous_secret_until, failing_since, \
         created_by FROM webhook_endpoints WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(state.db.read())
    .await
}

/// One attempt: the checks, the request, and what its answer means.
async fn send(state: &AppState, now_ms: i64, e: &Endpoint, m: &OutboxMessage) -> Outcome {
    let allow_private = state.settings().webhooks.allow_private_targets;
    let url = match webhook::check_url(&e.url, allow_private) {
        Ok(url) => url,
        Err(code) => return Outcome::failed(format!("endpoint URL refused: {code}")),
    };
    let target = match resolve(&url, allow_private).await {
        Ok(target) => target,
        Err(outcome) => return outcome,
    };
    let mut secrets = vec![e.secret.as_str()];
    if let (Some(previous), Some(until)) = (&e.previous_secret, e.previous_secret_until) {
        if until > now_ms {
            secrets.push(previous);
        }
    }
    let msg_id = webhook::message_id(m.id);
    let timestamp_s = now_ms.div_euclid(1000);
    let Some(signature) = webhook::signature_header(&secrets, &msg_id, timestamp_s, &m.payload_json) else {
        return Outcome::failed("the endpoint's secret is not a whsec_ secret");
    };
    let mut client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_millis(state.settings().webhooks.timeout_ms))
        .user_agent("Agora-Webhooks/1");
    if let Some((host, addr)) = &target {
        client = client.resolve(host, *addr);
    }
    let client = match client.build() {
        Ok(c) => c,
        Err(err) => return Outcome::retry(format!("building the HTTP client: {err}")),
    };
    let started = Instant::now();
    let sent = client
        .post(url.clone())
        .header("webhook-id", &msg_id)
        .header("webhook-timestamp", timestamp_s.to_string())
        .header("webhook-signature", signature)
        .header("content-type", "application/json")
        .body(m.payload_json.clone())
        .send()
        .await;
    let mut response = match sent {
        Ok(r) => r,
        Err(err) => {
            let attempt = Attempt { latency_ms: elapsed_ms(started), ..Attempt::default() };
            let error = if err.is_timeout() { "timed out".to_string() } else { format!("no answer: {err}") };
            return Outcome::Retry { attempt, error, retry_after_ms: None };
        }
    };
    let status = response.status().as_u16();
    let retry_after_ms = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .map(|s| s.max(0) * 1000);
    let excerpt = read_excerpt(&mut response).await;
    drop(response);
    let attempt =
        Attempt { status_code: Some(i64::from(status)), latency_ms: elapsed_ms(started), excerpt: Some(excerpt) };
    match status {
        200..=299 => Outcome::Delivered(attempt),
        410 => Outcome::Failed { attempt, error: "410 Gone: the receiver asked for no more messages".into() },
        300..=399 => {
            Outcome::Retry { attempt, error: format!("{status}: redirects are not followed"), retry_after_ms: None }
        }
        _ => Outcome::Retry { attempt, error: format!("HTTP {status}"), retry_after_ms },
    }
}

/// For a host name: its address after resolution, checked unless private targets are allowed (the
/// client then connects to exactly that address). `None` for an IP literal (checked with the URL).
async fn resolve(url: &url::Url, allow_private: bool) -> Result<Option<(String, SocketAddr)>, Outcome> {
    let Some(url::Host::Domain(host)) = url.host() else {
        return Ok(None);
    };
    let port = url.port_or_known_default().unwrap_or(443);
    let addrs: Vec<SocketAddr> = match tokio::net::lookup_host((host, port)).await {
        Ok(addrs) => addrs.collect(),
        Err(err) => return Err(Outcome::retry(format!("resolving {host}: {err}"))),
    };
    if !allow_private {
        if let Some(private) = addrs.iter().find(|a| webhook::is_private(a.ip())) {
            return Err(Outcome::failed(format!("{host} resolves to a private address ({})", private.ip())));
        }
    }
    match addrs.first() {
        Some(addr) => Ok(Some((host.to_string(), *addr))),
        None => Err(Outcome::retry(format!("{host} has no address"))),
    }
}

/// The first 1 KB of the answer, reading no more than that (a receiver may answer with megabytes).
async fn read_excerpt(response: &mut reqwest::Response) -> String {
    let mut bytes: Vec<u8> = Vec::new();
    while bytes.len() <= Attempt::EXCERPT_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    bytes.truncate(Attempt::EXCERPT_BYTES + 4);
    Attempt::excerpt(&String::from_utf8_lossy(&bytes))
}

fn elapsed_ms(started: Instant) -> i64 {
    i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX)
}

/// Records the endpoint's run of failures; disables it (audited, owner told) on a 410 or after
/// 5 days of failures without a success.
async fn track_health(
    state: &AppState,
    now: i64,
    e: &Endpoint,
    outcome: &Outcome,
) -> Result<(), crate::error::AppError> {
    let gone = matches!(outcome, Outcome::Failed { attempt, .. } if attempt.status_code == Some(410));
    match outcome {
        Outcome::Delivered(_) => {
            if e.failing_since.is_some() {
                let q = sqlx::query("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1").bind(e.id);
                state.db.execute_write(q).await?;
            }
            return Ok(());
        }
        Outcome::Skipped { .. } => return Ok(()),
        Outcome::Retry { .. } | Outcome::Failed { .. } => {}
    }
    let since = e.failing_since.unwrap_or(now);
    let reason = if gone {
        "gone"
    } else if webhook::failing_too_long(Some(since), now) {
        "failing"
    } else {
        if e.failing_since.is_none() {
            let q =
                sqlx::query("UPDATE webhook_endpoints SET failing_since = $1 WHERE id = $2 AND failing_since IS NULL")
                    .bind(now)
                    .bind(e.id);
            state.db.execute_write(q).await?;
        }
        return Ok(());
    };
    disable(state, e, since, reason).await
}

/// Disables endpoint `e` for `reason` (gone | failing) and tells its owner in the app.
async fn disable(state: &AppState, e: &Endpoint, since: i64, reason: &str) -> Result<(), crate::error::AppError> {
    let mut c = Change::system(state, "webhooks").await?;
    let now = c.now_ms();
    let changed = sqlx::query(
        "UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = $1, failing_since = $2, updated_at = $3 \
         WHERE id = $4 AND status = 'active'",
    )
    .bind(reason)
    .bind(since)
    .bind(now)
    .bind(e.id)
    .execute(c.conn())
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(());
    }
    let owner: i64 = match Scope::from_organisation(e.organisation_id) {
        Scope::Seller(org) => {
            sqlx::query_scalar("SELECT owner_user_id FROM organisations WHERE id = $1")
                .bind(org)
                .fetch_one(c.conn())
                .await?
        }
        Scope::Platform => e.created_by,
    };
    let payload = json!({"url": e.url, "reason": reason, "endpoint_id": e.id});
    c.notify(OutboxEvent::notify(owner, "webhooks.disabled", payload)).await?;
    c.audit(
        Audit::new(AuditAction::WebhooksAutoDisable, AuditTarget::WebhookEndpoint(e.id))
            .before(json!({"status": "active", "failing_since": since}))
            .after(json!({"status": "disabled", "reason": reason})),
    )
    .await?;
    c.commit().await
}
