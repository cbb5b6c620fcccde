//! Exports (console, `/console/exports`): a dataset (orders, order lines, ledger entries, payouts,
//! refunds, disputes, sellers, users) over a period with its filters, as a CSV safe to open in a
//! spreadsheet. Small exports stream at once; large ones run as a background job whose file the
//! requester downloads for 24 hours. Personal data is protected (reason + password); every export
//! and download is audited. The dataset rules are `domain::export`; the HTTP side is
//! `server/src/http/exports.rs`.

pub mod api;
#[cfg(feature = "ssr")]
pub mod datasets;
#[cfg(feature = "ssr")]
pub mod job;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod request;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod rows;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod timers;

use crate::capability::{Capability, ConsoleSection};
use crate::domain::permissions::EXPORTS_EXPORT;

/// Where the export form posts (served by the server crate's `http::exports`).
pub const RUN_PATH: &str = "/console/exports/run";

/// Where a background export's file is downloaded: `/console/exports/<id>/file`.
pub fn file_path(id: i64) -> String {
    format!("/console/exports/{id}/file")
}

/// The exports page, with a dataset and a query filled in (the report pages' export links).
pub const PAGE_PATH: &str = "/console/exports";

pub const CAPABILITY: Capability = Capability {
    catalogs: &[messages::MESSAGES],
    console_sections: &[ConsoleSection { path: PAGE_PATH, label: "console.exports", permission: EXPORTS_EXPORT }],
};
