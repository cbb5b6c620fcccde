//! Curation and catalog control (issue 13; seed 000 "market ranking controls", seed 004 §2.4A):
//! operators feature listings on the home page and order its sections, each with an optional
//! schedule (`/console/curation`, `curation.manage`); and the console's directory of every listing
//! (`/console/listings`, `listings.view`), where an operator with `listings.manage` takes a live
//! listing down (trust & safety's take-down, appealable like a report's) or corrects its category.

pub mod api;
#[cfg(feature = "ssr")]
mod catalog_control;
#[cfg(feature = "ssr")]
mod directory;
#[cfg(feature = "ssr")]
mod features;
pub mod messages;
pub mod model;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
mod sections;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod timers;

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::{CURATION_MANAGE, LISTINGS_VIEW};

/// What the frames take from curation: its message catalog and its console sections (see `crate::registry`).
pub const CAPABILITY: Capability = Capability {
    catalogs: &[messages::MESSAGES],
    console_sections: &[
        ConsoleSection { path: "/console/listings", label: "console.listings", permission: LISTINGS_VIEW },
        ConsoleSection { path: "/console/curation", label: "console.curation", permission: CURATION_MANAGE },
    ],
};
