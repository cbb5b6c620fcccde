//! Disputes: opening one, both sides' messages and evidence, and the decision.

pub mod api;
pub mod components;
pub mod console_api;
pub mod console_messages;
#[cfg(feature = "ssr")]
mod decisions;
pub mod messages;
#[cfg(feature = "ssr")]
mod messages_service;
pub mod model;
#[cfg(feature = "ssr")]
pub mod opening;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
mod queue;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::REFUNDS_VIEW;

/// What the frames take from disputes: its message catalogs and its console sections (see `crate::registry`).
pub const CAPABILITY: Capability = Capability {
    catalogs: &[messages::MESSAGES, console_messages::MESSAGES],
    console_sections: &[ConsoleSection {
        path: "/console/disputes",
        label: "console.disputes",
        permission: REFUNDS_VIEW,
    }],
};
