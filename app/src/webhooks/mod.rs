//! Webhooks (Standard Webhooks): endpoints that a seller organisation's owner (seller center,
//! `/seller/webhooks`) or the platform's operators (console, `/console/webhooks`) register to
//! receive events as signed HTTP POSTs. `publish` makes the messages where events happen; the
//! outbox worker delivers them through `channel::WebhookChannel`. Rules (URLs, signatures, event
//! types) are in `domain::webhook`.

pub mod api;
#[cfg(feature = "ssr")]
pub mod channel;
#[cfg(feature = "ssr")]
pub mod endpoints;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
mod publish;
#[cfg(feature = "ssr")]
pub mod readiness;
pub mod routes;

#[cfg(feature = "ssr")]
pub use publish::{publish, publish_each};

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::WEBHOOKS_MANAGE;

/// What the frames take from webhooks: its message catalog and its console section.
pub const CAPABILITY: Capability = Capability {
    catalogs: &[messages::MESSAGES],
    console_sections: &[ConsoleSection {
        path: "/console/webhooks",
        label: "console.webhooks",
        permission: WEBHOOKS_MANAGE,
    }],
};
