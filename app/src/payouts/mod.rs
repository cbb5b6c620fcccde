//! Payout accounts and payout requests in the seller center (`/seller/payouts`,
//! `/seller/payouts/accounts`), and the server side of finance's payout queue (the console pages are
//! `payouts::pages::console`).

#[cfg(feature = "ssr")]
mod accounts;
pub mod api;
pub mod console_messages;
#[cfg(feature = "ssr")]
mod decisions;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod readiness;
#[cfg(feature = "ssr")]
mod requests;
pub mod routes;
#[cfg(feature = "ssr")]
mod rows;
#[cfg(feature = "ssr")]
pub mod service;

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::PAYOUTS_VIEW;

/// What the frames take from payouts: its message catalogs and its console sections (see `crate::registry`).
pub const CAPABILITY: Capability = Capability {
    catalogs: &[messages::MESSAGES, console_messages::MESSAGES],
    console_sections: &[ConsoleSection {
        path: "/console/payouts",
        label: "console.payouts",
        permission: PAYOUTS_VIEW,
    }],
};
