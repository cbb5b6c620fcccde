//! The storefront: home, category pages, search, product page and seller page. Server-rendered,
//! usable without JavaScript for browsing; every query applies the visibility rule in `visibility.rs`.

pub mod api;
#[cfg(feature = "ssr")]
pub mod browse;
pub mod buy;
pub mod components;
pub mod messages;
pub mod model;
pub mod pages;
pub mod routes;
pub mod search;
#[cfg(feature = "ssr")]
pub mod service;
pub mod visibility;

use crate::capability::Capability;

/// What the frames take from storefront: its message catalogs (see `crate::registry`).
pub const CAPABILITY: Capability = Capability { catalogs: &[messages::MESSAGES], console_sections: &[] };
