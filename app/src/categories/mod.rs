//! The category tree as the seller form and the storefront read it. Managing it is the console's
//! (`console::categories`).

pub mod api;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
