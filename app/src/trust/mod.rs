//! Trust & safety on the buyer's and seller's side: reporting a listing or a seller, appealing a
//! takedown; the trust judgment product pages show buyers (`judgment`); and the server side of the
//! console's reports queue (its pages are `trust::pages::console`).

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
mod decisions;
#[cfg(feature = "ssr")]
mod filing;
#[cfg(feature = "ssr")]
pub mod judgment;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
mod queue;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::REPORTS_VIEW;

/// What the frames take from trust: its message catalogs and its console sections (see `crate::registry`).
pub const CAPABILITY: Capability = Capability {
    catalogs: &[messages::MESSAGES],
    console_sections: &[ConsoleSection {
        path: "/console/reports",
        label: "console.reports",
        permission: REPORTS_VIEW,
    }],
};
