//! Disputes: opening one, both sides' messages and evidence, and the decision.

pub mod api;
pub mod components;
pub mod console_api;
pub mod console_messages;
pub mod messages;
pub mod model;
pub mod pages;
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
