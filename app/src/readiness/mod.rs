//! Launch readiness (`/console/readiness`, `agora-server readiness`): a registry of checks, each
//! contributed by the capability that owns what it measures (`<capability>/readiness.rs`), measured
//! when asked; their rules, deferrals and "the next three actions" are in `domain::readiness`.

pub mod api;
#[cfg(feature = "ssr")]
mod guardrails;
pub mod messages;
pub mod model;
#[cfg(feature = "ssr")]
mod operations;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod registry;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod thresholds;

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::READINESS_VIEW;

/// What the frames take from readiness: its message catalog and its console section (see `crate::registry`).
pub const CAPABILITY: Capability = Capability {
    catalogs: &[messages::MESSAGES],
    console_sections: &[ConsoleSection {
        path: "/console/readiness",
        label: "console.readiness",
        permission: READINESS_VIEW,
    }],
};
