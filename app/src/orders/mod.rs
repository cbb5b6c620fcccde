//! Orders: the state machine's effects, durable timers, and the buyer's and seller's order pages.

pub mod api;
pub mod messages;
pub mod model;
pub mod pages;
pub mod routes;

#[cfg(feature = "ssr")]
pub mod detail;
#[cfg(feature = "ssr")]
pub mod flow;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod timers;

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::ORDERS_VIEW;

/// What the frames take from orders: its message catalogs and its console sections (see `crate::registry`).
pub const CAPABILITY: Capability = Capability {
    catalogs: &[messages::MESSAGES],
    console_sections: &[ConsoleSection { path: "/console/orders", label: "console.orders", permission: ORDERS_VIEW }],
};
