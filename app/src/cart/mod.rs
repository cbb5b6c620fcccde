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
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
