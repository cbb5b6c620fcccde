//! Commission rules: which version applies to an order line (`resolve`), and their management in the
//! console: versions per scope (default, category, seller), created as drafts and activated by a
//! protected, audited action that retires the scope's previous active version.

pub mod api;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod readiness;
#[cfg(feature = "ssr")]
pub mod resolve;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::COMMISSION_MANAGE;

/// What the frames take from commission: its message catalogs and its console sections (see `crate::registry`).
pub const CAPABILITY: Capability = Capability {
    catalogs: &[messages::MESSAGES],
    console_sections: &[ConsoleSection {
        path: "/console/commission",
        label: "console.commission",
        permission: COMMISSION_MANAGE,
    }],
};
