//! The seller's balance (pending and available) and its history: the entries on the seller's two
//! ledger accounts, newest first. Pending is what completed orders earned during the settlement
//! hold; available is what the hold released.

pub mod api;
pub mod console_api;
pub mod console_messages;
pub mod console_model;
#[cfg(feature = "ssr")]
pub mod console_service;
pub mod controls_api;
pub mod controls_model;
#[cfg(feature = "ssr")]
pub mod controls_service;
pub mod messages;
pub mod model;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;
