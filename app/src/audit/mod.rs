//! The audit log in the console (DESIGN.md, "Audit log"): a filtered, keyset-paged list, an entry's
//! page with its before/after diff and hashes, the chain check, and the CSV export. Entries are written
//! by each `platform::change::Change` in its own transaction; this folder only reads them
//! (except for recording an export).

pub mod api;
#[cfg(feature = "ssr")]
pub mod export;
pub mod filter;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod readiness;
#[cfg(feature = "ssr")]
pub mod refusals;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;

/// Where the list page's export form posts (served by the server crate's `http::audit_export`).
pub const EXPORT_PATH: &str = "/console/audit/export.csv";

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::AUDIT_VIEW;

/// What the frames take from audit: its message catalogs and its console sections (see `crate::registry`).
pub const CAPABILITY: Capability = Capability {
    catalogs: &[messages::MESSAGES],
    console_sections: &[ConsoleSection { path: "/console/audit", label: "console.audit", permission: AUDIT_VIEW }],
};
