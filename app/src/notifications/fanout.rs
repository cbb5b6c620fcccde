//! The fan-out of an in-app notification: `Change::notify` with an in-app event lands here, in the
//! change's transaction. The in-app row is written when the user receives the event's category in
//! the app; the email row when the event has an email and the user receives the category by email.
//! Events without an `EventSpec` stay in-app only, as before delivery had channels.

use super::{events, preferences};
use crate::domain::delivery::Channel;
use crate::platform::outbox::{self, OutboxEvent, IN_APP};
use sqlx::AnyConnection;

pub async fn enqueue(conn: &mut AnyConnection, now_ms: i64, event: &OutboxEvent) -> Result<(), sqlx::Error> {
    let (IN_APP, Some(user), Some(spec)) = (event.channel, event.recipient_user_id, events::find(&event.event_type))
    else {
        outbox::enqueue(conn, now_ms, event).await?;
        return Ok(());
    };
    if preferences::enabled(conn, user, spec.category, Channel::InApp).await? {
        outbox::enqueue(conn, now_ms, event).await?;
    }
    if spec.email.is_some() && preferences::enabled(conn, user, spec.category, Channel::Email).await? {
        outbox::enqueue(conn, now_ms, &OutboxEvent::email(user, &event.event_type, event.payload.clone())).await?;
    }
    Ok(())
}
