//! Accounts: sign up, sign in, sign out, change password, language, and the super-admin bootstrap.

pub mod api;
#[cfg(feature = "ssr")]
pub mod events;
pub mod messages;
pub mod model;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;

use crate::capability::Capability;

/// What the frames take from auth: its message catalogs (see `crate::registry`).
pub const CAPABILITY: Capability = Capability { catalogs: &[messages::MESSAGES], console_sections: &[] };
