//! The console's seller applications queue (`/console/sellers`) and seller page
//! (`/console/sellers/:id`): filters, counters per state, the application with its documents,
//! members and full history, the suspension impact, and the decisions per state.

pub mod api;
mod detail;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
