//! `publish`: where an event happens, one outbox row per active endpoint of the scope that
//! subscribed to it, in the same `Change` as the event (so a rolled-back change sends nothing).

use crate::domain::webhook::{self, Scope, TEST_EVENT};
use crate::error::AppError;
use crate::platform::change::Change;
use crate::platform::outbox::OutboxEvent;
use serde_json::Value;

/// Enqueues `event_type` with `data` for every active endpoint of `scope` subscribed to it. An event
/// the scope does not offer is not published (callers may pass every event they notify about).
/// Returns how many messages were made.
pub async fn publish(c: &mut Change, scope: Scope, event_type: &str, data: Value) -> Result<usize, AppError> {
    if event_type == TEST_EVENT || !scope.offered().contains(&event_type) {
        return Ok(0);
    }
    let rows: Vec<(i64, String)> =
        match scope {
            Scope::Platform => sqlx::query_as(
                "SELECT id, event_types FROM webhook_endpoints WHERE organisation_id IS NULL AND status = 'active' \
                 ORDER BY id",
            )
            .fetch_all(c.conn())
            .await?,
            Scope::Seller(org) => {
                sqlx::query_as(
                    "SELECT id, event_types FROM webhook_endpoints WHERE organisation_id = $1 AND status = 'active' \
                 ORDER BY id",
                )
                .bind(org)
                .fetch_all(c.conn())
                .await?
            }
        };
    let body = webhook::body(event_type, c.now_ms(), data);
    let mut made = 0;
    for (id, filter) in rows {
        if webhook::subscribed(&webhook::split_event_types(&filter), event_type) {
            c.notify(OutboxEvent::webhook(id, event_type, body.clone())).await?;
            made += 1;
        }
    }
    Ok(made)
}
