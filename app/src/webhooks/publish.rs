//! `publish`: where an event happens, one outbox row per active endpoint of the scope that
//! subscribed to it, in the same `Change` as the event (so a rolled-back change sends nothing).

use crate::domain::webhook::{self, Scope, TEST_EVENT};
use crate::error::AppError;
use crate::platform::change::Change;
use crate::platform::db::Backend;
use crate::platform::outbox::OutboxEvent;
use crate::platform::sql::Sql;
use serde_json::Value;

/// Enqueues `event_type` with `data` for every active endpoint of `scope` subscribed to it. An event
/// the scope does not offer is not published (callers may pass every event they notify about).
/// Returns how many messages were made.
pub async fn publish(c: &mut Change, scope: Scope, event_type: &str, data: Value) -> Result<usize, AppError> {
    publish_each(c, event_type, vec![(scope, data)]).await
}

/// `publish` for several scopes at once, each with its own data (a payment approval tells each
/// order's seller about that order): the endpoints of them all are read in one query.
pub async fn publish_each(c: &mut Change, event_type: &str, each: Vec<(Scope, Value)>) -> Result<usize, AppError> {
    let each: Vec<(Scope, Value)> = each
        .into_iter()
        .filter(|(scope, _)| event_type != TEST_EVENT && scope.offered().contains(&event_type))
        .collect();
    if each.is_empty() {
        return Ok(0);
    }
    let endpoints = active_endpoints(c, each.iter().map(|(scope, _)| *scope)).await?;
    let mut made = 0;
    for (scope, data) in each {
        let body = webhook::body(event_type, c.now_ms(), data);
        for (id, _, filter) in endpoints.iter().filter(|(_, org, _)| Scope::from_organisation(*org) == scope) {
            if webhook::subscribed(&webhook::split_event_types(filter), event_type) {
                c.notify(OutboxEvent::webhook(*id, event_type, body.clone())).await?;
                made += 1;
            }
        }
    }
    Ok(made)
}

/// `(id, organisation_id, event_types)` of the active endpoints of `scopes`, by id.
async fn active_endpoints(
    c: &mut Change,
    scopes: impl Iterator<Item = Scope>,
) -> Result<Vec<(i64, Option<i64>, String)>, AppError> {
    let (mut platform, mut orgs) = (false, vec![]);
    for scope in scopes {
        match scope {
            Scope::Platform => platform = true,
            Scope::Seller(org) => orgs.push(org),
        }
    }
    let mut sql = Sql::new(
        Backend::of_conn(c.conn()),
        "SELECT id, organisation_id, event_types FROM webhook_endpoints WHERE status = 'active' AND (",
    );
    let mut either = vec![];
    if platform {
        either.push("organisation_id IS NULL".to_string());
    }
    if !orgs.is_empty() {
        either.push(format!("organisation_id IN ({})", sql.list(orgs)));
    }
    sql.push(&either.join(" OR ")).push(") ORDER BY id");
    Ok(sql.query_as().fetch_all(c.conn()).await?)
}
