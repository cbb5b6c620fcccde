//! Alerts and incidents (issue 15): rules over the server's own figures and the database
//! (`domain::alerts`), evaluated every minute by a durable job while an enabled rule exists
//! (`evaluate`, measuring through `observe`); a firing rule opens an incident or counts on its
//! unresolved one, and tells the rule's recipients (operators in the app and by email, the platform's
//! webhooks, mail addresses). Operators acknowledge, note and resolve incidents (`incidents`), and
//! silence rules until a time (`rules`; a notice goes out when a silence ends). Pages:
//! `/console/alerts` (rules) and `/console/incidents` (the queue and each incident's timeline); the
//! command center shows the unresolved ones.

pub mod api;
#[cfg(feature = "ssr")]
pub mod evaluate;
#[cfg(feature = "ssr")]
pub mod incidents;
pub mod messages;
pub mod model;
#[cfg(feature = "ssr")]
pub mod observe;
pub mod page_messages;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod timers;

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::ALERTS_VIEW;

/// What the frames take from alerts and incidents (see `crate::registry`).
pub const CAPABILITY: Capability = Capability {
    catalogs: &[messages::MESSAGES, page_messages::MESSAGES],
    console_sections: &[
        ConsoleSection { path: "/console/incidents", label: "console.incidents", permission: ALERTS_VIEW },
        ConsoleSection { path: "/console/alerts", label: "console.alerts", permission: ALERTS_VIEW },
    ],
};
