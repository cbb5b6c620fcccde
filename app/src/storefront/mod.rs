//! The storefront: home, category pages, search, product page and seller page. Server-rendered,
//! usable without JavaScript for browsing; every query applies the visibility rule in `visibility.rs`.

pub mod api;
pub mod components;
pub mod messages;
pub mod model;
pub mod pages;
pub mod routes;
pub mod search;
#[cfg(feature = "ssr")]
pub mod service;
pub mod visibility;
