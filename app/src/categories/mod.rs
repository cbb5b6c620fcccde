//! The category tree as the seller form and the storefront read it. Managing it is the console's
//! (`categories::pages::console`).

pub mod api;
pub mod console_api;
#[cfg(feature = "ssr")]
pub mod console_service;
pub mod messages;
pub mod model;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::CATEGORIES_MANAGE;

/// What the frames take from categories: its message catalogs and its console sections (see `crate::registry`).
pub const CAPABILITY: Capability = Capability {
    catalogs: &[messages::MESSAGES],
    console_sections: &[ConsoleSection {
        path: "/console/categories",
        label: "console.categories",
        permission: CATEGORIES_MANAGE,
    }],
};
