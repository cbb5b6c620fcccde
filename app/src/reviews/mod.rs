//! The listing review queue (seed 000's review queue, adapted to listings): counters, filters, the
//! queue sorted by SLA pressure then risk, one version's evidence and diff, and the decisions
//! (approve, reject with a reason, block — protected). Decisions are owned here; the seller center
//! submits versions into the queue.

pub mod api;
#[cfg(feature = "ssr")]
mod decisions;
#[cfg(feature = "ssr")]
mod detail;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
mod queue;
pub mod routes;
#[cfg(feature = "ssr")]
mod rows;
#[cfg(feature = "ssr")]
pub mod service;

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::LISTINGS_VIEW;

/// What the frames take from reviews: its message catalogs and its console sections (see `crate::registry`).
pub const CAPABILITY: Capability = Capability {
    catalogs: &[messages::MESSAGES],
    console_sections: &[ConsoleSection {
        path: "/console/reviews",
        label: "console.reviews",
        permission: LISTINGS_VIEW,
    }],
};
