//! Paying for a checkout: bank transfer with proof, or the sandbox card.

pub mod api;
#[cfg(feature = "ssr")]
mod approvals;
#[cfg(feature = "ssr")]
mod bank_transfer;
pub mod messages;
pub mod model;
pub mod pages;
pub mod providers;
#[cfg(feature = "ssr")]
pub mod readiness;
pub mod routes;
#[cfg(feature = "ssr")]
mod rows;
#[cfg(feature = "ssr")]
pub mod service;

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::PAYMENTS_VIEW;

/// What the frames take from payments: its message catalogs and its console sections (see `crate::registry`).
pub const CAPABILITY: Capability = Capability {
    catalogs: &[messages::MESSAGES],
    console_sections: &[ConsoleSection {
        path: "/console/payments",
        label: "console.payments",
        permission: PAYMENTS_VIEW,
    }],
};
