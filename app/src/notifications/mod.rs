//! In-app notifications: the bell in every top bar and the list page. Rows are written only by the
//! outbox worker's in-app channel, after the change that caused them committed.

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod events;
pub mod messages;
pub mod pages;
pub mod routes;

use crate::capability::Capability;

/// What the frames take from notifications: its message catalogs (see `crate::registry`).
pub const CAPABILITY: Capability = Capability { catalogs: &[messages::MESSAGES], console_sections: &[] };
