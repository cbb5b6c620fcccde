//! Notifications: the bell in every top bar and the list page (rows written only by the outbox
//! worker's in-app channel, after the change that caused them committed); the event registry and the
//! fan-out to email; message templates; each user's preferences and the unsubscribe link.

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod events;
#[cfg(feature = "ssr")]
pub mod fanout;
pub mod messages;
pub mod pages;
pub mod preference_model;
pub mod preference_pages;
#[cfg(feature = "ssr")]
pub mod preferences;
pub mod preferences_api;
#[cfg(feature = "ssr")]
pub mod preferences_service;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod template_versions;
#[cfg(feature = "ssr")]
pub mod templates;
#[cfg(feature = "ssr")]
pub mod unsubscribe;
#[cfg(feature = "ssr")]
pub mod unsubscribe_token;

use crate::capability::Capability;

/// What the frames take from notifications: its message catalogs (see `crate::registry`).
pub const CAPABILITY: Capability = Capability { catalogs: &[messages::MESSAGES], console_sections: &[] };
