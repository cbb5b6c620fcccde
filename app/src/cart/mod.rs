//! The cart, the address book and checkout.

pub mod api;
#[cfg(feature = "ssr")]
pub mod checkout;
pub mod components;
pub mod messages;
pub mod model;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
