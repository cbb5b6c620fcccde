//! Seller onboarding: applying to sell (`/sell`), the application's documents and history, and the
//! seller organisation's team (`/seller/team`). The console's side (queue, decisions) is in
//! `sellers::pages::console` with `sellers::console_service`; both move sellers through `service::transition`.

pub mod api;
#[cfg(feature = "ssr")]
mod application;
pub mod console_api;
pub mod console_messages;
pub mod console_model;
#[cfg(feature = "ssr")]
pub mod console_service;
#[cfg(feature = "ssr")]
mod decisions;
pub mod impact;
pub mod messages;
pub mod model;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
mod rows;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod staff;
pub mod team;

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::SELLERS_VIEW;

/// What the frames take from sellers: its message catalogs and its console sections (see `crate::registry`).
pub const CAPABILITY: Capability = Capability {
    catalogs: &[messages::MESSAGES, console_messages::MESSAGES],
    console_sections: &[ConsoleSection {
        path: "/console/sellers",
        label: "console.sellers",
        permission: SELLERS_VIEW,
    }],
};
