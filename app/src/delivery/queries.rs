//! Reading the outbox for the desk: the list (newest first, keyset by id), one message with its
//! attempts, the counters and the suppression list.

use super::model::{AttemptRow, DeliveryCounters, DeliveryDetail, DeliveryFilter, DeliveryRow, SuppressionRow};
use crate::domain::delivery::DeliveryStatus;
use crate::domain::page::{page_size, parse_id_cursor, Page};
use crate::error::AppError;
use crate::platform::sql::{after_id, contains, order_limit, starts_with, Order, Sql};
use crate::platform::state::AppState;

const DAY_MS: i64 = 86_400_000;

/// The row's columns and where the recipient comes from: the address the row names, else the user's
/// email, else the webhook endpoint's URL.
const SELECT_ROW: &str = "SELECT o.id, o.created_at, o.channel, o.event_type, \
     COALESCE(o.recipient_address, u.email, w.url, '') AS recipient, o.status, o.attempts, o.next_attempt_at, \
     o.last_error FROM outbox o LEFT JOIN users u ON u.id = o.recipient_user_id \
     LEFT JOIN webhook_endpoints w ON w.id = o.endpoint_id WHERE 1 = 1";

#[derive(sqlx::FromRow)]
struct RowRecord {
    id: i64,
    created_at: i64,
    channel: String,
    event_type: String,
    recipient: String,
    status: String,
    attempts: i64,
    next_attempt_at: i64,
    last_error: Option<String>,
}

impl RowRecord {
    fn row(self) -> Result<DeliveryRow, AppError> {
        let status = DeliveryStatus::from_row(&self.status, self.attempts)
            .ok_or_else(|| AppError::internal(format!("outbox row {} has status {:?}", self.id, self.status)))?;
        let waiting = matches!(status, DeliveryStatus::Pending | DeliveryStatus::Retrying);
        Ok(DeliveryRow {
            id: self.id,
            created_at_ms: self.created_at,
            channel: self.channel,
            event_type: self.event_type,
            recipient: self.recipient,
            status,
            attempts: self.attempts,
            next_attempt_at_ms: waiting.then_some(self.next_attempt_at),
            last_error: self.last_error,
        })
    }
}

/// The filter's conditions, shared by the list and "replay all that match".
pub(super) fn push_filter(sql: &mut Sql, f: &DeliveryFilter) {
    if let Some(channel) = f.channel {
        sql.and_eq("o.channel", channel);
    }
    if let Some(status) = f.status {
        let (stored, no_attempts) = status.stored();
        sql.and_eq("o.status", stored);
        match no_attempts {
            Some(true) => sql.push(" AND o.attempts = 0"),
            Some(false) => sql.push(" AND o.attempts > 0"),
            None => sql,
        };
    }
    if let Some(event) = &f.event {
        // A prefix: `orders.` finds every order event.
        starts_with(sql, "o.event_type", event);
    }
    if let Some(recipient) = &f.recipient {
        contains(sql, "COALESCE(o.recipient_address, u.email, w.url, '')", recipient);
    }
}

pub async fn list(state: &AppState, f: &DeliveryFilter, cursor: Option<&str>) -> Result<Page<DeliveryRow>, AppError> {
    let size = page_size(None);
    let mut sql = Sql::new(state.db.backend, SELECT_ROW);
    push_filter(&mut sql, f);
    after_id(&mut sql, "o.id", Order::Desc, parse_id_cursor(cursor));
    order_limit(&mut sql, "o.id DESC", size);
    let records: Vec<RowRecord> = sql.query_as().fetch_all(state.db.read()).await?;
    let rows = records.into_iter().map(RowRecord::row).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_overfetch(rows, size, |r| r.id.to_string()))
}

pub async fn detail(state: &AppState, id: i64) -> Result<DeliveryDetail, AppError> {
    let mut sql = Sql::new(state.db.backend, SELECT_ROW);
    let p = sql.arg(id);
    sql.push(&format!(" AND o.id = {p}"));
    let record: RowRecord = sql.query_as().fetch_optional(state.db.read()).await?.ok_or(AppError::NotFound)?;
    let (payload_json, delivered_at_ms): (String, Option<i64>) =
        sqlx::query_as("SELECT payload_json, delivered_at FROM outbox WHERE id = $1")
            .bind(id)
            .fetch_one(state.db.read())
            .await?;
    let attempts: Vec<AttemptRow> = sqlx::query_as(
        "SELECT id, attempt, at AS at_ms, latency_ms, status_code, outcome, error, response_excerpt \
         FROM delivery_attempts WHERE outbox_id = $1 ORDER BY id DESC LIMIT 100",
    )
    .bind(id)
    .fetch_all(state.db.read())
    .await?;
    Ok(DeliveryDetail { row: record.row()?, payload_json: hide_secrets(&payload_json), delivered_at_ms, attempts })
}

/// A pending reset link or sign-in code (`secret_*` keys) would let whoever reads the desk into the
/// account: the desk shows that they are there, never what they are.
fn hide_secrets(payload_json: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(payload_json) {
        Ok(serde_json::Value::Object(mut map)) => {
            for (key, value) in map.iter_mut() {
                if key.starts_with("secret_") {
                    *value = serde_json::Value::from("(hidden)");
                }
            }
            serde_json::Value::Object(map).to_string()
        }
        // Not an object: nothing keyed to hide, but do not show what could not be read either.
        _ => "{}".to_string(),
    }
}

pub async fn counters(state: &AppState) -> Result<DeliveryCounters, AppError> {
    let since = state.now_ms() - DAY_MS;
    let count = |sql: &'static str, bind_since: bool| {
        let db = state.db.read();
        async move {
            let q = sqlx::query_scalar::<_, i64>(sql);
            let q = if bind_since { q.bind(since) } else { q };
            q.fetch_one(db).await
        }
    };
    let (pending, retrying, failed_24h, exhausted_24h, delivered_24h, suppressed) = tokio::try_join!(
        count("SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND attempts = 0", false),
        count("SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND attempts > 0", false),
        count("SELECT COUNT(*) FROM outbox WHERE status = 'failed' AND updated_at >= $1", true),
        count("SELECT COUNT(*) FROM outbox WHERE status = 'exhausted' AND updated_at >= $1", true),
        count("SELECT COUNT(*) FROM outbox WHERE status = 'delivered' AND updated_at >= $1", true),
        count("SELECT COUNT(*) FROM email_suppressions", false),
    )?;
    Ok(DeliveryCounters { pending, retrying, failed_24h, exhausted_24h, delivered_24h, suppressed })
}

/// The suppression list, by address.
pub async fn suppressions(state: &AppState, cursor: Option<&str>) -> Result<Page<SuppressionRow>, AppError> {
    let size = page_size(None);
    let mut sql = Sql::new(
        state.db.backend,
        "SELECT address, smtp_code, reason, created_at AS created_at_ms FROM email_suppressions WHERE 1 = 1",
    );
    if let Some(after) = cursor.filter(|c| !c.is_empty()) {
        let p = sql.arg(after.to_string());
        sql.push(&format!(" AND address > {p}"));
    }
    order_limit(&mut sql, "address ASC", size);
    let rows: Vec<SuppressionRow> = sql.query_as().fetch_all(state.db.read()).await?;
    Ok(Page::from_overfetch(rows, size, |r| r.address.clone()))
}
