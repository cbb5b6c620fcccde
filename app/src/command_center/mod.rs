//! The command center (`/console`): today's work (every operator queue the caller may act on, with
//! its count, its oldest item's age and its SLA pressure, each a link to the queue already filtered),
//! the KPI cards of a period against the period before, and the 7- and 30-day trend charts. Figures
//! are measured from the stored orders, ledger, disputes, accounts and payouts (definitions in
//! `kpis.rs`), the sums over time through their quarter-hour rollups (`rollup.rs`); the pure
//! arithmetic is `domain::kpi` and `domain::rollup`.

pub mod api;
#[cfg(feature = "ssr")]
mod figures;
#[cfg(feature = "ssr")]
mod kpis;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
mod queues;
#[cfg(feature = "ssr")]
pub mod rollup;
pub mod routes;
#[cfg(feature = "ssr")]
mod trends;

use crate::capability::Capability;

/// The command center's catalog. Its sidebar entry is the console frame's first (`shell::HOME`).
pub const CAPABILITY: Capability = Capability { catalogs: &[messages::MESSAGES], console_sections: &[] };
