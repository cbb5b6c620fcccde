//! The cart, the address book and checkout.

#[cfg(feature = "ssr")]
mod addresses;
pub mod api;
#[cfg(feature = "ssr")]
pub mod checkout;
pub mod components;
#[cfg(feature = "ssr")]
mod lines;
pub mod messages;
pub mod model;
#[cfg(feature = "ssr")]
mod owner;
pub mod pages;
#[cfg(feature = "ssr")]
mod placing;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;

use crate::capability::Capability;

/// What the frames take from cart: its message catalogs (see `crate::registry`).
pub const CAPABILITY: Capability = Capability { catalogs: &[messages::MESSAGES], console_sections: &[] };
