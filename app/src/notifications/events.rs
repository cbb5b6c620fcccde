//! Every event the platform sends to people, gathered from the capabilities that declare them: what
//! the outbox's email fan-out, the template seeding and the coverage view read.

use crate::domain::delivery::EventSpec;

/// The in-app events that also go out by email (orders, payments, listings, trust, disputes, ...).
pub const EVENTS: &[EventSpec] = &[];

pub fn all() -> impl Iterator<Item = &'static EventSpec> {
    EVENTS.iter().chain(crate::auth::events::EVENTS.iter())
}

pub fn find(event_type: &str) -> Option<&'static EventSpec> {
    all().find(|e| e.event_type == event_type)
}
