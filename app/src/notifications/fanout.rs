//! The fan-out of an in-app notification: `Change::notify` with an in-app event, and
//! `Change::notify_seller_members`, land here, in the change's transaction. Each recipient gets the
//! in-app row when they receive the event's category in the app, and the email row when the event
//! has an email and they receive the category by email. Events without an `EventSpec` stay in-app
//! only, as before delivery had channels.
//!
//! The whole fan-out is one `INSERT .. SELECT`: the recipients (one user, or a seller's members and
//! owner) times the event's channels, less the channels a recipient switched off for the category.
//! A payment approval notifies the sellers of every order it pays; read recipients, read choices,
//! write rows was 1 + 2 statements per person inside the approval's transaction, now 1 per event.

use super::events;
use crate::domain::delivery::{Category, Channel, EventSpec};
use crate::platform::db::Backend;
use crate::platform::outbox::{self, OutboxEvent, EMAIL, IN_APP};
use crate::platform::sql::Sql;
use serde_json::Value;
use sqlx::AnyConnection;

/// Who an event is for.
#[derive(Debug, Clone, Copy)]
pub enum Recipients {
    User(i64),
    /// Every member of the seller organisation and its owner, once each.
    SellerMembers(i64),
}

/// `event` in the outbox; an in-app event for a user is fanned out to that user's channels.
pub async fn enqueue(conn: &mut AnyConnection, now_ms: i64, event: &OutboxEvent) -> Result<(), sqlx::Error> {
    match (event.channel, event.recipient_user_id) {
        (IN_APP, Some(user)) => {
            enqueue_to(conn, now_ms, Recipients::User(user), &event.event_type, &event.payload).await
        }
        _ => outbox::enqueue(conn, now_ms, event).await.map(|_| ()),
    }
}

/// The in-app event `event_type` for `to`, on each recipient's channels, in one statement.
pub async fn enqueue_to(
    conn: &mut AnyConnection,
    now_ms: i64,
    to: Recipients,
    event_type: &str,
    payload: &Value,
) -> Result<(), sqlx::Error> {
    enqueue_each(conn, now_ms, event_type, &[(to, payload.clone())]).await
}

/// The in-app event `event_type` for several recipients, each with its own payload (a payment
/// approval tells the seller of each order it pays about that order), in one statement.
pub async fn enqueue_each(
    conn: &mut AnyConnection,
    now_ms: i64,
    event_type: &str,
    each: &[(Recipients, Value)],
) -> Result<(), sqlx::Error> {
    if each.is_empty() {
        return Ok(());
    }
    let sql = fan_out(Backend::of_conn(conn), now_ms, event_type, events::find(event_type), each);
    sql.query().execute(&mut *conn).await?;
    Ok(())
}

/// The `INSERT .. SELECT` of the fan-out. Rows are ordered by event, recipient, in-app before
/// email, as the rows were written one by one before (ids order the notification list).
fn fan_out(
    backend: Backend,
    now_ms: i64,
    event_type: &str,
    spec: Option<&EventSpec>,
    each: &[(Recipients, Value)],
) -> Sql {
    let mut sql = Sql::new(
        backend,
        "INSERT INTO outbox (created_at, event_type, channel, recipient_user_id, payload_json, status, attempts, \
         next_attempt_at, updated_at) SELECT ",
    );
    let (at, event) = (sql.arg(now_ms), sql.arg(event_type));
    sql.push(&format!("{at}, {event}, c.channel, r.user_id, r.payload, 'pending', 0, {at}, {at} FROM ("));
    for (seq, (to, payload)) in each.iter().enumerate() {
        if seq > 0 {
            // UNION, not UNION ALL: an owner who is also a member is told once per event (`seq`
            // keeps two events for one person apart).
            sql.push(" UNION ");
        }
        recipients(&mut sql, seq, *to, payload);
    }
    sql.push(&format!(") r, (SELECT 1 AS k, '{IN_APP}' AS channel"));
    if spec.is_some_and(|s| s.email.is_some()) {
        sql.push(&format!(" UNION ALL SELECT 2, '{EMAIL}'"));
    }
    sql.push(") c");
    if let Some(category) = spec.map(|s| s.category).filter(|c| !c.always_on()) {
        switched_off_excluded(&mut sql, category);
    }
    sql.push(" ORDER BY r.seq, r.user_id, c.k");
    sql
}

/// The `(seq, user_id, payload)` rows of one event's recipients.
fn recipients(sql: &mut Sql, seq: usize, to: Recipients, payload: &Value) {
    let body = sql.arg(payload.to_string());
    match to {
        Recipients::User(user) => {
            let user = sql.arg(user);
            sql.push(&format!("SELECT {seq} AS seq, {user} AS user_id, {body} AS payload"));
        }
        Recipients::SellerMembers(org) => {
            let org = sql.arg(org);
            sql.push(&format!(
                "SELECT {seq} AS seq, user_id, {body} AS payload FROM organisation_members \
                 WHERE organisation_id = {org} UNION SELECT {seq}, owner_user_id, {body} FROM organisations WHERE id = {org}"
            ));
        }
    }
}

/// A category is received on a channel unless the recipient stored it off (`preferences`: the rest
/// are on). The channel names of the outbox and of the preferences are the same words.
fn switched_off_excluded(sql: &mut Sql, category: Category) {
    debug_assert_eq!((Channel::InApp.as_str(), Channel::Email.as_str()), (IN_APP, EMAIL));
    let category = sql.arg(category.as_str());
    sql.push(&format!(
        " WHERE NOT EXISTS (SELECT 1 FROM notification_preferences p WHERE p.user_id = r.user_id \
         AND p.category = {category} AND p.channel = c.channel AND p.enabled = 0)"
    ));
}
