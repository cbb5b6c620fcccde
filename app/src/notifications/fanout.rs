//! The fan-out of an in-app notification: `Change::notify` with an in-app event lands here, in the
//! change's transaction. The in-app row is written when the user receives the event's category in
//! the app; the email row when the event has an email and the user receives the category by email.
//! Events without an `EventSpec` stay in-app only, as before delivery had channels.

use super::{events, preferences};
use crate::platform::outbox::{self, OutboxEvent, IN_APP};
use sqlx::AnyConnection;

pub async fn enqueue(conn: &mut AnyConnection, now_ms: i64, event: &OutboxEvent) -> Result<(), sqlx::Error> {
    let (IN_APP, Some(user), Some(spec)) = (event.channel, event.recipient_user_id, events::find(&event.event_type))
    else {
        outbox::enqueue(conn, now_ms, event).await?;
        return Ok(());
    };
    // Both channels' choices in one read and both rows in one insert: a change that notifies four
    // people (a payment approval) made 16 round trips here, now 8.
    let (in_app, email) = preferences::in_app_and_email(conn, user, spec.category).await?;
    let mut rows = vec![];
    if in_app {
        rows.push(event.clone());
    }
    if email && spec.email.is_some() {
        rows.push(OutboxEvent::email(user, &event.event_type, event.payload.clone()));
    }
    outbox::enqueue_many(conn, now_ms, &rows).await
}
