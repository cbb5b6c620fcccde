//! Refunds: the buyer's request, the seller's answer, the escalation timer, and the console's refund queue.

#[cfg(feature = "ssr")]
mod answers;
pub mod api;
pub mod console_messages;
#[cfg(feature = "ssr")]
mod detail;
#[cfg(feature = "ssr")]
mod escalation;
#[cfg(feature = "ssr")]
pub mod evidence;
#[cfg(feature = "ssr")]
mod locked;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
mod queue;
#[cfg(feature = "ssr")]
mod requests;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod timers;

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::REFUNDS_VIEW;

/// What the frames take from refunds: its message catalogs and its console sections (see `crate::registry`).
pub const CAPABILITY: Capability = Capability {
    catalogs: &[messages::MESSAGES, console_messages::MESSAGES],
    console_sections: &[ConsoleSection {
        path: "/console/refunds",
        label: "console.refunds",
        permission: REFUNDS_VIEW,
    }],
};
