//! The message template editor (console, `/console/templates`): every (event, channel, locale)
//! template with its version, the coverage of what is missing, and one template's editor — the
//! variables its event offers, preview with sample data, save as a new version (validated, audited),
//! enable or disable, restore an older version, send a test to yourself. Storage and validation live in
//! `notifications::templates`, `notifications::template_versions` and `domain::template`.

pub mod api;
pub mod console_messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod readiness;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::TEMPLATES_MANAGE;

pub const CAPABILITY: Capability = Capability {
    catalogs: &[console_messages::MESSAGES],
    console_sections: &[ConsoleSection {
        path: "/console/templates",
        label: "console.templates",
        permission: TEMPLATES_MANAGE,
    }],
};
