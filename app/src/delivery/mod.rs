//! The delivery desk (console, `/console/delivery`): every outgoing message on every channel (in-app,
//! email, webhook) by state, its attempts and last error, replaying what gave up (one, or all that
//! match a filter), the email suppression list, and the counters the command center shows. The
//! channels themselves live in `platform::outbox` (and `platform::email`, `webhooks`).

pub mod api;
pub mod console_messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
mod queries;
#[cfg(feature = "ssr")]
pub mod readiness;
#[cfg(feature = "ssr")]
mod replay;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::DELIVERY_VIEW;

/// What the frames take from the delivery desk: its catalog and its console section.
pub const CAPABILITY: Capability = Capability {
    catalogs: &[console_messages::MESSAGES],
    console_sections: &[ConsoleSection {
        path: "/console/delivery",
        label: "console.delivery",
        permission: DELIVERY_VIEW,
    }],
};
