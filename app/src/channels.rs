//! Every delivery channel of the outbox, in one registry the worker and the tests share (like
//! `crate::timers` for job handlers). A channel lives in its capability; add it here.

pub fn standard() -> crate::platform::outbox::Channels {
    use crate::platform::outbox::{Channels, EMAIL, WEBHOOK};
    use std::sync::Arc;
    Channels::empty()
        .with(EMAIL, Arc::new(crate::platform::email::EmailChannel))
        .with(WEBHOOK, Arc::new(crate::webhooks::channel::WebhookChannel))
}
