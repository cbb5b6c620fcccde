//! The category tree as the seller form and the storefront read it. Managing it is the console's
//! (`categories::pages::console`).

pub mod api;
pub mod console_api;
#[cfg(feature = "ssr")]
pub mod console_service;
pub mod messages;
pub mod model;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
