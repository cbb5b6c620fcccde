//! The seller's balance (pending and available) and its history: the entries on the seller's two
//! ledger accounts, newest first. Pending is what completed orders earned during the settlement
//! hold; available is what the hold released.

pub mod api;
pub mod console_api;
pub mod console_messages;
pub mod console_model;
#[cfg(feature = "ssr")]
pub mod console_service;
pub mod controls_api;
pub mod controls_model;
#[cfg(feature = "ssr")]
pub mod controls_service;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod readiness;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::LEDGER_VIEW;

/// What the frames take from ledger: its message catalogs and its console sections (see `crate::registry`).
pub const CAPABILITY: Capability = Capability {
    catalogs: &[messages::MESSAGES, console_messages::MESSAGES],
    console_sections: &[
        ConsoleSection { path: "/console/ledger", label: "console.ledger", permission: LEDGER_VIEW },
        ConsoleSection { path: "/console/ledger/controls", label: "console.ledger_controls", permission: LEDGER_VIEW },
    ],
};
